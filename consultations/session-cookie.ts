/**
 * The session cookie's name and how to read its token from a Cookie header. Pure (no I/O, no Remix, no
 * socket.io): the HTTP app (app/session.server.ts) and the socket.io handshake (realtime/socket-auth.ts)
 * both read sessions through these, so the two can never disagree about which cookie is the session.
 */

/** `__Host-polyphony` when the cookie is Secure (production over HTTPS), `polyphony_session` otherwise. */
export function sessionCookieNameFor(secure: boolean): string {
  return secure ? "__Host-polyphony" : "polyphony_session";
}

/**
 * Whether session cookies are Secure for a process environment: NODE_ENV=production, unless
 * POLYPHONY_INSECURE_COOKIES=1 (local production-mode trials over plain http).
 */
export function secureCookiesFor(env: { NODE_ENV?: string; POLYPHONY_INSECURE_COOKIES?: string }): boolean {
  return env.NODE_ENV === "production" && env.POLYPHONY_INSECURE_COOKIES !== "1";
}

/** The value of the first cookie called `name` in a Cookie header, or null. */
export function cookieValue(cookieHeader: string | null | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * The session cookie's value (the device's tokens, joined by "."; consultations/sessions.ts) named `name`
 * in a Cookie header, or null (absent, or not shaped like our tokens).
 */
export function readSessionTokenFrom(cookieHeader: string | null | undefined, name: string): string | null {
  const value = cookieValue(cookieHeader, name);
  // Tokens are Crockford base32, at most 12 of them; anything else is not ours.
  return value !== null && /^[0-9A-Z]{1,128}(\.[0-9A-Z]{1,128}){0,11}$/.test(value) ? value : null;
}
