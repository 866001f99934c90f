import { adjustedRandIndex } from "./ari";
import { kmeans, silhouette, SILHOUETTE_EXACT_MAX } from "./kmeans";
import { mulberry32 } from "./random";

/** Gaussian blobs around the given centres (Box-Muller from a seeded generator). */
function blobs(centres: [number, number][], perBlob: number, spread: number, seed: number) {
  const random = mulberry32(seed);
  const n = centres.length * perBlob;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = Math.floor(i / perBlob);
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const a = 2 * Math.PI * random();
    xs[i] = centres[g][0] + spread * r * Math.cos(a);
    ys[i] = centres[g][1] + spread * r * Math.sin(a);
    truth[i] = g;
  }
  return { xs, ys, truth };
}

/** Silhouette by its definition, all pairs, no shortcuts. */
function naiveSilhouette(xs: Float64Array, ys: Float64Array, labels: Int32Array): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) {
    const sums = new Map<number, [number, number]>();
    for (let j = 0; j < xs.length; j++) {
      if (j === i) continue;
      const s = sums.get(labels[j]) ?? [0, 0];
      s[0] += Math.hypot(xs[i] - xs[j], ys[i] - ys[j]);
      s[1]++;
      sums.set(labels[j], s);
    }
    const own = sums.get(labels[i]);
    if (!own) continue;
    const a = own[0] / own[1];
    let b = Infinity;
    for (const [g, [sum, count]] of sums) if (g !== labels[i]) b = Math.min(b, sum / count);
    total += (b - a) / Math.max(a, b);
  }
  return total / xs.length;
}

describe("kmeans", () => {
  // three well separated blobs: found exactly, silhouette prefers k = 3
  it("finds three separated blobs and the silhouette picks k = 3", () => {
    const { xs, ys, truth } = blobs([[0, 0], [6, 0], [3, 5]], 80, 0.7, 1);
    const byK: Record<number, number> = {};
    for (let k = 2; k <= 5; k++) byK[k] = silhouette(xs, ys, kmeans(xs, ys, k, 7).assignment, k);
    const best = Number(Object.entries(byK).sort((a, b) => b[1] - a[1])[0][0]);
    console.log("silhouette by k on three blobs:", Object.entries(byK).map(([k, s]) => `${k}: ${s.toFixed(3)}`).join(", "));
    expect(best).toBe(3);
    const three = kmeans(xs, ys, 3, 7);
    expect(adjustedRandIndex(three.assignment, truth)).toBe(1);
    expect(three.centroids).toHaveLength(3);
  });

  // the same seed gives the same result; the restarts keep the lowest inertia
  it("is deterministic and keeps the best restart", () => {
    const { xs, ys } = blobs([[0, 0], [2, 1], [4, 0], [1, 3]], 60, 1, 2);
    const a = kmeans(xs, ys, 4, 3);
    const b = kmeans(xs, ys, 4, 3);
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    expect(a.centroids).toEqual(b.centroids);
    const single = kmeans(xs, ys, 4, 3, { restarts: 1 });
    expect(a.inertia).toBeLessThanOrEqual(single.inertia + 1e-9);
    // inertia is the sum of squared distances to the centroids returned
    let inertia = 0;
    for (let i = 0; i < xs.length; i++) {
      const [cx, cy] = a.centroids[a.assignment[i]];
      inertia += (xs[i] - cx) ** 2 + (ys[i] - cy) ** 2;
    }
    expect(a.inertia).toBeCloseTo(inertia, 9);
  });

  // a weight counts as that many copies of the point
  it("treats weights as copies", () => {
    const xs = Float64Array.from([0, 1, 10, 11, 30]);
    const ys = Float64Array.from([0, 0, 0, 0, 0]);
    const weighted = kmeans(xs, ys, 2, 1, { weights: Float64Array.from([3, 1, 1, 1, 2]) });
    const cx = Float64Array.from([0, 0, 0, 1, 10, 11, 30, 30]);
    const copies = kmeans(cx, new Float64Array(8), 2, 1);
    const sorted = (c: [number, number][]) => c.map((p) => p[0]).sort((a, b) => a - b);
    expect(sorted(weighted.centroids)).toEqual(sorted(copies.centroids));
    expect(weighted.inertia).toBeCloseTo(copies.inertia, 9);
  });

  // identical points, more groups than points, no points
  it("handles degenerate inputs without NaN", () => {
    const same = kmeans(new Float64Array(10).fill(2), new Float64Array(10).fill(-1), 3, 1);
    expect(same.inertia).toBe(0);
    for (const [x, y] of same.centroids) expect([x, y]).toEqual([2, -1]);
    expect(silhouette(new Float64Array(10).fill(2), new Float64Array(10).fill(-1), same.assignment, 3)).toBe(0);

    const few = kmeans(Float64Array.from([0, 5]), Float64Array.from([0, 0]), 4, 1);
    expect(few.centroids).toHaveLength(2);
    expect(new Set(few.assignment).size).toBe(2);

    const none = kmeans(new Float64Array(0), new Float64Array(0), 3, 1);
    expect(none.assignment.length).toBe(0);
    expect(none.inertia).toBe(0);
  });
});

