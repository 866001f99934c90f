/**
 * One write, one transaction: the work saves and records its events; the events are published only
 * after the commit, so nobody ever sees a change that was rolled back.
 */
import type { Db, Tx } from "./db/client";
import { publish, recordEvent, recordEvents, type ActorKind, type ConsultationEvent, type EventType } from "./events";

export type Emit = (
  consultationId: string,
  type: EventType,
  actorKind: ActorKind,
  payload: Record<string, unknown>,
) => Promise<ConsultationEvent>;

/** Records many events of one consultation at once (two statements: see recordEvents). */
export type EmitMany = (
  consultationId: string,
  actorKind: ActorKind,
  items: ReadonlyArray<{ type: EventType; payload: Record<string, unknown> }>,
) => Promise<ConsultationEvent[]>;

export async function commit<T>(db: Db, work: (tx: Tx, emit: Emit, emitMany: EmitMany) => Promise<T>): Promise<T> {
  const events: ConsultationEvent[] = [];
  const result = await db.$transaction(
    async (tx) =>
      work(
        tx,
        async (consultationId, type, actorKind, payload) => {
          const event = await recordEvent(tx, consultationId, type, actorKind, payload);
          events.push(event);
          return event;
        },
        async (consultationId, actorKind, items) => {
          const recorded = await recordEvents(tx, consultationId, actorKind, items);
          events.push(...recorded);
          return recorded;
        },
      ),
    { timeout: 15_000, maxWait: 10_000 },
  );
  publish(events);
  return result;
}
