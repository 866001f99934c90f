/**
 * Helpers for tests that touch the database. The database itself is set up by tests/setup/worker-db.ts
 * (a fresh migrated copy per test file); use resetDatabase() in beforeEach for a clean slate per test.
 */
import { getDb } from "../../consultations/db/client";
import { deleteAllRows } from "./dialect";

/** Delete all rows from all application tables (foreign keys aside, so order does not matter). */
export async function resetDatabase(): Promise<void> {
  await deleteAllRows(await getDb());
}
