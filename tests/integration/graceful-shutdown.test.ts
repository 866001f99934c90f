/**
 * SIGTERM under load: a real app process (`node build/server.js`), 30 participants voting over their
 * sockets as fast as they are answered, and a SIGTERM in the middle. The process must stop taking new
 * work, finish and acknowledge what it took, and exit with code 0 within 10 s; every vote it acknowledged
 * must be in the database (its idempotency record and its row), and each pair's row must hold the last
 * acknowledged choice or that of a later request whose answer never came. Runs on both databases.
 */
import { getDb } from "../../consultations/db/client";
import { VOTE_VALUE, type VoteChoice } from "../../consultations/schemas";
import { storedKey } from "../../consultations/request-keys";
import { createConsultation, createFacilitator, joinMany, joinParticipant, submit } from "../factories";
import { startAppProcess } from "./process-harness";
import { joined, requestKey, type Client } from "./realtime-harness";

vi.setConfig({ testTimeout: 90_000 });

const VOTERS = 30;
const POSITIONS = 5;
const CHOICES: VoteChoice[] = ["agree", "disagree", "pass"];

interface Sent {
  participantId: string;
  positionId: string;
  choice: VoteChoice;
  key: string;
  /** ok: acknowledged as applied; refused: answered with an error (503 while stopping); lost: no answer. */
  outcome: "ok" | "refused" | "lost";
}

it("no acknowledged vote is lost; the process exits with 0 within 10 s of SIGTERM", async () => {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const author = await joinParticipant(fac, c, "Police");
  const positions: string[] = [];
  for (let i = 0; i < POSITIONS; i++) positions.push((await submit(author, c)).id);
  const voters = await joinMany(fac, c, "Peers who use drugs", VOTERS);

  const app = await startAppProcess({ POLYPHONY_RATE_LIMITS: "off", POLYPHONY_SOCKET_RATE: "0" });
  const clients: Client[] = await Promise.all(voters.map((v) => joined(app.url, v.token, c.slug)));
  const sent: Sent[] = [];
  let sigtermAt = 0;
  let stop = false;

  const loops = clients.map(async (client, v) => {
    for (let i = 0; !stop && client.socket.connected; i++) {
      const entry: Sent = { participantId: voters[v].me.id, positionId: positions[i % POSITIONS], choice: CHOICES[(i + v) % 3], key: requestKey(), outcome: "lost" };
      sent.push(entry);
      try {
        const ack = await client.request("vote.cast", { slug: c.slug, positionId: entry.positionId, choice: entry.choice, idempotencyKey: entry.key }, 12_000);
        entry.outcome = ack.ok ? "ok" : "refused";
        if (!ack.ok && ack.error.status !== 503) throw new Error(`unexpected refusal ${ack.error.status} ${ack.error.message}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith("unexpected")) throw error;
        return; // no answer: the socket closed
      }
    }
  });

  // Let the load build, then SIGTERM in the middle of it.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const ackedBefore = sent.filter((s) => s.outcome === "ok").length;
  sigtermAt = Date.now();
  app.child.kill("SIGTERM");
  const exit = await app.exited;
  stop = true;
  await Promise.all(loops);
  for (const client of clients) client.close();

  expect(exit.code).toBe(0);
  expect(exit.at - sigtermAt).toBeLessThan(10_000);
  const acked = sent.filter((s) => s.outcome === "ok");
  expect(ackedBefore).toBeGreaterThan(100);

  // Every acknowledged vote is stored: its idempotency record exists (written in the vote's own transaction).
  const db = await getDb();
  const keys = new Set((await db.processedRequest.findMany({ where: { consultationId: c.id }, select: { key: true } })).map((r) => r.key));
  const missing = acked.filter((s) => !keys.has(storedKey(s.participantId, s.key)));
  expect(missing).toEqual([]);

  // Each pair's row: the last acknowledged choice, or that of a later request whose fate is unknown.
  const rows = await db.vote.findMany({ where: { positionId: { in: positions } }, select: { participantId: true, positionId: true, value: true } });
  const value = new Map(rows.map((r) => [`${r.participantId}/${r.positionId}`, r.value]));
  const byPair = new Map<string, Sent[]>();
  for (const s of sent) byPair.set(`${s.participantId}/${s.positionId}`, [...(byPair.get(`${s.participantId}/${s.positionId}`) ?? []), s]);
  const wrong: string[] = [];
  for (const [pair, requests] of byPair) {
    const lastOk = requests.map((r) => r.outcome).lastIndexOf("ok");
    if (lastOk < 0) continue;
    const allowed = new Set([requests[lastOk], ...requests.slice(lastOk + 1).filter((r) => r.outcome === "lost")].map((r) => VOTE_VALUE[r.choice]));
    if (!allowed.has(value.get(pair) as never)) wrong.push(`${pair}: ${value.get(pair)} not in ${[...allowed]}`);
  }
  expect(wrong).toEqual([]);

  const refused = sent.filter((s) => s.outcome === "refused").length;
  const lost = sent.filter((s) => s.outcome === "lost").length;
  console.log(
    `[graceful-shutdown] ${acked.length} votes acknowledged (${ackedBefore} before SIGTERM), ${refused} refused with 503 while stopping, ` +
      `${lost} unanswered (socket closed); exit ${exit.code} after ${exit.at - sigtermAt} ms`,
  );
  expect(app.lines.some((l) => l.includes('"shutting down"'))).toBe(true);
});
