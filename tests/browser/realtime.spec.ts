/**
 * Live updates in real Chromium: two participants of different groups, each in their own browser context,
 * on one consultation. What one does appears on the other's open page without a reload (a window marker
 * set before survives, and no document request is made); the header says the connection is live; after
 * the connection drops (the context goes offline), what happened meanwhile appears once it is back.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import {
  consultationOpenForPositions,
  joinWithLink,
  openQuestion,
  type Participant,
  positionCard,
  positionPath,
  postPosition,
  visit,
  voteButton,
} from "./helpers";

const PEERS = "Peers who use drugs";
const POLICE = "Police";
const QUESTION = "How should police respond at overdose scenes?";

type Marked = Window & { __liveMarker?: string };

/** The position page's tally paragraph, or its suppression notice. */
function tally(page: Page): Locator {
  return page.locator("#position").locator(".tally-text, .tally-suppressed");
}

/** The live status line in the page header. */
function liveStatus(page: Page): Locator {
  return page.getByRole("region", { name: "Live updates" });
}

/**
 * Sets a marker on the page's window and counts document loads from now on: `unchanged()` asserts that
 * the marker is still there (same document, no reload) and no document was requested.
 */
async function watchForReloads(page: Page) {
  const marker = `m-${Math.random().toString(36).slice(2)}`;
  await page.evaluate((value) => {
    (window as Marked).__liveMarker = value;
  }, marker);
  let documents = 0;
  page.on("request", (request) => {
    if (request.resourceType() === "document") documents += 1;
  });
  return {
    async unchanged() {
      expect(await page.evaluate(() => (window as Marked).__liveMarker)).toBe(marker);
      expect(documents, "document requests (reloads) since the marker was set").toBe(0);
    },
  };
}

/** A vote as a browser without JavaScript sends it (the voter's own cookies). */
async function postVote(voter: Participant, positionId: string, choice: "agree" | "disagree" | "pass") {
  const response = await voter.page.request.post(positionPath(voter.slug, positionId), {
    form: { intent: "vote", positionId, choice, returnTo: positionPath(voter.slug, positionId) },
  });
  expect(response.status()).toBe(200);
}

