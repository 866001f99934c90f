/**
 * socket.io, attached to the HTTP server: the realtime side of a consultation.
 *
 * - Handshake: same-origin only (Origin checked in `allowRequest`: CORS does not protect WebSocket
 *   upgrades) and a valid session cookie (realtime/socket-auth.ts); otherwise connect_error.
 * - Client events (realtime/event-map.ts): each payload is parsed with its zod/mini schema (422), the
 *   session is read again (401, and the socket closes), then the domain authorises exactly as for HTTP
 *   (`access(db, viewer, {slug}, action)`: the DomainError's status goes into the ack). Unknown events
 *   get 400; more than `rateLimit` events a second, 429.
 * - Rooms, replay, live events, tallies and presence: realtime/rooms.ts. Which event reaches whom, with
 *   which fields: realtime/event-policy.ts.
 * - Revocation: sessions revoked through consultations/sessions.ts (sign-out, password change, "sign out
 *   everywhere", suspension, rotation) and realtime/revocation.ts calls close their sockets at once
 *   (`session.ended`, then disconnect); a sweep also closes sockets whose session expired.
 */
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import * as z from "zod/mini";
import { access } from "../consultations/access";
import { getDb, type Db } from "../consultations/db/client";
import { isDomainError } from "../consultations/errors";
import { spotlight } from "../consultations/live-sessions";
import { retryAfterOf } from "../consultations/rate-limits";
import { onSessionsRevoked, type RevokedSessions } from "../consultations/sessions";
import type { Viewer } from "../consultations/permissions";
import { JoinRequest, SpotlightRequest, VoteRequest, type Ack, type ClientToServerEvents, type SessionEnded } from "./event-map";
import { isSameOrigin } from "./origin";
import { registerDisconnector, REPLACED, SIGNED_OUT, SUSPENDED } from "./revocation";
import { ConsultationHub } from "./rooms";
import type { Cluster } from "./cluster";
import { cookieNameFromEnv, endedSessions, recheckSession, sessionHandshake } from "./socket-auth";
import { defaultLogger, type Logger, type RealtimeServer, type RealtimeSocket } from "./types";
import { VoteQueue } from "./vote-over-socket";
import { loggableError } from "../consultations/log-safety";

/** Largest message a client may send (bytes): the biggest real one (a vote) is ~200 bytes. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** Consultations one socket may be in at once. */
const MAX_ROOMS_PER_SOCKET = 20;

/** What a client event gets while the server shuts down (the browser reconnects to another process). */
const RESTARTING = "The server is restarting. Please try again in a moment.";

/** The facilitator's spotlight in a live session (default: consultations/live-sessions.ts `spotlight`). */
export type SpotlightHandler = (db: Db, viewer: Viewer, key: { slug: string }, positionId: string | null) => Promise<{ positionId: string | null }>;

export interface SocketOptions {
  /** See realtime/env.ts PUBLIC_ORIGIN. */
  publicOrigin?: string;
  /** The session cookie's name; default from NODE_ENV / POLYPHONY_INSECURE_COOKIES, as the app. */
  cookieName?: string;
  /** Default MAX_MESSAGE_BYTES. */
  maxHttpBufferSize?: number;
  /** Client events per socket: sustained rate per second and burst; false: no limit. */
  rateLimit?: { perSecond: number; burst: number } | false;
  tallyCoalesceMs?: number;
  presenceCoalesceMs?: number;
  /** Events read per query when replaying (default 500). */
  replayPageSize?: number;
  /** How often sockets' sessions are checked for expiry (ms); 0: never. Default one minute. */
  sessionSweepMs?: number;
  /** How often to look for events written by another process (ms); 0: never. Default 5 s. */
  syncIntervalMs?: number;
  spotlight?: SpotlightHandler;
  db?: () => Promise<Db>;
  log?: Logger;
  /**
   * A PostgreSQL URL: join the other app processes through socket.io's PostgreSQL adapter
   * (realtime/cluster.ts). Unset: this process is alone.
   */
  clusterDatabaseUrl?: string | null;
}

