import { getDb } from "../../consultations/db/client";
import { normaliseCode, sha256 } from "../../consultations/crypto";
import {
  createInvitations,
  listInvitations,
  previewInvitation,
  revokeBatch,
  revokeInvitation,
} from "../../consultations/invitations";
import { joinWithInvitation } from "../../consultations/participants";
import { createConsultation, createFacilitator, domainError, eventsOf, invite, joinParticipant, moveToPhase } from "../factories";
import { allRowsText } from "../setup/dialect";

/** Every row of every application table as one JSON string (to search for secrets). */
async function wholeDatabaseText(): Promise<string> {
  return allRowsText(await getDb());
}

describe("createInvitations", () => {
  it("a batch of N gives N distinct codes, stored only as SHA-256", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const issued = await invite(fac, c, "Sex workers", 25, { label: "Night outreach" });
    expect(issued).toHaveLength(25);
    const codes = issued.map((i) => i.code);
    expect(new Set(codes).size).toBe(25);
    for (const inv of issued) {
      expect(inv.code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(inv.path).toBe(`/join/${inv.code}`);
      expect(inv.groupName).toBe("Sex workers");
    }
    const rows = await db.invitation.findMany({ where: { consultationId: c.id } });
    expect(rows).toHaveLength(25);
    // one batch, one label, one group
    expect(new Set(rows.map((r) => r.batchId)).size).toBe(1);
    expect(rows.every((r) => r.groupId === c.groups["Sex workers"] && r.label === "Night outreach")).toBe(true);
    // the stored hash is the SHA-256 of the normalised code, the hint its last four characters
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const inv of issued) {
      const raw = normaliseCode(inv.code);
      expect(byId.get(inv.id)?.tokenHash).toBe(sha256(raw));
      expect(byId.get(inv.id)?.hint).toBe(raw.slice(-4));
      // ...which is the last group printed on the slip, so slips and the list match
      expect(inv.code.split("-").at(-1)).toBe(byId.get(inv.id)?.hint);
    }
    // the plaintext appears nowhere: not in the Invitation table, not in any other table (events...)
    const invitationText = JSON.stringify(await db.$queryRawUnsafe(`SELECT * FROM "Invitation"`));
    const everything = await wholeDatabaseText();
    for (const inv of issued) {
      const raw = normaliseCode(inv.code);
      for (const text of [invitationText, everything]) {
        expect(text).not.toContain(raw);
        expect(text).not.toContain(inv.code);
        expect(text).not.toContain(raw.slice(0, 12)); // not even a prefix
      }
    }
    // valid for 30 days by default
    const days = (rows[0].expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    // one event for the batch, with the count only
    const events = (await eventsOf(c.id)).filter((e) => e.type === "invitations.created");
    expect(events.map((e) => e.data)).toEqual([{ groupId: c.groups["Sex workers"], count: 25 }]);
  });

  it("refuses a group of another consultation, counts over 500, and participants", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const b = await createConsultation(fac);
    expect((await domainError(createInvitations(db, fac.viewer, a.key, { groupId: b.groups.Police, count: 1 }))).kind).toBe("not_found");
    expect((await domainError(createInvitations(db, fac.viewer, a.key, { groupId: a.groups.Police, count: 501 }))).kind).toBe("invalid");
    const member = await joinParticipant(fac, a, "Police");
    expect((await domainError(createInvitations(db, member.viewer, a.key, { groupId: a.groups.Police, count: 1 }))).kind).toBe("forbidden");
  });

  it("lists invitations with hints and states, never codes", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [used, revoked, open] = await invite(fac, c, "Police", 3);
    await joinWithInvitation(db, used.code, {});
    await revokeInvitation(db, fac.viewer, c.key, revoked.id);
    const list = await listInvitations(db, fac.viewer, c.key);
    const state = Object.fromEntries(list.map((i) => [i.id, i.state]));
    expect(state).toEqual({ [used.id]: "used", [revoked.id]: "revoked", [open.id]: "open" });
    expect(list.find((i) => i.id === open.id)?.hint).toBe(normaliseCode(open.code).slice(-4));
    expect(JSON.stringify(list)).not.toContain(normaliseCode(open.code));
  });
});

