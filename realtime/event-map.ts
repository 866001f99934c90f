/**
 * The realtime contract: every socket.io event between server and browser, its name (past tense for what
 * happened, imperative-free "requests" for what a client asks) and its payload schema. One module, used by
 * the server (to parse what clients send, to type what it emits) and by the browser (to type both ways).
 *
 * It uses zod/mini, the tree-shakable build of zod, so the browser pays a few KB for it instead of the
 * ~460 KB full zod would cost a phone. Browser-safe: no Node imports here.
 */
import * as z from "zod/mini";

// ---- shared pieces -------------------------------------------------------------------------

/** A tally as anyone may see it: numbers, or "fewer than N voted" (suppressed). */
export const ShownTallyPayload = z.union([
  z.object({ suppressed: z.literal(false), agree: z.number(), disagree: z.number(), pass: z.number(), total: z.number() }),
  z.object({ suppressed: z.literal(true), minimum: z.number() }),
]);
export type ShownTallyPayload = z.infer<typeof ShownTallyPayload>;

/**
 * Every consultation event carries its per-consultation sequence number: the client remembers the last one
 * it saw and, on reconnect, asks for everything after it (replayed from the database).
 *
 * Seqs only grow, and a client never receives one twice; they are not contiguous for participants, because
 * facilitator-only events (flags, suspensions, invitations, synthesis runs) are left out. After a join, the
 * last seq to remember is max(last event received, the ack's `seq`). Which fields `data` has per type is
 * decided in realtime/event-policy.ts (e.g. `vote.cast` has none, and is only replayed, never sent live:
 * tallies come from `tallies.changed`, whose `seq` covers the votes it folds in). Events about a new text
 * (`position.submitted`, `comment.posted`, `comment.approved`) carry its `language` (a code of the
 * consultation's languages); `consultation.updated` carries `languages` ("en,pt") when they changed.
 */
export const ConsultationEventPayload = z.object({
  seq: z.number(),
  /** Past tense: position.submitted, vote.cast, comment.posted, position.hidden, phase.changed, ... */
  type: z.string(),
  /** Only what any participant of the consultation may see: pseudonyms and content ids, never people's ids. */
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type ConsultationEventPayload = z.infer<typeof ConsultationEventPayload>;

// ---- client -> server ----------------------------------------------------------------------

const Id = z.string().check(z.minLength(1), z.maxLength(64));
const Slug = z.string().check(z.minLength(1), z.maxLength(60));

/**
 * Join a consultation's room; `afterSeq` asks for the events missed since then (replayed as
 * `consultation.event` before the ack). Without it nothing is replayed: pass the seq the page was loaded at.
 */
export const JoinRequest = z.object({ slug: Slug, afterSeq: z.optional(z.number().check(z.int(), z.nonnegative())) });
export type JoinRequest = z.infer<typeof JoinRequest>;

/**
 * Cast or change a vote. `idempotencyKey` makes a retried vote count once: the same key (per participant,
 * kept a day) gets the first answer again (with the current tally) without voting again; a key reused for
 * another position or choice is refused (409). Use a fresh random key per vote the person casts.
 */
export const VoteRequest = z.object({
  slug: Slug,
  positionId: Id,
  choice: z.enum(["agree", "disagree", "pass"]),
  idempotencyKey: z.string().check(z.minLength(8), z.maxLength(64)),
});
export type VoteRequest = z.infer<typeof VoteRequest>;

/** Facilitator: spotlight a position in the live session (or null to clear it). */
export const SpotlightRequest = z.object({ slug: Slug, positionId: z.nullable(Id) });
export type SpotlightRequest = z.infer<typeof SpotlightRequest>;

/**
 * What every acknowledgement looks like: ok with data, or an error a person can read. Statuses are the
 * HTTP ones: 400 unknown event, 401 session ended, 403 not allowed (role or phase), 404 not found (also a
 * consultation the viewer does not belong to), 409 conflict, 422 invalid payload, 429 too many events.
 */
export type Ack<T = unknown> =
  | { ok: true; data: T }
  /** `retryAfterSeconds` with 429 from the abuse limits (consultations/rate-limits.ts): when to try again. */
  | { ok: false; error: { status: number; message: string; retryAfterSeconds?: number } };

// ---- server -> client ----------------------------------------------------------------------

export const TallyUpdate = z.object({ positionId: Id, tally: ShownTallyPayload });
export type TallyUpdate = z.infer<typeof TallyUpdate>;

/**
 * Coalesced tallies. `seq`: every event up to it has been sent to this socket or is folded into these
 * tallies (`vote.cast` is not sent live one by one, see realtime/event-policy.ts): remember it like an
 * event's seq, so a reconnect does not replay those votes.
 */
export const TalliesChanged = z.object({ seq: z.number(), updates: z.array(TallyUpdate) });
export type TalliesChanged = z.infer<typeof TalliesChanged>;

export const PresenceUpdate = z.object({
  /** People connected to the consultation now (suppressed below the minimum: "fewer than N"). */
  present: z.union([z.object({ suppressed: z.literal(false), count: z.number() }), z.object({ suppressed: z.literal(true), minimum: z.number() })]),
});
export type PresenceUpdate = z.infer<typeof PresenceUpdate>;

export interface JoinedData {
  /** The consultation's last sequence number after the replay. */
  seq: number;
  /** Events replayed (after `afterSeq`), oldest first. */
  replayed: number;
}

/**
 * Why a socket's session ended: "signed-out" (sign-out, password change, "sign out everywhere", expiry),
 * "suspended" (the participant was suspended), "replaced" (a sign-in on this device replaced the session:
 * the browser already holds the new cookie, so reconnecting works).
 */
export interface SessionEnded {
  message: string;
  reason?: "signed-out" | "suspended" | "replaced";
}

export interface ServerToClientEvents {
  /** A consultation event (live, or replayed after a reconnect). */
  "consultation.event": (event: ConsultationEventPayload) => void;
  /** Coalesced tallies: at most a few a second per consultation; only tallies whose shown value changed. */
  "tallies.changed": (changed: TalliesChanged) => void;
  "presence.changed": (update: PresenceUpdate) => void;
  /**
   * The session was revoked (sign-out, password change, "sign out everywhere", a new sign-in on this
   * device) or the participant suspended: the server disconnects the socket right after this. Reconnecting
   * only works with a new session cookie (`reason: "replaced"`: the browser has one already).
   */
  "session.ended": (ended: SessionEnded) => void;
}

export interface ClientToServerEvents {
  "consultation.join": (request: JoinRequest, ack: (result: Ack<JoinedData>) => void) => void;
  "vote.cast": (request: VoteRequest, ack: (result: Ack<{ positionId: string; choice: string; changed: boolean; tally: ShownTallyPayload }>) => void) => void;
  "live.spotlight": (request: SpotlightRequest, ack: (result: Ack<{ positionId: string | null }>) => void) => void;
}

/**
 * Tallies are sent at most this often per consultation, ms (at most 12.5 updates a second; the first vote
 * after a quiet spell is sent at once). Why 80: a vote must show on every screen within 150 ms (p99) in a
 * room of 2,000 (issue 4); a vote waits up to one window, and the fan-out to 2,000 sockets takes 30-60 ms
 * on our 2-core machine. At 100 ms the p99 measured 146-154 ms, at 80 ms 115-125 ms (README benchmarks).
 * Each update carries every tally that moved, so a busy room costs each socket 12 small messages a
 * second, however many vote.
 */
export const TALLY_COALESCE_MS = 80;
/** Presence (people connected) is sent at most this often per consultation, ms. */
export const PRESENCE_COALESCE_MS = 1000;
