/**
 * Live sessions on the real SQLite database (consultations/live-sessions.ts, held comments in
 * consultations/comments.ts): open / spotlight / close with the timeline, who may run a session, phase
 * rules, pre-moderation of comments (held comments seen only by their author and the facilitators, and
 * counted nowhere until approved), tallies by stakeholder group with suppression, and the events
 * recorded (content ids and pseudonyms, never ids of people).
 */
import { getDb } from "../../consultations/db/client";
import { approveComment, listComments, listHeldComments, postComment, withdrawComment } from "../../consultations/comments";
import { onEvent, type ConsultationEvent } from "../../consultations/events";
import {
  closeSession,
  currentSession,
  listSessions,
  openSession,
  sessionStatus,
  sessionTimeline,
  setHoldComments,
  spotlight,
  spotlightCandidates,
} from "../../consultations/live-sessions";
import { flagContent, hideContent } from "../../consultations/moderation";
import { suspendParticipant } from "../../consultations/participants";
import { ANONYMOUS } from "../../consultations/permissions";
import { getPosition, listConsultationPositions, withdrawPosition } from "../../consultations/positions";
import { castVote } from "../../consultations/votes";
import {
  createConsultation,
  createFacilitator,
  createColleague,
  domainError,
  eventsOf,
  joinMany,
  joinParticipant,
  moveToPhase,
  submit,
  voteAll,
} from "../factories";

async function setup(phase: "positions" | "deliberation" = "positions") {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions", questions: ["Where should drug checking happen?", "Who should run it?"] });
  const author = await joinParticipant(fac, c, "Peers who use drugs");
  const [a, b] = await joinMany(fac, c, "Police", 2);
  const p1 = await submit(author, c, "Drug checking at every festival, peer-led.");
  const p2 = await submit(author, c, "Pharmacies should offer fentanyl test strips.", c.questions[1]);
  const p3 = await submit(a, c, "Only in health services, with a nurse present.");
  if (phase === "deliberation") await moveToPhase(fac, c, "deliberation");
  return { fac, c, author, a, b, p1, p2, p3 };
}

/** Every id of a person in the database: participants and accounts. */
async function idsOfPeople(): Promise<string[]> {
  const db = await getDb();
  const [participants, accounts] = await Promise.all([db.participant.findMany({ select: { id: true } }), db.account.findMany({ select: { id: true } })]);
  return [...participants, ...accounts].map((r) => r.id);
}

