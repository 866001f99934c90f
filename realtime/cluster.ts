/**
 * Several app processes, one consultation: what crosses between them, through socket.io's PostgreSQL
 * adapter (@socket.io/postgres-adapter: LISTEN/NOTIFY on the database they already share; no other
 * service to run).
 *
 * Each process sends committed events, tallies and presence to ITS OWN sockets (`io.local`), built from the
 * database, exactly as a single process does. Between processes travel only small notices
 * (`io.serverSideEmit`), never what a viewer sees:
 *  - `committed {consultationId, seq}`: an event was committed here; the others read what they have not
 *    broadcast yet from the database, in order (ConsultationHub.schedulePull), then recompute tallies;
 *  - `presence {node, consultationId, viewers}`: how many distinct people this process has in a
 *    consultation; each process shows the sum over live processes (a person with tabs on two processes
 *    counts twice: with sticky sessions a browser stays on one);
 *  - `revoked {...}`: sessions that ended (sign-out, password change, suspension), so every process
 *    closes their sockets at once.
 * Without a cluster (SQLite, or POLYPHONY_REALTIME_ADAPTER=off) nothing here runs.
 */
import { randomUUID } from "node:crypto";
import type { RevokedSessions } from "../consultations/sessions";
import type { Logger, RealtimeServer } from "./types";
import { loggableError } from "../consultations/log-safety";

/** How often a process repeats its presence counts, and how long another trusts one. */
export const PRESENCE_HEARTBEAT_MS = 10_000;
export const PRESENCE_TTL_MS = 35_000;

export interface ClusterHandlers {
  committed(consultationId: string, seq: number): void;
  presence(): void;
  revoked(revoked: RevokedSessions): void;
}

export interface Cluster {
  readonly nodeId: string;
  announceCommitted(consultationId: string, seq: number): void;
  announcePresence(consultationId: string, viewers: number): void;
  announceRevoked(revoked: RevokedSessions): void;
  /** People present in other live processes. */
  remoteViewers(consultationId: string): number;
  close(): Promise<void>;
}

type Notice =
  | { kind: "committed"; consultationId: string; seq: number }
  | { kind: "presence"; node: string; consultationId: string; viewers: number }
  | { kind: "revoked"; revoked: RevokedSessions };

const CHANNEL = "polyphony:notice";

/** Connects `io` to the other processes through PostgreSQL; `handlers` receive their notices. */
export async function joinCluster(io: RealtimeServer, databaseUrl: string, handlers: ClusterHandlers, log: Logger): Promise<Cluster> {
  // Loaded here, not at start-up: a process that is alone never holds them.
  const [{ createAdapter }, { default: pg }] = await Promise.all([import("@socket.io/postgres-adapter"), import("pg")]);
  const nodeId = randomUUID();
  // A pool of its own: LISTEN holds one connection for as long as the process runs.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  pool.on("error", (error) => log("error", "realtime cluster connection failed", { ...loggableError(error) }));
  io.adapter(createAdapter(pool, { tableName: "socket_io_attachments" }));

  // node -> consultation -> { viewers, at }
  const remote = new Map<string, Map<string, { viewers: number; at: number }>>();
  const mine = new Map<string, number>();

  io.on(CHANNEL as never, (notice: Notice) => {
    try {
      if (notice.kind === "committed") handlers.committed(notice.consultationId, notice.seq);
      else if (notice.kind === "revoked") handlers.revoked(notice.revoked);
      else if (notice.kind === "presence" && notice.node !== nodeId) {
        const byConsultation = remote.get(notice.node) ?? new Map();
        byConsultation.set(notice.consultationId, { viewers: notice.viewers, at: Date.now() });
        remote.set(notice.node, byConsultation);
        handlers.presence();
      }
    } catch (error) {
      log("error", "realtime cluster notice failed", { ...loggableError(error) });
    }
  });
  const send = (notice: Notice) => {
    try {
      io.serverSideEmit(CHANNEL, notice);
    } catch (error) {
      log("error", "realtime cluster send failed", { ...loggableError(error) });
    }
  };
  const heartbeat = setInterval(() => {
    for (const [consultationId, viewers] of mine) send({ kind: "presence", node: nodeId, consultationId, viewers });
  }, PRESENCE_HEARTBEAT_MS);
  heartbeat.unref();

  return {
    nodeId,
    announceCommitted: (consultationId, seq) => send({ kind: "committed", consultationId, seq }),
    announcePresence: (consultationId, viewers) => {
      if (viewers > 0) mine.set(consultationId, viewers);
      else mine.delete(consultationId);
      send({ kind: "presence", node: nodeId, consultationId, viewers });
    },
    announceRevoked: (revoked) => send({ kind: "revoked", revoked }),
    remoteViewers: (consultationId) => {
      const now = Date.now();
      let sum = 0;
      for (const byConsultation of remote.values()) {
        const entry = byConsultation.get(consultationId);
        if (entry && now - entry.at <= PRESENCE_TTL_MS) sum += entry.viewers;
      }
      return sum;
    },
    close: async () => {
      clearInterval(heartbeat);
      await pool.end().catch(() => {});
    },
  };
}
