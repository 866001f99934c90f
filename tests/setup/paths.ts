/**
 * Where the test databases live. Everything is under tests/.tmp (git-ignored), never under test-results/
 * (Playwright empties that directory at the start of a run).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const TMP_DIR = path.join(PROJECT_ROOT, "tests", ".tmp");
export const TEMPLATE_DB = path.join(TMP_DIR, "template.db");

/** The SQLite side files that belong to a database file. */
export const SIDE_FILE_SUFFIXES = ["-wal", "-shm", "-journal"] as const;

/** `file:<absolute path>`, the form DATABASE_URL takes for SQLite. */
export function fileUrl(dbPath: string): string {
  return `file:${dbPath}`;
}
