import { consensusFromCounts, groupAgreement } from "./consensus";
import {
  bridgeMismatches,
  disagreements,
  isRecommendation,
  minorityPositions,
  recommendationMode,
  recommendations,
  type GroupingStats,
  type RecommendationMode,
  type ReportInputs,
} from "./recommend";
import type { GroupCounts } from "./support";

type Cell = [agree: number, disagree: number, pass: number];

function grouping(ids: string[], spec: Cell[][]): GroupingStats {
  const G = ids.length;
  const counts: GroupCounts = { nStatements: spec.length, nGroups: G, counts: new Int32Array(spec.length * G * 3) };
  spec.forEach((row, s) => row.forEach((cell, g) => counts.counts.set(cell, (s * G + g) * 3)));
  return { ids, counts, agreement: groupAgreement(counts, 5), consensus: consensusFromCounts(counts) };
}

const DECLARED = ["peers", "sexworkers", "outreach", "police", "policy"];

function report(declared: Cell[][], opinion: Cell[][], mode: RecommendationMode = "declared"): ReportInputs {
  return {
    statementIds: declared.map((_, s) => `s${s}`),
    themeOf: declared.map(() => null),
    mode,
    declared: grouping(DECLARED.slice(0, declared[0].length), declared),
    opinion: grouping(["0", "1"].slice(0, opinion[0]?.length ?? 0), opinion),
    stability: null,
    minVoters: 5,
  };
}

const agreeAll: Cell[] = [
  [40, 5, 5],
  [20, 3, 2],
  [20, 4, 1],
  [10, 2, 0],
  [9, 2, 1],
];
const policeAlone: Cell[] = [
  [40, 5, 5],
  [20, 3, 2],
  [20, 4, 1],
  [2, 10, 0],
  [9, 2, 1],
];
const opinionAgree: Cell[] = [
  [60, 8, 4],
  [40, 6, 6],
];
const opinionSplit: Cell[] = [
  [60, 8, 4],
  [10, 40, 2],
];

describe("recommendations", () => {
  // everyone agrees
  it("recommends a statement every declared group agrees with, basis both when opinion groups agree too", () => {
    const r = report([agreeAll], [opinionAgree]);
    expect(recommendations(r)).toEqual([
      { statementId: "s0", theme: null, basis: "both", declaredGroupConsensus: r.declared.consensus[0], groupAwareConsensus: r.opinion.consensus[0], stability: null },
    ]);
    expect(recommendations(report([agreeAll], [opinionSplit]))[0].basis).toBe("declared");
  });

  // police alone disagree
  it("does not recommend a statement the police alone disagree with, and lists it as a disagreement", () => {
    const r = report([policeAlone], [opinionAgree]);
    expect(recommendations(r)).toEqual([]);
    const [d] = disagreements(r);
    expect(d.statementId).toBe("s0");
    expect(d.mostAgainst).toMatchObject({ kind: "declared", id: "police" });
    expect(d.divisiveness).toBeGreaterThan(0.5);
    // Opinion groups agree, declared groups do not: a bridge mismatch.
    expect(bridgeMismatches(r)).toEqual([{ statementId: "s0", bridges: "opinion" }]);
  });

  // a group of 3 is not enough
  it("ignores a group of 3 voters: the others decide", () => {
    const withThree: Cell[] = [...agreeAll.slice(0, 3), [0, 3, 0], [9, 2, 1]];
    expect(recommendations(report([withThree], [opinionAgree])).map((x) => x.statementId)).toEqual(["s0"]);
  });

  // big group does not outweigh small ones
  it("does not let a big group that agrees outweigh a small group that does not", () => {
    const bigAgrees: Cell[] = [
      [400, 10, 10],
      [6, 6, 0],
    ];
    const r = report([bigAgrees], [opinionAgree]);
    expect(r.declared.agreement.bridges[0]).toBe(0);
    expect(recommendations(r)).toEqual([]);
  });

  it("never recommends a statement whose declared groups differ by the divisive gap, even if all agree", () => {
    const allAgreeButApart: Cell[] = [
      [95, 5, 0],
      [95, 5, 0],
      [95, 5, 0],
      [11, 9, 0], // agrees (55%) but 0.9 vs 0.55 is a gap of more than 0.3
      [95, 5, 0],
    ];
    const r = report([allAgreeButApart], [opinionAgree]);
    expect(r.declared.agreement.bridges[0]).toBe(1);
    expect(isRecommendation("declared", r.declared.agreement, r.opinion.agreement, 0)).toBe(false);
    expect(recommendations(r)).toEqual([]);
  });

  it("sorts by consensus of the deciding kind of group", () => {
    const weaker: Cell[] = agreeAll.map(([a, d, p]) => [Math.ceil(a * 0.7), d + Math.floor(a * 0.3), p]);
    const r = report([weaker, agreeAll], [opinionAgree, opinionAgree]);
    expect(recommendations(r).map((x) => x.statementId)).toEqual(["s1", "s0"]);
  });

  it("falls back to opinion groups when fewer than two declared groups have enough voters", () => {
    expect(recommendationMode([120, 3, 0], 5)).toBe("opinion");
    expect(recommendationMode([120, 5, 0], 5)).toBe("declared");
    expect(recommendationMode([], 5)).toBe("opinion");
    const none: Cell[] = [[0, 0, 0]];
    const r = { ...report([none, none], [opinionAgree, opinionSplit], "opinion"), declared: grouping([], [[], []]) };
    expect(recommendations(r).map((x) => [x.statementId, x.basis])).toEqual([["s0", "opinion"]]);
    expect(minorityPositions(r)).toEqual([]);
    expect(bridgeMismatches(r)).toEqual([]);
    expect(disagreements(r).map((d) => [d.statementId, d.mostFor.kind])).toEqual([["s1", "opinion"]]);
  });
});

describe("minority positions", () => {
  it("finds a group that agrees strongly while the others, each weighing the same, do not", () => {
    const sexWorkersOnly: Cell[] = [
      [10, 40, 0],
      [40, 5, 0],
      [5, 20, 0],
      [2, 10, 0],
      [2, 10, 0],
    ];
    const [m] = minorityPositions(report([sexWorkersOnly], [opinionAgree]));
    expect(m).toMatchObject({ statementId: "s0", groupId: "sexworkers" });
    expect(m.agreeRate).toBeCloseTo(41 / 47, 12);
    expect(m.othersAgreeRate).toBeCloseTo((11 / 52 + 6 / 27 + 3 / 14 + 3 / 14) / 4, 12);
  });

  // big group does not outweigh small ones
  it("does not let one big group fake the others' position", () => {
    // Others: peers (big) against, outreach / police / policy in favour. Pooled by votes the others
    // would read 0.25 (a "minority position"); each group weighing the same they read 0.51.
    const spec: Cell[] = [
      [30, 170, 0],
      [40, 5, 0],
      [15, 10, 0],
      [8, 4, 0],
      [8, 4, 0],
    ];
    expect(minorityPositions(report([spec], [opinionAgree]))).toEqual([]);
  });
});
