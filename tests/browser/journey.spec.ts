/**
 * The whole journey in real Chromium, one browser context (cookie jar) per person: a facilitator sets up a
 * consultation, participants join with invitation links, post, vote, comment and flag, the facilitator
 * moderates, and tallies appear once enough people voted. Each test builds its own consultation.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import {
  addQuestion,
  consultationOpenForPositions,
  createConsultation,
  createInvitations,
  escapeRegExp,
  expectNoLeak,
  joinWithLink,
  movePhase,
  openQuestion,
  type Participant,
  positionCard,
  positionPath,
  postPosition,
  signUpFacilitator,
  uniqueSlug,
  visit,
  voteButton,
  waitForHydration,
} from "./helpers";

const PEERS = "Peers who use drugs";
const POLICE = "Police";
const QUESTION = "What should change in how police respond to overdoses?";

/** The position page's tally paragraph ("3 agree · 1 disagree · 1 pass") or its suppression notice. */
function tally(page: Page): Locator {
  return page.locator("#position").locator(".tally-text, .tally-suppressed");
}

/** One comment (list item) in the position page's thread, by a piece of its text. */
function commentItem(page: Page, text: string): Locator {
  return page.getByRole("region", { name: /^Comments \(\d+\)$/ }).locator("li.comment").filter({ hasText: text });
}

