import { adjustedRandIndex } from "./ari";
import { buildMatrix, type MatrixVote } from "./matrix";
import { bootstrapSampleCount, clusteringStability, findOpinionGroups, type OpinionGroups } from "./opinion-groups";
import { mulberry32 } from "./random";
import { syntheticVotes } from "./synthetic";

type V = MatrixVote["value"];

function fromCells(cells: (V | null)[][], nStatements = cells[0]?.length ?? 0) {
  const participantIds = cells.map((_, i) => `p${i}`);
  const statementIds = Array.from({ length: nStatements }, (_, j) => `s${j}`);
  const votes: MatrixVote[] = [];
  cells.forEach((row, i) => row.forEach((v, j) => v !== null && votes.push({ participantId: `p${i}`, statementId: `s${j}`, value: v })));
  return buildMatrix(participantIds, statementIds, votes);
}

/** Camps of the given sizes; camp c agrees with statement j when (j + c) is even on the first half. */
function camps(sizes: number[], statements: number, flip: number, seed: number): (V | null)[][] {
  const random = mulberry32(seed);
  const cells: (V | null)[][] = [];
  sizes.forEach((size, c) => {
    for (let k = 0; k < size; k++) {
      cells.push(
        Array.from({ length: statements }, (_, j) => {
          let v: V = j < statements / 2 ? (c === 0 ? 1 : -1) : 1;
          if (random() < flip) v = -v as V;
          return v;
        }),
      );
    }
  });
  return cells;
}

/** No NaN anywhere except x / y of participants left out. */
function expectClean(g: OpinionGroups) {
  for (let i = 0; i < g.assignment.length; i++) {
    if (g.assignment[i] >= 0) {
      expect(Number.isNaN(g.x[i]) || Number.isNaN(g.y[i])).toBe(false);
      expect(g.assignment[i]).toBeLessThan(g.k);
    } else {
      expect(Number.isNaN(g.x[i]) && Number.isNaN(g.y[i])).toBe(true);
    }
  }
  expect(Number.isNaN(g.silhouette)).toBe(false);
  expect(Object.values(g.silhouetteByK).some(Number.isNaN)).toBe(false);
  expect(g.centroids.flat().some(Number.isNaN)).toBe(false);
  expect(g.varianceExplained.some(Number.isNaN)).toBe(false);
  expect(g.centroids).toHaveLength(g.k);
}

