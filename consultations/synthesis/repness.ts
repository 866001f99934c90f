/**
 * Representative statements of a group: what sets the group apart from the rest of the participants,
 * Polis's "representativeness" (repness), computed the same way for opinion groups and declared groups.
 *
 * For group g and statement s, with na / nd / ns the group's agrees / disagrees / all votes and the same
 * for the rest (every other participant in some group of the same kind):
 *   pa = (na + 1) / (ns + 2), pd = (nd + 1) / (ns + 2)       smoothed probabilities within the group
 *   ra = pa / p_rest_agree,  rd = pd / p_rest_disagree        ratios to the rest (rest smoothed the same way)
 *   zp = one-proportion z that the group leans that way (> 1/2), Polis's `prop-test`
 *   z  = two-proportion z, group vs rest, Polis's `two-prop-test`
 * The direction is the one whose group-vs-rest z is larger; the statement is significant for the group
 * when both z and zp exceed Z_90 (one-sided 90%). A group's representative statements are the
 * significant ones ranked by ra * z * pa * zp (Polis's repness metric), at most REPRESENTATIVE_PER_GROUP;
 * when none is significant, the single best one is given with significant = false, as Polis does.
 * A group with fewer than minVotersPerGroup voters on a statement never gets it as representative.
 */
import type { RepresentativeStatement } from "./types";
import type { GroupCounts } from "./support";
import { AGREE, DISAGREE, PASS } from "./support";
import { MIN_VOTERS_PER_GROUP, REPRESENTATIVE_PER_GROUP, Z_90 } from "./thresholds";

/** Polis's prop-test: z that a proportion exceeds 1/2, with one pseudo-count added to succ and n. */
export function propTest(succ: number, n: number): number {
  const s1 = succ + 1;
  const n1 = n + 1;
  return 2 * Math.sqrt(n1) * (s1 / n1 - 0.5);
}

/** Polis's two-prop-test: z that proportion 1 (in) exceeds proportion 2 (out), pseudo-counts added. */
export function twoPropTest(succIn: number, succOut: number, popIn: number, popOut: number): number {
  const s1 = succIn + 1;
  const s2 = succOut + 1;
  const n1 = popIn + 1;
  const n2 = popOut + 1;
  const p1 = s1 / n1;
  const p2 = s2 / n2;
  const pHat = (s1 + s2) / (n1 + n2);
  if (pHat >= 1) return 0;
  return (p1 - p2) / Math.sqrt(pHat * (1 - pHat) * (1 / n1 + 1 / n2));
}

export interface RepnessOptions {
  minVoters?: number;
  perGroup?: number;
  /** Statement ids by index, for the output. */
  statementIds: readonly string[];
  /** Groups that take part in "the rest" (default all). */
  include?: ArrayLike<number>;
}

/** Everything computed for one (group, statement): exposed for tests and reports. */
export interface RepnessCell extends RepresentativeStatement {
  metric: number;
}

/** The representativeness of statement s for group g, in its better direction; null when g has too few voters. */
export function repnessCell(
  gc: GroupCounts,
  allCounts: Int32Array,
  s: number,
  g: number,
  statementId: string,
  minVoters: number = MIN_VOTERS_PER_GROUP,
): RepnessCell | null {
  const o = (s * gc.nGroups + g) * 3;
  const na = gc.counts[o + AGREE];
  const nd = gc.counts[o + DISAGREE];
  const ns = na + nd + gc.counts[o + PASS];
  if (ns < minVoters) return null;
  const ta = allCounts[s * 3 + AGREE];
  const td = allCounts[s * 3 + DISAGREE];
  const tn = ta + td + allCounts[s * 3 + PASS];
  const ra_n = ta - na;
  const rd_n = td - nd;
  const rs = tn - ns;
  const pa = (na + 1) / (ns + 2);
  const pd = (nd + 1) / (ns + 2);
  const ra = pa / ((ra_n + 1) / (rs + 2));
  const rd = pd / ((rd_n + 1) / (rs + 2));
  const zA = twoPropTest(na, ra_n, ns, rs);
  const zD = twoPropTest(nd, rd_n, ns, rs);
  const agree = zA > zD || (zA === zD && pa >= pd);
  const p = agree ? pa : pd;
  const r = agree ? ra : rd;
  const z = agree ? zA : zD;
  const zp = propTest(agree ? na : nd, ns);
  return {
    statementId,
    direction: agree ? "agree" : "disagree",
    pa: p,
    ra: r,
    z,
    zp,
    significant: z > Z_90 && zp > Z_90,
    metric: r * z * p * zp,
  };
}

/**
 * Representative statements of every group (index = group). O(statements x groups) after counting.
 */
export function representativeStatements(gc: GroupCounts, opts: RepnessOptions): RepresentativeStatement[][] {
  const minVoters = opts.minVoters ?? MIN_VOTERS_PER_GROUP;
  const perGroup = opts.perGroup ?? REPRESENTATIVE_PER_GROUP;
  const { nStatements: S, nGroups: G, counts } = gc;
  // Totals over the groups taking part: "the rest" of g = totals - g.
  const all = new Int32Array(S * 3);
  for (let s = 0; s < S; s++) {
    for (let g = 0; g < G; g++) {
      if (opts.include && !opts.include[g]) continue;
      const o = (s * G + g) * 3;
      all[s * 3] += counts[o];
      all[s * 3 + 1] += counts[o + 1];
      all[s * 3 + 2] += counts[o + 2];
    }
  }
  const out: RepresentativeStatement[][] = [];
  for (let g = 0; g < G; g++) {
    if (opts.include && !opts.include[g]) {
      out.push([]);
      continue;
    }
    const significant: Array<{ cell: RepnessCell; s: number }> = [];
    let best: { cell: RepnessCell; s: number } | null = null;
    for (let s = 0; s < S; s++) {
      const cell = repnessCell(gc, all, s, g, opts.statementIds[s], minVoters);
      if (!cell) continue;
      if (cell.significant) significant.push({ cell, s });
      else if (!best || cell.z > best.cell.z) best = { cell, s };
    }
    significant.sort((x, y) => y.cell.metric - x.cell.metric || x.s - y.s);
    const chosen = significant.length > 0 ? significant.slice(0, perGroup) : best && best.cell.z > 0 ? [best] : [];
    out.push(chosen.map(({ cell }) => strip(cell)));
  }
  return out;
}

function strip(cell: RepnessCell): RepresentativeStatement {
  return {
    statementId: cell.statementId,
    direction: cell.direction,
    pa: cell.pa,
    ra: cell.ra,
    z: cell.z,
    zp: cell.zp,
    significant: cell.significant,
  };
}
