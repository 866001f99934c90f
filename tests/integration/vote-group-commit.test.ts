/**
 * The group commit of votes against the rest of the database's writers (consultations/votes.ts
 * `castVotes`, consultations/votes-sqlite.ts, consultations/db/gate.ts):
 *   - a Prisma transaction that reads, waits on a real timer and then writes, while a batch of votes
 *     starts: both commit (no SQLITE_BUSY), the batch after the transaction;
 *   - a rolled-back Prisma transaction interleaved with a batch: nothing of it survives, the batch is
 *     whole, event numbers stay contiguous;
 *   - `loadCommittedTallies` never reports a vote of a transaction that is still open;
 *   - the direct SQLite writer and the Prisma writer give the same answers and the same rows for the
 *     same random sequence of ballots.
 */
import { getDb, type Db } from "../../consultations/db/client";
import { writeGate } from "../../consultations/db/gate";
import { onEvent, type ConsultationEvent } from "../../consultations/events";
import { hideContent } from "../../consultations/moderation";
import { loadCommittedTallies, loadTallies } from "../../consultations/positions";
import { VOTE_VALUE, type VoteChoice } from "../../consultations/schemas";
import type { Tally } from "../../consultations/tallies";
import { commit } from "../../consultations/unit-of-work";
import { castVotes, type Ballot, type BallotResult } from "../../consultations/votes";
import { createConsultation, createFacilitator, eventsOf, joinMany, joinParticipant, submit, type Member } from "../factories";
import { onSqlite } from "../setup/dialect";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

async function world() {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const author = await joinParticipant(fac, c, "Outreach workers");
  const positions = [(await submit(author, c)).id, (await submit(author, c)).id];
  const voters = await joinMany(fac, c, "Police", 4);
  return { fac, c, author, positions, voters };
}

async function votesOf(consultationId: string) {
  const db = await getDb();
  const rows = await db.vote.findMany({ where: { consultationId }, select: { participantId: true, positionId: true, value: true } });
  return new Map(rows.map((r) => [`${r.participantId}/${r.positionId}`, r.value]));
}

async function eventSeqOf(consultationId: string): Promise<number> {
  const db = await getDb();
  return (await db.consultation.findUniqueOrThrow({ where: { id: consultationId }, select: { eventSeq: true } })).eventSeq;
}

const brief = (r: BallotResult) => (r.ok ? `ok ${r.repeated ? "repeated" : "new"} changed=${r.vote.changed}` : `${r.error.status} ${r.error.message}`);

