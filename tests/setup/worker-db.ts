/**
 * Vitest setupFiles entry: runs inside the test worker before EACH test file, before the test file's own
 * imports. Gives every test file a fresh copy of the migrated template database:
 *   SQLite:     tests/.tmp/run-<pid of the run>/worker-<VITEST_POOL_ID>.db
 *   PostgreSQL: database polyphony_t<pid of the run>_w<VITEST_POOL_ID> (CREATE DATABASE ... TEMPLATE)
 * (test files that share a worker run one after another, so the copy is re-made for each file).
 *
 * Only Node built-ins are imported statically: DATABASE_URL must be set before any app module
 * (consultations/db/url.ts, client.ts) is loaded.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import pg from "pg";
import { fileUrl, pgDatabaseName, pgUrl, runDir, templateDb } from "./paths";
import { removeDatabaseFiles } from "./sqlite-files";

const workerId = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? String(process.pid);
const postgres = process.env.POLYPHONY_TEST_DB === "postgresql";
const TEMPLATE_DB = templateDb();
const dbPath = path.join(runDir(), `worker-${workerId}.db`);
const pgDatabase = pgDatabaseName(`w${workerId}`);

if (!postgres && !fs.existsSync(TEMPLATE_DB)) {
  throw new Error(`Template database ${TEMPLATE_DB} is missing: is tests/setup/global-setup.ts configured as globalSetup?`);
}

process.env.DATABASE_URL = postgres ? pgUrl(pgDatabase) : fileUrl(dbPath);
process.env.POLYPHONY_FAST_HASH = "1";

// If modules are not isolated between files, the previous file's client may still be held on globalThis
// (consultations/db/client.ts keeps it under Symbol.for("polyphony.db")); afterAll normally closed it.
if ((globalThis as Record<symbol, unknown>)[Symbol.for("polyphony.db")]) {
  const { closeDb } = await import("../../consultations/db/client");
  await closeDb();
}

// The in-memory abuse limits (consultations/rate-limits.ts) live on globalThis too: each file starts
// with none used, whatever the file before it did in this worker.
delete (globalThis as Record<symbol, unknown>)[Symbol.for("polyphony.rateLimits")];

if (postgres) {
  const admin = new pg.Client({ connectionString: process.env.POLYPHONY_TEST_PG });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${pgDatabase}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${pgDatabase}" TEMPLATE "${pgDatabaseName("template")}"`);
  } finally {
    await admin.end();
  }
} else {
  // Unlink first (a new inode: nothing still open can see the new file), then copy; no WAL/SHM survive.
  removeDatabaseFiles(dbPath);
  fs.copyFileSync(TEMPLATE_DB, dbPath);
}

afterAll(async () => {
  const { closeDb } = await import("../../consultations/db/client");
  await closeDb();
});