describe("joining with an invitation", () => {
  it("joins the invitation's group; the code is single use", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [inv] = await invite(fac, c, "Outreach workers");
    const preview = await previewInvitation(db, inv.code);
    expect(preview).toMatchObject({ consultation: { slug: c.slug, phase: "draft" }, groupName: "Outreach workers" });

    const joined = await joinWithInvitation(db, inv.code, { pseudonym: "Night Owl" });
    expect(joined.participant).toMatchObject({ pseudonym: "Night Owl", groupName: "Outreach workers", consultationId: c.id });
    expect(joined.slug).toBe(c.slug);
    const row = await db.participant.findUniqueOrThrow({ where: { id: joined.participant.id } });
    // group binding: the participant lands in the invitation's group
    expect(row.groupId).toBe(c.groups["Outreach workers"]);
    // no link from the participant to the invitation
    expect(JSON.stringify(row)).not.toContain(inv.id);
    const invRow = await db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(invRow.redeemedAt).toBeInstanceOf(Date);

    // second join with the same code
    const again = await domainError(joinWithInvitation(db, inv.code, { pseudonym: "Someone Else" }));
    expect(again.kind).toBe("conflict");
    expect(again.message).toMatch(/already used/);
    expect(await db.participant.count({ where: { consultationId: c.id } })).toBe(1);
  });

  it("accepts the code as people type it (lower case, spaces, O for 0)", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [inv] = await invite(fac, c, "Police");
    const typed = inv.code.toLowerCase().replaceAll("-", " ").replaceAll("0", "o").replaceAll("1", "l");
    const joined = await joinWithInvitation(db, typed, {});
    expect(joined.participant.groupName).toBe("Police");
  });

  it("two concurrent joins on one code -> exactly one participant", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [inv] = await invite(fac, c, "Peers who use drugs");
    const results = await Promise.allSettled([
      joinWithInvitation(db, inv.code, { pseudonym: "First Comer" }),
      joinWithInvitation(db, inv.code, { pseudonym: "Second Comer" }),
      joinWithInvitation(db, inv.code, {}),
    ]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(2);
    for (const r of rejected) expect((r.reason as { kind?: string }).kind).toBe("conflict");
    expect(await db.participant.count({ where: { consultationId: c.id } })).toBe(1);
    expect((await eventsOf(c.id)).filter((e) => e.type === "participant.joined")).toHaveLength(1);
  });

  it("revoked and expired codes are refused", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [revoked, expired] = await invite(fac, c, "Police", 2);
    await revokeInvitation(db, fac.viewer, c.key, revoked.id);
    expect(await domainError(joinWithInvitation(db, revoked.code, {}))).toMatchObject({
      kind: "conflict",
      message: "This invitation was withdrawn by the facilitators. Ask them for a new one.",
    });
    // expiry passed (set in the database: codes are valid for at least a day)
    await db.invitation.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await domainError(joinWithInvitation(db, expired.code, {}))).toMatchObject({
      kind: "conflict",
      message: "This invitation has expired. Ask the facilitators for a new one.",
    });
    expect(await db.participant.count({ where: { consultationId: c.id } })).toBe(0);
  });

  it("unknown or malformed codes are not found", async () => {
    const db = await getDb();
    expect((await domainError(joinWithInvitation(db, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG", {}))).kind).toBe("not_found");
    expect((await domainError(joinWithInvitation(db, "short", {}))).kind).toBe("not_found");
    expect((await domainError(previewInvitation(db, "'; DROP TABLE Invitation; --"))).kind).toBe("not_found");
  });

  it("no joining once the consultation reached synthesis", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [inv] = await invite(fac, c, "Police");
    await moveToPhase(fac, c, "synthesis");
    expect(await domainError(joinWithInvitation(db, inv.code, {}))).toMatchObject({
      kind: "forbidden",
      message: "This consultation is no longer taking new participants.",
    });
    // the code was not consumed by the refused attempt
    expect((await db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).redeemedAt).toBeNull();
  });

  it("a scheduled synthesis date that passed closes joining even before anyone reloaded the consultation", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "deliberation" });
    const [inv] = await invite(fac, c, "Police");
    // synthesis was due a minute ago; nobody has opened the consultation since
    await db.consultation.update({ where: { id: c.id }, data: { synthesisAt: new Date(Date.now() - 60_000) } });
    expect(await domainError(joinWithInvitation(db, inv.code, {}))).toMatchObject({
      kind: "forbidden",
      message: "This consultation is no longer taking new participants.",
    });
    expect(await db.participant.count({ where: { consultationId: c.id } })).toBe(0);
    expect((await db.consultation.findUniqueOrThrow({ where: { id: c.id } })).phase).toBe("synthesis");
  });

  it("a refused join (pseudonym taken) does not consume the code", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    await joinParticipant(fac, c, "Police", { pseudonym: "Blue Heron" });
    const [inv] = await invite(fac, c, "Police");
    expect((await domainError(joinWithInvitation(db, inv.code, { pseudonym: "blue heron" }))).kind).toBe("conflict");
    const joined = await joinWithInvitation(db, inv.code, { pseudonym: "Grey Heron" });
    expect(joined.participant.pseudonym).toBe("Grey Heron");
  });
});

