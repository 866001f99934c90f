/**
 * Abuse limits over the real server (Express + Remix build + socket.io, realtime/app-server.ts): votes over
 * the socket (ack 429 with the message and when to try again), one group flooding votes does not block
 * another, sign-in and invitation guessing per client address and per target (429 with Retry-After), and
 * nothing keeps the client's address (database files and the server's log are searched for it). The limits'
 * clock is injected: "after the window" moves it forward, nothing sleeps. Also: socket.io's message size cap.
 */
import fs from "node:fs";
import { getDb } from "../../consultations/db/client";
import {
  INVITATION_FAILURES_PER_ADDRESS_PER_15_MINUTES,
  PASSPHRASE_FAILURES_PER_PSEUDONYM_PER_HOUR,
  resetRateLimits,
  setRateLimitClock,
  SIGN_IN_FAILURES_PER_ACCOUNT_PER_HOUR,
  SIGN_IN_FAILURES_PER_ADDRESS_PER_15_MINUTES,
  VOTES_PER_GROUP_PER_SECOND,
  VOTES_PER_PARTICIPANT_PER_MINUTE,
} from "../../consultations/rate-limits";
import { castVotes } from "../../consultations/votes";
import { MAX_MESSAGE_BYTES } from "../../realtime/sockets";
import { createConsultation, createFacilitator, invite, joinMany, joinParticipant, PASSWORD, submit, type Facilitator, type TestConsultation } from "../factories";
import { connect, disconnected, formPost, requestKey, startServer, type Client, type RunningServer } from "./realtime-harness";
import { allRowsText, testDialect } from "../setup/dialect";

const START = Date.UTC(2026, 10, 23, 12);
let now = START;
const logged: string[] = [];
let srv: RunningServer;
let fac: Facilitator;
let c: TestConsultation;
const open: Client[] = [];

beforeAll(async () => {
  srv = await startServer({ log: (level, msg, extra) => void logged.push(JSON.stringify({ level, msg, ...extra })) });
  fac = await createFacilitator();
  c = await createConsultation(fac, { phase: "positions" });
});
beforeEach(() => {
  resetRateLimits();
  now = START;
  setRateLimitClock(() => now);
});
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});
afterAll(async () => {
  resetRateLimits();
  await srv.close();
});

async function socketOf(token: string) {
  const client = await connect(srv.url, { token });
  open.push(client);
  return client;
}

type VoteAck = { ok: true; data: { positionId: string } } | { ok: false; error: { status: number; message: string; retryAfterSeconds?: number } };
const vote = (client: Client, positionId: string, choice: "agree" | "disagree" = "agree") =>
  client.request("vote.cast", { slug: c.slug, positionId, choice, idempotencyKey: requestKey() }) as Promise<VoteAck>;

const text = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

describe("votes over the socket", () => {
  it("the 121st vote in a burst gets ack 429 with the message and retryAfterSeconds; nothing is stored; a second later it works", async () => {
    const author = await joinParticipant(fac, c, "Police");
    const [p1, p2] = [(await submit(author, c)).id, (await submit(author, c)).id];
    const [voter] = await joinMany(fac, c, "Sex workers", 1);
    const socket = await socketOf(voter.token);
    const burst = VOTES_PER_PARTICIPANT_PER_MINUTE.burst;
    // 120 votes at once (changing their mind on p1): all applied.
    const acks = await Promise.all(Array.from({ length: burst }, (_, k) => vote(socket, p1, k % 2 ? "agree" : "disagree")));
    expect(acks.filter((a) => a.ok)).toHaveLength(burst);

    // Case: the 121st.
    const over = await vote(socket, p2);
    expect(over).toEqual({ ok: false, error: { status: 429, message: "You have voted very quickly. Please try again in a second.", retryAfterSeconds: 1 } });
    const db = await getDb();
    expect(await db.vote.count({ where: { participantId: voter.me.id, positionId: p2 } })).toBe(0);

    // Case: after the window (half a second is one vote at 2 a second) it works again.
    now += 500;
    expect((await vote(socket, p2)).ok).toBe(true);
    expect(await db.vote.count({ where: { participantId: voter.me.id, positionId: p2 } })).toBe(1);
  });

  it("one group flooding votes does not block another group", async () => {
    const author = await joinParticipant(fac, c, "Policymakers");
    const position = (await submit(author, c)).id;
    const perMember = 100;
    const flooders = await joinMany(fac, c, "Outreach workers", VOTES_PER_GROUP_PER_SECOND.burst / perMember + 1); // 21
    const [peer] = await joinMany(fac, c, "Peers who use drugs", 1);
    // The group's 2,000 votes in one batch (the group commit's path), 100 per member.
    const ballots = flooders.slice(0, -1).flatMap((m) =>
      Array.from({ length: perMember }, (_, k) => ({ viewer: m.viewer, key: c.key, positionId: position, choice: k % 2 ? ("agree" as const) : ("disagree" as const) })),
    );
    const results = await castVotes(await getDb(), ballots);
    expect(results.filter((r) => r.ok)).toHaveLength(VOTES_PER_GROUP_PER_SECOND.burst);

    // Case: the group's 21st member, who has not voted yet, is refused by the group's limit.
    const refused = await vote(await socketOf(flooders[flooders.length - 1].token), position);
    expect(refused).toEqual({
      ok: false,
      error: { status: 429, message: "Your stakeholder group is voting faster than the server can take right now. Please try again in a second.", retryAfterSeconds: 1 },
    });
    // Case: another group votes at once.
    const other = await vote(await socketOf(peer.token), position);
    expect(other.ok).toBe(true);
  });
});

