/**
 * The report a policymaker reads, as structured data: what composeReport builds from a SynthesisResult
 * and what the Markdown, HTML, JSON and CSV renderings are made from.
 *
 * Two rules hold everywhere in it:
 * - No people: no participant ids, no pseudonyms. The map carries anonymous points only.
 * - No small numbers: every figure about fewer people than `minGroupSize` is replaced by
 *   { suppressed: true, minimum } ("fewer than 5"), with complementary suppression where a hidden
 *   figure could be worked out from a total and the figures shown beside it.
 */

/**
 * A hidden figure: "fewer" when it is about fewer than `minimum` people, "complement" when it is large
 * enough but hidden so that a smaller hidden figure cannot be worked out from the total.
 */
export interface Hidden {
  suppressed: true;
  minimum: number;
  reason: "fewer" | "complement";
}

/** A figure about people, or hidden. */
export type Shown<T> = ({ suppressed: false } & T) | Hidden;

export type ShownCount = Shown<{ count: number }>;

/** Votes of a group (or everyone) on one statement. Shares are plain shares of the votes (passes included). */
export interface SupportFigure {
  agree: number;
  disagree: number;
  pass: number;
  /** All votes, passes included. */
  n: number;
  agreeShare: number;
  disagreeShare: number;
  passShare: number;
  /** The engine's smoothed rate (agree + 1) / (n + 2), which its decisions use. */
  agreeRate: number;
}

export type ShownSupport = Shown<SupportFigure>;

export interface GroupLine {
  kind: "declared" | "opinion";
  id: string;
  name: string;
  support: ShownSupport;
}

export type StabilityLevel = "stable" | "fairly-stable" | "fragile" | "not-tested";

export interface StabilityInWords {
  /** Share of bootstrap resamples in which it stayed a recommendation (0..1), or null. */
  value: number | null;
  level: StabilityLevel;
  /** Plain words: "Stable: it stayed a recommendation in 93 of 100 re-runs on resampled participants." */
  text: string;
}

export interface ReportStatement {
  id: string;
  /** How the report cites it: "P12". */
  label: string;
  text: string;
  /** The facilitator's wording when edited, else the text. */
  wording: string;
  edited: boolean;
  /** The language the participant wrote `text` in ("pt"), when known. Never translated. */
  language: string | null;
  /** An outreach worker entered this position for its author, with their consent (who did is never here). */
  enteredByOutreach: boolean;
  theme: { id: string; label: string } | null;
  total: ShownSupport;
  groupAwareConsensus: number;
  declaredGroupConsensus: number;
  bridgesOpinionGroups: boolean;
  bridgesDeclaredGroups: boolean;
  divisivenessOpinion: number;
  divisivenessDeclared: number;
  recommendationStability: number | null;
  isRecommendation: boolean;
  /** Keyed by declared group id. */
  supportByGroup: Record<string, ShownSupport>;
  /** Keyed by opinion group id ("0", "1", ...). */
  supportByOpinionGroup: Record<string, ShownSupport>;
}

export interface ReportRecommendation {
  statementId: string;
  label: string;
  wording: string;
  edited: boolean;
  /** The statement as participants wrote it, quoted when the facilitator reworded it. */
  quotes: string[];
  theme: { id: string; label: string } | null;
  basis: "both" | "declared" | "opinion";
  /** Plain words for the basis. */
  basisText: string;
  overall: ShownSupport;
  /** Declared groups (or, without declared groups, opinion groups), in order. */
  groups: GroupLine[];
  groupAwareConsensus: number;
  declaredGroupConsensus: number;
  stability: StabilityInWords;
}

export interface ReportTheme {
  id: string;
  label: string;
  recommendationIds: string[];
}

export interface ReportDisagreement {
  statementId: string;
  label: string;
  wording: string;
  theme: { id: string; label: string } | null;
  divisiveness: number;
  mostFor: GroupLine;
  mostAgainst: GroupLine;
}

export interface ReportEmphasisItem {
  statementId: string;
  label: string;
  text: string;
  direction: "agree" | "disagree";
  /** Share of the group's votes in that direction. */
  groupShare: number;
  /** Same share among everyone else, or null when too few others voted to show it. */
  othersShare: number | null;
}

