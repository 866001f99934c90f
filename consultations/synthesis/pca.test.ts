import { buildMatrix, type MatrixVote } from "./matrix";
import { fitPca, pca2, projectParticipants } from "./pca";
import { mulberry32 } from "./random";
import { syntheticVotes } from "./synthetic";

type V = MatrixVote["value"];

/** Participants "p0".., statements "s0"..; cells[i][j] = vote or null. */
function fromCells(cells: (V | null)[][], nStatements = cells[0]?.length ?? 0) {
  const participantIds = cells.map((_, i) => `p${i}`);
  const statementIds = Array.from({ length: nStatements }, (_, j) => `s${j}`);
  const votes: MatrixVote[] = [];
  cells.forEach((row, i) => row.forEach((v, j) => v !== null && votes.push({ participantId: `p${i}`, statementId: `s${j}`, value: v })));
  return buildMatrix(participantIds, statementIds, votes);
}

/** Dense reference: mean-filled, centred covariance, eigenvectors by cyclic Jacobi rotations. */
function densePca(cells: (V | null)[][]): { vectors: number[][]; values: number[]; total: number } {
  const c = cells[0].length;
  const means = Array.from({ length: c }, (_, j) => {
    const col = cells.map((r) => r[j]).filter((v): v is V => v !== null);
    return col.length ? col.reduce<number>((a, b) => a + b, 0) / col.length : 0;
  });
  const x = cells.map((r) => r.map((v, j) => (v === null ? 0 : v - means[j])));
  const a = Array.from({ length: c }, (_, p) => Array.from({ length: c }, (_, q) => x.reduce((s, r) => s + r[p] * r[q], 0)));
  const vec = Array.from({ length: c }, (_, p) => Array.from({ length: c }, (_, q): number => (p === q ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < c; p++) for (let q = p + 1; q < c; q++) off += a[p][q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < c; p++) {
      for (let q = p + 1; q < c; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let k = 0; k < c; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = cos * akp - sin * akq;
          a[k][q] = sin * akp + cos * akq;
        }
        for (let k = 0; k < c; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = cos * apk - sin * aqk;
          a[q][k] = sin * apk + cos * aqk;
        }
        for (let k = 0; k < c; k++) {
          const vkp = vec[k][p];
          const vkq = vec[k][q];
          vec[k][p] = cos * vkp - sin * vkq;
          vec[k][q] = sin * vkp + cos * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: c }, (_, k) => k).sort((p, q) => a[q][q] - a[p][p]);
  const total = x.reduce((s, r) => s + r.reduce((t, v) => t + v * v, 0), 0);
  return { vectors: order.map((k) => vec.map((row) => row[k])), values: order.map((k) => a[k][k]), total };
}

function absCos(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < a.length; j++) {
    ab += a[j] * b[j];
    aa += a[j] * a[j];
    bb += b[j] * b[j];
  }
  return Math.abs(ab) / Math.sqrt(aa * bb);
}

/** Two camps: on statements 0..half-1 camp A agrees and camp B disagrees; the rest everyone agrees. */
function twoCamps(nA: number, nB: number, statements: number, flip: number, seed: number): (V | null)[][] {
  const random = mulberry32(seed);
  const half = statements / 2;
  const cells: (V | null)[][] = [];
  for (let i = 0; i < nA + nB; i++) {
    const inA = i < nA;
    cells.push(
      Array.from({ length: statements }, (_, j) => {
        let v: V = j < half ? (inA ? 1 : -1) : 1;
        if (random() < flip) v = -v as V;
        return v;
      }),
    );
  }
  return cells;
}

describe("pca2", () => {
  // a planted axis: two camps voting opposite on half the statements
  it("recovers a planted axis", () => {
    const cells = twoCamps(30, 30, 20, 0.1, 3);
    const m = fromCells(cells);
    const p = pca2(m);
    const planted = Array.from({ length: 20 }, (_, j) => (j < 10 ? 1 : 0));
    expect(absCos(p.components[0], planted)).toBeGreaterThan(0.95);
    const signA = Math.sign(p.x[0]);
    for (let i = 0; i < 30; i++) expect(Math.sign(p.x[i])).toBe(signA);
    for (let i = 30; i < 60; i++) expect(Math.sign(p.x[i])).toBe(-signA);
    expect(p.varianceExplained[0]).toBeGreaterThan(0.5);
    expect(p.varianceExplained[0]).toBeGreaterThanOrEqual(p.varianceExplained[1]);
  });

  // the same vectors and variance shares as a dense eigen-decomposition of the mean-filled matrix
  it("matches a dense reference PCA on a sparse random matrix", () => {
    const random = mulberry32(9);
    const cells: (V | null)[][] = Array.from({ length: 45 }, (_, i) =>
      Array.from({ length: 14 }, (_, j) => {
        if (random() < 0.45) return null;
        const lean = (i % 3) - 1; // three loose camps
        const r = random();
        return (r < 0.6 ? (j % 2 === 0 ? lean : -lean) : r < 0.8 ? 1 : r < 0.9 ? -1 : 0) as V;
      }),
    );
    const p = pca2(fromCells(cells));
    const ref = densePca(cells);
    expect(absCos(p.components[0], ref.vectors[0])).toBeGreaterThan(1 - 1e-6);
    expect(absCos(p.components[1], ref.vectors[1])).toBeGreaterThan(1 - 1e-6);
    expect(p.varianceExplained[0]).toBeCloseTo(ref.values[0] / ref.total, 8);
    expect(p.varianceExplained[1]).toBeCloseTo(ref.values[1] / ref.total, 8);
    // Polis's projection: own centred votes only, scaled by sqrt(C / votes)
    for (let i = 0; i < cells.length; i++) {
      let dot = 0;
      let n = 0;
      cells[i].forEach((v, j) => {
        if (v === null) return;
        n++;
        dot += (v - p.means[j]) * p.components[0][j];
      });
      expect(p.x[i]).toBeCloseTo(n ? dot * Math.sqrt(14 / n) : 0, 10);
    }
  });

  // sparsity: missing votes do not pull people towards a camp; few votes are scaled out, not shrunk in
  it("does not pull participants with missing votes towards a camp", () => {
    // camp A (40) agrees and camp B (20) disagrees on statements 0..9; everyone agrees on 10..19.
    const cells = twoCamps(40, 20, 20, 0, 1);
    // lurkers: voted only on the consensus statements
    for (let k = 0; k < 5; k++) cells.push(Array.from({ length: 20 }, (_, j) => (j >= 10 ? 1 : null)));
    // a light camp-A voter: 3 divisive statements only
    cells.push(Array.from({ length: 20 }, (_, j) => (j < 3 ? 1 : null)));
    const m = fromCells(cells);
    const p = pca2(m);
    const meanAbsA = Array.from({ length: 40 }, (_, i) => Math.abs(p.x[i])).reduce((a, b) => a + b) / 40;
    for (let i = 60; i < 65; i++) {
      // Treating a missing vote as a pass (0) would put them at -0.33 per divisive statement, i.e. with camp B.
      expect(Math.abs(p.x[i])).toBeLessThan(1e-9 * meanAbsA);
    }
    const light = p.x[65];
    expect(Math.sign(light)).toBe(Math.sign(p.x[0]));
    expect(Math.abs(light)).toBeGreaterThan(0.5 * meanAbsA);
    expect(Math.abs(light)).toBeLessThan(2 * meanAbsA);
  });

  // a row subset with repeats = the PCA of the matrix with those rows copied
  it("weights repeated rows like copies", () => {
    const syn = syntheticVotes({ participants: 60, statements: 25, density: 0.5, seed: 4 });
    const m = buildMatrix(syn.participantIds, syn.statementIds, syn.votes);
    const rows = Int32Array.from([0, 0, 0, 3, 5, 5, 8, 13, 21, 34, 34, 55, 1, 2, 7, 9, 11, 12, 40, 41, 42, 43, 44, 50]);
    const sub = pca2(m, rows);
    const copiesIds = Array.from(rows, (_, t) => `c${t}`);
    const copiesVotes = Array.from(rows).flatMap((i, t) =>
      syn.votes.filter((v) => v.participantId === syn.participantIds[i]).map((v) => ({ ...v, participantId: `c${t}` })),
    );
    const copies = pca2(buildMatrix(copiesIds, syn.statementIds, copiesVotes));
    expect(absCos(sub.components[0], copies.components[0])).toBeGreaterThan(1 - 1e-9);
    expect(absCos(sub.components[1], copies.components[1])).toBeGreaterThan(1 - 1e-9);
    for (let j = 0; j < 25; j++) expect(sub.means[j]).toBeCloseTo(copies.means[j], 12);
    // projection of chosen rows, in the order asked
    const proj = projectParticipants(m, sub, Int32Array.from([5, 0]));
    expect(proj.x[0]).toBe(sub.x[5]);
    expect(proj.y[1]).toBe(sub.y[0]);
  });

  // no votes, one statement, everyone identical: no NaN anywhere
  it("handles degenerate matrices", () => {
    const empty = pca2(buildMatrix(["a", "b"], ["s1", "s2"], []));
    expect(Array.from(empty.x)).toEqual([0, 0]);
    expect(Array.from(empty.components[0])).toEqual([0, 0]);
    expect(empty.varianceExplained).toEqual([0, 0]);

    const one = pca2(fromCells([[1], [-1], [1], [null], [0]]));
    expect(Math.abs(one.components[0][0])).toBeCloseTo(1, 12);
    expect(one.components[1][0]).toBe(0);
    expect(one.varianceExplained[0]).toBeCloseTo(1, 12);
    expect(one.x[3]).toBe(0);
    expect(Math.abs(one.x[0] - one.x[1])).toBeCloseTo(2, 12);

    const same = pca2(fromCells([[1, -1, 0], [1, -1, 0], [1, null, 0]]));
    expect(same.varianceExplained).toEqual([0, 0]);
    expect(Array.from(same.x)).toEqual([0, 0, 0]);

    const none = pca2(buildMatrix([], [], []));
    expect(none.x.length).toBe(0);
    for (const p of [empty, one, same, none]) {
      for (const a of [p.x, p.y, p.means, ...p.components]) expect(Array.from(a).some(Number.isNaN)).toBe(false);
      expect(p.varianceExplained.some(Number.isNaN)).toBe(false);
    }
  });

  // Polis's scaling with moderated-out statements counted as passes
  it("scales by sqrt((C + h) / (votes + h)) when told of moderated-out statements", () => {
    const cells = twoCamps(10, 10, 8, 0.1, 2);
    cells[3] = cells[3].map((v, j) => (j < 2 ? v : null));
    const m = fromCells(cells);
    const plain = pca2(m);
    const polis = pca2(m, undefined, { moderatedOutStatements: 5 });
    expect(polis.x[3] / plain.x[3]).toBeCloseTo(Math.sqrt((13 / 7) / (8 / 2)), 12);
    expect(polis.x[0] / plain.x[0]).toBeCloseTo(1, 12);
  });

  // same input, same output (signs included)
  it("is deterministic and converges in few passes", () => {
    const syn = syntheticVotes({ participants: 500, statements: 120, density: 0.2, seed: 8 });
    const m = buildMatrix(syn.participantIds, syn.statementIds, syn.votes);
    const a = pca2(m);
    const b = pca2(m);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.components[1])).toEqual(Array.from(b.components[1]));
    const warm = fitPca(m, undefined, { start: a.components });
    expect(warm.iterations).toBeLessThanOrEqual(a.iterations);
    console.log(`pca 500 x 120: ${a.iterations} passes cold, ${warm.iterations} warm-started`);
  });
});
