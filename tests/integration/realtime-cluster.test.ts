/**
 * Two app processes (`node build/server.js`, on two ports) sharing one PostgreSQL database: what people do
 * through one reaches the sockets of the other, through socket.io's PostgreSQL adapter
 * (realtime/cluster.ts). The processes' own database poll is turned off (POLYPHONY_REALTIME_SYNC_MS=0), so
 * only the adapter can carry anything across. PostgreSQL run only (SQLite is one process).
 */
import { getDb } from "../../consultations/db/client";
import { castVote } from "../../consultations/votes";
import { createConsultation, createFacilitator, joinMany, joinParticipant, submit, type Member, type TestConsultation } from "../factories";
import { onSqlite } from "../setup/dialect";
import { startAppProcess, type AppProcess } from "./process-harness";
import { disconnected, formPost, joined, requestKey, type Client } from "./realtime-harness";

vi.setConfig({ testTimeout: 60_000 });

let a: AppProcess;
let b: AppProcess;
const open: Client[] = [];

const CLUSTER_ENV = { POLYPHONY_REALTIME_SYNC_MS: "0", POLYPHONY_RATE_LIMITS: "off" };

beforeAll(async () => {
  if (onSqlite) return;
  [a, b] = await Promise.all([startAppProcess(CLUSTER_ENV), startAppProcess(CLUSTER_ENV)]);
}, 120_000);

afterAll(async () => {
  for (const client of open) client.close();
  await Promise.all([a?.stop(), b?.stop()]);
});

async function join(server: AppProcess, member: Member, c: TestConsultation) {
  const client = await joined(server.url, member.token, c.slug);
  open.push(client);
  return client;
}

describe.skipIf(onSqlite)("two app processes, one PostgreSQL database", () => {
  it("a vote cast over a socket of process A reaches a socket of process B as a tally, and the reverse", async () => {
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const author = await joinParticipant(fac, c, "Police");
    const position = (await submit(author, c)).id;
    const voters = await joinMany(fac, c, "Peers who use drugs", 6);
    const db = await getDb();
    // Four votes already there (fewer than 5: nobody sees a tally yet).
    for (const v of voters.slice(0, 4)) await castVote(db, v.viewer, c.key, position, { choice: "agree" });
    const onA = await join(a, voters[4], c);
    const onB = await join(b, author, c);

    const sent = Date.now();
    const ack = await onA.request("vote.cast", { slug: c.slug, positionId: position, choice: "disagree", idempotencyKey: requestKey() });
    expect(ack.ok).toBe(true);
    const seen = await onB.until((r) => r.all.find(([name, p]) => name === "tallies.changed" && JSON.stringify(p).includes(position)), 3000);
    const latency = Date.now() - sent;
    expect(JSON.stringify(seen[1])).toContain('"agree":4,"disagree":1,"pass":0,"total":5');

    // And from B to A.
    const other = await join(b, voters[5], c);
    const back = await other.request("vote.cast", { slug: c.slug, positionId: position, choice: "pass", idempotencyKey: requestKey() });
    expect(back.ok).toBe(true);
    await onA.until((r) => r.all.find(([name, p]) => name === "tallies.changed" && JSON.stringify(p).includes('"pass":1,"total":6')), 3000);
    console.log(`[realtime-cluster] vote on A -> tally on B in ${latency} ms`);
  });

  it("a comment posted through an HTTP form on B reaches a socket on A", async () => {
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const [author, commenter] = await joinMany(fac, c, "Sex workers", 2);
    const position = (await submit(author, c)).id;
    const onA = await join(a, author, c);
    const res = await formPost(b.url, `/c/${c.slug}/p/${position}`, { intent: "comment", stance: "for", body: "Evenings matter most." }, commenter.token);
    expect(res.status).toBe(302);
    const event = await onA.until((r) => r.events.find((e) => e.type === "comment.posted"), 3000);
    expect(event.data.positionId).toBe(position);
  });

  it("presence counts the people of both processes", async () => {
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const people = await joinMany(fac, c, "Outreach workers", 5);
    const clients = [await join(a, people[0], c), await join(a, people[1], c), await join(a, people[2], c), await join(b, people[3], c), await join(b, people[4], c)];
    // Everyone ends up seeing 5 (3 on A plus 2 on B): the minimum, so the figure shows.
    for (const client of clients) {
      await client.until((r) => [...r.all].reverse().find(([name, p]) => name === "presence.changed" && JSON.stringify(p) === '{"present":{"suppressed":false,"count":5}}'), 5000);
    }
  });

  it("signing out on A closes the same person's socket on B at once", async () => {
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const member = await joinParticipant(fac, c, "Policymakers");
    const onB = await join(b, member, c);
    const gone = disconnected(onB, 3000);
    const res = await formPost(a.url, "/logout", {}, member.token);
    expect([302, 303]).toContain(res.status);
    await gone;
    expect(onB.received.all.some(([name]) => name === "session.ended")).toBe(true);
  });

  it("both processes log JSON lines only, without emails, tokens or pseudonyms", () => {
    for (const server of [a, b]) {
      expect(server.lines.length).toBeGreaterThan(0);
      for (const line of server.lines) {
        expect(() => JSON.parse(line), line).not.toThrow();
        expect(line).not.toMatch(/@[a-z0-9-]+\.[a-z]{2,}/i);
        expect(line).not.toMatch(/[0-9A-HJKMNP-TV-Z]{52}/);
      }
    }
  });
});
