/**
 * What a report is written from: recommendations, disagreements, minority positions, bridge mismatches.
 *
 * - Recommendations are the statements that bridge the declared stakeholder groups: at least
 *   MIN_GROUPS_TO_BRIDGE declared groups have enough voters and a majority of every such group agrees.
 *   When fewer than two declared groups have enough voters in the whole consultation (a Polis import
 *   without a group mapping, say), the engine falls back to bridging the opinion groups. Basis: "both"
 *   (declared and opinion groups bridged), "declared" (declared only), "opinion" (the fallback).
 *   Never a statement whose declared groups differ in agree rate by DIVISIVE_GAP or more (in the
 *   fallback, nor whose opinion groups do). Sorted by consensus of the deciding kind of group.
 * - Disagreements: the statements whose groups differ most (declared groups, or opinion groups when
 *   they differ more), divisiveness >= DIVISIVE_GAP, most divisive first, at most DISAGREEMENTS_SHOWN.
 * - Minority positions: one declared group agrees >= MINORITY_STRONG_AGREE while the other declared
 *   groups with enough voters agree <= MINORITY_OTHERS_AT_MOST, the others pooled with equal weight per
 *   group (the mean of their agree rates), so a big group cannot hide or fake a minority position.
 * - Bridge mismatches: bridges one kind of group, while the other kind has at least two groups with
 *   enough voters and does not agree.
 */
import type { Disagreement, MinorityPosition, Recommendation } from "./types";
import type { GroupAgreement } from "./consensus";
import type { GroupCounts } from "./support";
import { AGREE, DISAGREE, PASS, smoothed } from "./support";
import {
  DISAGREEMENTS_SHOWN,
  DIVISIVE_GAP,
  MIN_GROUPS_TO_BRIDGE,
  MINORITY_OTHERS_AT_MOST,
  MINORITY_STRONG_AGREE,
} from "./thresholds";

export type RecommendationMode = "declared" | "opinion";

/** The statistics of one kind of grouping over all statements. */
export interface GroupingStats {
  /** Group ids, by group index. */
  ids: string[];
  counts: GroupCounts;
  agreement: GroupAgreement;
  consensus: Float64Array;
}

/** Declared groups decide when at least MIN_GROUPS_TO_BRIDGE of them have enough voters overall. */
export function recommendationMode(declaredVoters: ArrayLike<number>, minVoters: number): RecommendationMode {
  let enough = 0;
  for (let g = 0; g < declaredVoters.length; g++) if (declaredVoters[g] >= minVoters) enough++;
  return enough >= MIN_GROUPS_TO_BRIDGE ? "declared" : "opinion";
}

/**
 * Whether statement s is a recommendation. The same rule serves the full data and every bootstrap
 * resample (which passes agreement recomputed from its own counts).
 */
export function isRecommendation(
  mode: RecommendationMode,
  declared: GroupAgreement | null,
  opinion: GroupAgreement | null,
  s: number,
): boolean {
  const declaredSplit = declared !== null && declared.divisiveness[s] >= DIVISIVE_GAP;
  if (declaredSplit) return false;
  if (mode === "declared") return declared !== null && declared.bridges[s] === 1;
  return opinion !== null && opinion.bridges[s] === 1 && opinion.divisiveness[s] < DIVISIVE_GAP;
}

export interface ReportInputs {
  statementIds: readonly string[];
  themeOf: ReadonlyArray<string | null>;
  mode: RecommendationMode;
  declared: GroupingStats;
  opinion: GroupingStats;
  /** Per statement, fraction of bootstrap resamples in which it was a recommendation; null if not run. */
  stability: Float64Array | null;
  minVoters: number;
}

export function recommendations(r: ReportInputs): Recommendation[] {
  const S = r.statementIds.length;
  const chosen: number[] = [];
  for (let s = 0; s < S; s++) if (isRecommendation(r.mode, r.declared.agreement, r.opinion.agreement, s)) chosen.push(s);
  const key = r.mode === "declared" ? r.declared.consensus : r.opinion.consensus;
  chosen.sort((a, b) => key[b] - key[a] || a - b);
  return chosen.map((s) => {
    const bothBridge = r.declared.agreement.bridges[s] === 1 && r.opinion.agreement.bridges[s] === 1;
    return {
      statementId: r.statementIds[s],
      theme: r.themeOf[s],
      basis: r.mode === "opinion" ? "opinion" : bothBridge ? "both" : "declared",
      declaredGroupConsensus: r.declared.consensus[s],
      groupAwareConsensus: r.opinion.consensus[s],
      stability: r.stability ? r.stability[s] : null,
    };
  });
}