describe("findOpinionGroups", () => {
  // two clear camps of unequal size: found exactly, the larger one is group 0
  it("finds two clear camps", () => {
    const m = fromCells(camps([35, 20], 20, 0.08, 1));
    const g = findOpinionGroups(m);
    expectClean(g);
    expect(g.k).toBe(2);
    const truth = Array.from({ length: 55 }, (_, i) => (i < 35 ? 0 : 1));
    expect(Array.from(g.assignment)).toEqual(truth);
    expect(Object.keys(g.silhouetteByK)).toEqual(["2", "3", "4", "5"]);
    expect(g.silhouette).toBe(g.silhouetteByK["2"]);
    expect(g.silhouette).toBeGreaterThan(0.6);
  });

  // one outlier far from everybody does not make an opinion group of its own (bg2050 had 106 / 1)
  it("sets outliers aside instead of giving them a group", () => {
    const cells = camps([60, 30], 20, 0.08, 3);
    // an outlier who disagrees with everything everyone agrees on, and agrees with the rest
    cells.push(Array.from({ length: 20 }, (_, j) => (j < 10 ? 1 : -1) as V));
    cells.push(Array.from({ length: 20 }, (_, j) => (j < 10 ? 1 : -1) as V));
    const g = findOpinionGroups(fromCells(cells));
    expectClean(g);
    const sizes = Array.from({ length: g.k }, (_, c) => Array.from(g.assignment).filter((a) => a === c).length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(5);
    // the two camps are still found among everyone else
    const truth = Array.from({ length: 90 }, (_, i) => (i < 60 ? 0 : 1));
    expect(adjustedRandIndex(Array.from(g.assignment).slice(0, 90), truth)).toBeGreaterThan(0.9);
  });

  // three planted camps in sparse synthetic data
  it("finds three planted camps in sparse data", () => {
    const syn = syntheticVotes({ participants: 1500, statements: 200, density: 0.25, seed: 2 });
    const m = buildMatrix(syn.participantIds, syn.statementIds, syn.votes);
    const g = findOpinionGroups(m);
    expectClean(g);
    const ari = adjustedRandIndex(Array.from(g.clustered, (i) => g.assignment[i]), Array.from(g.clustered, (i) => syn.camp[i]));
    console.log(`three planted camps (1,500 x 200, 25%): k = ${g.k}, silhouette ${g.silhouette.toFixed(3)}, ARI with the camps ${ari.toFixed(3)}`);
    expect(g.k).toBe(3);
    expect(ari).toBeGreaterThan(0.8); // light voters (7-15 votes) are placed with noise, as in Polis
    // sizes descend with the group id
    const sizes = new Array(g.k).fill(0);
    for (const i of g.clustered) sizes[g.assignment[i]]++;
    for (let c = 1; c < g.k; c++) expect(sizes[c]).toBeLessThanOrEqual(sizes[c - 1]);
  });

  // equal sizes: ties broken by centroid x
  it("orders groups of equal size by centroid x", () => {
    const g = findOpinionGroups(fromCells(camps([20, 20], 12, 0, 3)));
    expect(g.k).toBe(2);
    expect(g.centroids[0][0]).toBeLessThan(g.centroids[1][0]);
  });

  // only participants with >= min(7, C) votes are placed; the rest get -1 and NaN
  it("leaves out participants with too few votes", () => {
    const cells = camps([15, 15], 20, 0.05, 4);
    cells.push(Array.from({ length: 20 }, (_, j) => (j < 6 ? 1 : null))); // 6 votes: out
    cells.push(Array.from({ length: 20 }, (_, j) => (j < 7 ? 1 : null))); // 7 votes: in
    cells.push(Array.from({ length: 20 }, () => null)); // no votes
    const g = findOpinionGroups(fromCells(cells));
    expectClean(g);
    expect(g.clustered.length).toBe(31);
    expect(g.assignment[30]).toBe(-1);
    expect(g.assignment[31]).toBeGreaterThanOrEqual(0);
    expect(g.assignment[32]).toBe(-1);
    // with three statements, voting on all three is enough
    const small = findOpinionGroups(fromCells([[1, 1, 1], [1, -1, null], [-1, -1, -1], [1, 1, 0]]));
    expect(Array.from(small.clustered)).toEqual([0, 2, 3]);
  });

  // no votes at all; nobody; one statement; fewer people than k; everyone identical
  it("handles degenerate inputs", () => {
    const noVotes = findOpinionGroups(buildMatrix(["a", "b"], ["s"], []));
    expectClean(noVotes);
    expect(noVotes.k).toBe(0);
    expect(noVotes.clustered.length).toBe(0);
    expect(noVotes.silhouette).toBe(0);

    const nobody = findOpinionGroups(buildMatrix([], [], []));
    expect(nobody.k).toBe(0);

    const oneStatement = findOpinionGroups(fromCells([[1], [1], [-1], [0], [-1], [1]]));
    expectClean(oneStatement);
    expect(oneStatement.clustered.length).toBe(6);
    expect(oneStatement.k).toBeGreaterThanOrEqual(1);
    expect(oneStatement.k).toBeLessThanOrEqual(3); // three distinct points at most

    const three = findOpinionGroups(fromCells([[1, 1, 1, 1, 1, 1, 1], [-1, -1, -1, -1, -1, -1, -1], [1, -1, 1, -1, 1, -1, 1]]), { kRange: [4, 5] });
    expectClean(three);
    expect(three.k).toBeLessThanOrEqual(3);

    const one = findOpinionGroups(fromCells([[1, -1, 1, 0, 1, 1, -1]]));
    expectClean(one);
    expect(one.k).toBe(1);
    expect(one.silhouette).toBe(0);
    expect(one.assignment[0]).toBe(0);

    const identical = findOpinionGroups(fromCells(Array.from({ length: 12 }, () => [1, -1, 0, 1, 1, -1, 1, 1] as V[])));
    expectClean(identical);
    expect(identical.k).toBe(1);
    expect(identical.silhouette).toBe(0);
    expect(Array.from(identical.assignment)).toEqual(new Array(12).fill(0));
  });

  // a small conversation is not cut into more than 2 + floor(n / 12) groups (Polis's rule)
  it("caps k for small conversations", () => {
    const g = findOpinionGroups(fromCells(camps([6, 6, 6], 14, 0.1, 5)));
    expect(Math.max(...Object.keys(g.silhouetteByK).map(Number))).toBe(3);
  });

  // the same input gives the same output, twice
  it("is deterministic", () => {
    const syn = syntheticVotes({ participants: 800, statements: 120, density: 0.2, seed: 6, groups: 4 });
    const m = buildMatrix(syn.participantIds, syn.statementIds, syn.votes);
    const a = findOpinionGroups(m, { seed: 3 });
    const b = findOpinionGroups(m, { seed: 3 });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.centroids).toEqual(b.centroids);
    expect(a.silhouetteByK).toEqual(b.silhouetteByK);
    expect(clusteringStability(m, a, 20, 9)).toBe(clusteringStability(m, b, 20, 9));
  });
});

