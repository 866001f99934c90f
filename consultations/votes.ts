/**
 * Votes (the Vote aggregate): agree / disagree / pass, one per participant per position (a unique
 * constraint), changeable while voting is open. Who voted what is never shown to anyone.
 *
 * Every vote goes through `castVotes`, which applies a batch of ballots in one transaction with a fixed
 * number of statements whatever the batch size (a group commit): the HTTP vote is a batch of one, the
 * socket server batches whatever arrived while the previous batch was being written
 * (realtime/vote-over-socket.ts). Each ballot is authorised and checked on its own and gets its own
 * answer or error; ballots are applied in order, so two ballots of one person on one position in a batch
 * end as the later one says, exactly as if they had come one after the other.
 */
import { findConsultation, type ConsultationKey, type ConsultationRow } from "./access";
import type { Db } from "./db/client";
import { directSqlite } from "./db/direct-sqlite";
import { conflict, forbidden, isDomainError, notFound } from "./errors";
import { authorize, participantIn, type Viewer } from "./permissions";
import { loadCommittedTallies } from "./positions";
import { isDuplicateKey, REQUEST_KEY_TTL_MS, storedKey } from "./request-keys";
import { tryConsume, VOTES_PER_GROUP_PER_SECOND, VOTES_PER_PARTICIPANT_PER_MINUTE } from "./rate-limits";
import { VOTE_VALUE, VoteInput } from "./schemas";
import { EMPTY_TALLY, showTally, type ShownTally } from "./tallies";
import { commit } from "./unit-of-work";
import { pairsOf, planBallots, repeatOf, type Accepted, type Ballot, type BallotResult, type CastVote, type VoteOutcome } from "./vote-plan";
import { writeBallotsSqlite } from "./votes-sqlite";
import { parseInput } from "./validate";

export type { Ballot, BallotResult, CastVote, VoteOutcome } from "./vote-plan";

/** Attempts of a batch whose insert met a row written meanwhile by another process (unique constraint). */
const BATCH_ATTEMPTS = 3;

/** Casts or changes the viewer's vote on a position of this consultation (HTTP forms: a batch of one). */
export async function castVote(db: Db, viewer: Viewer, key: ConsultationKey, positionId: string, raw: unknown): Promise<CastVote> {
  const { choice } = parseInput(VoteInput, raw, "Choose agree, disagree or pass.");
  const [result] = await castVotes(db, [{ viewer, key, positionId, choice }]);
  if (!result.ok) throw result.error;
  return result.vote;
}

