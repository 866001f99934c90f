import { getDb } from "../../consultations/db/client";
import { editComment, listComments, postComment, withdrawComment } from "../../consultations/comments";
import { dismissFlags, flagContent, hideContent, moderationQueue, openFlagCount, restoreContent } from "../../consultations/moderation";
import { suspendParticipant, reinstateParticipant } from "../../consultations/participants";
import { getPosition, withdrawPosition } from "../../consultations/positions";
import { castVote } from "../../consultations/votes";
import { revokeInvitation } from "../../consultations/invitations";
import { movePhase } from "../../consultations/consultations";
import { eventsSince } from "../../consultations/events";
import {
  createConsultation,
  createFacilitator,
  domainError,
  eventsOf,
  invite,
  joinMany,
  joinParticipant,
  moveToPhase,
  submit,
} from "../factories";

async function setup() {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const author = await joinParticipant(fac, c, "Peers who use drugs");
  const [a, b, d] = await joinMany(fac, c, "Police", 3);
  const position = await submit(author, c, "Drug checking at every festival, peer-led.");
  return { fac, c, author, a, b, d, position };
}

describe("comments", () => {
  it("post with a stance; replies nest one level", async () => {
    const db = await getDb();
    const { c, author, a, b, position } = await setup();
    const top = await postComment(db, a.viewer, c.key, position.id, { body: "Who pays for it?", stance: "against" });
    const reply = await postComment(db, author.viewer, c.key, position.id, { body: "The health budget.", stance: "for", parentId: top.id });
    // a reply to the reply is attached to the top-level comment
    const nested = await postComment(db, b.viewer, c.key, position.id, { body: "Agreed with that.", parentId: reply.id });
    expect((await db.comment.findUniqueOrThrow({ where: { id: nested.id } })).parentId).toBe(top.id);

    const thread = await listComments(db, a.viewer, c.key, position.id);
    expect(thread).toHaveLength(1);
    expect(thread[0]).toMatchObject({ id: top.id, stance: "against", parentId: null, isMine: true, canEdit: true, bodyHtml: "<p>Who pays for it?</p>\n" });
    expect(thread[0].replies.map((r) => [r.id, r.stance, r.parentId])).toEqual([
      [reply.id, "for", top.id],
      [nested.id, "neutral", top.id], // stance defaults to neutral
    ]);
    expect(thread[0].replies.every((r) => r.replies.length === 0)).toBe(true);
    expect(thread[0].replies[0].author).toEqual({ pseudonym: author.pseudonym, groupName: "Peers who use drugs" });
    expect(JSON.stringify(thread)).not.toContain(author.me.id);

    const events = (await eventsOf(c.id)).filter((e) => e.type === "comment.posted");
    expect(events.map((e) => e.data)).toEqual([
      { positionId: position.id, commentId: top.id, pseudonym: a.pseudonym, stance: "against", language: "en" },
      { positionId: position.id, commentId: reply.id, pseudonym: author.pseudonym, stance: "for", language: "en" },
      { positionId: position.id, commentId: nested.id, pseudonym: b.pseudonym, stance: "neutral", language: "en" },
    ]);
  });

  it("a reply to a comment of another position is refused", async () => {
    const db = await getDb();
    const { c, author, a, position } = await setup();
    const other = await submit(author, c, "Another position entirely, elsewhere.");
    const top = await postComment(db, a.viewer, c.key, other.id, { body: "On the other one." });
    expect(await domainError(postComment(db, a.viewer, c.key, position.id, { body: "Sneaky reply", parentId: top.id }))).toMatchObject({
      kind: "not_found",
      message: "The comment you reply to was not found.",
    });
  });

  it("bad stance, empty body, closed phase, facilitators and withdrawn positions are refused", async () => {
    const db = await getDb();
    const { fac, c, author, a, position } = await setup();
    expect((await domainError(postComment(db, a.viewer, c.key, position.id, { body: "Fine text", stance: "angry" }))).kind).toBe("invalid");
    expect((await domainError(postComment(db, a.viewer, c.key, position.id, { body: " " }))).fieldErrors.body).toBeDefined();
    expect((await domainError(postComment(db, fac.viewer, c.key, position.id, { body: "Facilitator note" }))).kind).toBe("forbidden");
    const gone = await submit(author, c, "This one will be withdrawn soon.");
    await withdrawPosition(db, author.viewer, c.key, gone.id);
    expect((await domainError(postComment(db, a.viewer, c.key, gone.id, { body: "Too late" }))).kind).toBe("conflict");
    await moveToPhase(fac, c, "synthesis");
    expect(await domainError(postComment(db, a.viewer, c.key, position.id, { body: "Too late" }))).toMatchObject({
      kind: "forbidden",
      message: "Comments are only open during the positions and deliberation phases.",
    });
  });

  it("edit and withdraw own comments only", async () => {
    const db = await getDb();
    const { c, a, b, position } = await setup();
    const comment = await postComment(db, a.viewer, c.key, position.id, { body: "First thought.", stance: "for" });
    expect((await domainError(editComment(db, b.viewer, c.key, comment.id, { body: "Rewritten by b" }))).kind).toBe("forbidden");
    await editComment(db, a.viewer, c.key, comment.id, { body: "Second thought.", stance: "against" });
    const row = await db.comment.findUniqueOrThrow({ where: { id: comment.id } });
    expect([row.body, row.stance, row.editedAt instanceof Date]).toEqual(["Second thought.", "against", true]);
    await withdrawComment(db, a.viewer, c.key, comment.id);
    const [view] = await listComments(db, b.viewer, c.key, position.id);
    expect(view).toMatchObject({ status: "withdrawn", bodyHtml: null });
    expect((await domainError(withdrawComment(db, a.viewer, c.key, comment.id))).kind).toBe("conflict");
  });
});

