-- socket.io's PostgreSQL adapter (realtime/cluster.ts) passes notices between app processes with
-- LISTEN/NOTIFY; a notice over its size threshold goes through this table (the adapter deletes old rows).
-- Not part of the Prisma schema: only the adapter uses it, and only on PostgreSQL.
CREATE TABLE IF NOT EXISTS "socket_io_attachments" (
    "id" BIGSERIAL UNIQUE,
    "created_at" TIMESTAMPTZ DEFAULT NOW(),
    "payload" BYTEA
);
