import { getDb } from "../../consultations/db/client";
import { sha256, verifySecret } from "../../consultations/crypto";
import { getConsultation } from "../../consultations/consultations";
import {
  joinWithInvitation,
  listParticipants,
  myConsultations,
  reinstateParticipant,
  returnToConsultation,
  suspendParticipant,
} from "../../consultations/participants";
import { getPosition } from "../../consultations/positions";
import { createSession, readSession } from "../../consultations/sessions";
import { castVote } from "../../consultations/votes";
import { createConsultation, createFacilitator, domainError, eventsOf, invite, joinParticipant, submit } from "../factories";

const WRONG_RETURN = "We could not find you with these details. Check them and try again.";

describe("pseudonyms", () => {
  it("are unique per consultation, case- and space-insensitively", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    await joinParticipant(fac, c, "Police", { pseudonym: "swift fox" });
    const [a, b, d] = await invite(fac, c, "Police", 3);
    // "Swift Fox" cannot pose as "swift fox"
    expect(await domainError(joinWithInvitation(db, a.code, { pseudonym: "Swift Fox" }))).toMatchObject({
      kind: "conflict",
      message: "This pseudonym is already taken in this consultation. Choose another.",
    });
    // neither with doubled spaces nor in fullwidth letters
    expect((await domainError(joinWithInvitation(db, b.code, { pseudonym: "SWIFT   FOX" }))).kind).toBe("conflict");
    expect((await domainError(joinWithInvitation(db, d.code, { pseudonym: "Ｓｗｉｆｔ Ｆｏｘ" }))).kind).toBe("conflict");
    expect(await db.participant.count({ where: { consultationId: c.id } })).toBe(1);
  });

  it("two people racing for one pseudonym with two codes: one wins, the other gets the friendly conflict", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [a, b] = await invite(fac, c, "Police", 2);
    const results = await Promise.allSettled([
      joinWithInvitation(db, a.code, { pseudonym: "Lucky Finch" }),
      joinWithInvitation(db, b.code, { pseudonym: "lucky finch" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [rejected] = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    // the unique index caught it inside the transaction and it maps to the same message (not a 500)
    expect(rejected.reason).toMatchObject({ kind: "conflict", message: "This pseudonym is already taken in this consultation. Choose another." });
    // the loser's code was not consumed (the transaction rolled back)
    const redeemed = await db.invitation.count({ where: { consultationId: c.id, redeemedAt: { not: null } } });
    expect(redeemed).toBe(1);
  });

  it("the same pseudonym is free in another consultation", async () => {
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const b = await createConsultation(fac);
    const first = await joinParticipant(fac, a, "Police", { pseudonym: "Swift Fox" });
    const second = await joinParticipant(fac, b, "Police", { pseudonym: "Swift Fox" });
    expect(first.me.id).not.toBe(second.me.id);
  });

  it("an empty pseudonym gets a generated one; the recovery code is stored hashed only", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [inv] = await invite(fac, c, "Police");
    const joined = await joinWithInvitation(db, inv.code, { pseudonym: "", passphrase: "" });
    expect(joined.participant.pseudonym).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
    expect(joined.recoveryCode).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
    const row = await db.participant.findUniqueOrThrow({ where: { id: joined.participant.id } });
    expect(row.pseudonymKey).toBe(joined.participant.pseudonym.toLowerCase());
    expect(row.passphraseHash).toBeNull();
    expect(row.recoveryCodeHash).toBe(sha256(joined.recoveryCode.replaceAll("-", "")));
    expect(JSON.stringify(row)).not.toContain(joined.recoveryCode.replaceAll("-", ""));
  });

  it("an email or phone number as pseudonym is refused with a field message", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const [inv] = await invite(fac, c, "Police");
    const email = await domainError(joinWithInvitation(db, inv.code, { pseudonym: "jane@example.org" }));
    expect(email.kind).toBe("invalid");
    expect(email.fieldErrors.pseudonym).toContain("Do not use an email address as a pseudonym.");
    const phone = await domainError(joinWithInvitation(db, inv.code, { pseudonym: "06 12 34 56 78" }));
    expect(phone.fieldErrors.pseudonym).toContain("Do not use a phone number as a pseudonym.");
    // the refused attempts did not use the code
    expect((await db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).redeemedAt).toBeNull();
  });

  it("the participant.joined event names the group, not the person", async () => {
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const m = await joinParticipant(fac, c, "Police", { pseudonym: "Quiet Lark" });
    const [event] = (await eventsOf(c.id)).filter((e) => e.type === "participant.joined");
    expect(event.data).toEqual({ groupId: c.groups.Police });
    expect(event.payload).not.toContain(m.me.id);
  });
});

