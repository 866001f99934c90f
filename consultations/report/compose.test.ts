import { describe, expect, it } from "vitest";

import { composeReport, NO_GROUP_NAME, OTHER_GROUPS_KEY } from "./compose";
import { reportMarkdown } from "./markdown";
import { suppressedKeys } from "./suppress";
import { FIXTURE_GROUPS, FIXTURE_PEOPLE, fixtureResult, polisStyleResult } from "./testing/fixture";
import type { GroupLine, Report } from "./types";

const EDITS = { "pos-4": "Police stop confiscating sterile injecting equipment", "pos-5": "Carry naloxone in every police car" };

function compose(overrides: Partial<Parameters<typeof composeReport>[1]> = {}): Report {
  return composeReport(fixtureResult(), {
    title: "Drug policy and policing",
    description: "A consultation between five groups.",
    groups: FIXTURE_GROUPS,
    generatedAt: "2026-11-23T10:00:00Z",
    minGroupSize: 5,
    edits: EDITS,
    ...overrides,
  });
}

const lineOf = (lines: GroupLine[], id: string) => lines.find((l) => l.id === id)!;

describe("suppressedKeys (complementary suppression)", () => {
  it("hides small groups only, when the rest cannot give them away", () => {
    expect([...suppressedKeys([{ key: "a", n: 8 }, { key: "b", n: 3 }, { key: "c", n: 2 }], 13, 5)]).toEqual(["b", "c"]);
  });

  it("hides the next smallest group when total minus the shown figures would reveal a small one", () => {
    expect([...suppressedKeys([{ key: "a", n: 8 }, { key: "b", n: 6 }, { key: "c", n: 3 }], 17, 5)].sort()).toEqual(["b", "c"]);
  });

  it("counts people outside every group (no declared group) in the residual", () => {
    // 2 people without a group: total - shown = 2 would describe them.
    expect([...suppressedKeys([{ key: "a", n: 8 }, { key: "b", n: 6 }], 16, 5)]).toEqual(["b"]);
    expect([...suppressedKeys([{ key: "a", n: 8 }, { key: "b", n: 6 }], 14, 5)]).toEqual([]);
  });

  it("never goes below the floor of 3 and shows zero", () => {
    expect([...suppressedKeys([{ key: "a", n: 2 }, { key: "b", n: 0 }, { key: "c", n: 9 }], 11, 1)]).toEqual(["a", "c"]);
  });
});

describe("composeReport: participation", () => {
  const report = compose();

  it("shows group sizes of 5 or more, 'fewer than 5' below, and hides one more group where the total would give a small one away", () => {
    const rows = Object.fromEntries(report.participation.rows.map((r) => [r.id, r]));
    expect(rows.peers.participants).toEqual({ suppressed: false, count: 8 });
    expect(rows.sex.participants).toEqual({ suppressed: false, count: 6 });
    expect(rows.police.participants).toEqual({ suppressed: true, minimum: 5, reason: "fewer" });
    // 28 - (8 + 6 + 6) = 8 would be police + outreach; without hiding outreach it would be police's 3.
    expect(rows.outreach.participants).toEqual({ suppressed: true, minimum: 5, reason: "complement" });
    expect(rows.policy.placed).toEqual({ suppressed: false, count: 5 });
    expect(report.participation.total).toEqual({ suppressed: false, count: 28 });
    expect(report.participation.noGroup).toBeNull();
  });

  it("says who took part in plain words", () => {
    expect(report.summary.whoTookPart).toBe(
      "28 people took part and cast 138 votes on 6 statements; on average each person voted on 82% of the statements. By declared group: 8 Peers who use drugs, 6 Sex workers, Outreach workers (number not shown), fewer than 5 Police and 6 Policymakers.",
    );
  });
});

