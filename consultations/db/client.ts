/**
 * The database connection. One PrismaClient per process (kept on globalThis so the Remix server bundle
 * and the realtime server share it), chosen by DATABASE_URL:
 *
 * - `file:...` (the embedded default): SQLite through better-sqlite3, in WAL mode, with a busy timeout,
 *   write transactions started IMMEDIATE, secure delete; every call takes the process's write gate.
 * - `postgresql://...` (production): PostgreSQL through node-postgres (a pool of
 *   POLYPHONY_DB_POOL connections), from the client generated for the derived schema
 *   (prisma/derive-postgresql.mjs). Every transaction takes one cluster-wide advisory lock first, so
 *   transactions of all app processes run one at a time, exactly as SQLite's single writer (what the
 *   domain's read-then-write transactions rely on); reads outside transactions run concurrently.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { invalid } from "../errors";
import { forgetSharedReads } from "../request-scope";
import { closeDirectSqlite } from "./direct-sqlite";
import { writeGate } from "./gate";
import { databaseUrl, isPostgresUrl } from "./url";

export type Db = PrismaClient;
export type { Prisma } from "./generated/client";

/** A transaction client: what domain writes receive inside `db.$transaction`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** How long a writer waits for SQLite's lock before giving up (ms). */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The advisory lock every PostgreSQL transaction takes (pg_advisory_xact_lock: released at COMMIT or
 * ROLLBACK). One number for the whole database: Polyphony's writes are small, and one writer at a time
 * keeps PostgreSQL's behaviour the same as SQLite's.
 */
export const WRITE_LOCK_KEY = 7_355_608;

/** Which database a client talks to. */
export type Dialect = "sqlite" | "postgresql";
const dialects = new WeakMap<object, Dialect>();

/** The dialect of a client made by createDb (tests and raw SQL need it). */
export function dialectOf(db: Db): Dialect {
  return dialects.get(db) ?? "sqlite";
}

export async function createDb(url = databaseUrl()): Promise<Db> {
  if (isPostgresUrl(url)) {
    // Loaded only for PostgreSQL: an SQLite process never holds pg or the second client (~15 MB).
    const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([import("@prisma/adapter-pg"), import("./generated-pg/client")]);
    const max = Number(process.env.POLYPHONY_DB_POOL ?? 10);
    const adapter = new PrismaPg({ connectionString: url, max });
    const db = new PostgresClient({ adapter }) as unknown as PrismaClient;
    const client = gated(db, "postgresql");
    dialects.set(client, "postgresql");
    return client;
  }
  const adapter = immediateTransactions(new PrismaBetterSQLite3({ url, timeout: BUSY_TIMEOUT_MS }));
  const db = new PrismaClient({ adapter });
  // WAL lets readers go on while one writer writes; NORMAL sync is safe in WAL mode.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  // What is deleted (an erased participation, an ended session) is overwritten in the file, not left in
  // free pages where a copy of the database would still hold it.
  await db.$queryRawUnsafe("PRAGMA secure_delete = ON");
  const client = gated(db, "sqlite");
  dialects.set(client, "sqlite");
  return client;
}

/**
 * Prisma's SQLite adapter starts transactions with a plain (deferred) BEGIN: a transaction that reads
 * first and writes later can then be refused at its write with SQLITE_BUSY when another process (a
 * command-line import, a backup) wrote in between. Ours start with BEGIN IMMEDIATE: they take the write
 * lock at once, waiting up to the busy timeout for it. (Inside this process the write gate already runs
 * one transaction at a time.) The adapter prepares "BEGIN" on its better-sqlite3 connection, `client`.
 */
function immediateTransactions(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const client = (adapter as unknown as { client: { prepare(sql: string): unknown } }).client;
    const prepare = client.prepare.bind(client);
    client.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
    return adapter;
  };
  return factory;
}