describe("coming back on another device", () => {
  it("with pseudonym (any case) and passphrase", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const m = await joinParticipant(fac, c, "Police", { pseudonym: "Steady Otter", passphrase: "long enough passphrase" });
    const row = await db.participant.findUniqueOrThrow({ where: { id: m.me.id } });
    expect(await verifySecret(row.passphraseHash!, "long enough passphrase")).toBe(true);
    expect(row.passphraseHash).not.toContain("long enough passphrase");

    const back = await returnToConsultation(db, c.slug, { method: "passphrase", pseudonym: "steady otter", passphrase: "long enough passphrase" });
    expect(back).toEqual({ id: m.me.id, consultationId: c.id, pseudonym: "Steady Otter" });
  });

  it("with the recovery code, formatted or typed in lower case with spaces", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const m = await joinParticipant(fac, c, "Police");
    expect((await returnToConsultation(db, c.slug, { method: "recovery", recoveryCode: m.recoveryCode })).id).toBe(m.me.id);
    const typed = ` ${m.recoveryCode.toLowerCase().replaceAll("-", " ")} `;
    expect((await returnToConsultation(db, c.slug, { method: "recovery", recoveryCode: typed })).id).toBe(m.me.id);
  });

  it("wrong details -> invalid with one generic message", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const withPass = await joinParticipant(fac, c, "Police", { pseudonym: "Calm River", passphrase: "long enough passphrase" });
    await joinParticipant(fac, c, "Police", { pseudonym: "No Pass" });
    const other = await createConsultation(fac);
    const elsewhere = await joinParticipant(fac, other, "Police");
    const attempts = [
      // wrong passphrase
      { method: "passphrase", pseudonym: "Calm River", passphrase: "wrong passphrase" },
      // unknown pseudonym
      { method: "passphrase", pseudonym: "Nobody Here", passphrase: "long enough passphrase" },
      // participant without a passphrase
      { method: "passphrase", pseudonym: "No Pass", passphrase: "" + "anything at all" },
      // recovery code that does not exist
      { method: "recovery", recoveryCode: "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG" },
      // recovery code of a participant of another consultation
      { method: "recovery", recoveryCode: elsewhere.recoveryCode },
    ];
    for (const attempt of attempts) {
      const error = await domainError(returnToConsultation(db, c.slug, attempt));
      expect(error).toMatchObject({ kind: "invalid", message: WRONG_RETURN, fieldErrors: { form: [WRONG_RETURN] } });
    }
    // the right details still work
    expect((await returnToConsultation(db, c.slug, { method: "passphrase", pseudonym: "Calm River", passphrase: "long enough passphrase" })).id).toBe(
      withPass.me.id,
    );
    // unknown consultation
    expect((await domainError(returnToConsultation(db, "no-such-consultation", attempts[0]))).kind).toBe("not_found");
  });
});

