/**
 * The session cookie, built on consultations/sessions.ts.
 *
 * The cookie carries only random session tokens, one per identity on the device (no signing secret is
 * needed: each token has 256 bits of entropy and the database stores only its SHA-256). Name and flags:
 * - `__Host-polyphony` (Secure, so HTTPS only) when NODE_ENV=production, unless
 *   POLYPHONY_INSECURE_COOKIES=1 (local production-mode runs over plain http);
 * - `polyphony_session` otherwise.
 * Always HttpOnly, SameSite=Lax, Path=/, no Domain.
 *
 * Actions that change the session (sign in, sign out, password change) must answer with a
 * redirect carrying the Set-Cookie header: after an action Remix runs the loaders of the same
 * document request with the *old* Cookie header.
 */
import { redirect } from "@remix-run/node";
import type { FacilitatorIdentity, Viewer } from "../consultations/permissions";
import { ANONYMOUS } from "../consultations/permissions";
import type { SessionInfo } from "../consultations/sessions";
import { endSessions, readSession, rotateSession } from "../consultations/sessions";
import { readSessionTokenFrom, secureCookiesFor, sessionCookieNameFor } from "../consultations/session-cookie";
import { getDb } from "./db.server";
import { sharedRead } from "./request-scope.server";
import { isProduction, runtimeEnv } from "./env.server";
import { loginPath } from "./paths";

export type { SessionInfo } from "../consultations/sessions";

export interface CurrentSession {
  info: SessionInfo | null;
  viewer: Viewer;
}

/** Whether the cookie must be `Secure` (and may therefore use the `__Host-` prefix). */
export function secureCookies(): boolean {
  return secureCookiesFor({ NODE_ENV: isProduction() ? "production" : undefined, POLYPHONY_INSECURE_COOKIES: runtimeEnv("POLYPHONY_INSECURE_COOKIES") });
}

export function sessionCookieName(): string {
  return sessionCookieNameFor(secureCookies());
}

/** The session token from a Cookie header (socket.io handshakes read it with the same helper), or null. */
export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  return readSessionTokenFrom(cookieHeader, sessionCookieName());
}

function cookieAttributes(): string {
  return `Path=/; HttpOnly; SameSite=Lax${secureCookies() ? "; Secure" : ""}`;
}

/** Set-Cookie value for a new session token. */
export function sessionCookie(token: string, expiresAt: Date, now = new Date()): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  return `${sessionCookieName()}=${token}; Max-Age=${maxAge}; Expires=${expiresAt.toUTCString()}; ${cookieAttributes()}`;
}

/** Set-Cookie value that removes the session cookie. */
export function clearSessionCookie(): string {
  return `${sessionCookieName()}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; ${cookieAttributes()}`;
}

/**
 * The session behind the request's cookie; `viewer` is ANONYMOUS without a valid session. Read once per
 * request (consultations/request-scope.ts: the root loader and the page's loaders share it); a sign-in or
 * sign-out writes, after which it is read again.
 */
export async function getSession(request: Request): Promise<CurrentSession> {
  const token = readSessionToken(request.headers.get("Cookie"));
  if (!token) return { info: null, viewer: ANONYMOUS };
  const info = await sharedRead(`session:${token}`, async () => readSession(await getDb(), token));
  return { info, viewer: info?.viewer ?? ANONYMOUS };
}

/** The path (and query) to come back to after signing in. */
function returnPath(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete("_routes"); // single-fetch bookkeeping
  url.searchParams.delete("index");
  return url.pathname + url.search;
}

/** The signed-in facilitator, or a redirect to /login?next=<this page>. */
export async function requireFacilitator(
  request: Request,
): Promise<{ info: SessionInfo; account: FacilitatorIdentity }> {
  const { info } = await getSession(request);
  if (!info?.viewer.account) throw redirect(loginPath(returnPath(request)));
  return { info, account: info.viewer.account };
}

/**
 * Signs in (a facilitator account and/or a participant identity): rotates the session and returns
 * the Set-Cookie header value. `previous` defaults to the request's session; pass the session read
 * before an operation that revokes it (password change) to keep its participant identities.
 */
export async function startSession(
  request: Request,
  add: { accountId?: string; participant?: { id: string; consultationId: string } },
  previous?: SessionInfo | null,
): Promise<string> {
  const prior = previous !== undefined ? previous : (await getSession(request)).info;
  const created = await rotateSession(await getDb(), prior, add);
  return sessionCookie(created.token, created.expiresAt);
}

/** Signs out: ends every session of the device (all its identities) and returns a clearing Set-Cookie value. */
export async function endSession(request: Request): Promise<string> {
  const { info } = await getSession(request);
  if (info) await endSessions(await getDb(), info.sessionIds);
  return clearSessionCookie();
}
