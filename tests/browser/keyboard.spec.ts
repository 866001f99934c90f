/**
 * Keyboard-only operation in real Chromium (no mouse clicks): the vote-next flow and a live session on
 * both sides (facilitator console, participant screen). Every focus stop shows a focus indicator, and after
 * each action focus lands somewhere sensible (never lost on <body>). The live region announces tallies
 * politely and without flooding: 20 votes in a burst give at most a few announcements.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectVisibleFocus, focusIndicator, isFocused, tabTo } from "./a11y-helpers";
import {
  consultationOpenForPositions,
  joinWithLink,
  openQuestion,
  type Participant,
  positionPath,
  postPosition,
  visit,
} from "./helpers";

const PEERS = "Peers who use drugs";
const POLICE = "Police";
const QUESTION = "What would make outreach safer at night?";
const FIRST = "Outreach teams should work in pairs after dark.";
const SECOND = "Street lights near the drop-in centre need fixing.";

/** The big vote buttons of the vote-next and live pages. */
function bigVote(page: Page, choice: "agree" | "disagree" | "pass"): Locator {
  return page.locator(`.vote-buttons-big button.vote-${choice}`);
}

/** Focus is on an element (not lost on <body>), and it shows. */
async function expectFocusKept(page: Page, what: string) {
  const focus = await focusIndicator(page);
  expect(focus.tag, `focus after ${what} fell back to <body>`).not.toBe("body");
  await expectVisibleFocus(page, `the element focused after ${what}`);
}

/** A vote as a browser without JavaScript sends it (the voter's own cookies). */
async function postVote(voter: Participant, positionId: string, choice: "agree" | "disagree" | "pass") {
  const response = await voter.page.request.post(positionPath(voter.slug, positionId), {
    form: { intent: "vote", positionId, choice, returnTo: positionPath(voter.slug, positionId) },
  });
  expect(response.status()).toBe(200);
}

