import path from "node:path";
import { dialectOf, getDb } from "../../consultations/db/client";
import { migrationStatus } from "../../consultations/db/migrations";
import { resetDatabase } from "../setup/db";
import { testDialect } from "../setup/dialect";
import { pgDatabaseName, runDir } from "../setup/paths";

describe("test database setup", () => {
  it("points DATABASE_URL at this worker's own database of this run", async () => {
    const url = process.env.DATABASE_URL ?? "";
    if (testDialect() === "sqlite") {
      expect(url.startsWith("file:")).toBe(true);
      const dbPath = url.slice("file:".length);
      expect(path.dirname(dbPath)).toBe(runDir());
      expect(runDir()).toMatch(/tests\/\.tmp\/run-\d+$/);
      expect(path.basename(dbPath)).toMatch(/^worker-.+\.db$/);
    } else {
      const parsed = new URL(url);
      expect(parsed.protocol).toBe("postgresql:");
      expect(parsed.hostname).toBe("127.0.0.1");
      expect(parsed.pathname).toMatch(new RegExp(`^/${pgDatabaseName("w")}.+$`));
    }
    expect(dialectOf(await getDb())).toBe(testDialect());
    expect(process.env.POLYPHONY_FAST_HASH).toBe("1");
  });

  it("starts from a migrated, empty database: every committed migration applied", async () => {
    const db = await getDb();
    const status = await migrationStatus(db);
    expect(status.applied.length).toBeGreaterThan(0);
    expect(status.pending).toEqual([]);
    expect(await db.organisation.count()).toBe(0);
  });

  it("writes rows, and resetDatabase() empties every table", async () => {
    const db = await getDb();
    await db.organisation.create({ data: { name: "Test network" } });
    expect(await db.organisation.count()).toBe(1);
    await resetDatabase();
    expect(await db.organisation.count()).toBe(0);
  });
});
