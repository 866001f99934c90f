/**
 * Accessibility helpers for the browser tests: axe-core (WCAG 2.2 AA rules), keyboard-only movement,
 * visible focus, the screenshots at 360 px and the 320 px reflow check.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Playwright's outputDir (playwright.config.ts): emptied at the start of each run, kept as the run's artifacts. */
export const SCREENSHOT_DIR = path.join(root, "test-results", "screenshots");

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const DESKTOP = { width: 1280, height: 720 };

/** Runs axe on the page as it is; returns readable lines, one block per violation (empty: none). */
export async function axeViolations(page: Page, name: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map((v) => {
    const nodes = v.nodes
      .slice(0, 8)
      .map((n) => `    - ${n.target.join(" ")}\n      ${n.html.slice(0, 200)}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`)
      .join("\n");
    const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : "";
    return `[${name}] ${page.url()}\n  ${v.id} (${v.impact ?? "?"}): ${v.help}\n  ${v.helpUrl}\n${nodes}${more}`;
  });
}

/** Asserts the page has no axe violations, with the details in the failure message. */
export async function expectNoAxeViolations(page: Page, name: string): Promise<void> {
  const found = await axeViolations(page, name);
  expect(found, `axe (WCAG 2.2 AA) violations:\n${found.join("\n\n")}`).toEqual([]);
}

/** A full-page screenshot at 360 px wide in test-results/screenshots/<name>.png; the viewport is restored. */
export async function screenshot360(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: "disabled" });
  await page.setViewportSize(before);
}

/**
 * At 320 px wide the page does not scroll sideways (WCAG 1.4.10 reflow). Returns a problem line, or null;
 * names the widest elements when it does.
 */
export async function overflowAt320(page: Page, name: string): Promise<string | null> {
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize({ width: 320, height: 640 });
  const result = await page.evaluate(() => {
    const width = document.documentElement.scrollWidth;
    if (width <= 320) return { width, culprits: [] as string[] };
    const culprits: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const rect = el.getBoundingClientRect();
      if (rect.right > 320.5 && rect.width > 0) {
        const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
        culprits.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(rect.right)}`);
      }
      if (culprits.length >= 6) break;
    }
    return { width, culprits };
  });
  await page.setViewportSize(before);
  return result.width <= 320 ? null : `[${name}] ${page.url()} is ${result.width} px wide at 320 px: ${result.culprits.join(", ")}`;
}

/** What a sighted keyboard user sees of the focused element: the focus indicator must not be none. */
export async function focusIndicator(page: Page): Promise<{ tag: string; text: string; visible: boolean; outline: string; boxShadow: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: "body", text: "", visible: false, outline: "none", boxShadow: "none" };
    const style = getComputedStyle(el);
    const outline = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    const hasOutline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const hasShadow = style.boxShadow !== "none" && style.boxShadow !== "";
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 80),
      visible: hasOutline || hasShadow,
      outline,
      boxShadow: style.boxShadow,
    };
  });
}

/** Asserts that the focused element shows a focus indicator. */
export async function expectVisibleFocus(page: Page, what: string): Promise<void> {
  const focus = await focusIndicator(page);
  expect(focus.visible, `focus on ${what} (${focus.tag} "${focus.text}") is not visible: outline ${focus.outline}, box-shadow ${focus.boxShadow}`).toBe(true);
}

/** True when the locator's element has the keyboard focus. */
export async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement).catch(() => false);
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, at most `max` times; checks visible focus on
 * every stop on the way. Returns how many presses it took.
 */
export async function tabTo(page: Page, target: Locator, options: { backwards?: boolean; max?: number } = {}): Promise<number> {
  const key = options.backwards ? "Shift+Tab" : "Tab";
  const max = options.max ?? 40;
  await expect(target).toBeVisible();
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(key);
    await expectVisibleFocus(page, `stop ${i} (${key}) on the way to ${target.toString()}`);
    if (await isFocused(target)) return i;
  }
  const focus = await focusIndicator(page);
  throw new Error(`${target.toString()} not reached with ${max} × ${key} (focus is on ${focus.tag} "${focus.text}")`);
}