test("the whole journey: set-up, joining, positions, votes, comments, flags, moderation and tallies", async ({ browser }) => {
  test.setTimeout(240_000);

  // ---- 1. The facilitator signs up and sets the consultation up -------------------------------------
  const fac = await signUpFacilitator(browser, "Fran Facilitator");
  const slug = uniqueSlug("journey");
  const title = `Overdose response ${slug}`;
  await createConsultation(fac.page, { title, slug, groups: [PEERS, POLICE] });
  // Both declared groups are there, and only them.
  await visit(fac.page, `/facilitate/${slug}/groups`);
  await expect(fac.page.getByRole("heading", { level: 3 })).toHaveText([PEERS, POLICE]);

  await addQuestion(fac.page, slug, QUESTION);
  const [peerSlip] = await createInvitations(fac.page, slug, PEERS, 1);
  const [policeSlip] = await createInvitations(fac.page, slug, POLICE, 1);
  expect(peerSlip.code).not.toBe(policeSlip.code);
  // The codes are shown once: the list keeps only their last four characters.
  await visit(fac.page, `/facilitate/${slug}/invitations`);
  await expect(fac.page.getByRole("region", { name: /New invitation codes/ })).toHaveCount(0);
  await expect(fac.page.getByText(`…${peerSlip.code.replace(/-/g, "").slice(-4)}`)).toBeVisible();
  expect(await fac.page.content()).not.toContain(peerSlip.code);
  await movePhase(fac.page, slug, "Positions");

  // ---- 2. Two participants join ----------------------------------------------------------------------
  const a = await joinWithLink(browser, peerSlip, slug, { pseudonym: "Harbor Moth", passphrase: "blue kettle on the stove" });
  const b = await joinWithLink(browser, policeSlip, slug); // the app gives B a pseudonym
  expect(b.pseudonym).not.toBe(a.pseudonym);
  expect(a.recoveryCode).not.toBe(b.recoveryCode);

  /** Whatever a participant sees never holds the facilitator's email or another participant's recovery code. */
  const noLeak = async (who: Participant, others: Participant[]) =>
    expectNoLeak(who.page, { emails: [fac.email], codes: others.map((o) => o.recoveryCode) });
  await noLeak(a, [b]);
  await noLeak(b, [a]);

  // An invitation works once.
  {
    const again = await browser.newContext();
    const page = await again.newPage();
    await visit(page, peerSlip.link);
    await expect(page.getByRole("heading", { level: 1, name: "This invitation cannot be used" })).toBeVisible();
    await again.close();
  }

  // ---- 3. Positions (with a sanitized preview), votes, a comment and a flag ---------------------------
  const aText = "Officers should call **peer responders** first. <script>window.__pwned = 1</script> Naloxone in every car.";
  await openQuestion(a.page, slug, QUESTION);
  const aPosition = await postPosition(a.page, aText, {
    preview: async (preview) => {
      // Markdown is rendered, raw HTML is shown as text and never becomes an element.
      await expect(preview.locator("strong")).toHaveText("peer responders");
      await expect(preview).toContainText("<script>window.__pwned = 1</script>");
      await expect(preview.locator("script")).toHaveCount(0);
      await expect(preview).toContainText(/\d+ of \d+ characters\./);
    },
  });
  expect(await a.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(positionCard(a.page, "Naloxone in every car").locator("script")).toHaveCount(0);

  const bText = "Arrests at overdose scenes should stop: nobody calls for help if they fear arrest.";
  await openQuestion(b.page, slug, QUESTION);
  const bPosition = await postPosition(b.page, bText);

  // A votes agree on B's position, inline on the question page.
  await openQuestion(a.page, slug, QUESTION);
  const bCardForA = positionCard(a.page, "Arrests at overdose scenes");
  await expect(bCardForA.locator(".byline")).toContainText(`By ${b.pseudonym}`);
  await voteButton(bCardForA, "Agree").click();
  await expect(voteButton(bCardForA, "Agree")).toHaveAttribute("aria-pressed", "true");
  await expect(voteButton(bCardForA, "Disagree")).toHaveAttribute("aria-pressed", "false");
  // Nobody votes on their own position: no buttons on A's own card.
  await expect(positionCard(a.page, "Naloxone in every car").getByRole("group", { name: "Your vote on this position" })).toHaveCount(0);

  // B votes disagree on A's position, on its own page.
  await visit(b.page, positionPath(slug, aPosition));
  await expect(b.page.getByRole("heading", { level: 1, name: `Position by ${a.pseudonym}` })).toBeVisible();
  await voteButton(b.page, "Disagree").click();
  await expect(voteButton(b.page, "Disagree")).toHaveAttribute("aria-pressed", "true");
  await expect(voteButton(b.page, "Agree")).toHaveAttribute("aria-pressed", "false");

  // B comments on A's position, against it.
  const bComment = "Police cannot be peer responders, and this puts officers in a medical role.";
  const addComment = b.page.getByRole("region", { name: "Add a comment" });
  await addComment.getByRole("radio", { name: "Against" }).check();
  await addComment.getByLabel("Your comment").fill(bComment);
  await addComment.getByRole("button", { name: "Post comment" }).click();
  const bCommentForB = commentItem(b.page, bComment);
  await expect(bCommentForB).toBeVisible();
  await expect(bCommentForB.locator(".stance")).toHaveText("Against");
  await expect(bCommentForB.locator(".byline")).toContainText(`By ${b.pseudonym}`);
  await expect(b.page.getByRole("heading", { level: 2, name: "Comments (1)" })).toBeVisible();
  await expect(addComment.getByLabel("Your comment")).toHaveValue("");

  // A flags B's comment with a reason.
  const flagReason = "Off-topic and dismissive of peer workers";
  await visit(a.page, positionPath(slug, aPosition));
  await expect(a.page.getByRole("heading", { level: 2, name: "Comments (1)" })).toBeVisible();
  const bCommentForA = commentItem(a.page, bComment);
  await bCommentForA.getByText("Flag", { exact: true }).click();
  await bCommentForA.getByLabel("What is wrong with this comment?").fill(flagReason);
  await bCommentForA.getByRole("button", { name: "Send to the moderators" }).click();
  await expect(bCommentForA.getByRole("status")).toContainText("The moderators will look at it");

  // ---- 4. The facilitator hides the flagged comment ---------------------------------------------------
  await visit(fac.page, `/facilitate/${slug}/moderation`);
  const queue = fac.page.getByRole("region", { name: "Flagged (1)" });
  const item = queue.getByRole("listitem").filter({ has: fac.page.getByRole("button", { name: "Hide" }) });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(bComment);
  await expect(item).toContainText(`Comment by ${b.pseudonym}`);
  await expect(item).toContainText(flagReason);
  const hideReason = "Disrespectful toward peer workers";
  await item.getByLabel("Reason for hiding").fill(hideReason);
  await item.getByRole("button", { name: "Hide", exact: true }).click();
  await expect(fac.page.getByRole("region", { name: "Flagged (0)" })).toBeVisible();
  const hiddenNow = fac.page.getByRole("region", { name: "Hidden now (1)" });
  await expect(hiddenNow).toContainText(`Hidden by moderator: ${hideReason}`);

  for (const who of [a, b]) {
    await visit(who.page, positionPath(slug, aPosition));
    const placeholder = who.page.getByRole("region", { name: /^Comments \(\d+\)$/ }).locator("li.comment");
    await expect(placeholder).toHaveCount(1);
    await expect(placeholder).toContainText(new RegExp(`hidden by moderator: ${escapeRegExp(hideReason)}`, "i"));
    // The hidden text itself is gone from what participants receive (markup and data alike).
    await expect(placeholder).not.toContainText(bComment);
    expect(await who.page.content()).not.toContain("puts officers in a medical role");
  }

  // ---- 5. Results ---------------------------------------------------------------------------------------
  // One voter on each position: the tally is suppressed; each sees their own vote marked.
  await visit(a.page, positionPath(slug, bPosition));
  await expect(a.page.getByRole("heading", { level: 1, name: `Position by ${b.pseudonym}` })).toBeVisible();
  await expect(a.page.locator("#position .byline")).toContainText(`By ${b.pseudonym} (${POLICE})`);
  await expect(tally(a.page)).toHaveText(/fewer than 5/i);
  await expect(voteButton(a.page, "Agree")).toHaveAttribute("aria-pressed", "true");
  await expect(a.page.getByRole("heading", { level: 2, name: "Comments (0)" })).toBeVisible();
  await noLeak(a, [b]);

  await visit(b.page, positionPath(slug, aPosition));
  await expect(b.page.getByRole("heading", { level: 1, name: `Position by ${a.pseudonym}` })).toBeVisible();
  await expect(b.page.locator("#position .byline")).toContainText(`By ${a.pseudonym} (${PEERS})`);
  await expect(tally(b.page)).toHaveText(/fewer than 5/i);
  await expect(voteButton(b.page, "Disagree")).toHaveAttribute("aria-pressed", "true");
  // The only comment is hidden: the count shows visible comments.
  await expect(b.page.getByRole("heading", { level: 2, name: "Comments (0)" })).toBeVisible();
  await noLeak(b, [a]);

  // A's own position: marked as theirs, no vote buttons, suppressed tally.
  await visit(a.page, positionPath(slug, aPosition));
  await expect(a.page.locator("#position .byline")).toContainText(`By ${a.pseudonym} (${PEERS})`);
  await expect(a.page.locator("#position .badge-mine")).toHaveText("yours");
  await expect(a.page.getByRole("group", { name: "Your vote on this position" })).toHaveCount(0);
  await expect(tally(a.page)).toHaveText(/fewer than 5/i);

  // The consultation page lists both positions with their authors, comment counts and A's own vote.
  await visit(a.page, `/c/${slug}`);
  await expect(positionCard(a.page, "Naloxone in every car")).toContainText(`By ${a.pseudonym} (${PEERS})`);
  await expect(positionCard(a.page, "Arrests at overdose scenes")).toContainText(`By ${b.pseudonym} (${POLICE})`);
  await expect(positionCard(a.page, "Arrests at overdose scenes")).toContainText("Your vote: Agree");
  await expect(positionCard(a.page, "Arrests at overdose scenes").getByRole("link", { name: /Open · no comments yet/ })).toBeVisible();
  // Both tallies (the live status line may say "Fewer than 5 people here now" too: not counted here).
  await expect(a.page.locator("ul.positions").getByText(/fewer than 5/i)).toHaveCount(2);
  await noLeak(a, [b]);
  await visit(b.page, `/c/${slug}`);
  await expect(positionCard(b.page, "Naloxone in every car")).toContainText("Your vote: Disagree");
  await noLeak(b, [a]);

  // Four more people join (police group) and vote on A's position: 3 agree, 1 pass.
  const more = await createInvitations(fac.page, slug, POLICE, 4);
  expect(new Set(more.map((s) => s.code)).size).toBe(4);
  const voters: Participant[] = [];
  for (const slip of more) voters.push(await joinWithLink(browser, slip, slug));
  const everyone = [a, b, ...voters];

  // Voter 1 through the vote-next flow: the least-voted, oldest position comes first (A's).
  {
    const page = voters[0].page;
    await visit(page, `/c/${slug}/next`);
    await expect(page.getByRole("heading", { level: 1, name: "Vote next" })).toBeVisible();
    await expect(page.getByText(/You have voted on 0 of 2 positions/)).toBeVisible();
    const next = page.locator("article.next-position");
    await expect(next).toContainText("Naloxone in every car");
    await next.getByRole("group", { name: "Do you agree with this position?" }).getByRole("button", { name: "Agree", exact: true }).click();
    await expect(page.getByText(/You have voted on 1 of 2 positions/)).toBeVisible();
    await expect(page.locator("article.next-position")).toContainText("Arrests at overdose scenes");
  }
  // Voter 2 on the position page.
  {
    const page = voters[1].page;
    await visit(page, positionPath(slug, aPosition));
    await voteButton(page, "Agree").click();
    await expect(voteButton(page, "Agree")).toHaveAttribute("aria-pressed", "true");
  }
  // Voters 3 and 4 as plain form posts (what a browser without JavaScript sends), with their own cookies.
  for (const [voter, choice] of [
    [voters[2], "agree"],
    [voters[3], "pass"],
  ] as const) {
    const response = await voter.page.request.post(positionPath(slug, aPosition), {
      form: { intent: "vote", positionId: aPosition, choice, returnTo: positionPath(slug, aPosition) },
    });
    expect(response.status()).toBe(200);
    expect(new URL(response.url()).pathname).toBe(positionPath(slug, aPosition));
    await visit(voter.page, positionPath(slug, aPosition));
    await expect(voteButton(voter.page, choice === "agree" ? "Agree" : "Pass")).toHaveAttribute("aria-pressed", "true");
  }

  // Five voters now: the tally shows, with exactly these numbers, to everyone.
  for (const who of [a, b, voters[3]]) {
    await visit(who.page, positionPath(slug, aPosition));
    const t = tally(who.page);
    await expect(t).toHaveText(/^3 agree\s*·\s*1 disagree\s*·\s*1 pass$/);
    await expect(t.locator(".tally-agree")).toHaveText("3 agree");
    await expect(t.locator(".tally-disagree")).toHaveText("1 disagree");
    await expect(t.locator(".tally-pass")).toHaveText("1 pass");
  }
  // ...and the facilitator's participant view agrees.
  await visit(fac.page, positionPath(slug, aPosition));
  await expect(tally(fac.page)).toHaveText(/^3 agree\s*·\s*1 disagree\s*·\s*1 pass$/);
  // B's position still has one voter: still suppressed.
  await visit(b.page, positionPath(slug, bPosition));
  await expect(tally(b.page)).toHaveText(/fewer than 5/i);

  // Nobody's pages hold the facilitator's email or anyone else's recovery code.
  for (const who of everyone) {
    for (const path of [`/c/${slug}`, positionPath(slug, aPosition), positionPath(slug, bPosition), `/c/${slug}/next`]) {
      await visit(who.page, path);
      await noLeak(
        who,
        everyone.filter((o) => o !== who),
      );
    }
  }

  for (const who of [fac, ...everyone]) await who.context.close();
});

test("without JavaScript a participant can join, post (with preview), vote and comment", async ({ browser }) => {
  test.setTimeout(120_000);
  const { fac, slug, slips } = await consultationOpenForPositions(browser, {
    facilitator: "Nora Nojs",
    slugPrefix: "nojs",
    title: "No script",
    question: QUESTION,
    invitations: { [PEERS]: 1, [POLICE]: 1 },
  });
  const [peerSlip] = slips[PEERS]!;
  const [policeSlip] = slips[POLICE]!;

  // Someone with JavaScript posts first, so there is a position to vote and comment on.
  const other = await joinWithLink(browser, policeSlip, slug);
  await openQuestion(other.page, slug, QUESTION);
  const otherText = "Drug checking should be offered at every festival, without police at the tent.";
  const otherPosition = await postPosition(other.page, otherText);

  // The participant without JavaScript.
  const n = await joinWithLink(browser, peerSlip, slug, { pseudonym: "Quiet Lantern", javaScriptEnabled: false });
  await expectNoLeak(n.page, { emails: [fac.email], codes: [other.recoveryCode] });

  // Post a position: Preview is a plain form post, and renders sanitized Markdown.
  await openQuestion(n.page, slug, QUESTION);
  const nText = "Peer-run *drop-in* spaces need funding. <img src=x onerror=alert(1)> Open at night.";
  const nPosition = await postPosition(n.page, nText, {
    preview: async (preview) => {
      await expect(preview.locator("em")).toHaveText("drop-in");
      await expect(preview.locator("img")).toHaveCount(0);
      await expect(preview).toContainText("<img src=x onerror=alert(1)>");
    },
  });
  await expect(positionCard(n.page, "Open at night")).toContainText(`By Quiet Lantern (${PEERS})`);

  // Vote agree on the other position, inline on the question page: the post comes back to the page.
  const card = positionCard(n.page, "Drug checking should be offered");
  await voteButton(card, "Agree").click();
  await expect(n.page).toHaveURL(new RegExp(`#p-${otherPosition}$`));
  await expect(voteButton(positionCard(n.page, "Drug checking should be offered"), "Agree")).toHaveAttribute("aria-pressed", "true");
  // Change it on the position page.
  await visit(n.page, positionPath(slug, otherPosition));
  await voteButton(n.page, "Pass").click();
  await expect(n.page).toHaveURL(new RegExp(`${escapeRegExp(positionPath(slug, otherPosition))}#p-${otherPosition}$`));
  await expect(voteButton(n.page, "Pass")).toHaveAttribute("aria-pressed", "true");
  await expect(voteButton(n.page, "Agree")).toHaveAttribute("aria-pressed", "false");
  await expect(tally(n.page)).toHaveText(/fewer than 5/i);

  // Comment, for the position.
  const nComment = "Yes, and peers should staff the tent.";
  const addComment = n.page.getByRole("region", { name: "Add a comment" });
  await addComment.getByRole("radio", { name: "For" }).check();
  await addComment.getByLabel("Your comment").fill(nComment);
  await addComment.getByRole("button", { name: "Post comment" }).click();
  const comment = commentItem(n.page, nComment);
  await expect(comment).toBeVisible();
  await expect(comment.locator(".stance")).toHaveText("For");
  await expect(comment.locator(".byline")).toContainText(`By Quiet Lantern`);
  await expect(n.page.getByRole("heading", { level: 2, name: "Comments (1)" })).toBeVisible();

  // Vote-next without JavaScript: nothing left (own position excluded, the other one voted).
  await visit(n.page, `/c/${slug}/next`);
  await expect(n.page.getByRole("heading", { name: /You have voted on everything/ })).toBeVisible();

  // The author (with JavaScript) sees the comment and the no-JS participant's position.
  await visit(other.page, positionPath(slug, otherPosition));
  await expect(commentItem(other.page, nComment)).toContainText("By Quiet Lantern");
  await visit(other.page, positionPath(slug, nPosition));
  await expect(other.page.getByRole("heading", { level: 1, name: "Position by Quiet Lantern" })).toBeVisible();

  for (const path of [`/c/${slug}`, positionPath(slug, otherPosition), positionPath(slug, nPosition)]) {
    await visit(n.page, path);
    await expectNoLeak(n.page, { emails: [fac.email], codes: [other.recoveryCode] });
  }
  for (const who of [fac, other, n]) await who.context.close();
});

test("with JavaScript, voting does not reload the page", async ({ browser }) => {
  test.setTimeout(120_000);
  const { fac, slug, slips } = await consultationOpenForPositions(browser, {
    facilitator: "Rae Reload",
    slugPrefix: "noreload",
    title: "No reload",
    question: QUESTION,
    invitations: { [PEERS]: 1, [POLICE]: 1 },
  });
  const [peerSlip] = slips[PEERS]!;
  const [policeSlip] = slips[POLICE]!;

  const author = await joinWithLink(browser, policeSlip, slug);
  await openQuestion(author.page, slug, QUESTION);
  const positionId = await postPosition(author.page, "Stop confiscating naloxone kits during searches.");

  const voter = await joinWithLink(browser, peerSlip, slug);
  const page = voter.page;
  let documentLoads = 0;
  page.on("request", (request) => {
    if (request.resourceType() === "document") documentLoads += 1;
  });

  /** Votes and checks that the vote registered while the page (and its marker) stayed. */
  async function voteWithoutReload(scope: Page | Locator, choice: "Agree" | "Disagree" | "Pass") {
    await waitForHydration(page);
    await page.evaluate(() => {
      (window as unknown as { __marker?: number }).__marker = 1;
    });
    const before = documentLoads;
    const voteSaved = page.waitForResponse((r) => r.request().method() === "POST" && r.status() === 200);
    await voteButton(scope, choice).click();
    await voteSaved;
    await expect(voteButton(scope, choice)).toHaveAttribute("aria-pressed", "true");
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
    expect(documentLoads).toBe(before);
  }

  // Inline on the question page.
  await openQuestion(page, slug, QUESTION);
  const card = positionCard(page, "Stop confiscating naloxone kits");
  await voteWithoutReload(card, "Agree");
  await expect(voteButton(card, "Disagree")).toHaveAttribute("aria-pressed", "false");

  // On the position page, changing the vote.
  await visit(page, positionPath(slug, positionId));
  await voteWithoutReload(page, "Disagree");
  await expect(voteButton(page, "Agree")).toHaveAttribute("aria-pressed", "false");

  // The vote really is saved: a fresh load shows it.
  await page.reload();
  await expect(voteButton(page, "Disagree")).toHaveAttribute("aria-pressed", "true");
  expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBeUndefined();

  for (const who of [fac, author, voter]) await who.context.close();
});
