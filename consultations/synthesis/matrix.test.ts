import { buildMatrix, voteAt, votedStatementCount } from "./matrix";
import { syntheticVotes } from "./synthetic";

describe("buildMatrix", () => {
  // small example: CSR and CSC agree, ids kept
  it("builds CSR and CSC views of the same votes", () => {
    const m = buildMatrix(["a", "b", "c"], ["s1", "s2", "s3"], [
      { participantId: "b", statementId: "s3", value: 1 },
      { participantId: "a", statementId: "s2", value: -1 },
      { participantId: "b", statementId: "s1", value: 0 },
      { participantId: "a", statementId: "s1", value: 1 },
    ]);
    expect(Array.from(m.rowPtr)).toEqual([0, 2, 4, 4]);
    expect(Array.from(m.colIdx)).toEqual([0, 1, 0, 2]);
    expect(Array.from(m.values)).toEqual([1, -1, 0, 1]);
    expect(Array.from(m.colPtr)).toEqual([0, 2, 3, 4]);
    expect(Array.from(m.rowIdx)).toEqual([0, 1, 0, 1]);
    expect(Array.from(m.colValues)).toEqual([1, 0, -1, 1]);
    expect(Array.from(m.votesPerParticipant)).toEqual([2, 2, 0]);
    expect(voteAt(m, 1, 0)).toBe(0);
    expect(voteAt(m, 1, 1)).toBeNull();
    expect(votedStatementCount(m)).toBe(3);
  });

  // a repeated pair: the last vote in the array wins; unknown ids and invalid values are ignored
  it("keeps the last vote of a pair and ignores unknown ids", () => {
    const m = buildMatrix(["a", "b"], ["s1", "s2"], [
      { participantId: "a", statementId: "s1", value: 1 },
      { participantId: "zz", statementId: "s1", value: 1 },
      { participantId: "a", statementId: "s9", value: 1 },
      { participantId: "b", statementId: "s2", value: 1 },
      { participantId: "a", statementId: "s1", value: -1 },
      { participantId: "a", statementId: "s1", value: 0 },
      { participantId: "b", statementId: "s2", value: 2 as unknown as 1 },
    ]);
    expect(voteAt(m, 0, 0)).toBe(0);
    expect(voteAt(m, 1, 1)).toBe(1);
    expect(m.values.length).toBe(2);
    expect(Array.from(m.votesPerParticipant)).toEqual([1, 1]);
  });

  // no votes, no participants, no statements
  it("handles empty input", () => {
    const m = buildMatrix([], [], []);
    expect(m.rowPtr.length).toBe(1);
    expect(m.colPtr.length).toBe(1);
    const n = buildMatrix(["a"], ["s"], []);
    expect(Array.from(n.votesPerParticipant)).toEqual([0]);
    expect(votedStatementCount(n)).toBe(0);
  });

  // synthetic data: every vote is found in both views, statements ascending in each row
  it("agrees with a dictionary of the votes on synthetic data", () => {
    const syn = syntheticVotes({ participants: 300, statements: 80, density: 0.3, seed: 5 });
    const shuffled = [...syn.votes].reverse();
    const m = buildMatrix(syn.participantIds, syn.statementIds, shuffled);
    expect(m.values.length).toBe(syn.votes.length);
    const dict = new Map(syn.votes.map((v) => [`${v.participantId}|${v.statementId}`, v.value]));
    for (let i = 0; i < 300; i++) {
      for (let e = m.rowPtr[i]; e < m.rowPtr[i + 1]; e++) {
        if (e > m.rowPtr[i]) expect(m.colIdx[e]).toBeGreaterThan(m.colIdx[e - 1]);
        expect(dict.get(`${m.participantIds[i]}|${m.statementIds[m.colIdx[e]]}`)).toBe(m.values[e]);
      }
    }
    for (let j = 0; j < 80; j++) {
      for (let e = m.colPtr[j]; e < m.colPtr[j + 1]; e++) {
        expect(voteAt(m, m.rowIdx[e], j)).toBe(m.colValues[e]);
      }
    }
  });
});
