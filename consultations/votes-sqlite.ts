/**
 * The Vote aggregate's hot paths on the embedded SQLite database, through the direct connection
 * (consultations/db/direct-sqlite.ts): the group commit of a batch of votes, and tally reads. Same
 * tables, same rows, same events as the Prisma path in consultations/votes.ts (the arithmetic is shared:
 * consultations/vote-plan.ts); tests run both against one another (tests/integration/domain-vote-batches).
 */
import { randomUUID } from "node:crypto";
import { prepared, sqliteDate, writeDirect, type Direct } from "./db/direct-sqlite";
import { publish, type ConsultationEvent } from "./events";
import { talliesByPosition, type Tally } from "./tallies";
import { pairsOf, planBallots, type Accepted, type BallotResult, type StoredVote } from "./vote-plan";

const FIND_VOTE = `SELECT "id", "participantId", "positionId", "value" FROM "Vote" WHERE "participantId" = ? AND "positionId" = ?`;
const INSERT_VOTE = `INSERT INTO "Vote" ("id", "consultationId", "positionId", "participantId", "value", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`;
const UPDATE_VOTE = `UPDATE "Vote" SET "value" = ?, "updatedAt" = ? WHERE "id" = ?`;
const MOVE_SEQ = `UPDATE "Consultation" SET "eventSeq" = "eventSeq" + ?, "updatedAt" = ? WHERE "id" = ? RETURNING "eventSeq"`;
const INSERT_EVENT = `INSERT INTO "ConsultationEvent" ("id", "consultationId", "seq", "type", "actorKind", "payload", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?)`;
const DELETE_KEY = `DELETE FROM "ProcessedRequest" WHERE "key" = ?`;
const INSERT_KEY = `INSERT INTO "ProcessedRequest" ("key", "consultationId", "participantId", "response", "createdAt") VALUES (?, ?, ?, ?, ?)`;

/** Writes the batch in one IMMEDIATE transaction, then publishes its events. */
export async function writeBallotsSqlite(conn: Direct, accepted: readonly Accepted[], expiredKeys: readonly string[], at: Date): Promise<BallotResult[]> {
  const when = sqliteDate(at);
  const { outcomes, events } = await writeDirect(conn, () => {
    const find = prepared(conn, FIND_VOTE);
    const stored: StoredVote[] = [];
    for (const { participantId, positionId } of pairsOf(accepted)) {
      const row = find.get(participantId, positionId) as StoredVote | undefined;
      if (row) stored.push(row);
    }
    const plan = planBallots(accepted, stored);
    const insertVote = prepared(conn, INSERT_VOTE);
    for (const v of plan.creates) insertVote.run(randomUUID(), v.consultationId, v.positionId, v.participantId, v.value, when, when);
    const updateVote = prepared(conn, UPDATE_VOTE);
    for (const [value, ids] of plan.updates) for (const id of ids) updateVote.run(value, when, id);
    const recorded: ConsultationEvent[] = [];
    const insertEvent = prepared(conn, INSERT_EVENT);
    for (const [consultationId, items] of plan.events) {
      const { eventSeq } = prepared(conn, MOVE_SEQ).get(items.length, when, consultationId) as { eventSeq: number };
      const first = eventSeq - items.length + 1;
      for (const [k, item] of items.entries()) {
        insertEvent.run(randomUUID(), consultationId, first + k, item.type, "participant", JSON.stringify(item.payload), when);
        recorded.push({ consultationId, seq: first + k, type: item.type, actorKind: "participant", payload: item.payload, createdAt: at });
      }
    }
    const deleteKey = prepared(conn, DELETE_KEY);
    for (const key of expiredKeys) deleteKey.run(key);
    const insertKey = prepared(conn, INSERT_KEY);
    for (const k of plan.keyRows) insertKey.run(k.key, k.consultationId, k.participantId, k.response, when);
    return { outcomes: plan.outcomes, events: recorded };
  });
  publish(events);
  return outcomes;
}

/**
 * Counted votes by position and value, as consultations/positions.ts `loadTallies` counts them (visible
 * positions, active participants), read from committed data only (a separate connection).
 */
export function readTalliesSqlite(conn: Direct, consultationId: string, positionIds?: readonly string[]): Map<string, Tally> {
  const base =
    `SELECT v."positionId" AS positionId, v."value" AS value, COUNT(*) AS count FROM "Vote" v ` +
    `JOIN "Position" p ON p."id" = v."positionId" JOIN "Participant" a ON a."id" = v."participantId" ` +
    `WHERE v."consultationId" = ? AND p."status" = 'visible' AND a."status" = 'active'`;
  const rows: { positionId: string; value: number; count: number }[] = [];
  if (!positionIds) rows.push(...(prepared(conn, `${base} GROUP BY v."positionId", v."value"`).all(consultationId) as typeof rows));
  else {
    // In chunks of a fixed size, so a handful of statements cover every batch size.
    const CHUNK = 50;
    for (let i = 0; i < positionIds.length; i += CHUNK) {
      const chunk = positionIds.slice(i, i + CHUNK);
      const padded = [...chunk, ...Array<string>(CHUNK - chunk.length).fill("")];
      const sql = `${base} AND v."positionId" IN (${Array(CHUNK).fill("?").join(", ")}) GROUP BY v."positionId", v."value"`;
      rows.push(...(prepared(conn, sql).all(consultationId, ...padded) as typeof rows));
    }
  }
  return talliesByPosition(rows);
}
