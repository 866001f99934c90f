import { getDb } from "../../consultations/db/client";
import { sha256 } from "../../consultations/crypto";
import { changePassword, getAccount, signUp, verifyLogin } from "../../consultations/accounts";
import {
  createSession,
  listAccountSessions,
  pruneSessions,
  readSession,
  revokeAccountSessions,
  revokeSession,
  rotateSession,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
} from "../../consultations/sessions";
import { createConsultation, createFacilitator, domainError, joinParticipant, PASSWORD, unique } from "../factories";

const DAY = 86_400_000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe("createSession / readSession", () => {
  it("stores only the token's SHA-256 and reads the viewer back", async () => {
    const db = await getDb();
    const fac = await createFacilitator({ displayName: "Ana" });
    const s = await createSession(db, { accountId: fac.account.id });
    expect(s.token).toMatch(/^[0-9A-HJKMNP-TV-Z]{52}$/); // 256 bits
    const row = await db.session.findUniqueOrThrow({ where: { id: s.sessionId } });
    expect(row.tokenHash).toBe(sha256(s.token));
    expect(JSON.stringify(row)).not.toContain(s.token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(SESSION_ABSOLUTE_MS);

    const info = await readSession(db, s.token);
    expect(info).toEqual({
      sessionId: s.sessionId,
      viewer: { account: { id: fac.account.id, organisationId: fac.account.organisationId, displayName: "Ana" }, participants: [] },
    });
  });

  it("carries participant identities", async () => {
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const m = await joinParticipant(fac, c, "Police", { pseudonym: "Warm Tide" });
    expect(m.viewer).toEqual({
      account: null,
      participants: [{ id: m.me.id, consultationId: c.id, groupId: c.groups.Police, pseudonym: "Warm Tide", status: "active" }],
    });
  });

  it("unknown, empty, over-long and revoked tokens read as null", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const s = await createSession(db, { accountId: fac.account.id });
    expect(await readSession(db, null)).toBeNull();
    expect(await readSession(db, "")).toBeNull();
    expect(await readSession(db, "NOT-A-TOKEN")).toBeNull();
    expect(await readSession(db, s.token + "X".repeat(100))).toBeNull();
    // the token with a different case is a different token
    expect(await readSession(db, s.token.toLowerCase())).toBeNull();
    await revokeSession(db, s.sessionId);
    expect(await readSession(db, s.token)).toBeNull();
  });
});

describe("expiry", () => {
  it("idle: dead after 7 days without a request, alive just before", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const t0 = new Date();
    const s = await createSession(db, { accountId: fac.account.id }, t0);
    // read at 7 days minus a minute: alive
    expect(await readSession(db, s.token, at(t0, SESSION_IDLE_MS - 60_000))).not.toBeNull();
    // that read counted as activity: 7 days after it, minus a minute, still alive
    expect(await readSession(db, s.token, at(t0, 2 * SESSION_IDLE_MS - 120_000))).not.toBeNull();

    const idle = await createSession(db, { accountId: fac.account.id }, t0);
    // exactly 7 days idle is still allowed; a millisecond more is not
    expect(await readSession(db, idle.token, at(t0, SESSION_IDLE_MS + 1))).toBeNull();
  });

  it("absolute: dead 30 days after creation even when used every day", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const t0 = new Date();
    const s = await createSession(db, { accountId: fac.account.id }, t0);
    for (let day = 1; day < 30; day++) {
      expect(await readSession(db, s.token, at(t0, day * DAY)), `day ${day}`).not.toBeNull();
    }
    expect(await readSession(db, s.token, at(t0, SESSION_ABSOLUTE_MS - 1))).not.toBeNull();
    expect(await readSession(db, s.token, at(t0, SESSION_ABSOLUTE_MS))).toBeNull();
  });

  it("lastSeenAt is written at most every 5 minutes", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const t0 = new Date();
    const s = await createSession(db, { accountId: fac.account.id }, t0);
    await readSession(db, s.token, at(t0, 60_000));
    expect((await db.session.findUniqueOrThrow({ where: { id: s.sessionId } })).lastSeenAt).toEqual(t0);
    await readSession(db, s.token, at(t0, 6 * 60_000));
    expect((await db.session.findUniqueOrThrow({ where: { id: s.sessionId } })).lastSeenAt).toEqual(at(t0, 6 * 60_000));
  });
});

describe("rotateSession", () => {
  it("a new token carries the old identities plus the new one; the old token is dead", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const m = await joinParticipant(fac, a, "Police");
    const previous = await readSession(db, m.token);
    // the same device signs in as a facilitator
    const rotated = await rotateSession(db, previous, { accountId: fac.account.id });
    expect(rotated.token).not.toBe(m.token);
    expect(await readSession(db, m.token)).toBeNull();
    const info = await readSession(db, rotated.token);
    expect(info?.viewer.account?.id).toBe(fac.account.id);
    expect(info?.viewer.participants.map((p) => p.id)).toEqual([m.me.id]);
    expect((await db.session.findUniqueOrThrow({ where: { id: m.sessionId } })).revokedAt).toBeInstanceOf(Date);
  });

  it("a new identity in the same consultation replaces the old one; other consultations are kept", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const b = await createConsultation(fac);
    const inA = await joinParticipant(fac, a, "Police");
    const inB = await joinParticipant(fac, b, "Police");
    const secondInA = await joinParticipant(fac, a, "Police");
    const start = await rotateSession(db, null, { participant: { id: inA.me.id, consultationId: a.id } });
    const both = await rotateSession(db, await readSession(db, start.token), { participant: { id: inB.me.id, consultationId: b.id } });
    const swapped = await rotateSession(db, await readSession(db, both.token), { participant: { id: secondInA.me.id, consultationId: a.id } });
    const info = await readSession(db, swapped.token);
    expect(info?.viewer.participants.map((p) => p.id).sort()).toEqual([inB.me.id, secondInA.me.id].sort());
    expect(await readSession(db, start.token)).toBeNull();
    expect(await readSession(db, both.token)).toBeNull();
  });
});