// Both writers: the direct SQLite connection (the default on SQLite) and Prisma's (PostgreSQL's path).
// On PostgreSQL there is only Prisma's.
const WRITERS = onSqlite ? ["direct SQLite", "Prisma"] : ["Prisma"];
describe.each(WRITERS)("group commit next to Prisma transactions (%s writer)", (writer) => {
  beforeEach(() => {
    if (writer === "Prisma") process.env.POLYPHONY_DIRECT_SQLITE = "off";
  });
  afterEach(() => {
    delete process.env.POLYPHONY_DIRECT_SQLITE;
    vi.restoreAllMocks();
  });

  it("a transaction that reads, waits 100 ms on a timer and writes, and a batch started meanwhile: both commit, the batch after it", async () => {
    const { c, positions, voters } = await world();
    const [p1, p2] = positions;
    const [a, b, d] = voters;
    const db = await getDb();
    const before = await eventSeqOf(c.id);
    const order: string[] = [];
    // Who asks for the write gate, and when (the transaction's own $transaction, then the batch's write).
    const gateRun = writeGate.run.bind(writeGate);
    const batchAtGate = signal();
    vi.spyOn(writeGate, "run").mockImplementation((work) => {
      order.push("gate asked");
      if (order.includes("batch starts")) batchAtGate.fire();
      return gateRun(work);
    });

    const read = signal();
    const transaction = commit(db, async (tx, emit) => {
      // Read first: a deferred SQLite transaction now holds a read snapshot.
      const existing = await tx.vote.findUnique({ where: { participantId_positionId: { participantId: a.me.id, positionId: p1 } } });
      const { eventSeq } = await tx.consultation.findUniqueOrThrow({ where: { id: c.id }, select: { eventSeq: true } });
      order.push("tx read");
      read.fire();
      // A real timer: other macrotasks (the batch below, its reads and its write attempt) run meanwhile.
      await sleep(100);
      // (On a very slow machine, also until the batch asked for the gate, so the order below is certain.)
      await Promise.race([batchAtGate.promise, sleep(5000)]);
      order.push("tx writes");
      await tx.vote.create({ data: { consultationId: c.id, positionId: p1, participantId: a.me.id, value: VOTE_VALUE.agree } });
      const event = await emit(c.id, "vote.cast", "participant", { positionId: p1, questionId: c.questions[0] });
      order.push("tx work done");
      return { existing, seqRead: eventSeq, event };
    }).then((result) => {
      order.push("tx committed");
      return result;
    });

    await read.promise;
    order.push("batch starts");
    const batch = castVotes(db, [
      { viewer: a.viewer, key: c.key, positionId: p1, choice: "agree" }, // what the transaction writes: unchanged only if it ran after it
      { viewer: b.viewer, key: c.key, positionId: p1, choice: "disagree" },
      { viewer: d.viewer, key: c.key, positionId: p2, choice: "pass" },
    ]).then((results) => {
      order.push("batch done");
      return results;
    });

    // Both succeed (a SQLITE_BUSY at the transaction's write, or in the batch, would reject here).
    const [txResult, results] = await Promise.all([transaction, batch]);

    // The transaction read the state before the batch, and its event is numbered right after it.
    expect(txResult.existing).toBeNull();
    expect(txResult.seqRead).toBe(before);
    expect(txResult.event.seq).toBe(before + 1);

    // Order: the batch asked for the gate while the transaction was open, and finished after its work.
    expect(order.slice(0, 4)).toEqual(["gate asked", "tx read", "batch starts", "gate asked"]);
    expect(order.indexOf("tx work done")).toBeGreaterThan(order.indexOf("tx writes"));
    expect(order.indexOf("batch done")).toBeGreaterThan(order.indexOf("tx work done"));
    expect(order).toContain("tx committed");
    // Every database call takes the gate (consultations/db/client.ts): the batch's first read asked while
    // the transaction was open and waited; nothing of the batch asked while the transaction worked; its
    // other calls asked after it (its write and one more read; through Prisma, also its committed tally
    // read, a transaction of its own).
    // On PostgreSQL only transactions take the gate (reads run on their own pooled connections): the
    // batch's transaction asked once, and its committed tally read once more.
    const workDone = order.indexOf("tx work done");
    expect(order.slice(4, workDone + 1)).toEqual(["tx writes", "tx work done"]);
    expect(order.slice(workDone + 1).filter((step) => step === "gate asked")).toHaveLength(!onSqlite ? 1 : writer === "Prisma" ? 3 : 2);

    // The batch saw the transaction's committed vote: a's ballot changed nothing.
    expect(results.map(brief)).toEqual(["ok new changed=false", "ok new changed=true", "ok new changed=true"]);

    // The data: three votes, one event for the transaction's vote and one per change of the batch, after it.
    const stored = await votesOf(c.id);
    expect(stored).toEqual(
      new Map([
        [`${a.me.id}/${p1}`, 1],
        [`${b.me.id}/${p1}`, -1],
        [`${d.me.id}/${p2}`, 0],
      ]),
    );
    const voteEvents = (await eventsOf(c.id)).filter((e) => e.type === "vote.cast");
    expect(voteEvents.map((e) => [e.seq, e.data.positionId])).toEqual([
      [before + 1, p1],
      [before + 2, p1],
      [before + 3, p2],
    ]);
    expect(await eventSeqOf(c.id)).toBe(before + 3);
    expect(await loadTallies(db, c.id, [p1, p2])).toEqual(
      new Map([
        [p1, { agree: 1, disagree: 1, pass: 0 }],
        [p2, { agree: 0, disagree: 0, pass: 1 }],
      ]),
    );
  });

  it("a transaction rolled back after writing, interleaved with a batch: the batch whole, the rolled-back writes gone, seqs contiguous", async () => {
    const { c, positions, voters } = await world();
    const [p1, p2] = positions;
    const [a, b, d] = voters;
    const db = await getDb();
    const before = await eventSeqOf(c.id);
    const published: ConsultationEvent[] = [];
    const unsubscribe = onEvent((event) => {
      if (event.consultationId === c.id) published.push(event);
    });
    try {
      const wrote = signal();
      const transaction = commit(db, async (tx, emit) => {
        await tx.vote.create({ data: { consultationId: c.id, positionId: p1, participantId: a.me.id, value: VOTE_VALUE.agree } });
        await emit(c.id, "vote.cast", "participant", { positionId: p1, questionId: c.questions[0] }); // takes seq before + 1, for now
        await tx.consultation.update({ where: { id: c.id }, data: { title: "Renamed inside the transaction" } });
        wrote.fire();
        await sleep(100); // the batch starts and waits meanwhile
        throw new Error("rolled back on purpose");
      });
      await wrote.promise;
      const batch = castVotes(db, [
        { viewer: b.viewer, key: c.key, positionId: p1, choice: "disagree" },
        { viewer: d.viewer, key: c.key, positionId: p2, choice: "pass" },
        { viewer: a.viewer, key: c.key, positionId: p2, choice: "agree", requestKey: "rollback-key-1" },
      ]);
      const [txOutcome, batchOutcome] = await Promise.allSettled([transaction, batch]);

      // The transaction failed with its own error (not SQLITE_BUSY), the batch succeeded.
      expect(txOutcome.status).toBe("rejected");
      expect((txOutcome as PromiseRejectedResult).reason).toBeInstanceOf(Error);
      expect(((txOutcome as PromiseRejectedResult).reason as Error).message).toBe("rolled back on purpose");
      expect(batchOutcome.status).toBe("fulfilled");
      const results = (batchOutcome as PromiseFulfilledResult<BallotResult[]>).value;
      expect(results.map(brief)).toEqual(["ok new changed=true", "ok new changed=true", "ok new changed=true"]);

      // Rows: the batch's three votes and its key; nothing of the transaction (its vote, its rename).
      expect(await votesOf(c.id)).toEqual(
        new Map([
          [`${b.me.id}/${p1}`, -1],
          [`${d.me.id}/${p2}`, 0],
          [`${a.me.id}/${p2}`, 1],
        ]),
      );
      expect(await db.vote.count({ where: { participantId: a.me.id, positionId: p1 } })).toBe(0);
      expect((await db.consultation.findUniqueOrThrow({ where: { id: c.id }, select: { title: true } })).title).toBe("Drug checking services");
      expect(await db.processedRequest.count({ where: { consultationId: c.id } })).toBe(1);

      // Events: the batch's three, numbered right after what came before (the rolled-back number is reused,
      // no gap); every event of the consultation numbered 1..eventSeq exactly once.
      const events = await eventsOf(c.id);
      const voteEvents = events.filter((e) => e.type === "vote.cast");
      expect(voteEvents.map((e) => [e.seq, e.data.positionId])).toEqual([
        [before + 1, p1],
        [before + 2, p2],
        [before + 3, p2],
      ]);
      const eventSeq = await eventSeqOf(c.id);
      expect(eventSeq).toBe(before + 3);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: eventSeq }, (_, k) => k + 1));

      // Published: the batch's events with the same numbers; the rolled-back one never.
      expect(published.map((e) => [e.type, e.seq])).toEqual([
        ["vote.cast", before + 1],
        ["vote.cast", before + 2],
        ["vote.cast", before + 3],
      ]);
      expect(published.map((e) => e.payload.positionId)).toEqual([p1, p2, p2]);
    } finally {
      unsubscribe();
    }
  });

  it("loadCommittedTallies never reports a vote of a transaction still open; after the end, what was committed", async () => {
    const { c, positions, voters } = await world();
    const [p1] = positions;
    const [a, b] = voters;
    const db = await getDb();
    // One committed vote first.
    await castVotes(db, [{ viewer: b.viewer, key: c.key, positionId: p1, choice: "disagree" }]);

    const rounds = [
      // Round 1: a votes agree in a transaction that commits.
      { ending: "commit", choice: "agree", before: { agree: 0, disagree: 1, pass: 0 }, open: { agree: 1, disagree: 1, pass: 0 }, after: { agree: 1, disagree: 1, pass: 0 } },
      // Round 2: a changes to pass in a transaction that rolls back: agree stays.
      { ending: "rollback", choice: "pass", before: { agree: 1, disagree: 1, pass: 0 }, open: { agree: 0, disagree: 1, pass: 1 }, after: { agree: 1, disagree: 1, pass: 0 } },
    ] as const;
    for (const round of rounds) {
      const wrote = signal();
      const release = signal();
      let open = true;
      let inside: Tally | undefined;
      const transaction = commit(db, async (tx) => {
        await tx.vote.upsert({
          where: { participantId_positionId: { participantId: a.me.id, positionId: p1 } },
          create: { consultationId: c.id, positionId: p1, participantId: a.me.id, value: VOTE_VALUE[round.choice] },
          update: { value: VOTE_VALUE[round.choice] },
        });
        // Inside the transaction its own write is seen (so the checks below do look at an uncommitted write).
        inside = (await loadTallies(tx as unknown as Db, c.id, [p1])).get(p1);
        wrote.fire();
        // Held open: a real timer (other macrotasks run), then until the checks below are done.
        await sleep(20);
        await Promise.race([release.promise, sleep(5000)]);
        open = false;
        if (round.ending === "rollback") throw new Error("rolled back on purpose");
        return "committed";
      }).catch((error: Error) => error.message);
      await wrote.promise;
      expect(inside).toEqual(round.open);

      // A plain read through the Prisma client, outside the transaction (another request's), shares its one
      // connection: it waits for the transaction to end (the gate), and never sees the uncommitted write.
      const settled = { plain: null as boolean | null, committed: null as boolean | null };
      const plain = loadTallies(db, c.id, [p1]).then((tallies) => {
        settled.plain = open;
        return tallies;
      });
      let committed: Promise<Map<string, Tally>>;
      if (writer === "direct SQLite") {
        // The committed read (a separate connection) does not wait, and does not see it either.
        const during = await loadCommittedTallies(db, c.id, [p1]);
        expect(open).toBe(true);
        expect(during.get(p1)).toEqual(round.before);
        committed = Promise.resolve(during);
      } else {
        // The committed read through Prisma waits for the transaction to end, and returns what it left.
        committed = loadCommittedTallies(db, c.id, [p1]).then((tallies) => {
          settled.committed = open;
          return tallies;
        });
      }
      await sleep(50);
      if (onSqlite) {
        expect(settled).toEqual({ plain: null, committed: null }); // still waiting
      } else {
        // PostgreSQL: the plain read ran on a connection of its own, at once, and saw the committed state.
        expect(settled).toEqual({ plain: true, committed: null });
        expect((await plain).get(p1)).toEqual(round.before);
      }
      release.fire();
      if (onSqlite) {
        expect((await plain).get(p1)).toEqual(round.after);
        expect(settled.plain).toBe(false);
      }
      if (writer === "Prisma") {
        expect((await committed).get(p1)).toEqual(round.after);
        expect(settled.committed).toBe(false);
      }
      expect(await transaction).toBe(round.ending === "commit" ? "committed" : "rolled back on purpose");
      // After the end, whichever the writer: the committed value.
      expect((await loadCommittedTallies(db, c.id, [p1])).get(p1)).toEqual(round.after);
    }
    expect(await votesOf(c.id)).toEqual(
      new Map([
        [`${b.me.id}/${p1}`, -1],
        [`${a.me.id}/${p1}`, 1],
      ]),
    );
  });
});

