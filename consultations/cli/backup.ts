/**
 * Backups of the embedded SQLite database, taken while the app runs and writes.
 *
 *   npm run backup -- --out backups/polyphony-2026-12-03.db
 *   npm run restore -- --from backups/polyphony-2026-12-03.db [--to data/polyphony.db] [--force]
 *
 * backup: `VACUUM INTO` a new file: a consistent copy of the database as it was at one moment, taken while
 * the app runs and writes (WAL: neither waits for the other), with progress; then `PRAGMA
 * integrity_check` on the copy and a count of its main tables. The source is DATABASE_URL (default
 * data/polyphony.db).
 *
 * restore: checks the backup (integrity, foreign keys, Polyphony's tables), then puts it in place of the
 * target atomically (a temporary file renamed over it; the target's -wal and -shm go). Stop the app first:
 * the restore refuses while the target is open for writing by another process (unless --force).
 *
 * PostgreSQL: use pg_dump / pg_restore (README "Operations"); this command says so and exits.
 */
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { z } from "zod";
import { databaseUrl, isPostgresUrl, sqlitePath } from "../db/url";

const filePath = (flag: string) => z.string({ error: `${flag} <file> is required` }).trim().min(1, `${flag} <file> is required`);
const BackupArgs = z.object({ out: filePath("--out") });
const RestoreArgs = z.object({
  from: filePath("--from").refine((p) => fs.existsSync(p) && fs.statSync(p).isFile(), "--from: no such file"),
  to: z.string().trim().min(1).optional(),
  force: z.boolean().default(false),
});

const TABLES = ["Organisation", "Account", "Consultation", "Participant", "Position", "Vote", "Comment", "ConsultationEvent"];

export interface CheckedDatabase {
  integrity: string;
  foreignKeyProblems: number;
  counts: Record<string, number>;
}

/** Integrity, foreign keys and row counts of an SQLite file (opened read-only). Throws when it is not Polyphony's. */
export function checkDatabase(file: string): CheckedDatabase {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma("integrity_check") as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join("; ");
    const foreignKeyProblems = (db.pragma("foreign_key_check") as unknown[]).length;
    const present = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const missing = TABLES.filter((t) => !present.has(t));
    if (missing.length) throw new Error(`${file} is not a Polyphony database: no table ${missing.join(", ")}`);
    const counts = Object.fromEntries(TABLES.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n]));
    return { integrity, foreignKeyProblems, counts };
  } finally {
    db.close();
  }
}

/**
 * Online backup of `source` into `out` (which must not exist), with progress; returns the checked copy.
 *
 * `VACUUM INTO` reads one snapshot (in WAL mode a reader never blocks the app's writers, nor they it) and
 * writes it compacted into a new file. Not SQLite's page-by-page backup API: that restarts whenever
 * another connection writes, so under steady writes it may never finish. It runs in a worker thread, so
 * this thread can report the copy's growth meanwhile.
 */