export interface RealtimeSockets {
  io: RealtimeServer;
  hub: ConsultationHub;
  /** Socket votes waiting for or in their batch (graceful shutdown waits for `votes.settled()`). */
  votes: VoteQueue;
  /** Closes every socket of these sessions (`session.ended` first); returns how many. */
  disconnectSessions(sessionIds: readonly string[], ended?: SessionEnded): number;
  disconnectAccount(accountId: string, ended?: SessionEnded): number;
  disconnectParticipant(participantId: string, ended?: SessionEnded): number;
  /** Stops listening, closes every socket and the HTTP server. */
  /**
   * Graceful: stops taking client events (503), waits (up to `drainMs`) for those taken and for every
   * queued vote to be written and acknowledged, then disconnects every socket.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

type Handler = (socket: RealtimeSocket, db: Db, viewer: Viewer, request: never) => Promise<unknown>;
interface ClientEvent {
  schema: z.ZodMiniType;
  run: Handler;
  /**
   * Whether `answer` reads the session again before `run` (default). Votes read it themselves, for a
   * whole batch at once (realtime/vote-over-socket.ts), and throw SessionGone when it ended.
   */
  checksSession?: true;
}

/** Thrown by a handler that found the socket's session ended: 401, then the socket is closed. */
class SessionGone extends Error {}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function fail(status: number, message: string, retryAfterSeconds?: number): Ack<never> {
  return { ok: false, error: retryAfterSeconds === undefined ? { status, message } : { status, message, retryAfterSeconds } };
}

/** A readable message for the first problem zod found. */
function invalidMessage(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  return `The request is not valid (${where}${issue?.message ?? "unexpected shape"}).`;
}

