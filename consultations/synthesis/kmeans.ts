/**
 * k-means in the plane of the two principal components, and the silhouette used to choose k.
 *
 * k-means++ starts drawn from a seeded generator, KMEANS_RESTARTS restarts, the lowest within-group sum
 * of squares (inertia) wins (the first one on ties). Lloyd iterations stop when no point changes group
 * or after KMEANS_MAX_ITERATIONS. A group left empty takes the point farthest from its centroid.
 * Optional weights count a point as that many identical points (used for Polis's two-level clustering,
 * where base clusters are clustered with their sizes as weights).
 */
import { deriveSeed, mulberry32 } from "./random";
import { KMEANS_MAX_ITERATIONS, KMEANS_RESTARTS } from "./thresholds";

export interface KmeansResult {
  /** Group 0..k-1 of every point. */
  assignment: Int32Array;
  /** One per group; fewer than the k asked for when there are fewer points. */
  centroids: [number, number][];
  /** Weighted sum of squared distances of the points to their centroids. */
  inertia: number;
}

export interface KmeansOptions {
  /** Weight of each point (default 1). */
  weights?: Float64Array;
  restarts?: number;
  maxIterations?: number;
}

/** Largest number of points on which the silhouette is computed exactly. */
export const SILHOUETTE_EXACT_MAX = 3000;

function assign(
  xs: Float64Array,
  ys: Float64Array,
  cx: Float64Array,
  cy: Float64Array,
  k: number,
  assignment: Int32Array,
  distance: Float64Array,
): boolean {
  let changed = false;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    let best = 0;
    let bestD = (x - cx[0]) ** 2 + (y - cy[0]) ** 2;
    for (let g = 1; g < k; g++) {
      const d = (x - cx[g]) ** 2 + (y - cy[g]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = g;
      }
    }
    distance[i] = bestD;
    if (assignment[i] !== best) {
      assignment[i] = best;
      changed = true;
    }
  }
  return changed;
}

function runOnce(
  xs: Float64Array,
  ys: Float64Array,
  w: Float64Array | null,
  k: number,
  random: () => number,
  maxIterations: number,
): { assignment: Int32Array; cx: Float64Array; cy: Float64Array; inertia: number } {
  const n = xs.length;
  const cx = new Float64Array(k);
  const cy = new Float64Array(k);
  const distance = new Float64Array(n);

  // k-means++: first centre with probability proportional to weight, then to weight x squared distance.
  let total = 0;
  for (let i = 0; i < n; i++) total += w ? w[i] : 1;
  let first = n - 1;
  let target = random() * total;
  for (let i = 0; i < n; i++) {
    target -= w ? w[i] : 1;
    if (target < 0) {
      first = i;
      break;
    }
  }
  cx[0] = xs[first];
  cy[0] = ys[first];
  for (let i = 0; i < n; i++) distance[i] = (xs[i] - cx[0]) ** 2 + (ys[i] - cy[0]) ** 2;
  for (let g = 1; g < k; g++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (w ? w[i] : 1) * distance[i];
    let chosen = -1;
    if (sum > 0) {
      target = random() * sum;
      for (let i = 0; i < n; i++) {
        const p = (w ? w[i] : 1) * distance[i];
        if (p <= 0) continue;
        chosen = i;
        target -= p;
        if (target < 0) break;
      }
    } else {
      chosen = Math.min(n - 1, Math.floor(random() * n)); // every point already is a centre
    }
    cx[g] = xs[chosen];
    cy[g] = ys[chosen];
    for (let i = 0; i < n; i++) {
      const d = (xs[i] - cx[g]) ** 2 + (ys[i] - cy[g]) ** 2;
      if (d < distance[i]) distance[i] = d;
    }
  }

  // Lloyd iterations.
  const assignment = new Int32Array(n).fill(-1);
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const sw = new Float64Array(k);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const changed = assign(xs, ys, cx, cy, k, assignment, distance);
    if (!changed && iteration > 0) break;
    sx.fill(0);
    sy.fill(0);
    sw.fill(0);
    for (let i = 0; i < n; i++) {
      const g = assignment[i];
      const wi = w ? w[i] : 1;
      sx[g] += wi * xs[i];
      sy[g] += wi * ys[i];
      sw[g] += wi;
    }
    for (let g = 0; g < k; g++) {
      if (sw[g] > 0) {
        cx[g] = sx[g] / sw[g];
        cy[g] = sy[g] / sw[g];
      } else {
        // Empty group: move its centre to the point farthest from its own centre.
        let far = 0;
        for (let i = 1; i < n; i++) if (distance[i] > distance[far]) far = i;
        cx[g] = xs[far];
        cy[g] = ys[far];
        distance[far] = 0;
      }
    }
  }
  assign(xs, ys, cx, cy, k, assignment, distance);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += (w ? w[i] : 1) * distance[i];
  return { assignment, cx, cy, inertia };
}

