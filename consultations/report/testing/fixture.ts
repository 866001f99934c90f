/**
 * A handmade SynthesisResult for report tests, built from an explicit vote table so every figure in it
 * is consistent (totals are the sums of the groups). Five declared groups, one of them (Police, 3 people)
 * below the minimum group size of 5; three opinion groups, one of them (3 people) too small to trust.
 */
import type { GroupSupport, StatementResult, SynthesisResult } from "../../synthesis/types";

export const FIXTURE_GROUPS = [
  { id: "peers", name: "Peers who use drugs" },
  { id: "sex", name: "Sex workers" },
  { id: "outreach", name: "Outreach workers" },
  { id: "police", name: "Police" },
  { id: "policy", name: "Policymakers" },
];

interface Person {
  id: string;
  group: string;
  opinionGroup: number | null;
  x: number | null;
  y: number | null;
}

const OPINION: Record<string, Array<number | null>> = {
  peers: [0, 0, 0, 0, 0, 1, 1, 0],
  sex: [0, 0, 0, 0, 1, 0],
  outreach: [0, 0, 1, 1, 0],
  police: [1, 1, 2],
  policy: [1, 1, 1, 2, 2, null],
};

export const FIXTURE_PEOPLE: Person[] = Object.entries(OPINION).flatMap(([group, ogs]) =>
  ogs.map((og, i) => ({
    id: `${group}-person-${i + 1}`,
    group,
    opinionGroup: og,
    x: og === null ? null : (og === 0 ? -1 : og === 1 ? 1 : 0.2) + i * 0.05,
    y: og === null ? null : (og === 2 ? 1 : -0.3) + i * 0.04,
  })),
);

/** Votes per statement per group, one letter per member in order: A agree, D disagree, P pass, . none. */
const VOTES: Record<string, Record<string, string>> = {
  "pos-1": { peers: "AAAAAAAD", sex: "AAAAAP", outreach: "AAAAA", police: "AAP", policy: "AAAADP" },
  "pos-2": { peers: "AAAAAAAA", sex: "AAAAAA", outreach: "AAAAD", police: "DDD", policy: "ADDDDP" },
  "pos-3": { peers: "DDPDDDPD", sex: "AAAAAA", outreach: "DDDPD", police: "DDD", policy: "DDDDDP" },
  "pos-4": { peers: "AAAAAAPA", sex: "AAAAAA", outreach: "AAAAA", police: "AAA", policy: "AAAAAA" },
  "pos-5": { peers: "AAAAADAA", sex: "AAAPAA", outreach: "AAAA.", police: "A..", policy: "AAAA.." },
  "pos-6": { peers: "A.......", sex: "......", outreach: "D....", police: "...", policy: "P....." },
};

export const FIXTURE_TEXTS: Record<string, string> = {
  "pos-1": "Fund peer-led outreach in every district",
  "pos-2": "Decriminalise possession of drugs for personal use",
  "pos-3": "Sex workers should be consulted before any police operation that affects them",
  "pos-4": "police should stop confiscating needles",
  "pos-5": "naloxone in all police cars!!",
  "pos-6": "A statement hardly anyone voted on",
};

function support(agree: number, disagree: number, pass: number, min = 5): GroupSupport {
  const n = agree + disagree + pass;
  return { agree, disagree, pass, n, agreeRate: (agree + 1) / (n + 2), disagreeRate: (disagree + 1) / (n + 2), enough: n >= min };
}

function count(votes: Array<string>): GroupSupport {
  return support(votes.filter((v) => v === "A").length, votes.filter((v) => v === "D").length, votes.filter((v) => v === "P").length);
}

