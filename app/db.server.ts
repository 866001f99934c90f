/** The database for routes (server-only: Prisma never reaches the browser bundle). */
export { getDb } from "../consultations/db/client";
export type { Db } from "../consultations/db/client";