describe("composeReport: recommendations", () => {
  const report = compose();

  it("groups recommendations by theme, in the engine's order within a theme", () => {
    expect(report.themes).toEqual([
      { id: "t-policing", label: "Policing", recommendationIds: ["pos-4", "pos-5"] },
      { id: "t-services", label: "Services", recommendationIds: ["pos-1"] },
    ]);
    expect(report.recommendations.map((r) => r.label)).toEqual(["P4", "P5", "P1"]);
  });

  it("uses the facilitator's wording and quotes the statement itself when reworded", () => {
    const p4 = report.recommendations[0];
    expect(p4.wording).toBe("Police stop confiscating sterile injecting equipment");
    expect(p4.edited).toBe(true);
    expect(p4.quotes).toEqual(["police should stop confiscating needles"]);
    const p1 = report.recommendations[2];
    expect(p1.wording).toBe("Fund peer-led outreach in every district");
    expect(p1.edited).toBe(false);
    expect(p1.quotes).toEqual([]);
  });

  it("gives per-group support as counts and shares, hiding groups under 5 voters (and their complement)", () => {
    const p1 = report.recommendations.find((r) => r.statementId === "pos-1")!;
    expect(p1.overall).toMatchObject({ suppressed: false, agree: 23, disagree: 2, pass: 3, n: 28 });
    expect(lineOf(p1.groups, "peers").support).toMatchObject({ suppressed: false, agree: 7, n: 8 });
    expect(lineOf(p1.groups, "policy").support).toMatchObject({ suppressed: false, agree: 4, disagree: 1, pass: 1, n: 6 });
    expect(lineOf(p1.groups, "police").support).toEqual({ suppressed: true, minimum: 5, reason: "fewer" });
    expect(lineOf(p1.groups, "outreach").support).toEqual({ suppressed: true, minimum: 5, reason: "complement" });
    const md = reportMarkdown(report);
    expect(md).toContain("- Peers who use drugs: 7 of 8 agree (88%)");
    expect(md).toContain("- Policymakers: 4 of 6 agree (67%)");
    expect(md).toContain("- Police: fewer than 5 voted");
    expect(md).toContain("- Outreach workers: not shown, to protect a smaller group");
    expect(md).toContain("- Everyone: 23 of 28 agree (82%), 2 disagree, 3 pass");
  });

  it("says how stable each one is, from recommendationStability", () => {
    const stability = Object.fromEntries(report.recommendations.map((r) => [r.label, r.stability]));
    expect(stability.P1).toEqual({ value: 0.93, level: "stable", text: "Stable: it stayed a recommendation in 93 of 100 re-runs on resampled participants." });
    expect(stability.P4.level).toBe("fairly-stable");
    expect(stability.P4.text).toContain("62 of 100");
    expect(stability.P5.level).toBe("fragile");
    expect(stability.P5.text).toBe(
      "Fragile: it stayed a recommendation in only 31 of 100 re-runs on resampled participants. Treat it as a lead to test, not a finding.",
    );
  });

  it("explains the basis in words", () => {
    expect(report.recommendations[0].basis).toBe("declared");
    expect(report.recommendations[0].basisText).toContain("the opinion groups found in the votes are not all behind it");
    expect(report.recommendations[2].basisText).toBe("More than half of every declared group and of every opinion group with enough voters agrees.");
  });

  it("lists the top recommendations in the summary, bridging both kinds of group first", () => {
    expect(report.summary.supportedByAll.map((r) => r.label)).toEqual(["P1", "P5", "P4"]);
  });
});

