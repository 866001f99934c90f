/**
 * `vote.cast` over the socket: authorised and validated exactly like the HTTP vote (the same domain verb,
 * consultations/votes.ts castVote), applied once per idempotency key. The key's record is written in the
 * vote's own transaction (consultations/request-keys.ts), so a retry with the same key (same participant,
 * within a day) never votes again and gets the first answer back, with the current tally.
 */
import { access } from "../consultations/access";
import type { Db } from "../consultations/db/client";
import { conflict } from "../consultations/errors";
import type { Viewer } from "../consultations/permissions";
import { loadTallies } from "../consultations/positions";
import { applyOnce } from "../consultations/request-keys";
import { EMPTY_TALLY, showTally } from "../consultations/tallies";
import { castVote, type VoteOutcome } from "../consultations/votes";
import type { ShownTallyPayload, VoteRequest } from "./event-map";

/** The ack's data: what the vote did and the position's tally as anyone may see it. */
export interface VoteAnswer extends VoteOutcome {
  tally: ShownTallyPayload;
}

export async function voteOverSocket(db: Db, viewer: Viewer, request: VoteRequest): Promise<VoteAnswer> {
  // Facilitators, outsiders, suspended participants and closed phases are refused here, as over HTTP.
  const ctx = await access(db, viewer, { slug: request.slug }, "vote");
  const me = ctx.me!;
  const once = await applyOnce<VoteOutcome, VoteAnswer>(
    db,
    { consultationId: ctx.consultation.id, participantId: me.id, clientKey: request.idempotencyKey },
    (remember) =>
      castVote(db, viewer, { id: ctx.consultation.id }, request.positionId, { choice: request.choice }, {
        access: ctx,
        withinTransaction: (tx, outcome) => remember(tx, outcome),
      }),
  );
  if (!once.repeated) return once.response;
  const first = once.response;
  if (first.positionId !== request.positionId || first.choice !== request.choice) {
    throw conflict("This idempotency key was already used for another vote.");
  }
  const tallies = await loadTallies(db, ctx.consultation.id, [first.positionId]);
  return { ...first, tally: showTally(tallies.get(first.positionId) ?? EMPTY_TALLY, ctx.consultation.minGroupSize) };
}
