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

/**
 * True when the browser says the request comes from another site (Fetch Metadata, `Sec-Fetch-Site`):
 * anything but "same-origin" or "none" (typed in the address bar, a bookmark). Browsers that send no
 * such header (older ones, curl) are judged by their Origin alone.
 */
export function isCrossSiteFetch(req: IncomingMessage): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site === undefined) return false;
  const value = (Array.isArray(site) ? site.join(",") : site).trim().toLowerCase();
  return value !== "same-origin" && value !== "none";
}