describe("open, spotlight, close: the timeline", () => {
  it("a facilitator runs a session; every screen sees the spotlight; closing ends it with a timeline in order", async () => {
    const db = await getDb();
    const { fac, c, a, author, p1, p2, p3 } = await setup();
    const published: ConsultationEvent[] = [];
    const off = onEvent((e) => {
      if (e.consultationId === c.id) published.push(e);
    });
    try {
      expect(await sessionStatus(db, a.viewer, c.key)).toEqual({ open: false, spotlighted: false, holdComments: false });
      const none = await currentSession(db, a.viewer, c.key);
      expect(none).toMatchObject({ role: "participant", session: null, spotlight: null, held: null, liveAllowed: true, canControl: false });

      const session = await openSession(db, fac.viewer, c.key, { holdComments: "on" });
      expect(session).toMatchObject({ holdComments: true, closedAt: null });
      expect(await sessionStatus(db, a.viewer, c.key)).toEqual({ open: true, spotlighted: false, holdComments: true });
      // one open session at a time
      expect(await domainError(openSession(db, fac.viewer, c.key, {}))).toMatchObject({ kind: "conflict", message: "A live session is already open." });

      // waiting for the facilitator
      expect(await currentSession(db, a.viewer, c.key)).toMatchObject({ session: { id: session.id, holdComments: true }, spotlight: null });

      expect(await spotlight(db, fac.viewer, c.key, p1.id)).toEqual({ positionId: p1.id });
      const seen = await currentSession(db, a.viewer, c.key);
      expect(seen.spotlight).toMatchObject({
        position: { id: p1.id, status: "visible", canVote: true, myVote: null, author: { pseudonym: author.pseudonym, groupName: "Peers who use drugs" } },
        question: { id: c.questions[0], title: "Where should drug checking happen?" },
        tally: { suppressed: true, minimum: 5 },
      });
      expect(seen.spotlight!.groups.map((g) => g.name)).toEqual(["Peers who use drugs", "Sex workers", "Outreach workers", "Police", "Policymakers"]);
      // the author follows too, without a vote on their own position
      expect((await currentSession(db, author.viewer, c.key)).spotlight?.position).toMatchObject({ isMine: true, canVote: false });

      // the vote prompt is the ordinary vote
      await castVote(db, a.viewer, c.key, p1.id, { choice: "agree" });
      expect((await currentSession(db, a.viewer, c.key)).spotlight?.position.myVote).toBe("agree");

      // spotlighting the same position again changes nothing (no second entry, no event)
      const seqBefore = (await eventsOf(c.id)).length;
      await spotlight(db, fac.viewer, c.key, p1.id);
      expect((await eventsOf(c.id)).length).toBe(seqBefore);

      await spotlight(db, fac.viewer, c.key, p2.id);
      await spotlight(db, fac.viewer, c.key, null); // "waiting for the facilitator" again
      expect((await currentSession(db, a.viewer, c.key)).spotlight).toBeNull();
      expect(await sessionStatus(db, a.viewer, c.key)).toMatchObject({ open: true, spotlighted: false });
      await spotlight(db, fac.viewer, c.key, p3.id);
      await spotlight(db, fac.viewer, c.key, p1.id);

      const sofar = await sessionTimeline(db, a.viewer, c.key, session.id);
      expect(sofar.entries.map((e) => [e.position?.id, e.endedAt === null])).toEqual([
        [p1.id, false],
        [p2.id, false],
        [p3.id, false],
        [p1.id, true],
      ]);

      const closed = await closeSession(db, fac.viewer, c.key);
      expect(closed.closedAt).toBeInstanceOf(Date);
      expect(await domainError(closeSession(db, fac.viewer, c.key))).toMatchObject({ kind: "conflict", message: "No live session is open." });
      expect(await domainError(spotlight(db, fac.viewer, c.key, p2.id))).toMatchObject({ kind: "conflict", message: "Open a live session first." });
      expect(await currentSession(db, a.viewer, c.key)).toMatchObject({ session: null, spotlight: null });

      const timeline = await sessionTimeline(db, fac.viewer, c.key, session.id);
      expect(timeline.session).toMatchObject({ id: session.id, holdComments: true });
      expect(timeline.session.closedAt).toEqual(closed.closedAt);
      expect(timeline.entries.map((e) => e.position?.id)).toEqual([p1.id, p2.id, p3.id, p1.id]);
      expect(timeline.entries.map((e) => e.question?.title)).toEqual([
        "Where should drug checking happen?",
        "Who should run it?",
        "Where should drug checking happen?",
        "Where should drug checking happen?",
      ]);
      for (const [i, e] of timeline.entries.entries()) {
        expect(e.endedAt, `entry ${i} ended`).not.toBeNull();
        expect(e.endedAt!.getTime()).toBeGreaterThanOrEqual(e.startedAt.getTime());
        expect(e.seconds).toBeGreaterThanOrEqual(0);
        if (i > 0) expect(e.startedAt.getTime()).toBeGreaterThanOrEqual(timeline.entries[i - 1].endedAt!.getTime());
        expect(e.tally).toEqual({ suppressed: true, minimum: 5 }); // one vote: fewer than 5
        expect(e.groups.every((g) => g.tally.suppressed)).toBe(true);
      }
      // the last spotlight ended when the session closed
      expect(timeline.entries[3].endedAt).toEqual(closed.closedAt);

      // a second session starts a new timeline; the list shows both, newest first
      const second = await openSession(db, fac.viewer, c.key);
      expect(second.holdComments).toBe(false);
      await spotlight(db, fac.viewer, c.key, p2.id);
      const sessions = await listSessions(db, fac.viewer, c.key);
      expect(sessions.map((s) => [s.id, s.spotlights, s.closedAt === null])).toEqual([
        [second.id, 1, true],
        [session.id, 4, false],
      ]);

      // the events, recorded and published after each commit, in order
      const live = (await eventsOf(c.id)).filter((e) => e.type.startsWith("live."));
      expect(live.map((e) => [e.type, e.actorKind])).toEqual([
        ["live.opened", "facilitator"],
        ["live.spotlighted", "facilitator"],
        ["live.spotlighted", "facilitator"],
        ["live.spotlighted", "facilitator"],
        ["live.spotlighted", "facilitator"],
        ["live.spotlighted", "facilitator"],
        ["live.closed", "facilitator"],
        ["live.opened", "facilitator"],
        ["live.spotlighted", "facilitator"],
      ]);
      expect(live[0].data).toEqual({ sessionId: session.id, holdComments: true });
      expect(live[1].data).toEqual({ sessionId: session.id, positionId: p1.id, questionId: c.questions[0] });
      expect(live[3].data).toEqual({ sessionId: session.id, positionId: null, questionId: null });
      expect(live[6].data).toEqual({ sessionId: session.id, spotlights: 4 });
      expect(published.filter((e) => e.type.startsWith("live.")).map((e) => e.seq)).toEqual(live.map((e) => e.seq));
    } finally {
      off();
    }
  });

  it("only visible positions of this consultation can be spotlighted", async () => {
    const db = await getDb();
    const { fac, c, author, p1, p2 } = await setup();
    const other = await setup();
    await openSession(db, fac.viewer, c.key);
    expect(await domainError(spotlight(db, fac.viewer, c.key, other.p1.id))).toMatchObject({ kind: "not_found" });
    expect(await domainError(spotlight(db, fac.viewer, c.key, "no-such-position"))).toMatchObject({ kind: "not_found" });
    await withdrawPosition(db, author.viewer, c.key, p1.id);
    expect(await domainError(spotlight(db, fac.viewer, c.key, p1.id))).toMatchObject({ kind: "conflict", message: "Only a visible position can be spotlighted." });
    await hideContent(db, fac.viewer, c.key, "position", p2.id, { reason: "Off topic." });
    expect(await domainError(spotlight(db, fac.viewer, c.key, p2.id))).toMatchObject({ kind: "conflict" });
    expect(await domainError(spotlight(db, fac.viewer, c.key, 42 as unknown as string))).toMatchObject({ kind: "invalid" });
    // another consultation's session is not found through this one
    const otherSession = await openSession(db, other.fac.viewer, other.c.key);
    expect(await domainError(sessionTimeline(db, fac.viewer, c.key, otherSession.id))).toMatchObject({ kind: "not_found" });
  });

  it("a position hidden while in the spotlight: participants no longer see its text, facilitators do", async () => {
    const db = await getDb();
    const { fac, c, a, p3 } = await setup();
    await openSession(db, fac.viewer, c.key);
    await spotlight(db, fac.viewer, c.key, p3.id);
    await hideContent(db, fac.viewer, c.key, "position", p3.id, { reason: "Personal details." });
    const forParticipant = (await currentSession(db, a.viewer, c.key)).spotlight!;
    expect(forParticipant.position).toMatchObject({ status: "hidden", bodyHtml: null, author: null, canVote: false });
    expect(forParticipant.groups.every((g) => g.tally.suppressed)).toBe(true);
    const forFacilitator = (await currentSession(db, fac.viewer, c.key)).spotlight!;
    expect(forFacilitator.position.bodyHtml).toContain("Only in health services");
  });

  it("two facilitators opening at the same moment open one session", async () => {
    const db = await getDb();
    const { fac, c } = await setup();
    const colleague = await createColleague(fac);
    const results = await Promise.allSettled([openSession(db, fac.viewer, c.key), openSession(db, colleague.viewer, c.key)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.liveSession.count({ where: { consultationId: c.id, closedAt: null } })).toBe(1);
  });
});

describe("who may run a session", () => {
  it("facilitators of the organisation only; participants follow; outsiders learn nothing", async () => {
    const db = await getDb();
    const { fac, c, a, author, p1 } = await setup();
    const stranger = await createFacilitator();
    const elsewhere = await setup();

    for (const [viewer, kind] of [
      [a.viewer, "forbidden"],
      [stranger.viewer, "not_found"],
      [elsewhere.a.viewer, "not_found"],
      [ANONYMOUS, "unauthenticated"],
    ] as const) {
      expect((await domainError(openSession(db, viewer, c.key, {}))).kind).toBe(kind);
      expect((await domainError(spotlight(db, viewer, c.key, p1.id))).kind).toBe(kind);
      expect((await domainError(setHoldComments(db, viewer, c.key, { holdComments: true }))).kind).toBe(kind);
      expect((await domainError(closeSession(db, viewer, c.key))).kind).toBe(kind);
      expect((await domainError(listSessions(db, viewer, c.key))).kind).toBe(kind);
      expect((await domainError(spotlightCandidates(db, viewer, c.key))).kind).toBe(kind);
      expect((await domainError(listHeldComments(db, viewer, c.key))).kind).toBe(kind);
    }
    expect(await domainError(openSession(db, a.viewer, c.key, {}))).toMatchObject({ message: "Only facilitators can do this." });

    const session = await openSession(db, fac.viewer, c.key);
    await spotlight(db, fac.viewer, c.key, p1.id);
    // a colleague in the same organisation may take over
    const colleague = await createColleague(fac);
    await spotlight(db, colleague.viewer, c.key, null);

    // suspended participants still follow, without a vote
    await suspendParticipant(db, fac.viewer, c.key, a.me.id, { reason: "Cooling off." });
    const suspended = { ...a.viewer, participants: a.viewer.participants.map((p) => ({ ...p, status: "suspended" as const })) };
    await spotlight(db, fac.viewer, c.key, p1.id);
    expect((await currentSession(db, suspended, c.key)).spotlight?.position).toMatchObject({ id: p1.id, canVote: false });
    expect((await domainError(spotlight(db, suspended, c.key, null))).kind).toBe("forbidden");
    expect((await domainError(closeSession(db, suspended, c.key))).message).toBe("Your participation in this consultation is suspended.");

    // outsiders cannot follow
    expect((await domainError(currentSession(db, stranger.viewer, c.key))).kind).toBe("not_found");
    expect((await domainError(currentSession(db, elsewhere.a.viewer, c.key))).kind).toBe("not_found");
    expect((await domainError(sessionTimeline(db, elsewhere.a.viewer, c.key, session.id))).kind).toBe("not_found");
    expect((await domainError(currentSession(db, ANONYMOUS, c.key))).kind).toBe("unauthenticated");
    // participants see no queue of held comments and may not run anything
    const forAuthor = await currentSession(db, author.viewer, c.key);
    expect(forAuthor).toMatchObject({ role: "participant", held: null, canControl: false });
    expect(await currentSession(db, fac.viewer, c.key)).toMatchObject({ role: "facilitator", held: [], canControl: true });
  });
});

describe("phase rules", () => {
  it("a session runs only while votes are allowed; it can be closed in any phase", async () => {
    const db = await getDb();
    const { fac, c, p1 } = await setup("deliberation");
    // deliberation: allowed
    await openSession(db, fac.viewer, c.key);
    await spotlight(db, fac.viewer, c.key, p1.id);
    await moveToPhase(fac, c, "synthesis");
    const state = await currentSession(db, fac.viewer, c.key);
    expect(state).toMatchObject({ liveAllowed: false, canControl: false, session: { closedAt: null } });
    const refused = await domainError(spotlight(db, fac.viewer, c.key, null));
    expect(refused).toMatchObject({ kind: "forbidden", message: "Live sessions can only run while voting is open (positions and deliberation phases)." });
    expect((await domainError(setHoldComments(db, fac.viewer, c.key, { holdComments: true }))).kind).toBe("forbidden");
    // the session left open can still be closed
    await closeSession(db, fac.viewer, c.key);
    expect((await domainError(openSession(db, fac.viewer, c.key))).kind).toBe("forbidden");
  });

  it("not in draft", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    expect(await domainError(openSession(db, fac.viewer, c.key))).toMatchObject({ kind: "forbidden" });
    expect(await currentSession(db, fac.viewer, c.key)).toMatchObject({ liveAllowed: false, canControl: false, session: null });
  });
});

