import path from "node:path";
import { getDb } from "../../consultations/db/client";
import { resetDatabase } from "../setup/db";
import { runDir } from "../setup/paths";

describe("test database setup", () => {
  it("points DATABASE_URL at a per-worker copy in this run's folder under tests/.tmp", () => {
    const url = process.env.DATABASE_URL ?? "";
    expect(url.startsWith("file:")).toBe(true);
    const dbPath = url.slice("file:".length);
    expect(path.dirname(dbPath)).toBe(runDir());
    expect(runDir()).toMatch(/tests\/\.tmp\/run-\d+$/);
    expect(path.basename(dbPath)).toMatch(/^worker-.+\.db$/);
    expect(process.env.POLYPHONY_FAST_HASH).toBe("1");
  });

  it("starts from a migrated, empty database", async () => {
    const db = await getDb();
    const migrations = await db.$queryRawUnsafe<{ n: number | bigint }[]>(
      "SELECT COUNT(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL",
    );
    expect(Number(migrations[0]?.n)).toBeGreaterThan(0);
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
