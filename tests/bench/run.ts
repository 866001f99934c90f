/**
 * `npm run bench`: the speed and size benchmarks, each in its own process (so one's heap and JIT state do
 * not colour the next), printing their figures. Benchmarks assert nothing: the machine is shared and noisy,
 * so they report wall and CPU time and the load average beside each figure. The page weight (sizes in bytes, the same
 * on any machine) is the exception: it exits non-zero when a target is missed.
 *
 *   npm run bench                 every benchmark
 *   npm run bench -- synthesis    only those whose name contains "synthesis"
 *   npm run bench -- page-weight  the page weight of the participant pages (tests/bench/page-weight.ts)
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Bench {
  name: string;
  script: string;
  args: string[];
}

const BENCHES: Bench[] = [
  // Targets: 2,000 x 900 with 225,000 votes <= 1 s; 10,000 x 2,000 at 15% density <= 5 s.
  { name: "synthesis", script: "consultations/synthesis/benchmark.ts", args: ["3"] },
  // Targets: 2,000 clients with vote->tally p99 <= 150 ms at 50 votes/s; >= 1,000 acknowledged votes/s
  // persisted on SQLite; 5,000 idle sockets under 400 MB RSS. Server and load generator in two processes;
  // options (phases, sizes, --profile) in tests/bench/realtime.ts.
  { name: "realtime", script: "tests/bench/realtime.ts", args: [] },
  // The same vote benchmark on PostgreSQL (a private server on loopback): acknowledged votes/s and
  // vote->tally latency at 1,000 clients.
  { name: "realtime-postgresql", script: "tests/bench/realtime.ts", args: ["--database=postgresql", "--phases=throughput,latency", "--clients=1000"] },
  // Target: the server-rendered consultation page with 50 positions, 50 concurrent connections:
  // >= 300 requests/s and p95 <= 100 ms. On SQLite, then on PostgreSQL.
  { name: "page-sqlite", script: "tests/bench/http-page.ts", args: [] },
  { name: "page-postgresql", script: "tests/bench/http-page.ts", args: ["--database=postgresql"] },
  // Targets (issue 7, low-end phones): the participant pages' JavaScript (with the locale texts) < 150 KB
  // gzipped in total, the first page (landing, join) < 50 KB of HTML + CSS. Fails when one is missed.
  { name: "page-weight", script: "tests/bench/page-weight.ts", args: [] },
];

const filter = process.argv[2];
const chosen = BENCHES.filter((b) => !filter || b.name.includes(filter));
console.log(`# Polyphony benchmarks on ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
let failed = 0;
for (const [i, bench] of chosen.entries()) {
  console.log(`\n## [${i + 1}/${chosen.length}] ${bench.name} (load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")})`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", bench.script, ...bench.args], { cwd: ROOT, stdio: "inherit" });
  console.log(`## ${bench.name}: ${run.status === 0 ? "done" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
