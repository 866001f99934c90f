/**
 * What each consultation event shows, and to whom. Every event type has a rule: its audience (everyone
 * who may read the consultation, or its facilitators only) and the payload fields that may leave the
 * server. Anything not listed is dropped, so a field added to a payload later stays on the server until
 * someone decides here that it may be shown.
 *
 * Decisions, per the safety rules (README "Identity and privacy"):
 * - Participants appear only under their pseudonym; ids of people (participant, account) never leave.
 * - `vote.cast` carries nothing but its seq: a per-position count of vote events would give away how many
 *   people voted on a position whose tally reads "fewer than 5". Tallies come from `tallies.changed`,
 *   which only ever says what showTally shows. Live, votes are not sent one by one at all (they are
 *   folded into `tallies.changed`); only a replay after a disconnect carries them.
 * - `participant.joined` goes to facilitators only and without its group: joins per group would count
 *   the members of a group below the minimum (suppression applies to facilitators too).
 * - Moderation queues (flags, comments held for approval), suspensions, invitations and synthesis runs
 *   are facilitator views.
 * - Who wrote hidden or withdrawn content is shown to facilitators only: when events are replayed, the
 *   pseudonym of a position or comment that is no longer visible is dropped (see `authorOf`).
 * Police get exactly what any participant gets: the rules know only "everyone" and "facilitators".
 */
import type { ConsultationEvent, EventType } from "../consultations/events";
import type { ConsultationEventPayload } from "./event-map";

export type Audience = "everyone" | "facilitators";

export interface EventRule {
  audience: Audience;
  /** Payload fields that may be shown (primitive values only). */
  fields: readonly string[];
  /** The payload names an author by pseudonym: shown only while this content is visible. */
  authorOf?: { kind: "position" | "comment"; idField: string };
  /**
   * Not sent live one by one: the event's effect reaches the room through the next coalesced
   * `tallies.changed` (whose seq covers it). Replays after a disconnect still include it.
   */
  foldedIntoTallies?: true;
}

const everyone = (...fields: string[]): EventRule => ({ audience: "everyone", fields });
const facilitators = (...fields: string[]): EventRule => ({ audience: "facilitators", fields });

/** One rule per event type: a new EventType without a rule here does not compile. */
export const EVENT_RULES: Record<EventType, EventRule> = {
  "consultation.created": everyone("title", "importedFrom"),
  "consultation.updated": everyone("title", "schedule", "languages"),
  "phase.changed": everyone("from", "to", "scheduled"),
  "question.added": everyone("questionId", "title"),
  "question.updated": everyone("questionId", "title"),
  "question.removed": everyone("questionId"),
  "group.added": everyone("groupId", "name"),
  "group.updated": everyone("groupId", "name"),
  "group.removed": everyone("groupId"),
  "invitations.created": facilitators("groupId", "count"),
  "invitation.revoked": facilitators("invitationId", "batchId", "count"),
  "participant.joined": facilitators(),
  "participant.suspended": facilitators("pseudonym"),
  "participant.reinstated": facilitators("pseudonym"),
  // Someone erased their participation: their votes left every tally, their content left or shows as
  // withdrawn. No field at all: who it was is exactly what must not leave (participant-rights.ts).
  "participant.erased": everyone(),
  "position.submitted": { ...everyone("positionId", "questionId", "pseudonym", "language"), authorOf: { kind: "position", idField: "positionId" } },
  "position.edited": everyone("positionId", "questionId"),
  "position.withdrawn": everyone("positionId", "questionId"),
  "position.hidden": everyone("id", "positionId", "reason"),
  "position.restored": everyone("id", "positionId"),
  // A busy room casts hundreds of votes a second: sending each to every socket would cost more than
  // everything else together, and says nothing the next tally does not.
  "vote.cast": { ...everyone(), foldedIntoTallies: true },
  "comment.posted": { ...everyone("positionId", "commentId", "pseudonym", "stance", "language"), authorOf: { kind: "comment", idField: "commentId" } },
  "comment.edited": everyone("positionId", "commentId"),
  "comment.withdrawn": everyone("positionId", "commentId"),
  "comment.hidden": everyone("id", "positionId", "reason"),
  "comment.restored": everyone("id", "positionId"),
  // Held for pre-moderation during a live session: who wrote it, and that it exists, is for facilitators.
  "comment.held": facilitators("positionId", "commentId"),
  "comment.approved": { ...everyone("positionId", "commentId", "pseudonym", "stance", "language"), authorOf: { kind: "comment", idField: "commentId" } },
  "flag.raised": facilitators("target", "id"),
  "flag.dismissed": facilitators("target", "id"),
  "synthesis.started": facilitators("runId"),
  "synthesis.finished": facilitators("runId", "status"),
  "report.published": everyone("runId"),
  // Live sessions (consultations/live-sessions.ts): everyone who reads the consultation follows them.
  "live.opened": everyone("sessionId", "holdComments"),
  "live.updated": everyone("sessionId", "holdComments"),
  "live.spotlighted": everyone("sessionId", "positionId", "questionId"),
  "live.closed": everyone("sessionId", "spotlights"),
};

/** An event type recorded by code newer than this table (or an old, removed one): facilitators, no data. */
const UNKNOWN: EventRule = facilitators();

export function ruleFor(type: string): EventRule {
  return Object.hasOwn(EVENT_RULES, type) ? EVENT_RULES[type as EventType] : UNKNOWN;
}

/** Whether a viewer in this audience receives events of the rule. */
export function reaches(rule: EventRule, audience: Audience): boolean {
  return rule.audience === "everyone" || audience === "facilitators";
}

/** Events whose tally effect the fan-out recomputes: position ids come from the *recorded* payload. */
export const TALLY_EVENTS: ReadonlySet<string> = new Set(["vote.cast", "position.hidden", "position.restored", "position.withdrawn"]);
/** Events after which every tally of the consultation may have moved (suspended voters count for nothing). */
export const ALL_TALLIES_EVENTS: ReadonlySet<string> = new Set(["participant.suspended", "participant.reinstated", "participant.erased"]);

/**
 * The event as a viewer of `audience` sees it. `hiddenAuthor` says the content named by `authorOf` is no
 * longer visible (replays only: a live event is about content that was visible a moment ago).
 */
export function project(event: ConsultationEvent, audience: Audience, hiddenAuthor = false): ConsultationEventPayload | null {
  const rule = ruleFor(event.type);
  if (!reaches(rule, audience)) return null;
  const data: Record<string, unknown> = {};
  for (const field of rule.fields) {
    if (!Object.hasOwn(event.payload, field)) continue;
    const value = event.payload[field];
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") data[field] = value;
  }
  // Content no longer visible: neither who wrote it nor the language it is written in.
  if (hiddenAuthor && audience !== "facilitators") {
    delete data.pseudonym;
    delete data.language;
  }
  return { seq: event.seq, type: event.type, data, at: event.createdAt.toISOString() };
}
