/**
 * The server's environment, validated once at start-up. Invalid values stop the process with a
 * readable message instead of failing later.
 */
import { z } from "zod";

const Env = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  /**
   * `file:<path>` (SQLite; consultations/db/url.ts defaults it to data/polyphony.db) or
   * `postgresql://user:password@host:port/database` (PostgreSQL).
   */
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, "must be file:<path> (SQLite) or postgresql://... (PostgreSQL)")
    .optional(),
  /** PostgreSQL: connections in the pool of each app process (consultations/db/client.ts). */
  POLYPHONY_DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * PostgreSQL: join the other app processes through socket.io's PostgreSQL adapter (realtime/cluster.ts).
   * "auto" (on with a postgresql:// DATABASE_URL) or "off" (this process is alone: one process only).
   */
  POLYPHONY_REALTIME_ADAPTER: z.enum(["auto", "off"]).default("auto"),
  /**
   * How often (ms) each process also looks in the database for events it was not told about (a safety
   * net under the cluster notices, and what finds a command-line import's events); 0: never.
   */
  POLYPHONY_REALTIME_SYNC_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** Cheap password hashing for tests. */
  POLYPHONY_FAST_HASH: z.enum(["0", "1"]).optional(),
  /** Plain-http cookies in production mode (local runs only). */
  POLYPHONY_INSECURE_COOKIES: z.enum(["0", "1"]).optional(),
  /**
   * The public origin (e.g. https://consult.example.org) when a proxy changes the Host header;
   * otherwise requests are compared with their own Host.
   */
  /** Client events a socket may send per second (bursts of 3x); 0 turns the limit off (load tests). */
  POLYPHONY_SOCKET_RATE: z.coerce.number().min(0).max(100_000).default(20),
  /**
   * Abuse limits (consultations/rate-limits.ts: sign-in, invitations, positions, comments, votes per
   * participant, group and network). "off" turns them all off: load tests only.
   */
  POLYPHONY_RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  /**
   * Express "trust proxy" behind a reverse proxy, so the client's address (per-network limits) is the
   * visitor's, not the proxy's: a hop count ("1"), "loopback", or addresses/subnets ("10.0.0.1, 10.0.0.2").
   * Unset: the TCP peer's address.
   */
  POLYPHONY_TRUST_PROXY: z
    .string()
    .trim()
    .min(1)
    .transform((value): number | string | boolean => (/^\d+$/.test(value) ? Number(value) : value === "true" ? true : value === "false" ? false : value))
    .optional(),
  PUBLIC_ORIGIN: z
    .url({ protocol: /^https?$/ })
    .transform((value) => new URL(value).origin)
    .optional(),
});

export type ServerEnv = z.infer<typeof Env>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  // Empty strings mean "not set" (docker-compose and CI often pass KEY= ).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    console.error(JSON.stringify({ level: "fatal", msg: "invalid environment", problems }));
    process.exit(1);
  }
  const env = parsed.data;
  if (env.NODE_ENV === "production" && env.POLYPHONY_FAST_HASH === "1") {
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "POLYPHONY_FAST_HASH=1 in production: passwords and passphrases are hashed with test-strength settings",
      }),
    );
  }
  if (env.POLYPHONY_RATE_LIMITS === "off") {
    console.warn(JSON.stringify({ level: "warn", msg: "POLYPHONY_RATE_LIMITS=off: no abuse limits on sign-in, invitations, positions, comments or votes (load tests only)" }));
  }
  if (env.NODE_ENV === "production" && env.POLYPHONY_INSECURE_COOKIES === "1") {
    console.warn(JSON.stringify({ level: "warn", msg: "POLYPHONY_INSECURE_COOKIES=1 in production: session cookies are not Secure" }));
  }
  return env;
}
