/**
 * The realtime benchmark's load generator: process 2 of tests/bench/realtime.ts (the server is process 1).
 * It opens real socket.io-client sockets (WebSocket transport, the seeded session cookies) to the server on
 * 127.0.0.1 and measures, in this order:
 *
 *   idle        N sockets connected and joined, doing nothing: the server's RSS (/proc/<pid>/status)
 *   latency     at each client count, a few voter sockets cast new votes at a fixed rate; every connected
 *               client records when `tallies.changed` first shows each vote (the tally total reaches the
 *               count that includes it): latency = that arrival - the vote's send time, over clients x votes
 *   throughput  voter sockets cast new votes as fast as their acks come back (a fixed number in flight):
 *               acknowledged votes per second, ack latency, and the rows really in the database afterwards
 *
 * Run by the orchestrator only: `node --import tsx tests/bench/realtime-load.ts <config.json>`; writes its
 * figures to the config's resultPath. Every loop is bounded by a count and a deadline.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import pg from "pg";
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../../realtime/event-map";
import type { Fixture, SeededParticipant } from "./realtime-seed";
import { cpuMsOf, loadAverage, memoryOf, summarise, type Summary } from "./realtime-stats";

export type Phase = "idle" | "latency" | "throughput";

export interface LoadConfig {
  url: string;
  serverPid: number;
  /** The server's DATABASE_URL (file: or postgresql://): the load generator counts rows there. */
  databaseUrl: string;
  cookieName: string;
  fixture: Fixture;
  phases: Phase[];
  idleSockets: number;
  /** How long the idle sockets are held while the RSS is read. */
  idleSeconds: number;
  /** Connected clients (listeners + the latency voters) of each latency run. */
  latencyClients: number[];
  /** Votes per second during a latency run. */
  rate: number;
  warmupSeconds: number;
  latencySeconds: number;
  throughputSeconds: number;
  /** Votes in flight at once during a throughput run (spread over the throughput voters). */
  inflight: number;
  /** Sockets connecting at once. */
  connectConcurrency: number;
  /** Threads holding the listening sockets (tests/bench/realtime-listeners.mjs). */
  listenerThreads: number;
  resultPath: string;
  /** The whole load generator gives up after this long. */
  deadlineMs: number;
}

export interface IdleResult {
  sockets: number;
  connected: number;
  failed: number;
  rssBeforeMB: number;
  /** At the end of the idle window. */
  rssMB: number;
  rssLowMB: number;
  rssHighMB: number;
  seconds: number;
  peakMB: number;
  kbPerSocket: number;
  connect: Summary;
  join: Summary;
  connectPerSecond: number;
  serverCpuPct: number;
}

export interface LatencyResult {
  clients: number;
  connected: number;
  rate: number;
  votesSent: number;
  votesMeasured: number;
  votesFailed: number;
  ackMismatches: number;
  /** Vote send -> `tallies.changed` showing it, at every client (clients x measured votes). */
  endToEnd: Summary;
  /** Vote send -> the first client that saw it: server work plus the coalescing wait. */
  firstClient: Summary;
  /** At each client, arrival - the first arrival of the same broadcast anywhere: fan-out time. */
  fanOut: Summary;
  ack: Summary;
  /** Client x measured vote pairs that never saw the vote (within the grace period). */
  missing: number;
  /** Clients of the run the server disconnected during it (ping timeouts: it fell far behind). */
  dropped: number;
  talliesPerClientPerSecond: number;
  eventsPerClientPerSecond: number;
  serverCpuPct: number;
  loadgenCpuPct: number;
  load: string;
}

export interface ThroughputResult {
  variant: string;
  voters: number;
  inflight: number;
  listeners: number;
  seconds: number;
  sent: number;
  acked: number;
  /** ok acks inside the measured window, per second. */
  votesPerSecond: number;
  refused: Record<string, number>;
  timeouts: number;
  ack: Summary;
  okTotal: number;
  dbVotesDelta: number;
  dbKeysDelta: number;
  dbEventsDelta: number;
  exhausted: boolean;
  serverCpuPct: number;
  /** Server CPU time per acknowledged vote in the measured window (robust on a busy machine). */
  serverCpuMsPerVote: number;
  loadgenCpuPct: number;
  load: string;
}

