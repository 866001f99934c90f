/**
 * Support per statement and group: counts of agree / disagree / pass and smoothed rates (a+1)/(n+2).
 *
 * Works on the statement-major (CSC) arrays of the vote matrix and a participant -> group index array,
 * in O(votes), with flat typed arrays (no object per vote). Every group is counted on its own: a group's
 * figures never depend on its size relative to other groups, so a big group cannot outweigh small ones
 * in anything computed from these counts (consensus multiplies groups, divisiveness compares them).
 */
import type { GroupSupport } from "./types";
import { MIN_VOTERS_PER_GROUP } from "./thresholds";

/**
 * The statement-major view of the votes this half needs: for statement s, entries colPtr[s] ..
 * colPtr[s+1]-1 hold the participant index (rowIdx) and the vote (values: -1, 0, +1).
 */
export interface VoteColumns {
  nParticipants: number;
  nStatements: number;
  colPtr: ArrayLike<number>;
  rowIdx: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** Offsets of the three counts inside one (statement, group) cell of {@link GroupCounts.counts}. */
export const AGREE = 0;
export const DISAGREE = 1;
export const PASS = 2;

/**
 * Counts per (statement, group): counts[(s * nGroups + g) * 3 + AGREE | DISAGREE | PASS].
 * Weighted counts (bootstrap) use the same layout.
 */
export interface GroupCounts {
  nStatements: number;
  nGroups: number;
  counts: Int32Array;
}

/** Slot of a vote value: +1 -> AGREE, -1 -> DISAGREE, 0 -> PASS. */
export function voteSlot(value: number): number {
  return value > 0 ? AGREE : value < 0 ? DISAGREE : PASS;
}

/** Agree / disagree / pass counts of every group on every statement. O(votes). */
export function countByGroup(cols: VoteColumns, groupOf: ArrayLike<number>, nGroups: number): GroupCounts {
  return countStatements(cols, [{ groupOf, nGroups }]).groups[0];
}

/**
 * One pass over the votes for several groupings at once (declared and opinion groups) and the totals
 * of everybody: [agree, disagree, pass] per statement, counted whether the voter has a group or not.
 */
export function countStatements(
  cols: VoteColumns,
  groupings: ReadonlyArray<{ groupOf: ArrayLike<number>; nGroups: number }>,
): { groups: GroupCounts[]; totals: Int32Array } {
  const S = cols.nStatements;
  const { colPtr, rowIdx, values } = cols;
  const totals = new Int32Array(S * 3);
  const groups = groupings.map((g) => ({ nStatements: S, nGroups: g.nGroups, counts: new Int32Array(S * g.nGroups * 3) }));
  // Totals first, then one tight loop per grouping (faster than one loop over all groupings per vote).
  for (let s = 0; s < S; s++) {
    const end = colPtr[s + 1];
    for (let k = colPtr[s]; k < end; k++) {
      const v = values[k];
      totals[s * 3 + (v > 0 ? AGREE : v < 0 ? DISAGREE : PASS)]++;
    }
  }
  for (let t = 0; t < groups.length; t++) {
    const groupOf = groupings[t].groupOf;
    const counts = groups[t].counts;
    const stride = groups[t].nGroups * 3;
    if (stride === 0) continue;
    for (let s = 0; s < S; s++) {
      const base = s * stride;
      const end = colPtr[s + 1];
      for (let k = colPtr[s]; k < end; k++) {
        const g = groupOf[rowIdx[k]];
        if (g < 0) continue;
        const v = values[k];
        counts[base + g * 3 + (v > 0 ? AGREE : v < 0 ? DISAGREE : PASS)]++;
      }
    }
  }
  return { groups, totals };
}

/**
 * The participant-major (CSR) view of the votes: participant p's votes are entries rowPtr[p] ..
 * rowPtr[p+1]-1 of colIdx (statement index) and values. The bootstrap walks votes this way: a
 * participant drawn 0 times (about 37% of them in a resample) is skipped whole.
 */
export interface VoteRows {
  nParticipants: number;
  nStatements: number;
  rowPtr: ArrayLike<number>;
  colIdx: ArrayLike<number>;
  values: ArrayLike<number>;
}

/**
 * Per CSR entry, the offset of its (statement, slot) cell for a grouping of nGroups groups:
 * colIdx * nGroups * 3 + slot; adding group * 3 gives the cell of the voter's group.
 */
export function cellOffsets(rows: VoteRows, nGroups: number): Int32Array {
  const nnz = rows.rowPtr[rows.nParticipants];
  const stride = nGroups * 3;
  const out = new Int32Array(nnz);
  const { colIdx, values } = rows;
  for (let e = 0; e < nnz; e++) {
    const v = values[e];
    out[e] = colIdx[e] * stride + (v > 0 ? AGREE : v < 0 ? DISAGREE : PASS);
  }
  return out;
}

/**
 * Weighted counts: participant p counts weight[p] times (a bootstrap resample drawn with replacement).
 * `offsets` from {@link cellOffsets} for out.nGroups; writes into `out` (reused across samples).
 * O(participants + votes of participants with weight > 0).
 */
export function countByGroupWeighted(
  rows: VoteRows,
  offsets: Int32Array,
  groupOf: ArrayLike<number>,
  weight: ArrayLike<number>,
  out: GroupCounts,
): GroupCounts {
  const counts = out.counts;
  counts.fill(0);
  const rowPtr = rows.rowPtr;
  for (let p = 0; p < rows.nParticipants; p++) {
    const w = weight[p];
    const g = groupOf[p];
    if (w === 0 || g < 0) continue;
    const go = g * 3;
    const end = rowPtr[p + 1];
    for (let e = rowPtr[p]; e < end; e++) counts[offsets[e] + go] += w;
  }
  return out;
}

/** Counts of everybody on each statement (groups or not): [agree, disagree, pass] per statement. */
export function totals(cols: VoteColumns): Int32Array {
  const S = cols.nStatements;
  const out = new Int32Array(S * 3);
  const { colPtr, values } = cols;
  for (let s = 0; s < S; s++) {
    const end = colPtr[s + 1];
    for (let k = colPtr[s]; k < end; k++) out[s * 3 + voteSlot(values[k])]++;
  }
  return out;
}

/** Smoothed rate (x + 1) / (n + 2): a group with no votes reads 1/2, never 0 or 1 from a handful. */
export function smoothed(x: number, n: number): number {
  return (x + 1) / (n + 2);
}

/** One group's support on one statement. */
export function groupSupport(gc: GroupCounts, s: number, g: number, minVoters: number = MIN_VOTERS_PER_GROUP): GroupSupport {
  const o = (s * gc.nGroups + g) * 3;
  const agree = gc.counts[o + AGREE];
  const disagree = gc.counts[o + DISAGREE];
  const pass = gc.counts[o + PASS];
  const n = agree + disagree + pass;
  return {
    agree,
    disagree,
    pass,
    n,
    agreeRate: smoothed(agree, n),
    disagreeRate: smoothed(disagree, n),
    enough: n >= minVoters,
  };
}

/** Support of every group on statement s, keyed by the group ids (ids[g] is the key of group g). */
export function supportRecord(
  gc: GroupCounts,
  s: number,
  ids: readonly string[],
  minVoters: number = MIN_VOTERS_PER_GROUP,
): Record<string, GroupSupport> {
  const out: Record<string, GroupSupport> = {};
  for (let g = 0; g < gc.nGroups; g++) out[ids[g]] = groupSupport(gc, s, g, minVoters);
  return out;
}

/** Number of participants of each group who voted at all (votesPerParticipant[p] > 0). */
export function votersPerGroup(votesPerParticipant: ArrayLike<number>, groupOf: ArrayLike<number>, nGroups: number): Int32Array {
  const out = new Int32Array(nGroups);
  for (let p = 0; p < votesPerParticipant.length; p++) {
    const g = groupOf[p];
    if (votesPerParticipant[p] > 0 && g >= 0 && g < nGroups) out[g]++;
  }
  return out;
}

/** Builds the statement-major arrays straight from (participant, statement, value) triples. */
export function columnsFromTriples(
  nParticipants: number,
  nStatements: number,
  participant: ArrayLike<number>,
  statement: ArrayLike<number>,
  value: ArrayLike<number>,
): VoteColumns {
  const n = participant.length;
  const colPtr = new Int32Array(nStatements + 1);
  for (let i = 0; i < n; i++) colPtr[statement[i] + 1]++;
  for (let s = 0; s < nStatements; s++) colPtr[s + 1] += colPtr[s];
  const next = colPtr.slice(0, nStatements);
  const rowIdx = new Int32Array(n);
  const values = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const k = next[statement[i]]++;
    rowIdx[k] = participant[i];
    values[k] = value[i];
  }
  return { nParticipants, nStatements, colPtr, rowIdx, values };
}

/** The participant-major view of the shared vote matrix (no copy). */
export function rowsOf(m: { participantIds: readonly string[]; statementIds: readonly string[]; rowPtr: Int32Array; colIdx: Int32Array; values: Int8Array }): VoteRows {
  return { nParticipants: m.participantIds.length, nStatements: m.statementIds.length, rowPtr: m.rowPtr, colIdx: m.colIdx, values: m.values };
}

/** The statement-major view of the shared vote matrix (no copy). */
export function columnsOf(m: {
  participantIds: readonly string[];
  statementIds: readonly string[];
  colPtr: Int32Array;
  rowIdx: Int32Array;
  colValues: Int8Array;
}): VoteColumns {
  return {
    nParticipants: m.participantIds.length,
    nStatements: m.statementIds.length,
    colPtr: m.colPtr,
    rowIdx: m.rowIdx,
    values: m.colValues,
  };
}
