/**
 * Writes the migrations for a change of prisma/schema.prisma, for both databases:
 *
 *   npm run db:new-migration -- <name> [--from <git revision>]     (default revision: HEAD)
 *
 * It diffs the schema at the revision with the one in the working tree (`prisma migrate diff
 * --from-schema-datamodel ... --to-schema-datamodel ... --script`) and writes
 *   prisma/migrations/<timestamp>_<name>/migration.sql             (SQLite, applied by prisma migrate deploy)
 *   prisma/migrations-postgresql/<timestamp>_<name>/migration.sql  (PostgreSQL, applied by consultations/db/migrations.ts)
 * Read both before committing: a diff says what changes, not how to carry the data over (a renamed
 * column comes out as drop + add). Prisma's PostgreSQL diff connects to a server: the private test server
 * (tests/setup/postgres-server.ts) is started for it. (`migrate diff --from-migrations` needs a shadow
 * database, which Prisma 6.19's Wasm engines cannot drive here: STACK-NOTES.)
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { startPostgres } from "../tests/setup/postgres-server";
import { derivePostgresql } from "./derive-postgresql.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const Args = z.object({
  name: z.string().regex(/^[a-z0-9_]{3,60}$/, "the name: 3-60 of a-z, 0-9 and _"),
  from: z.string().min(1).default("HEAD"),
});

function prisma(args: string[], env: Record<string, string>): string {
  return execFileSync(path.join(ROOT, "node_modules", ".bin", "prisma"), args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function main(): void {
  const argv = process.argv.slice(2);
  const fromAt = argv.indexOf("--from");
  const parsed = Args.safeParse({ name: argv.find((a, i) => !a.startsWith("--") && (fromAt < 0 || i !== fromAt + 1)), from: fromAt >= 0 ? argv[fromAt + 1] : undefined });
  if (!parsed.success) {
    console.error(`usage: npm run db:new-migration -- <name> [--from <git revision>]: ${parsed.error.issues.map((i) => `${i.path.join(".") || "arguments"}: ${i.message}`).join("; ")}`);
    process.exit(2);
  }
  const args = parsed.data;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "polyphony-migration-"));
  try {
    const before = execFileSync("git", ["show", `${args.from}:prisma/schema.prisma`], { cwd: ROOT, encoding: "utf8" });
    const after = fs.readFileSync(path.join(ROOT, "prisma", "schema.prisma"), "utf8");
    const files = {
      sqliteBefore: path.join(tmp, "before.prisma"),
      pgBefore: path.join(tmp, "before-postgresql.prisma"),
      pgAfter: path.join(tmp, "after-postgresql.prisma"),
    };
    fs.writeFileSync(files.sqliteBefore, before);
    fs.writeFileSync(files.pgBefore, derivePostgresql(before));
    fs.writeFileSync(files.pgAfter, derivePostgresql(after));
    const sqlite = prisma(["migrate", "diff", "--from-schema-datamodel", files.sqliteBefore, "--to-schema-datamodel", "prisma/schema.prisma", "--script"], {
      DATABASE_URL: `file:${path.join(tmp, "diff.db")}`,
    });
    const server = startPostgres();
    const postgres = prisma(
      ["migrate", "diff", "--config", "prisma/postgresql.config.ts", "--from-schema-datamodel", files.pgBefore, "--to-schema-datamodel", files.pgAfter, "--script"],
      { DATABASE_URL: server },
    );
    if (/^\s*(-- This is an empty migration\.)?\s*$/.test(sqlite) && /^\s*(-- This is an empty migration\.)?\s*$/.test(postgres)) {
      console.log(`prisma/schema.prisma has not changed since ${args.from}: nothing written.`);
      return;
    }
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    for (const [folder, sql] of [["migrations", sqlite], ["migrations-postgresql", postgres]] as const) {
      const dir = path.join(ROOT, "prisma", folder, `${stamp}_${args.name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "migration.sql"), sql);
      console.log(`wrote ${path.relative(ROOT, dir)}/migration.sql`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
