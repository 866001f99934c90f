/**
 * Catch-up after a disconnect: a client that was offline while 100 events happened rejoins with the last
 * seq it saw and receives exactly the events it may see after it (same seqs, in order, no gap, no
 * duplicate), replayed from the database; also when the replay is paged and while new events keep coming.
 */
import { getDb } from "../../consultations/db/client";
import { postComment } from "../../consultations/comments";
import { createInvitations } from "../../consultations/invitations";
import { createSession } from "../../consultations/sessions";
import { recordEvent } from "../../consultations/events";
import { castVote } from "../../consultations/votes";
import type { TalliesChanged } from "../../realtime/event-map";
import { ruleFor } from "../../realtime/event-policy";
import { createConsultation, createFacilitator, eventsOf, joinMany, joinParticipant, submit, type Facilitator, type Member, type TestConsultation } from "../factories";
import { connect, joined, startServer, type Client, type RunningServer } from "./realtime-harness";

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

interface World {
  fac: Facilitator;
  c: TestConsultation;
  reader: Member;
  voters: Member[];
  positions: string[];
  facToken: string;
}

async function world(): Promise<World> {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const author = await joinParticipant(fac, c, "Outreach workers");
  const positions = [(await submit(author, c)).id, (await submit(author, c)).id, (await submit(author, c)).id];
  const voters = [...(await joinMany(fac, c, "Sex workers", 3)), ...(await joinMany(fac, c, "Police", 2))];
  const reader = await joinParticipant(fac, c, "Peers who use drugs");
  const facToken = (await createSession(await getDb(), { accountId: fac.account.id })).token;
  return { fac, c, reader, voters, positions, facToken };
}

/**
 * `count` events, one per operation: vote changes (each flips a vote), comments, and (every tenth)
 * an invitation batch, which only facilitators see.
 */
function activity(w: World) {
  const last = new Map<string, "agree" | "disagree">();
  let i = 0;
  return async (count: number) => {
    const db = await getDb();
    for (let n = 0; n < count; n++, i++) {
      if (i % 10 === 3) {
        await createInvitations(db, w.fac.viewer, w.c.key, { groupId: w.c.groups["Police"], count: 1 });
      } else if (i % 10 === 7) {
        await postComment(db, w.voters[i % w.voters.length].viewer, w.c.key, w.positions[i % 3], { body: `Comment number ${i}.`, stance: "for" });
      } else {
        const voter = w.voters[i % w.voters.length];
        const position = w.positions[Math.floor(i / w.voters.length) % 3];
        const key = `${voter.me.id}:${position}`;
        const choice = last.get(key) === "agree" ? "disagree" : "agree";
        last.set(key, choice);
        const cast = await castVote(db, voter.viewer, w.c.key, position, { choice });
        if (!cast.changed) throw new Error("each vote must change something (one event each)");
      }
    }
  };
}

/** The seq each `tallies.changed` a client received covers, in order. */
function tallySeqs(client: Client): number[] {
  return client.received.all.filter(([name]) => name === "tallies.changed").map(([, changed]) => (changed as TalliesChanged).seq);
}

/** The stored events after `afterSeq` that an audience may see. */
async function expectedSeqs(w: World, afterSeq: number, audience: "everyone" | "facilitators") {
  const rows = (await eventsOf(w.c.id)).filter((e) => e.seq > afterSeq);
  return { all: rows, seqs: rows.filter((e) => audience === "facilitators" || ruleFor(e.type).audience === "everyone").map((e) => e.seq) };
}