test("votes, comments and positions appear live on another participant's page, also after a lost connection", async ({ browser }) => {
  test.setTimeout(240_000);

  // ---- set-up: a consultation, two groups, an author and five voters ------------------------------------
  const { fac, slug, slips } = await consultationOpenForPositions(browser, {
    facilitator: "Lee Live",
    slugPrefix: "live",
    title: "Live room",
    question: QUESTION,
    invitations: { [PEERS]: 2, [POLICE]: 4 },
  });
  const peerSlips = slips[PEERS]!;
  const policeSlips = slips[POLICE]!;

  const author = await joinWithLink(browser, policeSlips[0], slug);
  await openQuestion(author.page, slug, QUESTION);
  const positionId = await postPosition(author.page, "Officers should wait outside while peers give naloxone.");

  // A (peers) watches; B (police) acts. Three more voters vote as plain form posts; one has no JavaScript.
  const a = await joinWithLink(browser, peerSlips[0], slug, { pseudonym: "Watching Heron" });
  const b = await joinWithLink(browser, policeSlips[1], slug, { pseudonym: "Acting Otter" });
  const others = [
    await joinWithLink(browser, peerSlips[1], slug),
    await joinWithLink(browser, policeSlips[2], slug),
    await joinWithLink(browser, policeSlips[3], slug, { javaScriptEnabled: false }),
  ];
  await postVote(others[0], positionId, "agree");
  await postVote(others[1], positionId, "agree");
  await postVote(others[2], positionId, "pass");

  // Without JavaScript there is no live status at all (the page is the same page with its forms).
  await visit(others[2].page, positionPath(slug, positionId));
  await expect(tally(others[2].page)).toHaveText(/fewer than 5/i);
  await expect(liveStatus(others[2].page)).toHaveCount(0);

  // ---- A opens the position; the header says live updates are connected ------------------------------------
  const sockets: string[] = [];
  a.page.on("websocket", (ws) => sockets.push(ws.url()));
  await visit(a.page, positionPath(slug, positionId));
  await expect(liveStatus(a.page)).toContainText("Live updates: connected");
  await expect(liveStatus(a.page)).toContainText(/(Fewer than \d+ people|\d+ people?) here now/);
  await expect(tally(a.page)).toHaveText(/fewer than 5/i);
  // The socket is a WebSocket to this origin's /socket.io (long-polling is only the fallback).
  expect(sockets.some((url) => new URL(url).pathname === "/socket.io/" && url.includes("transport=websocket"))).toBe(true);
  // A votes too (the fourth voter): still fewer than five.
  await voteButton(a.page, "Agree").click();
  await expect(voteButton(a.page, "Agree")).toHaveAttribute("aria-pressed", "true");
  await expect(tally(a.page)).toHaveText(/fewer than 5/i);
  const aPage = await watchForReloads(a.page);

  // ---- B votes on the question page: the fifth voter. A's tally turns into numbers without a reload ------------
  await openQuestion(b.page, slug, QUESTION);
  await expect(liveStatus(b.page)).toContainText("Live updates: connected");
  const card = positionCard(b.page, "Officers should wait outside");
  await voteButton(card, "Disagree").click();
  await expect(voteButton(card, "Disagree")).toHaveAttribute("aria-pressed", "true");

  await expect(tally(a.page)).toHaveText(/^3 agree\s*·\s*1 disagree\s*·\s*1 pass$/, { timeout: 10_000 });
  await expect(voteButton(a.page, "Agree")).toHaveAttribute("aria-pressed", "true");
  await aPage.unchanged();
  // ...and B's own card shows the same numbers (its own vote reloaded B's data, or the push did).
  await expect(card.locator(".tally-text")).toHaveText(/^3 agree\s*·\s*1 disagree\s*·\s*1 pass$/);
  // The change was announced politely, in one line.
  await expect(a.page.locator("[data-live-announcement]")).toHaveText(/new votes on 1 position/, { timeout: 10_000 });

  // ---- A loses the connection; meanwhile B comments and a vote changes ---------------------------------------
  await a.context.setOffline(true);
  await expect(liveStatus(a.page)).toContainText("Live updates: offline");
  await expect(liveStatus(a.page)).toContainText("The page still works through its buttons and forms");

  await visit(b.page, positionPath(slug, positionId));
  const comment = "Peers know the people there: officers at the door scare everyone away.";
  const addComment = b.page.getByRole("region", { name: "Add a comment" });
  await addComment.getByLabel("Your comment").fill(comment);
  await addComment.getByRole("button", { name: "Post comment" }).click();
  await expect(b.page.getByRole("heading", { level: 2, name: "Comments (1)" })).toBeVisible();
  await postVote(others[2], positionId, "disagree"); // pass -> disagree: 3 agree, 2 disagree, 0 pass
  await expect(tally(b.page)).toHaveText(/^3 agree\s*·\s*2 disagree\s*·\s*0 pass$/, { timeout: 10_000 });

  // Still offline, A has not seen any of it.
  await a.page.waitForTimeout(1000);
  await expect(a.page.getByRole("heading", { level: 2, name: "Comments (0)" })).toBeVisible();
  await expect(tally(a.page)).toHaveText(/^3 agree\s*·\s*1 disagree\s*·\s*1 pass$/);

  // ---- back online: A catches up with everything missed, still without a reload ----------------------------
  await a.context.setOffline(false);
  await expect(liveStatus(a.page)).toContainText("Live updates: connected", { timeout: 20_000 });
  await expect(a.page.getByRole("heading", { level: 2, name: "Comments (1)" })).toBeVisible({ timeout: 10_000 });
  await expect(a.page.locator("li.comment").filter({ hasText: comment })).toContainText("By Acting Otter");
  await expect(tally(a.page)).toHaveText(/^3 agree\s*·\s*2 disagree\s*·\s*0 pass$/, { timeout: 10_000 });
  await aPage.unchanged();

  // ---- a new position appears on A's question page as B posts it ----------------------------------------------
  await a.page.getByRole("link", { name: QUESTION }).first().click();
  await expect(a.page.getByRole("heading", { level: 1, name: QUESTION })).toBeVisible();
  await expect(liveStatus(a.page)).toContainText("Live updates: connected");
  await openQuestion(b.page, slug, QUESTION);
  await postPosition(b.page, "Call-outs should go to peer teams first, police only if asked.");
  await expect(positionCard(a.page, "Call-outs should go to peer teams first")).toContainText("By Acting Otter", { timeout: 10_000 });
  await aPage.unchanged();

  for (const who of [fac, author, a, b, ...others]) await who.context.close();
});