describe("silhouette", () => {
  // a known small example: two pairs on a line
  it("matches a hand computation", () => {
    const xs = Float64Array.from([0, 1, 10, 11]);
    const ys = new Float64Array(4);
    const s = silhouette(xs, ys, Int32Array.from([0, 0, 1, 1]), 2);
    // point 0: a = 1, b = 10.5; point 1: a = 1, b = 9.5; symmetric for the others
    expect(s).toBeCloseTo((2 * (9.5 / 10.5) + 2 * (8.5 / 9.5)) / 4, 12);
    // a singleton counts 0; one group only or k < 2 gives 0
    const t = silhouette(Float64Array.from([0, 1, 10]), new Float64Array(3), Int32Array.from([0, 0, 1]), 2);
    expect(t).toBeCloseTo((9 / 10 + 8 / 9) / 3, 12); // point 0: a = 1, b = 10; point 1: a = 1, b = 9
    expect(silhouette(xs, ys, Int32Array.from([0, 0, 0, 0]), 2)).toBe(0);
    expect(silhouette(xs, ys, Int32Array.from([0, 0, 1, 1]), 1)).toBe(0);
    // points with a negative group are left out
    expect(silhouette(Float64Array.from([0, 1, 10, 11, 50]), new Float64Array(5), Int32Array.from([0, 0, 1, 1, -1]), 2)).toBeCloseTo(s, 12);
  });

  // the same as the definition on random data
  it("agrees with a naive computation", () => {
    const { xs, ys } = blobs([[0, 0], [3, 0], [1, 2]], 50, 1.2, 4);
    const labels = kmeans(xs, ys, 3, 1).assignment;
    expect(silhouette(xs, ys, labels, 3)).toBeCloseTo(naiveSilhouette(xs, ys, labels), 10);
  });

  // above 3,000 points: a fixed sample, close to the exact value
  it("samples large inputs deterministically and closely", () => {
    const { xs, ys } = blobs([[0, 0], [4, 0], [2, 3]], 1500, 1.5, 5);
    expect(xs.length).toBeGreaterThan(SILHOUETTE_EXACT_MAX);
    const labels = kmeans(xs, ys, 3, 1).assignment;
    const sampled = silhouette(xs, ys, labels, 3);
    expect(silhouette(xs, ys, labels, 3)).toBe(sampled);
    const exact = naiveSilhouette(xs, ys, labels);
    console.log(`silhouette on 4,500 points: sampled ${sampled.toFixed(4)}, exact ${exact.toFixed(4)}`);
    expect(Math.abs(sampled - exact)).toBeLessThan(0.02);
  });
});