describe("flags", () => {
  it("own content cannot be flagged; a second open flag by the same person conflicts", async () => {
    const db = await getDb();
    const { c, author, a, position } = await setup();
    expect(await domainError(flagContent(db, author.viewer, c.key, "position", position.id, { reason: "Mine" }))).toMatchObject({
      kind: "forbidden",
      message: "You cannot flag your own contribution. Withdraw it instead.",
    });
    await flagContent(db, a.viewer, c.key, "position", position.id, { reason: "Names a real person" });
    expect(await domainError(flagContent(db, a.viewer, c.key, "position", position.id, { reason: "Again" }))).toMatchObject({
      kind: "conflict",
      message: "You already flagged this. The moderators will look at it.",
    });
    expect(await db.flag.count({ where: { positionId: position.id } })).toBe(1);
    // a flag needs a reason and a known target type
    expect((await domainError(flagContent(db, a.viewer, c.key, "position", position.id, { reason: "" }))).kind).toBe("invalid");
    expect((await domainError(flagContent(db, a.viewer, c.key, "participant", position.id, { reason: "x" }))).kind).toBe("invalid");
  });

  it("the flag event names the item, never the reporter", async () => {
    const db = await getDb();
    const { c, a, position } = await setup();
    await flagContent(db, a.viewer, c.key, "position", position.id, { reason: "Names a real person" });
    const [event] = (await eventsOf(c.id)).filter((e) => e.type === "flag.raised");
    expect(event.data).toEqual({ target: "position", id: position.id });
    expect(event.payload).not.toContain(a.pseudonym);
  });

  it("the queue groups flags by item, oldest first", async () => {
    const db = await getDb();
    const { fac, c, author, a, b, d, position } = await setup();
    const comment = await postComment(db, author.viewer, c.key, position.id, { body: "A comment by the author." });
    await flagContent(db, a.viewer, c.key, "position", position.id, { reason: "Names a person" });
    await flagContent(db, b.viewer, c.key, "comment", comment.id, { reason: "Rude" });
    await flagContent(db, d.viewer, c.key, "position", position.id, { reason: "Address visible" });
    expect(await openFlagCount(db, c.id)).toBe(3);

    const { queue, hidden, canModerate } = await moderationQueue(db, fac.viewer, c.key);
    expect(canModerate).toBe(true);
    expect(hidden).toEqual([]);
    expect(queue.map((q) => [q.target, q.id, q.flags.length])).toEqual([
      ["position", position.id, 2],
      ["comment", comment.id, 1],
    ]);
    expect(queue[0].flags.map((f) => [f.reason, f.reporter])).toEqual([
      ["Names a person", a.pseudonym],
      ["Address visible", d.pseudonym],
    ]);
    expect(queue[0].author).toEqual({ pseudonym: author.pseudonym, groupName: "Peers who use drugs" });
    expect(queue[1].positionId).toBe(position.id);
    // participants have no queue
    expect((await domainError(moderationQueue(db, a.viewer, c.key))).kind).toBe("forbidden");
  });
});

