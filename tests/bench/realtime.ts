/**
 * Realtime benchmark (issue 4): the socket.io server under load, on this machine, with the load in a
 * second process. Prints progress lines and a markdown table; asserts nothing (exit 0 unless it broke).
 *
 *   node --import tsx tests/bench/realtime.ts [options]       (npm run bench -- realtime)
 *
 *   --phases=idle,latency,throughput   which measurements (default all three, in that order)
 *   --idle=5000 --idle-seconds=30      idle sockets held for the RSS figure, and for how long
 *   --clients=1000,2000                connected clients of each latency run
 *   --rate=50                          votes per second during latency runs
 *   --seconds=15 --warmup=2            measured and warm-up seconds of each latency run
 *   --throughput-seconds=10            measured seconds of each throughput run
 *   --inflight=200                     votes in flight at once during throughput runs
 *   --listener-threads=2               threads of the load generator holding the listening sockets
 *   --profile                          run the server with --cpu-prof and print where its time went
 *   --reuse-seed                       reuse the seeded template database of an earlier run (same plan)
 *   --keep                             keep the run's directory (database, logs, profile)
 *   --database=postgresql              run the server on PostgreSQL (a private server on loopback,
 *                                      tests/setup/postgres-server.ts) instead of SQLite
 *
 * Steps: a fresh migrated SQLite database (tests/setup/sqlite-files.ts) seeded through the domain services
 * (tests/bench/realtime-seed.ts: one consultation in the positions phase, participants with sessions);
 * process 1, the server: `node build/server.js` (the production entry, built by realtime/build-server.mjs
 * when missing or stale) on 127.0.0.1 with PORT=0 and that DATABASE_URL; process 2, the load generator
 * (tests/bench/realtime-load.ts) with socket.io-client.
 * Both children are killed when this process ends, whatever the reason.
 *
 * Targets (issue 4): 2,000 clients with vote->tally p99 <= 150 ms at 50 votes/s; >= 1,000 acknowledged
 * votes/s persisted on SQLite; 5,000 idle sockets under 400 MB RSS.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TALLY_COALESCE_MS } from "../../realtime/event-map";
import { secureCookiesFor, sessionCookieNameFor } from "../../consultations/session-cookie";
import { fileUrl, TMP_DIR } from "../setup/paths";
import { migrateFreshDatabase, removeDatabaseFiles } from "../setup/sqlite-files";
import type { LoadConfig, LoadResult, Phase } from "./realtime-load";
import type { Fixture, SeedPlan } from "./realtime-seed";
import { fmt, loadAverage, memoryOf } from "./realtime-stats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const started = Date.now();
const log = (line: string) => console.log(`[realtime ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

// ---- options ---------------------------------------------------------------------------------

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, "").split("=", 2);
    return [key, value ?? "true"] as const;
  }),
);
const numberArg = (name: string, fallback: number) => {
  const value = Number(args.get(name) ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
};
const phases = (args.get("phases") ?? "idle,latency,throughput").split(",").filter(Boolean) as Phase[];
for (const phase of phases) if (!["idle", "latency", "throughput"].includes(phase)) throw new Error(`unknown phase ${phase}`);
const idleSockets = numberArg("idle", 5000);
const idleSeconds = numberArg("idle-seconds", 30);
const latencyClients = (args.get("clients") ?? "1000,2000").split(",").map(Number);
const rate = numberArg("rate", 50);
const latencySeconds = numberArg("seconds", 15);
const warmupSeconds = numberArg("warmup", 2);
const throughputSeconds = numberArg("throughput-seconds", 10);
const inflight = numberArg("inflight", 200);
const listenerThreads = Math.max(1, numberArg("listener-threads", 2));
const profile = args.has("profile");
const database = args.get("database") ?? "sqlite";
if (database !== "sqlite" && database !== "postgresql") throw new Error("--database must be sqlite or postgresql");
const keep = args.has("keep");

// Enough of everyone for the chosen runs, and no (voter, position) pair used twice. At least the default
// plan, whatever the options, so one seeded template serves every run up to the defaults (--reuse-seed).
const latencyVoters = 20;
const latencyVotes = Math.ceil(rate * (latencySeconds + warmupSeconds)) * latencyClients.length;
const plan: SeedPlan = {
  listeners: Math.max(5000, idleSockets, ...latencyClients.map((c) => c - latencyVoters)) + 1, // + 1: the probe
  latencyVoters,
  throughputVoters: Math.max(200, Math.min(1000, inflight)),
  latencyPositions: Math.max(100, Math.ceil(latencyVotes / latencyVoters) + 1),
  throughputPositions: 300,
  preVotes: 5,
};

// ---- children, always cleaned up ---------------------------------------------------------------

const children = new Set<ChildProcess>();
function killChildren(signal: NodeJS.Signals = "SIGKILL") {
  for (const child of children) if (child.exitCode === null && child.pid) child.kill(signal);
}
process.on("exit", () => killChildren("SIGKILL"));
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    console.error(`[realtime] ${signal}: stopping the server and the load generator`);
    killChildren("SIGKILL");
    process.exit(130);
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => resolve(null), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

// ---- database ----------------------------------------------------------------------------------

const runDir = path.join(TMP_DIR, "bench-realtime", `run-${process.pid}`);
fs.mkdirSync(runDir, { recursive: true });
const dbPath = path.join(runDir, "bench.db");

/** Template key: the plan and the migrations (a new migration means a new template). */
function templateKey(): string {
  const migrations = fs.readdirSync(path.join(ROOT, "prisma", "migrations")).sort().join(",");
  return createHash("sha256").update(JSON.stringify(plan)).update(migrations).digest("hex").slice(0, 12);
}