/** Token bucket per socket. */
function limiter(limit: { perSecond: number; burst: number } | false) {
  if (!limit) return () => true;
  let tokens = limit.burst;
  let at = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(limit.burst, tokens + ((now - at) / 1000) * limit.perSecond);
    at = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

export function attachSockets(httpServer: HttpServer, options: SocketOptions = {}): RealtimeSockets {
  const log = options.log ?? defaultLogger;
  const db = options.db ?? getDb;
  const cookieName = options.cookieName ?? cookieNameFromEnv();
  const io: RealtimeServer = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // Browsers always send Origin on WebSocket handshakes and cross-origin requests, so a foreign
    // Origin is refused. No Origin at all is a same-origin polling GET or a non-browser client
    // (which cannot ride on someone's cookies): allowed.
    allowRequest: (req, callback) => callback(null, isSameOrigin(req, options.publicOrigin, true)),
    cors: undefined,
    maxHttpBufferSize: options.maxHttpBufferSize ?? MAX_MESSAGE_BYTES,
  });
  // Several processes: notices between them (realtime/cluster.ts); the handlers are bound below.
  const fromCluster = { committed: (_id: string, _seq: number) => {}, presence: () => {}, revoked: (_r: RevokedSessions) => {} };
  // Joined in the background (the adapter and pg load only then); notices before it are caught up by
  // the database poll. Null, and nothing loaded, for a process that is alone.
  let cluster: Cluster | null = null;
  const clusterReady = options.clusterDatabaseUrl
    ? import("./cluster").then(async ({ joinCluster }) => {
        cluster = await joinCluster(io, options.clusterDatabaseUrl!, {
          committed: (id, seq) => fromCluster.committed(id, seq),
          presence: () => fromCluster.presence(),
          revoked: (r) => fromCluster.revoked(r),
        }, log);
        hub.useCluster(cluster);
      })
    : Promise.resolve();
  const hub = new ConsultationHub(io, {
    db,
    log,
    tallyCoalesceMs: options.tallyCoalesceMs,
    presenceCoalesceMs: options.presenceCoalesceMs,
    pageSize: options.replayPageSize,
    syncIntervalMs: options.syncIntervalMs,
  });
  hub.start();
  fromCluster.committed = (id, seq) => hub.remoteCommitted(id, seq);
  fromCluster.presence = () => hub.remotePresence();
  const votes = new VoteQueue(db);

  // ---- who is connected, for revocation ----------------------------------------------------

  const bySession = new Map<string, Set<RealtimeSocket>>();
  const byAccount = new Map<string, Set<RealtimeSocket>>();
  const byParticipant = new Map<string, Set<RealtimeSocket>>();
  const index = (socket: RealtimeSocket, add: boolean) => {
    const { sessionIds, viewer } = socket.data.session;
    const keys: Array<[Map<string, Set<RealtimeSocket>>, string]> = sessionIds.map((id) => [bySession, id]);
    if (viewer.account) keys.push([byAccount, viewer.account.id]);
    for (const p of viewer.participants) keys.push([byParticipant, p.id]);
    for (const [map, key] of keys) {
      const set = map.get(key) ?? new Set();
      if (add) map.set(key, set.add(socket));
      else if (set.delete(socket) && !set.size) map.delete(key);
    }
  };

  /** `session.ended`, then disconnect. */
  const end = (socket: RealtimeSocket, ended: SessionEnded) => {
    if (socket.data.ended) return;
    socket.data.ended = true;
    hub.leaveAll(socket);
    socket.emit("session.ended", ended);
    socket.disconnect(true);
  };
  const endAll = (sockets: Iterable<RealtimeSocket> | undefined, ended: SessionEnded) => {
    let count = 0;
    for (const socket of [...(sockets ?? [])]) {
      if (socket.data.ended) continue;
      end(socket, ended);
      count += 1;
    }
    return count;
  };
  const disconnectSessions = (ids: readonly string[], ended = SIGNED_OUT) => ids.reduce((n, id) => n + endAll(bySession.get(id), ended), 0);
  const disconnectAccount = (accountId: string, ended = SIGNED_OUT) => endAll(byAccount.get(accountId), ended);
  const disconnectParticipant = (participantId: string, ended = SUSPENDED) => endAll(byParticipant.get(participantId), ended);

  const onRevoked = (revoked: RevokedSessions) => {
    const ended = revoked.participantId ? SUSPENDED : revoked.rotated ? REPLACED : SIGNED_OUT;
    if (revoked.participantId) disconnectParticipant(revoked.participantId, ended);
    if (revoked.sessionIds) disconnectSessions(revoked.sessionIds, ended);
    if (revoked.accountId) disconnectAccount(revoked.accountId, ended);
  };
  // Revoked here: close our sockets and tell the other processes; revoked there: close ours.
  const stopRevocations = onSessionsRevoked((revoked) => {
    onRevoked(revoked);
    (cluster as Cluster | null)?.announceRevoked(revoked);
  });
  fromCluster.revoked = onRevoked;
  const unregister = registerDisconnector({
    sessions: (ids, ended) => disconnectSessions(ids, ended),
    account: (id, ended) => disconnectAccount(id, ended),
    participant: (id, ended) => disconnectParticipant(id, ended),
  });

  // Sessions that expire (or end in another process) while their socket is open.
  const sweepEvery = options.sessionSweepMs ?? 60_000;
  const sweep =
    sweepEvery > 0
      ? setInterval(async () => {
          if (!bySession.size) return;
          try {
            const ended = await endedSessions(await db(), [...bySession.keys()]);
            if (ended.size) disconnectSessions([...ended]);
          } catch (error) {
            log("error", "session sweep failed", { ...loggableError(error) });
          }
        }, sweepEvery)
      : null;
  sweep?.unref();

  // ---- client events -----------------------------------------------------------------------

  const events: Record<keyof ClientToServerEvents, ClientEvent> = {
    "consultation.join": {
      schema: JoinRequest,
      run: async (socket, db, viewer, request: JoinRequest) => {
        const pending = socket.data.joining;
        if (pending.has(request.slug)) throw new HttpError(409, "Already joining this consultation.");
        pending.add(request.slug);
        try {
          const ctx = await access(db, viewer, { slug: request.slug }, "read");
          if (!socket.data.memberships.has(ctx.consultation.id) && socket.data.memberships.size >= MAX_ROOMS_PER_SOCKET) {
            throw new HttpError(429, "Too many consultations open on this connection.");
          }
          const facilitator = ctx.role === "facilitator";
          const joined = await hub.join(
            socket,
            {
              consultationId: ctx.consultation.id,
              eventSeq: ctx.consultation.eventSeq,
              minGroupSize: ctx.consultation.minGroupSize,
              audience: facilitator ? "facilitators" : "everyone",
              viewerKey: facilitator ? `f:${viewer.account!.id}` : `p:${ctx.me!.id}`,
            },
            request.afterSeq,
          );
          if (!joined) throw new HttpError(410, "The connection closed.");
          return joined;
        } finally {
          pending.delete(request.slug);
        }
      },
    },
    "vote.cast": {
      schema: VoteRequest,
      checksSession: true,
      run: async (socket, _db, _viewer, request: VoteRequest) => {
        const result = await votes.cast(socket, request);
        if (result.ok) return result.data;
        if ("sessionEnded" in result) throw new SessionGone();
        throw result.error;
      },
    },
    "live.spotlight": {
      schema: SpotlightRequest,
      // The same verb as the facilitator's HTTP action: it authorises ("runLiveSession") and records.
      run: (_socket, db, viewer, request: SpotlightRequest) => (options.spotlight ?? spotlight)(db, viewer, { slug: request.slug }, request.positionId),
    },
  };

  io.use(sessionHandshake(db, cookieName));

  // Graceful shutdown (close()): no new event is taken; those already taken finish and are answered.
  let draining = false;
  const inFlight = new Set<Promise<void>>();

  io.on("connection", (socket) => {
    index(socket, true);
    const allow = limiter(options.rateLimit ?? { perSecond: 20, burst: 60 });

    const answer = async (name: string, args: unknown[]) => {
      const last = args[args.length - 1];
      const ack = typeof last === "function" ? (last as (result: Ack) => void) : null;
      // Every client event asks for an answer; one that does not is ignored.
      if (!ack) return;
      const reply = (result: Ack) => {
        if (socket.connected) ack(result);
      };
      if (socket.data.ended) return reply(fail(401, SIGNED_OUT.message));
      if (draining) return reply(fail(503, RESTARTING));
      if (!allow()) return reply(fail(429, "Too many requests: please slow down."));
      const event = Object.hasOwn(events, name) ? events[name as keyof ClientToServerEvents] : null;
      if (!event) return reply(fail(400, "Unknown event."));
      const parsed = z.safeParse(event.schema, args.length > 1 ? args[0] : undefined);
      if (!parsed.success) return reply(fail(422, invalidMessage(parsed.error)));
      try {
        const database = await db();
        const info = event.checksSession ? socket.data.session : await recheckSession(database, socket);
        if (!info) throw new SessionGone();
        const data = await event.run(socket, database, info.viewer, parsed.data as never);
        reply({ ok: true, data });
      } catch (error) {
        if (error instanceof SessionGone) {
          reply(fail(401, SIGNED_OUT.message));
          end(socket, SIGNED_OUT);
          return;
        }
        // 429 from the abuse limits carries when to try again.
        if (isDomainError(error)) return reply(fail(error.status, error.message, retryAfterOf(error)));
        if (error instanceof HttpError) return reply(fail(error.status, error.message));
        log("error", "socket event failed", { event: name, ...loggableError(error) });
        reply(fail(500, "Something went wrong. Please try again."));
      }
    };

    socket.onAny((name: string, ...args: unknown[]) => {
      const answering = answer(name, args);
      inFlight.add(answering);
      void answering.finally(() => inFlight.delete(answering));
    });

    socket.on("disconnect", () => {
      hub.leaveAll(socket);
      index(socket, false);
    });
  });

  return {
    io,
    hub,
    votes,
    disconnectSessions,
    disconnectAccount,
    disconnectParticipant,
    async close({ drainMs = 8_000 }: { drainMs?: number } = {}) {
      // Finish what was taken: answered events, and every queued vote written and acknowledged.
      draining = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        (async () => {
          await Promise.allSettled([...inFlight]);
          await votes.settled();
        })(),
        new Promise((resolve) => (timer = setTimeout(resolve, drainMs))),
      ]);
      clearTimeout(timer);
      stopRevocations();
      unregister();
      if (sweep) clearInterval(sweep);
      hub.stop();
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      await clusterReady.catch(() => {});
      await (cluster as Cluster | null)?.close();
    },
  };
}
