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
 *               acknowledged votes per second, ack latency, and the rows really in SQLite afterwards
 *
 * Run by the orchestrator only: `node --import tsx tests/bench/realtime-load.ts <config.json>`; writes its
 * figures to the config's resultPath. Every loop is bounded by a count and a deadline.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents, TallyUpdate } from "../../realtime/event-map";
import type { Fixture, SeededParticipant } from "./realtime-seed";
import { cpuMsOf, loadAverage, memoryOf, summarise, type Summary } from "./realtime-stats";

export type Phase = "idle" | "latency" | "throughput";

export interface LoadConfig {
  url: string;
  serverPid: number;
  dbPath: string;
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
  /** Highest tally total seen per latency position in the current run. */
  reflected: Map<string, number>;
}

interface VoteRecord {
  sentAt: number;
  measured: boolean;
  /** No ok ack (refused or timed out): not counted as missing when no client shows it. */
  failed: boolean;
  reflections: number;
  firstSeen: number;
}

interface LatencyRun {
  positions: Map<string, { base: number; votes: VoteRecord[] }>;
  measuredFrom: number;
  samples: number[];
  fanOut: number[];
  firstArrival: Map<string, number>;
  tallies: number;
  events: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
const now = () => performance.now();
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
  const db = new Database(config.dbPath, { readonly: true, fileMustExist: true });
  const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;

  let run: LatencyRun | null = null;

  // ---- sockets -------------------------------------------------------------------------------

  const onTallies = (client: Client, updates: TallyUpdate[]) => {
    const at = now();
    const current = run;
    if (!current) return;
    if (at >= current.measuredFrom) current.tallies += 1;
    const key = JSON.stringify(updates);
    let first = current.firstArrival.get(key);
    if (first === undefined) current.firstArrival.set(key, (first = at));
    for (const update of updates) {
      const position = current.positions.get(update.positionId);
      if (!position || update.tally.suppressed) continue;
      const previous = client.reflected.get(update.positionId) ?? position.base;
      const upTo = Math.min(update.tally.total - position.base, position.votes.length);
      for (let k = previous - position.base; k < upTo; k++) {
        const vote = position.votes[k];
        const latency = at - vote.sentAt;
        vote.reflections += 1;
        if (latency < vote.firstSeen) vote.firstSeen = latency;
        if (vote.measured) {
          current.samples.push(latency);
          current.fanOut.push(at - first);
        }
      }
      if (update.tally.total > previous) client.reflected.set(update.positionId, update.tally.total);
    }
  };

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
      const client: Client = { socket, who, joined: false, closing: false, reflected: new Map() };
      socket.on("tallies.changed", (updates) => onTallies(client, updates));
      socket.on("consultation.event", () => {
        if (run && now() >= run.measuredFrom) run.events += 1;
      });
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

