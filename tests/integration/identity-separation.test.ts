/**
 * Identity separation in the stored data: invitation and recovery codes are stored only as SHA-256 hashes
 * (no table holds the code itself), and one person joining two consultations becomes two unrelated
 * participants: different random pseudonyms, different secrets, nothing in either row pointing at the other.
 */
import { getDb, type Db } from "../../consultations/db/client";
import { normaliseCode, sha256 } from "../../consultations/crypto";
import { joinWithInvitation } from "../../consultations/participants";
import { createConsultation, createFacilitator, eventsOf, invite } from "../factories";
import { allRowsText } from "../setup/dialect";

/** Every row of every application table, as one JSON text (upper-cased, for code searches). */
async function wholeDatabase(db: Db): Promise<string> {
  return (await allRowsText(db)).toUpperCase();
}

describe("codes are stored only hashed", () => {
  it("no table holds an invitation code or a recovery code, only their SHA-256", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const invitations = await invite(fac, c, "Police", 3);
    const joined = await joinWithInvitation(db, invitations[0].code, { pseudonym: "", passphrase: "" });
    const dump = await wholeDatabase(db);
    for (const { code, id } of invitations) {
      const plain = normaliseCode(code);
      // 140 bits: 28 characters of 5 bits
      expect(plain).toHaveLength(28);
      expect(dump).not.toContain(plain);
      expect(dump).not.toContain(code.toUpperCase());
      expect((await db.invitation.findUniqueOrThrow({ where: { id } })).tokenHash).toBe(sha256(plain));
    }
    const recovery = normaliseCode(joined.recoveryCode);
    expect(recovery).toHaveLength(28);
    expect(dump).not.toContain(recovery);
    expect(dump).not.toContain(joined.recoveryCode.toUpperCase());
    expect((await db.participant.findUniqueOrThrow({ where: { id: joined.participant.id } })).recoveryCodeHash).toBe(sha256(recovery));
  });
});

describe("pseudonyms are random and unlinkable across consultations", () => {
  it("one person joining two consultations becomes two participants that share nothing", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const b = await createConsultation(fac);
    // the same person, the same passphrase, a given pseudonym in both
    const [invA] = await invite(fac, a, "Police");
    const [invB] = await invite(fac, b, "Police");
    const inA = await joinWithInvitation(db, invA.code, { pseudonym: "", passphrase: "the same passphrase everywhere" });
    const inB = await joinWithInvitation(db, invB.code, { pseudonym: "", passphrase: "the same passphrase everywhere" });
    const rowA = await db.participant.findUniqueOrThrow({ where: { id: inA.participant.id } });
    const rowB = await db.participant.findUniqueOrThrow({ where: { id: inB.participant.id } });
    // generated names: two words and a number, never containing a piece of an id
    for (const row of [rowA, rowB]) {
      expect(row.pseudonym).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ [1-9]\d$/);
      for (const id of [rowA.id, rowB.id, a.id, b.id, invA.id, invB.id]) {
        for (const part of id.split("-")) expect(row.pseudonym.toLowerCase()).not.toContain(part.toLowerCase());
      }
    }
    // nothing in common: secrets differ (argon2 salts), no column points at the other row or the invitation
    expect(rowA.passphraseHash).not.toBe(rowB.passphraseHash);
    expect(rowA.recoveryCodeHash).not.toBe(rowB.recoveryCodeHash);
    const textA = JSON.stringify(rowA);
    const textB = JSON.stringify(rowB);
    for (const bit of [rowB.id, rowB.pseudonym, rowB.recoveryCodeHash, invA.id, invB.id, sha256(normaliseCode(invA.code))]) expect(textA).not.toContain(bit);
    for (const bit of [rowA.id, rowA.pseudonym, rowA.recoveryCodeHash, invA.id, invB.id]) expect(textB).not.toContain(bit);
    // and neither consultation's events name the other's pseudonym
    expect(JSON.stringify(await eventsOf(b.id))).not.toContain(rowA.pseudonym);
    expect(JSON.stringify(await eventsOf(a.id))).not.toContain(rowB.pseudonym);
  });

  it("40 people joining two consultations in the same order get unrelated names (no derivation from order or ids)", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const a = await createConsultation(fac);
    const b = await createConsultation(fac);
    const invA = await invite(fac, a, "Police", 40);
    const invB = await invite(fac, b, "Police", 40);
    const namesA: string[] = [];
    const namesB: string[] = [];
    for (let i = 0; i < 40; i++) {
      namesA.push((await joinWithInvitation(db, invA[i].code, {})).participant.pseudonym);
      namesB.push((await joinWithInvitation(db, invB[i].code, {})).participant.pseudonym);
    }
    // ~144,000 names: the i-th person in A and in B share a name by chance with probability ~40/144,000
    expect(namesA.filter((n, i) => n === namesB[i]).length).toBeLessThanOrEqual(1);
    expect(new Set(namesA).size).toBe(40);
  });
});
