/**
 * What the socket server refuses: handshakes without a session or from another origin, and client events
 * that are malformed, unknown, or not allowed (with the HTTP status in the ack), storing nothing.
 */
import { getDb } from "../../consultations/db/client";
import { createSession, revokeSession } from "../../consultations/sessions";
import {
  createConsultation,
  createFacilitator,
  joinParticipant,
  moveToPhase,
  submit,
  type Facilitator,
  type Member,
  type TestConsultation,
} from "../factories";
import { connect, disconnected, refusal, requestKey, startServer, type Client, type RunningServer } from "./realtime-harness";

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

interface World {
  fac: Facilitator;
  facToken: string;
  c: TestConsultation;
  other: TestConsultation;
  member: Member;
  author: Member;
  position: string;
  foreignPosition: string;
  otherAuthor: Member;
}

async function world(): Promise<World> {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const author = await joinParticipant(fac, c, "Sex workers");
  const position = (await submit(author, c)).id;
  const member = await joinParticipant(fac, c, "Peers who use drugs");
  // Another organisation's consultation, with a position of its own.
  const otherFac = await createFacilitator();
  const other = await createConsultation(otherFac, { phase: "positions" });
  const otherAuthor = await joinParticipant(otherFac, other, "Police");
  const foreignPosition = (await submit(otherAuthor, other)).id;
  const facToken = (await createSession(await getDb(), { accountId: fac.account.id })).token;
  return { fac, facToken, c, other, member, author, position, foreignPosition, otherAuthor };
}

/** Rows a forged request could have written. */
async function stored() {
  const db = await getDb();
  const [votes, events, keys] = await Promise.all([db.vote.count(), db.consultationEvent.count(), db.processedRequest.count()]);
  return { votes, events, keys };
}

const vote = (w: World, extra: Record<string, unknown> = {}) => ({
  slug: w.c.slug,
  positionId: w.position,
  choice: "agree",
  idempotencyKey: requestKey(),
  ...extra,
});

describe("handshake", () => {
  it("refuses a socket without a session cookie, with an unknown token, or a revoked session", async () => {
    const w = await world();
    expect(await refusal(srv.url)).toBe("unauthenticated");
    expect(await refusal(srv.url, { token: "ABCDEFGHJKMNPQRSTVWXYZ0123456789ABCDEFGHJKMNPQRSTVWX" })).toBe("unauthenticated");
    expect(await refusal(srv.url, { cookie: `other=1; polyphony_session=not-a-token` })).toBe("unauthenticated");
    const session = await createSession(await getDb(), { participantIds: [w.member.me.id] });
    expect(await refusal(srv.url, { token: session.token })).toBeNull();
    await revokeSession(await getDb(), session.sessionId);
    expect(await refusal(srv.url, { token: session.token })).toBe("unauthenticated");
  });

  it("refuses another site's Origin (even with a valid session); no Origin (not a browser) is let through", async () => {
    const w = await world();
    expect(await refusal(srv.url, { token: w.member.token, origin: "https://evil.example" })).not.toBeNull();
    expect(await refusal(srv.url, { token: w.member.token, origin: "null" })).not.toBeNull();
    expect(await refusal(srv.url, { token: w.member.token, origin: srv.url.replace("127.0.0.1", "localhost") })).not.toBeNull();
    expect(await refusal(srv.url, { token: w.member.token, origin: null })).toBeNull();
    expect(await refusal(srv.url, { token: w.member.token })).toBeNull();
  });

  it("with PUBLIC_ORIGIN, only that origin is accepted", async () => {
    const w = await world();
    const proxied = await startServer({}, "https://consult.example.org");
    try {
      expect(await refusal(proxied.url, { token: w.member.token, origin: "https://consult.example.org" })).toBeNull();
      expect(await refusal(proxied.url, { token: w.member.token, origin: proxied.url })).not.toBeNull();
    } finally {
      await proxied.close();
    }
  });
});