// ---- the two writers against one another ----------------------------------------------------------

/** A small seeded PRNG (mulberry32): the same sequence on every run. */
function prng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const CHOICES: VoteChoice[] = ["agree", "disagree", "pass"];
const VOTERS = 6;
/** Positions 0-3 by the author, 4 by the author and hidden, 5 by voter 0. */
const POSITIONS = 6;
const HIDDEN = 4;
const VOTER0_OWN = 5;

/** A ballot in terms of the shape (indices), applied to either consultation. */
interface AbstractBallot {
  /** A voter's index; "author" (wrote positions 0-4); "facilitator"; "outsider" (a participant elsewhere). */
  who: number | "author" | "facilitator" | "outsider";
  /** A position's index, or a position that does not exist. */
  position: number | "missing";
  choice: VoteChoice;
  requestKey?: string;
}

/** ~300 ballots: repeats, changes, retries, reused keys (for the same vote and for another), refusals. */
function randomBallots(count: number, seed: number): AbstractBallot[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const ballots: AbstractBallot[] = [];
  const keyed: AbstractBallot[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const who: AbstractBallot["who"] = roll < 0.04 ? "facilitator" : roll < 0.08 ? "outsider" : roll < 0.16 ? "author" : Math.floor(random() * VOTERS);
    // Few positions, so the same person often votes again on one: repeats and changes.
    const position = random() < 0.04 ? "missing" : Math.floor(random() * POSITIONS);
    const ballot: AbstractBallot = { who, position, choice: pick(CHOICES) };
    const keyRoll = random();
    const mine = keyed.filter((k) => k.who === who);
    if (keyRoll < 0.3) {
      // no key (as an HTTP vote)
    } else if (keyRoll < 0.6 || !mine.length) {
      ballot.requestKey = `key-${seed}-${i}`;
    } else if (keyRoll < 0.82) {
      // A retry: an earlier keyed ballot of the same person, exactly (often a recent one: same batch).
      const earlier = random() < 0.5 ? mine[mine.length - 1] : pick(mine);
      Object.assign(ballot, { position: earlier.position, choice: earlier.choice, requestKey: earlier.requestKey });
    } else if (keyRoll < 0.94) {
      // The same key for another vote (refused if that key was stored).
      ballot.requestKey = pick(mine).requestKey;
    } else {
      // Someone else's key text: a key of one's own.
      ballot.requestKey = pick(keyed).requestKey;
    }
    if (ballot.requestKey) keyed.push(ballot);
    ballots.push(ballot);
  }
  return ballots;
}

