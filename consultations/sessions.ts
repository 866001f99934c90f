/**
 * Server-side sessions (the Session aggregate). The cookie holds random tokens; the database keeps only
 * their SHA-256, so a copied database cannot be used to take over sessions.
 *
 * One session per identity: a facilitator account, or one participant identity (one per consultation
 * joined on this device). The device's cookie carries the tokens of all of them, joined by "."; nothing
 * in the database ties two of them together. So a copied database, or a legal demand on it, cannot link
 * a facilitator's account to a pseudonym, or the pseudonyms one person uses in two consultations. To keep
 * it so, nothing that changes together is stored precisely: a session's last visit is kept to the day
 * (idle sessions end between 6 and 7 days after their last use), and an ended session is deleted at once
 * (no "revoked at" time shared by the sessions signed out together).
 *
 * Signing in rotates: the identity signing in gets a new session (and token); the one it replaces (the
 * account's, or the same consultation's participant identity) is deleted; the device's other identities
 * are kept as they are.
 */
import type { Db } from "./db/client";
import { randomCode, sha256 } from "./crypto";
import type { ParticipantIdentity, Viewer } from "./permissions";
import { ANONYMOUS } from "./permissions";
import { loggableError } from "./log-safety";

/** A session ends this long after it was created, whatever happens. */
export const SESSION_ABSOLUTE_MS = 30 * 24 * 60 * 60 * 1000;
/** A session ends after this long without a request (measured from the day of the last one). */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/** Identities one device's cookie may carry (an account and participant identities); the oldest go first. */
export const MAX_IDENTITIES_PER_DEVICE = 12;
/** Between the tokens of one device's cookie (tokens are Crockford base32: never a "."). */
export const TOKEN_SEPARATOR = ".";

const DAY_MS = 24 * 60 * 60 * 1000;
/** The start of the UTC day: how precisely a last visit is stored. */
export const dayOf = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

