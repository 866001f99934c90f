/**
 * Unit tests for the pure parts behind live sessions: tallies by stakeholder group with small-number
 * and complementary suppression (tallies.ts `tallyByGroup`), the session settings input, and the
 * comment statuses. The database side is in tests/integration/live-sessions.test.ts.
 */
import { CommentStatus, LiveSessionInput } from "./schemas";
import { tallyByGroup, type GroupRef, type GroupVoteRow } from "./tallies";

const GROUPS: GroupRef[] = [
  { id: "peers", name: "Peers who use drugs" },
  { id: "sw", name: "Sex workers" },
  { id: "outreach", name: "Outreach workers" },
  { id: "police", name: "Police" },
  { id: "policy", name: "Policymakers" },
];

/** Rows for one group: agree, disagree, pass counts. */
function votes(groupId: string, agree: number, disagree = 0, pass = 0): GroupVoteRow[] {
  return [
    { groupId, value: 1, count: agree },
    { groupId, value: -1, count: disagree },
    { groupId, value: 0, count: pass },
  ].filter((r) => r.count > 0);
}

/** What each group shows: its numbers "a/d/p", or "-" when suppressed. */
function shown(result: ReturnType<typeof tallyByGroup>): Record<string, string> {
  return Object.fromEntries(
    result.groups.map((g) => [g.groupId, g.tally.suppressed ? "-" : `${g.tally.agree}/${g.tally.disagree}/${g.tally.pass}`]),
  );
}

describe("tallyByGroup: every group's tally is suppressed below the minimum", () => {
  it("police group of 3 is suppressed; the groups of 5 and more are shown, with the whole", () => {
    const result = tallyByGroup(
      GROUPS,
      [...votes("peers", 4, 1), ...votes("sw", 3, 2, 1), ...votes("outreach", 2, 2, 1), ...votes("police", 1, 2), ...votes("policy", 3, 1, 1)],
      5,
    );
    expect(result.overall).toEqual({ suppressed: false, agree: 13, disagree: 8, pass: 3, total: 24 });
    // police group of 3 is suppressed. The whole (24) minus the four shown groups (21) would be the police's
    // 3 votes, so the smallest shown group is hidden too: peers, outreach and policymakers have 5 each,
    // and the last of them in order (policymakers) goes.
    expect(shown(result)).toEqual({ peers: "4/1/0", sw: "3/2/1", outreach: "2/2/1", police: "-", policy: "-" });
    expect(result.groups.find((g) => g.groupId === "police")).toEqual({ groupId: "police", name: "Police", tally: { suppressed: true, minimum: 5 } });
  });

  it("a group of exactly the minimum (5) is shown, one of 4 is not", () => {
    const result = tallyByGroup(GROUPS.slice(0, 3), [...votes("peers", 5), ...votes("sw", 2, 2), ...votes("outreach", 3, 1, 1)], 5);
    // sex workers group of 4 is suppressed; whole 14 minus peers and outreach (10) would be their 4 votes:
    // outreach (the last of the two groups of 5) is hidden too
    expect(shown(result)).toEqual({ peers: "5/0/0", sw: "-", outreach: "-" });
    expect(result.overall).toEqual({ suppressed: false, agree: 10, disagree: 3, pass: 1, total: 14 });
  });

  it("a group nobody voted in reads 'fewer than 5' (0 describes nobody, but nothing to show either)", () => {
    const result = tallyByGroup(GROUPS.slice(0, 2), votes("peers", 3, 2), 5);
    expect(result.groups[1]).toEqual({ groupId: "sw", name: "Sex workers", tally: { suppressed: true, minimum: 5 } });
    // peers alone are the whole: shown (the whole is shown anyway)
    expect(shown(result)).toEqual({ peers: "3/2/0", sw: "-" });
  });

  it("fewer than 5 voters in all: the whole and every group are suppressed", () => {
    const result = tallyByGroup(GROUPS, [...votes("peers", 2), ...votes("police", 1, 1)], 5);
    expect(result.overall).toEqual({ suppressed: true, minimum: 5 });
    expect(result.groups.every((g) => g.tally.suppressed)).toBe(true);
  });

  it("the minimum follows the consultation, never below 3", () => {
    const rows = [...votes("peers", 3), ...votes("sw", 2, 1, 1)];
    // minimum 4: peers (3) suppressed, sex workers (4) shown... but the whole (7) minus 4 = peers' 3: hidden too
    expect(shown(tallyByGroup(GROUPS.slice(0, 2), rows, 4))).toEqual({ peers: "-", sw: "-" });
    // minimum 1 is raised to 3: both groups shown
    const low = tallyByGroup(GROUPS.slice(0, 2), rows, 1);
    expect(shown(low)).toEqual({ peers: "3/0/0", sw: "2/1/1" });
    expect(low.groups[0].tally).toMatchObject({ suppressed: false, total: 3 });
    expect(tallyByGroup(GROUPS.slice(0, 1), votes("peers", 2), 1).groups[0].tally).toEqual({ suppressed: true, minimum: 3 });
  });
});

