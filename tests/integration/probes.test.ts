/**
 * /healthz and /readyz through the real server (realtime/app-server.ts), on either database: healthy and
 * ready with every migration applied; not ready (503, with the reason) when a committed migration is
 * missing from the database; neither carries anything personal, and neither is cached.
 */
import { dialectOf, getDb } from "../../consultations/db/client";
import { committedMigrations, MIGRATIONS_TABLE } from "../../consultations/db/migrations";
import { startServer, type RunningServer } from "./realtime-harness";

let srv: RunningServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const probe = async (path: string) => {
  const res = await fetch(new URL(path, srv.url));
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, cache: res.headers.get("Cache-Control") };
};

it("/healthz: the process is up", async () => {
  expect(await probe("/healthz")).toEqual({ status: 200, body: { status: "ok" }, cache: "no-store" });
});

it("/readyz: ready with every migration applied; 503 with the reason when one is missing", async () => {
  expect(await probe("/readyz")).toEqual({ status: 200, body: { status: "ready" }, cache: "no-store" });
  const db = await getDb();
  const dialect = dialectOf(db);
  const last = committedMigrations(dialect).at(-1)!.name;
  // As if the database were an older one: the newest migration not recorded.
  const [table, column] = dialect === "sqlite" ? ["_prisma_migrations", "migration_name"] : [MIGRATIONS_TABLE, "name"];
  const mark = (i: number) => (dialect === "sqlite" ? "?" : `$${i}`);
  const saved = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${table}" WHERE "${column}" = ${mark(1)}`, last);
  expect(saved).toHaveLength(1);
  await db.$executeRawUnsafe(`DELETE FROM "${table}" WHERE "${column}" = ${mark(1)}`, last);
  try {
    expect(await probe("/readyz")).toEqual({ status: 503, body: { status: "not ready", reason: "1 migration(s) not applied: run npm run db:migrate" }, cache: "no-store" });
  } finally {
    const row = saved[0];
    const columns = Object.keys(row);
    const marks = columns.map((_, i) => mark(i + 1)).join(", ");
    await db.$executeRawUnsafe(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${marks})`, ...columns.map((c) => row[c]));
  }
  expect((await probe("/readyz")).status).toBe(200);
});
