/**
 * Opinion groups from the votes, as Polis finds them: participants who voted on at least min(7, C)
 * statements are placed in the plane of the first two principal components (pca.ts), grouped by
 * k-means there, and the number of groups k is the one with the best silhouette in the k range.
 *
 * Differences from Polis, on purpose: Polis first groups the points into up to 100 "base clusters" and
 * runs k-means on those, starting from the previous run's clusters (its groups depend on the order in
 * which votes arrived); here k-means runs on the participants themselves from seeded k-means++ starts,
 * so the same votes always give the same groups. Polis's rule that the largest k tried is
 * 2 + floor(n / 12) (n = base clusters, at most 100) is kept, so 24 people cannot be cut into 5 groups.
 * As in Polis, the PCA uses every participant's votes (not only those placed), and the vote sign does
 * not matter (Polis stores agree as -1 internally; its exports and this engine use +1: PCA and k-means
 * are symmetric under the flip).
 *
 * Moderated-out statements: Polis does not drop them, it sets their columns to 0 for everyone, so they
 * count as passes in the sqrt(C / votes) scaling (nothing else). The engine drops hidden statements;
 * `moderatedOutStatements` restores Polis's scaling when its maps must be reproduced. Measured on
 * scoop-hivemind.biodiversity (polis.test.ts): ARI with Polis's groups 0.775 without, 0.954 with it.
 */
import { adjustedRandIndex } from "./ari";
import { kmeans, silhouette } from "./kmeans";
import type { VoteMatrix } from "./matrix";
import { votedStatementCount } from "./matrix";
import type { Pca } from "./pca";
import { fitPca, pca2, projectParticipants } from "./pca";
import { deriveSeed, mulberry32 } from "./random";
import { K_RANGE, MIN_OPINION_GROUP_MEMBERS, MIN_OPINION_GROUP_SHARE, MIN_VOTES_TO_CLUSTER } from "./thresholds";

export interface OpinionGroups {
  /** Participant indices placed (voted on >= min(7, C) statements), ascending. */
  clustered: Int32Array;
  /** Per participant index: group id 0..k-1, or -1 when not clustered. */
  assignment: Int32Array;
  /** Per participant index (NaN when not clustered). */
  x: Float64Array;
  y: Float64Array;
  /** Number of groups (0 when nobody could be placed, 1 when there is nothing to split). */
  k: number;
  /** Mean silhouette of the chosen grouping (0 when k < 2). */
  silhouette: number;
  /** Silhouette of every k tried, keyed "2", "3", ... */
  silhouetteByK: Record<string, number>;
  /** Mean position of each group's members, by group id. */
  centroids: [number, number][];
  varianceExplained: [number, number];
}

export interface OpinionGroupOptions {
  /** Candidate numbers of groups (default K_RANGE, [2, 5]). */
  kRange?: [number, number];
  /** Seed of k-means (default 1). */
  seed?: number;
  /** See PcaOptions.moderatedOutStatements: only to reproduce Polis's maps of a moderated conversation. */
  moderatedOutStatements?: number;
}

/** Participants with enough votes to be placed: at least min(MIN_VOTES_TO_CLUSTER, C) (and at least one). */
export function clusterableParticipants(m: VoteMatrix): Int32Array {
  const nVoted = votedStatementCount(m);
  const needed = Math.max(1, Math.min(MIN_VOTES_TO_CLUSTER, nVoted));
  const out: number[] = [];
  for (let i = 0; i < m.participantIds.length; i++) if (m.votesPerParticipant[i] >= needed) out.push(i);
  return Int32Array.from(out);
}

/** Largest k Polis tries for n points: 2 + floor(min(n, 100) / 12) (then capped by the k range). */
export function polisMaxK(n: number): number {
  return 2 + Math.floor(Math.min(n, 100) / 12);
}

function countDistinct(xs: Float64Array, ys: Float64Array, atMost: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < xs.length && seen.size < atMost; i++) seen.add(`${xs[i]},${ys[i]}`);
  return seen.size;
}

/**
 * Relabels groups: largest first, ties by centroid x, then y. Drops empty groups. Returns the new
 * labels of the points and the centroids (means of the members) in the new order.
 */
