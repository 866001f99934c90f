import { getDb } from "../../consultations/db/client";
import { movePhase } from "../../consultations/consultations";
import { hideContent } from "../../consultations/moderation";
import { suspendParticipant } from "../../consultations/participants";
import {
  editPosition,
  getPosition,
  listConsultationPositions,
  listQuestionPositions,
  loadTallies,
  nextToVote,
  submitPosition,
  withdrawPosition,
} from "../../consultations/positions";
import { castVote } from "../../consultations/votes";
import {
  createConsultation,
  createFacilitator,
  domainError,
  eventsOf,
  joinMany,
  joinParticipant,
  moveToPhase,
  submit,
  voteAll,
  type Facilitator,
  type Member,
  type TestConsultation,
} from "../factories";

const BODY = "Drug checking should be free and anonymous.";

async function positionsSetup(opts: { maxPositionLength?: number; questions?: string[] } = {}) {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions", ...opts });
  const author = await joinParticipant(fac, c, "Peers who use drugs");
  return { fac, c, author };
}

describe("submitting positions", () => {
  it("only while positions are open", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const m = await joinParticipant(fac, c, "Police");
    // draft: not yet
    expect(await domainError(submitPosition(db, m.viewer, c.key, c.questions[0], { body: BODY }))).toMatchObject({
      kind: "forbidden",
      message: "New positions can only be posted while positions are open.",
    });
    await moveToPhase(fac, c, "positions");
    const p = await submitPosition(db, m.viewer, c.key, c.questions[0], { body: BODY });
    const row = await db.position.findUniqueOrThrow({ where: { id: p.id } });
    expect(row).toMatchObject({ body: BODY, status: "visible", authorId: m.me.id, questionId: c.questions[0], consultationId: c.id });
    // deliberation: closed
    await moveToPhase(fac, c, "deliberation");
    expect((await domainError(submitPosition(db, m.viewer, c.key, c.questions[0], { body: `${BODY} Again.` }))).kind).toBe("forbidden");
    // the event carries the pseudonym, never the author's id
    const [event] = (await eventsOf(c.id)).filter((e) => e.type === "position.submitted");
    expect(event.data).toEqual({ positionId: p.id, questionId: c.questions[0], pseudonym: m.pseudonym, language: "en" });
  });

  it("length over the consultation's maximum -> invalid", async () => {
    const db = await getDb();
    const { c, author } = await positionsSetup({ maxPositionLength: 120 });
    // exactly the maximum: fine
    await submitPosition(db, author.viewer, c.key, c.questions[0], { body: "x".repeat(120) });
    // one more: refused
    const error = await domainError(submitPosition(db, author.viewer, c.key, c.questions[0], { body: "y".repeat(121) }));
    expect(error).toMatchObject({ kind: "invalid", message: "Your position can have at most 120 characters (it has 121)." });
    expect(error.fieldErrors.body).toEqual(["Keep it to 120 characters or fewer: it has 121."]);
    // too short for the schema
    expect((await domainError(submitPosition(db, author.viewer, c.key, c.questions[0], { body: "short" }))).fieldErrors.body).toEqual([
      "Your position needs at least 10 characters.",
    ]);
  });

  it("refuses a question of another consultation and a duplicate", async () => {
    const db = await getDb();
    const { fac, c, author } = await positionsSetup();
    const other = await createConsultation(fac);
    expect((await domainError(submitPosition(db, author.viewer, c.key, other.questions[0], { body: BODY }))).kind).toBe("not_found");
    await submitPosition(db, author.viewer, c.key, c.questions[0], { body: BODY });
    expect((await domainError(submitPosition(db, author.viewer, c.key, c.questions[0], { body: BODY }))).kind).toBe("conflict");
  });

  it("facilitators cannot post positions", async () => {
    const db = await getDb();
    const { fac, c } = await positionsSetup();
    expect((await domainError(submitPosition(db, fac.viewer, c.key, c.questions[0], { body: BODY }))).kind).toBe("forbidden");
  });
});

