import { getDb } from "../../consultations/db/client";
import { sha256 } from "../../consultations/crypto";
import { changePassword, getAccount, signUp, verifyLogin } from "../../consultations/accounts";
import {
  createSession,
  dayOf,
  endSessions,
  listAccountSessions,
  MAX_IDENTITIES_PER_DEVICE,
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
    expect(info).toMatchObject({
      sessionId: s.sessionId,
      sessionIds: [s.sessionId],
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
  it("idle: dead 7 days after the day of the last request, alive just before", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const t0 = new Date("2027-01-10T10:30:00Z");
    const day0 = dayOf(t0).getTime();
    const s = await createSession(db, { accountId: fac.account.id }, t0);
    // read at 7 days (from the start of the day) minus a minute: alive
    expect(await readSession(db, s.token, new Date(day0 + SESSION_IDLE_MS - 60_000))).not.toBeNull();
    // that read counted as activity on its day: 7 days after that day, minus a minute, still alive
    const day7 = dayOf(new Date(day0 + SESSION_IDLE_MS - 60_000)).getTime();
    expect(await readSession(db, s.token, new Date(day7 + SESSION_IDLE_MS - 60_000))).not.toBeNull();

    const idle = await createSession(db, { accountId: fac.account.id }, t0);
    // exactly 7 days after the day of the last request is still allowed; a millisecond more is not
    expect(await readSession(db, idle.token, new Date(day0 + SESSION_IDLE_MS))).not.toBeNull();
    const idler = await createSession(db, { accountId: fac.account.id }, t0);
    expect(await readSession(db, idler.token, new Date(day0 + SESSION_IDLE_MS + 1))).toBeNull();
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

  it("the last visit is kept to the day (written once a day at most), so sessions used together do not share a time", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const t0 = new Date("2027-01-10T10:30:00Z");
    const s = await createSession(db, { accountId: fac.account.id }, t0);
    const lastSeen = async () => (await db.session.findUniqueOrThrow({ where: { id: s.sessionId } })).lastSeenAt;
    expect(await lastSeen()).toEqual(new Date("2027-01-10T00:00:00Z"));
    await readSession(db, s.token, new Date("2027-01-10T23:59:00Z"));
    expect(await lastSeen()).toEqual(new Date("2027-01-10T00:00:00Z"));
    await readSession(db, s.token, new Date("2027-01-11T08:00:00Z"));
    expect(await lastSeen()).toEqual(new Date("2027-01-11T00:00:00Z"));
  });
});

describe("rotateSession", () => {
  it("signing in adds the identity's own new session; the device's other identities keep theirs", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const m = await joinParticipant(fac, a, "Police");
    const previous = await readSession(db, m.token);
    // the same device signs in as a facilitator
    const rotated = await rotateSession(db, previous, { accountId: fac.account.id });
    expect(rotated.token.split(".")).toEqual([m.token, expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{52}$/)]);
    const info = await readSession(db, rotated.token);
    expect(info?.viewer.account?.id).toBe(fac.account.id);
    expect(info?.viewer.participants.map((p) => p.id)).toEqual([m.me.id]);
    expect(info?.sessionIds).toHaveLength(2);
    // signing in again as the facilitator replaces the account's session only
    const again = await rotateSession(db, info, { accountId: fac.account.id });
    expect(await readSession(db, rotated.token)).toMatchObject({ sessionIds: [m.sessionId], viewer: { account: null } });
    expect((await readSession(db, again.token))?.viewer.account?.id).toBe(fac.account.id);
    expect(await db.session.findUnique({ where: { id: rotated.sessionId } })).toBeNull();
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
    // the replaced identity's session is gone: the cookie that held only it is dead, the other keeps B
    expect(await readSession(db, start.token)).toBeNull();
    expect((await readSession(db, both.token))?.viewer.participants.map((p) => p.id)).toEqual([inB.me.id]);
  });

  it("a device carries at most 12 identities: the oldest participant identity leaves first", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    let info = await readSession(db, (await rotateSession(db, null, { accountId: fac.account.id })).token);
    const joined: string[] = [];
    for (let i = 0; i < MAX_IDENTITIES_PER_DEVICE; i++) {
      const c = await createConsultation(fac);
      const m = await joinParticipant(fac, c, "Police");
      joined.push(m.me.id);
      info = await readSession(db, (await rotateSession(db, info, { participant: { id: m.me.id, consultationId: c.id } }, new Date(Date.now() + i))).token);
    }
    expect(info?.sessionIds).toHaveLength(MAX_IDENTITIES_PER_DEVICE);
    expect(info?.viewer.account?.id).toBe(fac.account.id);
    expect(info?.viewer.participants.map((p) => p.id)).toEqual(joined.slice(1));
    // a cookie with more tokens than that is not ours
    expect(await readSession(db, Array.from({ length: MAX_IDENTITIES_PER_DEVICE + 1 }, () => info!.parts[0].token).join("."))).toBeNull();
  });
});

