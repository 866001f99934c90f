/**
 * A private PostgreSQL server for tests and benchmarks, on loopback: Debian's postgresql binaries
 * (`apt-get install postgresql`; the packaged service does not start in these containers), one cluster
 * under /tmp/polyphony-pg-<port>, trust authentication for the local user `polyphony`, C collation (as
 * SQLite orders text: byte by byte).
 *
 *   npx tsx tests/setup/postgres-server.ts start   prints the server's URL (postgresql://polyphony@127.0.0.1:<port>/postgres)
 *   npx tsx tests/setup/postgres-server.ts stop
 *
 * As root (CI), initdb and the server run as the `postgres` user the package creates.
 * POLYPHONY_PG_PORT picks the port (default 54329).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const PG_PORT = Number(process.env.POLYPHONY_PG_PORT ?? 54329);
export const PG_USER = "polyphony";
const DIR = `/tmp/polyphony-pg-${PG_PORT}`;
const DATA = path.join(DIR, "data");

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))) : [];
  if (!versions.length) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql");
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

/** Runs a PostgreSQL binary, as the postgres user when we are root (initdb and postgres refuse root). */
function pg(binary: string, args: string[], options: { quiet?: boolean } = {}) {
  const file = path.join(binDir(), binary);
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  return spawnSync(command, argv, { encoding: "utf8", stdio: options.quiet ? "pipe" : ["ignore", "pipe", "pipe"] });
}

/** The URL of a database on this server. */
export function postgresUrl(database = "postgres"): string {
  return `postgresql://${PG_USER}@127.0.0.1:${PG_PORT}/${database}`;
}

function isRunning(): boolean {
  return pg("pg_isready", ["-h", "127.0.0.1", "-p", String(PG_PORT)], { quiet: true }).status === 0;
}

/** Starts the server (creating its cluster the first time); returns the URL of its `postgres` database. */
export function startPostgres(): string {
  if (isRunning()) return postgresUrl();
  fs.mkdirSync(DIR, { recursive: true });
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", DIR]);
  if (!fs.existsSync(path.join(DATA, "PG_VERSION"))) {
    const init = pg("initdb", ["-D", DATA, "-U", PG_USER, "--auth=trust", "--locale=C", "--encoding=UTF8"]);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }
  const options = [
    `-p ${PG_PORT}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${DIR}`,
    // A test server: throughput over durability (every test database is thrown away).
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
    "-c max_connections=300",
  ].join(" ");
  const started = pg("pg_ctl", ["-D", DATA, "-l", path.join(DIR, "server.log"), "-o", options, "-w", "-t", "30", "start"]);
  if (started.status !== 0) throw new Error(`pg_ctl start failed: ${started.stderr || started.stdout}\n${readLog()}`);
  return postgresUrl();
}

export function stopPostgres(): void {
  if (fs.existsSync(DATA)) pg("pg_ctl", ["-D", DATA, "-m", "fast", "-w", "stop"], { quiet: true });
}

function readLog(): string {
  const log = path.join(DIR, "server.log");
  return fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").slice(-20).join("\n") : "";
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const command = process.argv[2];
  if (command === "start") console.log(startPostgres());
  else if (command === "stop") stopPostgres();
  else {
    console.error("usage: tsx tests/setup/postgres-server.ts start|stop");
    process.exit(2);
  }
}
