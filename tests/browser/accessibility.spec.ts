/**
 * WCAG 2.2 AA in real Chromium: axe-core on every page type (zero violations), full-page screenshots of
 * the main pages at 360 px (test-results/screenshots), no sideways scrolling at 320 px on participant pages.
 * Keyboard-only operation (vote-next, live session) and the live region's throttling are in
 * keyboard.spec.ts.
 */
import { expect, test, type Page } from "@playwright/test";
import { axeViolations, overflowAt320, screenshot360 } from "./a11y-helpers";
import {
  addQuestion,
  createConsultation,
  createInvitations,
  joinWithLink,
  movePhase,
  newPerson,
  openQuestion,
  positionPath,
  postPosition,
  signUpFacilitator,
  uniqueSlug,
  visit,
} from "./helpers";

const PEERS = "Peers who use drugs";
const OUTREACH = "Outreach workers";
const QUESTION = "Where should naloxone be available?";

interface Check {
  /** Screenshot at 360 px under this name (the main pages). */
  shot?: boolean;
  /** A participant page: must not scroll sideways at 320 px. */
  narrow?: boolean;
  /** A page without scripts (the published report): loaded, not waited on for hydration. */
  noScript?: boolean;
}

test("every page type has no axe (WCAG 2.2 AA) violations; participant pages fit 320 px; screenshots at 360 px", async ({ browser }) => {
  test.setTimeout(300_000);
  const problems: string[] = [];
  const seen: string[] = [];
  const started = Date.now();

  async function check(page: Page, name: string, path: string | null, options: Check = {}) {
    if (path !== null && options.noScript) await page.goto(path);
    else if (path !== null) await visit(page, path);
    seen.push(name);
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${name}`);
    // Soft: every page's findings are reported, not only the first page's.
    const found = await axeViolations(page, name);
    expect.soft(found.length, `axe (WCAG 2.2 AA) on ${name}:\n${found.join("\n\n")}`).toBe(0);
    problems.push(...found);
    if (options.narrow) {
      const overflow = await overflowAt320(page, name);
      expect.soft(overflow, `reflow at 320 px on ${name}`).toBeNull();
      if (overflow) problems.push(overflow);
    }
    if (options.shot) await screenshot360(page, name);
  }

  // ---- anonymous pages ------------------------------------------------------------------------------
  const anon = await newPerson(browser);
  await check(anon.page, "landing", "/", { shot: true, narrow: true });
  await check(anon.page, "join-code-entry", "/join", { shot: true, narrow: true });
  await check(anon.page, "login", "/login", { shot: true, narrow: true });
  await check(anon.page, "signup", "/signup", { narrow: true });
  await check(anon.page, "language", "/language", { shot: true, narrow: true });
  await check(anon.page, "error-404", "/no/such/page", { narrow: true });

  // ---- facilitator set-up (pages checked on the way) -------------------------------------------------
  const fac = await signUpFacilitator(browser, "Ada Access");
  const slug = uniqueSlug("a11y");
  const base = `/facilitate/${slug}`;
  await check(fac.page, "facilitator-dashboard-empty", "/facilitate");
  await check(fac.page, "facilitator-new-consultation", "/facilitate/new", { shot: true });
  await createConsultation(fac.page, { title: `Naloxone everywhere ${slug}`, slug, groups: [PEERS, OUTREACH] });
  await check(fac.page, "facilitator-overview-draft", null, { shot: true });
  await addQuestion(fac.page, slug, QUESTION);
  await check(fac.page, "facilitator-questions", null);

  // The outreach group may enter positions for peers (the proxy page).
  await visit(fac.page, `${base}/groups`);
  const outreachItem = fac.page.locator("li").filter({ has: fac.page.getByRole("heading", { level: 3, name: OUTREACH }) });
  await outreachItem.getByRole("checkbox", { name: /Outreach group/ }).check();
  await outreachItem.getByRole("button", { name: /^Save/ }).click();
  await expect(outreachItem).toContainText("Outreach group:");
  await check(fac.page, "facilitator-groups", null);

  const peerSlips = await createInvitations(fac.page, slug, PEERS, 3);
  await check(fac.page, "facilitator-invitations-new-codes", null, { shot: true });
  const [outreachSlip] = await createInvitations(fac.page, slug, OUTREACH, 1);
  await check(fac.page, "facilitator-invitations", `${base}/invitations`);
  await movePhase(fac.page, slug, "Positions");
  await check(fac.page, "facilitator-overview", null, { shot: true });
  await check(fac.page, "account", "/account");

  // ---- participants --------------------------------------------------------------------------------
  await check(anon.page, "join-invitation", peerSlips[0].link, { shot: true, narrow: true });
  const a = await joinWithLink(browser, peerSlips[0], slug, { pseudonym: "Bright Kestrel" });
  const b = await joinWithLink(browser, peerSlips[1], slug, { pseudonym: "Calm Badger" });
  const w = await joinWithLink(browser, outreachSlip, slug, { pseudonym: "Field Worker" });

  await openQuestion(b.page, slug, QUESTION);
  const bPosition = await postPosition(b.page, "Naloxone in every pharmacy, free and **without a prescription**.");
  await postPosition(b.page, "Peer workers should carry naloxone kits on every shift.");
  await openQuestion(a.page, slug, QUESTION);
  await postPosition(a.page, "Vending machines with naloxone near night venues.");

  await check(a.page, "participant-consultation", `/c/${slug}`, { shot: true, narrow: true });
  await openQuestion(a.page, slug, QUESTION);
  await check(a.page, "participant-question", null, { shot: true, narrow: true });
  await check(a.page, "participant-position", positionPath(slug, bPosition), { shot: true, narrow: true });
  await check(a.page, "participant-vote-next", `/c/${slug}/next`, { shot: true, narrow: true });
  await check(a.page, "participant-consent", `/c/${slug}/consent`, { narrow: true });
  await a.page.getByRole("button", { name: /consent code/i }).click();
  await expect(a.page.locator(".recovery-code")).toBeVisible();
  await check(a.page, "participant-consent-code", null, { narrow: true });
  await check(a.page, "participant-my-data", `/c/${slug}/my-data`, { shot: true, narrow: true });
  await check(a.page, "participant-live-none", `/c/${slug}/live`, { narrow: true });
  await check(w.page, "participant-proxy", `/c/${slug}/proxy`, { shot: true, narrow: true });
  await check(anon.page, "participant-return", `/c/${slug}/return`, { shot: true, narrow: true });
  await check(a.page, "participant-error-404", `/c/${slug}/p/00000000-0000-4000-8000-000000000000`, { narrow: true });

  // A comment and a flag, for the moderation queue.
  await visit(a.page, positionPath(slug, bPosition));
  const add = a.page.getByRole("region", { name: "Add a comment" });
  await add.getByLabel("Your comment").fill("Pharmacists need training to hand it out without judging.");
  await add.getByRole("button", { name: "Post comment" }).click();
  await expect(a.page.locator("li.comment")).toHaveCount(1);
  await check(a.page, "participant-position-with-comment", null, { narrow: true });
  await visit(b.page, positionPath(slug, bPosition));
  const commentForB = b.page.locator("li.comment").first();
  await commentForB.getByText("Flag", { exact: true }).click();
  await commentForB.getByLabel("What is wrong with this comment?").fill("Checking the queue");
  await commentForB.getByRole("button", { name: "Send to the moderators" }).click();
  await expect(commentForB.getByRole("status")).toBeVisible();
  await check(fac.page, "facilitator-moderation", `${base}/moderation`, { shot: true });

  // ---- a live session, both sides ---------------------------------------------------------------------
  await check(fac.page, "facilitator-live-closed", `${base}/live`);
  await fac.page.getByRole("button", { name: "Open a live session" }).click();
  await expect(fac.page.getByRole("status")).toContainText("The live session is open");
  await fac.page.locator("li.candidate").first().getByRole("button", { name: "Spotlight this position" }).click();
  await expect(fac.page.getByRole("region", { name: "In the spotlight" })).toBeVisible();
  await check(fac.page, "facilitator-live", null, { shot: true });
  await check(a.page, "participant-live", `/c/${slug}/live`, { shot: true, narrow: true });
  await fac.page.getByRole("button", { name: "Close the session" }).click();
  await expect(fac.page.getByRole("status")).toContainText("The live session is closed.");

  // ---- the same pages in Portuguese (the language remembered in its cookie) ------------------------------
  const origin = new URL(a.page.url()).origin;
  for (const who of [anon, a, fac]) await who.context.addCookies([{ name: "polyphony_lang", value: "pt", url: origin }]);
  const inPortuguese: [Page, string, string][] = [
    [anon.page, "landing", "/"],
    [anon.page, "join-code-entry", "/join"],
    [anon.page, "login", "/login"],
    [anon.page, "participant-return", `/c/${slug}/return`],
    [anon.page, "error-404", "/no/such/page"],
    [a.page, "participant-consultation", `/c/${slug}`],
    [a.page, "participant-position", positionPath(slug, bPosition)],
    [a.page, "participant-vote-next", `/c/${slug}/next`],
    [a.page, "participant-my-data", `/c/${slug}/my-data`],
    [a.page, "participant-consent", `/c/${slug}/consent`],
    [a.page, "participant-live", `/c/${slug}/live`],
    [fac.page, "facilitator-overview", base],
    [fac.page, "facilitator-live", `${base}/live`],
  ];
  for (const [page, name, path] of inPortuguese) {
    await check(page, `${name}-pt`, path, { narrow: !path.startsWith("/facilitate") });
    await expect(page.locator("html")).toHaveAttribute("lang", "pt");
  }
  await visit(a.page, `/c/${slug}`);
  await screenshot360(a.page, "participant-consultation-pt");
  for (const who of [anon, a, fac]) await who.context.addCookies([{ name: "polyphony_lang", value: "en", url: origin }]);

  await check(fac.page, "facilitator-audit", `${base}/audit`);
  await check(fac.page, "facilitator-dashboard", "/facilitate", { shot: true });
  await check(fac.page, "facilitator-participant-view", `/c/${slug}`);

  // ---- synthesis, publication, the report ----------------------------------------------------------------
  await movePhase(fac.page, slug, "Deliberation");
  await movePhase(fac.page, slug, "Synthesis");
  await visit(fac.page, `${base}/synthesis`);
  await check(fac.page, "facilitator-synthesis-empty", null);
  await fac.page.getByRole("button", { name: /Run the synthesis/ }).click();
  const publish = fac.page.getByRole("button", { name: "Publish the report" });
  await expect(publish).toBeVisible({ timeout: 60_000 });
  await check(fac.page, "facilitator-synthesis", null, { shot: true });
  await fac.page.getByRole("checkbox", { name: /I have reviewed this report/ }).check();
  await publish.click();
  await expect(publish).toHaveCount(0, { timeout: 30_000 });
  await check(anon.page, "report", `/reports/${slug}`, { shot: true, narrow: true, noScript: true });
  await check(a.page, "participant-consultation-published", `/c/${slug}`, { narrow: true });

  for (const who of [anon, fac, a, b, w]) await who.context.close();
  expect(seen.length).toBeGreaterThanOrEqual(30);
  expect(problems.length, `${problems.length} problem(s) on ${seen.length} pages (details above)`).toBe(0);
});