describe("clusteringStability", () => {
  // clear camps survive resampling; votes at random do not
  it("is high for clear camps and low for noise", () => {
    const clear = fromCells(camps([40, 30], 30, 0.1, 7));
    const g = findOpinionGroups(clear);
    const stable = clusteringStability(clear, g, 50, 1);

    const random = mulberry32(8);
    const noise = fromCells(Array.from({ length: 120 }, () => Array.from({ length: 30 }, () => (random() < 0.5 ? 1 : -1) as V)));
    const n = findOpinionGroups(noise);
    const unstable = clusteringStability(noise, n, 50, 1);
    console.log(`stability: clear camps ${stable.toFixed(3)} (k = ${g.k}), random votes ${unstable.toFixed(3)} (k = ${n.k})`);
    expect(stable).toBeGreaterThan(0.95);
    expect(unstable).toBeLessThan(0.7);
  });

  // nothing to split: 1; the number of resamples is cut on big inputs only
  it("handles k = 1 and caps the work", () => {
    const identical = fromCells(Array.from({ length: 10 }, () => [1, -1, 0, 1, 1, -1, 1, 1] as V[]));
    expect(clusteringStability(identical, findOpinionGroups(identical), 30, 1)).toBe(1);
    const small = fromCells(camps([40, 30], 30, 0.1, 7));
    expect(bootstrapSampleCount(small, findOpinionGroups(small), 100)).toBe(100);
  });
});

describe("speed (printed, not asserted)", () => {
  // 2,000 x 900 with 225,000 votes, and 10,000 x 2,000 at 15% (3,000,000 votes)
  it.each([
    [2000, 900, 0.125],
    [10000, 2000, 0.15],
  ])("findOpinionGroups on %i participants x %i statements at density %f", (participants, statements, density) => {
    let t = performance.now();
    const syn = syntheticVotes({ participants, statements, density, seed: 11 });
    const tGen = performance.now() - t;
    t = performance.now();
    const m = buildMatrix(syn.participantIds, syn.statementIds, syn.votes);
    const tBuild = performance.now() - t;
    t = performance.now();
    const g = findOpinionGroups(m);
    const tGroups = performance.now() - t;
    t = performance.now();
    const stability = clusteringStability(m, g, 100, 1);
    const tStability = performance.now() - t;
    const ari = adjustedRandIndex(Array.from(g.clustered, (i) => g.assignment[i]), Array.from(g.clustered, (i) => syn.camp[i]));
    console.log(
      `${participants} x ${statements}, ${syn.votes.length} votes: generate ${tGen.toFixed(0)} ms, buildMatrix ${tBuild.toFixed(0)} ms, ` +
        `findOpinionGroups ${tGroups.toFixed(0)} ms (k = ${g.k}, silhouette ${g.silhouette.toFixed(3)}, ARI with planted camps ${ari.toFixed(3)}), ` +
        `clusteringStability ${tStability.toFixed(0)} ms for ${bootstrapSampleCount(m, g, 100)} resamples (mean ARI ${stability.toFixed(3)})`,
    );
    expect(g.k).toBe(3);
  }, 60_000);
});
