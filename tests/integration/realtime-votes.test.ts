/**
 * Votes over the socket with an idempotency key: a retried vote (same key, same participant, within a
 * day) is applied once and answered with the first answer; keys of different participants never collide;
 * a key reused for another vote is refused; day-old keys are pruned. Counted in rows and events.
 */
import { getDb } from "../../consultations/db/client";
import { pruneRequestKeys, REQUEST_KEY_TTL_MS, storedKey } from "../../consultations/request-keys";
import { createSession } from "../../consultations/sessions";
import { createConsultation, createFacilitator, eventsOf, joinMany, joinParticipant, submit, voteAll } from "../factories";
import { connect, requestKey, startServer, type Client, type RunningServer } from "./realtime-harness";

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

async function client(token: string) {
  const c = await connect(srv.url, { token });
  open.push(c);
  return c;
}

async function world() {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const author = await joinParticipant(fac, c, "Outreach workers");
  const position = (await submit(author, c)).id;
  const [peer, police] = [await joinParticipant(fac, c, "Peers who use drugs"), await joinParticipant(fac, c, "Police")];
  return { fac, c, position, peer, police };
}

async function counts(consultationId: string, positionId: string) {
  const db = await getDb();
  return {
    votes: await db.vote.count({ where: { positionId } }),
    voteEvents: (await eventsOf(consultationId)).filter((e) => e.type === "vote.cast").length,
    keys: await db.processedRequest.count({ where: { consultationId } }),
  };
}

describe("vote.cast with an idempotency key", () => {
  it("a retried vote is applied once and gets the first answer", async () => {
    const { c, position, peer } = await world();
    const socket = await client(peer.token);
    const request = { slug: c.slug, positionId: position, choice: "agree", idempotencyKey: requestKey() };
    const first = await socket.request("vote.cast", request);
    expect(first).toEqual({ ok: true, data: { positionId: position, choice: "agree", changed: true, tally: { suppressed: true, minimum: 5 } } });
    const retry = await socket.request("vote.cast", request);
    expect(retry).toEqual(first);
    expect(await counts(c.id, position)).toEqual({ votes: 1, voteEvents: 1, keys: 1 });

    // After a reconnect (a new socket, the same session), the same key still counts once.
    socket.close();
    const again = await client(peer.token);
    expect(await again.request("vote.cast", request)).toEqual(first);
    expect(await counts(c.id, position)).toEqual({ votes: 1, voteEvents: 1, keys: 1 });

    // A new key for the same vote: a new request, which changes nothing.
    const same = await again.request("vote.cast", { ...request, idempotencyKey: requestKey() });
    expect(same).toMatchObject({ ok: true, data: { changed: false } });
    expect(await counts(c.id, position)).toEqual({ votes: 1, voteEvents: 1, keys: 2 });
  });

  it("concurrent retries of one key apply once", async () => {
    const { c, position, peer } = await world();
    const socket = await client(peer.token);
    const request = { slug: c.slug, positionId: position, choice: "disagree", idempotencyKey: requestKey() };
    const answers = await Promise.all(Array.from({ length: 5 }, () => socket.request("vote.cast", request)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ ok: true, data: { changed: true, choice: "disagree" } });
    expect(await counts(c.id, position)).toEqual({ votes: 1, voteEvents: 1, keys: 1 });
  });

  it("the answer to a retry carries the current tally", async () => {
    const { fac, c, position, peer } = await world();
    const socket = await client(peer.token);
    const request = { slug: c.slug, positionId: position, choice: "pass", idempotencyKey: requestKey() };
    await socket.request("vote.cast", request);
    await voteAll(await joinMany(fac, c, "Sex workers", 4), c, position, "agree");
    expect(await socket.request("vote.cast", request)).toEqual({
      ok: true,
      data: { positionId: position, choice: "pass", changed: true, tally: { suppressed: false, agree: 4, disagree: 0, pass: 1, total: 5 } },
    });
  });

  it("two participants' identical keys never collide", async () => {
    const { c, position, peer, police } = await world();
    const key = requestKey();
    const a = await (await client(peer.token)).request("vote.cast", { slug: c.slug, positionId: position, choice: "agree", idempotencyKey: key });
    const b = await (await client(police.token)).request("vote.cast", { slug: c.slug, positionId: position, choice: "disagree", idempotencyKey: key });
    expect(a).toMatchObject({ ok: true, data: { choice: "agree", changed: true } });
    expect(b).toMatchObject({ ok: true, data: { choice: "disagree", changed: true } });
    expect(await counts(c.id, position)).toEqual({ votes: 2, voteEvents: 2, keys: 2 });
    // Stored under each participant's own namespace.
    const db = await getDb();
    const rows = await db.processedRequest.findMany({ where: { consultationId: c.id }, select: { key: true, participantId: true } });
    expect(rows.map((r) => r.key).sort()).toEqual([storedKey(peer.me.id, key), storedKey(police.me.id, key)].sort());
  });

  it("a key reused for another vote is refused (409) and changes nothing", async () => {
    const { c, position, peer } = await world();
    const socket = await client(peer.token);
    const key = requestKey();
    await socket.request("vote.cast", { slug: c.slug, positionId: position, choice: "agree", idempotencyKey: key });
    expect(await socket.request("vote.cast", { slug: c.slug, positionId: position, choice: "disagree", idempotencyKey: key })).toEqual({
      ok: false,
      error: { status: 409, message: "This idempotency key was already used for another vote." },
    });
    const db = await getDb();
    expect((await db.vote.findFirstOrThrow({ where: { positionId: position } })).value).toBe(1);
    expect(await counts(c.id, position)).toEqual({ votes: 1, voteEvents: 1, keys: 1 });
  });

  it("a refused vote (a facilitator's) stores no key", async () => {
    const { fac, c, position } = await world();
    const db = await getDb();
    const before = await db.processedRequest.count();
    const session = await createSession(db, { accountId: fac.account.id });
    const socket = await client(session.token);
    expect(await socket.request("vote.cast", { slug: c.slug, positionId: position, choice: "agree", idempotencyKey: requestKey() })).toMatchObject({
      ok: false,
      error: { status: 403 },
    });
    expect(await db.processedRequest.count()).toBe(before);
  });

  it("keys older than a day count as new and are pruned", async () => {
    const { c, position, peer } = await world();
    const socket = await client(peer.token);
    const db = await getDb();
    const key = requestKey();
    await socket.request("vote.cast", { slug: c.slug, positionId: position, choice: "agree", idempotencyKey: key });
    const old = new Date(Date.now() - REQUEST_KEY_TTL_MS - 60_000);
    await db.processedRequest.update({ where: { key: storedKey(peer.me.id, key) }, data: { createdAt: old } });
    // The same key a day later: a new request.
    const later = await socket.request("vote.cast", { slug: c.slug, positionId: position, choice: "disagree", idempotencyKey: key });
    expect(later).toMatchObject({ ok: true, data: { choice: "disagree", changed: true } });
    expect(await counts(c.id, position)).toEqual({ votes: 1, voteEvents: 2, keys: 1 });

    const stale = requestKey();
    await socket.request("vote.cast", { slug: c.slug, positionId: position, choice: "pass", idempotencyKey: stale });
    await db.processedRequest.update({ where: { key: storedKey(peer.me.id, stale) }, data: { createdAt: old } });
    expect(await pruneRequestKeys(db)).toBe(1);
    expect(await db.processedRequest.count({ where: { consultationId: c.id } })).toBe(1);
  });
});