/**
 * A value with a NUL character is refused before it reaches the database, whichever: PostgreSQL cannot
 * store NUL in text at all (it would answer with an error, a 500), and no text a person types has one.
 * Forms and socket events refuse control characters with a message of their own; this catches ids and
 * everything else (a URL's %00), as the same 422 on both databases.
 */
function refuseNul(value: unknown, depth = 0): void {
  if (typeof value === "string") {
    if (value.includes("\u0000")) throw invalid("This contains a NUL character, which cannot be stored.");
    return;
  }
  if (depth > 8 || value === null || typeof value !== "object" || value instanceof Date) return;
  for (const item of Array.isArray(value) ? value : Object.values(value)) refuseNul(item, depth + 1);
}

/** Prisma operations that write (model operations and raw executes). */
const WRITE_OPERATION = /^(create|update|upsert|delete|\$executeRaw)/;

/** Set while a Prisma transaction of this process runs (its callback and everything it awaits). */
const inTransaction = new AsyncLocalStorage<true>();

/**
 * The client, with its calls ordered as each database needs.
 *
 * SQLite (one connection, Prisma's adapter runs every call on it): every call takes the process's write
 * gate (consultations/db/gate.ts).
 * - A transaction holds the gate from BEGIN to COMMIT, so the direct SQLite connection that writes vote
 *   batches (consultations/db/direct-sqlite.ts) never writes inside it.
 * - A call outside any transaction waits for the open one to end: without the gate, a write made while
 *   another request's transaction is open would become part of it (and vanish if it rolls back), and a
 *   read would see its uncommitted rows.
 * - Calls made inside a transaction's callback (through `tx` or, by mistake, through this client) run at
 *   once: the callback runs in `inTransaction`, so it never waits for the gate it holds.
 *
 * PostgreSQL (a pool; each transaction on a connection of its own): a transaction takes the gate (one per
 * process, so waiting transactions never hold the pool's connections) and then the cluster-wide advisory
 * lock (one at a time across processes). Calls outside transactions run at once, on their own connection.
 */
function gated(db: PrismaClient, dialect: Dialect): Db {
  const target = db.$extends({
    query: {
      $allOperations({ operation, args, query }) {
        refuseNul(args);
        // Reads shared within a request are never used after a write (consultations/request-scope.ts).
        if (WRITE_OPERATION.test(operation)) forgetSharedReads();
        return dialect === "sqlite" && !inTransaction.getStore() ? writeGate.run(() => query(args)) : query(args);
      },
    },
  });
  const transaction = target.$transaction.bind(target) as (...args: unknown[]) => Promise<unknown>;
  const disconnect = target.$disconnect.bind(target);
  // PostgreSQL: every transaction takes the advisory lock first (released at COMMIT or ROLLBACK).
  const lockSql = `SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`;
  const run = ([work, ...rest]: unknown[]) => {
    if (dialect !== "postgresql") return transaction(work, ...rest);
    if (Array.isArray(work)) {
      // An array of queries: the lock goes first, its result is dropped.
      return (transaction([target.$executeRawUnsafe(lockSql), ...work], ...rest) as Promise<unknown[]>).then((results) => results.slice(1));
    }
    const locked = async (tx: { $executeRawUnsafe(sql: string): Promise<number> }) => {
      await tx.$executeRawUnsafe(lockSql);
      return (work as (tx: unknown) => Promise<unknown>)(tx);
    };
    return transaction(locked, ...rest);
  };
  return new Proxy(target, {
    get(object, property, receiver) {
      if (property === "$transaction") {
        return (...args: unknown[]) => (inTransaction.getStore() ? transaction(...args) : writeGate.run(() => inTransaction.run(true, () => run(args))));
      }
      // Disconnecting also closes the direct connection, which checkpoints its writes into the database
      // file: a copy of the file taken afterwards has everything.
      if (property === "$disconnect") {
        return async () => {
          closeDirectSqlite();
          await disconnect();
        };
      }
      return Reflect.get(object, property, receiver);
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