describe("composeReport: disagreements, emphases, minorities", () => {
  const report = compose();

  it("never singles out a group whose figure is hidden", () => {
    // The engine's first disagreement sets Peers against Police (3 people): left out.
    expect(report.disagreements).toHaveLength(1);
    expect(report.disagreements[0].mostFor).toMatchObject({ id: "sex", name: "Sex workers", support: { agree: 6, n: 6 } });
    expect(report.disagreements[0].mostAgainst).toMatchObject({ id: "policy", support: { agree: 1, n: 6 } });
    expect(report.summary.divides).toEqual([
      { statementId: "pos-2", label: "P2", wording: "Decriminalise possession of drugs for personal use", between: "Sex workers mostly agree, Policymakers mostly do not" },
    ]);
  });

  it("describes what each group stressed, but not groups under 5 voters", () => {
    const declared = Object.fromEntries(report.emphases.declared.map((e) => [e.id, e]));
    expect(declared.police).toMatchObject({ described: false, items: [], note: "Fewer than 5 people of this group voted: not described, to protect them." });
    expect(declared.sex.items).toEqual([
      {
        statementId: "pos-3",
        label: "P3",
        text: "Sex workers should be consulted before any police operation that affects them",
        direction: "agree",
        groupShare: 1,
        othersShare: 0,
      },
    ]);
    // Outreach workers: 5 voters, described, but nothing significant.
    expect(declared.outreach).toMatchObject({ described: true, items: [] });
    const opinion = Object.fromEntries(report.emphases.opinion.map((e) => [e.id, e]));
    // An opinion group of 3 (minimum 5): not described and its size not shown; the next smallest (10)
    // is hidden too, since 27 placed minus 14 would give the 3 away.
    expect(opinion["2"]).toMatchObject({ described: false, size: { suppressed: true, reason: "fewer", minimum: 5 } });
    expect(opinion["1"].size).toEqual({ suppressed: true, reason: "complement", minimum: 5 });
    expect(opinion["0"].size).toEqual({ suppressed: false, count: 14 });
    expect(opinion["0"].items[0]).toMatchObject({ statementId: "pos-2", direction: "agree" });
  });

  it("reports a position held strongly by one group, with plain shares", () => {
    expect(report.minorityPositions).toEqual([
      { statementId: "pos-3", label: "P3", wording: "Sex workers should be consulted before any police operation that affects them", groupId: "sex", groupName: "Sex workers", agreeShare: 1, othersAgreeShare: 0 },
    ]);
  });
});

describe("composeReport: method", () => {
  it("says plainly when opinion groups are too small to trust or unstable", () => {
    const report = compose();
    expect(report.method.warnings).toEqual([
      "At least one opinion group has fewer than 5 people: too small to trust. Read the opinion groups as a rough sketch and rely on the declared groups.",
      "The opinion groups are not stable: running the count again on a random mix of people gives different groups (agreement 0.55, where 1 means the same). Do not read much into who falls in which opinion group.",
    ]);
    expect(report.method.clustering).toMatchObject({ k: 3, tooSmallToTrust: true, unstable: true, clusteredParticipants: { suppressed: false, count: 27 } });
    expect(report.method.paragraphs.join(" ")).toContain("Here it found 3 opinion groups among 27 people placed on the map.");
  });

  it("has no warning when the groups are big and stable", () => {
    const result = fixtureResult();
    result.clustering = { ...result.clustering, stability: 0.92, tooSmallToTrust: false, silhouette: 0.6 };
    const report = composeReport(result, { title: "T", groups: FIXTURE_GROUPS, generatedAt: "2026-01-01", minGroupSize: 5 });
    expect(report.method.warnings).toEqual([]);
    expect(report.method.paragraphs.join(" ")).toContain("The groups are clearly apart.");
    expect(report.method.paragraphs.join(" ")).toContain("chosen by silhouette: here 0.60");
  });
});