describe("voting", () => {
  let fac: Facilitator;
  let c: TestConsultation;
  let author: Member;
  let voters: Member[];
  let positionId: string;

  beforeEach(async () => {
    ({ fac, c, author } = await positionsSetup());
    voters = await joinMany(fac, c, "Police", 6);
    positionId = (await submit(author, c, BODY)).id;
  });

  it("agree then disagree: one row, the tally follows", async () => {
    const db = await getDb();
    const [v] = voters;
    const first = await castVote(db, v.viewer, c.key, positionId, { choice: "agree" });
    expect(first).toMatchObject({ positionId, choice: "agree", changed: true, tally: { suppressed: true, minimum: 5 } });
    const second = await castVote(db, v.viewer, c.key, positionId, { choice: "disagree" });
    expect(second.changed).toBe(true);
    const rows = await db.vote.findMany({ where: { positionId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ participantId: v.me.id, value: -1 });
    expect((await loadTallies(db, c.id)).get(positionId)).toEqual({ agree: 0, disagree: 1, pass: 0 });
  });

  it("repeated identical vote -> changed=false, no new event", async () => {
    const db = await getDb();
    const [v] = voters;
    await castVote(db, v.viewer, c.key, positionId, { choice: "pass" });
    const before = (await eventsOf(c.id)).length;
    const again = await castVote(db, v.viewer, c.key, positionId, { choice: "pass" });
    expect(again.changed).toBe(false);
    expect((await eventsOf(c.id)).length).toBe(before);
    // the vote event never says who or how
    const votes = (await eventsOf(c.id)).filter((e) => e.type === "vote.cast");
    expect(votes.map((e) => e.data)).toEqual([{ positionId, questionId: c.questions[0] }]);
  });

  it("tally shown from 5 voters on, with the right numbers", async () => {
    const db = await getDb();
    // 3 agree, 1 disagree: 4 voters, suppressed
    await voteAll(voters.slice(0, 3), c, positionId, "agree");
    const fourth = await castVote(db, voters[3].viewer, c.key, positionId, { choice: "disagree" });
    expect(fourth.tally).toEqual({ suppressed: true, minimum: 5 });
    // the fifth voter passes: shown
    const fifth = await castVote(db, voters[4].viewer, c.key, positionId, { choice: "pass" });
    expect(fifth.tally).toEqual({ suppressed: false, agree: 3, disagree: 1, pass: 1, total: 5 });
    // the same in listings, for participants and facilitators alike
    const { position } = await getPosition(db, voters[5].viewer, c.key, positionId);
    expect(position.tally).toEqual({ suppressed: false, agree: 3, disagree: 1, pass: 1, total: 5 });
    const facView = await getPosition(db, fac.viewer, c.key, positionId);
    expect(facView.position.tally).toEqual(position.tally);
  });

  it("cannot vote on one's own position", async () => {
    const db = await getDb();
    expect(await domainError(castVote(db, author.viewer, c.key, positionId, { choice: "agree" }))).toMatchObject({
      kind: "forbidden",
      message: "You cannot vote on your own position.",
    });
    const { position } = await getPosition(db, author.viewer, c.key, positionId);
    expect(position.canVote).toBe(false);
    expect(position.isMine).toBe(true);
  });

  it("votes allowed in deliberation, refused in synthesis", async () => {
    const db = await getDb();
    await moveToPhase(fac, c, "deliberation");
    expect((await castVote(db, voters[0].viewer, c.key, positionId, { choice: "agree" })).changed).toBe(true);
    await moveToPhase(fac, c, "synthesis");
    expect(await domainError(castVote(db, voters[1].viewer, c.key, positionId, { choice: "agree" }))).toMatchObject({
      kind: "forbidden",
      message: "Voting is only open during the positions and deliberation phases.",
    });
    expect(await db.vote.count({ where: { positionId } })).toBe(1);
  });

  it("facilitators cannot vote; invalid choices are refused", async () => {
    const db = await getDb();
    expect((await domainError(castVote(db, fac.viewer, c.key, positionId, { choice: "agree" }))).kind).toBe("forbidden");
    expect((await domainError(castVote(db, voters[0].viewer, c.key, positionId, { choice: "maybe" }))).kind).toBe("invalid");
  });

  it("tallies exclude hidden positions", async () => {
    const db = await getDb();
    await voteAll(voters, c, positionId, "agree");
    expect((await loadTallies(db, c.id)).get(positionId)).toEqual({ agree: 6, disagree: 0, pass: 0 });
    await hideContent(db, fac.viewer, c.key, "position", positionId, { reason: "Names a person" });
    expect((await loadTallies(db, c.id)).has(positionId)).toBe(false);
    // listings show no numbers for it, to anyone
    for (const viewer of [fac.viewer, voters[0].viewer]) {
      const { position } = await getPosition(db, viewer, c.key, positionId);
      expect(position.tally).toEqual({ suppressed: true, minimum: 5 });
    }
    // and nobody can vote on it any more
    expect((await domainError(castVote(db, voters[0].viewer, c.key, positionId, { choice: "disagree" }))).kind).toBe("conflict");
  });

  it("tallies exclude suspended participants' votes", async () => {
    const db = await getDb();
    // everyone agrees (6)
    await voteAll(voters, c, positionId, "agree");
    await suspendParticipant(db, fac.viewer, c.key, voters[0].me.id, { reason: "Spam" });
    // 5 left: shown as 5
    expect((await loadTallies(db, c.id)).get(positionId)).toEqual({ agree: 5, disagree: 0, pass: 0 });
    expect((await getPosition(db, fac.viewer, c.key, positionId)).position.tally).toEqual({ suppressed: false, agree: 5, disagree: 0, pass: 0, total: 5 });
    // a second suspension: 4 left, suppressed again
    await suspendParticipant(db, fac.viewer, c.key, voters[1].me.id, { reason: "Spam" });
    expect((await loadTallies(db, c.id)).get(positionId)).toEqual({ agree: 4, disagree: 0, pass: 0 });
    expect((await getPosition(db, fac.viewer, c.key, positionId)).position.tally).toEqual({ suppressed: true, minimum: 5 });
    // the vote rows themselves are kept
    expect(await db.vote.count({ where: { positionId } })).toBe(6);
  });

  it("IDOR: a participant of B cannot vote on A's position, through A's slug or B's", async () => {
    const db = await getDb();
    const b = await createConsultation(fac, { phase: "positions" });
    const outsider = await joinParticipant(fac, b, "Police");
    // through A's slug: B's participant is an outsider to A
    expect(await domainError(castVote(db, outsider.viewer, c.key, positionId, { choice: "agree" }))).toMatchObject({
      kind: "not_found",
      message: "This consultation was not found.",
    });
    // through B's slug with A's position id
    expect(await domainError(castVote(db, outsider.viewer, b.key, positionId, { choice: "agree" }))).toMatchObject({
      kind: "not_found",
      message: "This position was not found.",
    });
    // reading it through B is refused the same way
    expect((await domainError(getPosition(db, outsider.viewer, b.key, positionId))).kind).toBe("not_found");
    expect(await db.vote.count({ where: { positionId } })).toBe(0);
  });

  it("the viewer's own vote shows in the view, never anyone else's", async () => {
    const db = await getDb();
    await castVote(db, voters[0].viewer, c.key, positionId, { choice: "disagree" });
    expect((await getPosition(db, voters[0].viewer, c.key, positionId)).position.myVote).toBe("disagree");
    expect((await getPosition(db, voters[1].viewer, c.key, positionId)).position.myVote).toBeNull();
    expect((await getPosition(db, fac.viewer, c.key, positionId)).position.myVote).toBeNull();
  });
});

describe("editing and withdrawing", () => {
  it("edit works before anyone else voted, refused after (conflict)", async () => {
    const db = await getDb();
    const { fac, c, author } = await positionsSetup();
    const [voter] = await joinMany(fac, c, "Police", 1);
    const p = await submit(author, c, BODY);
    await editPosition(db, author.viewer, c.key, p.id, { body: `${BODY} And peer-led.` });
    const edited = await db.position.findUniqueOrThrow({ where: { id: p.id } });
    expect(edited.body).toBe(`${BODY} And peer-led.`);
    expect(edited.editedAt).toBeInstanceOf(Date);
    expect((await getPosition(db, author.viewer, c.key, p.id)).position.canEdit).toBe(true);

    await castVote(db, voter.viewer, c.key, p.id, { choice: "agree" });
    expect(await domainError(editPosition(db, author.viewer, c.key, p.id, { body: "Something else entirely now." }))).toMatchObject({
      kind: "conflict",
      message: "Others have already voted on this position, so it cannot be edited. Withdraw it and post a new one.",
    });
    expect((await getPosition(db, author.viewer, c.key, p.id)).position.canEdit).toBe(false);
    expect((await db.position.findUniqueOrThrow({ where: { id: p.id } })).body).toBe(`${BODY} And peer-led.`);
  });

  it("only the author edits or withdraws", async () => {
    const db = await getDb();
    const { fac, c, author } = await positionsSetup();
    const [other] = await joinMany(fac, c, "Police", 1);
    const p = await submit(author, c, BODY);
    expect(await domainError(editPosition(db, other.viewer, c.key, p.id, { body: "Hijacked position text." }))).toMatchObject({
      kind: "forbidden",
      message: "You can only change your own positions.",
    });
    expect((await domainError(withdrawPosition(db, other.viewer, c.key, p.id))).kind).toBe("forbidden");
  });

  it("withdraw removes a position from listings and tallies", async () => {
    const db = await getDb();
    const { fac, c, author } = await positionsSetup();
    const voters = await joinMany(fac, c, "Police", 5);
    const kept = await submit(voters[0], c, "A position that stays where it is.");
    const p = await submit(author, c, BODY);
    await voteAll(voters, c, p.id, "agree");
    await voteAll([author, ...voters.slice(1)], c, kept.id, "disagree");
    expect((await getPosition(db, voters[0].viewer, c.key, p.id)).position.tally).toMatchObject({ suppressed: false, agree: 5 });

    await withdrawPosition(db, author.viewer, c.key, p.id);
    // gone from the tallies
    const tallies = await loadTallies(db, c.id);
    expect(tallies.has(p.id)).toBe(false);
    expect(tallies.get(kept.id)).toEqual({ agree: 0, disagree: 5, pass: 0 });
    // gone from the consultation page
    const page = await listConsultationPositions(db, voters[0].viewer, c.key, "newest");
    expect(page.byQuestion[c.questions[0]].map((x) => x.id)).toEqual([kept.id]);
    // on the question page it is a placeholder without text or numbers
    const q = await listQuestionPositions(db, voters[0].viewer, c.key, c.questions[0], "newest");
    const placeholder = q.positions.find((x) => x.id === p.id)!;
    expect(placeholder).toMatchObject({ status: "withdrawn", bodyHtml: null, tally: { suppressed: true, minimum: 5 }, canVote: false });
    // no more votes, no second withdrawal
    expect((await domainError(castVote(db, voters[1].viewer, c.key, p.id, { choice: "pass" }))).kind).toBe("conflict");
    expect((await domainError(withdrawPosition(db, author.viewer, c.key, p.id))).kind).toBe("conflict");
  });

  it("withdraw is allowed in deliberation, editing is not", async () => {
    const db = await getDb();
    const { fac, c, author } = await positionsSetup();
    const p = await submit(author, c, BODY);
    await movePhase(db, fac.viewer, c.key, { to: "deliberation" });
    expect((await domainError(editPosition(db, author.viewer, c.key, p.id, { body: `${BODY} Edited.` }))).kind).toBe("forbidden");
    await withdrawPosition(db, author.viewer, c.key, p.id);
    expect((await db.position.findUniqueOrThrow({ where: { id: p.id } })).status).toBe("withdrawn");
  });
});

describe("listing and sorting", () => {
  it("newest / most-voted / least-seen", async () => {
    const db = await getDb();
    const { fac, c, author } = await positionsSetup();
    const voters = await joinMany(fac, c, "Police", 4);
    const old = await submit(author, c, "The oldest position of the three.");
    const mid = await submit(author, c, "The middle position of the three.");
    const recent = await submit(author, c, "The most recent position of three.");
    // distinct creation times, one minute apart
    const base = Date.now() - 3_600_000;
    for (const [i, p] of [old, mid, recent].entries()) {
      await db.position.update({ where: { id: p.id }, data: { createdAt: new Date(base + i * 60_000) } });
    }
    // votes: mid 4, old 2, recent 0
    await voteAll(voters, c, mid.id, "agree");
    await voteAll(voters.slice(0, 2), c, old.id, "disagree");

    const order = async (sort: string) =>
      (await listQuestionPositions(db, voters[0].viewer, c.key, c.questions[0], sort)).positions.map((p) => p.id);
    expect(await order("newest")).toEqual([recent.id, mid.id, old.id]);
    expect(await order("most-voted")).toEqual([mid.id, old.id, recent.id]);
    expect(await order("least-seen")).toEqual([recent.id, old.id, mid.id]);
    // an unknown sort falls back to newest
    const fallback = await listQuestionPositions(db, voters[0].viewer, c.key, c.questions[0], "by-author");
    expect(fallback.sort).toBe("newest");
    expect(fallback.positions.map((p) => p.id)).toEqual([recent.id, mid.id, old.id]);
    // consultation page sorts the same way
    const page = await listConsultationPositions(db, voters[0].viewer, c.key, "most-voted");
    expect(page.byQuestion[c.questions[0]].map((p) => p.id)).toEqual([mid.id, old.id, recent.id]);
  });

  it("views never carry author ids; authors see their source only while they may edit", async () => {
    const db = await getDb();
    const { fac, c, author } = await positionsSetup();
    const [reader] = await joinMany(fac, c, "Police", 1);
    const p = await submit(author, c, "**Peer-led** drug checking everywhere.");
    const forReader = await getPosition(db, reader.viewer, c.key, p.id);
    expect(forReader.position).toMatchObject({
      bodyHtml: "<p><strong>Peer-led</strong> drug checking everywhere.</p>\n",
      bodySource: null,
      author: { pseudonym: author.pseudonym, groupName: "Peers who use drugs" },
      isMine: false,
      canVote: true,
    });
    expect(JSON.stringify(forReader)).not.toContain(author.me.id);
    expect((await getPosition(db, author.viewer, c.key, p.id)).position.bodySource).toBe("**Peer-led** drug checking everywhere.");
    // after positions close, no more source
    await moveToPhase(fac, c, "deliberation");
    expect((await getPosition(db, author.viewer, c.key, p.id)).position.bodySource).toBeNull();
  });
});

describe("nextToVote", () => {
  it("returns the least-voted visible position the participant has not voted on and did not write", async () => {
    const db = await getDb();
    const { fac, c, author } = await positionsSetup({ questions: ["Q1", "Q2"] });
    const [me, b, d] = await joinMany(fac, c, "Police", 3);
    const mine = await submit(me, c, "My own position, never offered to me.");
    const p1 = await submit(author, c, "Position one with two votes.");
    const p2 = await submit(author, c, "Position two with no votes yet.");
    const p3 = await submit(b, c, "Position three, already voted by me.");
    const p4 = await submit(d, c, "Position four, hidden by moderators.");
    const p5 = await submit(author, c, "Position five on the second question.", c.questions[1]);
    await voteAll([b, d], c, p1.id, "agree");
    await voteAll([me], c, p3.id, "agree");
    await hideContent(db, fac.viewer, c.key, "position", p4.id, { reason: "Off topic" });
    // p5 gets one vote so p2 (0 votes) is the least voted
    await voteAll([b], c, p5.id, "pass");

    const next = await nextToVote(db, me.viewer, c.key);
    expect(next.position?.id).toBe(p2.id);
    // candidates for me: p1, p2, p3, p5 (not mine, not hidden); voted 1 of them
    expect(next.progress).toEqual({ voted: 1, total: 4 });
    expect(next.position?.id).not.toBe(mine.id);

    // after voting on p2: next is p5 (1 vote) before p1 (2 votes)
    await castVote(db, me.viewer, c.key, p2.id, { choice: "agree" });
    const after = await nextToVote(db, me.viewer, c.key);
    expect(after.position?.id).toBe(p5.id);
    expect(after.progress).toEqual({ voted: 2, total: 4 });

    // within question 1 only: p1 is what is left
    const q1 = await nextToVote(db, me.viewer, c.key, c.questions[0]);
    expect(q1.position?.id).toBe(p1.id);
    expect(q1.progress).toEqual({ voted: 2, total: 3 });

    // everything voted: null, full progress
    await castVote(db, me.viewer, c.key, p1.id, { choice: "pass" });
    await castVote(db, me.viewer, c.key, p5.id, { choice: "pass" });
    const done = await nextToVote(db, me.viewer, c.key);
    expect(done.position).toBeNull();
    expect(done.progress).toEqual({ voted: 4, total: 4 });
  });

  it("ties go to the oldest position", async () => {
    const db = await getDb();
    const { fac, c, author } = await positionsSetup();
    const [me] = await joinMany(fac, c, "Police", 1);
    const first = await submit(author, c, "The first position posted here.");
    const second = await submit(author, c, "The second position posted here.");
    await db.position.update({ where: { id: first.id }, data: { createdAt: new Date(Date.now() - 60_000) } });
    // both unvoted: the older one first
    expect((await nextToVote(db, me.viewer, c.key)).position?.id).toBe(first.id);
    await castVote(db, me.viewer, c.key, first.id, { choice: "agree" });
    expect((await nextToVote(db, me.viewer, c.key)).position?.id).toBe(second.id);
  });
});
