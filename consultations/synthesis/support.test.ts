import { buildMatrix } from "./matrix";
import { mulberry32 } from "./random";
import {
  cellOffsets,
  columnsFromTriples,
  columnsOf,
  countByGroup,
  countByGroupWeighted,
  countStatements,
  groupSupport,
  rowsOf,
  supportRecord,
  votersPerGroup,
} from "./support";

/** A random sparse matrix with groups, through the shared buildMatrix. */
function randomMatrix(P: number, S: number, density: number, nGroups: number, seed: number) {
  const random = mulberry32(seed);
  const participantIds = Array.from({ length: P }, (_, i) => `p${i}`);
  const statementIds = Array.from({ length: S }, (_, j) => `s${j}`);
  const votes: Array<{ participantId: string; statementId: string; value: -1 | 0 | 1 }> = [];
  for (let i = 0; i < P; i++)
    for (let j = 0; j < S; j++) if (random() < density) votes.push({ participantId: participantIds[i], statementId: statementIds[j], value: ([-1, 0, 1] as const)[Math.floor(random() * 3)] });
  const groupOf = Int32Array.from({ length: P }, () => Math.floor(random() * (nGroups + 1)) - 1); // -1 = no group
  return { m: buildMatrix(participantIds, statementIds, votes), groupOf, votes };
}

describe("support per group", () => {
  it("counts agree / disagree / pass per group and smooths rates as (a+1)/(n+2)", () => {
    // statement 0: group 0 = 3 agree, 1 disagree, 1 pass; group 1 = 2 disagree
    const c = columnsFromTriples(7, 1, [0, 1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 0, 0], [1, 1, 1, -1, 0, -1, -1]);
    const gc = countByGroup(c, [0, 0, 0, 0, 0, 1, 1], 2);
    const s = supportRecord(gc, 0, ["peers", "police"], 5);
    expect(s.peers).toEqual({ agree: 3, disagree: 1, pass: 1, n: 5, agreeRate: 4 / 7, disagreeRate: 2 / 7, enough: true });
    expect(s.police).toEqual({ agree: 0, disagree: 2, pass: 0, n: 2, agreeRate: 1 / 4, disagreeRate: 3 / 4, enough: false });
  });

  // a group of 3 is not enough
  it("marks a group of 3 voters as not enough (minimum 5), a group of 5 as enough", () => {
    const c = columnsFromTriples(8, 1, [0, 1, 2, 3, 4, 5, 6, 7], new Array(8).fill(0), new Array(8).fill(1));
    const gc = countByGroup(c, [0, 0, 0, 1, 1, 1, 1, 1], 2);
    expect(groupSupport(gc, 0, 0, 5).enough).toBe(false);
    expect(groupSupport(gc, 0, 1, 5).enough).toBe(true);
  });

  it("reads 1/2 for a group with no votes", () => {
    const c = columnsFromTriples(2, 1, [0], [0], [1]);
    const s = groupSupport(countByGroup(c, [0, 1], 2), 0, 1, 5);
    expect(s.n).toBe(0);
    expect(s.agreeRate).toBe(0.5);
  });

  // big group does not outweigh small ones
  it("gives each group its own figures, whatever the size of the others", () => {
    const small = { agree: 2, disagree: 8 };
    const rows: number[] = [];
    const vals: number[] = [];
    const groups: number[] = [];
    const add = (n: number, v: number, g: number) => {
      for (let i = 0; i < n; i++) {
        rows.push(rows.length);
        vals.push(v);
        groups.push(g);
      }
    };
    add(small.agree, 1, 1);
    add(small.disagree, -1, 1);
    const before = groupSupport(countByGroup(columnsFromTriples(rows.length, 1, rows, new Array(rows.length).fill(0), vals), groups, 2), 0, 1);
    add(500, 1, 0); // a big group joins and agrees
    const after = groupSupport(countByGroup(columnsFromTriples(rows.length, 1, rows, new Array(rows.length).fill(0), vals), groups, 2), 0, 1);
    expect(after).toEqual(before);
  });

  it("counts several groupings and the totals in one pass, equal to separate counts", () => {
    const { m, groupOf } = randomMatrix(120, 40, 0.3, 4, 7);
    const cols = columnsOf(m);
    const other = Int32Array.from(groupOf, (g, i) => (g < 0 ? -1 : (g + i) % 3));
    const both = countStatements(cols, [
      { groupOf, nGroups: 4 },
      { groupOf: other, nGroups: 3 },
    ]);
    expect(both.groups[0].counts).toEqual(countByGroup(cols, groupOf, 4).counts);
    expect(both.groups[1].counts).toEqual(countByGroup(cols, other, 3).counts);
    let sum = 0;
    for (const x of both.totals) sum += x;
    expect(sum).toBe(m.values.length);
  });

  it("weighted counts over the participant-major arrays equal counting each participant weight times", () => {
    const { m, groupOf } = randomMatrix(90, 30, 0.4, 3, 11);
    const rows = rowsOf(m);
    const weight = Int32Array.from({ length: 90 }, (_, i) => i % 4);
    const out = { nStatements: 30, nGroups: 3, counts: new Int32Array(30 * 9) };
    countByGroupWeighted(rows, cellOffsets(rows, 3), groupOf, weight, out);
    // Reference: replicate each participant weight[p] times in a CSC matrix.
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    const g: number[] = [];
    for (let p = 0; p < 90; p++)
      for (let w = 0; w < weight[p]; w++) {
        const id = g.length;
        g.push(groupOf[p]);
        for (let e = m.rowPtr[p]; e < m.rowPtr[p + 1]; e++) {
          r.push(id);
          c.push(m.colIdx[e]);
          v.push(m.values[e]);
        }
      }
    const ref = countByGroup(columnsFromTriples(g.length, 30, r, c, v), g, 3);
    expect(out.counts).toEqual(ref.counts);
  });

  it("counts voters per group: members who voted at all", () => {
    expect(Array.from(votersPerGroup([3, 0, 1, 2, 0], [0, 0, 1, -1, 1], 2))).toEqual([1, 1]);
  });
});