function statement(id: string, extra: Partial<StatementResult>): StatementResult {
  const byGroup: Record<string, string[]> = {};
  const byOpinion: Record<string, string[]> = {};
  const all: string[] = [];
  for (const [group, letters] of Object.entries(VOTES[id])) {
    const people = FIXTURE_PEOPLE.filter((p) => p.group === group);
    letters.split("").forEach((v, i) => {
      if (v === ".") return;
      (byGroup[group] ??= []).push(v);
      all.push(v);
      const og = people[i].opinionGroup;
      if (og !== null) (byOpinion[String(og)] ??= []).push(v);
    });
  }
  const total = count(all);
  return {
    id,
    questionId: null,
    text: FIXTURE_TEXTS[id],
    theme: null,
    total: { agree: total.agree, disagree: total.disagree, pass: total.pass, n: total.n },
    supportByGroup: Object.fromEntries(FIXTURE_GROUPS.map((g) => [g.id, count(byGroup[g.id] ?? [])])),
    supportByOpinionGroup: Object.fromEntries(["0", "1", "2"].map((k) => [k, count(byOpinion[k] ?? [])])),
    groupAwareConsensus: 0.5,
    declaredGroupConsensus: 0.5,
    bridgesOpinionGroups: false,
    bridgesDeclaredGroups: false,
    divisivenessOpinion: 0.1,
    divisivenessDeclared: 0.1,
    recommendationStability: null,
    ...extra,
  };
}