/** One identity's session on a device (the token is held in memory only, from the request's cookie). */
export interface SessionPart {
  sessionId: string;
  token: string;
  accountId: string | null;
  /** Set for a participant identity's session. */
  participant: { id: string; consultationId: string } | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface SessionInfo {
  /** The account's session when the device has one, else its first identity's ("this session"). */
  sessionId: string;
  /** Every session of the device, one per identity. */
  sessionIds: string[];
  parts: SessionPart[];
  viewer: Viewer;
}

export interface NewSession {
  /** The cookie's value: every token of the device, joined. */
  token: string;
  /** The first new session (the identity that signed in). */
  sessionId: string;
  sessionIds: string[];
  /** When the cookie may go: the latest end of its sessions. */
  expiresAt: Date;
}

/** The tokens of a cookie value (at most MAX_IDENTITIES_PER_DEVICE, each shaped like ours). */
export function tokensOf(cookieValue: string | null | undefined): string[] {
  if (!cookieValue) return [];
  const parts = cookieValue.split(TOKEN_SEPARATOR);
  if (parts.length > MAX_IDENTITIES_PER_DEVICE) return [];
  return parts.every((t) => /^[0-9A-Z]{1,128}$/.test(t)) ? parts : [];
}

async function createPart(db: Db, owner: { accountId: string } | { participantId: string }, now: Date): Promise<SessionPart & { token: string }> {
  const token = randomCode(256);
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  const row = await db.session.create({
    data: {
      tokenHash: sha256(token),
      accountId: "accountId" in owner ? owner.accountId : null,
      expiresAt,
      createdAt: now,
      lastSeenAt: dayOf(now),
      ...("participantId" in owner ? { participants: { create: [{ participantId: owner.participantId }] } } : {}),
    },
    select: { id: true, participants: { select: { participant: { select: { id: true, consultationId: true } } } } },
  });
  const participant = row.participants[0]?.participant ?? null;
  return { sessionId: row.id, token, accountId: "accountId" in owner ? owner.accountId : null, participant, createdAt: now, expiresAt };
}

function newSession(parts: SessionPart[], created: SessionPart[]): NewSession {
  return {
    token: parts.map((p) => p.token).join(TOKEN_SEPARATOR),
    sessionId: created[0]?.sessionId ?? parts[0].sessionId,
    sessionIds: parts.map((p) => p.sessionId),
    expiresAt: new Date(Math.max(...parts.map((p) => p.expiresAt.getTime()))),
  };
}

/**
 * Creates a device's sessions: one for the account and one per participant identity given; returns the
 * cookie value carrying them all.
 */
export async function createSession(
  db: Db,
  owner: { accountId?: string | null; participantIds?: string[] },
  now = new Date(),
): Promise<NewSession> {
  const created: SessionPart[] = [];
  if (owner.accountId) created.push(await createPart(db, { accountId: owner.accountId }, now));
  for (const participantId of owner.participantIds ?? []) created.push(await createPart(db, { participantId }, now));
  if (!created.length) throw new Error("createSession needs an account or a participant identity");
  return newSession(created, created);
}

/**
 * The viewer behind a cookie value, or null when none of its sessions is valid (unknown, ended, expired or
 * idle). Suspended participant identities stay attached (they may still read); sign-in checks happen here.
 */
export async function readSession(db: Db, cookieValue: string | null | undefined, now = new Date()): Promise<SessionInfo | null> {
  if (!cookieValue) return null;
  return (await readSessions(db, [cookieValue], now)).get(cookieValue) ?? null;
}

/**
 * `readSession` for many cookie values at once (two statements at most, whatever their number): the socket
 * server checks the sessions of a whole batch of votes this way. Values with no valid session map to null.
 */
export async function readSessions(db: Db, cookieValues: readonly string[], now = new Date()): Promise<Map<string, SessionInfo | null>> {
  const found = new Map<string, SessionInfo | null>(cookieValues.map((v) => [v, null]));
  const tokensByValue = new Map(cookieValues.map((v) => [v, tokensOf(v)]));
  const hashOf = new Map<string, string>();
  for (const tokens of tokensByValue.values()) for (const t of tokens) hashOf.set(t, sha256(t));
  if (!hashOf.size) return found;
  const rows = await db.session.findMany({
    where: { tokenHash: { in: [...new Set(hashOf.values())] } },
    select: {
      id: true,
      tokenHash: true,
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
  type Row = (typeof rows)[number];
  const valid = new Map<string, Row>();
  const today = dayOf(now);
  const touch: string[] = [];
  for (const row of rows) {
    if (row.expiresAt <= now || now.getTime() - row.lastSeenAt.getTime() > SESSION_IDLE_MS) continue;
    // A password change ends every session of the account that started before it.
    if (row.account && row.account.passwordChangedAt > row.createdAt) continue;
    if (row.lastSeenAt < today) touch.push(row.id);
    valid.set(row.tokenHash, row);
  }
  for (const [value, tokens] of tokensByValue) {
    const parts: SessionPart[] = [];
    let account: Viewer["account"] = null;
    const participants: ParticipantIdentity[] = [];
    for (const token of tokens) {
      const row = valid.get(hashOf.get(token)!);
      if (!row || parts.some((p) => p.sessionId === row.id)) continue;
      const link = row.participants[0]?.participant;
      // An erased participant (participant-rights.ts) is never an identity again.
      if (link?.status === "erased") continue;
      // One account and one identity per consultation: the first in the cookie counts.
      if (row.account && account) continue;
      if (link && participants.some((p) => p.consultationId === link.consultationId)) continue;
      if (!row.account && !link) continue;
      if (row.account) account = { id: row.account.id, organisationId: row.account.organisationId, displayName: row.account.displayName };
      if (link) {
        participants.push({
          id: link.id,
          consultationId: link.consultationId,
          groupId: link.groupId,
          pseudonym: link.pseudonym,
          status: link.status === "suspended" ? "suspended" : "active",
        });
      }
      parts.push({
        sessionId: row.id,
        token,
        accountId: row.account?.id ?? null,
        participant: link ? { id: link.id, consultationId: link.consultationId } : null,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
      });
    }
    if (!parts.length) continue;
    const primary = parts.find((p) => p.accountId) ?? parts[0];
    found.set(value, { sessionId: primary.sessionId, sessionIds: parts.map((p) => p.sessionId), parts, viewer: { account, participants } });
  }
  if (touch.length) await db.session.updateMany({ where: { id: { in: touch } }, data: { lastSeenAt: today } });
  return found;
}

/**
 * Rotation at sign-in: the identity signing in gets a new session; the session it replaces on this device
 * (the account's, or the participant identity of the same consultation) ends; the device's other sessions
 * stay. Returns the cookie value with all of them.
 */
export async function rotateSession(
  db: Db,
  previous: SessionInfo | null,
  add: { accountId?: string; participant?: { id: string; consultationId: string } },
  now = new Date(),
): Promise<NewSession> {
  const before = previous?.parts ?? [];
  const replaced = (p: SessionPart) =>
    (!!add.accountId && !!p.accountId) || (!!add.participant && p.participant?.consultationId === add.participant.consultationId);
  const created: SessionPart[] = [];
  if (add.accountId) created.push(await createPart(db, { accountId: add.accountId }, now));
  if (add.participant) created.push(await createPart(db, { participantId: add.participant.id }, now));
  if (!created.length) throw new Error("rotateSession needs an identity to add");
  let kept = before.filter((p) => !replaced(p));
  // Too many identities on one device: the oldest participant identities leave the cookie (and end).
  const dropped: SessionPart[] = [];
  while (kept.length + created.length > MAX_IDENTITIES_PER_DEVICE) {
    const oldest = kept.filter((p) => p.participant).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0] ?? kept[0];
    dropped.push(oldest);
    kept = kept.filter((p) => p !== oldest);
  }
  const ended = [...before.filter(replaced), ...dropped].map((p) => p.sessionId);
  if (ended.length) await endSessions(db, ended, { rotated: true });
  return newSession([...kept, ...created], created);
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
      console.error(JSON.stringify({ level: "error", msg: "revocation listener failed", ...loggableError(error) }));
    }
  }
}

/**
 * Ends sessions: their rows are deleted (with their link to a participant identity), and the realtime
 * server closes their sockets. Returns how many existed.
 */
export async function endSessions(db: Db, sessionIds: readonly string[], notice: Omit<RevokedSessions, "sessionIds"> = {}): Promise<number> {
  if (!sessionIds.length) return 0;
  const { count } = await db.session.deleteMany({ where: { id: { in: [...sessionIds] } } });
  if (count) notifySessionsRevoked({ sessionIds: [...sessionIds], ...notice });
  return count;
}

/** Ends one session (kept for callers that name one). */
export async function revokeSession(db: Db, sessionId: string, _now = new Date(), rotated = false): Promise<void> {
  await endSessions(db, [sessionId], rotated ? { rotated } : {});
}

/** Ends one session of this account; false when no such session belongs to the account. */
export async function revokeAccountSession(db: Db, accountId: string, sessionId: string): Promise<boolean> {
  const { count } = await db.session.deleteMany({ where: { id: sessionId, accountId } });
  if (count) notifySessionsRevoked({ sessionIds: [sessionId] });
  return count > 0;
}

/** Ends every session of an account (password change, "sign out everywhere"). */
export async function revokeAccountSessions(db: Db, accountId: string, _now = new Date()): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { accountId } });
  notifySessionsRevoked({ accountId });
  return count;
}

/** Ends every session that speaks for a participant (suspension, erasure). */
export async function revokeParticipantSessions(db: Db, participantId: string, _now = new Date()): Promise<string[]> {
  const links = await db.sessionParticipant.findMany({ where: { participantId }, select: { sessionId: true } });
  const ids = links.map((l) => l.sessionId);
  if (ids.length) await db.session.deleteMany({ where: { id: { in: ids } } });
  notifySessionsRevoked({ sessionIds: ids, participantId });
  return ids;
}

/** The active sessions of an account, newest first, for the "your sessions" page. */
export async function listAccountSessions(db: Db, accountId: string, now = new Date()) {
  return db.session.findMany({
    where: { accountId, expiresAt: { gt: now } },
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true },
    orderBy: { lastSeenAt: "desc" },
  });
}

/** Deletes sessions past their end, absolute or idle (run at start-up and daily; ended ones are gone already). */
export async function pruneSessions(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lt: new Date(now.getTime() - SESSION_IDLE_MS) } }] },
  });
  return count;
}
