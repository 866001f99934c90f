/**
 * Database migrations, both dialects: which are committed, which are applied, and applying them on
 * PostgreSQL.
 *
 * - SQLite: `prisma/migrations`, applied by `prisma migrate deploy` (prisma/setup.ts), recorded by Prisma
 *   in `_prisma_migrations`.
 * - PostgreSQL: `prisma/migrations-postgresql`, written with `prisma migrate diff` from the derived schema
 *   (prisma/derive-postgresql.mjs), applied here: Prisma 6.19's Wasm schema engine, the only one that runs
 *   offline, cannot introspect PostgreSQL (Prisma issue 27403), so `migrate deploy` cannot run there. Each
 *   pending migration runs in its own transaction (PostgreSQL DDL is transactional: a failing migration
 *   leaves nothing half-done) and is recorded with the SHA-256 of its SQL in `_polyphony_migrations`; an
 *   advisory lock keeps two processes from migrating at once; a recorded migration whose file changed
 *   since is an error, never silently re-applied.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "./client";
import { dialectOf, type Dialect } from "./client";

/** Held while migrating PostgreSQL (pg_advisory_lock), so that only one process migrates at a time. */
const MIGRATION_LOCK_KEY = 7_355_609;

export const MIGRATIONS_TABLE = "_polyphony_migrations";

/** The folder of a dialect's committed migrations (from the project root, where the server runs). */
export function migrationsFolder(dialect: Dialect, root = process.cwd()): string {
  return path.join(root, "prisma", dialect === "sqlite" ? "migrations" : "migrations-postgresql");
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The committed migrations of a dialect, in order (folder names sort by their timestamp prefix). */
export function committedMigrations(dialect: Dialect, folder = migrationsFolder(dialect)): Migration[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(folder, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(folder, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export interface MigrationStatus {
  applied: string[];
  /** Committed but not applied. */
  pending: string[];
}

/** What the database has applied of the committed migrations (for /readyz). */
export async function migrationStatus(db: Db, folder?: string): Promise<MigrationStatus> {
  const dialect = dialectOf(db);
  const committed = committedMigrations(dialect, folder).map((m) => m.name);
  const rows =
    dialect === "sqlite"
      ? await db.$queryRawUnsafe<{ name: string }[]>(
          "SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
        )
      : await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM "${MIGRATIONS_TABLE}"`);
  const applied = new Set(rows.map((r) => r.name));
  return { applied: committed.filter((n) => applied.has(n)), pending: committed.filter((n) => !applied.has(n)) };
}

/**
 * Applies the pending PostgreSQL migrations; returns the names applied. Throws (with the migration's
 * name) when one fails, or when an applied migration's file was edited afterwards.
 */
export async function migratePostgres(url: string, options: { folder?: string; log?: (line: string) => void } = {}): Promise<string[]> {
  const log = options.log ?? (() => {});
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const recorded = new Map(
      (await client.query<{ name: string; checksum: string }>(`SELECT "name", "checksum" FROM "${MIGRATIONS_TABLE}"`)).rows.map((r) => [r.name, r.checksum]),
    );
    const migrations = committedMigrations("postgresql", options.folder);
    for (const [name, checksum] of recorded) {
      const committed = migrations.find((m) => m.name === name);
      if (committed && committed.checksum !== checksum) {
        throw new Error(`Migration ${name} was changed after it was applied (checksum differs): write a new migration instead.`);
      }
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      if (recorded.has(migration.name)) continue;
      try {
        await client.query("BEGIN");
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" ("name", "checksum") VALUES ($1, $2)`, [migration.name, migration.checksum]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw new Error(`Migration ${migration.name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`);
      }
      applied.push(migration.name);
      log(`applied ${migration.name}`);
    }
    return applied;
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => {});
    await client.end();
  }
}
