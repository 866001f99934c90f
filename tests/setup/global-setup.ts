/**
 * Vitest globalSetup: runs once, in the main process, before any test worker starts.
 * Builds ONE migrated template database; tests/setup/worker-db.ts copies it for every test file, so
 * migrations run once per `vitest run` instead of once per file:
 * - SQLite (the default): tests/.tmp/run-<pid>/template.db;
 * - PostgreSQL (POLYPHONY_TEST_DB=postgresql): the database polyphony_t<pid>_template on the private test
 *   server (tests/setup/postgres-server.ts, started here when it is not running); every database of the
 *   run is dropped at the end.
 * Folders of earlier runs whose process has ended are deleted here (they are kept after a run, for
 * inspection); folders of runs still going are left alone.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { migratePostgres } from "../../consultations/db/migrations";
import { pgDatabaseName, pgUrl, runDir, templateDb, TMP_DIR } from "./paths";
import { startPostgres } from "./postgres-server";
import { migrateFreshDatabase } from "./sqlite-files";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function setupPostgres(): Promise<() => Promise<void>> {
  const started = Date.now();
  const server = startPostgres();
  process.env.POLYPHONY_TEST_PG = server;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  const template = pgDatabaseName("template");
  await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();
  await migratePostgres(pgUrl(template));
  console.log(`[test setup] migrated template database in ${Date.now() - started} ms: ${pgUrl(template)}`);
  return async () => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    const prefix = pgDatabaseName("");
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.end();
  };
}

export default async function setup(): Promise<void | (() => Promise<void>)> {
  process.env.POLYPHONY_TEST_RUN = String(process.pid);
  if (process.env.POLYPHONY_TEST_DB === "postgresql") return setupPostgres();
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
