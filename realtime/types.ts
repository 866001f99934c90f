/** socket.io types of the realtime server, typed with the contract in realtime/event-map.ts. */
import type { Server, Socket } from "socket.io";
import type { SessionInfo } from "../consultations/sessions";
import type { Audience } from "./event-policy";
import type { ClientToServerEvents, ServerToClientEvents } from "./event-map";

/** A socket's place in one consultation (it may have joined several). */
export interface Membership {
  consultationId: string;
  audience: Audience;
  /** Who is present, for the head count: `f:<account id>` or `p:<participant id>` (never sent). */
  viewerKey: string;
}

/** What the server keeps on each socket (server-side only: never sent to the client). */
export interface SocketData {
  /** The session token from the handshake cookie: every client event re-reads the session with it. */
  token: string;
  session: SessionInfo;
  /** By consultation id. */
  memberships: Map<string, Membership>;
  /** Slugs with a join in progress (a second join of the same one waits for no one: 409). */
  joining: Set<string>;
  /** Set once the socket is being closed (revoked session): no more events are handled. */
  ended?: boolean;
}

export type InterServerEvents = Record<string, never>;
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type Logger = (level: "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;

export const defaultLogger: Logger = (level, msg, extra = {}) =>
  (level === "info" ? console.log : console.error)(JSON.stringify({ level, msg, ...extra }));