async function prepareDatabase(): Promise<{ fixture: Fixture; url: string }> {
  return database === "postgresql" ? preparePostgres() : { fixture: await prepareSqlite(), url: fileUrl(dbPath) };
}

async function seedInto(url: string, fixtureFile: string): Promise<Fixture> {
  process.env.POLYPHONY_FAST_HASH = "1";
  process.env.DATABASE_URL = url;
  const { createDb } = await import("../../consultations/db/client");
  const { seedRealtimeBench } = await import("./realtime-seed");
  const db = await createDb(url);
  try {
    const fixture = await seedRealtimeBench(db, plan, (line) => log(`seed: ${line}`));
    fs.writeFileSync(fixtureFile, JSON.stringify(fixture));
    log(`seeded in ${(fixture.seedMs / 1000).toFixed(1)} s`);
    return fixture;
  } finally {
    await db.$disconnect();
  }
}

async function prepareSqlite(): Promise<Fixture> {
  const templateDir = path.join(TMP_DIR, "bench-realtime");
  const template = path.join(templateDir, `seed-${templateKey()}.db`);
  const fixtureFile = `${template}.json`;
  const fresh = !args.has("reuse-seed") || !fs.existsSync(template) || !fs.existsSync(fixtureFile) || Date.now() - fs.statSync(template).mtimeMs > 24 * 3600_000;
  if (fresh) {
    log(`seeding a fresh database: ${plan.listeners + plan.latencyVoters + plan.throughputVoters} participants with sessions, ${plan.latencyPositions + plan.throughputPositions} positions`);
    migrateFreshDatabase(template);
    await seedInto(fileUrl(template), fixtureFile);
  } else {
    log(`reusing the seeded template ${path.relative(ROOT, template)}`);
  }
  removeDatabaseFiles(dbPath);
  fs.copyFileSync(template, dbPath);
  return JSON.parse(fs.readFileSync(fixtureFile, "utf8")) as Fixture;
}

