/**
 * The socket vote's server-side path without sockets, in one process: what one `vote.cast` costs in the
 * database layer (realtime/sockets.ts runs recheckSession, then realtime/vote-over-socket.ts). Counts the
 * SQL statements better-sqlite3 prepares per vote, times each step, and measures how many votes per
 * second the path allows with many in flight: the ceiling of the socket throughput figure.
 *
 *   node --import tsx tests/bench/realtime-vote-path.ts [votes=600] [inflight=50]
 *
 * A diagnostic for tests/bench/realtime.ts (not in the BENCHES list); asserts nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { fileUrl, TMP_DIR } from "../setup/paths";
import { migrateFreshDatabase } from "../setup/sqlite-files";
import { summarise } from "./realtime-stats";

const votes = Number(process.argv[2] ?? 600);
const inflight = Number(process.argv[3] ?? 50);
const dir = path.join(TMP_DIR, "bench-realtime", `vote-path-${process.pid}`);
fs.mkdirSync(dir, { recursive: true });
const dbPath = path.join(dir, "vote-path.db");
process.env.POLYPHONY_FAST_HASH = "1";
process.env.DATABASE_URL = fileUrl(dbPath);

// Count (and, while `capture` is set, record) every statement the Prisma adapter prepares.
let prepared = 0;
let capture: string[] | null = null;
const originalPrepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, sql: string) {
  prepared += 1;
  capture?.push(sql.replace(/\s+/g, " ").slice(0, 160));
  return originalPrepare.call(this, sql);
} as typeof Database.prototype.prepare;

const { createDb } = await import("../../consultations/db/client");
const { seedRealtimeBench } = await import("./realtime-seed");
const { readSession } = await import("../../consultations/sessions");
const { access } = await import("../../consultations/access");
const { loadTallies } = await import("../../consultations/positions");
const { voteOverSocket } = await import("../../realtime/vote-over-socket");

migrateFreshDatabase(dbPath);
const db = await createDb(fileUrl(dbPath));
const voterCount = 50;
const positionCount = Math.ceil((votes * 3 + 400) / voterCount) + 5;
const fixture = await seedRealtimeBench(
  db,
  { listeners: positionCount + 10, latencyVoters: 0, throughputVoters: voterCount, latencyPositions: 0, throughputPositions: positionCount, preVotes: 5 },
  () => {},
);
const voters = await Promise.all(fixture.throughputVoters.map(async (v) => ({ token: v.token, next: 0 })));
let keySeq = 0;

/** One socket vote as realtime/sockets.ts runs it: the session read again, then voteOverSocket. */
async function oneVote(voter: (typeof voters)[number]) {
  const info = await readSession(db, voter.token);
  if (!info) throw new Error("session gone");
  const positionId = fixture.throughputPositions[voter.next++ % fixture.throughputPositions.length];
  return voteOverSocket(db, info.viewer, { slug: fixture.slug, positionId, choice: "agree", idempotencyKey: `vp-${keySeq++}-abcdefgh` });
}

const line = (label: string, ms: number[], statements: number) => {
  const s = summarise(ms);
  console.log(`${label.padEnd(44)} p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  ${(statements / ms.length).toFixed(1)} statements each`);
};

// Warm the JIT and Prisma's query caches.
for (let i = 0; i < 100; i++) await oneVote(voters[i % voters.length]);

// The statements of one vote.
capture = [];
await oneVote(voters[0]);
console.log(`One socket vote prepares ${capture.length} statements:`);
capture.forEach((sql, i) => console.log(`  ${String(i + 1).padStart(2)}. ${sql}`));
capture = null;

