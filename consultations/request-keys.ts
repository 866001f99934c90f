/**
 * Idempotency keys (the ProcessedRequest table): a client sends a key with a write it may retry (a vote
 * over a socket whose acknowledgement was lost); the first answer is stored with the key, in the same
 * transaction as the write, and a retry with the same key gets that answer back without applying again.
 *
 * Keys are namespaced by participant (`<participantId>:<key>`), so two participants' keys never collide
 * and nobody can read another's answer by guessing a key. Keys are kept for a day (REQUEST_KEY_TTL_MS);
 * an older key counts as new. `pruneRequestKeys` deletes them (at start-up and daily).
 */
import type { Db, Tx } from "./db/client";

export const REQUEST_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface RequestRef {
  consultationId: string;
  participantId: string;
  /** The client's key (8-64 characters, see realtime/event-map.ts). */
  clientKey: string;
}

/** The stored primary key: the client's key within the participant's namespace. */
export function storedKey(participantId: string, clientKey: string): string {
  return `${participantId}:${clientKey}`;
}

function cutoff(now: Date): Date {
  return new Date(now.getTime() - REQUEST_KEY_TTL_MS);
}

/** The answer first given for this participant's key, or null (unknown, or older than a day). */
export async function findProcessedRequest<T>(db: Db, participantId: string, clientKey: string, now = new Date()): Promise<T | null> {
  const row = await db.processedRequest.findUnique({
    where: { key: storedKey(participantId, clientKey) },
    select: { response: true, createdAt: true, participantId: true },
  });
  if (!row || row.participantId !== participantId || row.createdAt < cutoff(now)) return null;
  return JSON.parse(row.response) as T;
}

/**
 * Stores the answer under the key inside the write's transaction. Throws Prisma's unique-constraint
 * error (P2002) when the key was already used: the whole transaction then rolls back.
 */
export async function recordProcessedRequest(tx: Tx, ref: RequestRef, response: unknown, now = new Date()): Promise<void> {
  await tx.processedRequest.create({
    data: {
      key: storedKey(ref.participantId, ref.clientKey),
      consultationId: ref.consultationId,
      participantId: ref.participantId,
      response: JSON.stringify(response),
      createdAt: now,
    },
  });
}

/** Whether an error is a unique-constraint violation (a key used twice). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code?: string }).code === "P2002";
}

/** A fresh result (the write applied now), or the answer stored by an earlier request with the same key. */
export type Once<Stored, Fresh extends Stored = Stored> = { repeated: false; response: Fresh } | { repeated: true; response: Stored };

/**
 * Applies a write once per key. `work` performs the write and must call `remember(tx, stored)` inside
 * its transaction; when the key was already used, that insert fails, the transaction rolls back (nothing
 * is applied twice, no event is recorded) and the first answer is returned instead.
 *
 * No look-up before the write: the common case (a new key) costs one insert in the write's transaction,
 * and two concurrent requests with one key cannot both apply (the primary key decides).
 */
export async function applyOnce<Stored, Fresh extends Stored = Stored>(
  db: Db,
  ref: RequestRef,
  work: (remember: (tx: Tx, stored: Stored) => Promise<void>) => Promise<Fresh>,
  now = () => new Date(),
): Promise<Once<Stored, Fresh>> {
  const remember = (tx: Tx, stored: Stored) => recordProcessedRequest(tx, ref, stored, now());
  for (let attempt = 0; ; attempt++) {
    try {
      return { repeated: false, response: await work(remember) };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const stored = await findProcessedRequest<Stored>(db, ref.participantId, ref.clientKey, now());
      if (stored !== null) return { repeated: true, response: stored };
      // The key exists but is older than a day (not yet pruned): forget it and apply as new, once.
      if (attempt > 0) throw error;
      await db.processedRequest.deleteMany({
        where: { key: storedKey(ref.participantId, ref.clientKey), createdAt: { lt: cutoff(now()) } },
      });
    }
  }
}

/** Deletes keys older than a day; returns how many. */
export async function pruneRequestKeys(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.processedRequest.deleteMany({ where: { createdAt: { lt: cutoff(now) } } });
  return count;
}
