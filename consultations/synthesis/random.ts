/**
 * Seeded pseudo-random numbers for every random choice of the synthesis (k-means++ starts, restarts,
 * bootstrap resamples, synthetic data). Mulberry32: a 32-bit state, fast, good enough for sampling
 * (not for cryptography). Same seed, same sequence, on every platform (integer arithmetic only).
 */

/** A generator of numbers in [0, 1) from a 32-bit seed (any number; it is truncated to 32 bits). */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n) from a generator. */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** Mixes two numbers into a new 32-bit seed (for derived streams: one per restart, per resample...). */
export function deriveSeed(seed: number, stream: number): number {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b);
  h ^= Math.imul((stream | 0) + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h | 0;
}
