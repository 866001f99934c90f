/**
 * Realtime test harness: the real server (realtime/app-server.ts: Express + the Remix build + socket.io)
 * listening on a loopback port, and real socket.io-client sockets connecting to it the way a browser does
 * (WebSocket transport, the session cookie and an Origin header on the handshake).
 *
 * The server shares the test file's database (tests/setup/worker-db.ts; the client on globalThis), so
 * fixtures made with tests/factories.ts are what the sockets see, and events recorded by the domain in the
 * test process are published to the server's rooms.
 */
import type { AddressInfo } from "node:net";
import { io as connectClient, type Socket } from "socket.io-client";
import { createRealtimeServer, type RealtimeAppServer } from "../../realtime/app-server";
import type { Ack, ClientToServerEvents, ConsultationEventPayload, ServerToClientEvents } from "../../realtime/event-map";
import type { SocketOptions } from "../../realtime/sockets";
import { SESSION_COOKIE, serverBuild } from "./http-harness";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RunningServer {
  server: RealtimeAppServer;
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/** Starts the app server on a free loopback port. Short coalescing windows keep tests quick. */
export async function startServer(sockets: Omit<SocketOptions, "publicOrigin"> = {}, publicOrigin?: string): Promise<RunningServer> {
  const server = createRealtimeServer({
    build: await serverBuild(),
    mode: "production",
    publicOrigin,
    sockets: { tallyCoalesceMs: 40, presenceCoalesceMs: 40, rateLimit: false, sessionSweepMs: 0, syncIntervalMs: 0, log: () => {}, ...sockets },
  });
  const address: AddressInfo = await server.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${address.port}`;
  return { server, url, close: () => server.close() };
}

export interface Received {
  /** Every server-to-client message, in arrival order: [event name, payload]. */
  all: Array<[string, unknown]>;
  events: ConsultationEventPayload[];
}

export interface Client {
  socket: ClientSocket;
  received: Received;
  /** Emits with an acknowledgement and resolves with it (rejects after `timeoutMs`). */
  request<T = unknown>(event: string, payload?: unknown, timeoutMs?: number): Promise<Ack<T>>;
  /** Resolves once `predicate` holds for what was received (polls; rejects after `timeoutMs`). */
  until<T>(predicate: (received: Received) => T | undefined | false | null, timeoutMs?: number): Promise<T>;
  close(): void;
}

export interface ConnectOptions {
  /** The session token (sent as the session cookie); none: anonymous. */
  token?: string | null;
  /** The Cookie header as it is (overrides `token`). */
  cookie?: string;
  /** The Origin header; default the server's own; null: none. */
  origin?: string | null;
}

function clientSocket(url: string, options: ConnectOptions): ClientSocket {
  const headers: Record<string, string> = {};
  const cookie = options.cookie ?? (options.token ? `${SESSION_COOKIE}=${options.token}` : undefined);
  if (cookie) headers.Cookie = cookie;
  const origin = options.origin === undefined ? url : options.origin;
  if (origin !== null) headers.Origin = origin;
  return connectClient(url, {
    path: "/socket.io",
    transports: ["websocket"],
    extraHeaders: headers,
    reconnection: false,
    forceNew: true,
    timeout: 5000,
  });
}

/** Polls until `predicate` returns something truthy. */
export async function eventually<T>(predicate: () => T | undefined | false | null, timeoutMs = 3000, what = "condition"): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Connects and waits for the handshake; rejects with the connect_error (its message) when refused. */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
  const socket = clientSocket(url, options);
  const received: Received = { all: [], events: [] };
  socket.onAny((name: string, payload: unknown) => {
    received.all.push([name, payload]);
    if (name === "consultation.event") received.events.push(payload as ConsultationEventPayload);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
  return {
    socket,
    received,
    request<T>(event: string, payload?: unknown, timeoutMs = 5000): Promise<Ack<T>> {
      // Untyped on purpose: tests also send what the contract does not allow.
      const timed = socket.timeout(timeoutMs) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<Ack<T>> };
      return payload === undefined ? timed.emitWithAck(event) : timed.emitWithAck(event, payload);
    },
    until(predicate, timeoutMs = 3000) {
      return eventually(() => predicate(received), timeoutMs, "a socket message");
    },
    close() {
      socket.close();
    },
  };
}

/** The connect_error a refused handshake gives (its message), or null when the connection succeeded. */
export async function refusal(url: string, options: ConnectOptions = {}): Promise<string | null> {
  try {
    const client = await connect(url, options);
    client.close();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Connects and joins a consultation; throws when the join is refused. */
export async function joined(url: string, token: string, slug: string, afterSeq?: number): Promise<Client & { seq: number }> {
  const client = await connect(url, { token });
  const ack = await client.request<{ seq: number; replayed: number }>("consultation.join", afterSeq === undefined ? { slug } : { slug, afterSeq });
  if (!ack.ok) throw new Error(`join refused: ${ack.error.status} ${ack.error.message}`);
  return Object.assign(client, { seq: ack.data.seq });
}

/** Waits until the socket is disconnected (resolves with the reason). */
export function disconnected(client: Client, timeoutMs = 3000): Promise<string> {
  if (!client.socket.connected) return Promise.resolve("already disconnected");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the socket was not disconnected")), timeoutMs);
    client.socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** A form post through the real server (as a browser without JavaScript), returning the status. */
export async function formPost(url: string, path: string, form: Record<string, string>, token?: string): Promise<Response> {
  return fetch(new URL(path, url), {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: url,
      ...(token ? { Cookie: `${SESSION_COOKIE}=${token}` } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
}

/** A random idempotency key. */
export function requestKey(): string {
  return `k-${crypto.randomUUID()}`;
}