/** A fresh copy each call (tests may change it). */
export function fixtureResult(): SynthesisResult {
  const statements = [
    statement("pos-1", { theme: "t-services", groupAwareConsensus: 0.41, declaredGroupConsensus: 0.38, bridgesDeclaredGroups: true, bridgesOpinionGroups: true, recommendationStability: 0.93 }),
    statement("pos-2", { theme: "t-policing", groupAwareConsensus: 0.08, declaredGroupConsensus: 0.02, divisivenessDeclared: 0.78, divisivenessOpinion: 0.6 }),
    statement("pos-3", { theme: "t-policing", groupAwareConsensus: 0.05, declaredGroupConsensus: 0.01, divisivenessDeclared: 0.7 }),
    statement("pos-4", { theme: "t-policing", groupAwareConsensus: 0.6, declaredGroupConsensus: 0.55, bridgesDeclaredGroups: true, bridgesOpinionGroups: false, recommendationStability: 0.62 }),
    statement("pos-5", { theme: "t-policing", groupAwareConsensus: 0.35, declaredGroupConsensus: 0.4, bridgesDeclaredGroups: true, bridgesOpinionGroups: true, recommendationStability: 0.31 }),
    statement("pos-6", { theme: null }),
  ];
  const votes = statements.reduce((s, st) => s + st.total.n, 0);
  const size = (og: number) => FIXTURE_PEOPLE.filter((p) => p.opinionGroup === og).length;
  return {
    meta: {
      participants: FIXTURE_PEOPLE.length,
      statements: statements.length,
      votes,
      density: votes / (FIXTURE_PEOPLE.length * statements.length),
      minVotersPerGroup: 5,
      seed: 7,
      bootstrapSamples: 100,
      engineVersion: "fixture-1",
    },
    statements,
    participants: FIXTURE_PEOPLE.map((p) => ({ id: p.id, opinionGroup: p.opinionGroup, x: p.x, y: p.y, group: p.group })),
    opinionGroups: [
      { id: 0, size: size(0), centroid: [-0.9, -0.2], representative: [{ statementId: "pos-2", direction: "agree", pa: 0.9, ra: 2.1, z: 3.1, zp: 3.5, significant: true }] },
      { id: 1, size: size(1), centroid: [1.1, -0.2], representative: [{ statementId: "pos-2", direction: "disagree", pa: 0.7, ra: 3.5, z: 2.9, zp: 1.8, significant: true }] },
      { id: 2, size: size(2), centroid: [0.3, 1.0], representative: [{ statementId: "pos-3", direction: "disagree", pa: 0.8, ra: 1.4, z: 1.5, zp: 1.6, significant: true }] },
    ],
    declaredGroups: [
      { id: "peers", name: "Peers who use drugs", voters: 8, representative: [{ statementId: "pos-2", direction: "agree", pa: 0.9, ra: 1.8, z: 2.5, zp: 3.0, significant: true }] },
      { id: "sex", name: "Sex workers", voters: 6, representative: [{ statementId: "pos-3", direction: "agree", pa: 0.875, ra: 5.2, z: 4.1, zp: 2.6, significant: true }] },
      { id: "outreach", name: "Outreach workers", voters: 5, representative: [{ statementId: "pos-3", direction: "disagree", pa: 0.7, ra: 1.1, z: 0.4, zp: 1.0, significant: false }] },
      { id: "police", name: "Police", voters: 3, representative: [{ statementId: "pos-2", direction: "disagree", pa: 0.8, ra: 4, z: 2.2, zp: 1.5, significant: true }] },
      { id: "policy", name: "Policymakers", voters: 6, representative: [{ statementId: "pos-2", direction: "disagree", pa: 0.625, ra: 2.5, z: 1.9, zp: 1.3, significant: true }] },
    ],
    clustering: {
      k: 3,
      silhouette: 0.31,
      silhouetteByK: { "2": 0.28, "3": 0.31, "4": 0.22, "5": 0.18 },
      clusteredParticipants: FIXTURE_PEOPLE.filter((p) => p.opinionGroup !== null).length,
      varianceExplained: [0.41, 0.18],
      stability: 0.55,
      tooSmallToTrust: true,
    },
    themes: [
      { id: "t-services", label: "Services", source: "tags", statementIds: ["pos-1"] },
      { id: "t-policing", label: "Policing", source: "tags", statementIds: ["pos-2", "pos-3", "pos-4", "pos-5"] },
    ],
    recommendations: [
      { statementId: "pos-4", theme: "t-policing", basis: "declared", declaredGroupConsensus: 0.55, groupAwareConsensus: 0.6, stability: 0.62 },
      { statementId: "pos-1", theme: "t-services", basis: "both", declaredGroupConsensus: 0.38, groupAwareConsensus: 0.41, stability: 0.93 },
      { statementId: "pos-5", theme: "t-policing", basis: "both", declaredGroupConsensus: 0.4, groupAwareConsensus: 0.35, stability: 0.31 },
    ],
    disagreements: [
      { statementId: "pos-2", theme: "t-policing", divisiveness: 0.78, mostFor: { kind: "declared", id: "peers", agreeRate: 0.9 }, mostAgainst: { kind: "declared", id: "police", agreeRate: 0.2 } },
      { statementId: "pos-2", theme: "t-policing", divisiveness: 0.6, mostFor: { kind: "declared", id: "sex", agreeRate: 0.875 }, mostAgainst: { kind: "declared", id: "policy", agreeRate: 0.25 } },
    ],
    minorityPositions: [{ statementId: "pos-3", groupId: "sex", agreeRate: 0.875, othersAgreeRate: 0.04 }],
    bridgeMismatches: [{ statementId: "pos-4", bridges: "declared" }],
  };
}

/** A Polis-style result (numeric ids, no declared groups). */
export function polisStyleResult(): SynthesisResult {
  const r = fixtureResult();
  const rename = (id: string) => String(Number(id.replace("pos-", "")) * 3);
  r.statements = r.statements.map((s) => ({ ...s, id: rename(s.id), supportByGroup: {}, declaredGroupConsensus: 1, bridgesDeclaredGroups: false }));
  r.recommendations = r.recommendations.map((x) => ({ ...x, statementId: rename(x.statementId), basis: "opinion" }));
  r.disagreements = [];
  r.minorityPositions = [];
  r.declaredGroups = [];
  r.participants = r.participants.map((p, i) => ({ ...p, id: String(i), group: null }));
  r.themes = r.themes.map((t) => ({ ...t, statementIds: t.statementIds.map(rename) }));
  r.opinionGroups = r.opinionGroups.map((o) => ({ ...o, representative: o.representative.map((x) => ({ ...x, statementId: rename(x.statementId) })) }));
  r.bridgeMismatches = [];
  return r;
}
