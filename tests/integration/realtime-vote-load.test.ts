/**
 * Votes over real sockets under load: 100 participants, each on a socket of its own, send 10,000 votes
 * in all, 10 in flight per socket, 30% of them retries of an earlier request with the same idempotency key
 * (sent before or after the first answer came back). The group commit (realtime/vote-over-socket.ts
 * `VoteQueue`, consultations/votes.ts `castVotes`) must answer every one, apply each key once, keep one
 * row per (participant, position) with the participant's last choice, and really batch.
 */
import { getDb } from "../../consultations/db/client";
import { loadTallies } from "../../consultations/positions";
import { VOTE_VALUE, type VoteChoice } from "../../consultations/schemas";
import { EMPTY_TALLY, addVote, type Tally } from "../../consultations/tallies";
import { configureRateLimits } from "../../consultations/rate-limits";
import { castVotes } from "../../consultations/votes";
import { DEFAULT_GROUPS, createConsultation, createFacilitator, eventsOf, joinParticipant, submit, type Facilitator, type Member, type TestConsultation } from "../factories";
import { joined, requestKey, startServer, type Client, type RunningServer } from "./realtime-harness";
import { onSqlite } from "../setup/dialect";

// Every batch the socket server writes goes through castVotes: wrapped (same behaviour) to see the batches.
vi.mock("../../consultations/votes", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../consultations/votes")>();
  return { ...actual, castVotes: vi.fn(actual.castVotes) };
});

const PARTICIPANTS = 100;
const TOTAL_REQUESTS = 10_000;
const RETRY_SHARE = 0.3;
const IN_FLIGHT = 10;
const POSITIONS = 8;

/** mulberry32: the same plan on every run. */
function prng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** One request a socket sends: a new vote (a fresh key), or a retry of an earlier one (same key, same vote). */
interface Op {
  position: number;
  choice: VoteChoice;
  key: string;
  /** Index (in this socket's list) of the request this one retries. */
  retryOf?: number;
}

/** Per socket, in sending order; 10,000 requests in all, exactly 30% retries, the first of each socket new. */
function plan(seed: number): Op[][] {
  const random = prng(seed);
  const choices: VoteChoice[] = ["agree", "disagree", "pass"];
  const retriesPerSocket = Math.round((TOTAL_REQUESTS * RETRY_SHARE) / PARTICIPANTS); // 30
  const plans: Op[][] = [];
  for (let s = 0; s < PARTICIPANTS; s++) {
    // TOTAL_REQUESTS / PARTICIPANTS each (the first sockets one more when it does not divide).
    const count = Math.floor(TOTAL_REQUESTS / PARTICIPANTS) + (s < TOTAL_REQUESTS % PARTICIPANTS ? 1 : 0);
    const retrySlots = new Set<number>();
    while (retrySlots.size < retriesPerSocket) retrySlots.add(1 + Math.floor(random() * (count - 1)));
    const ops: Op[] = [];
    const fresh: number[] = [];
    for (let i = 0; i < count; i++) {
      if (retrySlots.has(i)) {
        // Half the time the latest new request (probably still unanswered), else any earlier one.
        const target = random() < 0.5 ? fresh[fresh.length - 1] : fresh[Math.floor(random() * fresh.length)];
        ops.push({ ...ops[target], retryOf: target });
      } else {
        fresh.push(i);
        // Few positions: people often vote again on one (a change, or the same choice again).
        ops.push({ position: Math.floor(random() * POSITIONS), choice: choices[Math.floor(random() * 3)], key: requestKey() });
      }
    }
    plans.push(ops);
  }
  return plans;
}

interface Answer {
  ok: boolean;
  positionId?: string;
  choice?: string;
  changed?: boolean;
  error?: unknown;
}

// One server, one consultation, 100 participants each on a joined socket: shared by both writers' runs
// (each run votes on positions of its own, so neither sees the other's votes).
let srv: RunningServer;
let fac: Facilitator;
let c: TestConsultation;
const members: Member[] = [];
let clients: Client[] = [];
let setupMs = 0;
beforeAll(async () => {
  const started = Date.now();
  // This is about concurrency, not the abuse limits (each participant sends 100 votes in a few seconds,
  // twice): rate-limits.test.ts and realtime-rate-limits.test.ts test those.
  configureRateLimits({ enabled: false });
  srv = await startServer();
  fac = await createFacilitator();
  c = await createConsultation(fac, { phase: "positions" });
  for (let i = 0; i < PARTICIPANTS; i++) members.push(await joinParticipant(fac, c, DEFAULT_GROUPS[i % DEFAULT_GROUPS.length]));
  clients = await Promise.all(members.map((m) => joined(srv.url, m.token, c.slug)));
  setupMs = Date.now() - started;
});
afterAll(async () => {
  configureRateLimits({ enabled: true });
  for (const client of clients) client.close();
  await srv?.close();
});