describe("held comments (pre-moderation)", () => {
  it("visible only to the author and facilitators, counted nowhere until approved, then visible to all", async () => {
    const db = await getDb();
    const { fac, c, author, a, b, p1 } = await setup();
    const before = await postComment(db, a.viewer, c.key, p1.id, { body: "Posted before the session.", stance: "for" });
    expect(before.held).toBe(false);
    await openSession(db, fac.viewer, c.key, { holdComments: true });

    const held = await postComment(db, b.viewer, c.key, p1.id, { body: "Festivals are not the only place.", stance: "against" });
    expect(held.held).toBe(true);
    expect((await db.comment.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("held");

    // the author sees it, waiting for a moderator
    const mine = await listComments(db, b.viewer, c.key, p1.id);
    expect(mine.map((x) => [x.id, x.status])).toEqual([
      [before.id, "visible"],
      [held.id, "held"],
    ]);
    expect(mine[1]).toMatchObject({ isMine: true, canEdit: false, canWithdraw: true, author: { pseudonym: b.pseudonym } });
    expect(mine[1].bodyHtml).toContain("Festivals are not the only place.");
    // facilitators see it
    expect((await listComments(db, fac.viewer, c.key, p1.id)).map((x) => x.id)).toEqual([before.id, held.id]);
    // everyone else does not: not even a placeholder
    for (const other of [a, author]) {
      const thread = await listComments(db, other.viewer, c.key, p1.id);
      expect(thread.map((x) => x.id)).toEqual([before.id]);
      expect(JSON.stringify(thread)).not.toContain("Festivals are not the only place");
    }
    // counted nowhere
    expect((await getPosition(db, a.viewer, c.key, p1.id)).position.commentCount).toBe(1);
    expect((await getPosition(db, fac.viewer, c.key, p1.id)).position.commentCount).toBe(1);
    const listed = await listConsultationPositions(db, author.viewer, c.key, "newest");
    expect(Object.values(listed.byQuestion).flat().find((p) => p.id === p1.id)?.commentCount).toBe(1);
    // nobody can reply to it or flag it yet
    expect(await domainError(postComment(db, a.viewer, c.key, p1.id, { body: "A reply to it.", parentId: held.id }))).toMatchObject({ kind: "conflict" });
    expect(await domainError(flagContent(db, a.viewer, c.key, "comment", held.id, { reason: "Rude." }))).toMatchObject({ kind: "conflict" });

    // the facilitators' queue
    const queue = (await currentSession(db, fac.viewer, c.key)).held!;
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ id: held.id, positionId: p1.id, parentId: null, stance: "against", author: { pseudonym: b.pseudonym, groupName: "Police" } });
    expect(await listHeldComments(db, fac.viewer, c.key)).toEqual(queue);

    // only facilitators approve
    expect((await domainError(approveComment(db, a.viewer, c.key, held.id))).kind).toBe("forbidden");
    expect((await domainError(approveComment(db, fac.viewer, c.key, before.id))).kind).toBe("conflict");
    await approveComment(db, fac.viewer, c.key, held.id);
    expect((await domainError(approveComment(db, fac.viewer, c.key, held.id))).message).toBe("This comment is not waiting for approval.");

    expect((await listComments(db, a.viewer, c.key, p1.id)).map((x) => [x.id, x.status])).toEqual([
      [before.id, "visible"],
      [held.id, "visible"],
    ]);
    expect((await getPosition(db, a.viewer, c.key, p1.id)).position.commentCount).toBe(2);
    expect((await currentSession(db, fac.viewer, c.key)).held).toEqual([]);

    // the events: a held comment says nothing about who wrote it; approval does, like a new comment
    const events = (await eventsOf(c.id)).filter((e) => e.type.startsWith("comment."));
    expect(events.map((e) => [e.type, e.actorKind, e.data])).toEqual([
      ["comment.posted", "participant", { positionId: p1.id, commentId: before.id, pseudonym: a.pseudonym, stance: "for", language: "en" }],
      ["comment.held", "participant", { positionId: p1.id, commentId: held.id }],
      ["comment.approved", "facilitator", { positionId: p1.id, commentId: held.id, pseudonym: b.pseudonym, stance: "against", language: "en" }],
    ]);
  });

  it("a held comment can be hidden by a facilitator or taken back by its author; replies to visible comments are held too", async () => {
    const db = await getDb();
    const { fac, c, author, a, b, p1 } = await setup();
    const top = await postComment(db, author.viewer, c.key, p1.id, { body: "Visible top comment." });
    await openSession(db, fac.viewer, c.key, { holdComments: "on" });
    const reply = await postComment(db, a.viewer, c.key, p1.id, { body: "A held reply.", parentId: top.id });
    const rude = await postComment(db, b.viewer, c.key, p1.id, { body: "Something rude." });
    expect([reply.held, rude.held]).toEqual([true, true]);
    // the reply is nested under its parent for its author, and absent for others
    const forA = await listComments(db, a.viewer, c.key, p1.id);
    expect(forA[0].replies.map((r) => [r.id, r.status])).toEqual([[reply.id, "held"]]);
    expect((await listComments(db, author.viewer, c.key, p1.id))[0].replies).toEqual([]);

    await hideContent(db, fac.viewer, c.key, "comment", rude.id, { reason: "Not respectful." });
    expect((await db.comment.findUniqueOrThrow({ where: { id: rude.id } })).status).toBe("hidden");
    expect((await domainError(approveComment(db, fac.viewer, c.key, rude.id))).kind).toBe("conflict");

    await withdrawComment(db, a.viewer, c.key, reply.id);
    expect((await db.comment.findUniqueOrThrow({ where: { id: reply.id } })).status).toBe("withdrawn");
    expect((await listHeldComments(db, fac.viewer, c.key)).map((x) => x.id)).toEqual([]);
  });

  it("holding follows the session: off -> comments appear at once, comments already held stay held; after closing nothing is held", async () => {
    const db = await getDb();
    const { fac, c, a, p1 } = await setup();
    await openSession(db, fac.viewer, c.key);
    expect((await postComment(db, a.viewer, c.key, p1.id, { body: "Not held: hold is off." })).held).toBe(false);
    expect(await setHoldComments(db, fac.viewer, c.key, { holdComments: "on" })).toEqual({ holdComments: true, changed: true });
    expect(await setHoldComments(db, fac.viewer, c.key, { holdComments: true })).toEqual({ holdComments: true, changed: false });
    const held = await postComment(db, a.viewer, c.key, p1.id, { body: "Held: hold is on." });
    expect(held.held).toBe(true);
    await setHoldComments(db, fac.viewer, c.key, { holdComments: "off" });
    expect((await postComment(db, a.viewer, c.key, p1.id, { body: "Not held again." })).held).toBe(false);
    expect((await db.comment.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("held");
    await setHoldComments(db, fac.viewer, c.key, { holdComments: true });
    await closeSession(db, fac.viewer, c.key);
    expect((await postComment(db, a.viewer, c.key, p1.id, { body: "After the session." })).held).toBe(false);
    // the queue still shows what waits, after the session
    expect((await currentSession(db, fac.viewer, c.key)).held!.map((x) => x.id)).toEqual([held.id]);
    const updates = (await eventsOf(c.id)).filter((e) => e.type === "live.updated").map((e) => e.data.holdComments);
    expect(updates).toEqual([true, false, true]);
  });
});

describe("the live tally by stakeholder group", () => {
  it("each group below the minimum is suppressed (and one more when the rest would give it away); suspended voters count for nothing", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const author = await joinParticipant(fac, c, "Policymakers");
    const position = await submit(author, c, "Drug checking results should be published weekly.");
    const peers = await joinMany(fac, c, "Peers who use drugs", 6);
    const sexWorkers = await joinMany(fac, c, "Sex workers", 5);
    const outreach = await joinMany(fac, c, "Outreach workers", 5);
    const police = await joinMany(fac, c, "Police", 3);
    await voteAll(peers.slice(0, 4), c, position.id, "agree");
    await voteAll(peers.slice(4), c, position.id, "disagree");
    await voteAll(sexWorkers, c, position.id, "agree");
    await voteAll(outreach.slice(0, 3), c, position.id, "agree");
    await voteAll(outreach.slice(3), c, position.id, "pass");
    await voteAll(police, c, position.id, "disagree");
    await openSession(db, fac.viewer, c.key);
    await spotlight(db, fac.viewer, c.key, position.id);

    const byName = async (viewer = police[0].viewer) => {
      const s = (await currentSession(db, viewer, c.key)).spotlight!;
      return { tally: s.tally, groups: Object.fromEntries(s.groups.map((g) => [g.name, g.tally])) };
    };
    const seen = await byName();
    // the whole: 19 voters
    expect(seen.tally).toEqual({ suppressed: false, agree: 12, disagree: 5, pass: 2, total: 19 });
    expect(seen.groups["Peers who use drugs"]).toEqual({ suppressed: false, agree: 4, disagree: 2, pass: 0, total: 6 });
    expect(seen.groups["Sex workers"]).toEqual({ suppressed: false, agree: 5, disagree: 0, pass: 0, total: 5 });
    // police group of 3 is suppressed...
    expect(seen.groups.Police).toEqual({ suppressed: true, minimum: 5 });
    // ...and 19 - (6 + 5 + 5) would be the police's 3 votes: outreach (5, the last of the smallest) is hidden too
    expect(seen.groups["Outreach workers"]).toEqual({ suppressed: true, minimum: 5 });
    expect(seen.groups.Policymakers).toEqual({ suppressed: true, minimum: 5 });
    // police get what any participant gets, and so do facilitators
    expect(await byName(peers[0].viewer)).toEqual(seen);
    expect(await byName(fac.viewer)).toEqual(seen);
    // the position's own tally elsewhere agrees with the whole
    expect((await getPosition(db, peers[0].viewer, c.key, position.id)).position.tally).toEqual(seen.tally);

    // two more police votes: 5 police, every group but policymakers shown
    const more = await joinMany(fac, c, "Police", 2);
    await voteAll(more, c, position.id, "agree");
    const after = await byName();
    expect(after.groups.Police).toEqual({ suppressed: false, agree: 2, disagree: 3, pass: 0, total: 5 });
    expect(after.groups["Outreach workers"]).toEqual({ suppressed: false, agree: 3, disagree: 0, pass: 2, total: 5 });

    // a suspended sex worker's vote counts for nothing: sex workers drop to 4 -> suppressed, and then
    // the whole minus the rest would show them: the smallest shown group is hidden too
    await suspendParticipant(db, fac.viewer, c.key, sexWorkers[0].me.id, { reason: "Test." });
    const suspended = await byName();
    expect(suspended.tally).toMatchObject({ suppressed: false, total: 20 });
    expect(suspended.groups["Sex workers"]).toEqual({ suppressed: true, minimum: 5 });
    const shownTotal = Object.values(suspended.groups).reduce((n, t) => n + (t.suppressed ? 0 : t.total), 0);
    expect(suspended.tally.suppressed ? 0 : suspended.tally.total - shownTotal).toBeGreaterThanOrEqual(5);

    // the timeline shows the same, after the session
    const session = await closeSession(db, fac.viewer, c.key);
    const [entry] = (await sessionTimeline(db, fac.viewer, c.key, session.id)).entries;
    expect(Object.fromEntries(entry.groups.map((g) => [g.name, g.tally]))).toEqual(suspended.groups);
    expect(entry.tally).toEqual(suspended.tally);
  });

  it("the consultation's own minimum applies", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    await db.consultation.update({ where: { id: c.id }, data: { minGroupSize: 3 } });
    const author = await joinParticipant(fac, c, "Policymakers");
    const position = await submit(author, c, "A position with a low minimum for its tallies.");
    await voteAll(await joinMany(fac, c, "Police", 3), c, position.id, "agree");
    await voteAll(await joinMany(fac, c, "Sex workers", 3), c, position.id, "disagree");
    await openSession(db, fac.viewer, c.key);
    await spotlight(db, fac.viewer, c.key, position.id);
    const s = (await currentSession(db, author.viewer, c.key)).spotlight!;
    expect(Object.fromEntries(s.groups.map((g) => [g.name, g.tally.suppressed ? "-" : g.tally.total]))).toEqual({
      "Peers who use drugs": "-",
      "Sex workers": 3,
      "Outreach workers": "-",
      Police: 3,
      Policymakers: "-",
    });
  });
});

