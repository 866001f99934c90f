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

// ---- tallies by stakeholder group ----------------------------------------------------------------

/** One stakeholder group, in the order groups are shown. */
export interface GroupRef {
  id: string;
  name: string;
}

/** Votes on one position: how many of a group's (active) participants voted `value` (+1, -1, 0). */
export interface GroupVoteRow {
  groupId: string;
  value: number;
  count: number;
}

export interface ShownGroupTally {
  groupId: string;
  name: string;
  tally: ShownTally;
}

export interface TallyByGroup {
  /** The position's whole tally, from the same rows (so the groups and the whole always agree). */
  overall: ShownTally;
  groups: ShownGroupTally[];
}

/**
 * The tally of one position by stakeholder group. Every group's tally about fewer voters than the
 * minimum reads "fewer than N" (a group nobody of voted on too). And complementary suppression: the
 * position's whole tally is shown on every page, so whole minus the shown groups gives away the
 * suppressed groups together; when those together are 1..N-1 voters, the shown group with the fewest
 * voters (the last of them in order, on a tie) is suppressed too, which makes the remainder at least N.
 * Votes of a participant whose group is not listed count in the whole and in that remainder.
 */
export function tallyByGroup(groups: GroupRef[], rows: GroupVoteRow[], minimum: number): TallyByGroup {
  const floor = effectiveMinimum(minimum);
  const byGroup = new Map<string, Tally>();
  let whole = EMPTY_TALLY;
  for (const row of rows) {
    if (row.count <= 0) continue;
    byGroup.set(row.groupId, addVote(byGroup.get(row.groupId) ?? EMPTY_TALLY, row.value, row.count));
    whole = addVote(whole, row.value, row.count);
  }
  const tallies = groups.map((g) => byGroup.get(g.id) ?? EMPTY_TALLY);
  const shown = tallies.map((t) => total(t) >= floor);
  const wholeCount = total(whole);
  if (wholeCount >= floor) {
    const shownCount = tallies.reduce((sum, t, i) => sum + (shown[i] ? total(t) : 0), 0);
    const remainder = wholeCount - shownCount;
    if (remainder > 0 && remainder < floor) {
      let smallest = -1;
      tallies.forEach((t, i) => {
        if (shown[i] && (smallest < 0 || total(t) <= total(tallies[smallest]))) smallest = i;
      });
      if (smallest >= 0) shown[smallest] = false;
    }
  }
  return {
    overall: showTally(whole, floor),
    groups: groups.map((g, i) => ({
      groupId: g.id,
      name: g.name,
      tally: shown[i] ? showTally(tallies[i], floor) : { suppressed: true, minimum: floor },
    })),
  };
}
