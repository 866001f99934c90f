/**
 * Server-side sessions (the Session aggregate). The cookie holds a random token; the database keeps
 * only its SHA-256, so a copied database cannot be used to take over sessions.
 *
 * A session speaks for at most one facilitator account and for any number of participant identities
 * (one per consultation joined on this device). Signing in rotates the session: a new token replaces
 * the old one, which is revoked.
 */
import type { Db } from "./db/client";
import { randomCode, sha256 } from "./crypto";
import type { ParticipantIdentity, Viewer } from "./permissions";
import { ANONYMOUS } from "./permissions";

/** A session ends this long after it was created, whatever happens. */
export const SESSION_ABSOLUTE_MS = 30 * 24 * 60 * 60 * 1000;
/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/** lastSeenAt is written at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export interface SessionInfo {
  sessionId: string;
  viewer: Viewer;
}

export interface NewSession {
  token: string;
  sessionId: string;
  expiresAt: Date;
}

/** Creates a session for an account and/or participant identities; returns the cookie token. */
export async function createSession(
  db: Db,
  owner: { accountId?: string | null; participantIds?: string[] },
  now = new Date(),
): Promise<NewSession> {
  const token = randomCode(256);
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  const session = await db.session.create({
    data: {
      tokenHash: sha256(token),
      accountId: owner.accountId ?? null,
      expiresAt,
      createdAt: now,
      lastSeenAt: now,
      participants: { create: (owner.participantIds ?? []).map((participantId) => ({ participantId })) },
    },
    select: { id: true },
  });
  return { token, sessionId: session.id, expiresAt };
}

/**
 * The viewer behind a cookie token, or null when the session is unknown, revoked, expired or idle.
 * Suspended participant identities stay attached (they may still read); sign-in checks happen here.
 */
export async function readSession(db: Db, token: string | null | undefined, now = new Date()): Promise<SessionInfo | null> {
  if (!token) return null;
  return (await readSessions(db, [token], now)).get(token) ?? null;
}

/**
 * `readSession` for many tokens at once (two statements at most, whatever their number): the socket
 * server checks the sessions of a whole batch of votes this way. Unknown and ended sessions map to null.
 */
export async function readSessions(db: Db, tokens: readonly string[], now = new Date()): Promise<Map<string, SessionInfo | null>> {
  const found = new Map<string, SessionInfo | null>(tokens.map((t) => [t, null]));
  const byHash = new Map(tokens.filter((t) => t && t.length <= 128).map((t) => [sha256(t), t]));
  if (!byHash.size) return found;
  const sessions = await db.session.findMany({
    where: { tokenHash: { in: [...byHash.keys()] } },
    select: {
      id: true,
      tokenHash: true,
      revokedAt: true,
      expiresAt: true,
      lastSeenAt: true,
      createdAt: true,
      account: { select: { id: true, organisationId: true, displayName: true, passwordChangedAt: true } },
      participants: {
        select: {
          participant: {
            select: { id: true, consultationId: true, groupId: true, pseudonym: true, status: true },
          },
        },
      },
    },
  });
  const touch: string[] = [];
  for (const session of sessions) {
    if (session.revokedAt) continue;
    if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) continue;
    // A password change ends every session that started before it.
    if (session.account && session.account.passwordChangedAt > session.createdAt) continue;
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) touch.push(session.id);
    // An erased participant (participant-rights.ts) is unlinked from every session; never an identity again.
    const participants: ParticipantIdentity[] = session.participants.filter(({ participant }) => participant.status !== "erased").map(({ participant }) => ({
      id: participant.id,
      consultationId: participant.consultationId,
      groupId: participant.groupId,
      pseudonym: participant.pseudonym,
      status: participant.status === "suspended" ? "suspended" : "active",
    }));
    const account = session.account
      ? { id: session.account.id, organisationId: session.account.organisationId, displayName: session.account.displayName }
      : null;
    found.set(byHash.get(session.tokenHash)!, { sessionId: session.id, viewer: { account, participants } });
  }
  if (touch.length) await db.session.updateMany({ where: { id: { in: touch } }, data: { lastSeenAt: now } });
  return found;
}

