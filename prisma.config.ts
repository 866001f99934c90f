import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { databaseUrl } from "./consultations/db/url";

// The schema reads DATABASE_URL: default it to the embedded SQLite file before the CLI parses it.
const url = databaseUrl();

// Prisma 6.19 with its Wasm engines: the only Prisma CLI that runs without downloading an engine.
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  experimental: { adapter: true },
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
