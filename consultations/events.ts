/**
 * The consultation's event log and the publisher hook.
 *
 * Every domain verb records one event inside its transaction (numbered per consultation, so a client
 * can later ask for "everything after 41") and, after the commit, hands it to the publisher, which the
 * realtime server sets. Event names are past tense. Payloads carry only what any participant of the
 * consultation may see: pseudonyms and content ids, never account ids, participant ids or emails.
 */
import type { Tx } from "./db/client";
import { loggableError } from "./log-safety";

export type EventType =
  | "consultation.created"
  | "consultation.updated"
  | "phase.changed"
  | "question.added"
  | "question.updated"
  | "question.removed"
  | "group.added"
  | "group.updated"
  | "group.removed"
  | "invitations.created"
  | "invitation.revoked"
  | "participant.joined"
  | "participant.suspended"
  | "participant.reinstated"
  /** A participant erased their participation (consultations/participant-rights.ts): no data at all. */
  | "participant.erased"
  | "position.submitted"
  | "position.edited"
  | "position.withdrawn"
  | "position.hidden"
  | "position.restored"
  | "vote.cast"
  | "comment.posted"
  | "comment.edited"
  | "comment.withdrawn"
  | "comment.hidden"
  | "comment.restored"
  /** Posted while a live session holds comments: only its author and the facilitators see it. */
  | "comment.held"
  /** A held comment was approved by a facilitator: visible to everyone now. */
  | "comment.approved"
  | "flag.raised"
  | "flag.dismissed"
  | "synthesis.started"
  | "synthesis.finished"
  | "report.published"
  /** Live sessions (consultations/live-sessions.ts). */
  | "live.opened"
  | "live.updated"
  | "live.spotlighted"
  | "live.closed";

export type ActorKind = "facilitator" | "participant" | "system";

export interface ConsultationEvent {
  consultationId: string;
  seq: number;
  type: EventType;
  actorKind: ActorKind;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** Records an event in the transaction and returns it, numbered. */
export async function recordEvent(
  tx: Tx,
  consultationId: string,
  type: EventType,
  actorKind: ActorKind,
  payload: Record<string, unknown>,
): Promise<ConsultationEvent> {
  const [event] = await recordEvents(tx, consultationId, actorKind, [{ type, payload }]);
  return event;
}

/**
 * Records several events of one consultation in the transaction, numbered in order: two statements
 * whatever their number (the sequence moves once, the rows go in one insert). Group commits use it.
 */
export async function recordEvents(
  tx: Tx,
  consultationId: string,
  actorKind: ActorKind,
  items: ReadonlyArray<{ type: EventType; payload: Record<string, unknown> }>,
  createdAt = new Date(),
): Promise<ConsultationEvent[]> {
  if (!items.length) return [];
  const { eventSeq } = await tx.consultation.update({
    where: { id: consultationId },
    data: { eventSeq: { increment: items.length } },
    select: { eventSeq: true },
  });
  const first = eventSeq - items.length + 1;
  const events = items.map((item, k) => ({ consultationId, seq: first + k, type: item.type, actorKind, payload: item.payload, createdAt }));
  await tx.consultationEvent.createMany({
    data: events.map((e) => ({ consultationId, seq: e.seq, type: e.type, actorKind, payload: JSON.stringify(e.payload), createdAt })),
  });
  return events;
}

export type Publisher = (event: ConsultationEvent) => void;

/**
 * The subscribers, held on globalThis: the Remix server build bundles its own copy of this module
 * (build/index.js), and the realtime server imports another; both must publish to the same listeners,
 * or events recorded by HTTP routes would never reach the sockets.
 */
const listenersKey = Symbol.for("polyphony.eventListeners");
const listeners: Set<Publisher> = ((globalThis as { [listenersKey]?: Set<Publisher> })[listenersKey] ??= new Set<Publisher>());

/** Subscribe to committed events (the realtime server does); returns an unsubscribe function. */
export function onEvent(listener: Publisher): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Hand committed events to the publishers. Call only after the transaction committed. */
export function publish(events: ConsultationEvent | ConsultationEvent[]): void {
  for (const event of Array.isArray(events) ? events : [events]) {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error(JSON.stringify({ level: "error", msg: "event listener failed", type: event.type, ...loggableError(error) }));
      }
    }
  }
}

/** Events after `afterSeq`, oldest first (catch-up after a disconnect). */
export async function eventsSince(
  db: Pick<Tx, "consultationEvent">,
  consultationId: string,
  afterSeq: number,
  limit = 500,
): Promise<ConsultationEvent[]> {
  const rows = await db.consultationEvent.findMany({
    where: { consultationId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
  });
  return rows.map((r) => ({
    consultationId: r.consultationId,
    seq: r.seq,
    type: r.type as EventType,
    actorKind: r.actorKind as ActorKind,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    createdAt: r.createdAt,
  }));
}
