/**
 * `npm run setup` (also run by `npm start` after `remix build`): prepares the database.
 *
 *   1. makes sure data/ (and the SQLite file's folder) exists;
 *   2. applies migrations: on SQLite with the Prisma CLI (`prisma migrate deploy`), on PostgreSQL with
 *      consultations/db/migrations.ts (in transactions, recorded in _polyphony_migrations);
 *   3. seeds the demo consultation once: skipped when POLYPHONY_SEED=none or when it is already there.
 *
 * `npm run db:migrate` runs steps 1-2 only (`--migrate-only`): what an upgrade needs.
 *
 * A relative `file:` DATABASE_URL is made absolute (from the current folder) before the Prisma CLI,
 * which runs in the project root, sees it: both then open the same file.
 * Exits non-zero with a readable message when a step fails.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDb } from "../consultations/db/client";
import { migratePostgres } from "../consultations/db/migrations";
import { databaseUrl, isPostgresUrl, sqlitePath } from "../consultations/db/url";
import { isDemoSeeded, seedDemo } from "./seed";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

class SetupError extends Error {}

function say(line: string): void {
  console.log(`[setup] ${line}`);
}

/** POLYPHONY_SEED: "demo" (the default) or "none". */
function seedMode(): "demo" | "none" {
  const value = (process.env.POLYPHONY_SEED ?? "").trim().toLowerCase();
  if (value === "" || value === "demo") return "demo";
  if (value === "none") return "none";
  throw new SetupError(`POLYPHONY_SEED must be "demo" or "none" (it is "${process.env.POLYPHONY_SEED}").`);
}

function ensureFolders(url: string): void {
  const folders = [path.join(ROOT, "data")];
  if (url.startsWith("file:")) folders.push(path.dirname(sqlitePath(url)));
  for (const folder of folders) {
    try {
      fs.mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw new SetupError(`Cannot create the folder ${folder}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function migrate(): void {
  const bin = path.join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "prisma.cmd" : "prisma");
  if (!fs.existsSync(bin)) throw new SetupError(`The Prisma CLI is missing (${bin}): run npm install first.`);
  // The child inherits process.env, where databaseUrl() has already put DATABASE_URL.
  const result = spawnSync(bin, ["migrate", "deploy"], { cwd: ROOT, env: process.env, encoding: "utf8" });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.error || result.status !== 0) {
    process.stderr.write(output);
    throw new SetupError(
      `prisma migrate deploy failed (${result.error ? result.error.message : `exit code ${result.status}`}). Its output is above.`,
    );
  }
  // Prisma is chatty (config banners, a driver-adapter warning): keep the lines that say what happened.
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /migrations? found|no pending migrations|successfully applied|^└─ \d+_/i.test(l));
  for (const line of lines) say(`  ${line.replace(/^└─ /, "applied ").replace(/\/$/, "")}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  let url = databaseUrl();
  if (url.startsWith("file:")) {
    url = `file:${sqlitePath(url)}`;
    process.env.DATABASE_URL = url;
  }
  const mode = seedMode();
  // Never print a password that may be in the URL.
  say(`database: ${url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")}`);
  ensureFolders(url);

  if (isPostgresUrl(url)) {
    say("applying migrations (prisma/migrations-postgresql)...");
    const applied = await migratePostgres(url, { log: (line) => say(`  ${line}`) });
    if (!applied.length) say("  no pending migrations");
  } else {
    say("applying migrations (prisma migrate deploy)...");
    migrate();
  }

  if (process.argv.includes("--migrate-only")) {
    say("--migrate-only: no seeding.");
  } else if (mode === "none") {
    say("POLYPHONY_SEED=none: demo seeding skipped.");
  } else {
    const db = await createDb(url);
    try {
      if (await isDemoSeeded(db)) {
        say("demo consultation already there: not seeding again.");
      } else {
        say("seeding the demo consultation (see docs/DEMO.md for its logins)...");
        const seeded = Date.now();
        const summary = await seedDemo(db, { log: (line) => say(`  ${line}`) });
        say(
          `demo seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s: ${summary.participants} participants, ` +
            `${summary.positions} positions, ${summary.votes} votes, ${summary.comments} comments, ${summary.flags} flag.`,
        );
      }
    } finally {
      await db.$disconnect();
    }
  }
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[setup] FAILED: ${message}`);
  if (!(error instanceof SetupError) && error instanceof Error && error.stack) console.error(error.stack);
  process.exit(1);
});
