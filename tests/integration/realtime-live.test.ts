/**
 * Live fan-out over real sockets: votes cast by one participant reach another in a different stakeholder
 * group (as consultation events and coalesced tallies), from the socket and from an HTTP form post alike;
 * suppressed tallies stay silent; presence counts distinct people and is suppressed below the minimum.
 */
import { getDb } from "../../consultations/db/client";
import type { ShownTallyPayload, TalliesChanged } from "../../realtime/event-map";
import { createConsultation, createFacilitator, joinMany, joinParticipant, submit, voteAll, type Facilitator, type TestConsultation } from "../factories";
import { createSession } from "../../consultations/sessions";
import { connect, eventually, formPost, joined, requestKey, startServer, type Client, type RunningServer } from "./realtime-harness";

let srv: RunningServer;
const open: Client[] = [];
beforeAll(async () => {
  srv = await startServer();
});
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});
afterAll(async () => {
  await srv.close();
});

async function join(token: string, slug: string, afterSeq?: number) {
  const client = await joined(srv.url, token, slug, afterSeq);
  open.push(client);
  return client;
}

/** Every tally update a client received for a position, in order. */
function talliesFor(client: Client, positionId: string): ShownTallyPayload[] {
  return client.received.all
    .filter(([name]) => name === "tallies.changed")
    .flatMap(([, changed]) => (changed as TalliesChanged).updates.filter((u) => u.positionId === positionId).map((u) => u.tally));
}