export async function backupDatabase(source: string, out: string, progress: (line: string) => void = () => {}): Promise<CheckedDatabase> {
  if (fs.existsSync(out)) throw new Error(`${out} exists already: choose a new file`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  if (!fs.existsSync(source)) throw new Error(`${source} does not exist`);
  const total = fs.statSync(source).size + (fs.existsSync(`${source}-wal`) ? fs.statSync(`${source}-wal`).size : 0);
  progress(`copying a snapshot of ${(total / 1e6).toFixed(1)} MB (database and its write-ahead log)`);
  const worker = new Worker(
    `const { workerData, parentPort } = require("node:worker_threads");
     const Database = require("better-sqlite3");
     const db = new Database(workerData.source, { readonly: true, fileMustExist: true });
     try { db.pragma("busy_timeout = 5000"); db.prepare("VACUUM INTO ?").run(workerData.out); parentPort.postMessage({ ok: true }); }
     catch (error) { parentPort.postMessage({ ok: false, message: String(error && error.message || error) }); }
     finally { db.close(); }`,
    { eval: true, workerData: { source, out: path.resolve(out) } },
  );
  const ticker = setInterval(() => {
    const size = fs.existsSync(out) ? fs.statSync(out).size : 0;
    progress(`written ${(size / 1e6).toFixed(1)} MB`);
  }, 1000);
  try {
    const result = await new Promise<{ ok: boolean; message?: string }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    if (!result.ok) throw new Error(`the backup failed: ${result.message}`);
  } finally {
    clearInterval(ticker);
    await worker.terminate();
  }
  progress(`done: ${(fs.statSync(out).size / 1e6).toFixed(1)} MB written (100%)`);
  return checkDatabase(out);
}

/** Puts a checked backup in place of `target`, atomically; refuses a backup that fails its checks. */
export function restoreDatabase(from: string, target: string, { force = false } = {}): CheckedDatabase {
  const checked = checkDatabase(from);
  if (checked.integrity !== "ok") throw new Error(`${from} fails the integrity check: ${checked.integrity}`);
  if (checked.foreignKeyProblems) throw new Error(`${from} has ${checked.foreignKeyProblems} broken references`);
  if (!force && fs.existsSync(target) && isInUse(target)) {
    throw new Error(`${target} is in use (the app is running?): stop it first, or pass --force`);
  }
  const temporary = `${target}.restoring-${process.pid}`;
  fs.copyFileSync(from, temporary);
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(temporary, target);
  return checked;
}

/** True when another connection holds the database open for writing (a write lock cannot be taken at once). */
function isInUse(file: string): boolean {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 0");
    db.exec("BEGIN IMMEDIATE");
    db.exec("ROLLBACK");
    // WAL readers do not block a write lock: a running app shows in its -shm file being mapped, which we
    // cannot see from here; the write lock test catches an app in the middle of a write.
    return false;
  } catch {
    return true;
  } finally {
    db.close();
  }
}

function sourceFile(): string {
  const url = databaseUrl();
  if (isPostgresUrl(url)) {
    console.error("DATABASE_URL is PostgreSQL: back it up with pg_dump (README, Operations), e.g.\n  pg_dump --format=custom --file=polyphony.dump \"$DATABASE_URL\"");
    process.exit(2);
  }
  return sqlitePath(url);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { out: { type: "string" }, from: { type: "string" }, to: { type: "string" }, force: { type: "boolean" } }, strict: true });
  if (command === "backup") {
    const args = BackupArgs.parse(values);
    const source = sourceFile();
    console.error(`[backup] ${source} -> ${args.out}`);
    const started = Date.now();
    const checked = await backupDatabase(source, args.out, (line) => console.error(`[backup] ${line}`));
    console.error(`[backup] integrity: ${checked.integrity}; ${JSON.stringify(checked.counts)} (${Date.now() - started} ms)`);
    if (checked.integrity !== "ok") process.exit(1);
    console.log(path.resolve(args.out));
  } else if (command === "restore") {
    const args = RestoreArgs.parse(values);
    const target = args.to ? path.resolve(args.to) : sourceFile();
    const checked = restoreDatabase(args.from, target, { force: args.force });
    console.error(`[restore] ${args.from} -> ${target}: integrity ${checked.integrity}; ${JSON.stringify(checked.counts)}`);
  } else {
    console.error("usage: npm run backup -- --out <file> | npm run restore -- --from <file> [--to <db file>] [--force]");
    process.exit(2);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((error: unknown) => {
    const usage = error instanceof z.ZodError || (error instanceof TypeError && "code" in error);
    const message = error instanceof z.ZodError ? error.issues.map((i) => i.message).join("; ") : error instanceof Error ? error.message : String(error);
    console.error(`[${process.argv[2] ?? "backup"}] ${usage ? "usage" : "failed"}: ${message}`);
    process.exit(usage ? 2 : 1);
  });
}
