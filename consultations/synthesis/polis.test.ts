/**
 * The opinion groups against Polis's own, on real Polis exports read in place from ../shared/data/polis
 * (CC BY 4.0, The Computational Democracy Project; see that folder's README.md).
 */
import fs from "node:fs";
import path from "node:path";
import { POLIS_DATA_DIR, parseCsv, readComments, readParticipantsVotes, readVotes } from "../../tests/polis/read-polis";
import { adjustedRandIndex } from "./ari";
import { buildMatrix, type VoteMatrix } from "./matrix";
import { bootstrapSampleCount, clusteringStability, findOpinionGroups, type OpinionGroups } from "./opinion-groups";


interface Loaded {
  /** Statements moderated in, as the engine receives them (hidden ones left out by the caller). */
  m: VoteMatrix;
  /** Moderated-out statements that received votes: Polis keeps them as columns of zeros. */
  moderatedOut: number;
  polisGroup: (number | null)[];
}

function load(name: string, source: "votes" | "participants-votes" = "votes"): Loaded {
  const dir = path.join(POLIS_DATA_DIR, name);
  const pv = readParticipantsVotes(dir);
  const out = new Set(readComments(dir).filter((c) => c.moderated === -1).map((c) => c.commentId));
  const participantIds = pv.participants.map((p) => p.participantId);
  const statementIds = pv.commentIds.filter((c) => !out.has(c));
  const votes =
    source === "votes"
      ? readVotes(dir).map((v) => ({ participantId: v.voterId, statementId: v.commentId, value: v.vote }))
      : pv.participants.flatMap((p) => [...p.votes].map(([statementId, value]) => ({ participantId: p.participantId, statementId, value })));
  return {
    m: buildMatrix(participantIds, statementIds, votes),
    moderatedOut: pv.commentIds.filter((c) => out.has(c)).length,
    polisGroup: pv.participants.map((p) => p.groupId),
  };
}

/** ARI over participants placed by both, and the sizes of both groupings. */
function compare(g: OpinionGroups, polisGroup: (number | null)[]) {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < polisGroup.length; i++) {
    if (g.assignment[i] >= 0 && polisGroup[i] !== null) {
      ours.push(g.assignment[i]);
      theirs.push(polisGroup[i]!);
    }
  }
  const sizes = (labels: number[]) => {
    const counts: number[] = [];
    for (const l of labels) counts[l] = (counts[l] ?? 0) + 1;
    return Array.from(counts, (c) => c ?? 0);
  };
  return { ari: adjustedRandIndex(ours, theirs), both: ours.length, ourSizes: sizes(ours), polisSizes: sizes(theirs) };
}

describe("read-polis", () => {
  // RFC 4180: quoted commas, doubled quotes, line breaks inside quotes, CRLF, a final line without newline
  it("parses quoted CSV", () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n"two\nlines",,x\n1,2,3')).toEqual([
      ["a", "b,c", 'say "hi"'],
      ["two\nlines", "", "x"],
      ["1", "2", "3"],
    ]);
  });

  // votes.csv (latest vote per pair wins) and participants-votes.csv hold the same matrix
  it("reads the same votes from votes.csv and participants-votes.csv", () => {
    for (const name of ["scoop-hivemind.biodiversity", "london.youth.policing", "bg2050-volunteers"]) {
      const a = load(name, "votes").m;
      const b = load(name, "participants-votes").m;
      expect(Array.from(a.rowPtr)).toEqual(Array.from(b.rowPtr));
      expect(Array.from(a.colIdx)).toEqual(Array.from(b.colIdx));
      expect(Array.from(a.values)).toEqual(Array.from(b.values));
    }
  });
});

