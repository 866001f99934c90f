/**
 * Server-rendered page benchmark (issue 6): the consultation page of a participant, with 50 positions
 * (three questions, their tallies shown, a vote form on each), requested by 50 concurrent keep-alive
 * connections, each as a different participant. The server is
 * the production one (`node build/server.js`, process 1); this process generates the load (process 2).
 * Prints progress and a table; asserts nothing.
 *
 *   node --import tsx tests/bench/http-page.ts [--database=sqlite|postgresql] [--connections=50] [--seconds=15] [--warmup=3] [--profile]
 *
 * --profile runs the server with --cpu-prof and prints where its time went (tests/bench/realtime-profile.ts).
 *
 * Target: >= 300 requests/s and p95 <= 100 ms on this machine.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fileUrl, TMP_DIR } from "../setup/paths";
import { migrateFreshDatabase, removeDatabaseFiles } from "../setup/sqlite-files";
import { cpuMsOf, fmt, loadAverage, memoryOf, summarise } from "./realtime-stats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=", 2) as [string, string]));
const database = args.get("database") ?? "sqlite";
const connections = Number(args.get("connections") ?? 50);
const seconds = Number(args.get("seconds") ?? 15);
const warmup = Number(args.get("warmup") ?? 3);
const profile = args.has("profile");
const POSITIONS = 50;
const QUESTIONS = 3;
const VOTERS = 12;
const started = Date.now();
const log = (line: string) => console.log(`[http-page ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

/** A consultation with 50 positions over three questions, voted on so their tallies show; a reader's cookie. */
async function seed(url: string): Promise<{ slug: string; tokens: string[] }> {
  process.env.POLYPHONY_FAST_HASH = "1";
  process.env.DATABASE_URL = url;
  const { createDb } = await import("../../consultations/db/client");
  const { signUp } = await import("../../consultations/accounts");
  const consultations = await import("../../consultations/consultations");
  const { createInvitations } = await import("../../consultations/invitations");
  const { joinWithInvitation } = await import("../../consultations/participants");
  const { submitPosition } = await import("../../consultations/positions");
  const { castVotes } = await import("../../consultations/votes");
  const { createSession, readSession } = await import("../../consultations/sessions");
  const db = await createDb(url);
  try {
    const account = await signUp(db, { organisationName: "Bench network", displayName: "Bench facilitator", email: "bench@polyphony.example", password: "bench password 2026" });
    const fac = { account: { id: account.id, organisationId: account.organisationId, displayName: account.displayName }, participants: [] };
    const c = await consultations.createConsultation(db, fac, {
      title: "Strengthening peer work",
      slug: "bench-page",
      description: "How should **peer work** be funded, protected and recognised? Read the positions, vote, and add your own.",
      groups: "Peers who use drugs\nSex workers\nOutreach workers\nPolice\nPolicymakers",
    });
    const key = { slug: c.slug };
    const questions: string[] = [];
    for (let q = 0; q < QUESTIONS; q++) {
      questions.push((await consultations.addQuestion(db, fac, key, { title: `Question ${q + 1}: what should change in peer work?`, context: "Think of pay, safety and training." })).id);
    }
    await consultations.movePhase(db, fac, key, { to: "positions" });
    const groups = await db.stakeholderGroup.findMany({ where: { consultationId: c.id }, select: { id: true } });
    const viewers = [];
    for (let i = 0; i < VOTERS; i++) {
      const [inv] = await createInvitations(db, fac, key, { groupId: groups[i % groups.length].id, count: 1 });
      const joined = await joinWithInvitation(db, inv.code, { pseudonym: `Bench Reader ${i + 1}` });
      const { token } = await createSession(db, { participantIds: [joined.participant.id] });
      viewers.push({ token, viewer: (await readSession(db, token))!.viewer });
    }
    const positions: string[] = [];
    for (let p = 0; p < POSITIONS; p++) {
      const author = viewers[p % viewers.length].viewer;
      const body = `Position ${p + 1}: peer workers should have **paid supervision**, fair contracts and a say in how services are run, in every city.`;
      positions.push((await submitPosition(db, author, key, questions[p % QUESTIONS], { body })).id);
    }
    const ballots = viewers.flatMap(({ viewer }, v) =>
      positions.map((positionId, p) => ({ viewer, key, positionId, choice: (["agree", "disagree", "pass"] as const)[(p + v) % 3] })),
    );
    await castVotes(db, ballots); // refusals (own positions) are answered, not thrown
    // The readers: one per connection, each a participant who has not voted yet (every card then
    // carries its vote form), so no two concurrent requests are the same person's.
    const readers: string[] = [];
    for (let i = 0; i < connections; i++) {
      const [inv] = await createInvitations(db, fac, key, { groupId: groups[i % groups.length].id, count: 1 });
      const joined = await joinWithInvitation(db, inv.code, {});
      readers.push((await createSession(db, { participantIds: [joined.participant.id] })).token);
    }
    return { slug: c.slug, tokens: readers };
  } finally {
    await db.$disconnect();
  }
}

