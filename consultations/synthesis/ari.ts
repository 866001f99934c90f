/**
 * Adjusted Rand index (Hubert & Arabie 1985): agreement of two partitions of the same items, 1 when
 * they are the same partition (whatever the labels), about 0 for independent random labellings, and
 * negative when they agree less than chance. Labels are any integers.
 */

function choose2(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Maps labels to 0..r-1 in order of first appearance. */
function compact(labels: ArrayLike<number>): { codes: Int32Array; count: number } {
  const codes = new Int32Array(labels.length);
  const seen = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    let code = seen.get(labels[i]);
    if (code === undefined) {
      code = seen.size;
      seen.set(labels[i], code);
    }
    codes[i] = code;
  }
  return { codes, count: seen.size };
}

export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`adjustedRandIndex: labellings of different lengths (${a.length} and ${b.length})`);
  const n = a.length;
  if (n < 2) return 1;
  const ca = compact(a);
  const cb = compact(b);
  const table = new Float64Array(ca.count * cb.count);
  const rowSums = new Float64Array(ca.count);
  const colSums = new Float64Array(cb.count);
  for (let i = 0; i < n; i++) {
    table[ca.codes[i] * cb.count + cb.codes[i]]++;
    rowSums[ca.codes[i]]++;
    colSums[cb.codes[i]]++;
  }
  let index = 0;
  for (let t = 0; t < table.length; t++) index += choose2(table[t]);
  let sumA = 0;
  for (let r = 0; r < ca.count; r++) sumA += choose2(rowSums[r]);
  let sumB = 0;
  for (let c = 0; c < cb.count; c++) sumB += choose2(colSums[c]);
  const expected = (sumA * sumB) / choose2(n);
  const max = (sumA + sumB) / 2;
  // max == expected only when both are the same trivial partition (one group, or all singletons).
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
