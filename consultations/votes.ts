/**
 * Votes (the Vote aggregate): agree / disagree / pass, one per participant per position (a unique
 * constraint), changeable while voting is open. Who voted what is never shown to anyone.
 */
import type { Db, Tx } from "./db/client";
import { access, type Access, type ConsultationKey } from "./access";
import { conflict, forbidden, notFound } from "./errors";
import type { Viewer } from "./permissions";
import { loadTallies } from "./positions";
import { VOTE_VALUE, VoteInput, type VoteChoice } from "./schemas";
import { EMPTY_TALLY, showTally, type ShownTally } from "./tallies";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";

export interface CastVote {
  positionId: string;
  choice: VoteChoice;
  /** Whether this changed anything (a repeated identical vote does not). */
  changed: boolean;
  tally: ShownTally;
}

/** What a vote did, before its tally is read (what an idempotency record keeps). */
export type VoteOutcome = Omit<CastVote, "tally">;

export interface CastVoteOptions {
  /**
   * The viewer's access to the consultation for "vote", already checked by the caller moments ago
   * (saves loading the consultation twice). Must come from `access(db, viewer, key, "vote")`.
   */
  access?: Access;
  /**
   * Runs inside the vote's transaction, after the vote is written (or found unchanged), before the
   * commit: whatever it writes commits or rolls back with the vote (the socket's idempotency record).
   */
  withinTransaction?: (tx: Tx, outcome: VoteOutcome) => Promise<void>;
}

/** Casts or changes the viewer's vote on a position of this consultation. */
export async function castVote(
  db: Db,
  viewer: Viewer,
  key: ConsultationKey,
  positionId: string,
  raw: unknown,
  options: CastVoteOptions = {},
): Promise<CastVote> {
  const ctx = options.access ?? (await access(db, viewer, key, "vote"));
  const { choice } = parseInput(VoteInput, raw, "Choose agree, disagree or pass.");
  const me = ctx.me!;
  const position = await db.position.findFirst({ where: { id: positionId, consultationId: ctx.consultation.id }, select: { id: true, status: true, authorId: true, questionId: true } });
  if (!position) throw notFound("This position");
  if (position.status !== "visible") throw conflict("This position is no longer open for votes.");
  if (position.authorId === me.id) throw forbidden("You cannot vote on your own position.");
  const value = VOTE_VALUE[choice];
  const changed = await commit(db, async (tx, emit) => {
    const existing = await tx.vote.findUnique({ where: { participantId_positionId: { participantId: me.id, positionId } }, select: { value: true } });
    const changed = existing?.value !== value;
    if (changed) {
      await tx.vote.upsert({
        where: { participantId_positionId: { participantId: me.id, positionId } },
        create: { consultationId: ctx.consultation.id, positionId, participantId: me.id, value },
        update: { value },
      });
      // The event says which position's tally moved, never who voted or how.
      await emit(ctx.consultation.id, "vote.cast", "participant", { positionId, questionId: position.questionId });
    }
    await options.withinTransaction?.(tx, { positionId, choice, changed });
    return changed;
  });
  const tallies = await loadTallies(db, ctx.consultation.id, [positionId]);
  return { positionId, choice, changed, tally: showTally(tallies.get(positionId) ?? EMPTY_TALLY, ctx.consultation.minGroupSize) };
}