function rateOf(gc: GroupCounts, s: number, g: number): number {
  const o = (s * gc.nGroups + g) * 3;
  const a = gc.counts[o + AGREE];
  return smoothed(a, a + gc.counts[o + DISAGREE] + gc.counts[o + PASS]);
}

export function disagreements(r: ReportInputs, limit: number = DISAGREEMENTS_SHOWN): Disagreement[] {
  const S = r.statementIds.length;
  const found: Array<{ s: number; d: Disagreement }> = [];
  const useDeclared = r.mode === "declared";
  for (let s = 0; s < S; s++) {
    const dd = useDeclared ? r.declared.agreement.divisiveness[s] : 0;
    const od = r.opinion.agreement.divisiveness[s];
    const kind: "declared" | "opinion" | null =
      useDeclared && dd >= DIVISIVE_GAP && dd >= od ? "declared" : od >= DIVISIVE_GAP ? "opinion" : null;
    if (!kind) continue;
    const g = kind === "declared" ? r.declared : r.opinion;
    const hi = g.agreement.mostFor[s];
    const lo = g.agreement.mostAgainst[s];
    found.push({
      s,
      d: {
        statementId: r.statementIds[s],
        theme: r.themeOf[s],
        divisiveness: g.agreement.divisiveness[s],
        mostFor: { kind, id: g.ids[hi], agreeRate: rateOf(g.counts, s, hi) },
        mostAgainst: { kind, id: g.ids[lo], agreeRate: rateOf(g.counts, s, lo) },
      },
    });
  }
  found.sort((a, b) => b.d.divisiveness - a.d.divisiveness || a.s - b.s);
  return found.slice(0, limit).map((f) => f.d);
}

export function minorityPositions(r: ReportInputs): MinorityPosition[] {
  if (r.mode !== "declared") return [];
  const gc = r.declared.counts;
  const G = gc.nGroups;
  const S = r.statementIds.length;
  const found: Array<{ s: number; g: number; m: MinorityPosition }> = [];
  const rate = new Float64Array(G);
  const enough = new Uint8Array(G);
  for (let s = 0; s < S; s++) {
    let nEnough = 0;
    let sum = 0;
    for (let g = 0; g < G; g++) {
      const o = (s * G + g) * 3;
      const a = gc.counts[o + AGREE];
      const n = a + gc.counts[o + DISAGREE] + gc.counts[o + PASS];
      enough[g] = n >= r.minVoters ? 1 : 0;
      rate[g] = smoothed(a, n);
      if (enough[g]) {
        nEnough++;
        sum += rate[g];
      }
    }
    if (nEnough < 2) continue;
    for (let g = 0; g < G; g++) {
      if (!enough[g] || rate[g] < MINORITY_STRONG_AGREE) continue;
      const others = (sum - rate[g]) / (nEnough - 1);
      if (others <= MINORITY_OTHERS_AT_MOST) {
        found.push({ s, g, m: { statementId: r.statementIds[s], groupId: r.declared.ids[g], agreeRate: rate[g], othersAgreeRate: others } });
      }
    }
  }
  found.sort((a, b) => b.m.agreeRate - b.m.othersAgreeRate - (a.m.agreeRate - a.m.othersAgreeRate) || a.s - b.s || a.g - b.g);
  return found.map((f) => f.m);
}

export function bridgeMismatches(r: ReportInputs): Array<{ statementId: string; bridges: "declared" | "opinion" }> {
  if (r.mode !== "declared") return [];
  const d = r.declared.agreement;
  const o = r.opinion.agreement;
  const out: Array<{ statementId: string; bridges: "declared" | "opinion" }> = [];
  for (let s = 0; s < r.statementIds.length; s++) {
    if (d.bridges[s] && !o.bridges[s] && o.enoughGroups[s] >= MIN_GROUPS_TO_BRIDGE) out.push({ statementId: r.statementIds[s], bridges: "declared" });
    else if (o.bridges[s] && !d.bridges[s] && d.enoughGroups[s] >= MIN_GROUPS_TO_BRIDGE) out.push({ statementId: r.statementIds[s], bridges: "opinion" });
  }
  return out;
}
