import { representativeStatements, propTest, repnessCell, twoPropTest } from "./repness";
import { columnsFromTriples, countByGroup, totals } from "./support";
import { Z_90 } from "./thresholds";

/** Statement-by-statement votes per group: spec[s][g] = [agree, disagree, pass]. Fresh voters per cell. */
function build(spec: Array<Array<[number, number, number]>>) {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  const groupOf: number[] = [];
  const G = spec[0].length;
  // Participant i of group g votes on every statement (so that counts line up with people).
  const per = spec.map((row) => row.map(([a, d, p]) => a + d + p));
  const size = Array.from({ length: G }, (_, g) => Math.max(...per.map((row) => row[g])));
  const first: number[] = [];
  for (let g = 0; g < G; g++) {
    first.push(groupOf.length);
    for (let i = 0; i < size[g]; i++) groupOf.push(g);
  }
  spec.forEach((row, s) =>
    row.forEach(([a, d, p], g) => {
      let i = first[g];
      for (const [n, value] of [
        [a, 1],
        [d, -1],
        [p, 0],
      ]) {
        for (let t = 0; t < n; t++) {
          r.push(i++);
          c.push(s);
          v.push(value);
        }
      }
    }),
  );
  const cols = columnsFromTriples(groupOf.length, spec.length, r, c, v);
  return { cols, gc: countByGroup(cols, groupOf, G) };
}

describe("representativeness (Polis repness)", () => {
  it("implements Polis's prop-test and two-prop-test", () => {
    // prop-test: 2 sqrt(n+1) ((succ+1)/(n+1) - 1/2)
    expect(propTest(9, 10)).toBeCloseTo(2 * Math.sqrt(11) * (10 / 11 - 0.5), 12);
    // two-prop-test with pseudo-counts
    const p1 = 9 / 11;
    const p2 = 3 / 21;
    const pHat = 12 / 32;
    expect(twoPropTest(8, 2, 10, 20)).toBeCloseTo((p1 - p2) / Math.sqrt(pHat * (1 - pHat) * (1 / 11 + 1 / 21)), 12);
    expect(twoPropTest(10, 10, 10, 10)).toBe(0);
  });

  it("finds the statement a group agrees with while the rest disagree, in the agree direction", () => {
    const { cols, gc } = build([
      [
        [18, 2, 0],
        [2, 18, 0],
        [3, 17, 0],
      ],
      [
        [10, 10, 0],
        [10, 10, 0],
        [10, 10, 0],
      ],
    ]);
    const cell = repnessCell(gc, totals(cols), 0, 0, "s0", 5)!;
    expect(cell.direction).toBe("agree");
    expect(cell.pa).toBeCloseTo(19 / 22, 12);
    expect(cell.ra).toBeCloseTo(19 / 22 / (6 / 42), 12);
    expect(cell.z).toBeGreaterThan(Z_90);
    expect(cell.zp).toBeGreaterThan(Z_90);
    expect(cell.significant).toBe(true);
    const rep = representativeStatements(gc, { statementIds: ["s0", "s1"], minVoters: 5 });
    expect(rep[0].map((r) => r.statementId)).toEqual(["s0"]);
    // The other groups stand apart on s0 by disagreeing.
    expect(rep[1][0]).toMatchObject({ statementId: "s0", direction: "disagree", significant: true });
  });

  it("is not significant when the group votes like everyone else", () => {
    const { cols, gc } = build([
      [
        [10, 10, 0],
        [10, 10, 0],
      ],
    ]);
    expect(repnessCell(gc, totals(cols), 0, 0, "s0", 5)!.significant).toBe(false);
  });

  // a group of 3 is not enough
  it("never makes a statement representative of a group with fewer voters than the minimum", () => {
    const { cols, gc } = build([
      [
        [3, 0, 0],
        [0, 20, 0],
      ],
    ]);
    expect(repnessCell(gc, totals(cols), 0, 0, "s0", 5)).toBeNull();
    expect(representativeStatements(gc, { statementIds: ["s0"], minVoters: 5 })[0]).toEqual([]);
  });

  it("keeps at most the requested number per group, best repness metric first", () => {
    const spec: Array<Array<[number, number, number]>> = [];
    for (let s = 0; s < 8; s++)
      spec.push([
        [12 + s, 8 - s, 0],
        [2, 18, 0],
      ]);
    const { gc } = build(spec);
    const rep = representativeStatements(gc, { statementIds: spec.map((_, s) => `s${s}`), minVoters: 5, perGroup: 3 });
    expect(rep[0].map((r) => r.statementId)).toEqual(["s7", "s6", "s5"]);
  });
});
