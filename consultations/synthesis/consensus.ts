/**
 * Group-aware consensus, bridging and divisiveness, for any grouping of participants (Polis's opinion
 * groups, the engine's own opinion groups, or the declared stakeholder groups).
 *
 * Group-aware consensus (Polis's `group-informed-consensus`) = product over groups g of
 * (A_g + 1) / (S_g + 2), where A_g counts the agrees of group g on the statement and S_g all its votes,
 * passes included. Only participants with a group count. A product of per-group rates gives every group
 * the same weight whatever its size: one group that disagrees pulls the product down however small it is.
 */
import type { GroupCounts, VoteColumns } from "./support";
import { AGREE, DISAGREE, PASS, countByGroup, smoothed } from "./support";
import { BRIDGE_MAJORITY, MIN_GROUPS_TO_BRIDGE, MIN_VOTERS_PER_GROUP } from "./thresholds";

/**
 * Consensus of every statement from per-group counts. `include[g]` = 0 leaves group g out of the product
 * (the engine leaves out declared groups nobody in the consultation belongs to); by default all count,
 * as in Polis, where a group that did not vote on a statement contributes 1/2.
 */
export function consensusFromCounts(gc: GroupCounts, include?: ArrayLike<number>): Float64Array {
  const { nStatements: S, nGroups: G, counts } = gc;
  const out = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let product = 1;
    const base = s * G * 3;
    for (let g = 0; g < G; g++) {
      if (include && !include[g]) continue;
      const o = base + g * 3;
      const a = counts[o + AGREE];
      const n = a + counts[o + DISAGREE] + counts[o + PASS];
      product *= (a + 1) / (n + 2);
    }
    out[s] = product;
  }
  return out;
}

/**
 * Group-aware consensus for a given grouping: groupOf[p] is participant p's group (0..nGroups-1) or -1
 * (not in any group: their votes do not count).
 */
export function groupAwareConsensus(cols: VoteColumns, groupOf: ArrayLike<number>, nGroups: number): Float64Array {
  return consensusFromCounts(countByGroup(cols, groupOf, nGroups));
}

/**
 * The same from a participant -> group map, e.g. Polis's own `group-id` column: participantIds[p] names
 * row p of the columns; participants missing from the map (or mapped to null / "") count for no group.
 * Groups are numbered in order of first appearance among the participants.
 */
export function groupAwareConsensusFromMap(
  cols: VoteColumns,
  participantIds: readonly string[],
  groupByParticipant: ReadonlyMap<string, string | null> | Readonly<Record<string, string | null>>,
): { consensus: Float64Array; groupIds: string[] } {
  const lookup = (id: string): string | null | undefined =>
    groupByParticipant instanceof Map
      ? groupByParticipant.get(id)
      : Object.prototype.hasOwnProperty.call(groupByParticipant, id)
        ? (groupByParticipant as Readonly<Record<string, string | null>>)[id]
        : undefined;
  const index = new Map<string, number>();
  const groupIds: string[] = [];
  const groupOf = new Int32Array(cols.nParticipants).fill(-1);
  for (let p = 0; p < cols.nParticipants; p++) {
    const g = lookup(participantIds[p]);
    if (g === null || g === undefined || g === "") continue;
    let gi = index.get(g);
    if (gi === undefined) {
      gi = groupIds.length;
      index.set(g, gi);
      groupIds.push(g);
    }
    groupOf[p] = gi;
  }
  return { consensus: groupAwareConsensus(cols, groupOf, groupIds.length), groupIds };
}

/** Per statement: bridging, divisiveness and the groups most for and most against. */
export interface GroupAgreement {
  /** Groups with enough voters (n >= minVotersPerGroup) on the statement. */
  enoughGroups: Int32Array;
  /** 1 when at least MIN_GROUPS_TO_BRIDGE groups have enough voters and a majority of each agrees. */
  bridges: Uint8Array;
  /** Largest difference of smoothed agree rates between two groups with enough voters; 0 if < 2 such. */
  divisiveness: Float64Array;
  /** Group with the highest / lowest agree rate among those with enough voters; -1 if none. */
  mostFor: Int32Array;
  mostAgainst: Int32Array;
}

/** True when a majority of the group agrees: agree > n/2, i.e. smoothed (a+1)/(n+2) > 1/2. */
export function majorityAgrees(agree: number, n: number): boolean {
  return smoothed(agree, n) > BRIDGE_MAJORITY;
}

/** Bridging and divisiveness of every statement. O(statements x groups). */
export function groupAgreement(gc: GroupCounts, minVoters: number = MIN_VOTERS_PER_GROUP): GroupAgreement {
  const { nStatements: S, nGroups: G, counts } = gc;
  const enoughGroups = new Int32Array(S);
  const bridges = new Uint8Array(S);
  const divisiveness = new Float64Array(S);
  const mostFor = new Int32Array(S).fill(-1);
  const mostAgainst = new Int32Array(S).fill(-1);
  for (let s = 0; s < S; s++) {
    let enough = 0;
    let allAgree = true;
    let hi = -Infinity;
    let lo = Infinity;
    let hiG = -1;
    let loG = -1;
    const base = s * G * 3;
    for (let g = 0; g < G; g++) {
      const o = base + g * 3;
      const a = counts[o + AGREE];
      const n = a + counts[o + DISAGREE] + counts[o + PASS];
      if (n < minVoters) continue;
      enough++;
      const rate = smoothed(a, n);
      if (!(rate > BRIDGE_MAJORITY)) allAgree = false;
      if (rate > hi) {
        hi = rate;
        hiG = g;
      }
      if (rate < lo) {
        lo = rate;
        loG = g;
      }
    }
    enoughGroups[s] = enough;
    bridges[s] = enough >= MIN_GROUPS_TO_BRIDGE && allAgree ? 1 : 0;
    divisiveness[s] = enough >= 2 ? hi - lo : 0;
    mostFor[s] = hiG;
    mostAgainst[s] = loG;
  }
  return { enoughGroups, bridges, divisiveness, mostFor, mostAgainst };
}
