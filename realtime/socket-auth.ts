/**
 * Socket authentication: the same server-side session as HTTP. The handshake's Cookie header carries the
 * session token (the cookie is HttpOnly, so browser scripts cannot pass it any other way); it is read with
 * the app's own helper (consultations/session-cookie.ts) and looked up with `readSession` (every identity
 * of the device: one session each). A socket without
 * a valid session is refused with connect_error "unauthenticated". Every client event reads the session
 * again, so a revoked session cannot act even if its socket was not closed.
 */
import type { Db } from "../consultations/db/client";
import { readSessionTokenFrom, secureCookiesFor, sessionCookieNameFor } from "../consultations/session-cookie";
import { readSession, readSessions, SESSION_IDLE_MS, type SessionInfo } from "../consultations/sessions";
import type { RealtimeSocket } from "./types";

/** The session cookie's name for this process (same rule as app/session.server.ts). */
export function cookieNameFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return sessionCookieNameFor(secureCookiesFor(env));
}

/** An Error for connect_error: `message` is what the client sees; `data.status` the HTTP-like status. */
export function handshakeError(message: string, status: number): Error & { data: { status: number } } {
  return Object.assign(new Error(message), { data: { status } });
}

function speaksForSomeone(info: SessionInfo | null): info is SessionInfo {
  return !!info && (!!info.viewer.account || info.viewer.participants.length > 0);
}

function sameSessions(a: SessionInfo, b: SessionInfo): boolean {
  return a.sessionIds.length === b.sessionIds.length && a.sessionIds.every((id) => b.sessionIds.includes(id));
}

/** socket.io middleware: accepts the connection only with a valid session cookie. */
export function sessionHandshake(db: () => Promise<Db>, cookieName: string) {
  return async (socket: RealtimeSocket, next: (error?: Error) => void) => {
    try {
      const token = readSessionTokenFrom(socket.request.headers.cookie, cookieName);
      const info = token ? await readSession(await db(), token) : null;
      if (!token || !speaksForSomeone(info)) return next(handshakeError("unauthenticated", 401));
      socket.data.token = token;
      socket.data.session = info;
      socket.data.memberships = new Map();
      socket.data.joining = new Set();
      next();
    } catch {
      next(handshakeError("unavailable", 503));
    }
  };
}

/** The socket's session read again (one query); null when it ended. Updates socket.data.session. */
export async function recheckSession(db: Db, socket: RealtimeSocket): Promise<SessionInfo | null> {
  return (await recheckSessions(db, [socket])).get(socket) ?? null;
}

/** `recheckSession` for many sockets in one read (a batch of votes); null for those whose session ended. */
export async function recheckSessions(db: Db, sockets: readonly RealtimeSocket[]): Promise<Map<RealtimeSocket, SessionInfo | null>> {
  const infos = await readSessions(db, [...new Set(sockets.map((s) => s.data.token))]);
  const checked = new Map<RealtimeSocket, SessionInfo | null>();
  for (const socket of sockets) {
    const info = infos.get(socket.data.token) ?? null;
    // Still every session the socket started with (one per identity of the device): when one ended or was
    // replaced, the socket's view of who it speaks for is stale, and it must reconnect with the new cookie.
    const valid = speaksForSomeone(info) && sameSessions(info, socket.data.session);
    if (valid) socket.data.session = info;
    checked.set(socket, valid ? info : null);
  }
  return checked;
}

/**
 * Of these sessions, the ones that ended (revoked, expired, idle, password changed since, or deleted),
 * checked without touching them: a periodic sweep closes sockets whose session ended some other way than
 * through a revocation this process heard of (another process, expiry).
 */
export async function endedSessions(db: Db, sessionIds: string[], now = new Date()): Promise<Set<string>> {
  const ended = new Set(sessionIds);
  for (let i = 0; i < sessionIds.length; i += 500) {
    const rows = await db.session.findMany({
      where: { id: { in: sessionIds.slice(i, i + 500) } },
      select: { id: true, expiresAt: true, lastSeenAt: true, createdAt: true, account: { select: { passwordChangedAt: true } } },
    });
    for (const row of rows) {
      const valid =
        row.expiresAt > now &&
        now.getTime() - row.lastSeenAt.getTime() <= SESSION_IDLE_MS &&
        !(row.account && row.account.passwordChangedAt > row.createdAt);
      if (valid) ended.delete(row.id);
    }
  }
  return ended;
}