describe("tallyByGroup: complementary suppression (the whole is shown on every page)", () => {
  it("police group of 3 is suppressed, and so is the smallest shown group, so whole minus shown is not the police's votes", () => {
    const result = tallyByGroup(GROUPS, [...votes("peers", 5, 1), ...votes("sw", 4, 3), ...votes("outreach", 3, 2), ...votes("police", 0, 3)], 5);
    // shown would be peers 6 + sw 7 + outreach 5 = 18 of 21: the remaining 3 are the police, all "disagree".
    // Hiding outreach (the smallest shown) leaves a remainder of 8 people: police and outreach together.
    expect(shown(result)).toEqual({ peers: "5/1/0", sw: "4/3/0", outreach: "-", police: "-", policy: "-" });
    const visible = result.groups.filter((g) => !g.tally.suppressed).reduce((n, g) => n + (g.tally.suppressed ? 0 : g.tally.total), 0);
    expect(result.overall.suppressed ? 0 : result.overall.total - visible).toBeGreaterThanOrEqual(5);
  });

  it("on a tie for the smallest shown group, the last one in order is hidden", () => {
    const result = tallyByGroup(GROUPS, [...votes("peers", 5), ...votes("sw", 5), ...votes("police", 2)], 5);
    expect(shown(result)).toEqual({ peers: "5/0/0", sw: "-", outreach: "-", police: "-", policy: "-" });
  });

  it("two small groups that together make the minimum need nothing more", () => {
    // police 3 and policymakers 2 are hidden; whole minus shown = 5 people of two groups: allowed
    const result = tallyByGroup(GROUPS, [...votes("peers", 6), ...votes("police", 3), ...votes("policy", 1, 1)], 5);
    expect(shown(result)).toEqual({ peers: "6/0/0", sw: "-", outreach: "-", police: "-", policy: "-" });
  });

  it("two small groups of 2 and 1: remainder 3, so a shown group is hidden too", () => {
    const result = tallyByGroup(GROUPS, [...votes("peers", 6), ...votes("sw", 5, 2), ...votes("police", 2), ...votes("policy", 0, 1)], 5);
    // peers 6 is the smallest shown: hidden; remainder becomes 9
    expect(shown(result)).toEqual({ peers: "-", sw: "5/2/0", outreach: "-", police: "-", policy: "-" });
  });

  it("every group large enough: all shown, nothing more hidden", () => {
    const result = tallyByGroup(GROUPS, GROUPS.flatMap((g) => votes(g.id, 3, 1, 1)), 5);
    expect(Object.values(shown(result))).toEqual(["3/1/1", "3/1/1", "3/1/1", "3/1/1", "3/1/1"]);
    expect(result.overall).toMatchObject({ total: 25 });
  });

  it("votes of a group not listed count in the whole and in the remainder", () => {
    // 2 voters of an unknown group: whole 8, peers 6 shown would leave 2: peers hidden too
    const result = tallyByGroup(GROUPS.slice(0, 1), [...votes("peers", 6), ...votes("gone", 2)], 5);
    expect(shown(result)).toEqual({ peers: "-" });
    expect(result.overall).toMatchObject({ suppressed: false, total: 8 });
  });

  it("rows for the same group and value add up; empty rows are ignored", () => {
    const result = tallyByGroup(GROUPS.slice(0, 1), [
      { groupId: "peers", value: 1, count: 2 },
      { groupId: "peers", value: 1, count: 3 },
      { groupId: "peers", value: -1, count: 0 },
    ], 5);
    expect(result.groups[0].tally).toEqual({ suppressed: false, agree: 5, disagree: 0, pass: 0, total: 5 });
  });
});

describe("LiveSessionInput", () => {
  it("reads a checkbox the way forms send it, and booleans from code", () => {
    expect(LiveSessionInput.parse({ holdComments: "on" })).toEqual({ holdComments: true });
    expect(LiveSessionInput.parse({ holdComments: "off" })).toEqual({ holdComments: false });
    expect(LiveSessionInput.parse({})).toEqual({ holdComments: false }); // an unticked box is not sent
    expect(LiveSessionInput.parse({ holdComments: true })).toEqual({ holdComments: true });
    expect(LiveSessionInput.parse({ holdComments: false })).toEqual({ holdComments: false });
    expect(LiveSessionInput.parse({ holdComments: "TRUE " })).toEqual({ holdComments: true });
    expect(LiveSessionInput.safeParse({ holdComments: 1 }).success).toBe(false);
  });
});

describe("CommentStatus", () => {
  it("adds 'held' to the statuses of content", () => {
    expect(CommentStatus.options).toEqual(["visible", "hidden", "withdrawn", "held"]);
    expect(CommentStatus.safeParse("pending").success).toBe(false);
  });
});
