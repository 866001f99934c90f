/**
 * `npm test`: build the Remix app, run vitest (unit + integration), run Playwright (browser), and end with
 * ONE line `N passed, N failed[, N skipped]` totalled over every suite (CI reads that line).
 *
 * Exit code 1 if any test failed, a suite crashed without a report (counted as 1 failed), the build
 * failed, or no test ran at all. POLYPHONY_SKIP_BROWSER=1 skips Playwright; POLYPHONY_SKIP_BUILD=1 skips
 * `remix build` (quick local runs of the vitest suites; the browser suite needs a current ./build).
 * The integration suite runs a second time on PostgreSQL (POLYPHONY_TEST_POSTGRES: on, off, auto; on
 * with CI=true, auto otherwise: when Debian's postgresql is installed).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TMP = path.join(ROOT, "tests", ".tmp");
const VITEST_REPORT = path.join(TMP, "vitest-results.json");
const VITEST_PG_REPORT = path.join(TMP, "vitest-postgresql-results.json");
const PLAYWRIGHT_REPORT = path.join(TMP, "playwright-results.json");
const BROWSER_DIR = path.join(ROOT, "tests", "browser");

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface SuiteResult extends Counts {
  name: string;
  note?: string;
}

/** Run a command with the terminal attached (output streams live); resolve with its exit code. */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  console.log(`\n$ ${[...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args].join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", (error) => {
      console.error(`[run-all] could not start ${command}:`, error);
      resolve(127);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function readJson(file: string): unknown {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
  } catch (error) {
    console.error(`[run-all] unreadable report ${file}:`, error);
    return undefined;
  }
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** A suite's counts from its report; a missing report or a non-zero exit with no failure counts 1 failed. */
function settle(name: string, exitCode: number, counts: Counts | undefined): SuiteResult {
  if (!counts) return { name, passed: 0, failed: 1, skipped: 0, note: `crashed without a report (exit ${exitCode})` };
  if (exitCode !== 0 && counts.failed === 0) {
    return { name, ...counts, failed: 1, note: `exited ${exitCode} without a failing test (setup/teardown error?)` };
  }
  return { name, ...counts };
}

function vitestCounts(report: unknown): Counts | undefined {
  if (!isRecord(report) || typeof report.numTotalTests !== "number") return undefined;
  let failed = num(report.numFailedTests);
  // A test file that fails to load (syntax/import error) has no failed *test*: count its suite instead.
  if (failed === 0 && report.success === false) failed = Math.max(1, num(report.numFailedTestSuites));
  return {
    passed: num(report.numPassedTests),
    failed,
    skipped: num(report.numPendingTests) + num(report.numTodoTests),
  };
}

function playwrightCounts(report: unknown): Counts | undefined {
  if (!isRecord(report) || !isRecord(report.stats)) return undefined;
  const stats = report.stats;
  let failed = num(stats.unexpected);
  // Errors outside tests (config, webServer, global setup) are listed in `errors`.
  if (failed === 0 && Array.isArray(report.errors) && report.errors.length > 0) failed = report.errors.length;
  return { passed: num(stats.expected) + num(stats.flaky), failed, skipped: num(stats.skipped) };
}

function hasSpecFiles(dir: string): boolean {
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).some((file) => file.endsWith(".spec.ts"));
}

function format(counts: Counts): string {
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ""}`;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * Whether to run the integration suite on PostgreSQL: POLYPHONY_TEST_POSTGRES=on (required: missing
 * PostgreSQL is a failure; the default with CI=true), off, or auto (when Debian's postgresql is installed).
 */
function postgresMode(): { run: boolean; fail?: boolean; why?: string } {
  const mode = (process.env.POLYPHONY_TEST_POSTGRES ?? (process.env.CI === "true" ? "on" : "auto")).toLowerCase();
  if (mode === "off") return { run: false, why: "POLYPHONY_TEST_POSTGRES=off: the PostgreSQL run of the integration suite is skipped." };
  const root = "/usr/lib/postgresql";
  const installed = fs.existsSync(root) && fs.readdirSync(root).some((v) => fs.existsSync(path.join(root, v, "bin", "initdb")));
  if (installed) return { run: true };
  const why = "PostgreSQL is not installed (apt-get install postgresql): the PostgreSQL run of the integration suite did not run.";
  return mode === "on" ? { run: false, fail: true, why } : { run: false, why };
}

async function main(): Promise<number> {
  fs.mkdirSync(TMP, { recursive: true });
  // Never read a report left over from an earlier run.
  fs.rmSync(VITEST_REPORT, { force: true });
  fs.rmSync(VITEST_PG_REPORT, { force: true });
  fs.rmSync(PLAYWRIGHT_REPORT, { force: true });

  const results: SuiteResult[] = [];

  let started = Date.now();
  if (process.env.POLYPHONY_SKIP_BUILD === "1") {
    console.log("[run-all] POLYPHONY_SKIP_BUILD=1: using the existing ./build (remix build skipped).");
  } else {
    const buildCode = await run("npx", ["remix", "build"]);
    if (buildCode !== 0) {
      console.error(`\n[run-all] remix build failed (exit ${buildCode}) after ${seconds(started)}: no tests were run.`);
      console.log(format({ passed: 0, failed: 1, skipped: 0 }));
      return 1;
    }
    console.log(`[run-all] remix build: ${seconds(started)}`);
  }

  started = Date.now();
  const vitestCode = await run("npx", [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile=${path.relative(ROOT, VITEST_REPORT)}`,
  ]);
  results.push(settle("unit+integration", vitestCode, vitestCounts(readJson(VITEST_REPORT))));
  console.log(`[run-all] vitest: ${seconds(started)}`);

  // The integration suite again, on PostgreSQL (tests/setup/postgres-server.ts starts a private server).
  const postgres = postgresMode();
  if (postgres.run) {
    started = Date.now();
    const pgCode = await run(
      "npx",
      ["vitest", "run", "tests/integration", "--reporter=default", "--reporter=json", `--outputFile=${path.relative(ROOT, VITEST_PG_REPORT)}`],
      { POLYPHONY_TEST_DB: "postgresql" },
    );
    results.push(settle("integration on PostgreSQL", pgCode, vitestCounts(readJson(VITEST_PG_REPORT))));
    console.log(`[run-all] vitest on PostgreSQL: ${seconds(started)}`);
  } else {
    console.log(`\n[run-all] ${postgres.why}`);
    if (postgres.fail) results.push({ name: "integration on PostgreSQL", passed: 0, failed: 1, skipped: 0, note: postgres.why });
  }

  if (process.env.POLYPHONY_SKIP_BROWSER === "1") {
    console.log("\n[run-all] POLYPHONY_SKIP_BROWSER=1: browser tests skipped.");
  } else if (!hasSpecFiles(BROWSER_DIR)) {
    console.log("\n[run-all] no tests/browser/**/*.spec.ts: browser tests skipped.");
  } else {
    started = Date.now();
    const playwrightCode = await run("npx", ["playwright", "test"]);
    results.push(settle("browser", playwrightCode, playwrightCounts(readJson(PLAYWRIGHT_REPORT))));
    console.log(`[run-all] playwright: ${seconds(started)}`);
  }

  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  console.log("");
  for (const result of results) {
    console.log(`${result.name}: ${format(result)}${result.note ? ` (${result.note})` : ""}`);
    total.passed += result.passed;
    total.failed += result.failed;
    total.skipped += result.skipped;
  }
  const ranNothing = total.passed + total.failed === 0;
  if (ranNothing) {
    console.log("[run-all] no test ran: counting that as a failure.");
    total.failed = 1;
  }
  console.log(format(total));
  return total.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("[run-all] crashed:", error);
    console.log(format({ passed: 0, failed: 1, skipped: 0 }));
    process.exit(1);
  },
);
