/**
 * The process's database gate (consultations/db/client.ts `gated`): Prisma's SQLite adapter has one
 * connection, so without the gate a call made outside any transaction while another request's
 * transaction is open runs inside it: its write vanishes if that transaction rolls back, and its read
 * sees rows that never commit.
 */
import { getDb } from "../../consultations/db/client";
import { commit } from "../../consultations/unit-of-work";
import { castVotes } from "../../consultations/votes";
import { createConsultation, createFacilitator, joinMany, joinParticipant, submit } from "../factories";
import { onSqlite } from "../setup/dialect";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("a write outside any transaction is never lost to another request's rollback", async () => {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const db = await getDb();
  for (let round = 0; round < 10; round++) {
    // Six plain updates interleave with a transaction that writes, reads, then fails.
    const plain = (async () => {
      for (let k = 0; k < 6; k++) await db.consultation.update({ where: { id: c.id }, data: { title: `Title ${round} ${k}` } });
    })();
    const failing = commit(db, async (tx) => {
      await tx.consultation.update({ where: { id: c.id }, data: { description: "written in a transaction that fails" } });
      await tx.consultation.findUnique({ where: { id: c.id } });
      await tx.consultation.findUnique({ where: { id: c.id } });
      throw new Error("refused on purpose");
    }).catch((error: Error) => error.message);
    const [outcome] = await Promise.all([failing, plain]);
    expect(outcome).toBe("refused on purpose");
    const row = await db.consultation.findUniqueOrThrow({ where: { id: c.id }, select: { title: true, description: true } });
    // every plain write is there; the failed transaction's is not
    expect(row.title).toBe(`Title ${round} 5`);
    expect(row.description).not.toBe("written in a transaction that fails");
  }
});

describe.each(onSqlite ? ["direct SQLite", "Prisma"] : ["Prisma"])("a vote batch during an open transaction (%s)", (writer) => {
  beforeEach(() => {
    if (writer === "Prisma") process.env.POLYPHONY_DIRECT_SQLITE = "off";
  });
  afterEach(() => {
    delete process.env.POLYPHONY_DIRECT_SQLITE;
  });

  it("does not see a hide that rolls back: the vote counts", async () => {
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const author = await joinParticipant(fac, c, "Outreach workers");
    const positionId = (await submit(author, c)).id;
    const [voter] = await joinMany(fac, c, "Police", 1);
    const db = await getDb();
    let written!: () => void;
    const hidden = new Promise<void>((resolve) => (written = resolve));
    const failing = commit(db, async (tx) => {
      await tx.position.update({ where: { id: positionId }, data: { status: "hidden" } });
      written();
      await sleep(100);
      throw new Error("rolled back");
    }).catch((error: Error) => error.message);
    await hidden;
    const [result] = await castVotes(db, [{ viewer: voter.viewer, key: c.key, positionId, choice: "agree" }]);
    expect(await failing).toBe("rolled back");
    // the batch waited for the transaction and saw the position visible, as it really is
    expect(result.ok).toBe(true);
    expect((await db.position.findUniqueOrThrow({ where: { id: positionId } })).status).toBe("visible");
    expect(await db.vote.count({ where: { positionId } })).toBe(1);
  });
});

describe.skipIf(!onSqlite)("SQLite write transactions start IMMEDIATE", () => {
  it("a transaction that has only read already holds the write lock: another process cannot write in between", async () => {
    const { default: Database } = await import("better-sqlite3");
    const db = await getDb();
    const other = new Database((process.env.DATABASE_URL ?? "").replace(/^file:/, ""));
    other.pragma("busy_timeout = 0");
    try {
      let refused: string | null = null;
      await db.$transaction(async (tx) => {
        await tx.organisation.findFirst();
        // A deferred BEGIN would hold no lock yet, and this would succeed (then our write could fail BUSY).
        try {
          other.exec("BEGIN IMMEDIATE");
          other.exec("ROLLBACK");
        } catch (error) {
          refused = (error as { code?: string }).code ?? String(error);
        }
      });
      expect(refused).toBe("SQLITE_BUSY");
      // Outside a transaction, the other connection writes as usual.
      other.exec("BEGIN IMMEDIATE");
      other.exec("ROLLBACK");
    } finally {
      other.close();
    }
  });
});
