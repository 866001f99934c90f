/**
 * Principal components of the vote matrix, as Polis computes them, without ever densifying it.
 *
 * Polis (math/pca.clj, conversation.clj) fills each missing vote with its statement's mean vote, centres
 * every column, takes 2 components by power iteration with deflation, and places participant i at
 * sqrt(C / votes_i) times the projection of their own (centred) votes only: someone who voted on few
 * statements would otherwise sit near the centre for lack of information.
 *
 * Filling with the column mean and then centring leaves 0 in every missing cell, so the centred matrix
 * has the same sparsity as the votes: one pass of X^T X v costs O(votes). The two components are found
 * together (power iteration on a 2-vector block, Gram-Schmidt deflation of the second against the
 * first, a 2x2 Rayleigh-Ritz rotation each step), which converges to the same vectors as sequential
 * power iteration with deflation in far fewer passes. C is the number of statements with at least one
 * vote (Polis's rating matrix has a column only for those). The start vectors are fixed (seeded), so the
 * result is deterministic; each component's sign is fixed by making its largest entry positive.
 */
import type { VoteMatrix } from "./matrix";
import { votedStatementCount } from "./matrix";
import { mulberry32 } from "./random";
import { PCA_MAX_ITERATIONS, PCA_TOLERANCE } from "./thresholds";

export interface PcaFit {
  /** Unit vectors over statements (zero vectors when there is no variance to explain). */
  components: [Float64Array, Float64Array];
  /** Mean vote per statement over the rows used (0 for a statement none of them voted on). */
  means: Float64Array;
  /** Share of the total variance of the mean-filled, centred matrix along each component (0..1). */
  varianceExplained: [number, number];
  /** Passes over the votes the power iteration took. */
  iterations: number;
}

export interface Pca extends PcaFit {
  /** Projection of every participant (indexed like m.participantIds; (0, 0) for one without votes). */
  x: Float64Array;
  y: Float64Array;
}

export interface PcaOptions {
  /** Start vectors (e.g. the components of a previous run, for a bootstrap): converges faster. */
  start?: [Float64Array, Float64Array];
  maxIterations?: number;
  tolerance?: number;
  /**
   * Polis compatibility: Polis keeps moderated-out statements as columns of zeros, so each counts as a
   * "pass" of every participant in the projection scaling, which becomes sqrt((C + h) / (votes_i + h)).
   * They carry no variance and change nothing else. Give their number h to reproduce Polis's maps of a
   * moderated conversation (default 0: the scaling is sqrt(C / votes_i)).
   */
  moderatedOutStatements?: number;
}

/** Seed of the fixed start vectors. */
const START_SEED = 0x5eed1;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

function normalise(a: Float64Array): number {
  const norm = Math.sqrt(dot(a, a));
  if (norm > 0) for (let j = 0; j < a.length; j++) a[j] /= norm;
  return norm;
}

/** Makes b orthogonal to the unit vector a and unit length; returns b's norm before normalising. */
function orthonormalise(a: Float64Array, b: Float64Array): number {
  const p = dot(a, b);
  for (let j = 0; j < b.length; j++) b[j] -= p * a[j];
  return normalise(b);
}

/** Flips the vector so that its entry of largest magnitude (first one on ties) is positive. */
function fixSign(a: Float64Array): void {
  let best = 0;
  for (let j = 1; j < a.length; j++) if (Math.abs(a[j]) > Math.abs(a[best])) best = j;
  if (a.length > 0 && a[best] < 0) for (let j = 0; j < a.length; j++) a[j] = -a[j];
}

/**
 * PCA of the rows `rows` (participant indices, repeats allowed: a repeated row counts as many times,
 * as a bootstrap resample needs; default every participant). Participants without votes add nothing.
 * Every participant is then projected with the components and means of those rows.
 */