describe("nothing stored links the identities of one device", () => {
  it("a facilitator who joins two consultations on one device: three sessions, none naming more than one identity", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const b = await createConsultation(fac);
    const inA = await joinParticipant(fac, a, "Police");
    const inB = await joinParticipant(fac, b, "Peers who use drugs");
    const t0 = new Date("2027-01-10T09:00:00Z");
    const device1 = await rotateSession(db, null, { accountId: fac.account.id }, t0);
    const device2 = await rotateSession(db, await readSession(db, device1.token, t0), { participant: { id: inA.me.id, consultationId: a.id } }, new Date("2027-01-10T09:05:00Z"));
    const device3 = await rotateSession(db, await readSession(db, device2.token, t0), { participant: { id: inB.me.id, consultationId: b.id } }, new Date("2027-01-10T09:10:00Z"));
    // used together all day
    for (const hour of [10, 12, 18]) expect(await readSession(db, device3.token, new Date(`2027-01-10T${hour}:00:00Z`))).not.toBeNull();
    const rows = await db.session.findMany({ where: { id: { in: device3.sessionIds } }, include: { participants: true } });
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(Number(row.accountId !== null) + row.participants.length).toBe(1);
    // What they share is the day of the last visit, as every session used that day does.
    expect(new Set(rows.map((r) => r.lastSeenAt.toISOString()))).toEqual(new Set(["2027-01-10T00:00:00.000Z"]));
    expect(new Set(rows.map((r) => r.createdAt.getTime())).size).toBe(3);
  });

  it("signing out ends (deletes) every session of the device, and nothing about them stays", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const inA = await joinParticipant(fac, a, "Police");
    const device = await rotateSession(db, await readSession(db, inA.token), { accountId: fac.account.id });
    expect(await endSessions(db, device.sessionIds)).toBe(2);
    expect(await db.session.count({ where: { id: { in: device.sessionIds } } })).toBe(0);
    expect(await db.sessionParticipant.count({ where: { sessionId: { in: device.sessionIds } } })).toBe(0);
    expect(await readSession(db, device.token)).toBeNull();
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
  it("deletes sessions past their end (absolute or idle), keeps the rest", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const now = new Date();
    const live = await createSession(db, { accountId: fac.account.id }, now);
    const expired = await createSession(db, { accountId: fac.account.id }, at(now, -SESSION_ABSOLUTE_MS - 2 * DAY));
    const idle = await createSession(db, { accountId: fac.account.id }, at(now, -SESSION_IDLE_MS - 3 * DAY));

    const pruned = await pruneSessions(db, now);
    expect(pruned).toBeGreaterThanOrEqual(2);
    const left = new Set((await db.session.findMany({ select: { id: true } })).map((s) => s.id));
    expect(left.has(live.sessionId)).toBe(true);
    expect(left.has(expired.sessionId)).toBe(false);
    expect(left.has(idle.sessionId)).toBe(false);
  });
});
