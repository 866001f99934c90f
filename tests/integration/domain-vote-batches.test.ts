/**
 * Group commit of votes (consultations/votes.ts `castVotes`): a batch is applied in one transaction, in
 * order, each ballot authorised and answered on its own, with a fixed number of statements whatever the
 * batch size.
 */
import Database from "better-sqlite3";
import { getDb } from "../../consultations/db/client";
import { hideContent } from "../../consultations/moderation";
import { loadTallies } from "../../consultations/positions";
import { castVotes, type Ballot } from "../../consultations/votes";
import { createConsultation, createFacilitator, eventsOf, joinMany, joinParticipant, submit } from "../factories";
import { onSqlite } from "../setup/dialect";

async function world() {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const author = await joinParticipant(fac, c, "Outreach workers");
  const positions = [(await submit(author, c)).id, (await submit(author, c)).id];
  const voters = [...(await joinMany(fac, c, "Police", 3)), ...(await joinMany(fac, c, "Sex workers", 3))];
  return { fac, c, author, positions, voters };
}

async function votesOf(consultationId: string) {
  const db = await getDb();
  const rows = await db.vote.findMany({ where: { consultationId }, select: { participantId: true, positionId: true, value: true } });
  return new Map(rows.map((r) => [`${r.participantId}/${r.positionId}`, r.value]));
}

