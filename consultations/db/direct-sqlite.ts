/**
 * A second connection to the embedded SQLite database, straight through better-sqlite3 with prepared
 * statements, for the two paths that run hundreds of times a second in a busy room: the group commit of
 * votes (consultations/votes-sqlite.ts) and the tally reads behind every live update. Through Prisma's
 * Wasm engine a statement costs ~0.5-1 ms of CPU here; a prepared better-sqlite3 statement a few
 * microseconds (measured: README "Realtime benchmark"). Everything else goes through Prisma.
 *
 * Null when DATABASE_URL is not an SQLite file (PostgreSQL): callers then use their Prisma path.
 *
 * Writes never overlap a Prisma transaction: both take the process's write gate (consultations/db/client.ts
 * `writeGate`), so a deferred Prisma transaction that read before our write can never be refused at its
 * own write (SQLITE_BUSY_SNAPSHOT). A write here is one synchronous call (BEGIN IMMEDIATE ... COMMIT): no
 * other JavaScript runs while it holds SQLite's lock. Another process holding the lock (a CLI import)
 * makes it wait asynchronously and try again, never block the event loop.
 */
import Database from "better-sqlite3";
import { databaseUrl, sqlitePath } from "./url";
import { writeGate } from "./gate";

export type Direct = Database.Database;

/** How long a write waits for another process's lock before giving up (ms), polling every RETRY_MS. */
const BUSY_WAIT_MS = 5000;
const RETRY_MS = 3;

const key = Symbol.for("polyphony.directSqlite");
type Holder = { [key]?: { url: string; conn: Direct } | null };

/**
 * The process's direct connection, opened on first use; null for a non-SQLite DATABASE_URL, or when
 * POLYPHONY_DIRECT_SQLITE=off (everything through Prisma: slower, for diagnosis and for tests of that path).
 */
export function directSqlite(): Direct | null {
  if (process.env.POLYPHONY_DIRECT_SQLITE === "off") return null;
  const holder = globalThis as Holder;
  const url = databaseUrl();
  const held = holder[key];
  if (held && held.url === url) return held.conn;
  if (held) held.conn.close();
  if (!url.startsWith("file:")) {
    holder[key] = null;
    return null;
  }
  const conn = new Database(sqlitePath(url));
  conn.pragma("journal_mode = WAL");
  conn.pragma("synchronous = NORMAL");
  conn.pragma("foreign_keys = ON");
  conn.pragma("secure_delete = ON"); // as consultations/db/client.ts
  // Never wait inside SQLite (that would stop the event loop): `writeDirect` waits asynchronously.
  conn.pragma("busy_timeout = 0");
  holder[key] = { url, conn };
  return conn;
}

export function closeDirectSqlite(): void {
  const holder = globalThis as Holder;
  holder[key]?.conn.close();
  holder[key] = undefined;
}

const statements = new WeakMap<Direct, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per connection and SQL text. */
export function prepared(conn: Direct, sql: string): Database.Statement {
  let cache = statements.get(conn);
  if (!cache) statements.set(conn, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = conn.prepare(sql)));
  return statement;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED";
}

/** Runs `work` in one IMMEDIATE transaction (all or nothing), inside the write gate. */
export async function writeDirect<T>(conn: Direct, work: () => T): Promise<T> {
  const transaction = conn.transaction(work);
  const started = Date.now();
  for (;;) {
    try {
      return await writeGate.run(async () => transaction.immediate());
    } catch (error) {
      if (!isBusy(error) || Date.now() - started > BUSY_WAIT_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

/** Dates as Prisma stores them in SQLite (ISO 8601 with an explicit +00:00), so both read them alike. */
export function sqliteDate(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}
