/**
 * The one Node entry: Express serves static files and the Remix app; socket.io shares the HTTP server.
 * Run after `remix build`: `tsx realtime/server.ts`.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { closeDb, getDb } from "../consultations/db/client";
import { pruneSessions } from "../consultations/sessions";
import { failInterruptedRuns } from "../consultations/synthesis-runs";
import { loadEnv } from "./env";
import { isSameOrigin } from "./origin";
import { attachSockets } from "./sockets";

const log = (level: "info" | "warn" | "error", msg: string, extra: Record<string, unknown> = {}) =>
  (level === "info" ? console.log : console.error)(JSON.stringify({ level, msg, ...extra }));

const env = loadEnv();
const root = fileURLToPath(new URL("..", import.meta.url));
const buildPath = path.join(root, "build", "index.js");
if (!existsSync(buildPath)) {
  log("error", "no Remix build: run `npx remix build` first", { path: buildPath });
  process.exit(1);
}
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");

/** Content-Security-Policy: everything from this origin only; inline scripts need the request's nonce. */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Inline style attributes (e.g. a tally bar's width) are allowed; style sheets come from here only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

// Security headers on every response.
app.use((req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  // same-origin, not no-referrer: browsers then send "Origin: null" on form posts, which the CSRF checks refuse.
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  next();
});

// Forms are only accepted from this site's own pages (defence in depth on top of SameSite=Lax).
// No Origin header at all (curl, old browsers) is let through.
app.use((req, res, next) => {
  const safe = req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS";
  if (!safe && !isSameOrigin(req, env.PUBLIC_ORIGIN, true)) {
    res.status(403).type("text/plain").send("Requests from other sites are not accepted.");
    return;
  }
  next();
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
    next();
  },
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
  }),
);

const httpServer = createServer(app);
const io = attachSockets(httpServer, { publicOrigin: env.PUBLIC_ORIGIN });

// Ended sessions are deleted at start-up and then daily.
async function prune() {
  try {
    const removed = await pruneSessions(await getDb());
    if (removed) log("info", "pruned sessions", { removed });
  } catch (error) {
    log("error", "session pruning failed", { error: String(error) });
  }
}
void prune();
// Synthesis runs of a previous process cannot finish: mark them failed so they can be started again.
void getDb()
  .then(failInterruptedRuns)
  .then((count) => count && log("info", "marked interrupted synthesis runs failed", { count }))
  .catch((error) => log("error", "could not clear interrupted synthesis runs", { error: String(error) }));
setInterval(prune, 24 * 60 * 60 * 1000).unref();

httpServer.listen(env.PORT, env.HOST, () => {
  const { port } = httpServer.address() as AddressInfo;
  log("info", "listening", { port, host: env.HOST });
});

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log("info", "shutting down", { signal });
  const force = setTimeout(() => {
    log("warn", "forced exit after 10 s");
    httpServer.closeAllConnections();
    process.exit(1);
  }, 10_000);
  force.unref();
  // io.close() disconnects sockets and closes the HTTP server (which waits for open requests).
  const closed = io.close();
  httpServer.closeIdleConnections();
  await closed;
  await closeDb().catch((error) => log("error", "closing the database failed", { error: String(error) }));
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
