import { buildMatrix } from "./matrix";
import { syntheticVotes } from "./synthetic";

describe("syntheticVotes", () => {
  // the exact number of votes asked for, no repeated pair, only valid values
  it("produces round(density x P x S) distinct votes", () => {
    const syn = syntheticVotes({ participants: 2000, statements: 900, density: 0.125, seed: 1 });
    expect(syn.votes.length).toBe(225_000);
    const m = buildMatrix(syn.participantIds, syn.statementIds, syn.votes);
    expect(m.values.length).toBe(225_000); // no pair repeats
    expect(new Set(syn.votes.map((v) => v.value))).toEqual(new Set([-1, 0, 1]));
    // uneven participation, like real data
    const counts = Array.from(m.votesPerParticipant).sort((a, b) => a - b);
    expect(counts[counts.length - 1]).toBeGreaterThan(3 * counts[Math.floor(counts.length / 10)]);
  });

  // planted camps: shares decrease, every camp present; same seed, same data
  it("plants camps and is deterministic", () => {
    const a = syntheticVotes({ participants: 1000, statements: 50, density: 0.3, seed: 3, groups: 4 });
    const b = syntheticVotes({ participants: 1000, statements: 50, density: 0.3, seed: 3, groups: 4 });
    expect(a.votes).toEqual(b.votes);
    const sizes = [0, 0, 0, 0];
    for (const g of a.camp) sizes[g]++;
    expect(sizes.every((s) => s > 100)).toBe(true);
    expect(sizes[0]).toBeGreaterThan(sizes[3]);
  });

  // a full matrix and an empty one
  it("handles density 1 and 0", () => {
    expect(syntheticVotes({ participants: 10, statements: 7, density: 1, seed: 2 }).votes.length).toBe(70);
    expect(syntheticVotes({ participants: 10, statements: 7, density: 0, seed: 2 }).votes.length).toBe(0);
  });
});