describe("composeReport: map and anonymity", () => {
  it("draws anonymous points, none for a declared group with fewer than 5 people on the map, and says so", () => {
    const report = compose();
    expect(report.map.points).toHaveLength(24); // 27 placed, minus the 3 police officers
    expect(report.map.points.some((p) => p.declaredGroup === "police")).toBe(false);
    expect(Object.keys(report.map.points[0]).sort()).toEqual(["declaredGroup", "opinionGroup", "x", "y"]);
    const xs = report.map.points.map((p) => p.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(report.map.declaredGroups.map((g) => g.name)).toEqual(["Peers who use drugs", "Sex workers", "Outreach workers", "Policymakers"]);
    expect(report.map.omittedNote).toBe(
      "People of declared groups with fewer than 5 people on the map are not drawn, in either view, so that nobody in a small group can be picked out.",
    );
  });

  it("pools small groups as 'other groups' when the pool is large enough", () => {
    const report = compose({ minGroupSize: 7 });
    // Placed: peers 8; sex 6, outreach 5, police 3, policy 5 are each under 7 but 19 together.
    expect(report.map.points).toHaveLength(27);
    expect(report.map.points.filter((p) => p.declaredGroup === OTHER_GROUPS_KEY)).toHaveLength(19);
    expect(report.map.declaredGroups).toEqual([
      { id: "peers", name: "Peers who use drugs" },
      { id: OTHER_GROUPS_KEY, name: "Other groups (each fewer than 7 on the map)" },
    ]);
  });

  it("carries no participant id anywhere", () => {
    const json = JSON.stringify(compose());
    for (const p of FIXTURE_PEOPLE) expect(json).not.toContain(p.id);
  });

  it("hides a statement's total when fewer than 5 voted", () => {
    const report = compose();
    expect(report.statements.find((s) => s.id === "pos-6")!.total).toEqual({ suppressed: true, minimum: 5, reason: "fewer" });
  });
});

describe("composeReport on a Polis-style result (numeric ids, no declared groups)", () => {
  const report = composeReport(polisStyleResult(), { title: "Polis", groups: [], generatedAt: "2026-01-01", minGroupSize: 5 });

  it("cites statements by their Polis id and compares opinion groups", () => {
    expect(report.recommendations.map((r) => r.label)).toEqual(["P12", "P15", "P3"]);
    expect(report.recommendations[0].groups.map((g) => g.name)).toEqual(["Opinion group A", "Opinion group B", "Opinion group C"]);
    expect(report.recommendations[0].basisText).toBe("More than half of every opinion group (people who voted alike) with enough voters agrees.");
    expect(report.summary.whoTookPart).toContain("People did not declare stakeholder groups");
    expect(report.participation.noGroup).toMatchObject({ name: NO_GROUP_NAME, participants: { suppressed: false, count: 28 }, voters: null });
    expect(report.method.warnings).toContain("No declared stakeholder groups: recommendations rest on the opinion groups only.");
  });

  it("writes Markdown that says there are no declared groups", () => {
    const md = reportMarkdown(report);
    expect(md).toContain("People did not declare a stakeholder group. In all, 28 people took part.");
    expect(md).toContain("#### naloxone in all police cars!! \\[P15\\]");
  });
});

describe("composeReport on an empty consultation", () => {
  it("says nobody has taken part and renders without figures", () => {
    const result = fixtureResult();
    result.meta = { ...result.meta, participants: 0, statements: 0, votes: 0, density: 0 };
    result.statements = [];
    result.participants = [];
    result.opinionGroups = [];
    result.declaredGroups = [];
    result.recommendations = [];
    result.disagreements = [];
    result.minorityPositions = [];
    result.themes = [];
    result.clustering = { ...result.clustering, k: 0, clusteredParticipants: 0, stability: null, tooSmallToTrust: false };
    const report = composeReport(result, { title: "Empty", groups: FIXTURE_GROUPS, generatedAt: "2026-01-01", minGroupSize: 5 });
    expect(report.summary.whoTookPart).toBe("Nobody has taken part yet. By declared group: 0 Peers who use drugs, 0 Sex workers, 0 Outreach workers, 0 Police and 0 Policymakers.");
    expect(report.map.points).toEqual([]);
    expect(reportMarkdown(report)).toContain("No statement was agreed by a majority of every group with enough voters");
  });
});
