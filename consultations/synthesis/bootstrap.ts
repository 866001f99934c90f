/**
 * Recommendation stability: would a statement still be a recommendation had other people of the same
 * groups taken part? B resamples of the participants with replacement (seeded mulberry32, one derived
 * stream per resample); in each, every participant counts as many times as drawn, the per-group support
 * of every statement is recomputed from those weights and the recommendation rule applied again. The
 * stability of a statement is the fraction of resamples in which it is a recommendation.
 *
 * Cost: O(participants + votes) per resample over flat typed arrays. The votes are walked
 * participant-major (the CSR half of the matrix) with a per-vote cell offset computed once: a
 * participant drawn 0 times (~37% of them) is skipped whole and each vote is one add. Measured here on
 * 10,000 x 2,000 at 15% (3M votes), 20 resamples: 215 ms walking the statement-major (CSC) arrays with a
 * per-vote weight lookup, 85 ms this way. Opinion groups are kept as found on the full data
 * (re-clustering every resample is what the clustering's own stability measure does). The default B
 * shrinks on large data so that B x votes stays under BOOTSTRAP_VOTE_BUDGET.
 */
import type { GroupAgreement } from "./consensus";
import { groupAgreement } from "./consensus";
import { deriveSeed, mulberry32 } from "./random";
import type { RecommendationMode } from "./recommend";
import { isRecommendation } from "./recommend";
import type { GroupCounts, VoteRows } from "./support";
import { cellOffsets, countByGroupWeighted } from "./support";
import { BOOTSTRAP_MIN_SAMPLES, BOOTSTRAP_SAMPLES, BOOTSTRAP_VOTE_BUDGET } from "./thresholds";

/** The number of resamples: the option when given, else BOOTSTRAP_SAMPLES reduced on large data. */
export function bootstrapSampleCount(votes: number, requested?: number): number {
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  if (votes <= 0) return 0;
  const byBudget = Math.floor(BOOTSTRAP_VOTE_BUDGET / votes);
  return Math.max(Math.min(BOOTSTRAP_SAMPLES, BOOTSTRAP_MIN_SAMPLES), Math.min(BOOTSTRAP_SAMPLES, byBudget));
}

/** One kind of grouping: each participant's group (-1 = none) and the number of groups. */
export interface BootstrapGrouping {
  groupOf: ArrayLike<number>;
  nGroups: number;
}

export interface BootstrapInput {
  rows: VoteRows;
  mode: RecommendationMode;
  /** Null when there are no declared groups at all. */
  declared: BootstrapGrouping | null;
  /** Null when there are no opinion groups. */
  opinion: BootstrapGrouping | null;
  minVoters: number;
  samples: number;
  seed: number;
  /** Called after each resample with the number done. */
  onSample?: (done: number) => void;
}

interface Prepared {
  grouping: BootstrapGrouping;
  offsets: Int32Array;
  out: GroupCounts;
}

function prepare(rows: VoteRows, grouping: BootstrapGrouping | null): Prepared | null {
  if (!grouping || grouping.nGroups === 0) return null;
  return {
    grouping,
    offsets: cellOffsets(rows, grouping.nGroups),
    out: { nStatements: rows.nStatements, nGroups: grouping.nGroups, counts: new Int32Array(rows.nStatements * grouping.nGroups * 3) },
  };
}

/** Fraction of resamples in which each statement is a recommendation (zeros when samples = 0). */
export function recommendationStability(input: BootstrapInput): Float64Array {
  const { rows, mode, minVoters, samples } = input;
  const S = rows.nStatements;
  const P = rows.nParticipants;
  const hits = new Int32Array(S);
  const out = new Float64Array(S);
  if (samples <= 0 || P === 0) return out;
  // Declared counts always matter (the divisive-gap rule); opinion counts only when they decide.
  const declared = prepare(rows, input.declared);
  const opinion = mode === "opinion" ? prepare(rows, input.opinion) : null;
  const weight = new Int32Array(P);
  for (let b = 0; b < samples; b++) {
    const random = mulberry32(deriveSeed(input.seed, b));
    weight.fill(0);
    for (let i = 0; i < P; i++) weight[Math.floor(random() * P)]++;
    let dA: GroupAgreement | null = null;
    let oA: GroupAgreement | null = null;
    if (declared) {
      countByGroupWeighted(rows, declared.offsets, declared.grouping.groupOf, weight, declared.out);
      dA = groupAgreement(declared.out, minVoters);
    }
    if (opinion) {
      countByGroupWeighted(rows, opinion.offsets, opinion.grouping.groupOf, weight, opinion.out);
      oA = groupAgreement(opinion.out, minVoters);
    }
    for (let s = 0; s < S; s++) if (isRecommendation(mode, dA, oA, s)) hits[s]++;
    input.onSample?.(b + 1);
  }
  for (let s = 0; s < S; s++) out[s] = hits[s] / samples;
  return out;
}