  let listeners: Client[] = [];
  if (config.phases.includes("idle")) {
    const want = Math.min(config.idleSockets, fixture.listeners.length - 1); // the last listener is the probe
    log(`idle: connecting ${want} sockets (server RSS now ${result.serverBaselineMB.toFixed(0)} MB)`);
    const before = memoryOf(config.serverPid);
    const opened = await connectMany(fixture.listeners.slice(0, want), "idle", true);
    listeners = opened.clients;
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
    const held = listeners.filter((c) => c.socket.connected).length;
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
      kbPerSocket: after && before ? ((after.rssMB - before.rssMB) * 1000) / Math.max(1, listeners.length) : NaN,
      connect: opened.connect,
      join: opened.join,
      connectPerSecond: opened.perSecond,
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
      if (listeners.length > wantListeners) close(listeners.splice(wantListeners));
      await reconnectInPlace(listeners, `listeners before ${target}`, true);
      if (listeners.length < wantListeners) {
        const used = new Set(listeners.map((c) => c.who.id));
        const pool = fixture.listeners.slice(0, -1).filter((p) => !used.has(p.id)); // the last one is the probe
        const more = await connectMany(pool.slice(0, wantListeners - listeners.length), `listeners to ${target}`, true);
        listeners.push(...more.clients);
      }
      const clients = [...voters, ...listeners].filter((c) => c.joined && c.socket.connected);
      await sleep(2000); // presence broadcasts of the joins settle
      await drain(`latency at ${target}`);

      const total = Math.round(config.rate * (config.warmupSeconds + config.latencySeconds));
      if (sequence + total > capacity) {
        result.notes.push(`latency at ${target}: only ${capacity - sequence} new (voter, position) pairs left of ${total}`);
      }
      const current: LatencyRun = {
        positions: new Map([...sentOn].map(([id, votes]) => [id, { base: votes, votes: [] }])),
        measuredFrom: Infinity,
        samples: [],
        fanOut: [],
        firstArrival: new Map(),
        tallies: 0,
        events: 0,
      };
      for (const client of clients) client.reflected = new Map([...sentOn]);
      run = current;
      log(`latency: ${clients.length} clients, ${config.rate} votes/s for ${config.warmupSeconds} s warm-up + ${config.latencySeconds} s (load ${loadAverage()})`);

      const acks: number[] = [];
      let failed = 0;
      let mismatches = 0;
      let pending = 0;
      let sent = 0;
      let measured = 0;
      const interval = 1000 / config.rate;
      const start = now();
      current.measuredFrom = start + config.warmupSeconds * 1000;
      let meter: ReturnType<typeof cpuMeter> | null = null;
      for (let i = 0; i < total && sequence < capacity && timeLeft() > 30_000; i++) {
        await sleep(start + i * interval - now());
        if (!meter && now() >= current.measuredFrom) meter = cpuMeter();
        const g = sequence++;
        const positionId = fixture.latencyPositions[g % P].id;
        const voter = voters[(g % P + Math.floor(g / P)) % V];
        const position = current.positions.get(positionId)!;
        const sentAt = now();
        const vote: VoteRecord = { sentAt, measured: sentAt >= current.measuredFrom, failed: false, reflections: 0, firstSeen: Infinity };
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
      run = null;
      const runSeconds = config.latencySeconds;

      let missing = 0;
      const firstClient: number[] = [];
      for (const position of current.positions.values()) {
        for (const vote of position.votes) {
          if (!vote.measured) continue;
          if (!vote.failed) missing += Math.max(0, clients.length - vote.reflections);
          if (Number.isFinite(vote.firstSeen)) firstClient.push(vote.firstSeen);
        }
      }
      const entry: LatencyResult = {
        clients: target,
        connected: clients.length,
        rate: config.rate,
        votesSent: sent,
        votesMeasured: measured,
        votesFailed: failed,
        ackMismatches: mismatches,
        endToEnd: summarise(current.samples),
        firstClient: summarise(firstClient),
        fanOut: summarise(current.fanOut),
        ack: summarise(acks),
        missing,
        dropped: clients.filter((c) => !c.socket.connected).length,
        talliesPerClientPerSecond: current.tallies / clients.length / runSeconds,
        eventsPerClientPerSecond: current.events / clients.length / runSeconds,
        serverCpuPct: cpu.server,
        loadgenCpuPct: cpu.loadgen,
        load: loadAverage(),
      };
      result.latency.push(entry);
      log(
        `latency at ${clients.length} clients: vote->tally p50 ${entry.endToEnd.p50.toFixed(0)} ms, p99 ${entry.endToEnd.p99.toFixed(0)} ms ` +
          `(first client p50 ${entry.firstClient.p50.toFixed(0)} / p99 ${entry.firstClient.p99.toFixed(0)}, fan-out p99 ${entry.fanOut.p99.toFixed(0)}); ` +
          `${entry.endToEnd.n} samples, ${missing} missing, ${failed} failed, ${entry.dropped} clients dropped; server CPU ${cpu.server.toFixed(0)}%, load generator ${cpu.loadgen.toFixed(0)}%`,
      );
    }
    close(voters);
  }
  close(listeners);
  listeners = [];

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
      const before = { votes: votesIn(), keys: keysIn(), events: eventsIn() };
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
      const after = { votes: votesIn(), keys: keysIn(), events: eventsIn() };
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
          `${okTotal} ok, ${Object.values(refused).reduce((a, b) => a + b, 0)} refused, ${timeouts} timeouts; in SQLite +${entry.dbVotesDelta} votes, +${entry.dbKeysDelta} keys, +${entry.dbEventsDelta} events; ` +
          `server CPU ${cpu.server.toFixed(0)}% (${entry.serverCpuMsPerVote.toFixed(1)} ms a vote), load generator ${cpu.loadgen.toFixed(0)}%`,
      );
      if (exhausted) result.notes.push(`throughput (${variant.name}): some voters ran out of positions to vote on`);
    }
    close(voters);
  }

  (probe as Client | null)?.socket.disconnect();
  result.serverPeakMB = memoryOf(config.serverPid)?.peakMB ?? NaN;
  trackLoadgenMemory();
  db.close();
  fs.writeFileSync(config.resultPath, JSON.stringify(result, null, 2));
  await sleep(300);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(`[load] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