describe("positions to spotlight", () => {
  it("searched in the text and the pseudonym, sorted, visible ones only, with how often each was spotlighted", async () => {
    const db = await getDb();
    const { fac, c, author, a, b, p1, p2, p3 } = await setup();
    await voteAll([a, b], c, p2.id, "agree");
    await voteAll([b], c, p1.id, "agree");
    const hidden = await submit(a, c, "A festival position that gets hidden.");
    await hideContent(db, fac.viewer, c.key, "position", hidden.id, { reason: "Duplicate." });

    const all = await spotlightCandidates(db, fac.viewer, c.key, { sort: "most-voted" });
    expect(all.positions.map((p) => p.id)).toEqual([p2.id, p1.id, p3.id]);
    expect(all).toMatchObject({ matched: 3, q: "", sort: "most-voted" });
    expect(all.positions[0]).toMatchObject({ questionTitle: "Who should run it?", spotlightedTimes: 0 });
    expect((await spotlightCandidates(db, fac.viewer, c.key, { sort: "least-seen" })).positions.map((p) => p.id)).toEqual([p3.id, p1.id, p2.id]);
    expect((await spotlightCandidates(db, fac.viewer, c.key, { sort: "nonsense" })).sort).toBe("newest");

    expect((await spotlightCandidates(db, fac.viewer, c.key, { q: "FESTIVAL" })).positions.map((p) => p.id)).toEqual([p1.id]);
    expect((await spotlightCandidates(db, fac.viewer, c.key, { q: a.pseudonym })).positions.map((p) => p.id)).toEqual([p3.id]);
    expect((await spotlightCandidates(db, fac.viewer, c.key, { q: author.pseudonym, sort: "newest" })).positions.map((p) => p.id)).toEqual([p2.id, p1.id]);
    expect((await spotlightCandidates(db, fac.viewer, c.key, { q: "nothing like this" })).matched).toBe(0);

    await openSession(db, fac.viewer, c.key);
    await spotlight(db, fac.viewer, c.key, p1.id);
    await spotlight(db, fac.viewer, c.key, p3.id);
    await spotlight(db, fac.viewer, c.key, p1.id);
    const times = Object.fromEntries((await spotlightCandidates(db, fac.viewer, c.key)).positions.map((p) => [p.id, p.spotlightedTimes]));
    expect(times).toEqual({ [p1.id]: 2, [p2.id]: 0, [p3.id]: 1 });
  });
});

