/**
 * Same-origin checks shared by HTTP (unsafe methods) and socket.io (handshakes): CORS does not
 * protect WebSocket upgrades, so the Origin header is compared with the site's own origin.
 */
import type { IncomingMessage } from "node:http";

/** The site's origin as the browser sees it: PUBLIC_ORIGIN, else this request's Host. */
function expectedOrigins(req: IncomingMessage, publicOrigin?: string): string[] {
  if (publicOrigin) return [publicOrigin];
  const host = req.headers.host;
  if (!host) return [];
  return [`http://${host}`, `https://${host}`];
}

/** True when the request's Origin header names this site. A missing Origin is `missingOk`. */
export function isSameOrigin(req: IncomingMessage, publicOrigin?: string, missingOk = false): boolean {
  const origin = req.headers.origin;
  if (!origin) return missingOk;
  if (origin === "null") return false;
  return expectedOrigins(req, publicOrigin).includes(origin.toLowerCase());
}
