import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The PostgreSQL side of prisma.config.ts: the derived schema (prisma/derive-postgresql.mjs), the Wasm
// engines, and the pg driver adapter. Used to generate its client (`prisma generate --config ...`).
// Migrations on PostgreSQL are applied by prisma/migrate-postgresql.ts, not the Prisma CLI (STACK-NOTES:
// Prisma 6.19's Wasm schema engine cannot introspect PostgreSQL).
// The schema's datasource reads DATABASE_URL, which must then be a PostgreSQL URL: a placeholder when it is
// not (generating the client and diffing schemas never connect).
const url = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL! : "postgresql://localhost/polyphony";
process.env.DATABASE_URL = url;

export default defineConfig({
  // Paths are relative to this file.
  schema: path.join("postgresql", "schema.prisma"),
  migrations: { path: "migrations-postgresql" },
  engine: "js",
  experimental: { adapter: true },
  async adapter() {
    return new PrismaPg({ connectionString: url });
  },
});