/** PostgreSQL: a seeded template database (kept for --reuse-seed), copied for the run (CREATE DATABASE ... TEMPLATE). */
async function preparePostgres(): Promise<{ fixture: Fixture; url: string }> {
  const { startPostgres } = await import("../setup/postgres-server");
  const { migratePostgres } = await import("../../consultations/db/migrations");
  const pg = (await import("pg")).default;
  const server = startPostgres();
  const at = (name: string) => Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  const template = `polyphony_bench_${templateKey()}`;
  const run = `polyphony_bench_run_${process.pid}`;
  const fixtureFile = path.join(TMP_DIR, "bench-realtime", `${template}.json`);
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template])).rowCount === 1;
    if (!args.has("reuse-seed") || !exists || !fs.existsSync(fixtureFile)) {
      log(`seeding a fresh PostgreSQL database: ${plan.listeners + plan.latencyVoters + plan.throughputVoters} participants with sessions`);
      await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${template}"`);
      await migratePostgres(at(template));
      await seedInto(at(template), fixtureFile);
    } else {
      log(`reusing the seeded template database ${template}`);
    }
    await admin.query(`DROP DATABASE IF EXISTS "${run}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${run}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  process.on("exit", () => {
    spawnSync(process.execPath, ["-e", `const pg=require("pg");const c=new pg.Client({connectionString:${JSON.stringify(server)}});c.connect().then(()=>c.query('DROP DATABASE IF EXISTS "${run}" WITH (FORCE)')).finally(()=>c.end())`], { cwd: ROOT });
  });
  return { fixture: JSON.parse(fs.readFileSync(fixtureFile, "utf8")) as Fixture, url: at(run) };
}

// ---- server ------------------------------------------------------------------------------------

interface Server {
  child: ChildProcess;
  url: string;
  errors: string[];
}

/**
 * The server is the production one: build/server.js (realtime/build-server.mjs), run by plain `node` as
 * `npm start` does. It is built first when missing or older than any of its sources.
 */
async function startServer(databaseUrl: string): Promise<Server> {
  if (!fs.existsSync(path.join(ROOT, "build", "index.js"))) {
    log("no Remix build: running `npx remix build`");
    const built = spawnSync("npx", ["remix", "build"], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("remix build failed");
  }
  const { buildServer, serverBuildIsCurrent, OUTFILE } = (await import(pathToFileURL(path.join(ROOT, "realtime", "build-server.mjs")).href)) as {
    buildServer(options?: { quiet?: boolean }): Promise<number>;
    serverBuildIsCurrent(): boolean;
    OUTFILE: string;
  };
  if (!serverBuildIsCurrent()) {
    log("build/server.js is missing or older than its sources: building it (realtime/build-server.mjs)");
    await buildServer();
  }
  const logFile = fs.createWriteStream(path.join(runDir, "server.log"));
  const child = spawn(
    process.execPath,
    [...(profile ? ["--cpu-prof", `--cpu-prof-dir=${runDir}`] : []), path.relative(ROOT, OUTFILE)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        NODE_ENV: "production",
        POLYPHONY_INSECURE_COOKIES: "1",
        POLYPHONY_FAST_HASH: "",
        POLYPHONY_RATE_LIMITS: "off", // 200 voters at ~10 votes/s each is far over the per-participant limit
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.add(child);
  const errors: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start listening within 60 s (see server.log)")), 60_000);
    let buffer = "";
    const onLine = (line: string) => {
      logFile.write(`${line}\n`);
      if (/"level":"(error|fatal)"/.test(line) || /Error/.test(line)) {
        errors.push(line);
        if (errors.length <= 5) console.error(`[server] ${line.slice(0, 300)}`);
      }
      const match = /"msg":"listening".*"port":(\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    const reader = (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      lines.forEach(onLine);
    };
    child.stdout!.on("data", reader);
    child.stderr!.on("data", reader);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening (see ${path.relative(ROOT, runDir)}/server.log)`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, errors };
}

async function stopServer(server: Server): Promise<void> {
  server.child.kill("SIGTERM");
  if ((await exited(server.child, 15_000)) === null) {
    log("the server did not stop within 15 s: killing it");
    server.child.kill("SIGKILL");
    await exited(server.child, 5000);
  }
}

// ---- report ------------------------------------------------------------------------------------