describe("passwords and sessions", () => {
  it("changing the password ends every session of the account", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const phone = await createSession(db, { accountId: fac.account.id });
    const laptop = await createSession(db, { accountId: fac.account.id });
    const other = await createFacilitator();
    const untouched = await createSession(db, { accountId: other.account.id });

    // wrong current password: nothing happens
    expect(await domainError(changePassword(db, fac.account.id, { current: "wrong password!!", next: "a brand new password" }))).toMatchObject({
      kind: "invalid",
      message: "Your current password is not right.",
    });
    expect(await readSession(db, phone.token)).not.toBeNull();
    // too short a new one
    expect((await domainError(changePassword(db, fac.account.id, { current: PASSWORD, next: "short" }))).kind).toBe("invalid");

    await changePassword(db, fac.account.id, { current: PASSWORD, next: "a brand new password" });
    expect(await readSession(db, phone.token)).toBeNull();
    expect(await readSession(db, laptop.token)).toBeNull();
    expect(await readSession(db, untouched.token)).not.toBeNull();
    // signing in with the new password gives a working session
    const login = await verifyLogin(db, { email: fac.email, password: "a brand new password" });
    expect(login.id).toBe(fac.account.id);
    const fresh = await createSession(db, { accountId: login.id });
    expect((await readSession(db, fresh.token))?.viewer.account?.id).toBe(fac.account.id);
    expect((await domainError(verifyLogin(db, { email: fac.email, password: PASSWORD }))).kind).toBe("invalid");
  });

  it("a session created before the password change is dead even if not revoked", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const s = await createSession(db, { accountId: fac.account.id });
    // e.g. a password reset done directly in the database
    await db.account.update({ where: { id: fac.account.id }, data: { passwordChangedAt: new Date(Date.now() + 1000) } });
    expect(await readSession(db, s.token)).toBeNull();
  });

  it("revokeAccountSessions counts and ends only that account's live sessions", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    await createSession(db, { accountId: fac.account.id });
    const s2 = await createSession(db, { accountId: fac.account.id });
    await revokeSession(db, s2.sessionId);
    expect(await revokeAccountSessions(db, fac.account.id)).toBe(1);
    expect(await listAccountSessions(db, fac.account.id)).toEqual([]);
  });
});

describe("accounts", () => {
  it("sign-up lower-cases the email and refuses a duplicate; login has one generic message", async () => {
    const db = await getDb();
    const email = `${unique("Mixed")}@Example.ORG`;
    const account = await signUp(db, { organisationName: "Correlation", displayName: "Ana", email, password: PASSWORD });
    expect(account.email).toBe(email.toLowerCase());
    expect(account.organisationName).toBe("Correlation");
    expect(await domainError(signUp(db, { organisationName: "X", displayName: "Y", email: email.toLowerCase(), password: PASSWORD }))).toMatchObject({
      kind: "conflict",
    });
    const stored = await db.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(stored.passwordHash).not.toContain(PASSWORD);
    expect((await verifyLogin(db, { email: email.toUpperCase(), password: PASSWORD })).id).toBe(account.id);
    const wrongPassword = await domainError(verifyLogin(db, { email, password: "nope nope nope" }));
    const unknownEmail = await domainError(verifyLogin(db, { email: "nobody@example.org", password: PASSWORD }));
    expect(wrongPassword).toEqual(unknownEmail);
    expect(wrongPassword.message).toBe("Email or password is not right.");
    expect(await getAccount(db, account.id)).toEqual(account);
  });
});

describe("pruneSessions", () => {
  it("deletes sessions that ended more than a day ago, keeps the rest", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const now = new Date();
    const live = await createSession(db, { accountId: fac.account.id }, now);
    const revokedLongAgo = await createSession(db, { accountId: fac.account.id }, now);
    await revokeSession(db, revokedLongAgo.sessionId, at(now, -2 * DAY));
    const revokedRecently = await createSession(db, { accountId: fac.account.id }, now);
    await revokeSession(db, revokedRecently.sessionId, at(now, -60_000));
    const expired = await createSession(db, { participantIds: [] }, at(now, -SESSION_ABSOLUTE_MS - 2 * DAY));

    const pruned = await pruneSessions(db, now);
    expect(pruned).toBeGreaterThanOrEqual(2);
    const left = new Set((await db.session.findMany({ select: { id: true } })).map((s) => s.id));
    expect(left.has(live.sessionId)).toBe(true);
    expect(left.has(revokedRecently.sessionId)).toBe(true);
    expect(left.has(revokedLongAgo.sessionId)).toBe(false);
    expect(left.has(expired.sessionId)).toBe(false);
  });
});
