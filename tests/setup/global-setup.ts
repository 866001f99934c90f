/**
 * Vitest globalSetup: runs once, in the main process, before any test worker starts.
 * Builds ONE migrated template database at tests/.tmp/run-<pid>/template.db; tests/setup/worker-db.ts
 * copies it for every test file, so migrations run once per `vitest run` instead of once per file.
 * Folders of earlier runs whose process has ended are deleted here (they are kept after a run, for
 * inspection); folders of runs still going are left alone.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { runDir, templateDb, TMP_DIR } from "./paths";
import { migrateFreshDatabase } from "./sqlite-files";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default function setup(): void {
  process.env.POLYPHONY_TEST_RUN = String(process.pid);
  fs.mkdirSync(TMP_DIR, { recursive: true });

  // Databases of earlier runs that have ended (and the flat files of the older layout).
  for (const name of fs.readdirSync(TMP_DIR)) {
    const run = /^run-(\d+)$/.exec(name);
    if ((run && !isRunning(Number(run[1]))) || name === "run-default" || /^(worker-.*|template)\.db(-wal|-shm|-journal)?$/.test(name)) {
      fs.rmSync(path.join(TMP_DIR, name), { recursive: true, force: true });
    }
  }
  fs.mkdirSync(runDir(), { recursive: true });
  const TEMPLATE_DB = templateDb();

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