describe("opinion groups against Polis's group-id", () => {
  // scoop-hivemind.biodiversity: 536 participants, 314 statements with votes (154 moderated in), 18% dense
  it("agrees with Polis on scoop-hivemind.biodiversity (ARI >= 0.7)", () => {
    const { m, moderatedOut, polisGroup } = load("scoop-hivemind.biodiversity");
    const t = performance.now();
    const engine = findOpinionGroups(m); // what the engine does: hidden statements are simply absent
    const ms = performance.now() - t;
    const polisLike = findOpinionGroups(m, { moderatedOutStatements: moderatedOut }); // Polis's scaling
    const a = compare(engine, polisGroup);
    const b = compare(polisLike, polisGroup);
    const fromPv = compare(findOpinionGroups(load("scoop-hivemind.biodiversity", "participants-votes").m), polisGroup);
    console.log(
      `scoop-hivemind.biodiversity: ${m.participantIds.length} participants, ${m.statementIds.length} statements moderated in ` +
        `(+${moderatedOut} moderated out), ${m.values.length} votes; placed ${engine.clustered.length} (Polis ${polisGroup.filter((g) => g !== null).length}), compared ${a.both}\n` +
        `  engine (moderated-out statements absent): ARI ${a.ari.toFixed(3)}, k ${engine.k}, silhouette ${engine.silhouette.toFixed(3)}, ` +
        `sizes ${a.ourSizes.join("/")} vs Polis ${a.polisSizes.join("/")}, silhouette by k ${JSON.stringify(round(engine.silhouetteByK))}, ${ms.toFixed(0)} ms\n` +
        `  same from participants-votes.csv: ARI ${fromPv.ari.toFixed(3)}\n` +
        `  Polis scaling (moderatedOutStatements: ${moderatedOut}): ARI ${b.ari.toFixed(3)}, k ${polisLike.k}, silhouette ${polisLike.silhouette.toFixed(3)}, ` +
        `sizes ${b.ourSizes.join("/")} vs Polis ${b.polisSizes.join("/")}`,
    );
    expect(engine.k).toBe(2);
    expect(a.ari).toBeGreaterThanOrEqual(0.7);
    expect(fromPv.ari).toBe(a.ari);
    expect(b.ari).toBeGreaterThanOrEqual(0.7);
    // run twice: identical
    const again = findOpinionGroups(m);
    expect(Array.from(again.assignment)).toEqual(Array.from(engine.assignment));
    expect(Array.from(again.x)).toEqual(Array.from(engine.x));
    expect(again.silhouetteByK).toEqual(engine.silhouetteByK);
  });

  // bootstrap stability on real data, printed
  it("reports the bootstrap stability of scoop-hivemind.biodiversity", () => {
    const { m } = load("scoop-hivemind.biodiversity");
    const g = findOpinionGroups(m);
    const t = performance.now();
    const stability = clusteringStability(m, g, 100, 1);
    const ms = performance.now() - t;
    console.log(`scoop-hivemind.biodiversity: clustering stability (mean ARI of ${bootstrapSampleCount(m, g, 100)} resamples) ${stability.toFixed(3)}, ${ms.toFixed(0)} ms`);
    expect(stability).toBe(clusteringStability(m, g, 100, 1));
    expect(stability).toBeGreaterThan(0.5);
  });

  // london.youth.policing: 26 people, Polis's groups 18/3/3 — too small to trust; figures only
  it("reports london.youth.policing (no threshold)", () => {
    const { m, polisGroup } = load("london.youth.policing");
    const g = findOpinionGroups(m);
    const c = compare(g, polisGroup);
    console.log(
      `london.youth.policing: placed ${g.clustered.length}, ARI ${c.ari.toFixed(3)}, k ${g.k}, silhouette ${g.silhouette.toFixed(3)}, ` +
        `sizes ${c.ourSizes.join("/")} vs Polis ${c.polisSizes.join("/")}, silhouette by k ${JSON.stringify(round(g.silhouetteByK))}, ` +
        `stability ${clusteringStability(m, g, 100, 1).toFixed(3)}`,
    );
    expect(g.clustered.length).toBe(24);
  });

  // bg2050-volunteers: 126 people, Polis's groups 100/8; figures only
  it("reports bg2050-volunteers (no threshold)", () => {
    const { m, moderatedOut, polisGroup } = load("bg2050-volunteers");
    const g = findOpinionGroups(m);
    const c = compare(g, polisGroup);
    const p = compare(findOpinionGroups(m, { moderatedOutStatements: moderatedOut }), polisGroup);
    console.log(
      `bg2050-volunteers: placed ${g.clustered.length}, ARI ${c.ari.toFixed(3)}, k ${g.k}, silhouette ${g.silhouette.toFixed(3)}, ` +
        `sizes ${c.ourSizes.join("/")} vs Polis ${c.polisSizes.join("/")}; with Polis scaling ARI ${p.ari.toFixed(3)} sizes ${p.ourSizes.join("/")}`,
    );
    expect(g.k).toBeGreaterThanOrEqual(1);
  });
});

function round(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
}