/**
 * k-means of the points (xs[i], ys[i]). k is clamped to 1..n. Deterministic for a given seed.
 * The centroids returned are the weighted means of the final groups (a group can only be empty when
 * there are fewer distinct points than k; its centroid is then the point it was last moved to).
 */
export function kmeans(xs: Float64Array, ys: Float64Array, k: number, seed: number, options: KmeansOptions = {}): KmeansResult {
  const n = xs.length;
  if (n === 0) return { assignment: new Int32Array(0), centroids: [], inertia: 0 };
  const kk = Math.max(1, Math.min(Math.floor(k), n));
  const restarts = Math.max(1, options.restarts ?? KMEANS_RESTARTS);
  const maxIterations = Math.max(1, options.maxIterations ?? KMEANS_MAX_ITERATIONS);
  const w = options.weights ?? null;
  let best: ReturnType<typeof runOnce> | null = null;
  for (let r = 0; r < restarts; r++) {
    const run = runOnce(xs, ys, w, kk, mulberry32(deriveSeed(seed, r)), maxIterations);
    if (!best || run.inertia < best.inertia) best = run;
    if (kk === 1) break; // every restart gives the same answer
  }
  const result = best!;
  const centroids: [number, number][] = [];
  for (let g = 0; g < kk; g++) centroids.push([result.cx[g], result.cy[g]]);
  return { assignment: result.assignment, centroids, inertia: result.inertia };
}

/**
 * Mean silhouette of a clustering of points in the plane: for point i with mean distance a to the
 * other members of its group and b to the members of the nearest other group, s = (b - a) / max(a, b)
 * (0 for a point alone in its group, and when a = b = 0). Points with a negative group are left out.
 * Exact (all pairs) up to SILHOUETTE_EXACT_MAX points; above, computed on a fixed sample of that many
 * points (distances within the sample), so the cost stays bounded. Returns 0 when k < 2 or fewer than
 * two groups are populated.
 */
export function silhouette(xs: Float64Array, ys: Float64Array, assignment: Int32Array, k: number): number {
  if (k < 2) return 0;
  let idx: Int32Array;
  {
    let count = 0;
    for (let i = 0; i < assignment.length; i++) if (assignment[i] >= 0 && assignment[i] < k) count++;
    const all = new Int32Array(count);
    count = 0;
    for (let i = 0; i < assignment.length; i++) if (assignment[i] >= 0 && assignment[i] < k) all[count++] = i;
    if (count > SILHOUETTE_EXACT_MAX) {
      // Fixed partial Fisher-Yates shuffle: the same sample for the same number of points.
      const random = mulberry32(0x51e7);
      for (let t = 0; t < SILHOUETTE_EXACT_MAX; t++) {
        const u = t + Math.floor(random() * (count - t));
        const tmp = all[t];
        all[t] = all[u];
        all[u] = tmp;
      }
      idx = all.slice(0, SILHOUETTE_EXACT_MAX).sort();
    } else {
      idx = all;
    }
  }
  const n = idx.length;
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const g = new Int32Array(n);
  const size = new Float64Array(k);
  for (let t = 0; t < n; t++) {
    px[t] = xs[idx[t]];
    py[t] = ys[idx[t]];
    g[t] = assignment[idx[t]];
    size[g[t]]++;
  }
  let populated = 0;
  for (let c = 0; c < k; c++) if (size[c] > 0) populated++;
  if (populated < 2) return 0;

  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = g[i];
    if (size[own] <= 1) continue; // s = 0
    sums.fill(0);
    const x = px[i];
    const y = py[i];
    for (let j = 0; j < n; j++) {
      const dx = x - px[j];
      const dy = y - py[j];
      sums[g[j]] += Math.sqrt(dx * dx + dy * dy);
    }
    const a = sums[own] / (size[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === own || size[c] === 0) continue;
      const mean = sums[c] / size[c];
      if (mean < b) b = mean;
    }
    const denominator = Math.max(a, b);
    if (denominator > 0 && Number.isFinite(b)) total += (b - a) / denominator;
  }
  return total / n;
}
