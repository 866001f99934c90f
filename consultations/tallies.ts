/**
 * Vote tallies and small-number suppression. Pure.
 *
 * No aggregate about fewer people than the consultation's minimum group size (default 5, never below 3)
 * is ever shown: a tally of a position with fewer voters, or a participation figure for a group with
 * fewer members, reads "fewer than N" instead of numbers.
 */
export interface Tally {
  agree: number;
  disagree: number;
  pass: number;
}

export type ShownTally =
  | { suppressed: false; agree: number; disagree: number; pass: number; total: number }
  | { suppressed: true; minimum: number };

/** The floor under any consultation's configured minimum. */
export const MIN_GROUP_SIZE_FLOOR = 3;
/** The default minimum number of people behind any figure shown. */
export const DEFAULT_MIN_GROUP_SIZE = 5;

export function effectiveMinimum(configured: number | null | undefined): number {
  return Math.max(MIN_GROUP_SIZE_FLOOR, configured ?? DEFAULT_MIN_GROUP_SIZE);
}

export const EMPTY_TALLY: Tally = { agree: 0, disagree: 0, pass: 0 };

export function total(t: Tally): number {
  return t.agree + t.disagree + t.pass;
}

/** Adds one vote value (+1, -1, 0) to a tally, returning a new tally. */
export function addVote(t: Tally, value: number, count = 1): Tally {
  if (value > 0) return { ...t, agree: t.agree + count };
  if (value < 0) return { ...t, disagree: t.disagree + count };
  return { ...t, pass: t.pass + count };
}

/** What may be shown of a tally: the numbers, or "fewer than minimum" when too few people voted. */
export function showTally(t: Tally, minimum: number): ShownTally {
  const n = total(t);
  const floor = effectiveMinimum(minimum);
  if (n < floor) return { suppressed: true, minimum: floor };
  return { suppressed: false, agree: t.agree, disagree: t.disagree, pass: t.pass, total: n };
}

export type ShownCount = { suppressed: false; count: number } | { suppressed: true; minimum: number };

/** A head count that may be shown: zero is shown (it describes nobody), 1..minimum-1 is suppressed. */
export function showCount(count: number, minimum: number): ShownCount {
  const floor = effectiveMinimum(minimum);
  if (count > 0 && count < floor) return { suppressed: true, minimum: floor };
  return { suppressed: false, count };
}

/** Groups rows of (positionId, value, count) into tallies per position. */
export function talliesByPosition(rows: Array<{ positionId: string; value: number; count: number }>): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const row of rows) out.set(row.positionId, addVote(out.get(row.positionId) ?? EMPTY_TALLY, row.value, row.count));
  return out;
}
