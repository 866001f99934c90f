/**
 * A facilitated live session in real Chromium: the facilitator opens a session that holds comments,
 * spotlights positions one at a time, approves a held comment and closes the session with its timeline.
 * A participant with JavaScript follows the spotlight without a reload; one without JavaScript follows
 * through the page's own 5-second refresh, and votes with plain form posts.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import {
  consultationOpenForPositions,
  joinWithLink,
  openQuestion,
  positionPath,
  postPosition,
  visit,
} from "./helpers";

const PEERS = "Peers who use drugs";
const POLICE = "Police";
const QUESTION = "Where should drug checking be offered?";
const FIRST = "Drug checking at every festival, run by peers.";
const SECOND = "Pharmacies should hand out fentanyl test strips.";

type Marked = Window & { __liveMarker?: string };

/** The big vote buttons of the live page. */
function liveVote(page: Page, choice: "Agree" | "Disagree"): Locator {
  return page.getByRole("group", { name: "Do you agree with this position?" }).getByRole("button", { name: choice, exact: true });
}

function spotlightCard(page: Page): Locator {
  return page.locator("article.live-spotlight");
}

test("a facilitator runs a live session: screens follow the spotlight, comments wait for approval, the timeline stays", async ({ browser }) => {
  test.setTimeout(240_000);

  // ---- set-up: a consultation open for positions, two positions, three participants -----------------------
  const { fac, slug, slips } = await consultationOpenForPositions(browser, {
    facilitator: "Lou Live",
    slugPrefix: "session",
    title: "Live meeting",
    question: QUESTION,
    invitations: { [PEERS]: 2, [POLICE]: 1 },
  });
  const peerSlips = slips[PEERS]!;
  const policeSlips = slips[POLICE]!;

  const author = await joinWithLink(browser, policeSlips[0], slug);
  await openQuestion(author.page, slug, QUESTION);
  const firstId = await postPosition(author.page, FIRST);
  await postPosition(author.page, SECOND);

  const a = await joinWithLink(browser, peerSlips[0], slug, { pseudonym: "Following Heron" });
  const n = await joinWithLink(browser, peerSlips[1], slug, { pseudonym: "Plain Otter", javaScriptEnabled: false });

  // ---- no session yet: the consultation page has no live link ---------------------------------------------
  await visit(a.page, `/c/${slug}`);
  await expect(a.page.getByRole("region", { name: "Live updates" })).toContainText("connected");
  const join = a.page.getByRole("link", { name: "Join the live session" });
  await expect(join).toHaveCount(0);

  // ---- the facilitator opens a session (holding comments is ticked by default) ------------------------------
  await visit(fac.page, `/facilitate/${slug}`);
  await fac.page.getByRole("navigation", { name: "Consultation" }).getByRole("link", { name: "Live session" }).click();
  await expect(fac.page.getByRole("heading", { level: 3, name: "No live session is open" })).toBeVisible();
  await expect(fac.page.getByLabel("Hold new comments for my approval during the session")).toBeChecked();
  await fac.page.getByRole("button", { name: "Open a live session" }).click();
  await expect(fac.page.getByRole("status")).toContainText("The live session is open. New comments wait for your approval.");

  // The participant's open consultation page shows the way in, without a reload.
  await expect(join).toBeVisible({ timeout: 10_000 });
  await join.click();
  await expect(a.page.getByRole("heading", { level: 1, name: "Live session" })).toBeVisible();
  await expect(a.page.getByRole("heading", { name: "Waiting for the facilitator" })).toBeVisible();
  await a.page.evaluate(() => {
    (window as Marked).__liveMarker = "same document";
  });

  // Without JavaScript the page refreshes itself every 5 seconds.
  await visit(n.page, `/c/${slug}/live`);
  await expect(n.page.getByRole("heading", { name: "Waiting for the facilitator" })).toBeVisible();
  await expect(n.page.locator('meta[http-equiv="refresh"]')).toHaveAttribute("content", "5");

  // ---- the facilitator spotlights the first position --------------------------------------------------------
  const candidate = (text: string) => fac.page.locator("li.candidate").filter({ hasText: text });
  await candidate(FIRST).getByRole("button", { name: "Spotlight this position" }).click();
  await expect(fac.page.getByRole("region", { name: "In the spotlight" })).toContainText(FIRST);

  // With JavaScript: the page follows at once, same document.
  await expect(spotlightCard(a.page)).toContainText(FIRST, { timeout: 10_000 });
  expect(await a.page.evaluate(() => (window as Marked).__liveMarker)).toBe("same document");
  const groups = spotlightCard(a.page).getByRole("table", { name: "Votes by stakeholder group" });
  await expect(groups.getByRole("row", { name: new RegExp(PEERS) })).toContainText("Fewer than 5 votes: not shown");
  await expect(groups.getByRole("row", { name: new RegExp(POLICE) })).toContainText("Fewer than 5 votes: not shown");
  // Without JavaScript: within a refresh or two.
  await expect(spotlightCard(n.page)).toContainText(FIRST, { timeout: 15_000 });

  // ---- both vote: with a fetcher (no reload), and with a plain form post ---------------------------------
  await liveVote(a.page, "Agree").click();
  await expect(liveVote(a.page, "Agree")).toHaveAttribute("aria-pressed", "true");
  expect(await a.page.evaluate(() => (window as Marked).__liveMarker)).toBe("same document");
  await liveVote(n.page, "Disagree").click();
  await expect(n.page).toHaveURL(new RegExp(`/c/${slug}/live#p-${firstId}$`));
  await expect(liveVote(n.page, "Disagree")).toHaveAttribute("aria-pressed", "true");
  // Two voters: nothing about them is shown.
  await expect(spotlightCard(n.page).locator(".tally-suppressed")).toHaveText(/Fewer than 5 votes so far/);

  // ---- a comment during the session waits for the facilitator --------------------------------------------
  await a.page.getByRole("link", { name: "Read the comments on this position" }).click();
  await expect(a.page).toHaveURL(new RegExp(`${positionPath(slug, firstId)}$`));
  const comment = "Festival teams need a quiet tent for results.";
  const add = a.page.getByRole("region", { name: "Add a comment" });
  await add.getByLabel("Your comment").fill(comment);
  await add.getByRole("button", { name: "Post comment" }).click();
  const mine = a.page.locator("li.comment").filter({ hasText: comment });
  await expect(mine).toContainText("Waiting for a moderator: only you and the facilitators see this comment");
  await expect(a.page.getByRole("heading", { level: 2, name: "Comments (0)" })).toBeVisible();
  // Others do not see it.
  await visit(n.page, positionPath(slug, firstId));
  await expect(n.page.getByText(comment)).toHaveCount(0);

  // The facilitator's queue shows it (live), and approving publishes it.
  const queue = fac.page.getByRole("region", { name: /Comments waiting for approval/ });
  await expect(queue.locator("li").filter({ hasText: comment })).toContainText("Following Heron", { timeout: 10_000 });
  await queue.getByRole("button", { name: "Approve the comment by Following Heron" }).click();
  await expect(fac.page.getByRole("status")).toContainText("The comment is approved: everyone sees it now.");
  await expect(mine).not.toContainText("Waiting for a moderator", { timeout: 10_000 });
  await expect(a.page.getByRole("heading", { level: 2, name: "Comments (1)" })).toBeVisible();
  await visit(n.page, positionPath(slug, firstId));
  await expect(n.page.locator("li.comment").filter({ hasText: comment })).toContainText("By Following Heron");

  // ---- the next position, then the end of the session ----------------------------------------------------
  await visit(a.page, `/c/${slug}/live`);
  await candidate(SECOND).getByRole("button", { name: "Spotlight this position" }).click();
  await expect(spotlightCard(a.page)).toContainText(SECOND, { timeout: 10_000 });
  await fac.page.getByRole("button", { name: "Close the session" }).click();
  await expect(fac.page.getByRole("status")).toContainText("The live session is closed.");
  await expect(a.page.getByRole("heading", { name: "There is no live session now" })).toBeVisible({ timeout: 10_000 });

  const timeline = fac.page.getByRole("region", { name: "Timeline of the session" });
  const entries = timeline.locator("ol.timeline > li");
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText(FIRST);
  await expect(entries.nth(1)).toContainText(SECOND);

  for (const who of [fac, author, a, n]) await who.context.close();
});
