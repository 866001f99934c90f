/**
 * The synthesis engine's public API. Pure TypeScript: no I/O, deterministic.
 *
 *   synthesize(input) -> SynthesisResult                  everything a report is written from
 *   groupAwareConsensusFromMap(cols, ids, map)            Polis's group-informed consensus for any given
 *                                                         participant -> group map
 *   plantedConsultation(options)                          a synthetic consultation with known structure
 */
export type * from "./types";
export * as thresholds from "./thresholds";

export { synthesize, ENGINE_VERSION } from "./synthesize";

// Matrix and opinion groups (the clustering half).
export { buildMatrix, type VoteMatrix, type MatrixVote } from "./matrix";
export { findOpinionGroups, clusteringStability, type OpinionGroups, type OpinionGroupOptions } from "./opinion-groups";
export { adjustedRandIndex } from "./ari";

// Support, consensus, representativeness, themes, bootstrap, recommendations (the statistics half).
export {
  columnsOf,
  rowsOf,
  columnsFromTriples,
  countByGroup,
  countStatements,
  groupSupport,
  supportRecord,
  smoothed,
  votersPerGroup,
  type GroupCounts,
  type VoteColumns,
  type VoteRows,
} from "./support";
export {
  consensusFromCounts,
  groupAwareConsensus,
  groupAwareConsensusFromMap,
  groupAgreement,
  majorityAgrees,
  type GroupAgreement,
} from "./consensus";
export { representativeStatements, repnessCell, propTest, twoPropTest } from "./repness";
export { findThemes, fold, stem, guessLanguage, keywordTerms, OTHER_THEME_ID, type ThemeAssignment } from "./themes";
export { recommendationStability, bootstrapSampleCount } from "./bootstrap";
export {
  recommendationMode,
  isRecommendation,
  recommendations,
  disagreements,
  minorityPositions,
  bridgeMismatches,
  type RecommendationMode,
  type GroupingStats,
  type ReportInputs,
} from "./recommend";
export { plantedConsultation, largePlantedConsultation, PLANTED_GROUPS, type PlantedKind, type PlantedOptions } from "./planted";