export interface LoadResult {
  serverBaselineMB: number;
  serverPeakMB: number;
  loadgenPeakMB: number;
  idle: IdleResult | null;
  latency: LatencyResult[];
  throughput: ThroughputResult[];
  unexpectedDisconnects: number;
  connectErrors: Record<string, number>;
  notes: string[];
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Client {
  socket: ClientSocket;
  who: SeededParticipant;
  joined: boolean;
  closing: boolean;
}

interface VoteRecord {
  sentAt: number;
  measured: boolean;
  /** No ok ack (refused or timed out): not counted as missing when no client shows it. */
  failed: boolean;
}

/** What a listener thread answers to `stop`: per position, arrivals[client * cap + k] for its k-th vote. */
interface ThreadRun {
  clients: number;
  positions: Array<[string, Float64Array]>;
  tallies: number;
  events: number;
  dropped: number;
}

/**
 * The listening sockets, spread over worker threads of this process (tests/bench/realtime-listeners.mjs:
 * why threads, and what they record). People are dealt round-robin, so each thread holds an equal share.
 */
class ListenerPool {
  private readonly threads: Worker[];
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(count: number, data: { url: string; cookieName: string; slug: string }) {
    this.threads = Array.from({ length: Math.max(1, count) }, () => {
      const worker = new Worker(new URL("./realtime-listeners.mjs", import.meta.url), { workerData: data });
      worker.on("message", (message: { id: number; ok: boolean; result?: unknown; error?: string }) => {
        const pending = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.ok) pending?.resolve(message.result);
        else pending?.reject(new Error(message.error));
      });
      worker.on("error", (error) => console.error(`[load] listener thread failed: ${error.stack ?? error.message}`));
      return worker;
    });
  }