describe("catch-up after a disconnect", () => {
  it("a participant offline for 100 events gets exactly the ones it may see, in order, once", { timeout: 60_000 }, async () => {
    const w = await world();
    const first = await joined(srv.url, w.reader.token, w.c.slug);
    open.push(first);
    const lastSeen = first.seq;
    first.close();

    const act = activity(w);
    await act(100);
    const { all, seqs } = await expectedSeqs(w, lastSeen, "everyone");
    expect(all).toHaveLength(100);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, k) => lastSeen + 1 + k));
    expect(seqs.length).toBe(90); // the ten invitation batches are for facilitators

    const again = await connect(srv.url, { token: w.reader.token });
    open.push(again);
    const ack = await again.request<{ seq: number; replayed: number }>("consultation.join", { slug: w.c.slug, afterSeq: lastSeen });
    expect(ack).toEqual({ ok: true, data: { seq: lastSeen + 100, replayed: 90 } });
    // Replayed before the ack: everything is there already.
    expect(again.received.events.map((e) => e.seq)).toEqual(seqs);
    // The same payloads a live client got, as stored (projected).
    const byseq = new Map(all.map((e) => [e.seq, e]));
    for (const event of again.received.events) {
      expect(event.type).toBe(byseq.get(event.seq)!.type);
      expect(event.at).toBe(byseq.get(event.seq)!.createdAt.toISOString());
    }

    // A facilitator gets all 100 (contiguous).
    const facilitator = await connect(srv.url, { token: w.facToken });
    open.push(facilitator);
    const facAck = await facilitator.request<{ seq: number; replayed: number }>("consultation.join", { slug: w.c.slug, afterSeq: lastSeen });
    expect(facAck).toEqual({ ok: true, data: { seq: lastSeen + 100, replayed: 100 } });
    expect(facilitator.received.events.map((e) => e.seq)).toEqual(all.map((e) => e.seq));

    // Live after the catch-up: the next vote comes folded into a tally update covering its seq.
    await act(1);
    await again.until(() => tallySeqs(again).includes(lastSeen + 101));
    expect(again.received.events).toHaveLength(90);
  });

  it("pages the replay (small pages) and still delivers each event once, in order", { timeout: 60_000 }, async () => {
    const paged = await startServer({ replayPageSize: 7 });
    try {
      const w = await world();
      const start = (await getDb()).consultation.findUniqueOrThrow({ where: { id: w.c.id }, select: { eventSeq: true } });
      const afterSeq = (await start).eventSeq;
      await activity(w)(100);
      const client = await connect(paged.url, { token: w.reader.token });
      open.push(client);
      const ack = await client.request<{ seq: number; replayed: number }>("consultation.join", { slug: w.c.slug, afterSeq });
      const { seqs } = await expectedSeqs(w, afterSeq, "everyone");
      expect(ack).toEqual({ ok: true, data: { seq: afterSeq + 100, replayed: seqs.length } });
      expect(client.received.events.map((e) => e.seq)).toEqual(seqs);
    } finally {
      await paged.close();
    }
  });

  it("events committed while the replay runs arrive once, in order, after it (no gap, no duplicate)", { timeout: 60_000 }, async () => {
    const paged = await startServer({ replayPageSize: 5 });
    try {
      const w = await world();
      const watcher = await joined(paged.url, w.reader.token, w.c.slug);
      open.push(watcher);
      const afterSeq = watcher.seq;
      watcher.close();
      const act = activity(w);
      await act(60);
      const client = await connect(paged.url, { token: w.reader.token });
      open.push(client);
      // 40 more events race the paged replay of the first 60, and go on after it.
      const trickle = async () => {
        for (let n = 0; n < 40; n++) {
          await act(1);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      const [ack] = await Promise.all([client.request<{ seq: number; replayed: number }>("consultation.join", { slug: w.c.slug, afterSeq }), trickle()]);
      if (!ack.ok) throw new Error(ack.error.message);
      const { seqs } = await expectedSeqs(w, afterSeq, "everyone");
      // Some came in the replay (more than the first 60 minus their invitations), the rest live.
      expect(ack.data.replayed).toBeGreaterThanOrEqual(54);
      expect(ack.data.replayed).toBeLessThan(seqs.length);
      // Replayed: every event up to the ack's seq. Live after it: all but votes, which come folded into
      // tally updates (sent when a shown tally moved, each covering the events before it).
      const { all } = await expectedSeqs(w, afterSeq, "everyone");
      const folded = new Set(all.filter((e) => ruleFor(e.type).foldedIntoTallies).map((e) => e.seq));
      const expected = seqs.filter((seq) => seq <= ack.data.seq || !folded.has(seq));
      await client.until(() => client.received.events.length >= expected.length);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const covered = tallySeqs(client);
      expect(covered.length).toBeGreaterThan(0);
      expect(covered).toEqual([...covered].sort((a, b) => a - b));
      expect(covered.every((seq) => seq >= ack.data.seq && seq <= all.at(-1)!.seq)).toBe(true);
      expect(client.received.events.map((e) => e.seq)).toEqual(expected);
    } finally {
      await paged.close();
    }
  });

  it("an event rolled back is never sent, and the event that then takes its seq is", { timeout: 60_000 }, async () => {
    const w = await world();
    const db = await getDb();
    const before = (await db.consultation.findUniqueOrThrow({ where: { id: w.c.id }, select: { eventSeq: true } })).eventSeq;
    // A transaction records an event, holds it open, then rolls back (its seq is given to the next event).
    let recorded!: () => void;
    const inTransaction = new Promise<void>((resolve) => (recorded = resolve));
    const rolledBack = db
      .$transaction(async (tx) => {
        await recordEvent(tx, w.c.id, "comment.posted", "participant", { positionId: w.positions[0], commentId: "phantom", pseudonym: "Nobody" });
        recorded();
        await new Promise((resolve) => setTimeout(resolve, 300));
        throw new Error("rolled back on purpose");
      })
      .catch(() => "rolled back");
    await inTransaction;
    // The first socket joins while it is open (reads outside a transaction see its uncommitted seq).
    const client = await connect(srv.url, { token: w.reader.token });
    open.push(client);
    const [ack, outcome] = await Promise.all([client.request<{ seq: number; replayed: number }>("consultation.join", { slug: w.c.slug, afterSeq: before }), rolledBack]);
    expect(outcome).toBe("rolled back");
    expect(ack).toEqual({ ok: true, data: { seq: before, replayed: 0 } });
    await postComment(db, w.voters[0].viewer, w.c.key, w.positions[0], { body: "The real one.", stance: "for" });
    const event = await client.until((r) => r.events[0]);
    expect(event).toMatchObject({ seq: before + 1, type: "comment.posted" });
    expect(JSON.stringify(client.received.all)).not.toContain("phantom");
  });

  it("without afterSeq nothing is replayed; afterSeq 0 replays the whole history the viewer may see", { timeout: 60_000 }, async () => {
    const w = await world();
    const fresh = await joined(srv.url, w.reader.token, w.c.slug);
    open.push(fresh);
    expect(fresh.received.events).toEqual([]);
    const whole = await connect(srv.url, { token: w.reader.token });
    open.push(whole);
    const ack = await whole.request<{ seq: number; replayed: number }>("consultation.join", { slug: w.c.slug, afterSeq: 0 });
    const { seqs } = await expectedSeqs(w, 0, "everyone");
    expect(ack).toMatchObject({ ok: true, data: { replayed: seqs.length } });
    expect(whole.received.events.map((e) => e.seq)).toEqual(seqs);
    // participant.joined and invitations.created are facilitator-only: not in a participant's history.
    expect(whole.received.events.some((e) => e.type === "participant.joined" || e.type.startsWith("invitation"))).toBe(false);
  });
});