/**
 * Rotation at sign-in: a new session carrying what the old one had plus the new identity; the old
 * session is revoked. A participant identity replaces any other one held for the same consultation.
 */
export async function rotateSession(
  db: Db,
  previous: SessionInfo | null,
  add: { accountId?: string; participant?: { id: string; consultationId: string } },
  now = new Date(),
): Promise<NewSession> {
  const viewer = previous?.viewer ?? ANONYMOUS;
  const participantIds = viewer.participants
    .filter((p) => !add.participant || p.consultationId !== add.participant.consultationId)
    .map((p) => p.id);
  if (add.participant) participantIds.push(add.participant.id);
  const created = await createSession(db, { accountId: add.accountId ?? viewer.account?.id ?? null, participantIds }, now);
  if (previous) await revokeSession(db, previous.sessionId, now, true);
  return created;
}

// ---- revocation notices -------------------------------------------------------------------

/**
 * What was revoked: sessions by id, every session of an account, or the sessions of a suspended
 * participant. The realtime server listens and closes the matching sockets at once.
 */
export interface RevokedSessions {
  sessionIds?: string[];
  accountId?: string;
  /** Set when the sessions end because this participant was suspended. */
  participantId?: string;
  /** Set when a sign-in on the same device replaced the session (rotation): its cookie already holds the new one. */
  rotated?: boolean;
}

export type RevocationListener = (revoked: RevokedSessions) => void;

// On globalThis for the same reason as the event listeners (consultations/events.ts): the Remix build
// and the realtime server each load their own copy of this module.
const revocationKey = Symbol.for("polyphony.sessionRevocationListeners");
const revocationListeners: Set<RevocationListener> = ((globalThis as { [revocationKey]?: Set<RevocationListener> })[revocationKey] ??=
  new Set<RevocationListener>());

/** Subscribe to revocations (the realtime server does); returns an unsubscribe function. */
export function onSessionsRevoked(listener: RevocationListener): () => void {
  revocationListeners.add(listener);
  return () => revocationListeners.delete(listener);
}

/** Tell the listeners that sessions ended. Call after the revocation was written. */
export function notifySessionsRevoked(revoked: RevokedSessions): void {
  for (const listener of revocationListeners) {
    try {
      listener(revoked);
    } catch (error) {
      console.error(JSON.stringify({ level: "error", msg: "revocation listener failed", error: String(error) }));
    }
  }
}

export async function revokeSession(db: Db, sessionId: string, now = new Date(), rotated = false): Promise<void> {
  const { count } = await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
  if (count) notifySessionsRevoked({ sessionIds: [sessionId], ...(rotated ? { rotated } : {}) });
}

/** Ends every session of an account (password change, "sign out everywhere"). */
export async function revokeAccountSessions(db: Db, accountId: string, now = new Date()): Promise<number> {
  const { count } = await db.session.updateMany({ where: { accountId, revokedAt: null }, data: { revokedAt: now } });
  notifySessionsRevoked({ accountId });
  return count;
}

/** Ends every session that speaks for a participant (suspension). */
export async function revokeParticipantSessions(db: Db, participantId: string, now = new Date()): Promise<string[]> {
  const links = await db.sessionParticipant.findMany({ where: { participantId }, select: { sessionId: true } });
  const ids = links.map((l) => l.sessionId);
  if (ids.length) await db.session.updateMany({ where: { id: { in: ids }, revokedAt: null }, data: { revokedAt: now } });
  notifySessionsRevoked({ sessionIds: ids, participantId });
  return ids;
}

/** The active sessions of an account, newest first, for the "your sessions" page. */
export async function listAccountSessions(db: Db, accountId: string, now = new Date()) {
  return db.session.findMany({
    where: { accountId, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true },
    orderBy: { lastSeenAt: "desc" },
  });
}

/** Deletes sessions that ended more than a day ago (run at start-up and daily). */
export async function pruneSessions(db: Db, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const { count } = await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lt: cutoff } }, { revokedAt: { lt: cutoff } }, { lastSeenAt: { lt: new Date(now.getTime() - SESSION_IDLE_MS - 86_400_000) } }] },
  });
  return count;
}
