/**
 * The few things tests do below Prisma, for either database: which database this run uses
 * (POLYPHONY_TEST_DB: "sqlite", the default, or "postgresql"; tests/run-all.ts runs the suite on both),
 * the application's tables, every row of a table, and deleting rows regardless of foreign keys.
 */
import type { Db } from "../../consultations/db/client";

export type TestDialect = "sqlite" | "postgresql";

export function testDialect(): TestDialect {
  return process.env.POLYPHONY_TEST_DB === "postgresql" ? "postgresql" : "sqlite";
}

/** `it` on SQLite only, for what exists only there (the file on disk, the direct connection). */
export const onSqlite = testDialect() === "sqlite";

/** Tables of migration bookkeeping and socket.io's adapter, never application data. */
const BOOKKEEPING = ["_prisma_migrations", "_polyphony_migrations", "socket_io_attachments"];

/** Every application table, by name, sorted. */
export async function applicationTables(db: Db, { except = [] as string[] } = {}): Promise<string[]> {
  const skip = new Set([...BOOKKEEPING, ...except]);
  const rows =
    testDialect() === "postgresql"
      ? await db.$queryRawUnsafe<{ name: string }[]>("SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
      : await db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  return rows.map((r) => r.name).filter((name) => !skip.has(name)).sort();
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every row of a table in a stable order (by its primary key columns or, on SQLite, rowid). */
export async function tableRows(db: Db, table: string): Promise<unknown[]> {
  if (testDialect() === "sqlite") return db.$queryRawUnsafe<unknown[]>(`SELECT * FROM ${quoted(table)} ORDER BY rowid`);
  const keys = await db.$queryRawUnsafe<{ column: string }[]>(
    `SELECT a.attname::text AS column FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = '${quoted(table)}'::regclass AND i.indisprimary ORDER BY a.attname`,
  );
  const order = keys.length ? keys.map((k) => quoted(k.column)).join(", ") : "1";
  return db.$queryRawUnsafe<unknown[]>(`SELECT * FROM ${quoted(table)} ORDER BY ${order}`);
}

/** Every text value stored anywhere in the application's tables (for scans: IP addresses, codes). */
export async function allRowsText(db: Db): Promise<string> {
  const out: unknown[] = [];
  for (const table of await applicationTables(db)) out.push(await tableRows(db, table));
  return JSON.stringify(out, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** Deletes every row of these tables (all application tables when none are named), foreign keys aside. */
export async function deleteAllRows(db: Db, tables?: string[]): Promise<void> {
  const names = tables ?? (await applicationTables(db));
  if (!names.length) return;
  if (testDialect() === "postgresql") {
    await db.$executeRawUnsafe(`TRUNCATE ${names.map(quoted).join(", ")} CASCADE`);
    return;
  }
  await db.$executeRawUnsafe("PRAGMA foreign_keys = OFF");
  try {
    for (const table of names) await db.$executeRawUnsafe(`DELETE FROM ${quoted(table)}`);
  } finally {
    await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  }
}

/**
 * A saved copy of every application table's rows (in memory), and putting them back exactly: the
 * authorization matrix restores one saved world before each case that follows a change.
 */
export interface SavedRows {
  tables: Array<{ name: string; rows: Array<Record<string, unknown>> }>;
}

export async function saveRows(db: Db): Promise<SavedRows> {
  const tables: SavedRows["tables"] = [];
  for (const name of await applicationTables(db)) tables.push({ name, rows: (await tableRows(db, name)) as Array<Record<string, unknown>> });
  return { tables };
}

export async function restoreRows(db: Db, saved: SavedRows): Promise<void> {
  const pg = testDialect() === "postgresql";
  const statements: string[] = [];
  const params: unknown[][] = [];
  for (const { name, rows } of saved.tables) {
    for (const row of rows) {
      const columns = Object.keys(row);
      const values = columns.map((_, i) => (pg ? `$${i + 1}` : "?"));
      statements.push(`INSERT INTO ${quoted(name)} (${columns.map(quoted).join(", ")}) VALUES (${values.join(", ")})`);
      params.push(columns.map((c) => row[c]));
    }
  }
  if (pg) {
    await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`TRUNCATE ${saved.tables.map((t) => quoted(t.name)).join(", ")} CASCADE`);
      // Rows go back in any order: constraints are checked at the end of the transaction.
      await tx.$executeRawUnsafe("SET session_replication_role = replica");
      for (const [i, sql] of statements.entries()) await tx.$executeRawUnsafe(sql, ...params[i]);
      await tx.$executeRawUnsafe("SET session_replication_role = DEFAULT");
    });
    return;
  }
  await deleteAllRows(db, saved.tables.map((t) => t.name));
  await db.$executeRawUnsafe("PRAGMA foreign_keys = OFF");
  try {
    await db.$transaction(statements.map((sql, i) => db.$executeRawUnsafe(sql, ...params[i])));
  } finally {
    await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  }
}
