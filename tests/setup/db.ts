/**
 * Helpers for tests that touch the database. The database itself is set up by tests/setup/worker-db.ts
 * (a fresh migrated copy per test file); use resetDatabase() in beforeEach for a clean slate per test.
 */
import { getDb } from "../../consultations/db/client";

/** Every application table (SQLite internals and Prisma's migration log excluded). */
async function applicationTables(): Promise<string[]> {
  const db = await getDb();
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name",
  );
  return rows.map((row) => row.name);
}

/** Delete all rows from all application tables (foreign keys off while deleting, so order does not matter). */
export async function resetDatabase(): Promise<void> {
  const db = await getDb();
  const tables = await applicationTables();
  await db.$executeRawUnsafe("PRAGMA foreign_keys = OFF");
  try {
    for (const table of tables) {
      await db.$executeRawUnsafe(`DELETE FROM "${table.replaceAll('"', '""')}"`);
    }
  } finally {
    await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  }
}
