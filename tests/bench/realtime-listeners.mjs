/**
 * A listener thread of the realtime load generator (tests/bench/realtime-load.ts): holds a share of the
 * listening sockets (real socket.io-client, WebSocket transport, the seeded session cookies) and records,
 * for each socket and each latency vote, when that socket first saw a tally that includes the vote.
 *
 * Why threads: one Node thread spends ~35 us on each socket.io message it receives, so 2,000 sockets in
 * one thread would queue a broadcast for ~70 ms before the last socket sees it, a delay no real phone has
 * (each has its own CPU). Threads of the same load-generator process receive in parallel.
 *
 * Plain JavaScript (a worker thread does not inherit tsx). Messages: see `handlers` below; every request
 * carries an `id` and gets one reply with the same id.
 */
import { parentPort, workerData } from "node:worker_threads";
import { io } from "socket.io-client";

const { url, cookieName, slug } = workerData;
/** Milliseconds on a clock all threads share (epoch based, sub-millisecond). */
const now = () => performance.timeOrigin + performance.now();

/** @type {Array<{ socket: any, who: { id: string, token: string }, joined: boolean, closing: boolean }>} */
let clients = [];
let unexpectedDisconnects = 0;
/** @type {Record<string, number>} */
const connectErrors = {};

/**
 * The current latency run: per position, the tally total the run starts from, how many votes it may get
 * (`cap`), and for each client the time it first saw total >= base + k + 1 (arrivals[client * cap + k]).
 * @type {null | { measuredFrom: number, cap: number, positions: Map<string, { base: number, reflected: Int32Array, arrivals: Float64Array }>, index: Map<any, number>, tallies: number, events: number }}
 */
let run = null;

function onTallies(client, changed) {
  const current = run;
  if (!current) return;
  const at = now();
  if (at >= current.measuredFrom) current.tallies += 1;
  const c = current.index.get(client);
  if (c === undefined) return;
  for (const update of changed.updates) {
    const position = current.positions.get(update.positionId);
    if (!position || update.tally.suppressed) continue;
    const seen = Math.min(update.tally.total - position.base, current.cap);
    for (let k = position.reflected[c]; k < seen; k++) position.arrivals[c * current.cap + k] = at;
    if (seen > position.reflected[c]) position.reflected[c] = seen;
  }
}

function connect(who) {
  return new Promise((resolve) => {
    const started = now();
    const socket = io(url, {
      path: "/socket.io",
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      timeout: 20_000,
      extraHeaders: { cookie: `${cookieName}=${who.token}` },
    });
    const client = { socket, who, joined: false, closing: false };
    socket.on("tallies.changed", (changed) => onTallies(client, changed));
    socket.on("consultation.event", () => {
      if (run && now() >= run.measuredFrom) run.events += 1;
    });
    socket.once("connect", () => resolve({ client, ms: now() - started }));
    socket.once("connect_error", (error) => {
      connectErrors[error.message] = (connectErrors[error.message] ?? 0) + 1;
      socket.close();
      resolve(null);
    });
    socket.on("disconnect", () => {
      if (!client.closing) unexpectedDisconnects += 1;
    });
  });
}

function join(client) {
  return new Promise((resolve) => {
    const started = now();
    client.socket.timeout(30_000).emit("consultation.join", { slug }, (error, ack) => {
      if (error || !ack?.ok) {
        const why = error ? "join timeout" : `join ${ack.error.status} ${ack.error.message}`;
        connectErrors[why] = (connectErrors[why] ?? 0) + 1;
        resolve(null);
        return;
      }
      client.joined = true;
      resolve(now() - started);
    });
  });
}

const handlers = {
  /** Connects and joins these people, `concurrency` at a time. */
  async connect({ people, concurrency }) {
    const connectMs = [];
    const joinMs = [];
    let failed = 0;
    let next = 0;
    const opened = [];
    const worker = async () => {
      for (let i = next++; i < people.length; i = next++) {
        const result = await connect(people[i]);
        if (!result) {
          failed += 1;
          continue;
        }
        connectMs.push(result.ms);
        const ms = await join(result.client);
        if (ms === null) failed += 1;
        else joinMs.push(ms);
        opened.push([i, result.client]);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    opened.sort((a, b) => a[0] - b[0]);
    clients.push(...opened.map(([, client]) => client));
    return { connected: opened.length, failed, connectMs, joinMs };
  },
  /** Keeps the first `keep` sockets, closes the rest. */
  async trim({ keep }) {
    for (const client of clients.splice(keep)) {
      client.closing = true;
      client.socket.disconnect();
    }
    return { count: clients.length };
  },
  /** Opens again the sockets the server dropped (same person, same place). */
  async reconnect() {
    let again = 0;
    for (const [i, client] of clients.entries()) {
      if (client.socket.connected) continue;
      client.closing = true;
      client.socket.close();
      const opened = await connect(client.who);
      if (!opened || (await join(opened.client)) === null) continue;
      clients[i] = opened.client;
      again += 1;
    }
    return { again };
  },
  async count() {
    return { connected: clients.filter((c) => c.joined && c.socket.connected).length, ids: clients.map((c) => c.who.id) };
  },
  /** Starts recording a latency run. */
  async start({ positions, cap, measuredFrom }) {
    const live = clients.filter((c) => c.joined && c.socket.connected);
    run = {
      measuredFrom,
      cap,
      index: new Map(live.map((client, i) => [client, i])),
      positions: new Map(
        positions.map(([id, base]) => [id, { base, reflected: new Int32Array(live.length), arrivals: new Float64Array(live.length * cap).fill(NaN) }]),
      ),
      tallies: 0,
      events: 0,
    };
    return { clients: live.length };
  },
  /** Stops recording; returns the arrivals (transferred, not copied). */
  async stop() {
    const current = run;
    run = null;
    if (!current) return { clients: 0, positions: [], tallies: 0, events: 0, dropped: 0 };
    const dropped = [...current.index.keys()].filter((c) => !c.socket.connected).length;
    return {
      clients: current.index.size,
      positions: [...current.positions].map(([id, p]) => [id, p.arrivals]),
      tallies: current.tallies,
      events: current.events,
      dropped,
      transfer: [...current.positions.values()].map((p) => p.arrivals.buffer),
    };
  },
  async close() {
    for (const client of clients) {
      client.closing = true;
      client.socket.disconnect();
    }
    clients = [];
    return { unexpectedDisconnects, connectErrors };
  },
  async stats() {
    return { unexpectedDisconnects, connectErrors };
  },
};

parentPort.on("message", async ({ id, cmd, args }) => {
  try {
    const result = await handlers[cmd](args ?? {});
    const transfer = result?.transfer ?? [];
    if (result) delete result.transfer;
    parentPort.postMessage({ id, ok: true, result }, transfer);
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
