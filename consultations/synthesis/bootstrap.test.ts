import { bootstrapSampleCount, recommendationStability } from "./bootstrap";
import { buildMatrix, type MatrixVote } from "./matrix";
import { mulberry32 } from "./random";
import { rowsOf } from "./support";
import { BOOTSTRAP_MIN_SAMPLES, BOOTSTRAP_SAMPLES } from "./thresholds";

/**
 * Three declared groups of 40; statement 0: everyone agrees (p 0.92); 1: group 2 alone disagrees;
 * 2: borderline, group 2 agrees 55%.
 */
function data() {
  const random = mulberry32(5);
  const p = [
    [0.92, 0.92, 0.92],
    [0.92, 0.92, 0.1],
    [0.92, 0.92, 0.55],
  ];
  const ids: string[] = [];
  const groupOf: number[] = [];
  const votes: MatrixVote[] = [];
  for (let g = 0; g < 3; g++)
    for (let i = 0; i < 40; i++) {
      const id = `g${g}-${i}`;
      ids.push(id);
      groupOf.push(g);
      p.forEach((row, s) => votes.push({ participantId: id, statementId: `s${s}`, value: random() < row[g] ? 1 : -1 }));
    }
  const m = buildMatrix(ids, ["s0", "s1", "s2"], votes);
  return { rows: rowsOf(m), groupOf: Int32Array.from(groupOf) };
}

describe("recommendation stability (bootstrap)", () => {
  it("uses 100 resamples by default, fewer on large data, and honours an explicit number", () => {
    expect(bootstrapSampleCount(225_000)).toBe(BOOTSTRAP_SAMPLES);
    expect(bootstrapSampleCount(3_000_000)).toBe(BOOTSTRAP_MIN_SAMPLES);
    expect(bootstrapSampleCount(1_000_000)).toBe(40);
    expect(bootstrapSampleCount(3_000_000, 7)).toBe(7);
    expect(bootstrapSampleCount(0)).toBe(0);
  });

  it("is 1 for a clear bridge, 0 when one group alone disagrees, in between for a borderline one", () => {
    const { rows, groupOf } = data();
    const run = (seed: number) =>
      recommendationStability({ rows, mode: "declared", declared: { groupOf, nGroups: 3 }, opinion: null, minVoters: 5, samples: 200, seed });
    const stability = run(1);
    console.log(`[bootstrap] stability over 200 resamples: everyone agrees ${stability[0]}, one group against ${stability[1]}, borderline ${stability[2]}`);
    expect(stability[0]).toBeGreaterThan(0.95);
    expect(stability[1]).toBe(0);
    expect(stability[2]).toBeGreaterThan(0.05);
    expect(stability[2]).toBeLessThan(0.95);
    // Seeded: same seed, same fractions.
    expect(run(1)).toEqual(stability);
  });

  it("returns zeros with no resamples", () => {
    const { rows, groupOf } = data();
    expect(Array.from(recommendationStability({ rows, mode: "declared", declared: { groupOf, nGroups: 3 }, opinion: null, minVoters: 5, samples: 0, seed: 1 }))).toEqual([0, 0, 0]);
  });

  it("uses opinion groups when they decide", () => {
    const { rows, groupOf } = data();
    // Opinion groups: a split that puts the group-2 people on their own: s1 cannot bridge them either.
    const stability = recommendationStability({ rows, mode: "opinion", declared: null, opinion: { groupOf, nGroups: 3 }, minVoters: 5, samples: 50, seed: 3 });
    expect(stability[0]).toBeGreaterThan(0.9);
    expect(stability[1]).toBe(0);
  });
});
