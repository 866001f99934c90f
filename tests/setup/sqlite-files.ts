/** Small helpers for SQLite files used by the test setup (no Prisma imports here). */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { PROJECT_ROOT, SIDE_FILE_SUFFIXES, fileUrl } from "./paths";

/** Delete a database file and its WAL/SHM/journal side files, if present. */
export function removeDatabaseFiles(dbPath: string): void {
  for (const file of [dbPath, ...SIDE_FILE_SUFFIXES.map((suffix) => dbPath + suffix)]) {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Create a fresh, fully migrated database at `dbPath` with `npx prisma migrate deploy`
 * (prisma.config.ts reads DATABASE_URL). Throws with Prisma's output if the migration fails.
 */
export function migrateFreshDatabase(dbPath: string): void {
  removeDatabaseFiles(dbPath);
  try {
    execFileSync("npx", ["prisma", "migrate", "deploy"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: fileUrl(dbPath) },
      stdio: "pipe",
      encoding: "utf8",
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `prisma migrate deploy failed for ${dbPath}:\n${e.stdout ?? ""}\n${e.stderr ?? ""}\n${e.message}`,
    );
  }
  if (!fs.existsSync(dbPath)) throw new Error(`prisma migrate deploy did not create ${dbPath}`);
}