export interface ReportEmphasis {
  kind: "declared" | "opinion";
  id: string;
  name: string;
  size: ShownCount;
  /** False when the group is too small to describe (then `items` is empty and `note` says why). */
  described: boolean;
  note: string | null;
  items: ReportEmphasisItem[];
}

export interface ReportMinorityPosition {
  statementId: string;
  label: string;
  wording: string;
  groupId: string;
  groupName: string;
  agreeShare: number;
  othersAgreeShare: number;
}

export interface ReportParticipationRow {
  id: string;
  name: string;
  /** People of the group in the synthesis. */
  participants: ShownCount;
  /** People of the group who voted at all (null when not known, as for people without a group). */
  voters: ShownCount | null;
  /** People of the group placed on the opinion map (enough votes). */
  placed: ShownCount;
}

export interface MapPoint {
  x: number;
  y: number;
  opinionGroup: number | null;
  /**
   * Declared group id, null for people without one, or OTHER_GROUPS_KEY ("__other") for people of
   * declared groups too small to show on their own, pooled when the pool is large enough.
   */
  declaredGroup: string | null;
}

export interface ReportMap {
  /** Anonymous points, sorted by position (their order says nothing about who is who). */
  points: MapPoint[];
  /** Legend entries: groups with at least one point drawn. */
  opinionGroups: Array<{ id: number; name: string }>;
  declaredGroups: Array<{ id: string | null; name: string }>;
  /** Set when some people are not drawn (small declared groups), saying so without a number. */
  omittedNote: string | null;
  varianceExplained: [number, number];
}

/**
 * Opinion groups are clusters of votes, not identities. A group smaller than the minimum is marked too
 * small to trust and not described, and its size is not shown (nor a size from which it could be worked
 * out), like every other count of people.
 */
export interface ReportOpinionGroup {
  id: number;
  name: string;
  size: ShownCount;
  tooSmall: boolean;
  centroid: [number, number];
}

export interface Report {
  format: "polyphony-report/1";
  /** The language of the report's fixed texts (headings, method, figures in words): "en", "pl", ... */
  language: string;
  title: string;
  /** Facilitator's Markdown. */
  description: string | null;
  /** The day (YYYY-MM-DD, UTC), never a time. */
  generatedAt: string;
  minGroupSize: number;
  engine: { version: string; seed: number; bootstrapSamples: number };
  declaredGroups: Array<{ id: string; name: string }>;
  summary: {
    participants: ShownCount;
    /** Hidden when fewer than the minimum took part. */
    votes: ShownCount;
    statements: number;
    /** Share of possible votes cast; null when fewer than the minimum took part. */
    density: number | null;
    /** Plain sentences, in order. */
    whoTookPart: string;
    supportedByAll: Array<{ statementId: string; label: string; wording: string }>;
    divides: Array<{ statementId: string; label: string; wording: string; between: string }>;
  };
  method: {
    paragraphs: string[];
    /** Plain warnings: groups too small to trust, unstable groups, sparse data. */
    warnings: string[];
    clustering: {
      k: number;
      silhouette: number;
      stability: number | null;
      tooSmallToTrust: boolean;
      unstable: boolean;
      clusteredParticipants: ShownCount;
      varianceExplained: [number, number];
    };
  };
  participation: {
    rows: ReportParticipationRow[];
    /** People without a declared group (a Polis import without a mapping), when there are any. */
    noGroup: ReportParticipationRow | null;
    total: ShownCount;
    note: string | null;
  };
  themes: ReportTheme[];
  recommendations: ReportRecommendation[];
  disagreements: ReportDisagreement[];
  emphases: { declared: ReportEmphasis[]; opinion: ReportEmphasis[] };
  minorityPositions: ReportMinorityPosition[];
  opinionGroups: ReportOpinionGroup[];
  map: ReportMap;
  statements: ReportStatement[];
}

export interface ComposeMeta {
  title: string;
  description?: string | null;
  groups: Array<{ id: string; name: string }>;
  generatedAt: Date | string;
  /** Facilitator's wording by statement id. */
  edits?: Record<string, string>;
  /** No figure about fewer people than this (never below 3). */
  minGroupSize: number;
  /** Ids of the statements (positions) an outreach worker entered for their authors. */
  enteredByOutreach?: string[];
  /** The language of the fixed texts (a locale code; default and fallback English). */
  language?: string;
  /** The language each statement was written in, by statement id, when known (marks user text with `lang`). */
  statementLanguages?: Record<string, string>;
}