describe("events", () => {
  it("live and held-comment events carry content ids and pseudonyms only, never ids of people", async () => {
    const db = await getDb();
    const { fac, c, a, b, p1, p2 } = await setup();
    const session = await openSession(db, fac.viewer, c.key, { holdComments: true });
    await spotlight(db, fac.viewer, c.key, p1.id);
    const held = await postComment(db, a.viewer, c.key, p1.id, { body: "Held for the moderators." });
    await approveComment(db, fac.viewer, c.key, held.id);
    const hidden = await postComment(db, b.viewer, c.key, p1.id, { body: "Held, then hidden." });
    await hideContent(db, fac.viewer, c.key, "comment", hidden.id, { reason: "Off topic." });
    await setHoldComments(db, fac.viewer, c.key, { holdComments: false });
    await spotlight(db, fac.viewer, c.key, p2.id);
    await closeSession(db, fac.viewer, c.key);

    const events = (await eventsOf(c.id)).filter((e) => /^(live\.|comment\.)/.test(e.type));
    expect(events.map((e) => e.type)).toEqual([
      "live.opened",
      "live.spotlighted",
      "comment.held",
      "comment.approved",
      "comment.held",
      "comment.hidden",
      "live.updated",
      "live.spotlighted",
      "live.closed",
    ]);
    const people = await idsOfPeople();
    expect(people.length).toBeGreaterThan(3);
    for (const e of events) {
      for (const id of people) expect(e.payload, `${e.type} names a person by id`).not.toContain(id);
    }
    for (const e of events.filter((x) => x.type.startsWith("live."))) expect(e.data.sessionId).toBe(session.id);
    // the consultation's sequence numbers have no gaps
    const all = await eventsOf(c.id);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
  });
});