// Both writers behind the queue: the direct SQLite connection (the default) and Prisma (PostgreSQL's path).
describe.each(onSqlite ? ["direct SQLite", "Prisma"] : ["Prisma"])("votes over 100 sockets under load (%s writer)", (writer) => {
  beforeEach(() => {
    if (writer === "Prisma") process.env.POLYPHONY_DIRECT_SQLITE = "off";
  });
  afterEach(() => {
    delete process.env.POLYPHONY_DIRECT_SQLITE;
  });

  it("10,000 concurrent votes with 30% retries: every ack ok, each key applied once, one row per pair with the last choice, batched", { timeout: 180_000 }, async () => {
    // Positions of this run, by an author of its own.
    const author = await joinParticipant(fac, c, "Outreach workers");
    const positions: string[] = [];
    for (let i = 0; i < POSITIONS; i++) positions.push((await submit(author, c)).id);
    const db = await getDb();
    const keysBefore = await db.processedRequest.count({ where: { consultationId: c.id } });

    const plans = plan(20261122);
    expect(plans.flat()).toHaveLength(TOTAL_REQUESTS);
    expect(plans.flat().filter((op) => op.retryOf !== undefined)).toHaveLength(TOTAL_REQUESTS * RETRY_SHARE);
    const batchesBefore = vi.mocked(castVotes).mock.calls.length;

    // ---- send: per socket, in order, at most 10 unanswered at a time ----
    const answers: (Answer | undefined)[][] = plans.map((ops) => ops.map(() => undefined));
    let retriesBeforeFirstAck = 0;
    let retriesAfterFirstAck = 0;
    const sendStarted = Date.now();
    await Promise.all(
      clients.map(async (client, s) => {
        const ops = plans[s];
        let next = 0;
        const lane = async () => {
          while (next < ops.length) {
            const i = next++;
            const op = ops[i];
            if (op.retryOf !== undefined) {
              if (answers[s][op.retryOf]) retriesAfterFirstAck += 1;
              else retriesBeforeFirstAck += 1;
            }
            const ack = await client.request<{ positionId: string; choice: string; changed: boolean }>(
              "vote.cast",
              { slug: c.slug, positionId: positions[op.position], choice: op.choice, idempotencyKey: op.key },
              15_000,
            );
            answers[s][i] = ack.ok ? { ok: true, positionId: ack.data.positionId, choice: ack.data.choice, changed: ack.data.changed } : { ok: false, error: ack.error };
          }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
      }),
    );
    const sendMs = Date.now() - sendStarted;

    // ---- what the answers and the rows must be: each participant's requests one after another ----
    const finalVotes = new Map<string, number>(); // `${participantId}/${positionId}` -> value
    let changedFirstAnswers = 0;
    let firstAnswers = 0;
    for (const [s, ops] of plans.entries()) {
      const mine = new Map<number, number>(); // position index -> value
      for (const [i, op] of ops.entries()) {
        const answer = answers[s][i];
        // Every ack ok.
        expect(answer, `socket ${s} request ${i}`).toEqual(expect.objectContaining({ ok: true }));
        if (op.retryOf === undefined) {
          firstAnswers += 1;
          const value = VOTE_VALUE[op.choice];
          const changed = mine.get(op.position) !== value;
          mine.set(op.position, value);
          // The first answer: this vote, changed exactly when it differs from the participant's previous one.
          expect(answer, `socket ${s} request ${i}`).toEqual({ ok: true, positionId: positions[op.position], choice: op.choice, changed });
          if (answer!.changed) changedFirstAnswers += 1;
        } else {
          // A retry: the first answer again (positionId, choice, changed), whenever it was sent.
          expect(answer, `socket ${s} request ${i} (retry of ${op.retryOf})`).toEqual(answers[s][op.retryOf]);
        }
      }
      for (const [position, value] of mine) finalVotes.set(`${members[s].me.id}/${positions[position]}`, value);
    }
    expect(firstAnswers).toBe(TOTAL_REQUESTS * (1 - RETRY_SHARE));
    // Both kinds of retry happened.
    expect(retriesBeforeFirstAck).toBeGreaterThan(20);
    expect(retriesAfterFirstAck).toBeGreaterThan(20);

    // Vote rows: exactly one per (participant, position) voted on, with the participant's last choice.
    const rows = await db.vote.findMany({ where: { positionId: { in: positions } }, select: { participantId: true, positionId: true, value: true } });
    expect(rows).toHaveLength(finalVotes.size);
    expect(new Map(rows.map((r) => [`${r.participantId}/${r.positionId}`, r.value]))).toEqual(finalVotes);
    // One idempotency record per distinct key.
    const distinctKeys = new Set(plans.flat().map((op) => op.key));
    expect(distinctKeys.size).toBe(firstAnswers);
    expect(await db.processedRequest.count({ where: { consultationId: c.id } })).toBe(keysBefore + distinctKeys.size);
    // One vote.cast event per first answer that changed something; numbered without gap.
    const events = await eventsOf(c.id);
    const ours = new Set(positions);
    expect(events.filter((e) => e.type === "vote.cast" && ours.has(e.data.positionId as string))).toHaveLength(changedFirstAnswers);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, k) => k + 1));
    // Tallies as counted here from the final votes.
    const expected = new Map<string, Tally>();
    for (const [pair, value] of finalVotes) {
      const positionId = pair.slice(pair.indexOf("/") + 1);
      expected.set(positionId, addVote(expected.get(positionId) ?? EMPTY_TALLY, value));
    }
    expect(await loadTallies(db, c.id, positions)).toEqual(expected);

    // The queue batched: every request reached castVotes once, in far fewer calls than requests.
    const batches = vi.mocked(castVotes).mock.calls.slice(batchesBefore).map(([, ballots]) => ballots.length);
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(TOTAL_REQUESTS);
    expect(batches.length).toBeLessThan(TOTAL_REQUESTS / 10);
    expect(Math.max(...batches)).toBeGreaterThanOrEqual(IN_FLIGHT * 5);

    console.log(
      `[realtime-vote-load] ${writer}: setup ${setupMs} ms, ${TOTAL_REQUESTS} votes in ${sendMs} ms, ${batches.length} batches ` +
        `(max ${Math.max(...batches)}, mean ${(TOTAL_REQUESTS / batches.length).toFixed(1)}), ` +
        `retries before/after the first ack ${retriesBeforeFirstAck}/${retriesAfterFirstAck}, ${changedFirstAnswers} changes`,
    );
  });
});
