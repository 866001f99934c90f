/**
 * The one Node entry: Express serves static files and the Remix app; socket.io shares the HTTP server
 * (realtime/app-server.ts). Production runs it compiled: `npm run build` (remix build, then
 * realtime/build-server.mjs bundles this file into build/server.js) and `node build/server.js`.
 * Development runs the sources: `tsx realtime/server.ts` (`npm run dev`), after `remix build`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { closeDb, getDb } from "../consultations/db/client";
import { databaseUrl, isPostgresUrl } from "../consultations/db/url";
import { configureRateLimits } from "../consultations/rate-limits";
import { pruneRequestKeys } from "../consultations/request-keys";
import { pruneSessions } from "../consultations/sessions";
import { failInterruptedRuns } from "../consultations/synthesis-runs";
import { createRealtimeServer } from "./app-server";
import { loadEnv } from "./env";
import { PROJECT_ROOT } from "./paths";
import { loggableError } from "../consultations/log-safety";

const log = (level: "info" | "warn" | "error", msg: string, extra: Record<string, unknown> = {}) =>
  (level === "info" ? console.log : console.error)(JSON.stringify({ level, msg, ...extra }));

const env = loadEnv();
// The abuse limits' store is shared (on globalThis) with the Remix build's copy of the domain code.
configureRateLimits({ enabled: env.POLYPHONY_RATE_LIMITS === "on" });
const buildPath = path.join(PROJECT_ROOT, "build", "index.js");
if (!existsSync(buildPath)) {
  log("error", "no Remix build: run `npx remix build` first", { path: buildPath });
  process.exit(1);
}
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

const server = createRealtimeServer({
  build,
  publicOrigin: env.PUBLIC_ORIGIN,
  trustProxy: env.POLYPHONY_TRUST_PROXY,
  mode: process.env.NODE_ENV,
  sockets: {
    log,
    // Several processes share one PostgreSQL database: their sockets hear each other through it.
    clusterDatabaseUrl: isPostgresUrl(databaseUrl()) && env.POLYPHONY_REALTIME_ADAPTER === "auto" ? databaseUrl() : null,
    syncIntervalMs: env.POLYPHONY_REALTIME_SYNC_MS,
    rateLimit: env.POLYPHONY_SOCKET_RATE > 0 ? { perSecond: env.POLYPHONY_SOCKET_RATE, burst: env.POLYPHONY_SOCKET_RATE * 3 } : false,
  },
});

// Ended sessions and day-old idempotency keys are deleted at start-up and then daily.
async function prune() {
  try {
    const db = await getDb();
    const removed = await pruneSessions(db);
    if (removed) log("info", "pruned sessions", { removed });
    const keys = await pruneRequestKeys(db);
    if (keys) log("info", "pruned request keys", { removed: keys });
  } catch (error) {
    log("error", "pruning failed", { ...loggableError(error) });
  }
}
void prune();
// Synthesis runs of a previous process cannot finish: mark them failed so they can be started again.
void getDb()
  .then(failInterruptedRuns)
  .then((count) => count && log("info", "marked interrupted synthesis runs failed", { count }))
  .catch((error) => log("error", "could not clear interrupted synthesis runs", { ...loggableError(error) }));
setInterval(prune, 24 * 60 * 60 * 1000).unref();

const { port } = await server.listen(env.PORT, env.HOST);
log("info", "listening", { port, host: env.HOST });

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log("info", "shutting down", { signal });
  const force = setTimeout(() => {
    log("warn", "forced exit after 10 s");
    server.httpServer.closeAllConnections();
    process.exit(1);
  }, 10_000);
  force.unref();
  // Work already taken finishes (7 s at most), leaving time to close the database before the 10 s mark.
  await server.close({ drainMs: 7_000 });
  await closeDb().catch((error) => log("error", "closing the database failed", { ...loggableError(error) }));
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
