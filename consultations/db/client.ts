/**
 * The database connection. One PrismaClient per process (kept on globalThis so the Remix server bundle
 * and the realtime server share it), talking to SQLite through better-sqlite3 in WAL mode.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { closeDirectSqlite } from "./direct-sqlite";
import { writeGate } from "./gate";
import { databaseUrl } from "./url";

export type Db = PrismaClient;
export type { Prisma } from "./generated/client";

/** A transaction client: what domain writes receive inside `db.$transaction`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** How long a writer waits for SQLite's lock before giving up (ms). */
const BUSY_TIMEOUT_MS = 5000;

export async function createDb(url = databaseUrl()): Promise<Db> {
  const adapter = new PrismaBetterSQLite3({ url, timeout: BUSY_TIMEOUT_MS });
  const db = new PrismaClient({ adapter });
  // WAL lets readers go on while one writer writes; NORMAL sync is safe in WAL mode.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  // Every transaction takes the process's write gate (consultations/db/gate.ts), shared with the direct
  // SQLite connection that writes vote batches, so the two never interleave.
  const transaction = db.$transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
  Object.defineProperty(db, "$transaction", { value: (...args: unknown[]) => writeGate.run(() => transaction(...args)) });
  // Disconnecting also closes the direct connection (consultations/db/direct-sqlite.ts), which checkpoints
  // its writes into the database file: a copy of the file taken afterwards has everything.
  const disconnect = db.$disconnect.bind(db);
  Object.defineProperty(db, "$disconnect", {
    value: async () => {
      closeDirectSqlite();
      await disconnect();
    },
  });
  return db;
}

const globalKey = Symbol.for("polyphony.db");
type Holder = { [globalKey]?: Promise<Db> };

/** The process-wide database client, created on first use from DATABASE_URL. */
export function getDb(): Promise<Db> {
  const holder = globalThis as Holder;
  holder[globalKey] ??= createDb();
  return holder[globalKey];
}

/** Close the process-wide client (tests, graceful shutdown). */
export async function closeDb(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[globalKey];
  holder[globalKey] = undefined;
  if (pending) await (await pending).$disconnect();
  else closeDirectSqlite();
}
