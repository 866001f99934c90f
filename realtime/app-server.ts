/**
 * The HTTP server of the app: Express serves static files and the Remix build, socket.io shares the same
 * HTTP server (one process, one port). realtime/server.ts runs it; tests start it on port 0.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type Express } from "express";
import { dialectOf, getDb } from "../consultations/db/client";
import { migrationsFolder, migrationStatus } from "../consultations/db/migrations";
import { inRequestScope } from "../consultations/request-scope";
import { isCrossSiteFetch, isSameOrigin } from "./origin";
import { PROJECT_ROOT } from "./paths";
import { attachSockets, type RealtimeSockets, type SocketOptions } from "./sockets";

export interface RealtimeServerOptions {
  /** The Remix server build (build/index.js). */
  build: ServerBuild;
  /** See realtime/env.ts PUBLIC_ORIGIN. */
  publicOrigin?: string;
  /** Remix mode; default NODE_ENV. */
  mode?: string;
  /** Where public/ is (static files and the client build); default this project's. */
  root?: string;
  /** socket.io settings (publicOrigin is passed on). */
  sockets?: Omit<SocketOptions, "publicOrigin">;
  /** What /readyz checks (default: the process's database and its migrations). */
  readiness?: () => Promise<string | null>;
  /**
   * Express's "trust proxy" (realtime/env.ts POLYPHONY_TRUST_PROXY): which proxies' X-Forwarded-For to
   * believe for the client's address. Default none: the address is the TCP peer's.
   */
  trustProxy?: boolean | number | string;
}

export interface RealtimeAppServer {
  app: Express;
  httpServer: HttpServer;
  realtime: RealtimeSockets;
  /** Starts listening; resolves with the address (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Closes the sockets and the HTTP server (open requests may finish; idle connections close). */
  /** Graceful shutdown (see the implementation); `drainMs` bounds the wait for work already taken. */
  close(options?: { drainMs?: number }): Promise<void>;
}

/** Content-Security-Policy: everything from this origin only; inline scripts need the request's nonce. */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Inline style attributes (e.g. a tally bar's width) are allowed; style sheets come from here only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    // 'self' covers the socket.io connection (ws:/wss: to the same host in current browsers).
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Why the process cannot serve now, or null: the database answers and has every committed migration. */
async function readinessProblem(root: string, check?: () => Promise<string | null>): Promise<string | null> {
  if (check) return check();
  try {
    const db = await getDb();
    const { pending } = await migrationStatus(db, migrationsFolder(dialectOf(db), root));
    return pending.length ? `${pending.length} migration(s) not applied: run npm run db:migrate` : null;
  } catch {
    return "the database does not answer";
  }
}

export function createRealtimeServer(options: RealtimeServerOptions): RealtimeAppServer {
  const root = options.root ?? PROJECT_ROOT;
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy !== undefined) app.set("trust proxy", options.trustProxy);
  const production = (options.mode ?? process.env.NODE_ENV) === "production";

  // Security headers on every response.
  app.use((req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: browsers then send "Origin: null" on form posts, which the CSRF checks refuse.
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    // HTTPS only from the first visit on (browsers ignore this header on plain http, so local trials
    // over http are not locked out). No includeSubDomains: other hosts of the domain are not ours to bind.
    if (production) res.setHeader("Strict-Transport-Security", "max-age=63072000");
    next();
  });

  // Forms are only accepted from this site's own pages (defence in depth on top of SameSite=Lax).
  // No Origin header at all (curl, old browsers) is let through; a browser's Sec-Fetch-Site other than
  // same-origin (or "none": typed by the user) is refused whatever the Origin says.
  app.use((req, res, next) => {
    const safe = req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS";
    if (!safe && (!isSameOrigin(req, options.publicOrigin, true) || isCrossSiteFetch(req))) {
      res.status(403).type("text/plain").send("Requests from other sites are not accepted.");
      return;
    }
    next();
  });

  // Probes for a load balancer or orchestrator (no personal data, never cached):
  // /healthz: the process is up; /readyz: it can serve (database reachable, every committed migration
  // applied, not shutting down), else 503 with the reason.
  let draining = false;
  app.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const problem = draining ? "shutting down" : await readinessProblem(root, options.readiness);
    if (problem) res.status(503).json({ status: "not ready", reason: problem });
    else res.json({ status: "ready" });
  });

  // Fingerprinted build output: cache forever. Other public files: an hour.
  app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h", index: false }));

  // Everything else is the Remix app: dynamic, personal (the header shows who is signed in), never cached.
  app.all(
    "*",
    (req, res, next) => {
      const nonce = randomBytes(16).toString("base64");
      res.locals.cspNonce = nonce;
      res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
      const writeHead = res.writeHead;
      res.writeHead = function (this: typeof res, ...args: unknown[]) {
        const type = String(this.getHeader("Content-Type") ?? "");
        if (type.startsWith("text/html") || !this.hasHeader("Cache-Control")) this.setHeader("Cache-Control", "no-store");
        return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
      } as typeof res.writeHead;
      // One scope of shared reads per request (consultations/request-scope.ts).
      inRequestScope(next);
    },
    createRequestHandler({
      build: options.build,
      mode: options.mode ?? process.env.NODE_ENV,
      // clientAddress: for the per-network abuse limits (consultations/rate-limits.ts), kept in memory
      // only; never logged or stored.
      getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientAddress: req.ip ?? req.socket.remoteAddress ?? null }),
    }),
  );

  const httpServer = createServer(app);
  const realtime = attachSockets(httpServer, { ...options.sockets, publicOrigin: options.publicOrigin });

  // Memory: engine.io keeps each connection's first HTTP request (the IncomingMessage, with its headers
  // and raw headers) for the connection's whole life (socket.io docs, "Memory usage"). Nothing needs it
  // once the socket has joined: the session cookie is read from it by the io.use middleware
  // (realtime/socket-auth.ts), which runs before "connection", and socket.handshake (built earlier still)
  // keeps the headers. So it is dropped here, after the namespace's own "connection" listeners
  // (registered in attachSockets) have run, not at the engine's "connection" as the docs show: that
  // fires before the client's CONNECT packet, so the middleware would find no request and refuse
  // everyone. Caveat: only the "/" namespace is used; a second namespace joined later on the same
  // connection would see `socket.request` null in its middleware.
  realtime.io.on("connection", (socket) => {
    (socket.conn as { request: unknown }).request = null;
  });

  return {
    app,
    httpServer,
    realtime,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          resolve(httpServer.address() as AddressInfo);
        });
      });
    },
    async close(closeOptions = {}) {
      // Graceful: /readyz says 503 and no new connection is accepted; client events already taken and
      // queued votes finish and are acknowledged (realtime.close drains them); then sockets are closed,
      // and the HTTP server waits for the requests still open.
      draining = true;
      httpServer.close();
      httpServer.closeIdleConnections();
      await realtime.close(closeOptions);
      httpServer.closeIdleConnections();
    },
  };
}
