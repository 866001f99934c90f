import path from "node:path";
import { POLIS_DATA_DIR, readComments, readParticipantsVotes } from "../../tests/polis/read-polis";
import { groupAgreement, groupAwareConsensus, groupAwareConsensusFromMap, consensusFromCounts } from "./consensus";
import { buildMatrix, type MatrixVote } from "./matrix";
import { columnsFromTriples, columnsOf, countByGroup } from "./support";

/** Columns from (participant, statement, value) rows. */
function cols(nP: number, nS: number, rows: Array<[number, number, number]>) {
  return columnsFromTriples(
    nP,
    nS,
    rows.map((r) => r[0]),
    rows.map((r) => r[1]),
    rows.map((r) => r[2]),
  );
}

/** n participants of each group voting `value` on statement 0. */
function oneStatement(groups: Array<{ agree?: number; disagree?: number; pass?: number }>) {
  const rows: Array<[number, number, number]> = [];
  const groupOf: number[] = [];
  groups.forEach((g, gi) => {
    for (const [count, value] of [
      [g.agree ?? 0, 1],
      [g.disagree ?? 0, -1],
      [g.pass ?? 0, 0],
    ] as const) {
      for (let i = 0; i < count; i++) {
        rows.push([groupOf.length, 0, value]);
        groupOf.push(gi);
      }
    }
  });
  return { c: cols(groupOf.length, 1, rows), groupOf: Int32Array.from(groupOf), nGroups: groups.length };
}

describe("group-aware consensus", () => {
  it("reproduces Polis's group-informed-consensus of bg2050-volunteers from Polis's own group-ids", () => {
    const dir = path.join(POLIS_DATA_DIR, "bg2050-volunteers");
    const { commentIds, participants } = readParticipantsVotes(dir);
    const comments = readComments(dir);
    // The vote cells of participants-votes.csv; only participants with a group-id count.
    const votes: MatrixVote[] = [];
    for (const p of participants) for (const [commentId, value] of p.votes) votes.push({ participantId: p.participantId, statementId: commentId, value });
    const m = buildMatrix(
      participants.map((p) => p.participantId),
      commentIds,
      votes,
    );
    const groupMap = new Map(participants.map((p) => [p.participantId, p.groupId === null ? null : String(p.groupId)]));
    const { consensus, groupIds } = groupAwareConsensusFromMap(columnsOf(m), m.participantIds, groupMap);
    let maxDiff = 0;
    let compared = 0;
    for (const c of comments) {
      if (c.groupInformedConsensus === null) continue;
      const j = commentIds.indexOf(c.commentId);
      expect(j).toBeGreaterThanOrEqual(0);
      maxDiff = Math.max(maxDiff, Math.abs(consensus[j] - c.groupInformedConsensus));
      compared++;
    }
    console.log(
      `[bg2050-volunteers] group-aware consensus vs Polis's group-informed-consensus: ${compared} comments, ` +
        `${groupIds.length} Polis groups, ${participants.filter((p) => p.groupId === null).length} unclustered participants left out, max |diff| = ${maxDiff.toExponential(3)}`,
    );
    expect(compared).toBe(371);
    expect(maxDiff).toBeLessThan(1e-9);
  });

  // everyone agrees
  it("is high and bridges when everyone agrees", () => {
    const { c, groupOf, nGroups } = oneStatement([{ agree: 10 }, { agree: 10 }, { agree: 10 }]);
    const cons = groupAwareConsensus(c, groupOf, nGroups)[0];
    expect(cons).toBeCloseTo((11 / 12) ** 3, 12);
    const a = groupAgreement(countByGroup(c, groupOf, nGroups), 5);
    expect(a.bridges[0]).toBe(1);
    expect(a.divisiveness[0]).toBe(0);
  });

  it("counts passes in S_g", () => {
    const { c, groupOf, nGroups } = oneStatement([{ agree: 4, pass: 4 }]);
    expect(groupAwareConsensus(c, groupOf, nGroups)[0]).toBeCloseTo(5 / 10, 12);
  });

  // police alone disagree
  it("does not bridge when one group alone disagrees, and reads as divisive", () => {
    const { c, groupOf, nGroups } = oneStatement([{ agree: 40, disagree: 5 }, { agree: 20, disagree: 2 }, { agree: 2, disagree: 8 }]);
    const a = groupAgreement(countByGroup(c, groupOf, nGroups), 5);
    expect(a.bridges[0]).toBe(0);
    expect(a.divisiveness[0]).toBeGreaterThan(0.5);
    expect(a.mostAgainst[0]).toBe(2);
    expect(a.mostFor[0]).toBe(1);
  });

  // a group of 3 is not enough
  it("ignores a group with fewer than the minimum voters for bridging and divisiveness", () => {
    const { c, groupOf, nGroups } = oneStatement([{ agree: 10 }, { agree: 9, disagree: 1 }, { disagree: 3 }]);
    const a = groupAgreement(countByGroup(c, groupOf, nGroups), 5);
    expect(a.enoughGroups[0]).toBe(2);
    expect(a.bridges[0]).toBe(1);
    expect(a.divisiveness[0]).toBeLessThan(0.1);
  });

  it("needs at least two groups with enough voters to bridge", () => {
    const { c, groupOf, nGroups } = oneStatement([{ agree: 10 }, { agree: 3 }]);
    expect(groupAgreement(countByGroup(c, groupOf, nGroups), 5).bridges[0]).toBe(0);
  });

  it("a bare majority is not a tie: agree must exceed n/2", () => {
    const tie = oneStatement([{ agree: 5, disagree: 5 }, { agree: 10 }]);
    expect(groupAgreement(countByGroup(tie.c, tie.groupOf, tie.nGroups), 5).bridges[0]).toBe(0);
    const more = oneStatement([{ agree: 6, disagree: 5 }, { agree: 10 }]);
    expect(groupAgreement(countByGroup(more.c, more.groupOf, more.nGroups), 5).bridges[0]).toBe(1);
  });

  // big group does not outweigh small ones
  it("gives a small group that disagrees the same weight as a big one", () => {
    // 200 agree in group 0; 10 disagree in group 1: pooled agreement would be 95%.
    const a = oneStatement([{ agree: 200 }, { disagree: 10 }]);
    const b = oneStatement([{ agree: 10 }, { disagree: 200 }]);
    const ca = groupAwareConsensus(a.c, a.groupOf, a.nGroups)[0];
    const cb = groupAwareConsensus(b.c, b.groupOf, b.nGroups)[0];
    expect(ca).toBeLessThan(0.1);
    expect(cb).toBeLessThan(0.1);
    expect(groupAgreement(countByGroup(a.c, a.groupOf, a.nGroups), 5).bridges[0]).toBe(0);
  });

  it("leaves out groups that are excluded from the product", () => {
    const { c, groupOf, nGroups } = oneStatement([{ agree: 10 }, { agree: 10 }]);
    const gc = countByGroup(c, groupOf, nGroups);
    expect(consensusFromCounts(gc, [1, 0])[0]).toBeCloseTo(11 / 12, 12);
  });
});