function report(result: LoadResult, fixture: Fixture): string {
  const lines: string[] = [];
  const ok = (met: boolean | null) => (met === null ? "-" : met ? "yes" : "NO");
  const big = (n: number) => n.toLocaleString("en-GB");
  lines.push(`| Measure | Measured | Target | Met |`, `|---|---|---|---|`);
  if (result.idle) {
    const idle = result.idle;
    lines.push(`| Idle sockets held (connected and joined) | ${big(idle.connected)} of ${big(idle.sockets)} | 5,000 | ${ok(idle.connected >= 5000)} |`);
    lines.push(
      `| Server RSS with them, after ${idle.seconds} s idle | ${fmt(idle.rssMB)} MB (${fmt(idle.rssLowMB)}-${fmt(idle.rssHighMB)} MB while idle; ${fmt(idle.rssBeforeMB)} MB before connecting, ${fmt(idle.kbPerSocket, 1)} kB a socket; process peak ${fmt(idle.peakMB)} MB) | < 400 MB | ${ok(idle.connected >= 5000 ? idle.rssMB < 400 : null)} |`,
    );
  }
  for (const run of result.latency) {
    const target = run.clients === 2000 && run.rate === 50;
    lines.push(
      `| Vote->tally p50 / p99, ${big(run.connected)} clients, ${run.rate} votes/s | ${fmt(run.endToEnd.p50)} / ${fmt(run.endToEnd.p99)} ms (${big(run.endToEnd.n)} samples, ${big(run.missing)} missing, ${run.votesFailed} votes failed, ${run.dropped} clients dropped) | ${target ? "p99 <= 150 ms" : "(p99 <= 150 ms at 2,000)"} | ${ok(target ? run.endToEnd.n > 0 && run.endToEnd.p99 <= 150 && run.missing === 0 && run.votesFailed === 0 && run.dropped === 0 : null)} |`,
    );
  }
  for (const run of result.throughput) {
    const target = run.variant === "voters not in the room";
    lines.push(
      `| Acknowledged votes/s persisted (${run.variant}, ${run.inflight} in flight) | ${fmt(run.votesPerSecond)} /s, ack p50 ${fmt(run.ack.p50)} / p99 ${fmt(run.ack.p99)} ms; ${database === "postgresql" ? "PostgreSQL" : "SQLite"} +${big(run.dbVotesDelta)} votes for ${big(run.okTotal)} ok acks | ${target ? ">= 1,000 /s" : "-"} | ${ok(target ? run.okTotal > 0 && run.votesPerSecond >= 1000 && run.dbVotesDelta === run.okTotal : null)} |`,
    );
  }
  if (result.latency.length) {
    lines.push(
      "",
      `Latency runs in detail (ms; tallies are coalesced: TALLY_COALESCE_MS = ${TALLY_COALESCE_MS}):`,
      "",
      "| Clients | Votes measured / failed | Vote->tally p50 / p90 / p99 / max | Vote->first client p50 / p99 | Fan-out p50 / p99 | Ack p50 / p99 | tallies.changed / consultation.event per client per s | Server CPU | Load gen CPU | Load average |",
      "|---:|---|---|---|---|---|---|---:|---:|---|",
      ...result.latency.map(
        (r) =>
          `| ${big(r.connected)} | ${r.votesMeasured} / ${r.votesFailed} | ${fmt(r.endToEnd.p50)} / ${fmt(r.endToEnd.p90)} / ${fmt(r.endToEnd.p99)} / ${fmt(r.endToEnd.max)} | ${fmt(r.firstClient.p50)} / ${fmt(r.firstClient.p99)} | ${fmt(r.fanOut.p50)} / ${fmt(r.fanOut.p99)} | ${fmt(r.ack.p50)} / ${fmt(r.ack.p99)} | ${fmt(r.talliesPerClientPerSecond, 1)} / ${fmt(r.eventsPerClientPerSecond, 1)} | ${fmt(r.serverCpuPct)}% | ${fmt(r.loadgenCpuPct)}% | ${r.load} |`,
      ),
    );
  }
  if (result.throughput.length) {
    lines.push(
      "",
      "Throughput runs in detail:",
      "",
      "| Variant | Votes/s | Ack p50 / p90 / p99 / max ms | ok acks | refused | timeouts | database +votes / +keys / +vote events | Server CPU | Server CPU a vote | Load gen CPU | Load average |",
      "|---|---:|---|---:|---|---:|---|---:|---:|---:|---|",
      ...result.throughput.map(
        (r) =>
          `| ${r.variant} | ${fmt(r.votesPerSecond)} | ${fmt(r.ack.p50)} / ${fmt(r.ack.p90)} / ${fmt(r.ack.p99)} / ${fmt(r.ack.max)} | ${r.okTotal} | ${Object.entries(r.refused).map(([k, v]) => `${v} x ${k}`).join("; ") || "0"} | ${r.timeouts} | ${r.dbVotesDelta} / ${r.dbKeysDelta} / ${r.dbEventsDelta} | ${fmt(r.serverCpuPct)}% | ${fmt(r.serverCpuMsPerVote, 1)} ms | ${fmt(r.loadgenCpuPct)}% | ${r.load} |`,
      ),
    );
  }
  lines.push(
    "",
    `Server: baseline RSS ${fmt(result.serverBaselineMB)} MB, peak ${fmt(result.serverPeakMB)} MB. Load generator peak RSS ${fmt(result.loadgenPeakMB)} MB. ` +
      `Unexpected disconnects: ${result.unexpectedDisconnects}. Connection errors: ${JSON.stringify(result.connectErrors)}. Seeded ${big(fixture.listeners.length + fixture.latencyVoters.length + fixture.throughputVoters.length)} participants.`,
  );
  for (const note of result.notes) lines.push(`Note: ${note}`);
  return lines.join("\n");
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(
    `# Realtime benchmark on ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${loadAverage()}; phases ${phases.join(", ")}`,
  );
  const hardLimit = Number(spawnSync("sh", ["-c", "ulimit -Hn"], { encoding: "utf8" }).stdout.trim());
  const needed = Math.max(idleSockets, ...latencyClients) + 500;
  // Node raises its soft open-files limit to the hard limit at start-up: only the hard limit matters.
  if (Number.isFinite(hardLimit) && hardLimit < needed) {
    console.error(`[realtime] the hard open-files limit is ${hardLimit}; ${needed} are needed per process: raise it (ulimit -Hn) or lower --idle/--clients`);
    process.exit(1);
  }
  const { fixture, url: databaseUrl } = await prepareDatabase();
  const server = await startServer(databaseUrl);
  log(`server (process 1, pid ${server.child.pid}) listening at ${server.url}; RSS ${fmt(memoryOf(server.child.pid!)?.rssMB ?? NaN)} MB`);

  const cookieName = sessionCookieNameFor(secureCookiesFor({ NODE_ENV: "production", POLYPHONY_INSECURE_COOKIES: "1" }));
  const config: LoadConfig = {
    url: server.url,
    serverPid: server.child.pid!,
    databaseUrl,
    cookieName,
    fixture,
    phases,
    idleSockets,
    idleSeconds,
    latencyClients,
    rate,
    warmupSeconds,
    latencySeconds,
    throughputSeconds,
    listenerThreads,
    inflight,
    connectConcurrency: 50,
    resultPath: path.join(runDir, "result.json"),
    deadlineMs: 20 * 60_000,
  };
  const configPath = path.join(runDir, "load-config.json");
  fs.writeFileSync(configPath, JSON.stringify(config));
  const load = spawn(process.execPath, ["--import", "tsx", path.join("tests", "bench", "realtime-load.ts"), configPath], { cwd: ROOT, stdio: "inherit" });
  children.add(load);
  log(`load generator (process 2, pid ${load.pid}) started`);
  const loadExit = await exited(load, config.deadlineMs + 60_000);
  if (loadExit === null) load.kill("SIGKILL");
  await stopServer(server);
  if (loadExit !== 0 || !fs.existsSync(config.resultPath)) {
    console.error(`[realtime] the load generator failed (exit ${loadExit}); server log: ${path.relative(ROOT, runDir)}/server.log`);
    process.exit(1);
  }
  const result = JSON.parse(fs.readFileSync(config.resultPath, "utf8")) as LoadResult;
  console.log(`\n## Realtime: figures (load average ${loadAverage()}; the machine is shared, and the server and the load generator share its ${os.cpus().length} cores)\n`);
  console.log(report(result, fixture));
  if (server.errors.length) console.log(`\nServer logged ${server.errors.length} error lines (first: ${server.errors[0].slice(0, 300)})`);
  if (profile) {
    const profiles = fs.readdirSync(runDir).filter((f) => f.endsWith(".cpuprofile"));
    if (profiles.length) {
      const { summariseProfile } = await import("./realtime-profile");
      console.log(`\n## Realtime: where the server's time went\n`);
      console.log(summariseProfile(path.join(runDir, profiles[0])));
    } else console.log("\n(no CPU profile was written: did the server exit cleanly?)");
  }
  if (keep || profile) log(`kept ${path.relative(ROOT, runDir)} (database, server.log, result.json${profile ? ", the .cpuprofile" : ""})`);
  else fs.rmSync(runDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(`[realtime] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  killChildren("SIGKILL");
  process.exit(1);
});