  private ask<T>(thread: Worker, cmd: string, args: unknown = {}): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      thread.postMessage({ id, cmd, args });
    });
  }

  private all<T>(cmd: string, args: (i: number) => unknown = () => ({})): Promise<T[]> {
    return Promise.all(this.threads.map((thread, i) => this.ask<T>(thread, cmd, args(i))));
  }

  /** Connects and joins these people (dealt round-robin over the threads). */
  async connect(people: SeededParticipant[], concurrency: number) {
    const shares = this.threads.map((_, i) => people.filter((_, k) => k % this.threads.length === i));
    const perThread = Math.max(1, Math.ceil(concurrency / this.threads.length));
    const answers = await this.all<{ connected: number; failed: number; connectMs: number[]; joinMs: number[] }>("connect", (i) => ({ people: shares[i], concurrency: perThread }));
    return {
      connected: answers.reduce((n, a) => n + a.connected, 0),
      failed: answers.reduce((n, a) => n + a.failed, 0),
      connectMs: answers.flatMap((a) => a.connectMs),
      joinMs: answers.flatMap((a) => a.joinMs),
    };
  }

  /** Joined and connected sockets now, and the people they belong to. */
  async count(): Promise<{ connected: number; ids: string[] }> {
    const answers = await this.all<{ connected: number; ids: string[] }>("count");
    return { connected: answers.reduce((n, a) => n + a.connected, 0), ids: answers.flatMap((a) => a.ids) };
  }

  /** Keeps `total` sockets in all (an equal share per thread). */
  async trim(total: number): Promise<void> {
    const n = this.threads.length;
    await this.all("trim", (i) => ({ keep: Math.floor(total / n) + (i < total % n ? 1 : 0) }));
  }

  async reconnect(): Promise<number> {
    return (await this.all<{ again: number }>("reconnect")).reduce((n, a) => n + a.again, 0);
  }

  start(positions: Array<[string, number]>, cap: number, measuredFrom: number): Promise<Array<{ clients: number }>> {
    return this.all("start", () => ({ positions, cap, measuredFrom }));
  }

  stop(): Promise<ThreadRun[]> {
    return this.all<ThreadRun>("stop");
  }

  /** Closes every socket and ends the threads; returns their disconnect and error counts. */
  async close(): Promise<{ unexpectedDisconnects: number; connectErrors: Record<string, number> }> {
    const answers = await this.all<{ unexpectedDisconnects: number; connectErrors: Record<string, number> }>("close");
    await Promise.all(this.threads.map((thread) => thread.terminate()));
    const connectErrors: Record<string, number> = {};
    for (const a of answers) for (const [k, v] of Object.entries(a.connectErrors)) connectErrors[k] = (connectErrors[k] ?? 0) + v;
    return { unexpectedDisconnects: answers.reduce((n, a) => n + a.unexpectedDisconnects, 0), connectErrors };
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
/** Milliseconds on a clock shared with the listener threads (epoch based, sub-millisecond). */
const now = () => performance.timeOrigin + performance.now();
const log = (line: string) => console.log(`[load] ${line}`);

async function main(): Promise<void> {
  const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as LoadConfig;
  const deadline = Date.now() + config.deadlineMs;
  const killer = setTimeout(() => {
    console.error(`[load] deadline of ${config.deadlineMs / 1000} s passed: giving up`);
    process.exit(2);
  }, config.deadlineMs);
  killer.unref();
  const timeLeft = () => deadline - Date.now();

  const { fixture } = config;
  const result: LoadResult = {
    serverBaselineMB: memoryOf(config.serverPid)?.rssMB ?? NaN,
    serverPeakMB: NaN,
    loadgenPeakMB: 0,
    idle: null,
    latency: [],
    throughput: [],
    unexpectedDisconnects: 0,
    connectErrors: {},
    notes: [],
  };
  const trackLoadgenMemory = () => {
    result.loadgenPeakMB = Math.max(result.loadgenPeakMB, process.memoryUsage().rss / 1e6);
  };
  const memoryTimer = setInterval(trackLoadgenMemory, 1000);
  memoryTimer.unref();
  // Rows counted straight from the database, read-only (SQLite file or PostgreSQL).
  const count = await rowCounter(config.databaseUrl);

  const connect = (who: SeededParticipant): Promise<{ client: Client; ms: number } | null> =>
    new Promise((resolve) => {
      const started = now();
      const socket: ClientSocket = io(config.url, {
        path: "/socket.io",
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
        timeout: 20_000,
        extraHeaders: { cookie: `${config.cookieName}=${who.token}` },
      });
      const client: Client = { socket, who, joined: false, closing: false };
      socket.once("connect", () => resolve({ client, ms: now() - started }));
      socket.once("connect_error", (error) => {
        result.connectErrors[error.message] = (result.connectErrors[error.message] ?? 0) + 1;
        socket.close();
        resolve(null);
      });
      socket.on("disconnect", (reason) => {
        if (!client.closing) {
          result.unexpectedDisconnects += 1;
          if (result.unexpectedDisconnects <= 5) log(`unexpected disconnect: ${reason}`);
        }
      });
    });

  const join = (client: Client): Promise<number | null> =>
    new Promise((resolve) => {
      const started = now();
      client.socket.timeout(30_000).emit("consultation.join", { slug: fixture.slug }, (error: Error | null, ack: Ack<unknown>) => {
        if (error || !ack?.ok) {
          const why = error ? "join timeout" : `join ${ack.ok ? "" : `${ack.error.status} ${ack.error.message}`}`;
          result.connectErrors[why] = (result.connectErrors[why] ?? 0) + 1;
          resolve(null);
          return;
        }
        client.joined = true;
        resolve(now() - started);
      });
    });

  /** Connects (and joins) these participants, `connectConcurrency` at a time. */
  const connectMany = async (people: SeededParticipant[], label: string, withJoin: boolean) => {
    const clients: Client[] = [];
    const order = new Map<Client, number>();
    const connectMs: number[] = [];
    const joinMs: number[] = [];
    let failed = 0;
    let next = 0;
    const started = now();
    const worker = async () => {
      for (let i = next++; i < people.length && timeLeft() > 0; i = next++) {
        const opened = await connect(people[i]);
        if (!opened) {
          failed += 1;
          continue;
        }
        connectMs.push(opened.ms);
        if (withJoin) {
          const ms = await join(opened.client);
          if (ms === null) failed += 1;
          else joinMs.push(ms);
        }
        clients.push(opened.client);
        order.set(opened.client, i);
        if (clients.length % 1000 === 0) log(`${label}: ${clients.length}/${people.length} connected${withJoin ? " and joined" : ""}`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, config.connectConcurrency) }, worker));
    clients.sort((a, b) => order.get(a)! - order.get(b)!);
    const seconds = (now() - started) / 1000;
    log(`${label}: ${clients.length} connected, ${failed} failed in ${seconds.toFixed(1)} s (connect p50 ${summarise(connectMs).p50.toFixed(0)} ms, join p50 ${summarise(joinMs).p50.toFixed(0)} ms)`);
    return { clients, failed, connect: summarise(connectMs), join: summarise(joinMs), perSecond: people.length / seconds };
  };

  /** Sockets the server dropped (ping timeouts when it falls far behind) are opened again, same participant, same place. */
  const reconnectInPlace = async (list: Client[], label: string, withJoin: boolean) => {
    let again = 0;
    for (const [i, client] of list.entries()) {
      if (client.socket.connected) continue;
      client.closing = true;
      client.socket.close();
      const opened = await connect(client.who);
      if (!opened) continue;
      if (withJoin && (await join(opened.client)) === null) continue;
      list[i] = opened.client;
      again += 1;
    }
    if (again) {
      log(`${label}: ${again} dropped sockets opened again`);
      result.notes.push(`${label}: ${again} sockets the server had dropped were opened again`);
    }
  };

  const close = (clients: Client[]) => {
    for (const client of clients) {
      client.closing = true;
      client.socket.disconnect();
    }
  };

  /** CPU use of the server and of this process between start() and stop(), as % of one core. */
  const cpuMeter = () => {
    const t0 = now();
    const server0 = cpuMsOf(config.serverPid);
    const self0 = process.cpuUsage();
    return () => {
      const wall = now() - t0;
      const self = process.cpuUsage(self0);
      const serverMs = cpuMsOf(config.serverPid) - server0;
      return { server: (serverMs / wall) * 100, loadgen: ((self.user + self.system) / 1000 / wall) * 100, serverMs };
    };
  };

  // The probe: one more participant's socket, never in the room. Its requests queue behind everything the
  // server still has to do (votes whose client gave up are still applied), so a run starts on a drained server.
  const probeWho = fixture.listeners[fixture.listeners.length - 1];
  let probe: Client | null = null;
  const drain = async (before: string) => {
    const started = now();
    for (let attempt = 0; attempt < 5 && !probe?.socket.connected && timeLeft() > 90_000; attempt++) {
      probe?.socket.close();
      probe = (await connect(probeWho))?.client ?? null;
      if (probe) probe.closing = true;
    }
    if (!probe?.socket.connected) {
      result.notes.push(`before ${before}: the probe could not connect for ${((now() - started) / 1000).toFixed(0)} s (server far behind); going on`);
      log(`before ${before}: the probe could not connect; going on without draining`);
      return;
    }
    const socket = probe.socket;
    const answered = await new Promise<boolean>((resolve) =>
      socket
        .timeout(Math.max(1000, Math.min(120_000, timeLeft() - 60_000)))
        .emit("vote.cast", { slug: fixture.slug, positionId: "bench-probe", choice: "pass", idempotencyKey: `probe-${randomBytes(8).toString("hex")}` }, (error: Error | null) =>
          resolve(!error),
        ),
    );
    const ms = now() - started;
    if (!answered) result.notes.push(`before ${before}: the server did not answer the probe within ${(ms / 1000).toFixed(0)} s`);
    else if (ms > 1000) result.notes.push(`before ${before}: the server needed ${(ms / 1000).toFixed(1)} s to work off what was queued`);
    if (ms > 1000) log(`before ${before}: server drained in ${(ms / 1000).toFixed(1)} s`);
  };

  // ---- idle ----------------------------------------------------------------------------------

  const pool = new ListenerPool(config.listenerThreads, { url: config.url, cookieName: config.cookieName, slug: fixture.slug });
  if (config.phases.includes("idle")) {
    const want = Math.min(config.idleSockets, fixture.listeners.length - 1); // the last listener is the probe
    log(`idle: connecting ${want} sockets in ${config.listenerThreads} threads (server RSS now ${result.serverBaselineMB.toFixed(0)} MB)`);
    const before = memoryOf(config.serverPid);
    const started = now();
    const opened = await pool.connect(fixture.listeners.slice(0, want), config.connectConcurrency);
    const seconds = (now() - started) / 1000;
    log(`idle: ${opened.connected} connected and joined, ${opened.failed} failed in ${seconds.toFixed(1)} s`);
    // Sit idle and read the RSS each second: V8 shrinks the heap only some seconds after allocation stops
    // (its memory reducer), so the figure is the last reading of the idle window, with its lowest and highest.
    const meter = cpuMeter();
    const readings: number[] = [];
    for (let i = 0; i < config.idleSeconds && timeLeft() > 60_000; i++) {
      await sleep(1000);
      readings.push(memoryOf(config.serverPid)?.rssMB ?? NaN);
    }
    const cpu = meter();
    const after = memoryOf(config.serverPid);
    const held = (await pool.count()).connected;
    result.idle = {
      sockets: want,
      connected: held,
      rssLowMB: Math.min(...readings),
      rssHighMB: Math.max(...readings),
      seconds: readings.length,
      failed: opened.failed,
      rssBeforeMB: before?.rssMB ?? NaN,
      rssMB: after?.rssMB ?? NaN,
      peakMB: after?.peakMB ?? NaN,
      kbPerSocket: after && before ? ((after.rssMB - before.rssMB) * 1000) / Math.max(1, opened.connected) : NaN,
      connect: summarise(opened.connectMs),
      join: summarise(opened.joinMs),
      connectPerSecond: want / seconds,
      serverCpuPct: cpu.server,
    };
    log(
      `idle: ${held} sockets held for ${readings.length} s; server RSS ${after?.rssMB.toFixed(0)} MB at the end (${result.idle.rssLowMB.toFixed(0)}-${result.idle.rssHighMB.toFixed(0)} MB while idle, ` +
        `process peak ${after?.peakMB.toFixed(0)} MB, ${result.idle.kbPerSocket.toFixed(1)} kB per socket over the ${result.idle.rssBeforeMB.toFixed(0)} MB before); idle server CPU ${cpu.server.toFixed(1)}%`,
    );
  }

  // ---- latency -------------------------------------------------------------------------------

  if (config.phases.includes("latency")) {
    const P = fixture.latencyPositions.length;
    const V = fixture.latencyVoters.length;
    const sentOn = new Map(fixture.latencyPositions.map((p) => [p.id, p.votes]));
    let sequence = 0; // across runs: vote g is position g % P by voter (g % P + floor(g / P)) % V
    const capacity = P * V;

    const voters = (await connectMany(fixture.latencyVoters, "latency voters", true)).clients;
    for (const target of config.latencyClients) {
      if (timeLeft() < 60_000) {
        result.notes.push(`latency at ${target} clients skipped: deadline near`);
        break;
      }
      const wantListeners = Math.max(0, target - voters.length);
      await reconnectInPlace(voters, `latency voters before ${target}`, true);
      const again = await pool.reconnect();
      if (again) result.notes.push(`listeners before ${target}: ${again} sockets the server had dropped were opened again`);
      const have = await pool.count();
      if (have.ids.length > wantListeners) await pool.trim(wantListeners);
      else if (have.ids.length < wantListeners) {
        const used = new Set(have.ids);
        const people = fixture.listeners.slice(0, -1).filter((p) => !used.has(p.id)); // the last one is the probe
        const started = now();
        const more = await pool.connect(people.slice(0, wantListeners - have.ids.length), config.connectConcurrency);
        log(`listeners to ${target}: ${more.connected} more connected and joined, ${more.failed} failed in ${((now() - started) / 1000).toFixed(1)} s`);
      }
      const liveVoters = voters.filter((c) => c.joined && c.socket.connected);
      await sleep(2000); // presence broadcasts of the joins settle
      await drain(`latency at ${target}`);

      const total = Math.round(config.rate * (config.warmupSeconds + config.latencySeconds));
      if (sequence + total > capacity) {
        result.notes.push(`latency at ${target}: only ${capacity - sequence} new (voter, position) pairs left of ${total}`);
      }
      // Votes on one position in this run: at most this many (vote g goes to position g % P).
      const cap = Math.ceil(total / P) + 1;
      const positions = new Map([...sentOn].map(([id, votes]) => [id, { base: votes, votes: [] as VoteRecord[] }]));
      const start = now() + 100;
      const measuredFrom = start + config.warmupSeconds * 1000;
      const listening = (await pool.start([...sentOn], cap, measuredFrom)).reduce((n, t) => n + t.clients, 0);
      log(
        `latency: ${listening + liveVoters.length} clients (${listening} listening in ${config.listenerThreads} threads, timed; ${liveVoters.length} voters), ` +
          `${config.rate} votes/s for ${config.warmupSeconds} s warm-up + ${config.latencySeconds} s (load ${loadAverage()})`,
      );

      const acks: number[] = [];
      let failed = 0;
      let mismatches = 0;
      let pending = 0;
      let sent = 0;
      let measured = 0;
      const interval = 1000 / config.rate;
      let meter: ReturnType<typeof cpuMeter> | null = null;
      for (let i = 0; i < total && sequence < capacity && timeLeft() > 30_000; i++) {
        await sleep(start + i * interval - now());
        if (!meter && now() >= measuredFrom) meter = cpuMeter();
        const g = sequence++;
        const positionId = fixture.latencyPositions[g % P].id;
        const voter = voters[(g % P + Math.floor(g / P)) % V];
        const position = positions.get(positionId)!;
        const sentAt = now();
        const vote: VoteRecord = { sentAt, measured: sentAt >= measuredFrom, failed: false };
        position.votes.push(vote);
        const expected = position.base + position.votes.length;
        sentOn.set(positionId, expected);
        sent += 1;
        if (vote.measured) measured += 1;
        pending += 1;
        const choice = (["agree", "disagree", "pass"] as const)[g % 3];
        voter.socket
          .timeout(10_000)
          .emit("vote.cast", { slug: fixture.slug, positionId, choice, idempotencyKey: `lat-${g}-${randomBytes(6).toString("hex")}` }, (error: Error | null, ack) => {
            pending -= 1;
            if (error || !ack.ok) {
              failed += 1;
              vote.failed = true;
              if (failed <= 5) log(`latency vote failed: ${error ? error.message : !ack.ok ? `${ack.error.status} ${ack.error.message}` : ""}`);
              return;
            }
            if (vote.measured) acks.push(now() - sentAt);
            const tally = ack.data.tally;
            if (tally.suppressed || tally.total !== expected) mismatches += 1;
          });
      }
      const cpu = meter ? meter() : { server: NaN, loadgen: NaN, serverMs: NaN };
      for (let waited = 0; (pending > 0 || waited < 3000) && waited < 15_000; waited += 100) await sleep(100);
      const runs = await pool.stop();
      const runSeconds = config.latencySeconds;

      // Every timed client x measured vote: when that client first saw a tally including the vote.
      const timed = runs.reduce((n, r) => n + r.clients, 0);
      const arrivals = runs.map((r) => new Map(r.positions));
      const samples: number[] = [];
      const fanOut: number[] = [];
      const firstClient: number[] = [];
      let missing = 0;
      for (const [id, position] of positions) {
        for (const [k, vote] of position.votes.entries()) {
          if (!vote.measured || k >= cap) continue;
          const seen: number[] = [];
          for (const [t, threadRun] of runs.entries()) {
            const at = arrivals[t].get(id);
            if (!at) continue;
            for (let c = 0; c < threadRun.clients; c++) if (!Number.isNaN(at[c * cap + k])) seen.push(at[c * cap + k]);
          }
          if (!vote.failed) missing += timed - seen.length;
          if (!seen.length) continue;
          const first = Math.min(...seen);
          firstClient.push(first - vote.sentAt);
          for (const at of seen) {
            samples.push(at - vote.sentAt);
            fanOut.push(at - first);
          }
        }
      }
      const entry: LatencyResult = {
        clients: target,
        connected: listening + liveVoters.length,
        rate: config.rate,
        votesSent: sent,
        votesMeasured: measured,
        votesFailed: failed,
        ackMismatches: mismatches,
        endToEnd: summarise(samples),
        firstClient: summarise(firstClient),
        fanOut: summarise(fanOut),
        ack: summarise(acks),
        missing,
        dropped: runs.reduce((n, r) => n + r.dropped, 0) + liveVoters.filter((c) => !c.socket.connected).length,
        talliesPerClientPerSecond: runs.reduce((n, r) => n + r.tallies, 0) / Math.max(1, timed) / runSeconds,
        eventsPerClientPerSecond: runs.reduce((n, r) => n + r.events, 0) / Math.max(1, timed) / runSeconds,
        serverCpuPct: cpu.server,
        loadgenCpuPct: cpu.loadgen,
        load: loadAverage(),
      };
      result.latency.push(entry);
      log(
        `latency at ${entry.connected} clients: vote->tally p50 ${entry.endToEnd.p50.toFixed(0)} ms, p99 ${entry.endToEnd.p99.toFixed(0)} ms ` +
          `(first client p50 ${entry.firstClient.p50.toFixed(0)} / p99 ${entry.firstClient.p99.toFixed(0)}, fan-out p99 ${entry.fanOut.p99.toFixed(0)}); ` +
          `${entry.endToEnd.n} samples, ${missing} missing, ${failed} failed, ${entry.dropped} clients dropped; server CPU ${cpu.server.toFixed(0)}%, load generator ${cpu.loadgen.toFixed(0)}%`,
      );
    }
    close(voters);
  }
  const closed = await pool.close();
  result.unexpectedDisconnects += closed.unexpectedDisconnects;
  for (const [k, v] of Object.entries(closed.connectErrors)) result.connectErrors[k] = (result.connectErrors[k] ?? 0) + v;

  // ---- throughput ----------------------------------------------------------------------------

  if (config.phases.includes("throughput")) {
    await sleep(1000);
    const positions = fixture.throughputPositions;
    await drain("throughput");
    const opened = await connectMany(fixture.throughputVoters.slice(0, Math.max(1, config.inflight)), "throughput voters", false);
    const voters = opened.clients;
    // Each voter walks the throughput positions from its own offset; a (voter, position) pair is used once.
    const cursor = new Map(voters.map((v, i) => [v, { next: (i * 7) % positions.length, used: 0 }]));
    const votesIn = () => count(`SELECT COUNT(*) AS n FROM "Vote" WHERE "consultationId" = ?`, fixture.consultationId);
    const keysIn = () => count(`SELECT COUNT(*) AS n FROM "ProcessedRequest" WHERE "consultationId" = ?`, fixture.consultationId);
    const eventsIn = () => count(`SELECT COUNT(*) AS n FROM "ConsultationEvent" WHERE "consultationId" = ? AND "type" = 'vote.cast'`, fixture.consultationId);

    const variants: Array<{ name: string; inRoom: boolean }> = [
      { name: "voters not in the room", inRoom: false },
      { name: "voters in the room", inRoom: true },
    ];
    for (const variant of variants) {
      if (timeLeft() < 60_000) {
        result.notes.push(`throughput (${variant.name}) skipped: deadline near`);
        break;
      }
      if (variant.inRoom) {
        await Promise.all(voters.filter((v) => !v.joined).map((v) => join(v)));
        await sleep(1500);
      }
      await drain(`throughput (${variant.name})`);
      const before = { votes: await votesIn(), keys: await keysIn(), events: await eventsIn() };
      const perVoter = Math.max(1, Math.round(config.inflight / Math.max(1, voters.length)));
      log(`throughput (${variant.name}): ${voters.length} voters x ${perVoter} in flight, ${config.warmupSeconds} s warm-up + ${config.throughputSeconds} s (load ${loadAverage()})`);
      const start = now();
      const measureFrom = start + config.warmupSeconds * 1000;
      const stopAt = measureFrom + config.throughputSeconds * 1000;
      const acks: number[] = [];
      const refused: Record<string, number> = {};
      let timeouts = 0;
      let sent = 0;
      let okTotal = 0;
      let okInWindow = 0;
      let okSinceWarmup = 0; // what the CPU meter covers
      let exhausted = false;
      let meter: ReturnType<typeof cpuMeter> | null = null;
      const meterTimer = setTimeout(() => (meter = cpuMeter()), config.warmupSeconds * 1000);
      const slot = async (voter: Client) => {
        const walk = cursor.get(voter)!;
        while (now() < stopAt && timeLeft() > 30_000) {
          if (walk.used >= positions.length) {
            exhausted = true;
            return;
          }
          const positionId = positions[walk.next];
          walk.next = (walk.next + 1) % positions.length;
          walk.used += 1;
          const sentAt = now();
          sent += 1;
          const outcome = await new Promise<{ error: Error | null; ack?: Ack<unknown> }>((resolve) =>
            voter.socket
              .timeout(10_000)
              .emit(
                "vote.cast",
                { slug: fixture.slug, positionId, choice: sent % 2 ? "agree" : "disagree", idempotencyKey: `tp-${sent}-${randomBytes(6).toString("hex")}` },
                (error: Error | null, ack) => resolve({ error, ack }),
              ),
          );
          const at = now();
          if (outcome.error) timeouts += 1;
          else if (!outcome.ack!.ok) {
            const key = `${outcome.ack!.error.status} ${outcome.ack!.error.message}`;
            refused[key] = (refused[key] ?? 0) + 1;
            if (outcome.ack!.error.status === 429) await sleep(100);
          } else {
            okTotal += 1;
            if (sentAt >= measureFrom) acks.push(at - sentAt);
            if (at >= measureFrom && at <= stopAt) okInWindow += 1;
            if (at >= measureFrom) okSinceWarmup += 1;
          }
        }
      };
      await Promise.all(voters.flatMap((voter) => Array.from({ length: perVoter }, () => slot(voter))));
      clearTimeout(meterTimer);
      const cpu = (meter as ReturnType<typeof cpuMeter> | null)?.() ?? { server: NaN, loadgen: NaN, serverMs: NaN };
      await sleep(500);
      const after = { votes: await votesIn(), keys: await keysIn(), events: await eventsIn() };
      const entry: ThroughputResult = {
        variant: variant.name,
        voters: voters.length,
        inflight: voters.length * perVoter,
        listeners: variant.inRoom ? voters.length : 0,
        seconds: config.throughputSeconds,
        sent,
        acked: okTotal,
        votesPerSecond: okInWindow / config.throughputSeconds,
        refused,
        timeouts,
        ack: summarise(acks),
        okTotal,
        dbVotesDelta: after.votes - before.votes,
        dbKeysDelta: after.keys - before.keys,
        dbEventsDelta: after.events - before.events,
        exhausted,
        serverCpuPct: cpu.server,
        serverCpuMsPerVote: cpu.serverMs / Math.max(1, okSinceWarmup),
        loadgenCpuPct: cpu.loadgen,
        load: loadAverage(),
      };
      result.throughput.push(entry);
      log(
        `throughput (${variant.name}): ${entry.votesPerSecond.toFixed(0)} acknowledged votes/s, ack p50 ${entry.ack.p50.toFixed(0)} ms p99 ${entry.ack.p99.toFixed(0)} ms; ` +
          `${okTotal} ok, ${Object.values(refused).reduce((a, b) => a + b, 0)} refused, ${timeouts} timeouts; in the database +${entry.dbVotesDelta} votes, +${entry.dbKeysDelta} keys, +${entry.dbEventsDelta} events; ` +
          `server CPU ${cpu.server.toFixed(0)}% (${entry.serverCpuMsPerVote.toFixed(1)} ms a vote), load generator ${cpu.loadgen.toFixed(0)}%`,
      );
      if (exhausted) result.notes.push(`throughput (${variant.name}): some voters ran out of positions to vote on`);
    }
    close(voters);
  }

  (probe as Client | null)?.socket.disconnect();
  result.serverPeakMB = memoryOf(config.serverPid)?.peakMB ?? NaN;
  trackLoadgenMemory();
  fs.writeFileSync(config.resultPath, JSON.stringify(result, null, 2));
  await sleep(300);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(`[load] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});


/** `count(sql, ...args)` on the benchmark's database: SQL with `?` placeholders, one `n` column. */
async function rowCounter(databaseUrl: string): Promise<(sql: string, ...args: unknown[]) => Promise<number>> {
  if (databaseUrl.startsWith("file:")) {
    const db = new Database(databaseUrl.slice("file:".length), { readonly: true, fileMustExist: true });
    return async (sql, ...args) => (db.prepare(sql).get(...args) as { n: number }).n;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return async (sql, ...args) => {
    let i = 0;
    const { rows } = await client.query<{ n: string }>(sql.replace(/\?/g, () => `$${++i}`), args);
    return Number(rows[0].n);
  };
}
