/**
 * The synthesis engine's entry point: votes in, everything a report is written from out. Pure and
 * deterministic: no I/O, no clock, every random choice seeded from options.seed.
 *
 * Steps: the sparse vote matrix (matrix.ts) -> opinion groups (opinion-groups.ts: PCA + k-means) ->
 * per-group support of every statement for declared and opinion groups (support.ts) -> group-aware
 * consensus, bridging and divisiveness (consensus.ts) -> representative statements (repness.ts) ->
 * themes (themes.ts) -> recommendation stability by bootstrap (bootstrap.ts) and opinion-group
 * stability (opinion-groups.ts) -> recommendations, disagreements, minority positions and bridge
 * mismatches (recommend.ts).
 */
import type {
  Clustering,
  DeclaredGroup,
  DeclaredGroupSummary,
  OpinionGroup,
  ParticipantPlacement,
  StatementResult,
  SynthesisInput,
  SynthesisResult,
} from "./types";
import { bootstrapSampleCount, recommendationStability } from "./bootstrap";
import { consensusFromCounts, groupAgreement } from "./consensus";
import { buildMatrix, voteCount } from "./matrix";
import { clusteringStability, findOpinionGroups } from "./opinion-groups";
import { deriveSeed } from "./random";
import type { GroupingStats } from "./recommend";
import { bridgeMismatches, disagreements, minorityPositions, recommendationMode, recommendations, type ReportInputs } from "./recommend";
import { representativeStatements } from "./repness";
import type { GroupCounts } from "./support";
import { columnsOf, countStatements, rowsOf, supportRecord, votersPerGroup } from "./support";
import { findThemes } from "./themes";
import {
  CLUSTERING_STABILITY_MIN_SAMPLES,
  CLUSTERING_STABILITY_SAMPLES,
  CLUSTERING_STABILITY_VOTE_BUDGET,
  K_RANGE,
  MIN_VOTERS_PER_GROUP,
} from "./thresholds";

export const ENGINE_VERSION = "1.0.0";

/** Seed streams derived from options.seed, one per use, so that changing one use leaves the others. */
const STREAM_BOOTSTRAP = 0xb0075;
const STREAM_CLUSTER_STABILITY = 0xc1057;

/** Resamples for the opinion-group stability: fewer on large data (each re-runs PCA and k-means). */
export function clusteringStabilitySamples(votes: number): number {
  if (votes <= 0) return 0;
  const byBudget = Math.floor(CLUSTERING_STABILITY_VOTE_BUDGET / votes);
  return Math.max(CLUSTERING_STABILITY_MIN_SAMPLES, Math.min(CLUSTERING_STABILITY_SAMPLES, byBudget));
}

/**
 * Declared groups: the listed ones in their order, then any group id a participant carries that is not
 * listed (named by its id), in order of first appearance. Returns each participant's group index.
 */
function declaredGroups(input: SynthesisInput): { groups: DeclaredGroup[]; groupOf: Int32Array } {
  const groups: DeclaredGroup[] = [];
  const index = new Map<string, number>();
  for (const g of input.groups) {
    if (index.has(g.id)) continue;
    index.set(g.id, groups.length);
    groups.push({ id: g.id, name: g.name });
  }
  const groupOf = new Int32Array(input.participants.length).fill(-1);
  input.participants.forEach((p, i) => {
    if (p.group === null || p.group === undefined) return;
    let g = index.get(p.group);
    if (g === undefined) {
      g = groups.length;
      index.set(p.group, g);
      groups.push({ id: p.group, name: p.group });
    }
    groupOf[i] = g;
  });
  return { groups, groupOf };
}