async function prepare(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (database === "postgresql") {
    const { startPostgres } = await import("../setup/postgres-server");
    const { migratePostgres } = await import("../../consultations/db/migrations");
    const pg = (await import("pg")).default;
    const server = startPostgres();
    const name = `polyphony_bench_page_${process.pid}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
    await migratePostgres(url);
    return {
      url,
      cleanup: async () => {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = path.join(TMP_DIR, "bench-page");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `run-${process.pid}.db`);
  migrateFreshDatabase(file);
  return { url: fileUrl(file), cleanup: async () => removeDatabaseFiles(file) };
}

async function startServer(url: string): Promise<{ child: ChildProcess; base: string }> {
  const { buildServer, serverBuildIsCurrent } = (await import(pathToFileURL(path.join(ROOT, "realtime", "build-server.mjs")).href)) as {
    buildServer(): Promise<number>;
    serverBuildIsCurrent(): boolean;
  };
  if (!serverBuildIsCurrent()) await buildServer();
  const profileDir = path.join(TMP_DIR, "bench-page", `profile-${process.pid}`);
  const child = spawn(process.execPath, [...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), "build/server.js"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: "0", HOST: "127.0.0.1", NODE_ENV: "production", POLYPHONY_INSECURE_COOKIES: "1", POLYPHONY_FAST_HASH: "", POLYPHONY_RATE_LIMITS: "off" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start")), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        const m = /"msg":"listening","port":(\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(`[server] ${chunk}`));
    child.once("exit", (code) => reject(new Error(`the server exited (${code})`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** GET `path` on one keep-alive agent: the status, the body's size, and the time to the last byte. */
function get(agent: http.Agent, base: string, pathname: string, cookie: string): Promise<{ status: number; bytes: number; ms: number }> {
  const sent = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(pathname, base), { agent, headers: { Cookie: cookie, Accept: "text/html" } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - sent }));
    });
    req.on("error", reject);
  });
}

async function main(): Promise<void> {
  console.log(`# Page benchmark on ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${database}, load average ${loadAverage()}`);
  const { url, cleanup } = await prepare();
  try {
    const seedStart = Date.now();
    const { slug, tokens } = await seed(url);
    log(`seeded ${POSITIONS} positions over ${QUESTIONS} questions, ${VOTERS} voters, in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const { child, base } = await startServer(url);
    const cookieOf = (i: number) => `polyphony_session=${tokens[i % tokens.length]}`;
    const cookie = cookieOf(0);
    const pathname = `/c/${slug}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    const first = await get(agent, base, pathname, cookie);
    const html = await new Promise<string>((resolve) => http.get(new URL(pathname, base), { headers: { Cookie: cookie } }, (res) => { let t = ""; res.on("data", (c) => (t += c)); res.on("end", () => resolve(t)); }));
    const shown = (html.match(/class="position-card/g) ?? []).length || (html.match(/id="p-/g) ?? []).length;
    if (first.status !== 200) throw new Error(`GET ${pathname} answered ${first.status}`);
    fs.mkdirSync(path.join(TMP_DIR, "bench-page"), { recursive: true });
    fs.writeFileSync(path.join(TMP_DIR, "bench-page", "page.html"), html);
    log(`GET ${pathname}: ${first.status}, ${fmt(first.bytes / 1024)} KB of HTML, ${shown} positions on the page`);

    const run = async (forSeconds: number) => {
      const latencies: number[] = [];
      let errors = 0;
      const stopAt = performance.now() + forSeconds * 1000;
      const cpuBefore = cpuMsOf(child.pid!);
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: connections }, async (_, i) => {
          while (performance.now() < stopAt) {
            try {
              const r = await get(agent, base, pathname, cookieOf(i));
              if (r.status === 200) latencies.push(r.ms);
              else errors += 1;
            } catch {
              errors += 1;
            }
          }
        }),
      );
      const wall = (performance.now() - t0) / 1000;
      return { latencies, errors, wall, serverCpuPct: ((cpuMsOf(child.pid!) - cpuBefore) / 10 / wall) };
    };
    log(`warm-up: ${warmup} s with ${connections} connections`);
    await run(warmup);
    log(`measuring: ${seconds} s with ${connections} connections (load average ${loadAverage()})`);
    const measured = await run(seconds);
    const s = summarise(measured.latencies);
    const rps = measured.latencies.length / measured.wall;
    const rss = memoryOf(child.pid!)?.rssMB ?? NaN;
    console.log("");
    console.log(`| Page (${database}) | Connections | Requests/s | p50 | p95 | p99 | max | Errors | Server CPU | Server RSS | Target |`);
    console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    const p95 = percentile(measured.latencies, 95);
    console.log(
      `| /c/<slug>, ${shown} positions, ${fmt(first.bytes / 1024)} KB | ${connections} | ${fmt(rps)} | ${fmt(s.p50)} ms | ${fmt(p95)} ms | ${fmt(s.p99)} ms | ${fmt(s.max)} ms | ${measured.errors} | ${fmt(measured.serverCpuPct)}% | ${fmt(rss)} MB | >= 300 req/s, p95 <= 100 ms: ${rps >= 300 && p95 <= 100 ? "met" : "NOT met"} |`,
    );
    agent.destroy();
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    if (profile) {
      const { summariseProfile } = await import("./realtime-profile");
      const dir = path.join(TMP_DIR, "bench-page", `profile-${process.pid}`);
      for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) console.log(`\n${summariseProfile(path.join(dir, file), 25)}`);
    }
  } finally {
    await cleanup();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("[http-page] failed:", error);
    process.exit(1);
  },
);