function relabel(xs: Float64Array, ys: Float64Array, labels: Int32Array, k: number): { labels: Int32Array; centroids: [number, number][] } {
  const size = new Float64Array(k);
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  for (let t = 0; t < labels.length; t++) {
    const g = labels[t];
    size[g]++;
    sx[g] += xs[t];
    sy[g] += ys[t];
  }
  const order: number[] = [];
  for (let g = 0; g < k; g++) if (size[g] > 0) order.push(g);
  const cx = (g: number) => sx[g] / size[g];
  const cy = (g: number) => sy[g] / size[g];
  order.sort((a, b) => size[b] - size[a] || cx(a) - cx(b) || cy(a) - cy(b) || a - b);
  const newId = new Int32Array(k).fill(-1);
  order.forEach((g, index) => (newId[g] = index));
  const out = Int32Array.from(labels, (g) => newId[g]);
  return { labels: out, centroids: order.map((g) => [cx(g), cy(g)] as [number, number]) };
}

function gather(values: Float64Array, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let t = 0; t < indices.length; t++) out[t] = values[indices[t]];
  return out;
}

export function findOpinionGroups(m: VoteMatrix, options: OpinionGroupOptions = {}): OpinionGroups {
  const nP = m.participantIds.length;
  const seed = options.seed ?? 1;
  const kRange = options.kRange ?? K_RANGE;
  const clustered = clusterableParticipants(m);
  const n = clustered.length;

  const assignment = new Int32Array(nP).fill(-1);
  const x = new Float64Array(nP).fill(NaN);
  const y = new Float64Array(nP).fill(NaN);
  // PCA over every participant, as Polis does (those without votes add nothing to it).
  const pca: Pca = pca2(m, undefined, { moderatedOutStatements: options.moderatedOutStatements });
  const fit = { components: pca.components, means: pca.means };
  const base = {
    clustered,
    assignment,
    x,
    y,
    silhouetteByK: {} as Record<string, number>,
    varianceExplained: pca.varianceExplained,
  };
  if (n === 0) return remember({ ...base, k: 0, silhouette: 0, centroids: [] }, m, fit);

  const xs = gather(pca.x, clustered);
  const ys = gather(pca.y, clustered);
  for (let t = 0; t < n; t++) {
    x[clustered[t]] = xs[t];
    y[clustered[t]] = ys[t];
  }

  const lowRequested = Math.max(1, Math.floor(Math.min(kRange[0], kRange[1])));
  const highRequested = Math.max(lowRequested, Math.floor(Math.max(kRange[0], kRange[1])));
  const distinct = countDistinct(xs, ys, highRequested + 1);
  const high = Math.min(highRequested, Math.max(2, polisMaxK(n)), distinct);
  const low = Math.min(lowRequested, high);

  type Candidate = { k: number; labels: Int32Array; silhouette: number };
  const minMembers = Math.max(MIN_OPINION_GROUP_MEMBERS, Math.ceil(MIN_OPINION_GROUP_SHARE * n));
  const search = (px: Float64Array, py: Float64Array, recordSilhouettes: boolean) => {
    let valid: Candidate | null = null;
    let any: Candidate | null = null;
    for (let k = Math.max(low, 2); k <= high; k++) {
      const result = kmeans(px, py, k, deriveSeed(seed, k));
      const s = silhouette(px, py, result.assignment, k);
      if (recordSilhouettes) base.silhouetteByK[String(k)] = s;
      const candidate = { k, labels: result.assignment, silhouette: s };
      if (!any || s > any.silhouette) any = candidate;
      if (smallestGroup(result.assignment, k) < minMembers) continue; // an outlier split off, not a group
      if (!valid || s > valid.silhouette) valid = candidate;
    }
    return { valid, any };
  };
  const first = search(xs, ys, true);
  let best: Candidate | null = first.valid;
  if (!best && first.any && n > 2 * minMembers) {
    // Every k split off a few outliers. Set aside the members of those tiny groups, find the groups of
    // everyone else, then give each outlier the group whose centre is nearest.
    const sizes = new Int32Array(first.any.k);
    for (const g of first.any.labels) sizes[g]++;
    const core: number[] = [];
    for (let t = 0; t < n; t++) if (sizes[first.any.labels[t]] >= minMembers) core.push(t);
    const coreIdx = Int32Array.from(core);
    const again = search(gather(xs, coreIdx), gather(ys, coreIdx), false);
    if (again.valid) {
      const { centroids } = relabel(gather(xs, coreIdx), gather(ys, coreIdx), again.valid.labels, again.valid.k);
      const labels = new Int32Array(n);
      for (let t = 0; t < n; t++) {
        let nearest = 0;
        let bestD = Infinity;
        centroids.forEach(([cx, cy], g) => {
          const d = (xs[t] - cx) ** 2 + (ys[t] - cy) ** 2;
          if (d < bestD) [bestD, nearest] = [d, g];
        });
        labels[t] = nearest;
      }
      best = { k: centroids.length, labels, silhouette: silhouette(xs, ys, labels, centroids.length) };
    }
  }
  best ??= first.any;
  if (low <= 1) {
    base.silhouetteByK["1"] = 0;
    if (!best || best.silhouette <= 0) best = { k: 1, labels: new Int32Array(n), silhouette: 0 };
  }
  if (!best) best = { k: 1, labels: new Int32Array(n), silhouette: 0 }; // one distinct point (or one person)

  const { labels, centroids } = relabel(xs, ys, best.labels, best.k);
  for (let t = 0; t < n; t++) assignment[clustered[t]] = labels[t];
  return remember({ ...base, k: centroids.length, silhouette: centroids.length > 1 ? best.silhouette : 0, centroids }, m, fit);
}