describe("client events", () => {
  it("a consultation the viewer does not belong to answers 404, like HTTP; an unknown one too", async () => {
    const w = await world();
    const socket = await client(w.member.token);
    expect(await socket.request("consultation.join", { slug: w.other.slug })).toEqual({
      ok: false,
      error: { status: 404, message: "This consultation was not found." },
    });
    expect(await socket.request("consultation.join", { slug: "no-such-consultation" })).toMatchObject({ ok: false, error: { status: 404 } });
    // Nothing of the other consultation reaches it afterwards.
    await submit(w.otherAuthor, w.other);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(socket.received.all).toEqual([]);
  });

  it("a bad payload is refused with 422 and stores nothing", async () => {
    const w = await world();
    const socket = await client(w.member.token);
    const before = await stored();
    for (const payload of [
      vote(w, { choice: "maybe" }),
      vote(w, { idempotencyKey: "short" }),
      vote(w, { positionId: 42 }),
      vote(w, { slug: "x".repeat(200) }),
      { slug: w.c.slug, positionId: w.position, choice: "agree" },
      "agree",
      null,
      [vote(w)],
    ]) {
      const ack = await socket.request("vote.cast", payload);
      expect(ack).toMatchObject({ ok: false, error: { status: 422 } });
    }
    expect(await socket.request("consultation.join", { slug: w.c.slug, afterSeq: -1 })).toMatchObject({ ok: false, error: { status: 422 } });
    expect(await socket.request("consultation.join", { slug: w.c.slug, afterSeq: 1.5 })).toMatchObject({ ok: false, error: { status: 422 } });
    expect(await socket.request("consultation.join")).toMatchObject({ ok: false, error: { status: 422 } });
    expect(await stored()).toEqual(before);
  });

  it("an unknown event name is refused with 400", async () => {
    const w = await world();
    const socket = await client(w.member.token);
    const before = await stored();
    expect(await socket.request("vote.delete", vote(w))).toEqual({ ok: false, error: { status: 400, message: "Unknown event." } });
    expect(await socket.request("session.ended", { message: "x" })).toMatchObject({ ok: false, error: { status: 400 } });
    expect(await socket.request("constructor", {})).toMatchObject({ ok: false, error: { status: 400 } });
    expect(await socket.request("__proto__", {})).toMatchObject({ ok: false, error: { status: 400 } });
    expect(await stored()).toEqual(before);
  });

  it("a vote on a position of another consultation is 404 and stores nothing", async () => {
    const w = await world();
    const socket = await client(w.member.token);
    const before = await stored();
    expect(await socket.request("vote.cast", vote(w, { positionId: w.foreignPosition }))).toEqual({
      ok: false,
      error: { status: 404, message: "This position was not found." },
    });
    // Naming the other consultation itself: not a member there.
    expect(await socket.request("vote.cast", vote(w, { slug: w.other.slug, positionId: w.foreignPosition }))).toMatchObject({
      ok: false,
      error: { status: 404, message: "This consultation was not found." },
    });
    expect(await stored()).toEqual(before);
  });

  it("facilitators cannot vote (403, as over HTTP); nobody votes on their own position; phases apply", async () => {
    const w = await world();
    const facilitator = await client(w.facToken);
    const before = await stored();
    expect(await facilitator.request("vote.cast", vote(w))).toEqual({
      ok: false,
      error: { status: 403, message: "Facilitators cannot do this as a participant." },
    });
    const author = await client(w.author.token);
    expect(await author.request("vote.cast", vote(w))).toEqual({ ok: false, error: { status: 403, message: "You cannot vote on your own position." } });
    expect(await stored()).toEqual(before);
    // In synthesis, votes are closed.
    await moveToPhase(w.fac, w.c, "synthesis");
    const member = await client(w.member.token);
    const closed = await member.request("vote.cast", vote(w));
    expect(closed).toMatchObject({ ok: false, error: { status: 403 } });
    const events = (await stored()).events;
    expect(await stored()).toEqual({ ...before, events });
  });

  it("a participant cannot move the live spotlight (403, like the HTTP action)", async () => {
    const w = await world();
    const socket = await client(w.member.token);
    expect(await socket.request("live.spotlight", { slug: w.c.slug, positionId: w.position })).toMatchObject({ ok: false, error: { status: 403 } });
  });

  it("an event without an acknowledgement is ignored", async () => {
    const w = await world();
    const socket = await client(w.member.token);
    const before = await stored();
    (socket.socket as unknown as { emit(event: string, payload: unknown): void }).emit("vote.cast", vote(w));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await stored()).toEqual(before);
    expect(socket.socket.connected).toBe(true);
  });

  it("a message over 16 KB closes the connection", async () => {
    const w = await world();
    const socket = await client(w.member.token);
    const gone = disconnected(socket);
    (socket.socket as unknown as { emit(event: string, payload: unknown): void }).emit("vote.cast", vote(w, { padding: "x".repeat(20_000) }));
    await gone;
    expect(socket.socket.connected).toBe(false);
  });

  it("too many events in a burst get 429", async () => {
    const w = await world();
    const limited = await startServer({ rateLimit: { perSecond: 1, burst: 3 } });
    try {
      const socket = await connect(limited.url, { token: w.member.token });
      open.push(socket);
      const acks = [];
      for (let i = 0; i < 4; i++) acks.push(await socket.request("consultation.join", { slug: w.c.slug }));
      expect(acks.slice(0, 3).every((a) => a.ok)).toBe(true);
      expect(acks[3]).toEqual({ ok: false, error: { status: 429, message: "Too many requests: please slow down." } });
    } finally {
      await limited.close();
    }
  });
});
