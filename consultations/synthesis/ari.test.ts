import { adjustedRandIndex } from "./ari";
import { mulberry32 } from "./random";

describe("adjustedRandIndex", () => {
  // identical labellings, and the same partition under other labels
  it("is 1 for the same partition", () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [0, 0, 1, 1, 2])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, 3, 3, -1])).toBe(1);
    expect(adjustedRandIndex(Int32Array.from([1, 1, 1]), [0, 0, 0])).toBe(1); // one group each
    expect(adjustedRandIndex([0, 1, 2, 3], [3, 2, 1, 0])).toBe(1); // all singletons
  });

  // known small values (Hubert & Arabie; the same figures scikit-learn documents)
  it("matches known values", () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 12);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    // 3 x 3 contingency table [[1,1,0],[1,2,1],[0,0,4]] (worked example): ARI = 0.313
    const a = [0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    const b = [0, 1, 0, 1, 1, 2, 2, 2, 2, 2];
    // index = C(2,2)+C(4,2) = 1+6 = 7; rows 2,4,4 -> 1+6+6 = 13; cols 2,3,5 -> 1+3+10 = 14;
    // expected = 13*14/45; max = 13.5 -> (7 - 4.0444) / (13.5 - 4.0444)
    expect(adjustedRandIndex(a, b)).toBeCloseTo((7 - (13 * 14) / 45) / (13.5 - (13 * 14) / 45), 12);
  });

  // independent random labellings score about 0
  it("is about 0 for independent labellings", () => {
    const random = mulberry32(11);
    let total = 0;
    for (let rep = 0; rep < 20; rep++) {
      const a = Array.from({ length: 2000 }, () => Math.floor(random() * 3));
      const b = Array.from({ length: 2000 }, () => Math.floor(random() * 4));
      const ari = adjustedRandIndex(a, b);
      expect(Math.abs(ari)).toBeLessThan(0.02);
      total += ari;
    }
    expect(Math.abs(total / 20)).toBeLessThan(0.005);
  });

  // symmetric; degenerate sizes; mismatched lengths rejected
  it("handles edge cases", () => {
    const a = [0, 1, 1, 2, 2, 2, 0];
    const b = [1, 1, 0, 2, 2, 0, 0];
    expect(adjustedRandIndex(a, b)).toBeCloseTo(adjustedRandIndex(b, a), 14);
    expect(adjustedRandIndex([], [])).toBe(1);
    expect(adjustedRandIndex([3], [4])).toBe(1);
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow();
  });
});
