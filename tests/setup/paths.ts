/**
 * Where the test databases live. Everything is under tests/.tmp (git-ignored), never under test-results/
 * (Playwright empties that directory at the start of a run).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const TMP_DIR = path.join(PROJECT_ROOT, "tests", ".tmp");

/**
 * Each `vitest run` keeps its databases in a folder of its own (tests/.tmp/run-<pid of the run>), so two
 * runs in one checkout cannot delete each other's files. globalSetup sets POLYPHONY_TEST_RUN before the
 * workers start; they inherit it.
 */
export function runDir(): string {
  return path.join(TMP_DIR, `run-${process.env.POLYPHONY_TEST_RUN ?? "default"}`);
}

export function templateDb(): string {
  return path.join(runDir(), "template.db");
}

/** The SQLite side files that belong to a database file. */
export const SIDE_FILE_SUFFIXES = ["-wal", "-shm", "-journal"] as const;

/** `file:<absolute path>`, the form DATABASE_URL takes for SQLite. */
export function fileUrl(dbPath: string): string {
  return `file:${dbPath}`;
}

/** A PostgreSQL test database's name: polyphony_t<pid of the run>_<suffix>. */
export function pgDatabaseName(suffix: string): string {
  return `polyphony_t${process.env.POLYPHONY_TEST_RUN ?? "default"}_${suffix}`;
}

/** The URL of a database on the test server (globalSetup puts the server's URL in POLYPHONY_TEST_PG). */
export function pgUrl(database: string): string {
  const server = process.env.POLYPHONY_TEST_PG;
  if (!server) throw new Error("POLYPHONY_TEST_PG is not set: the PostgreSQL test server was not started by globalSetup");
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}