/** Batch sizes from 1 to 60, adding up to `total`. */
function batchSizes(total: number, seed: number): number[] {
  const random = prng(seed);
  const sizes: number[] = [];
  for (let left = total; left > 0; ) {
    const size = Math.min(left, [1, 1, 2, 3, 5, 8, 13, 21, 40, 60][Math.floor(random() * 10)]);
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** A consultation of the shape the abstract ballots name (made anew for each writer). */
async function shape() {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const elsewhere = await createConsultation(fac, { phase: "positions" });
  const author = await joinParticipant(fac, c, "Outreach workers");
  const voters: Member[] = [...(await joinMany(fac, c, "Police", 3)), ...(await joinMany(fac, c, "Sex workers", 3))];
  const outsider = await joinParticipant(fac, elsewhere, "Police");
  const positions: string[] = [];
  for (let i = 0; i < POSITIONS; i++) positions.push((await submit(i === VOTER0_OWN ? voters[0] : author, c)).id);
  await hideContent(await getDb(), fac.viewer, c.key, "position", positions[HIDDEN], { reason: "Names a person." });
  const viewerOf = (who: AbstractBallot["who"]) =>
    who === "facilitator" ? fac.viewer : who === "outsider" ? outsider.viewer : who === "author" ? author.viewer : voters[who].viewer;
  const toBallot = (b: AbstractBallot): Ballot => ({
    viewer: viewerOf(b.who),
    key: c.key,
    positionId: b.position === "missing" ? "no-such-position" : positions[b.position],
    choice: b.choice,
    ...(b.requestKey ? { requestKey: b.requestKey } : {}),
  });
  // Participant and position ids back to the shape's names, to compare two consultations.
  const names = new Map<string, string>([[author.me.id, "author"], ...voters.map((v, i): [string, string] => [v.me.id, `voter${i}`]), ...positions.map((p, i): [string, string] => [p, `p${i}`])]);
  return { c, toBallot, names };
}

/** Applies the ballots batch by batch with one writer; what each ballot got and what is stored. */
async function applyWith(writer: "direct SQLite" | "Prisma", ballots: AbstractBallot[], sizes: number[]) {
  if (writer === "Prisma") process.env.POLYPHONY_DIRECT_SQLITE = "off";
  try {
    const { c, toBallot, names } = await shape();
    const db = await getDb();
    const answers: string[] = [];
    let next = 0;
    for (const size of sizes) {
      const batch = ballots.slice(next, next + size);
      next += size;
      const results = await castVotes(db, batch.map(toBallot));
      expect(results).toHaveLength(batch.length);
      for (const r of results) {
        answers.push(
          r.ok
            ? `ok ${r.repeated ? "repeated" : "new"} changed=${r.vote.changed} ${names.get(r.vote.positionId)} ${r.vote.choice} ${JSON.stringify(r.vote.tally)}`
            : `${r.error.status} ${r.error.message}`,
        );
      }
    }
    expect(next).toBe(ballots.length);
    const rows = await db.vote.findMany({ where: { consultationId: c.id }, select: { participantId: true, positionId: true, value: true } });
    const votes = Object.fromEntries(rows.map((r) => [`${names.get(r.participantId)}/${names.get(r.positionId)}`, r.value]));
    const events = await eventsOf(c.id);
    return {
      answers,
      votes,
      voteEvents: events.filter((e) => e.type === "vote.cast").length,
      keys: await db.processedRequest.count({ where: { consultationId: c.id } }),
      seqsContiguous: events.every((e, k) => e.seq === k + 1),
    };
  } finally {
    delete process.env.POLYPHONY_DIRECT_SQLITE;
  }
}

/** What the ballots should do, one after another (no database): accepted or not; for accepted ones, the outcome. */
function model(ballots: AbstractBallot[]) {
  const votes = new Map<string, number>();
  const keys = new Map<string, { position: number | "missing"; choice: VoteChoice; changed: boolean }>();
  const answers: string[] = [];
  let changes = 0;
  for (const b of ballots) {
    if (b.who === "facilitator" || b.who === "outsider") {
      answers.push("refused");
      continue;
    }
    const who = b.who === "author" ? "author" : `voter${b.who}`;
    const stored = b.requestKey ? keys.get(`${who}/${b.requestKey}`) : undefined;
    if (stored) {
      answers.push(stored.position === b.position && stored.choice === b.choice ? `ok repeated changed=${stored.changed} p${b.position} ${b.choice}` : "refused");
      continue;
    }
    const own = (b.who === "author" && b.position !== VOTER0_OWN) || (b.who === 0 && b.position === VOTER0_OWN);
    if (b.position === "missing" || b.position === HIDDEN || own) {
      answers.push("refused");
      continue;
    }
    const pair = `${who}/p${b.position}`;
    const changed = votes.get(pair) !== VOTE_VALUE[b.choice];
    votes.set(pair, VOTE_VALUE[b.choice]);
    if (changed) changes += 1;
    if (b.requestKey) keys.set(`${who}/${b.requestKey}`, { position: b.position, choice: b.choice, changed });
    answers.push(`ok new changed=${changed} p${b.position} ${b.choice}`);
  }
  return { answers, votes: Object.fromEntries(votes), changes, keys: keys.size };
}

describe.skipIf(!onSqlite)("the direct SQLite writer and the Prisma writer", () => {
  it("give the same answers, rows and events for the same random sequence of 300 ballots in batches of varying sizes", async () => {
    const ballots = randomBallots(300, 7);
    const sizes = batchSizes(ballots.length, 11);
    // The sequence exercises what it should (so a change of the generator cannot make this test vacuous).
    const expected = model(ballots);
    const count = (prefix: string) => expected.answers.filter((a) => a.startsWith(prefix)).length;
    expect(count("ok repeated")).toBeGreaterThan(15);
    expect(count("ok new changed=false")).toBeGreaterThan(10);
    expect(count("ok new changed=true")).toBeGreaterThan(40);
    expect(count("refused")).toBeGreaterThan(40);
    expect(sizes.filter((s) => s === 1).length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(21);

    const direct = await applyWith("direct SQLite", ballots, sizes);
    const prisma = await applyWith("Prisma", ballots, sizes);

    // Equivalence: ballot by ballot (status, message, changed, repeated, tally), rows, events, keys.
    expect(prisma.answers).toEqual(direct.answers);
    expect(prisma.votes).toEqual(direct.votes);
    expect(prisma.voteEvents).toBe(direct.voteEvents);
    expect(prisma.keys).toBe(direct.keys);
    expect(direct.seqsContiguous).toBe(true);
    // Every kind of refusal occurred (a key reused for another vote among them).
    for (const refusal of [
      "409 This idempotency key was already used for another vote.",
      "409 This position is no longer open for votes.",
      "403 You cannot vote on your own position.",
      "403 Facilitators cannot do this as a participant.",
      "404 This consultation was not found.",
      "404 This position was not found.",
    ]) {
      expect(direct.answers.filter((a) => a === refusal).length, refusal).toBeGreaterThanOrEqual(5);
    }
    expect(prisma.seqsContiguous).toBe(true);

    // And both are right: as the ballots one after another say (refusals only as refusals: which of two
    // reasons a ballot is refused for may depend on its batch).
    const shown = direct.answers.map((a) => (a.startsWith("ok") ? a.slice(0, a.lastIndexOf(" ")) : "refused"));
    expect(shown).toEqual(expected.answers);
    expect(direct.votes).toEqual(expected.votes);
    expect(direct.voteEvents).toBe(expected.changes);
    expect(direct.keys).toBe(expected.keys);
  });
});