describe("suspension", () => {
  it("ends the participant's sessions; they can read but no longer vote", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const author = await joinParticipant(fac, c, "Police");
    const m = await joinParticipant(fac, c, "Peers who use drugs", { passphrase: "long enough passphrase" });
    const position = await submit(author, c);
    // a second device of the same participant
    const secondDevice = await createSession(db, { participantIds: [m.me.id] });

    const revoked = await suspendParticipant(db, fac.viewer, c.key, m.me.id, { reason: "Posted someone's address" });
    expect(revoked.sort()).toEqual([m.sessionId, secondDevice.sessionId].sort());
    // every session is dead
    expect(await readSession(db, m.token)).toBeNull();
    expect(await readSession(db, secondDevice.token)).toBeNull();
    // the author's session is untouched
    expect(await readSession(db, author.token)).not.toBeNull();

    // coming back works, but the identity is suspended
    const back = await returnToConsultation(db, c.slug, { method: "recovery", recoveryCode: m.recoveryCode });
    const session = await createSession(db, { participantIds: [back.id] });
    const viewer = (await readSession(db, session.token))!.viewer;
    expect(viewer.participants[0].status).toBe("suspended");
    // cannot vote
    expect(await domainError(castVote(db, viewer, c.key, position.id, { choice: "agree" }))).toMatchObject({
      kind: "forbidden",
      message: "Your participation in this consultation is suspended.",
    });
    // can read
    const view = await getConsultation(db, viewer, c.key);
    expect(view.role).toBe("suspended");
    expect(view.me?.status).toBe("suspended");
    const { position: seen } = await getPosition(db, viewer, c.key, position.id);
    expect(seen.canVote).toBe(false);
    expect(seen.bodyHtml).not.toBeNull();

    const [event] = (await eventsOf(c.id)).filter((e) => e.type === "participant.suspended");
    expect(event.data).toEqual({ pseudonym: m.pseudonym });

    // the list shows the reason to facilitators
    const list = await listParticipants(db, fac.viewer, c.key);
    expect(list.find((p) => p.id === m.me.id)).toMatchObject({ status: "suspended", suspendedReason: "Posted someone's address" });
  });

  it("reinstating lets them vote again", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const author = await joinParticipant(fac, c, "Police");
    const m = await joinParticipant(fac, c, "Police");
    const position = await submit(author, c);
    await suspendParticipant(db, fac.viewer, c.key, m.me.id, { reason: "Spam" });
    await reinstateParticipant(db, fac.viewer, c.key, m.me.id);
    const back = await returnToConsultation(db, c.slug, { method: "recovery", recoveryCode: m.recoveryCode });
    const session = await createSession(db, { participantIds: [back.id] });
    const viewer = (await readSession(db, session.token))!.viewer;
    expect((await castVote(db, viewer, c.key, position.id, { choice: "agree" })).changed).toBe(true);
  });

  it("a participant of another consultation cannot be suspended through this one", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const b = await createConsultation(fac);
    const m = await joinParticipant(fac, a, "Police");
    expect(await domainError(suspendParticipant(db, fac.viewer, b.key, m.me.id, { reason: "x" }))).toMatchObject({ kind: "not_found" });
    expect((await db.participant.findUniqueOrThrow({ where: { id: m.me.id } })).status).toBe("active");
    expect(await readSession(db, m.token)).not.toBeNull();
  });

  it("participants cannot suspend, and a reason is required", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const a = await joinParticipant(fac, c, "Police");
    const b = await joinParticipant(fac, c, "Police");
    expect((await domainError(suspendParticipant(db, a.viewer, c.key, b.me.id, { reason: "x" }))).kind).toBe("forbidden");
    expect((await domainError(suspendParticipant(db, fac.viewer, c.key, b.me.id, { reason: "  " }))).kind).toBe("invalid");
  });
});

describe("myConsultations", () => {
  it("lists the consultations the viewer's identities belong to", async () => {
    const fac = await createFacilitator();
    const a = await createConsultation(fac, { title: "Consultation A" });
    const m = await joinParticipant(fac, a, "Police", { pseudonym: "Tidy Wren" });
    const db = await getDb();
    expect(await myConsultations(db, m.viewer)).toEqual([{ slug: a.slug, title: "Consultation A", phase: "draft", pseudonym: "Tidy Wren" }]);
    expect(await myConsultations(db, fac.viewer)).toEqual([]);
  });
});