describe("sign-in brute force (real Express: the client address is req.ip)", () => {
  it("facilitator: the 11th failure for one email gets 429 with Retry-After, even with the right password; after the window it works", async () => {
    const target = await createFacilitator();
    const limit = SIGN_IN_FAILURES_PER_ACCOUNT_PER_HOUR.burst; // 10
    for (let k = 0; k < limit; k++) {
      const res = await formPost(srv.url, "/login", { email: target.email, password: `wrong guess ${k}` });
      expect([k, res.status]).toEqual([k, 422]);
    }
    const blocked = await formPost(srv.url, "/login", { email: target.email, password: PASSWORD });
    expect(blocked.status).toBe(429);
    // 10 an hour: one every 6 minutes.
    expect(blocked.headers.get("Retry-After")).toBe("360");
    expect(text(await blocked.text())).toContain("There were too many unsuccessful sign-in attempts for this email. Please try again in about 6 minutes.");
    expect(blocked.headers.get("Set-Cookie")).toBeNull();

    // Case: the same email typed in capitals is the same bucket.
    expect((await formPost(srv.url, "/login", { email: target.email.toUpperCase(), password: PASSWORD })).status).toBe(429);

    // Case: after 6 minutes the right password signs in (302 with a session cookie).
    now += 6 * 60_000;
    const ok = await formPost(srv.url, "/login", { email: target.email, password: PASSWORD });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Set-Cookie")).toContain("polyphony_session=");
  });

  it("per network: the 21st failure from one address gets 429 whatever the email; successful sign-ins do not count", async () => {
    const real = await createFacilitator();
    const limit = SIGN_IN_FAILURES_PER_ADDRESS_PER_15_MINUTES.burst; // 20
    for (let k = 0; k < limit; k++) {
      // Case: a success between failures gives its token back.
      if (k === 5) expect((await formPost(srv.url, "/login", { email: real.email, password: PASSWORD })).status).toBe(302);
      const res = await formPost(srv.url, "/login", { email: `someone-${k}@example.org`, password: "not the password" });
      expect([k, res.status]).toEqual([k, 422]);
    }
    const blocked = await formPost(srv.url, "/login", { email: real.email, password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(text(await blocked.text())).toContain("There were too many unsuccessful sign-in attempts from your network. Please try again in 45 seconds.");
    expect(blocked.headers.get("Retry-After")).toBe("45");
    // The participants' sign-in shares the network's bucket.
    const ret = await formPost(srv.url, `/c/${c.slug}/return`, { method: "recovery", recoveryCode: "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG" });
    expect(ret.status).toBe(429);

    now += 45_000;
    expect((await formPost(srv.url, "/login", { email: real.email, password: PASSWORD })).status).toBe(302);
  });

  it("participant: the 11th wrong passphrase for one pseudonym gets 429 (it says the recovery code still works), and the recovery code does", async () => {
    const member = await joinParticipant(fac, c, "Peers who use drugs", { pseudonym: `Quiet Harbor ${Date.now() % 1000}`, passphrase: "a long passphrase of mine" });
    const limit = PASSPHRASE_FAILURES_PER_PSEUDONYM_PER_HOUR.burst; // 10
    for (let k = 0; k < limit; k++) {
      const res = await formPost(srv.url, `/c/${c.slug}/return`, { method: "passphrase", pseudonym: member.pseudonym, passphrase: `guess number ${k}` });
      expect([k, res.status]).toEqual([k, 422]);
    }
    const blocked = await formPost(srv.url, `/c/${c.slug}/return`, { method: "passphrase", pseudonym: member.pseudonym.toLowerCase(), passphrase: "a long passphrase of mine" });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("Retry-After")).toBe("360");
    expect(text(await blocked.text())).toContain(
      "There were too many unsuccessful attempts with this pseudonym. You can still come back with your recovery code. Please try again in about 6 minutes.",
    );
    const recovered = await formPost(srv.url, `/c/${c.slug}/return`, { method: "recovery", recoveryCode: member.recoveryCode });
    expect(recovered.status).toBe(302);
    expect(recovered.headers.get("Location")).toBe(`/c/${c.slug}`);

    now += 6 * 60_000;
    const back = await formPost(srv.url, `/c/${c.slug}/return`, { method: "passphrase", pseudonym: member.pseudonym, passphrase: "a long passphrase of mine" });
    expect(back.status).toBe(302);
  });
});

describe("invitation codes (real Express)", () => {
  it("the 21st unknown code from one network gets 429 (preview and join alike); used codes do not count; after the window a real code works", async () => {
    const [valid, used] = await invite(fac, c, "Police", 2);
    await formPost(srv.url, `/join/${used.code}`, {}); // joins: the code is now used
    const limit = INVITATION_FAILURES_PER_ADDRESS_PER_15_MINUTES.burst; // 20
    for (let k = 0; k < limit; k++) {
      const res = await fetch(new URL(`/join/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-${String(k).padStart(4, "0")}`, srv.url));
      expect([k, res.status]).toEqual([k, 404]);
      // Case: a used code in between: a real code, not counted.
      if (k === 3) expect((await fetch(new URL(`/join/${used.code}`, srv.url))).status).toBe(409);
    }
    const preview = await fetch(new URL(`/join/${valid.code}`, srv.url));
    expect(preview.status).toBe(429);
    expect(preview.headers.get("Retry-After")).toBe("45");
    expect(text(await preview.text())).toContain("Too many unknown invitation codes were tried from your network. Please try again in 45 seconds.");
    const join = await formPost(srv.url, `/join/${valid.code}`, { pseudonym: "" });
    expect(join.status).toBe(429);
    const db = await getDb();
    expect((await db.invitation.findFirstOrThrow({ where: { id: valid.id }, select: { redeemedAt: true } })).redeemedAt).toBeNull();

    now += 45_000;
    const joined = await formPost(srv.url, `/join/${valid.code}`, { pseudonym: "" });
    expect(joined.status).toBe(200);
    expect((await db.invitation.findFirstOrThrow({ where: { id: valid.id }, select: { redeemedAt: true } })).redeemedAt).not.toBeNull();
  });
});

describe("the client's address is kept nowhere", () => {
  it("after all the attempts above, neither the database nor the server's log contain it", async () => {
    // Make sure at least one limited attempt happened in this test too.
    for (let k = 0; k < 3; k++) await formPost(srv.url, "/login", { email: "nobody@example.org", password: "wrong password" });
    const db = await getDb();
    // SQLite: the files themselves (free pages included); PostgreSQL: every stored value.
    let bytes: Buffer;
    if (testDialect() === "sqlite") {
      await db.$queryRawUnsafe("PRAGMA wal_checkpoint(FULL)").catch(() => undefined);
      const file = new URL(process.env.DATABASE_URL!.replace(/^file:/, "file://")).pathname;
      bytes = Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    } else {
      bytes = Buffer.from(await allRowsText(db));
    }
    // The search works: the files hold this file's data (the consultation's slug, a joined pseudonym's group).
    expect(bytes.includes(Buffer.from(c.slug))).toBe(true);
    for (const needle of ["127.0.0.1", "::1", "::ffff:127"]) {
      expect([needle, bytes.includes(Buffer.from(needle))]).toEqual([needle, false]);
      expect([needle, logged.some((line) => line.includes(needle))]).toEqual([needle, false]);
    }
  });
});

describe("socket.io message size", () => {
  it(`maxHttpBufferSize is ${MAX_MESSAGE_BYTES} bytes: a message under it is answered, one over it closes the connection`, async () => {
    expect(srv.server.realtime.io.engine.opts.maxHttpBufferSize).toBe(MAX_MESSAGE_BYTES);
    const [member] = await joinMany(fac, c, "Sex workers", 1);
    const socket = await socketOf(member.token);
    // Case: ~10 KB: parsed and refused as invalid (422), the connection stays.
    const small = await socket.request("vote.cast", { slug: c.slug, positionId: "x".repeat(10_000), choice: "agree", idempotencyKey: requestKey() });
    expect(small.ok).toBe(false);
    if (!small.ok) expect(small.error.status).toBe(422);
    expect(socket.socket.connected).toBe(true);
    // Case: ~20 KB: the server drops the connection without reading it.
    const gone = disconnected(socket, 5000);
    const raw = socket.socket as unknown as { emit(event: string, ...args: unknown[]): void };
    raw.emit("vote.cast", { slug: c.slug, positionId: "x".repeat(MAX_MESSAGE_BYTES + 4_000) }, () => undefined);
    expect(await gone).toMatch(/transport (close|error)/);
  });
});
