/**
 * The group commit's arithmetic, with no database: given the accepted ballots of a batch (in order) and
 * the votes they touch as stored, what to insert, what to update, which `vote.cast` events to record and
 * which idempotency keys to store, and each ballot's outcome. Both writers (Prisma: consultations/votes.ts,
 * direct SQLite: consultations/votes-sqlite.ts) run it inside their transaction, so they cannot differ.
 */
import type { ConsultationKey, ConsultationRow } from "./access";
import { conflict, type DomainError } from "./errors";
import type { Viewer } from "./permissions";
import { storedKey } from "./request-keys";
import type { VoteChoice } from "./schemas";
import { EMPTY_TALLY, showTally, type ShownTally } from "./tallies";

export interface CastVote {
  positionId: string;
  choice: VoteChoice;
  /** Whether this changed anything (a repeated identical vote does not). */
  changed: boolean;
  tally: ShownTally;
}

/** What a vote did, before its tally is read (what an idempotency record keeps). */
export type VoteOutcome = Omit<CastVote, "tally">;

export interface Ballot {
  viewer: Viewer;
  key: ConsultationKey;
  positionId: string;
  choice: VoteChoice;
  /**
   * The client's idempotency key (socket votes): the outcome is stored with it in the vote's transaction
   * (consultations/request-keys.ts), and a ballot with a key already used by this participant (within a
   * day) is answered with the first outcome and the current tally, without voting again.
   */
  requestKey?: string;
}

export type BallotResult = { ok: true; vote: CastVote; repeated: boolean } | { ok: false; error: DomainError };

/** A ballot that passed every check, ready to write. */
export interface Accepted {
  index: number;
  ballot: Ballot;
  consultation: ConsultationRow;
  participantId: string;
  questionId: string;
  value: number;
}

export interface StoredVote {
  id: string;
  participantId: string;
  positionId: string;
  value: number;
}

export interface NewVote {
  consultationId: string;
  positionId: string;
  participantId: string;
  value: number;
}

export interface KeyRow {
  key: string;
  consultationId: string;
  participantId: string;
  response: string;
}

export interface BallotPlan {
  /** One per accepted ballot, in order (tallies filled in after the commit). */
  outcomes: BallotResult[];
  creates: NewVote[];
  /** Ids of stored votes to set to each value. */
  updates: Map<number, string[]>;
  /** `vote.cast` events by consultation, in order. The event names the position only, never who or how. */
  events: Map<string, { type: "vote.cast"; payload: { positionId: string; questionId: string } }[]>;
  keyRows: KeyRow[];
}

/** Placeholder until the tallies are read after the commit. */
export const PENDING_TALLY: ShownTally = showTally(EMPTY_TALLY, Number.MAX_SAFE_INTEGER);

export const pairKey = (participantId: string, positionId: string) => `${participantId}\u0000${positionId}`;

/** The (participant, position) pairs the batch touches. */
export function pairsOf(accepted: readonly Accepted[]): { participantId: string; positionId: string }[] {
  const pairs = new Map(accepted.map((a) => [pairKey(a.participantId, a.ballot.positionId), { participantId: a.participantId, positionId: a.ballot.positionId }]));
  return [...pairs.values()];
}

/** A retried ballot: the first outcome, if the retry asks for the same vote; a key reused for another is refused. */
export function repeatOf(ballot: Ballot, first: VoteOutcome): BallotResult {
  if (first.positionId !== ballot.positionId || first.choice !== ballot.choice) {
    return { ok: false, error: conflict("This idempotency key was already used for another vote.") };
  }
  return { ok: true, repeated: true, vote: { ...first, tally: PENDING_TALLY } };
}

/** Applies the ballots in order to the stored votes, in memory. */
export function planBallots(accepted: readonly Accepted[], stored: readonly StoredVote[]): BallotPlan {
  const rows = new Map(stored.map((v) => [pairKey(v.participantId, v.positionId), v]));
  const current = new Map(stored.map((v) => [pairKey(v.participantId, v.positionId), v.value]));
  const plan: BallotPlan = { outcomes: [], creates: [], updates: new Map(), events: new Map(), keyRows: [] };
  const usedKeys = new Map<string, VoteOutcome>();
  const firstOfPair = new Map<string, Accepted>();
  for (const a of accepted) {
    const requestKey = a.ballot.requestKey;
    const keyId = requestKey === undefined ? null : storedKey(a.participantId, requestKey);
    // The same key twice in one batch: the second is a retry of the first.
    const earlier = keyId === null ? undefined : usedKeys.get(keyId);
    if (earlier) {
      plan.outcomes.push(repeatOf(a.ballot, earlier));
      continue;
    }
    const id = pairKey(a.participantId, a.ballot.positionId);
    if (!firstOfPair.has(id)) firstOfPair.set(id, a);
    const changed = current.get(id) !== a.value;
    if (changed) {
      current.set(id, a.value);
      const list = plan.events.get(a.consultation.id) ?? [];
      list.push({ type: "vote.cast", payload: { positionId: a.ballot.positionId, questionId: a.questionId } });
      plan.events.set(a.consultation.id, list);
    }
    const outcome: VoteOutcome = { positionId: a.ballot.positionId, choice: a.ballot.choice, changed };
    if (keyId !== null) {
      usedKeys.set(keyId, outcome);
      plan.keyRows.push({ key: keyId, consultationId: a.consultation.id, participantId: a.participantId, response: JSON.stringify(outcome) });
    }
    plan.outcomes.push({ ok: true, repeated: false, vote: { ...outcome, tally: PENDING_TALLY } });
  }
  // New rows, and stored rows whose final value differs (grouped by value).
  for (const [id, value] of current) {
    const row = rows.get(id);
    if (!row) {
      const a = firstOfPair.get(id)!;
      plan.creates.push({ consultationId: a.consultation.id, positionId: a.ballot.positionId, participantId: a.participantId, value });
    } else if (row.value !== value) {
      const ids = plan.updates.get(value) ?? [];
      ids.push(row.id);
      plan.updates.set(value, ids);
    }
  }
  return plan;
}