/** Applies the ballots in order, in one transaction; one result per ballot, in the same order. */
export async function castVotes(db: Db, ballots: readonly Ballot[], now = () => new Date()): Promise<BallotResult[]> {
  const results: (BallotResult | undefined)[] = new Array(ballots.length);
  const refuse = (index: number, error: unknown) => {
    if (!isDomainError(error)) throw error;
    results[index] = { ok: false, error };
  };

  // 1. The consultations (a scheduled phase change is applied here, as for any request) and who may vote.
  const consultations = new Map<string, Promise<ConsultationRow | null>>();
  const consultationOf = (key: ConsultationKey) => {
    const id = "id" in key ? `id:${key.id}` : `slug:${key.slug}`;
    if (!consultations.has(id)) consultations.set(id, findConsultation(db, key));
    return consultations.get(id)!;
  };
  const authorised: { index: number; consultation: ConsultationRow; participantId: string; groupId: string }[] = [];
  for (const [index, ballot] of ballots.entries()) {
    try {
      const consultation = await consultationOf(ballot.key);
      if (!consultation) throw notFound("This consultation");
      authorize(ballot.viewer, consultation, "vote");
      const me = participantIn(ballot.viewer, consultation.id)!;
      authorised.push({ index, consultation, participantId: me.id, groupId: me.groupId });
    } catch (error) {
      refuse(index, error);
    }
  }

  // 2. Keys used before: the first answer again (read before the positions: a retry is answered even if
  //    the position was hidden since).
  const keyed = authorised.filter((a) => ballots[a.index].requestKey !== undefined);
  const stored = new Map<string, { response: string; createdAt: Date; participantId: string }>();
  if (keyed.length) {
    const rows = await db.processedRequest.findMany({
      where: { key: { in: keyed.map((a) => storedKey(a.participantId, ballots[a.index].requestKey!)) } },
      select: { key: true, response: true, createdAt: true, participantId: true },
    });
    for (const row of rows) stored.set(row.key, row);
  }
  const cutoff = new Date(now().getTime() - REQUEST_KEY_TTL_MS);
  const expiredKeys: string[] = [];
  const fresh: typeof authorised = [];
  // Abuse limits (in memory, O(1) per ballot, no query): the voter's and their stakeholder group's rates.
  // Checked in order, so a burst past the limit is cut exactly where it goes over; a retry answered from
  // its idempotency key (above) costs nothing.
  const limited = (a: (typeof authorised)[number]) => {
    const refused = tryConsume([
      [VOTES_PER_PARTICIPANT_PER_MINUTE, a.participantId],
      [VOTES_PER_GROUP_PER_SECOND, a.groupId],
    ]);
    if (refused) results[a.index] = { ok: false, error: refused };
    return !!refused;
  };
  for (const a of authorised) {
    const requestKey = ballots[a.index].requestKey;
    const row = requestKey === undefined ? undefined : stored.get(storedKey(a.participantId, requestKey));
    if (!row) {
      if (!limited(a)) fresh.push(a);
    } else if (row.createdAt < cutoff || row.participantId !== a.participantId) {
      if (limited(a)) continue;
      expiredKeys.push(storedKey(a.participantId, requestKey!));
      fresh.push(a);
    } else results[a.index] = repeatOf(ballots[a.index], JSON.parse(row.response) as VoteOutcome);
  }

  // 3. The positions: in this consultation, visible, not the voter's own.
  const positions = new Map(
    (
      await db.position.findMany({
        where: { id: { in: [...new Set(fresh.map((a) => ballots[a.index].positionId))] } },
        select: { id: true, consultationId: true, status: true, authorId: true, questionId: true },
      })
    ).map((p) => [p.id, p]),
  );
  const accepted: Accepted[] = [];
  for (const a of fresh) {
    const ballot = ballots[a.index];
    const position = positions.get(ballot.positionId);
    if (!position || position.consultationId !== a.consultation.id) refuse(a.index, notFound("This position"));
    else if (position.status !== "visible") refuse(a.index, conflict("This position is no longer open for votes."));
    else if (position.authorId === a.participantId) refuse(a.index, forbidden("You cannot vote on your own position."));
    else accepted.push({ ...a, ballot, questionId: position.questionId, value: VOTE_VALUE[ballot.choice] });
  }

  // 4. One transaction for all of them.
  if (accepted.length) {
    for (let attempt = 1; ; attempt++) {
      try {
        const direct = directSqlite();
        const outcomes = direct ? await writeBallotsSqlite(direct, accepted, expiredKeys, now()) : await writeBallots(db, accepted, expiredKeys, now());
        for (const [k, a] of accepted.entries()) results[a.index] = outcomes[k];
        break;
      } catch (error) {
        // Another process inserted a vote or key of this batch meanwhile: read again and redo the batch.
        if (!isDuplicateKey(error) || attempt >= BATCH_ATTEMPTS) throw error;
      }
    }
  }

  // 5. The tallies as anyone may see them, after the commit (one query per consultation).
  const byConsultation = new Map<string, { consultation: ConsultationRow; positionIds: Set<string> }>();
  for (const a of authorised) {
    const r = results[a.index];
    if (!r?.ok) continue;
    const entry = byConsultation.get(a.consultation.id) ?? { consultation: a.consultation, positionIds: new Set<string>() };
    entry.positionIds.add(r.vote.positionId);
    byConsultation.set(a.consultation.id, entry);
  }
  const tallies = new Map<string, ShownTally>();
  for (const { consultation, positionIds } of byConsultation.values()) {
    const counted = await loadCommittedTallies(db, consultation.id, [...positionIds]);
    for (const id of positionIds) tallies.set(id, showTally(counted.get(id) ?? EMPTY_TALLY, consultation.minGroupSize));
  }
  return results.map((r) => {
    if (!r) throw new Error("castVotes: a ballot got no result");
    if (!r.ok) return r;
    return { ...r, vote: { ...r.vote, tally: tallies.get(r.vote.positionId) ?? r.vote.tally } };
  });
}

/** The batch through Prisma (PostgreSQL, or SQLite without the direct connection). */
async function writeBallots(db: Db, accepted: readonly Accepted[], expiredKeys: readonly string[], at: Date): Promise<BallotResult[]> {
  return commit(db, async (tx, _emit, emitMany) => {
    // Exactly the (participant, position) pairs of the batch (the unique index answers each).
    const stored = await tx.vote.findMany({ where: { OR: pairsOf(accepted) }, select: { id: true, participantId: true, positionId: true, value: true } });
    const plan = planBallots(accepted, stored);
    if (plan.creates.length) await tx.vote.createMany({ data: plan.creates.map((v) => ({ ...v, createdAt: at, updatedAt: at })) });
    for (const [value, ids] of plan.updates) await tx.vote.updateMany({ where: { id: { in: ids } }, data: { value, updatedAt: at } });
    for (const [consultationId, items] of plan.events) await emitMany(consultationId, "participant", items);
    if (expiredKeys.length) await tx.processedRequest.deleteMany({ where: { key: { in: [...expiredKeys] } } });
    if (plan.keyRows.length) await tx.processedRequest.createMany({ data: plan.keyRows.map((k) => ({ ...k, createdAt: at })) });
    return plan.outcomes;
  });
}
