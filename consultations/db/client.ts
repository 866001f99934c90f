/**
 * The database connection. One PrismaClient per process (kept on globalThis so the Remix server bundle
 * and the realtime server share it), talking to SQLite through better-sqlite3 in WAL mode.
 */
import { AsyncLocalStorage } from "node:async_hooks";
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
  // What is deleted (an erased participation, an ended session) is overwritten in the file, not left in
  // free pages where a copy of the database would still hold it.
  await db.$queryRawUnsafe("PRAGMA secure_delete = ON");
  return gated(db);
}

/** Set while a Prisma transaction of this process runs (its callback and everything it awaits). */
const inTransaction = new AsyncLocalStorage<true>();

/**
 * The client, with every database call taking the process's write gate (consultations/db/gate.ts):
 *
 * - A transaction holds the gate from BEGIN to COMMIT, so the direct SQLite connection that writes vote
 *   batches (consultations/db/direct-sqlite.ts) never writes inside it.
 * - A call outside any transaction waits for the open one to end. Prisma's SQLite adapter has one
 *   connection and runs such calls on it directly: without the gate, a write made while another request's
 *   transaction is open would become part of it (and vanish if it rolls back), and a read would see its
 *   uncommitted rows.
 * - Calls made inside a transaction's callback (through `tx` or, by mistake, through this client) run at
 *   once: the callback runs in `inTransaction`, so it never waits for the gate it holds.
 */
function gated(db: PrismaClient): Db {
  const extended = db.$extends({
    query: {
      $allOperations({ args, query }) {
        return inTransaction.getStore() ? query(args) : writeGate.run(() => query(args));
      },
    },
  });
  const transaction = extended.$transaction.bind(extended) as (...args: unknown[]) => Promise<unknown>;
  const disconnect = extended.$disconnect.bind(extended);
  return new Proxy(extended, {
    get(target, property, receiver) {
      if (property === "$transaction") {
        return (...args: unknown[]) =>
          inTransaction.getStore() ? transaction(...args) : writeGate.run(() => inTransaction.run(true, () => transaction(...args)));
      }
      // Disconnecting also closes the direct connection, which checkpoints its writes into the database
      // file: a copy of the file taken afterwards has everything.
      if (property === "$disconnect") {
        return async () => {
          closeDirectSqlite();
          await disconnect();
        };
      }
      return Reflect.get(target, property, receiver);
    },
  }) as unknown as Db;
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