describe("hiding, restoring, dismissing", () => {
  it("hide shows the note and no text to participants, the text to facilitators; flags resolved", async () => {
    const db = await getDb();
    const { fac, c, a, b, position } = await setup();
    await flagContent(db, a.viewer, c.key, "position", position.id, { reason: "Names a person" });
    await hideContent(db, fac.viewer, c.key, "position", position.id, { reason: "Contained a full name" });

    const forParticipant = (await getPosition(db, b.viewer, c.key, position.id)).position;
    expect(forParticipant).toMatchObject({ status: "hidden", bodyHtml: null, moderationNote: "Contained a full name", canVote: false });
    const forFacilitator = (await getPosition(db, fac.viewer, c.key, position.id)).position;
    expect(forFacilitator.bodyHtml).toBe("<p>Drug checking at every festival, peer-led.</p>\n");
    expect(forFacilitator.moderationNote).toBe("Contained a full name");

    const flags = await db.flag.findMany({ where: { positionId: position.id } });
    expect(flags.map((f) => [f.resolution, f.resolvedAt instanceof Date])).toEqual([["hidden", true]]);
    const { queue, hidden } = await moderationQueue(db, fac.viewer, c.key);
    expect(queue).toEqual([]);
    expect(hidden).toMatchObject([{ target: "position", id: position.id, note: "Contained a full name" }]);
    // hidden content cannot be flagged again
    expect((await domainError(flagContent(db, b.viewer, c.key, "position", position.id, { reason: "x" }))).kind).toBe("conflict");
  });

  it("hidden comments: note for participants, text for facilitators; restore brings it back", async () => {
    const db = await getDb();
    const { fac, c, author, a, position } = await setup();
    const comment = await postComment(db, a.viewer, c.key, position.id, { body: "Call me on 0612345678." });
    await hideContent(db, fac.viewer, c.key, "comment", comment.id, { reason: "Phone number" });
    const [forAuthor] = await listComments(db, author.viewer, c.key, position.id);
    expect(forAuthor).toMatchObject({ status: "hidden", bodyHtml: null, moderationNote: "Phone number" });
    const [forFac] = await listComments(db, fac.viewer, c.key, position.id);
    expect(forFac.bodyHtml).toBe("<p>Call me on 0612345678.</p>\n");

    await restoreContent(db, fac.viewer, c.key, "comment", comment.id);
    const [restored] = await listComments(db, author.viewer, c.key, position.id);
    expect(restored).toMatchObject({ status: "visible", moderationNote: null, bodyHtml: "<p>Call me on 0612345678.</p>\n" });
    // restoring visible content conflicts
    expect((await domainError(restoreContent(db, fac.viewer, c.key, "comment", comment.id))).kind).toBe("conflict");
  });

  it("restore puts a position's votes back in the tally", async () => {
    const db = await getDb();
    const { fac, c, position } = await setup();
    const voters = await joinMany(fac, c, "Sex workers", 5);
    for (const v of voters) await castVote(db, v.viewer, c.key, position.id, { choice: "agree" });
    await hideContent(db, fac.viewer, c.key, "position", position.id, { reason: "Checking" });
    expect((await getPosition(db, fac.viewer, c.key, position.id)).position.tally).toEqual({ suppressed: true, minimum: 5 });
    await restoreContent(db, fac.viewer, c.key, "position", position.id);
    expect((await getPosition(db, fac.viewer, c.key, position.id)).position.tally).toEqual({ suppressed: false, agree: 5, disagree: 0, pass: 0, total: 5 });
  });

  it("dismiss keeps the content and closes its flags", async () => {
    const db = await getDb();
    const { fac, c, a, b, position } = await setup();
    await flagContent(db, a.viewer, c.key, "position", position.id, { reason: "I disagree" });
    await flagContent(db, b.viewer, c.key, "position", position.id, { reason: "Me too" });
    await dismissFlags(db, fac.viewer, c.key, "position", position.id);
    const flags = await db.flag.findMany({ where: { positionId: position.id } });
    expect(flags.map((f) => f.resolution)).toEqual(["kept", "kept"]);
    expect((await db.position.findUniqueOrThrow({ where: { id: position.id } })).status).toBe("visible");
    expect((await moderationQueue(db, fac.viewer, c.key)).queue).toEqual([]);
    // after dismissal the same person may flag again (a new open flag)
    await flagContent(db, a.viewer, c.key, "position", position.id, { reason: "Now it names someone" });
    expect(await openFlagCount(db, c.id)).toBe(1);
    const dismissed = (await eventsOf(c.id)).filter((e) => e.type === "flag.dismissed");
    expect(dismissed.map((e) => e.data)).toEqual([{ target: "position", id: position.id }]);
  });

  it("participants cannot hide; facilitators of other organisations do not see the item", async () => {
    const db = await getDb();
    const { c, a, position } = await setup();
    expect((await domainError(hideContent(db, a.viewer, c.key, "position", position.id, { reason: "x" }))).kind).toBe("forbidden");
    const stranger = await createFacilitator();
    expect((await domainError(hideContent(db, stranger.viewer, c.key, "position", position.id, { reason: "x" }))).kind).toBe("not_found");
    // a position of another consultation through this one
    const fac2 = await createFacilitator();
    const other = await createConsultation(fac2, { phase: "positions" });
    const m = await joinParticipant(fac2, other, "Police");
    const foreign = await submit(m, other, "A position in another consultation.");
    const owner = (await db.consultation.findUniqueOrThrow({ where: { id: c.id }, include: { organisation: { include: { accounts: true } } } })).organisation.accounts[0];
    const ownerViewer = { account: { id: owner.id, organisationId: owner.organisationId, displayName: owner.displayName }, participants: [] };
    expect((await domainError(hideContent(db, ownerViewer, c.key, "position", foreign.id, { reason: "x" }))).kind).toBe("not_found");
  });

  it("nothing is moderated after publication", async () => {
    const db = await getDb();
    const { fac, c, position } = await setup();
    await moveToPhase(fac, c, "published");
    expect(await domainError(hideContent(db, fac.viewer, c.key, "position", position.id, { reason: "Late" }))).toMatchObject({
      kind: "forbidden",
      message: "Nothing changes after the report is published.",
    });
    expect((await moderationQueue(db, fac.viewer, c.key)).canModerate).toBe(false);
  });
});

