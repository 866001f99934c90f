/**
 * Vitest globalSetup: runs once, in the main process, before any test worker starts.
 * Builds ONE migrated template database at tests/.tmp/template.db; tests/setup/worker-db.ts copies it
 * for every test file, so migrations run once per `vitest run` instead of once per file.
 * The worker copies of the previous run are deleted here (they are kept after a run, for inspection).
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { TEMPLATE_DB, TMP_DIR } from "./paths";
import { migrateFreshDatabase } from "./sqlite-files";

export default function setup(): void {
  fs.mkdirSync(TMP_DIR, { recursive: true });

  // Stale per-worker copies from an earlier run.
  for (const name of fs.readdirSync(TMP_DIR)) {
    if (/^worker-.*\.db(-wal|-shm|-journal)?$/.test(name)) fs.rmSync(path.join(TMP_DIR, name), { force: true });
  }

  const started = Date.now();
  migrateFreshDatabase(TEMPLATE_DB);

  // Make the template one self-contained file: fold any WAL back in and leave rollback-journal mode,
  // so a plain file copy is a complete database.
  const db = new Database(TEMPLATE_DB);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(TEMPLATE_DB + suffix, { force: true });

  console.log(`[test setup] migrated template database in ${Date.now() - started} ms: ${TEMPLATE_DB}`);
}