export function synthesize(input: SynthesisInput): SynthesisResult {
  const options = input.options ?? {};
  const minVoters = options.minVotersPerGroup ?? MIN_VOTERS_PER_GROUP;
  const seed = options.seed ?? 1;
  const kRange = options.kRange ?? K_RANGE;
  const progress = (fraction: number, stage: string): void => options.onProgress?.(Math.min(1, Math.max(0, fraction)), stage);

  // ---- matrix
  progress(0, "matrix");
  const participantIds = input.participants.map((p) => p.id);
  const statementIds = input.statements.map((s) => s.id);
  const m = buildMatrix(participantIds, statementIds, input.votes);
  const cols = columnsOf(m);
  const P = participantIds.length;
  const S = statementIds.length;
  const nnz = voteCount(m);

  // ---- opinion groups
  progress(0.05, "clustering");
  const moderatedOutStatements = options.polisModeratedOutStatements;
  const og = findOpinionGroups(m, { kRange, seed, moderatedOutStatements });
  const k = og.k;
  const opinionIds = Array.from({ length: k }, (_, g) => String(g));

  // ---- support, consensus, bridging, divisiveness
  progress(0.35, "statistics");
  const declared = declaredGroups(input);
  const D = declared.groups.length;
  const declaredIds = declared.groups.map((g) => g.id);
  const counted = countStatements(cols, [
    { groupOf: declared.groupOf, nGroups: D },
    { groupOf: og.assignment, nGroups: k },
  ]);
  const [declaredCounts, opinionCounts] = counted.groups;
  const total = counted.totals;
  const declaredVoters = votersPerGroup(m.votesPerParticipant, declared.groupOf, D);
  // Declared groups nobody voted in stay out of the product (they would scale every statement by 1/2).
  const declaredInclude = Uint8Array.from(declaredVoters, (v) => (v > 0 ? 1 : 0));
  // With no group of a kind (nobody placed on the map; a Polis import without a mapping) the product
  // would be empty (1 for every statement): everybody then counts as one group, (A+1)/(S+2) of all votes.
  const everybody: GroupCounts = { nStatements: S, nGroups: 1, counts: total };
  const declaredStats: GroupingStats = {
    ids: declaredIds,
    counts: declaredCounts,
    agreement: groupAgreement(declaredCounts, minVoters),
    consensus: declaredInclude.some((x) => x === 1) ? consensusFromCounts(declaredCounts, declaredInclude) : consensusFromCounts(everybody),
  };
  const opinionStats: GroupingStats = {
    ids: opinionIds,
    counts: opinionCounts,
    agreement: groupAgreement(opinionCounts, minVoters),
    consensus: k > 0 ? consensusFromCounts(opinionCounts) : consensusFromCounts(everybody),
  };
  const mode = recommendationMode(declaredVoters, minVoters);

  // ---- representative statements
  progress(0.4, "representativeness");
  const opinionRep = representativeStatements(opinionCounts, { statementIds, minVoters });
  const declaredRep = representativeStatements(declaredCounts, { statementIds, minVoters, include: declaredInclude });

  // ---- themes
  progress(0.45, "themes");
  const { themes, themeOf } = findThemes(input.statements);

  // ---- recommendation stability (bootstrap over participants)
  const B = bootstrapSampleCount(nnz, options.bootstrapSamples);
  progress(0.5, "bootstrap");
  const stability =
    B > 0
      ? recommendationStability({
          rows: rowsOf(m),
          mode,
          declared: D > 0 ? { groupOf: declared.groupOf, nGroups: D } : null,
          opinion: k > 0 ? { groupOf: og.assignment, nGroups: k } : null,
          minVoters,
          samples: B,
          seed: deriveSeed(seed, STREAM_BOOTSTRAP),
          onSample: (done) => progress(0.5 + (0.3 * done) / B, "bootstrap"),
        })
      : null;

  // ---- opinion-group stability
  progress(0.8, "clustering-stability");
  const clusterSamples = B > 0 ? clusteringStabilitySamples(nnz) : 0;
  const clusterStability = k >= 2 && clusterSamples > 0 ? clusteringStability(m, og, clusterSamples, deriveSeed(seed, STREAM_CLUSTER_STABILITY), { moderatedOutStatements }) : null;

  // ---- report
  progress(0.95, "report");
  const statements: StatementResult[] = input.statements.map((st, s) => ({
    id: st.id,
    questionId: st.questionId ?? null,
    text: st.text,
    theme: themeOf[s],
    total: { agree: total[s * 3], disagree: total[s * 3 + 1], pass: total[s * 3 + 2], n: total[s * 3] + total[s * 3 + 1] + total[s * 3 + 2] },
    supportByGroup: supportRecord(declaredCounts, s, declaredIds, minVoters),
    supportByOpinionGroup: supportRecord(opinionCounts, s, opinionIds, minVoters),
    groupAwareConsensus: opinionStats.consensus[s],
    declaredGroupConsensus: declaredStats.consensus[s],
    bridgesOpinionGroups: opinionStats.agreement.bridges[s] === 1,
    bridgesDeclaredGroups: declaredStats.agreement.bridges[s] === 1,
    divisivenessOpinion: opinionStats.agreement.divisiveness[s],
    divisivenessDeclared: declaredStats.agreement.divisiveness[s],
    recommendationStability: stability ? stability[s] : null,
  }));

  const participants: ParticipantPlacement[] = input.participants.map((p, i) => {
    const g = og.assignment[i];
    return {
      id: p.id,
      opinionGroup: g >= 0 ? g : null,
      x: g >= 0 ? og.x[i] : null,
      y: g >= 0 ? og.y[i] : null,
      group: declared.groupOf[i] >= 0 ? declaredIds[declared.groupOf[i]] : null,
    };
  });

  const sizes = new Int32Array(k);
  for (let i = 0; i < P; i++) if (og.assignment[i] >= 0) sizes[og.assignment[i]]++;
  const opinionGroups: OpinionGroup[] = opinionIds.map((_, g) => ({
    id: g,
    size: sizes[g],
    centroid: [og.centroids[g][0], og.centroids[g][1]],
    representative: opinionRep[g],
  }));

  const declaredGroupSummaries: DeclaredGroupSummary[] = declared.groups.map((g, gi) => ({
    id: g.id,
    name: g.name,
    voters: declaredVoters[gi],
    representative: declaredRep[gi],
  }));

  let tooSmall = false;
  for (let g = 0; g < k; g++) if (sizes[g] < minVoters) tooSmall = true;
  const clustering: Clustering = {
    k,
    silhouette: og.silhouette,
    silhouetteByK: { ...og.silhouetteByK },
    clusteredParticipants: og.clustered.length,
    varianceExplained: [og.varianceExplained[0], og.varianceExplained[1]],
    stability: clusterStability,
    tooSmallToTrust: tooSmall,
  };

  const report: ReportInputs = { statementIds, themeOf, mode, declared: declaredStats, opinion: opinionStats, stability, minVoters };
  const result: SynthesisResult = {
    meta: {
      participants: P,
      statements: S,
      votes: nnz,
      density: P > 0 && S > 0 ? nnz / (P * S) : 0,
      minVotersPerGroup: minVoters,
      seed,
      bootstrapSamples: B,
      engineVersion: ENGINE_VERSION,
    },
    statements,
    participants,
    opinionGroups,
    declaredGroups: declaredGroupSummaries,
    clustering,
    themes,
    recommendations: recommendations(report),
    disagreements: disagreements(report),
    minorityPositions: minorityPositions(report),
    bridgeMismatches: bridgeMismatches(report),
  };
  progress(1, "done");
  return result;
}
