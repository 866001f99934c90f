import { deriveSeed, mulberry32 } from "./random";

describe("mulberry32", () => {
  // same seed, same sequence
  it("is deterministic", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 1000; i++) expect(a()).toBe(b());
  });

  // values in [0, 1), spread evenly, different seeds give different streams
  it("gives uniform numbers in [0, 1)", () => {
    const random = mulberry32(7);
    const bins = new Array(10).fill(0);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 100_000; i++) {
      const r = random();
      min = Math.min(min, r);
      max = Math.max(max, r);
      bins[Math.floor(r * 10)]++;
      sum += r;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });

  // derived streams are distinct and stable
  it("derives distinct seeds", () => {
    const seeds = new Set<number>();
    for (let s = 0; s < 10; s++) for (let stream = 0; stream < 100; stream++) seeds.add(deriveSeed(s, stream));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(3, 4)).toBe(deriveSeed(3, 4));
  });
});