describe("the event log", () => {
  it("numbers events 1..n with no gaps, and no payload carries participant ids, account ids or emails", async () => {
    const db = await getDb();
    const { fac, c, author, a, b, position } = await setup();
    // a bit of everything
    const [spare] = await invite(fac, c, "Police");
    await revokeInvitation(db, fac.viewer, c.key, spare.id);
    await castVote(db, a.viewer, c.key, position.id, { choice: "agree" });
    const comment = await postComment(db, b.viewer, c.key, position.id, { body: "A comment to flag.", stance: "against" });
    await flagContent(db, author.viewer, c.key, "comment", comment.id, { reason: "Rude" });
    await hideContent(db, fac.viewer, c.key, "comment", comment.id, { reason: "Rude" });
    await restoreContent(db, fac.viewer, c.key, "comment", comment.id);
    await suspendParticipant(db, fac.viewer, c.key, b.me.id, { reason: "Spam" });
    await reinstateParticipant(db, fac.viewer, c.key, b.me.id);
    await movePhase(db, fac.viewer, c.key, { to: "deliberation" });

    const events = await eventsOf(c.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const row = await db.consultation.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.eventSeq).toBe(events.length);
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        "consultation.created", "question.added", "phase.changed", "invitations.created", "participant.joined",
        "position.submitted", "invitation.revoked", "vote.cast", "comment.posted", "flag.raised", "comment.hidden",
        "comment.restored", "participant.suspended", "participant.reinstated",
      ]),
    );

    // every secret about people, from the database itself
    const participants = await db.participant.findMany({ where: { consultationId: c.id } });
    const accounts = await db.account.findMany({ where: { organisationId: fac.account.organisationId } });
    const sessions = await db.session.findMany();
    const forbidden = [
      ...participants.flatMap((p) => [p.id, p.recoveryCodeHash, ...(p.passphraseHash ? [p.passphraseHash] : [])]),
      ...accounts.flatMap((acc) => [acc.id, acc.email, acc.passwordHash]),
      fac.account.organisationId,
      ...sessions.map((s) => s.id),
    ];
    expect(participants.length).toBeGreaterThanOrEqual(4);
    for (const event of events) {
      for (const secret of forbidden) expect(event.payload, `${event.type} leaks ${secret}`).not.toContain(secret);
      expect(event.payload).not.toMatch(/@/); // no email of any kind
      expect(["facilitator", "participant", "system"]).toContain(event.actorKind);
    }

    // catch-up: everything after seq 5, in order
    const since = await eventsSince(db, c.id, 5);
    expect(since.map((e) => e.seq)).toEqual(events.slice(5).map((e) => e.seq));
    expect(since[0].payload).toEqual(events[5].data);
  });

  it("sequences are per consultation", async () => {
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const b = await createConsultation(fac);
    expect((await eventsOf(a.id)).map((e) => e.seq)).toEqual([1, 2]);
    expect((await eventsOf(b.id)).map((e) => e.seq)).toEqual([1, 2]);
  });
});