export function pca2(m: VoteMatrix, rows?: Int32Array, options: PcaOptions = {}): Pca {
  const fit = fitPca(m, rows, options);
  const all = new Int32Array(m.participantIds.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  const { x, y } = projectParticipants(m, fit, all, options.moderatedOutStatements ?? 0);
  return { ...fit, x, y };
}

/** The components and means of pca2, without the projection. */
export function fitPca(m: VoteMatrix, rows?: Int32Array, options: PcaOptions = {}): PcaFit {
  const nP = m.participantIds.length;
  const nS = m.statementIds.length;
  const { rowPtr, colIdx, values, colPtr, rowIdx, colValues } = m;
  const maxIterations = options.maxIterations ?? PCA_MAX_ITERATIONS;
  const tolerance = options.tolerance ?? PCA_TOLERANCE;

  // Weight (multiplicity) of each participant in the rows used.
  let weight: Float64Array | null = null;
  if (rows) {
    weight = new Float64Array(nP);
    for (let t = 0; t < rows.length; t++) {
      const i = rows[t];
      if (i >= 0 && i < nP) weight[i] += 1;
    }
  }

  // Column means over the votes of the rows used.
  const means = new Float64Array(nS);
  for (let j = 0; j < nS; j++) {
    let sum = 0;
    let count = 0;
    for (let e = colPtr[j]; e < colPtr[j + 1]; e++) {
      const w = weight ? weight[rowIdx[e]] : 1;
      sum += w * colValues[e];
      count += w;
    }
    means[j] = count > 0 ? sum / count : 0;
  }

  // Rows that take part, with their weights.
  let nActive = 0;
  const active = new Int32Array(nP);
  const activeWeight = new Float64Array(nP);
  for (let i = 0; i < nP; i++) {
    const w = weight ? weight[i] : 1;
    if (w > 0 && rowPtr[i + 1] > rowPtr[i]) {
      active[nActive] = i;
      activeWeight[nActive] = w;
      nActive++;
    }
  }

  // Total variance of the centred matrix (its only non-zero cells are the votes, centred).
  let totalVariance = 0;
  for (let a = 0; a < nActive; a++) {
    const i = active[a];
    let s = 0;
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const d = values[e] - means[colIdx[e]];
      s += d * d;
    }
    totalVariance += activeWeight[a] * s;
  }

  const v1 = new Float64Array(nS);
  const v2 = new Float64Array(nS);
  let theta1 = 0;
  let theta2 = 0;
  let iterations = 0;
  if (nS > 0 && totalVariance > 0) {
    if (options.start && options.start[0].length === nS && options.start[1].length === nS) {
      v1.set(options.start[0]);
      v2.set(options.start[1]);
    }
    if (normalise(v1) === 0 || orthonormalise(v1, v2) < 1e-8) {
      const random = mulberry32(START_SEED);
      for (let j = 0; j < nS; j++) v1[j] = random() * 2 - 1;
      for (let j = 0; j < nS; j++) v2[j] = random() * 2 - 1;
      normalise(v1);
      orthonormalise(v1, v2);
    }
    const w1 = new Float64Array(nS);
    const w2 = new Float64Array(nS);
    let hasSecond = nS > 1;
    if (!hasSecond) v2.fill(0);
    let previous1 = NaN;
    let previous2 = NaN;
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      iterations++;
      // W = X^T X V, one pass over the votes.
      w1.fill(0);
      w2.fill(0);
      for (let a = 0; a < nActive; a++) {
        const i = active[a];
        const start = rowPtr[i];
        const end = rowPtr[i + 1];
        let s1 = 0;
        let s2 = 0;
        for (let e = start; e < end; e++) {
          const c = colIdx[e];
          const x = values[e] - means[c];
          s1 += x * v1[c];
          s2 += x * v2[c];
        }
        const w = activeWeight[a];
        s1 *= w;
        s2 *= w;
        for (let e = start; e < end; e++) {
          const c = colIdx[e];
          const x = values[e] - means[c];
          w1[c] += s1 * x;
          w2[c] += s2 * x;
        }
      }
      // Rayleigh-Ritz on span(v1, v2): H = V^T X^T X V.
      const h11 = dot(v1, w1);
      const h22 = hasSecond ? dot(v2, w2) : 0;
      const h12 = hasSecond ? (dot(v1, w2) + dot(v2, w1)) / 2 : 0;
      const mean = (h11 + h22) / 2;
      const radius = Math.sqrt(((h11 - h22) / 2) ** 2 + h12 * h12);
      theta1 = mean + radius;
      theta2 = hasSecond ? Math.max(0, mean - radius) : 0;
      let a1: number;
      let b1: number;
      if (Math.abs(h12) > 1e-300) {
        a1 = theta1 - h22;
        b1 = h12;
        const norm = Math.hypot(a1, b1);
        a1 /= norm;
        b1 /= norm;
      } else if (h11 >= h22) {
        a1 = 1;
        b1 = 0;
      } else {
        a1 = 0;
        b1 = 1;
      }
      // New basis: W rotated to the Ritz directions, then orthonormalised (deflation of the second).
      for (let j = 0; j < nS; j++) {
        const p = w1[j];
        const q = w2[j];
        v1[j] = a1 * p + b1 * q;
        v2[j] = -b1 * p + a1 * q;
      }
      if (normalise(v1) === 0) {
        theta1 = 0;
        theta2 = 0;
        break;
      }
      if (hasSecond && orthonormalise(v1, v2) <= 1e-12 * theta1) {
        // Rank one: nothing left to explain after the first component.
        hasSecond = false;
        v2.fill(0);
        theta2 = 0;
      }
      const scale = Math.max(theta1, 1e-300);
      if (Math.abs(theta1 - previous1) <= tolerance * scale && Math.abs(theta2 - previous2) <= tolerance * scale) break;
      previous1 = theta1;
      previous2 = theta2;
    }
    if (theta1 <= 0) {
      v1.fill(0);
      v2.fill(0);
    }
    fixSign(v1);
    fixSign(v2);
  }

  const share = (theta: number) => (totalVariance > 0 ? Math.min(1, Math.max(0, theta / totalVariance)) : 0);
  return { components: [v1, v2], means, varianceExplained: [share(theta1), share(theta2)], iterations };
}

/**
 * Sparsity-aware projection (Polis): participant i goes to sqrt(C' / (votes_i + h)) times the dot product
 * of their centred votes with each component, where C' = statements with a vote + h and h is the
 * number of moderated-out statements Polis would count (0 by default). Without votes: (0, 0).
 * Returns the positions of `indices`, in that order.
 */
export function projectParticipants(
  m: VoteMatrix,
  fit: Pick<PcaFit, "components" | "means">,
  indices: ArrayLike<number>,
  moderatedOutStatements = 0,
): { x: Float64Array; y: Float64Array } {
  const { rowPtr, colIdx, values, votesPerParticipant } = m;
  const [v1, v2] = fit.components;
  const means = fit.means;
  const hidden = Math.max(0, moderatedOutStatements);
  const nVoted = votedStatementCount(m) + hidden;
  const x = new Float64Array(indices.length);
  const y = new Float64Array(indices.length);
  for (let t = 0; t < indices.length; t++) {
    const i = indices[t];
    const n = votesPerParticipant[i];
    if (n === 0) continue;
    let p1 = 0;
    let p2 = 0;
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const c = colIdx[e];
      const d = values[e] - means[c];
      p1 += d * v1[c];
      p2 += d * v2[c];
    }
    const scale = Math.sqrt(nVoted / (n + hidden));
    x[t] = p1 * scale;
    y[t] = p2 * scale;
  }
  return { x, y };
}
