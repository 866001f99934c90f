import path from "node:path";

/** The embedded default: an SQLite file under data/ at the project root. */
export const DEFAULT_DATABASE_URL = `file:${path.resolve("data", "polyphony.db")}`;

/** DATABASE_URL, defaulting to the embedded SQLite file (and exported so the Prisma CLI sees it). */
export function databaseUrl(): string {
  if (!process.env.DATABASE_URL) process.env.DATABASE_URL = DEFAULT_DATABASE_URL;
  return process.env.DATABASE_URL;
}

/** The file path of an SQLite `file:` URL. */
export function sqlitePath(url: string): string {
  if (!url.startsWith("file:")) throw new Error(`Not an SQLite file URL: ${url}`);
  return path.resolve(url.slice("file:".length));
}

/** A PostgreSQL URL (`postgresql://` or `postgres://`): the production database. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}