/** The seq each `tallies.changed` a client received covers, in order. */
function tallySeqs(client: Client): number[] {
  return client.received.all.filter(([name]) => name === "tallies.changed").map(([, changed]) => (changed as TalliesChanged).seq);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function world() {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const author = await joinParticipant(fac, c, "Outreach workers");
  const position = await submit(author, c);
  // Three earlier voters: the tally reads "fewer than 5" until two more vote.
  await voteAll(await joinMany(fac, c, "Sex workers", 3), c, position.id, "agree");
  const peer = await joinParticipant(fac, c, "Peers who use drugs");
  const police = await joinParticipant(fac, c, "Police");
  return { fac, c, author, position, peer, police };
}

describe("two participants in different groups", () => {
  it("see each other's votes as tallies once five people voted; a vote on a suppressed tally sends nothing", async () => {
    const { c, position, peer, police } = await world();
    const a = await join(peer.token, c.slug);
    const b = await join(police.token, c.slug);

    // The 4th voter: the tally stays suppressed, for the voter too.
    const first = await a.request("vote.cast", { slug: c.slug, positionId: position.id, choice: "agree", idempotencyKey: requestKey() });
    expect(first).toEqual({ ok: true, data: { positionId: position.id, choice: "agree", changed: true, tally: { suppressed: true, minimum: 5 } } });
    // Votes are not sent one by one, and a tally that stays "fewer than 5" is not sent: nothing at all
    // reaches the room, so nobody can count the voters of a suppressed tally.
    await sleep(300);
    expect(a.received.all.filter(([name]) => name !== "presence.changed")).toEqual([]);
    expect(b.received.all.filter(([name]) => name !== "presence.changed")).toEqual([]);

    // The 5th: both see the tally.
    const second = await b.request("vote.cast", { slug: c.slug, positionId: position.id, choice: "disagree", idempotencyKey: requestKey() });
    const five = { suppressed: false, agree: 4, disagree: 1, pass: 0, total: 5 };
    expect(second).toMatchObject({ ok: true, data: { changed: true, tally: five } });
    for (const client of [a, b]) await client.until(() => talliesFor(client, position.id).length > 0);
    await sleep(150);
    expect(talliesFor(a, position.id)).toEqual([five]);
    expect(talliesFor(b, position.id)).toEqual([five]);
    // The update covers both votes' events: a reconnect asks for what came after them.
    const { eventSeq } = await (await getDb()).consultation.findUniqueOrThrow({ where: { id: c.id }, select: { eventSeq: true } });
    expect(tallySeqs(a)).toEqual([eventSeq]);
    expect(tallySeqs(b)).toEqual([eventSeq]);
    expect(a.received.events).toEqual([]);
  });

  it("a vote posted through an HTTP form reaches the sockets too (the Remix build publishes to them)", async () => {
    const { fac, c, position, peer, police } = await world();
    const voters = await joinMany(fac, c, "Policymakers", 2);
    await voteAll(voters.slice(0, 1), c, position.id, "pass"); // 4 voters
    const a = await join(peer.token, c.slug);
    const b = await join(police.token, c.slug);
    const response = await formPost(srv.url, `/c/${c.slug}/p/${position.id}`, { intent: "vote", choice: "agree" }, voters[1].token);
    expect([200, 204, 302, 303]).toContain(response.status);
    const five = { suppressed: false, agree: 4, disagree: 0, pass: 1, total: 5 };
    for (const client of [a, b]) {
      await client.until(() => talliesFor(client, position.id).find((t) => JSON.stringify(t) === JSON.stringify(five)));
    }
  });

  it("tallies are coalesced: a burst of votes gives a few updates, the last one exact", async () => {
    const slow = await startServer({ tallyCoalesceMs: 400 });
    try {
      const { fac, c, position, peer } = await world();
      const watcher = await joined(slow.url, peer.token, c.slug);
      open.push(watcher);
      const burst = await joinMany(fac, c, "Policymakers", 8);
      const started = Date.now();
      await voteAll(burst, c, position.id, "disagree"); // 3 + 8 = 11 voters
      const elapsed = Date.now() - started;
      const final = { suppressed: false, agree: 3, disagree: 8, pass: 0, total: 11 };
      await watcher.until(() => JSON.stringify(talliesFor(watcher, position.id).at(-1)) === JSON.stringify(final));
      const { eventSeq } = await (await getDb()).consultation.findUniqueOrThrow({ where: { id: c.id }, select: { eventSeq: true } });
      expect(tallySeqs(watcher).at(-1)).toBe(eventSeq);
      // The first at once, then at most one per 400 ms (8 votes take ~100 ms on an idle machine: 2 updates).
      expect(talliesFor(watcher, position.id).length).toBeLessThanOrEqual(Math.ceil(elapsed / 400) + 2);
    } finally {
      await slow.close();
    }
  });

  it("hiding a position sends its tally again (now 'fewer than 5'), restoring brings it back", async () => {
    const { fac, c, position, peer } = await world();
    await voteAll(await joinMany(fac, c, "Policymakers", 2), c, position.id, "agree");
    const watcher = await join(peer.token, c.slug);
    const db = await getDb();
    const { hideContent, restoreContent } = await import("../../consultations/moderation");
    await hideContent(db, fac.viewer, c.key, "position", position.id, { reason: "Names a person." });
    await watcher.until(() => talliesFor(watcher, position.id).length === 1);
    expect(talliesFor(watcher, position.id)).toEqual([{ suppressed: true, minimum: 5 }]);
    await restoreContent(db, fac.viewer, c.key, "position", position.id);
    await watcher.until(() => talliesFor(watcher, position.id).length === 2);
    expect(talliesFor(watcher, position.id)[1]).toEqual({ suppressed: false, agree: 5, disagree: 0, pass: 0, total: 5 });
    expect(watcher.received.events.map((e) => e.type)).toEqual(["position.hidden", "position.restored"]);
    expect(watcher.received.events[0].data).toEqual({ id: position.id, positionId: position.id, reason: "Names a person." });
  });
});

describe("presence", () => {
  async function presenceWorld(): Promise<{ fac: Facilitator; c: TestConsultation }> {
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    return { fac, c };
  }

  const latestPresence = (client: Client) =>
    client.received.all.filter(([name]) => name === "presence.changed").at(-1)?.[1] as { present: unknown } | undefined;

  it("counts distinct people (tabs of one person once, facilitators too); fewer than 5 is suppressed", async () => {
    const { fac, c } = await presenceWorld();
    const people = await joinMany(fac, c, "Peers who use drugs", 3);
    const police = await joinParticipant(fac, c, "Police");
    const watchers: Client[] = [];
    for (const p of people) watchers.push(await join(p.token, c.slug));
    // The same person in a second tab, and a facilitator.
    const secondTab = await join(people[0].token, c.slug);
    const facSession = await createSession(await getDb(), { accountId: fac.account.id });
    // 3 people + 1 facilitator = 4: suppressed.
    const facClient = await join(facSession.token, c.slug);
    expect(latestPresence(facClient)).toEqual({ present: { suppressed: true, minimum: 5 } });
    await sleep(120);
    for (const w of [...watchers, secondTab]) expect(latestPresence(w)).toEqual({ present: { suppressed: true, minimum: 5 } });
    // The fifth person: everyone sees 5.
    const fifth = await join(police.token, c.slug);
    for (const w of [...watchers, secondTab, facClient, fifth]) {
      await w.until(() => JSON.stringify(latestPresence(w)) === JSON.stringify({ present: { suppressed: false, count: 5 } }));
    }
    // A second tab closing changes nothing; the person leaving does.
    secondTab.close();
    await sleep(120);
    expect(latestPresence(fifth)).toEqual({ present: { suppressed: false, count: 5 } });
    fifth.close();
    await eventually(() => JSON.stringify(latestPresence(watchers[0])) === JSON.stringify({ present: { suppressed: true, minimum: 5 } }));
  });

  it("a socket in no room gets no presence; a socket joining twice counts once", async () => {
    const { fac, c } = await presenceWorld();
    const others = await joinMany(fac, c, "Sex workers", 4);
    const [p] = await joinMany(fac, c, "Police", 1);
    const lurker = await connect(srv.url, { token: p.token });
    open.push(lurker);
    await sleep(80);
    expect(lurker.received.all).toEqual([]);
    for (const o of others) await join(o.token, c.slug);
    const first = await lurker.request("consultation.join", { slug: c.slug });
    const again = await lurker.request("consultation.join", { slug: c.slug });
    expect(first.ok && again.ok).toBe(true);
    await sleep(120);
    expect(latestPresence(lurker)).toEqual({ present: { suppressed: false, count: 5 } });
  });
});
