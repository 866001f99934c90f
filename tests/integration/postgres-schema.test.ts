/**
 * One schema, two databases. prisma/schema.prisma is the schema; the PostgreSQL one is derived from it
 * (prisma/derive-postgresql.mjs), and each database has its committed migrations. Checked here, on the
 * PostgreSQL run of the suite (the SQLite run skips this file):
 *  - the derived schema on disk is the derivation of the current one;
 *  - both migration histories build the same tables with the same columns, nullability and primary keys;
 *  - the PostgreSQL migration runner (consultations/db/migrations.ts) applies each migration once, in a
 *    transaction: a failing one leaves nothing behind, an edited one is refused.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { committedMigrations, migratePostgres, MIGRATIONS_TABLE } from "../../consultations/db/migrations";
import { onSqlite } from "../setup/dialect";
import { PROJECT_ROOT, pgDatabaseName, pgUrl } from "../setup/paths";
import { migrateFreshDatabase } from "../setup/sqlite-files";

type Columns = Map<string, { nullable: boolean; primary: boolean }>;

function sqliteColumns(file: string): Map<string, Columns> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'").all() as { name: string }[];
    return new Map(
      tables.map(({ name }) => {
        const info = db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; notnull: number; pk: number }[];
        return [name, new Map(info.map((c) => [c.name, { nullable: c.notnull === 0 && c.pk === 0, primary: c.pk > 0 }]))];
      }),
    );
  } finally {
    db.close();
  }
}

async function postgresColumns(url: string): Promise<Map<string, Columns>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string; column: string; nullable: string; primary: boolean }>(
      `SELECT c.table_name AS table, c.column_name AS column, c.is_nullable AS nullable,
              EXISTS (SELECT 1 FROM information_schema.table_constraints t JOIN information_schema.key_column_usage k
                        ON k.constraint_name = t.constraint_name AND k.table_name = t.table_name
                       WHERE t.table_name = c.table_name AND t.constraint_type = 'PRIMARY KEY' AND k.column_name = c.column_name) AS primary
         FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name <> ALL($1)`,
      // Bookkeeping of the runner, and socket.io's adapter table (PostgreSQL only, not in the Prisma schema).
      [[MIGRATIONS_TABLE, "socket_io_attachments"]],
    );
    const out = new Map<string, Columns>();
    for (const r of rows) {
      if (!out.has(r.table)) out.set(r.table, new Map());
      out.get(r.table)!.set(r.column, { nullable: r.nullable === "YES", primary: r.primary });
    }
    return out;
  } finally {
    await client.end();
  }
}

const plain = (tables: Map<string, Columns>) =>
  Object.fromEntries([...tables].sort(([a], [b]) => a.localeCompare(b)).map(([t, cols]) => [t, Object.fromEntries([...cols].sort(([a], [b]) => a.localeCompare(b)))]));

async function withDatabase<T>(suffix: string, work: (url: string) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: process.env.POLYPHONY_TEST_PG });
  await admin.connect();
  const name = pgDatabaseName(suffix);
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    return await work(pgUrl(name));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

describe.skipIf(onSqlite)("one schema, two databases", () => {
  it("the derived PostgreSQL schema is the derivation of prisma/schema.prisma", () => {
    expect(() => execFileSync("node", ["prisma/derive-postgresql.mjs", "--check"], { cwd: PROJECT_ROOT, stdio: "pipe" })).not.toThrow();
    const derived = fs.readFileSync(path.join(PROJECT_ROOT, "prisma", "postgresql", "schema.prisma"), "utf8");
    const source = fs.readFileSync(path.join(PROJECT_ROOT, "prisma", "schema.prisma"), "utf8");
    const models = (text: string) => text.slice(text.indexOf("model "));
    expect(models(derived)).toBe(models(source));
    expect(derived).toContain('provider = "postgresql"');
  });

  it("both migration histories build the same tables, columns, nullability and primary keys", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polyphony-schema-"));
    try {
      const file = path.join(dir, "fresh.db");
      migrateFreshDatabase(file);
      const fromSqlite = sqliteColumns(file);
      const fromPostgres = await withDatabase("schema", async (url) => {
        await migratePostgres(url);
        return postgresColumns(url);
      });
      expect(fromSqlite.size).toBeGreaterThan(15);
      expect(plain(fromPostgres)).toEqual(plain(fromSqlite));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the runner applies each migration once, in a transaction; a failing one leaves nothing; an edited one is refused", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "polyphony-migrations-"));
    const write = (name: string, sql: string) => {
      fs.mkdirSync(path.join(folder, name), { recursive: true });
      fs.writeFileSync(path.join(folder, name, "migration.sql"), sql);
    };
    try {
      await withDatabase("runner", async (url) => {
        write("001_first", 'CREATE TABLE "A" ("id" TEXT PRIMARY KEY); INSERT INTO "A" VALUES (\'one\');');
        expect(await migratePostgres(url, { folder })).toEqual(["001_first"]);
        expect(await migratePostgres(url, { folder })).toEqual([]);
        // A failing second statement: the first one (a new table) is rolled back with it.
        write("002_broken", 'CREATE TABLE "B" ("id" TEXT); INSERT INTO "Missing" VALUES (1);');
        await expect(migratePostgres(url, { folder })).rejects.toThrow(/002_broken failed and was rolled back/);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const tables = (await client.query<{ t: string }>("SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t);
          expect(tables).toEqual(["A", MIGRATIONS_TABLE]);
          expect((await client.query(`SELECT "name" FROM "${MIGRATIONS_TABLE}"`)).rows).toEqual([{ name: "001_first" }]);
        } finally {
          await client.end();
        }
        // Fixed, it applies; editing an applied one afterwards is refused.
        write("002_broken", 'CREATE TABLE "B" ("id" TEXT);');
        expect(await migratePostgres(url, { folder })).toEqual(["002_broken"]);
        write("001_first", 'CREATE TABLE "A" ("id" TEXT PRIMARY KEY, "x" TEXT);');
        await expect(migratePostgres(url, { folder })).rejects.toThrow(/001_first was changed after it was applied/);
      });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it("the committed PostgreSQL migrations are all there, in order", () => {
    const names = committedMigrations("postgresql").map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect([...names].sort()).toEqual(names);
  });
});