// Each step on its own, sequentially.
const steps: Array<[string, () => Promise<unknown>]> = [
  ["readSession (every socket event)", () => readSession(db, voters[1].token)],
  ["access(vote) (loads the consultation)", async () => access(db, (await readSession(db, voters[1].token))!.viewer, { slug: fixture.slug }, "vote")],
  ["loadTallies (one position)", () => loadTallies(db, fixture.consultationId, [fixture.throughputPositions[0]])],
  ["readSession + voteOverSocket (a whole vote)", () => oneVote(voters[2 + (keySeq % (voters.length - 2))])],
];
for (const [label, run] of steps) {
  const ms: number[] = [];
  const before = prepared;
  for (let i = 0; i < Math.min(300, votes); i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  line(label, ms, prepared - before);
}
// Subtract the session read from the access row: it was only there to get a viewer.

// Many in flight, as the socket server sees them.
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let done = 0;
const acks: number[] = [];
await Promise.all(
  Array.from({ length: inflight }, async (_, slot) => {
    while (done < votes) {
      done += 1;
      const t = performance.now();
      await oneVote(voters[slot % voters.length]);
      acks.push(performance.now() - t);
    }
  }),
);
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const ack = summarise(acks);
console.log(
  `${inflight} in flight: ${(acks.length / wall).toFixed(0)} votes/s, ${((cpu.user + cpu.system) / 1000 / acks.length).toFixed(2)} ms CPU a vote, ` +
    `latency p50 ${ack.p50.toFixed(0)} ms p99 ${ack.p99.toFixed(0)} ms (no sockets, no fan-out)`,
);
await db.$disconnect();

// The same work as plain better-sqlite3 statements, prepared once: the ceiling of this path on SQLite
// (one vote per transaction, then 50 votes per transaction). Not the app's code: a yardstick.
{
  const { createHash, randomUUID } = await import("node:crypto");
  const raw = new Database(dbPath);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  raw.pragma("foreign_keys = ON");
  const session = raw.prepare(
    `SELECT s.id, s.revokedAt, s.expiresAt, s.lastSeenAt, s.createdAt, p.id AS pid, p.status FROM "Session" s
     LEFT JOIN "SessionParticipant" sp ON sp.sessionId = s.id LEFT JOIN "Participant" p ON p.id = sp.participantId WHERE s.tokenHash = ?`,
  );
  const consultation = raw.prepare(`SELECT id, phase, minGroupSize, eventSeq FROM "Consultation" WHERE slug = ?`);
  const position = raw.prepare(`SELECT id, status, authorId, questionId FROM "Position" WHERE id = ? AND consultationId = ?`);
  const existing = raw.prepare(`SELECT id, value FROM "Vote" WHERE participantId = ? AND positionId = ?`);
  const upsert = raw.prepare(
    `INSERT INTO "Vote" (id, consultationId, positionId, participantId, value, createdAt, updatedAt) VALUES (?,?,?,?,?,?,?)
     ON CONFLICT (participantId, positionId) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt`,
  );
  const bump = raw.prepare(`UPDATE "Consultation" SET eventSeq = eventSeq + 1 WHERE id = ? RETURNING eventSeq`);
  const event = raw.prepare(`INSERT INTO "ConsultationEvent" (id, consultationId, seq, type, actorKind, payload, createdAt) VALUES (?,?,?,?,?,?,?)`);
  const key = raw.prepare(`INSERT INTO "ProcessedRequest" (key, consultationId, participantId, response, createdAt) VALUES (?,?,?,?,?)`);
  const tally = raw.prepare(
    `SELECT v.positionId, v.value, COUNT(*) AS n FROM "Vote" v JOIN "Position" p ON p.id = v.positionId JOIN "Participant" pa ON pa.id = v.participantId
     WHERE v.consultationId = ? AND v.positionId = ? AND p.status = 'visible' AND pa.status = 'active' GROUP BY v.positionId, v.value`,
  );
  const castRaw = (voter: (typeof voters)[number]) => {
    const row = session.get(createHash("sha256").update(voter.token).digest("hex")) as { pid: string };
    const c = consultation.get(fixture.slug) as { id: string };
    const positionId = fixture.throughputPositions[voter.next++ % fixture.throughputPositions.length];
    position.get(positionId, c.id);
    const now = new Date().toISOString();
    existing.get(row.pid, positionId);
    upsert.run(randomUUID(), c.id, positionId, row.pid, 1, now, now);
    const { eventSeq } = bump.get(c.id) as { eventSeq: number };
    event.run(randomUUID(), c.id, eventSeq, "vote.cast", "participant", JSON.stringify({ positionId }), now);
    key.run(`${row.pid}:raw-${keySeq++}`, c.id, row.pid, "{}", now);
    return positionId;
  };
  const single = raw.transaction((voter: (typeof voters)[number]) => castRaw(voter));
  const batch = raw.transaction((list: Array<(typeof voters)[number]>) => list.map(castRaw));
  const n = Math.min(votes, voters.length * 8);
  let t = performance.now();
  let c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const positionId = single.immediate(voters[i % voters.length]);
    tally.all(fixture.consultationId, positionId);
  }
  let c1 = process.cpuUsage(c0);
  console.log(`plain better-sqlite3, one vote a transaction: ${(n / ((performance.now() - t) / 1000)).toFixed(0)} votes/s, ${((c1.user + c1.system) / 1000 / n).toFixed(3)} ms CPU a vote`);
  t = performance.now();
  c0 = process.cpuUsage();
  for (let i = 0; i < n; i += 50) {
    const chosen = voters.slice(0, Math.min(50, n - i));
    for (const positionId of batch.immediate(chosen)) tally.all(fixture.consultationId, positionId);
  }
  c1 = process.cpuUsage(c0);
  console.log(`plain better-sqlite3, 50 votes a transaction: ${(n / ((performance.now() - t) / 1000)).toFixed(0)} votes/s, ${((c1.user + c1.system) / 1000 / n).toFixed(3)} ms CPU a vote`);
  raw.close();
}
fs.rmSync(dir, { recursive: true, force: true });