// Both writers: the direct SQLite one (the default here) and Prisma's (PostgreSQL's path); on
// PostgreSQL only Prisma's.
describe.each(onSqlite ? ["direct SQLite", "Prisma"] : ["Prisma"])("a batch of votes (%s)", (writer) => {
  beforeEach(() => {
    if (writer === "Prisma") process.env.POLYPHONY_DIRECT_SQLITE = "off";
  });
  afterEach(() => {
    delete process.env.POLYPHONY_DIRECT_SQLITE;
  });

  it("applies ballots in order: the later ballot of one person on one position wins, one event per change", async () => {
    const { c, positions, voters } = await world();
    const [p1, p2] = positions;
    const [a, b] = voters;
    const db = await getDb();
    const ballot = (who: (typeof voters)[number], positionId: string, choice: Ballot["choice"]): Ballot => ({ viewer: who.viewer, key: c.key, positionId, choice });
    const results = await castVotes(db, [
      ballot(a, p1, "agree"), // new
      ballot(a, p1, "disagree"), // changes it, in the same batch
      ballot(a, p1, "disagree"), // same again: nothing changes
      ballot(b, p1, "pass"),
      ballot(b, p2, "agree"),
    ]);
    expect(results.map((r) => (r.ok ? r.vote.changed : r.error.message))).toEqual([true, true, false, true, true]);
    const stored = await votesOf(c.id);
    expect(stored.size).toBe(3);
    expect(stored.get(`${a.me.id}/${p1}`)).toBe(-1);
    expect(stored.get(`${b.me.id}/${p1}`)).toBe(0);
    expect(stored.get(`${b.me.id}/${p2}`)).toBe(1);
    // Four changes, four events, numbered in order right after what came before.
    const events = (await eventsOf(c.id)).filter((e) => e.type === "vote.cast");
    expect(events).toHaveLength(4);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([seqs[0], seqs[0] + 1, seqs[0] + 2, seqs[0] + 3]);
    const { eventSeq } = await db.consultation.findUniqueOrThrow({ where: { id: c.id }, select: { eventSeq: true } });
    expect(eventSeq).toBe(seqs[3]);
    // Events name the position only.
    expect(events.map((e) => Object.keys(e.data).sort())).toEqual(Array(4).fill(["positionId", "questionId"]));
    // A second batch changes existing rows in place.
    const again = await castVotes(db, [ballot(a, p1, "agree"), ballot(b, p2, "agree")]);
    expect(again.map((r) => r.ok && r.vote.changed)).toEqual([true, false]);
    expect((await votesOf(c.id)).get(`${a.me.id}/${p1}`)).toBe(1);
  });

  it("answers each ballot on its own: refusals do not stop the others", async () => {
    const { fac, c, author, positions, voters } = await world();
    const db = await getDb();
    const other = await createConsultation(fac, { phase: "positions" });
    const outsider = await joinParticipant(fac, other, "Police");
    await hideContent(db, fac.viewer, c.key, "position", positions[1], { reason: "Names a person." });
    const results = await castVotes(db, [
      { viewer: voters[0].viewer, key: c.key, positionId: positions[0], choice: "agree" },
      { viewer: author.viewer, key: c.key, positionId: positions[0], choice: "agree" }, // own position
      { viewer: voters[1].viewer, key: c.key, positionId: positions[1], choice: "agree" }, // hidden
      { viewer: outsider.viewer, key: c.key, positionId: positions[0], choice: "agree" }, // not a member
      { viewer: fac.viewer, key: c.key, positionId: positions[0], choice: "agree" }, // facilitator
      { viewer: voters[2].viewer, key: c.key, positionId: "no-such-position", choice: "agree" },
      { viewer: voters[3].viewer, key: { slug: "no-such-consultation" }, positionId: positions[0], choice: "agree" },
      { viewer: voters[4].viewer, key: c.key, positionId: positions[0], choice: "disagree" },
    ]);
    expect(results.map((r) => (r.ok ? "ok" : `${r.error.status} ${r.error.message}`))).toEqual([
      "ok",
      "403 You cannot vote on your own position.",
      "409 This position is no longer open for votes.",
      "404 This consultation was not found.",
      "403 Facilitators cannot do this as a participant.",
      "404 This position was not found.",
      "404 This consultation was not found.",
      "ok",
    ]);
    const stored = await votesOf(c.id);
    expect([...stored.keys()].sort()).toEqual([`${voters[0].me.id}/${positions[0]}`, `${voters[4].me.id}/${positions[0]}`].sort());
    // Both accepted ballots see the tally after the batch (2 voters: fewer than 5, suppressed).
    expect(results[0].ok && results[0].vote.tally).toEqual({ suppressed: true, minimum: 5 });
  });

  it("idempotency keys: a key repeated in the batch or in a later one is answered once; reused for another vote, refused", async () => {
    const { c, positions, voters } = await world();
    const db = await getDb();
    const [a, b] = voters;
    const first = await castVotes(db, [
      { viewer: a.viewer, key: c.key, positionId: positions[0], choice: "agree", requestKey: "key-one-1" },
      { viewer: a.viewer, key: c.key, positionId: positions[0], choice: "agree", requestKey: "key-one-1" }, // retry in the batch
      { viewer: a.viewer, key: c.key, positionId: positions[1], choice: "agree", requestKey: "key-one-1" }, // reused for another
      // Another participant's key with the same text is their own.
      { viewer: b.viewer, key: c.key, positionId: positions[0], choice: "disagree", requestKey: "key-one-1" },
    ]);
    expect(first.map((r) => (r.ok ? `${r.repeated ? "repeat" : "new"} ${r.vote.changed}` : `${r.error.status}`))).toEqual(["new true", "repeat true", "409", "new true"]);
    const later = await castVotes(db, [
      { viewer: a.viewer, key: c.key, positionId: positions[0], choice: "agree", requestKey: "key-one-1" },
      { viewer: a.viewer, key: c.key, positionId: positions[0], choice: "disagree", requestKey: "key-one-1" },
    ]);
    expect(later.map((r) => (r.ok ? `${r.repeated ? "repeat" : "new"} ${r.vote.changed}` : `${r.error.status}`))).toEqual(["repeat true", "409"]);
    // Applied once: a's vote is still agree, one event each for a and b.
    expect((await votesOf(c.id)).get(`${a.me.id}/${positions[0]}`)).toBe(1);
    expect((await eventsOf(c.id)).filter((e) => e.type === "vote.cast")).toHaveLength(2);
    expect(await db.processedRequest.count({ where: { consultationId: c.id } })).toBe(2);
  });

  it("costs the same number of statements for 6 ballots as for 120, and the tallies are right", async () => {
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    // Two authors: one participant may post 10 positions at once (consultations/rate-limits.ts).
    const authors = [await joinParticipant(fac, c, "Outreach workers"), await joinParticipant(fac, c, "Outreach workers")];
    const positions: string[] = [];
    for (let i = 0; i < 20; i++) positions.push((await submit(authors[i % 2], c)).id);
    const voters = await joinMany(fac, c, "Police", 6);
    const db = await getDb();
    const prepared: string[] = [];
    const original = Database.prototype.prepare;
    const count = async (ballots: Ballot[]) => {
      prepared.length = 0;
      Database.prototype.prepare = function (this: Database.Database, sql: string) {
        prepared.push(sql);
        return original.call(this, sql);
      } as typeof Database.prototype.prepare;
      try {
        const results = await castVotes(db, ballots);
        expect(results.every((r) => r.ok)).toBe(true);
      } finally {
        Database.prototype.prepare = original;
      }
      return prepared.length;
    };
    const choices = ["agree", "disagree", "pass"] as const;
    const small = await count(voters.map((v, i) => ({ viewer: v.viewer, key: c.key, positionId: positions[0], choice: choices[i % 3], requestKey: `small-${i}-key` })));
    const big: Ballot[] = [];
    for (const [i, v] of voters.entries()) for (const [j, p] of positions.entries()) big.push({ viewer: v.viewer, key: c.key, positionId: p, choice: choices[(i + j) % 3], requestKey: `big-${i}-${j}-key` });
    const large = await count(big);
    expect(big).toHaveLength(120);
    if (writer === "Prisma") {
      expect(large).toBeLessThanOrEqual(small + 2); // + the updateMany of up to three values
      expect(large).toBeLessThan(20);
    } else {
      // Prepared once: later batches prepare nothing new however large (tally reads come in chunks of 50).
      expect(large).toBeLessThanOrEqual(small + 6);
    }
    // Every position's tally: 6 voters, choices by (i + j) % 3 -> two of each.
    const tallies = await loadTallies(db, c.id, positions);
    for (const p of positions.slice(1)) expect(tallies.get(p)).toEqual({ agree: 2, disagree: 2, pass: 2 });
  });
});
