/**
 * The synthesis engine's input and output. Pure data: no I/O, no Prisma, no Remix.
 *
 * Input: statements (positions), participants with their declared stakeholder group, and each
 * participant's latest vote per statement (+1 agree, -1 disagree, 0 pass). Hidden and withdrawn
 * positions and suspended participants are left out by the caller.
 *
 * Output: support by declared group, opinion groups from the votes (Polis-compatible PCA + k-means),
 * consensus across both kinds of group, representative and divisive statements, bootstrap stability,
 * themes, and the recommendations a report is written from. Deterministic: same input, same output.
 */

export type VoteValue = -1 | 0 | 1;

export interface SynthesisStatement {
  id: string;
  text: string;
  /** The question it answers, when there are several. */
  questionId?: string | null;
  /** Facilitator tags; when any statement has tags, themes come from tags. */
  tags?: string[];
  /** BCP 47 language code when known ("en", "pt", "el", "pl", "lt", ...). */
  language?: string | null;
}

export interface SynthesisParticipant {
  id: string;
  /** Declared stakeholder group id, or null when unknown (e.g. a Polis import without a mapping). */
  group: string | null;
}

export interface DeclaredGroup {
  id: string;
  name: string;
}

export interface SynthesisVote {
  participantId: string;
  statementId: string;
  value: VoteValue;
}

export interface SynthesisOptions {
  /** Fewer voters than this in a group: the group "has not enough votes" on a statement. Default 5. */
  minVotersPerGroup?: number;
  /** Seed for every random choice (k-means restarts, bootstrap). Default 1. */
  seed?: number;
  /** Bootstrap resamples over participants. Default 100 (fewer when the data are large). */
  bootstrapSamples?: number;
  /** Candidate numbers of opinion groups. Default [2, 5]. */
  kRange?: [number, number];
  /**
   * Polis compatibility: the number of moderated-out statements that received votes. Polis keeps their
   * columns (as passes) in the sqrt(C / votes) scaling of the map; pass it to reproduce Polis's opinion
   * groups of a moderated Polis conversation. Our own consultations leave it unset.
   */
  polisModeratedOutStatements?: number;
  /** Progress callback: fraction 0..1 and a short label ("pca", "clustering", "bootstrap", ...). */
  onProgress?: (fraction: number, stage: string) => void;
}

export interface SynthesisInput {
  statements: SynthesisStatement[];
  participants: SynthesisParticipant[];
  groups: DeclaredGroup[];
  votes: SynthesisVote[];
  options?: SynthesisOptions;
}

/** Votes of one group on one statement, with smoothed rates (a+1)/(n+2). */
export interface GroupSupport {
  agree: number;
  disagree: number;
  pass: number;
  /** All votes, passes included. */
  n: number;
  /** (agree + 1) / (n + 2) */
  agreeRate: number;
  /** (disagree + 1) / (n + 2) */
  disagreeRate: number;
  /** n >= minVotersPerGroup; otherwise the group reads "not enough votes". */
  enough: boolean;
}

export interface StatementResult {
  id: string;
  questionId: string | null;
  text: string;
  theme: string | null;
  total: { agree: number; disagree: number; pass: number; n: number };
  /** Keyed by declared group id. */
  supportByGroup: Record<string, GroupSupport>;
  /** Keyed by opinion group id (as a string: "0", "1", ...). */
  supportByOpinionGroup: Record<string, GroupSupport>;
  /** Product over groups of (A_g + 1) / (S_g + 2): opinion groups (Polis's number) and declared groups. */
  groupAwareConsensus: number;
  declaredGroupConsensus: number;
  /** A majority of every group with enough voters agrees (and at least two groups have enough voters). */
  bridgesOpinionGroups: boolean;
  bridgesDeclaredGroups: boolean;
  /** Largest difference in agree rate between two groups with enough voters (0..1). */
  divisivenessOpinion: number;
  divisivenessDeclared: number;
  /** Bootstrap: how often it stayed a recommendation (0..1); null when not computed. */
  recommendationStability: number | null;
}

export interface RepresentativeStatement {
  statementId: string;
  /** "agree" or "disagree": the direction in which the group stands apart. */
  direction: "agree" | "disagree";
  /** Probability the group votes this way, (n_agree + 1) / (n + 2). */
  pa: number;
  /** Ratio to the rest of the participants: pa / p_rest. */
  ra: number;
  /** Two-proportion z-test, group vs rest. */
  z: number;
  /** z of the one-proportion test that pa > 0.5. */
  zp: number;
  significant: boolean;
}

export interface OpinionGroup {
  id: number;
  size: number;
  centroid: [number, number];
  representative: RepresentativeStatement[];
}

export interface DeclaredGroupSummary {
  id: string;
  name: string;
  /** Participants of the group who voted at all. */
  voters: number;
  representative: RepresentativeStatement[];
}

export interface ParticipantPlacement {
  id: string;
  /** Null when the participant voted on too few statements to be placed (min(7, C)). */
  opinionGroup: number | null;
  x: number | null;
  y: number | null;
  group: string | null;
}

export interface Clustering {
  k: number;
  silhouette: number;
  /** Silhouette of every k tried. */
  silhouetteByK: Record<string, number>;
  clusteredParticipants: number;
  /** Share of the variance the two components explain. */
  varianceExplained: [number, number];
  /** Bootstrap: mean adjusted Rand index of resampled clusterings with the full one (0..1). */
  stability: number | null;
  /** True when some opinion group has fewer than minVotersPerGroup members: too small to trust. */
  tooSmallToTrust: boolean;
}

export interface Theme {
  id: string;
  label: string;
  /** "tags" when from facilitator tags, "keywords" when found in the text. */
  source: "tags" | "keywords";
  statementIds: string[];
}

export interface Recommendation {
  statementId: string;
  theme: string | null;
  /** Why it is a recommendation: bridges both kinds of group, or declared groups only, ... */
  basis: "both" | "declared" | "opinion";
  declaredGroupConsensus: number;
  groupAwareConsensus: number;
  stability: number | null;
}

export interface Disagreement {
  statementId: string;
  theme: string | null;
  divisiveness: number;
  /** The groups most for and most against. */
  mostFor: { kind: "declared" | "opinion"; id: string; agreeRate: number };
  mostAgainst: { kind: "declared" | "opinion"; id: string; agreeRate: number };
}

export interface MinorityPosition {
  statementId: string;
  /** The declared group that holds it strongly (agree rate >= 0.7) while the others do not. */
  groupId: string;
  agreeRate: number;
  othersAgreeRate: number;
}

export interface SynthesisResult {
  meta: {
    participants: number;
    statements: number;
    votes: number;
    /** Share of the participant x statement cells that hold a vote. */
    density: number;
    minVotersPerGroup: number;
    seed: number;
    bootstrapSamples: number;
    engineVersion: string;
  };
  statements: StatementResult[];
  participants: ParticipantPlacement[];
  opinionGroups: OpinionGroup[];
  declaredGroups: DeclaredGroupSummary[];
  clustering: Clustering;
  themes: Theme[];
  recommendations: Recommendation[];
  disagreements: Disagreement[];
  minorityPositions: MinorityPosition[];
  /** Statements that bridge one kind of group but split the other. */
  bridgeMismatches: Array<{ statementId: string; bridges: "declared" | "opinion" }>;
}