function smallestGroup(labels: Int32Array, k: number): number {
  const sizes = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  return Math.min(...sizes);
}

/** The components behind a result of findOpinionGroups, so that its bootstrap need not recompute them. */
const fits = new WeakMap<OpinionGroups, { matrix: VoteMatrix; components: [Float64Array, Float64Array] }>();

function remember(groups: OpinionGroups, m: VoteMatrix, fit: { components: [Float64Array, Float64Array] }): OpinionGroups {
  fits.set(groups, { matrix: m, components: fit.components });
  return groups;
}

/**
 * Work cap of the bootstrap: resamples x votes of the clustered participants stays under this (each
 * resample costs a few passes over those votes), but at least BOOTSTRAP_MIN_SAMPLES resamples run.
 * 30,000 votes: 100 resamples (when 100 are asked); 225,000 votes: 17; 3,000,000 votes: 5.
 */
export const BOOTSTRAP_VOTE_BUDGET = 4_000_000;
export const BOOTSTRAP_MIN_SAMPLES = 5;
/** Power iterations allowed per resample (warm-started from the full components) and their stop rule. */
const BOOTSTRAP_PCA_ITERATIONS = 20;
const BOOTSTRAP_PCA_TOLERANCE = 1e-4;

/** Resamples clusteringStability actually runs for a matrix and a requested number. */
export function bootstrapSampleCount(m: VoteMatrix, base: OpinionGroups, samples: number): number {
  let votes = 0;
  for (let t = 0; t < base.clustered.length; t++) votes += m.votesPerParticipant[base.clustered[t]];
  const affordable = Math.max(BOOTSTRAP_MIN_SAMPLES, Math.floor(BOOTSTRAP_VOTE_BUDGET / Math.max(1, votes)));
  return Math.max(0, Math.min(Math.floor(samples), affordable));
}

/**
 * Bootstrap over participants: each resample draws the clustered participants with replacement,
 * recomputes the PCA (on the resample, warm-started from the full components) and k-means with the
 * same k, and compares the new groups of the participants drawn (each once) with their groups in
 * `base` by adjusted Rand index. Returns the mean ARI (1 when there is nothing to split: k < 2).
 * On large inputs the number of resamples is cut (bootstrapSampleCount) to keep the time bounded.
 */
export function clusteringStability(
  m: VoteMatrix,
  base: OpinionGroups,
  samples: number,
  seed: number,
  options: { moderatedOutStatements?: number } = {},
): number {
  const n = base.clustered.length;
  if (base.k < 2 || n < 2) return 1;
  const runs = bootstrapSampleCount(m, base, samples);
  if (runs === 0) return 1;
  const known = fits.get(base);
  const start = known && known.matrix === m ? known.components : fitPca(m).components;
  const nP = m.participantIds.length;
  const drawn = new Int32Array(nP);
  const rows = new Int32Array(n);
  let total = 0;
  for (let r = 0; r < runs; r++) {
    const random = mulberry32(deriveSeed(seed, 1000 + r));
    drawn.fill(0);
    for (let t = 0; t < n; t++) {
      const i = base.clustered[Math.floor(random() * n)];
      rows[t] = i;
      drawn[i]++;
    }
    const fit = fitPca(m, rows, { start, maxIterations: BOOTSTRAP_PCA_ITERATIONS, tolerance: BOOTSTRAP_PCA_TOLERANCE });
    const { x: xs, y: ys } = projectParticipants(m, fit, rows, options.moderatedOutStatements ?? 0);
    const result = kmeans(xs, ys, base.k, deriveSeed(seed, 2000 + r));
    // Each participant drawn, once: the group of their first copy (copies share a point, so a group).
    const before: number[] = [];
    const after: number[] = [];
    for (let t = 0; t < n; t++) {
      const i = rows[t];
      if (drawn[i] === 0) continue;
      drawn[i] = 0;
      before.push(base.assignment[i]);
      after.push(result.assignment[t]);
    }
    total += adjustedRandIndex(before, after);
  }
  return total / runs;
}