describe("revoking", () => {
  it("an invitation of another consultation cannot be revoked through this one", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const b = await createConsultation(fac);
    const [invOfA] = await invite(fac, a, "Police");
    expect(await domainError(revokeInvitation(db, fac.viewer, b.key, invOfA.id))).toMatchObject({
      kind: "not_found",
      message: "This invitation was not found.",
    });
    expect((await db.invitation.findUniqueOrThrow({ where: { id: invOfA.id } })).revokedAt).toBeNull();
    // a facilitator of another organisation cannot either, even through the right consultation
    const stranger = await createFacilitator();
    expect((await domainError(revokeInvitation(db, stranger.viewer, a.key, invOfA.id))).kind).toBe("not_found");
  });

  it("a used invitation cannot be revoked; revoking twice is harmless", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [used, open] = await invite(fac, c, "Police", 2);
    await joinWithInvitation(db, used.code, {});
    expect((await domainError(revokeInvitation(db, fac.viewer, c.key, used.id))).kind).toBe("conflict");
    await revokeInvitation(db, fac.viewer, c.key, open.id);
    await revokeInvitation(db, fac.viewer, c.key, open.id);
    expect((await eventsOf(c.id)).filter((e) => e.type === "invitation.revoked")).toHaveLength(1);
  });

  it("revokeBatch revokes only the open invitations of that batch", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const batch = await invite(fac, c, "Police", 4);
    const other = await invite(fac, c, "Police", 2);
    await joinWithInvitation(db, batch[0].code, {});
    const batchId = (await db.invitation.findUniqueOrThrow({ where: { id: batch[0].id } })).batchId;
    expect(await revokeBatch(db, fac.viewer, c.key, batchId)).toBe(3);
    const rows = await db.invitation.findMany({ where: { consultationId: c.id } });
    const revokedIds = rows.filter((r) => r.revokedAt).map((r) => r.id).sort();
    expect(revokedIds).toEqual(batch.slice(1).map((i) => i.id).sort());
    expect(rows.filter((r) => other.some((o) => o.id === r.id)).every((r) => r.revokedAt === null)).toBe(true);
    // a batch id of this consultation used through another consultation revokes nothing
    const d = await createConsultation(fac);
    const otherBatchId = (await db.invitation.findUniqueOrThrow({ where: { id: other[0].id } })).batchId;
    expect(await revokeBatch(db, fac.viewer, d.key, otherBatchId)).toBe(0);
  });

  it("invitations cannot be managed from synthesis on", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [inv] = await invite(fac, c, "Police");
    await moveToPhase(fac, c, "synthesis");
    expect(await domainError(revokeInvitation(db, fac.viewer, c.key, inv.id))).toMatchObject({
      kind: "forbidden",
      message: "Invitations can only be managed before the synthesis phase.",
    });
  });
});
