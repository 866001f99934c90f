/**
 * One write, one transaction: the work saves and records its events; the events are published only
 * after the commit, so nobody ever sees a change that was rolled back.
 */
import type { Db, Tx } from "./db/client";
import { publish, recordEvent, type ActorKind, type ConsultationEvent, type EventType } from "./events";

export type Emit = (
  consultationId: string,
  type: EventType,
  actorKind: ActorKind,
  payload: Record<string, unknown>,
) => Promise<ConsultationEvent>;

export async function commit<T>(db: Db, work: (tx: Tx, emit: Emit) => Promise<T>): Promise<T> {
  const events: ConsultationEvent[] = [];
  const result = await db.$transaction(
    async (tx) =>
      work(tx, async (consultationId, type, actorKind, payload) => {
        const event = await recordEvent(tx, consultationId, type, actorKind, payload);
        events.push(event);
        return event;
      }),
    { timeout: 15_000, maxWait: 10_000 },
  );
  publish(events);
  return result;
}