test("the vote-next flow works with the keyboard only, with visible focus", async ({ browser }) => {
  test.setTimeout(120_000);
  const { fac, slug, slips } = await consultationOpenForPositions(browser, {
    facilitator: "Kay Keys",
    slugPrefix: "keys",
    title: "Keyboard",
    question: QUESTION,
    invitations: { [PEERS]: 1, [POLICE]: 1 },
  });
  const [peerSlip] = slips[PEERS]!;
  const [policeSlip] = slips[POLICE]!;
  const author = await joinWithLink(browser, policeSlip, slug);
  await openQuestion(author.page, slug, QUESTION);
  await postPosition(author.page, FIRST);
  await postPosition(author.page, SECOND);

  const voter = await joinWithLink(browser, peerSlip, slug);
  const page = voter.page;
  await visit(page, `/c/${slug}`);

  // From the consultation page to vote-next: Tab to the call to action, Enter.
  const cta = page.locator(`a[href="/c/${slug}/next"]`).first();
  await tabTo(page, cta, { max: 30 });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/c/${slug}/next$`));
  const card = page.locator("article.next-position");
  await expect(card).toContainText(FIRST);

  // Tab to Agree and press Enter: the next position comes, and focus goes to it (read out first).
  await tabTo(page, bigVote(page, "agree"));
  await page.keyboard.press("Enter");
  await expect(card).toContainText(SECOND);
  await expect(page.locator("progress")).toHaveAttribute("value", "1");
  await expectFocusKept(page, "voting on the first position");
  expect(await page.evaluate(() => !!document.activeElement?.closest("article.next-position, .next-position"))).toBe(true);

  // Shift+Tab back is possible too; then forward to Pass, and Space presses it.
  await tabTo(page, bigVote(page, "pass"));
  await page.keyboard.press("Shift+Tab");
  expect(await isFocused(bigVote(page, "disagree"))).toBe(true);
  await expectVisibleFocus(page, "Disagree after Shift+Tab");
  await page.keyboard.press("Tab");
  expect(await isFocused(bigVote(page, "pass"))).toBe(true);
  await page.keyboard.press("Space");
  await expect(page.locator("progress")).toHaveAttribute("value", "2");
  await expect(card).toHaveCount(0);
  // Done: focus is on the "voted on everything" message, not lost.
  await expectFocusKept(page, "voting on the last position");

  // The votes are saved.
  await visit(page, `/c/${slug}/next`);
  await expect(page.locator("article.next-position")).toHaveCount(0);
  await expect(page.locator("progress")).toHaveAttribute("value", "2");

  for (const who of [fac, author, voter]) await who.context.close();
});

test("a live session works with the keyboard only on both sides; tallies are announced politely, without flooding", async ({ browser }) => {
  test.setTimeout(240_000);
  const { fac, slug, slips } = await consultationOpenForPositions(browser, {
    facilitator: "Kit Console",
    slugPrefix: "livekeys",
    title: "Live keyboard",
    question: QUESTION,
    invitations: { [PEERS]: 3, [POLICE]: 3 },
  });
  const peerSlips = slips[PEERS]!;
  const policeSlips = slips[POLICE]!;

  const author = await joinWithLink(browser, policeSlips[0], slug);
  await openQuestion(author.page, slug, QUESTION);
  const firstId = await postPosition(author.page, FIRST);
  await postPosition(author.page, SECOND);
  const a = await joinWithLink(browser, peerSlips[0], slug, { pseudonym: "Keyboard Heron" });
  // Four more voters (plain form posts), so the tally shows numbers (at least 5 voters).
  const others: Participant[] = [];
  for (const slip of [peerSlips[1], peerSlips[2], policeSlips[1], policeSlips[2]]) others.push(await joinWithLink(browser, slip, slug));

  // ---- the facilitator opens a session and spotlights a position, keyboard only --------------------------
  const fp = fac.page;
  await visit(fp, `/facilitate/${slug}/live`);
  const open = fp.getByRole("button", { name: "Open a live session" });
  await tabTo(fp, open, { max: 60 });
  await fp.keyboard.press("Enter");
  await expect(fp.getByRole("button", { name: "Close the session" })).toBeVisible();
  await expectFocusKept(fp, "opening the session");

  const spotlightFirst = fp.locator("li.candidate").filter({ hasText: FIRST }).getByRole("button", { name: "Spotlight this position" });
  await tabTo(fp, spotlightFirst, { max: 60 });
  await fp.keyboard.press("Enter");
  await expect(fp.getByRole("region", { name: "In the spotlight" })).toContainText(FIRST);
  await expectFocusKept(fp, "spotlighting a position");

  // ---- the participant follows and votes, keyboard only ------------------------------------------------
  const ap = a.page;
  await visit(ap, `/c/${slug}`);
  const joinLive = ap.locator(`a[href="/c/${slug}/live"]`).first();
  await expect(joinLive).toBeVisible({ timeout: 10_000 });
  await tabTo(ap, joinLive, { max: 30 });
  await ap.keyboard.press("Enter");
  await expect(ap).toHaveURL(new RegExp(`/c/${slug}/live$`));
  await expect(ap.locator("article.live-spotlight")).toContainText(FIRST);
  await tabTo(ap, bigVote(ap, "agree"));
  await ap.keyboard.press("Space");
  await expect(bigVote(ap, "agree")).toHaveAttribute("aria-pressed", "true");
  // A vote sent in place keeps the focus on the button.
  expect(await isFocused(bigVote(ap, "agree"))).toBe(true);
  await expectVisibleFocus(ap, "Agree after voting");

  // ---- the live region: polite, atomic, one summary per burst --------------------------------------------
  const region = ap.locator("[data-live-announcement]");
  await expect(region).toHaveAttribute("aria-live", "polite");
  await expect(region).toHaveAttribute("aria-atomic", "true");
  await region.evaluate((el) => {
    const w = window as unknown as { __announcements: string[] };
    w.__announcements = [];
    new MutationObserver(() => w.__announcements.push(el.textContent ?? "")).observe(el, { childList: true, characterData: true, subtree: true });
  });
  // 20 votes arrive within a few seconds: four voters change their minds five times each.
  const choices = ["agree", "disagree", "pass", "disagree", "agree"] as const;
  for (const choice of choices) {
    await Promise.all(others.map((o) => postVote(o, firstId, choice)));
    await ap.waitForTimeout(150);
  }
  // Final: everyone agrees (a and the four others), so 5 agree.
  const tallyText = ap.locator("article.live-spotlight .tally-text");
  // The figures themselves are not a live region: only the one summary line is read.
  expect(await tallyText.evaluate((el) => !!el.closest("[aria-live]"))).toBe(false);
  await expect(tallyText).toHaveText(/^5 agree\s*·\s*0 disagree\s*·\s*0 pass$/, { timeout: 15_000 });
  await expect(region).toHaveText(/new votes on 1 position/, { timeout: 10_000 });
  await ap.waitForTimeout(2_000); // nothing more comes after the burst's summary
  const announcements = await ap.evaluate(() => (window as unknown as { __announcements: string[] }).__announcements);
  expect(announcements.length, `announcements during 20 votes: ${JSON.stringify(announcements)}`).toBeGreaterThanOrEqual(1);
  expect(announcements.length, `announcements during 20 votes: ${JSON.stringify(announcements)}`).toBeLessThanOrEqual(3);

  // ---- the next position: the participant's focus is not lost when the spotlight moves ----------------------
  const spotlightSecond = fp.locator("li.candidate").filter({ hasText: SECOND }).getByRole("button", { name: "Spotlight this position" });
  await tabTo(fp, spotlightSecond, { max: 60 });
  await fp.keyboard.press("Enter");
  await expect(fp.getByRole("region", { name: "In the spotlight" })).toContainText(SECOND);
  await expect(ap.locator("article.live-spotlight")).toContainText(SECOND, { timeout: 10_000 });
  await expectFocusKept(ap, "the spotlight moved");
  await tabTo(ap, bigVote(ap, "disagree"));
  await ap.keyboard.press("Enter");
  await expect(bigVote(ap, "disagree")).toHaveAttribute("aria-pressed", "true");

  // ---- the facilitator closes the session ---------------------------------------------------------------------
  const close = fp.getByRole("button", { name: "Close the session" });
  await tabTo(fp, close, { max: 60 });
  await fp.keyboard.press("Enter");
  await expect(fp.getByRole("button", { name: "Open a live session" })).toBeVisible();
  await expectFocusKept(fp, "closing the session");
  await expect(ap.locator("section.live-waiting")).toBeVisible({ timeout: 10_000 });
  await expect(ap.locator("article.live-spotlight")).toHaveCount(0);

  for (const who of [fac, author, a, ...others]) await who.context.close();
});
