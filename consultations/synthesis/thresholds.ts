/**
 * Every threshold the synthesis uses, named and explained in one place. Changing one changes what a
 * report says, so each carries its reason.
 */

/** A group with fewer voters on a statement "has not enough votes" there (and no figure is shown). */
export const MIN_VOTERS_PER_GROUP = 5;

/**
 * Polis places only participants who voted on at least min(7, C) statements: fewer votes put a person
 * near the centre of the map for lack of information, not because of what they think.
 */
export const MIN_VOTES_TO_CLUSTER = 7;

/** Numbers of opinion groups tried; the one with the best silhouette wins (as Polis does, up to 5). */
export const K_RANGE: [number, number] = [2, 5];

/**
 * A split that puts one outlier (or a handful) in a group of its own is not an opinion group, yet it can
 * win on silhouette (bg2050: 106 / 1). A k whose smallest group holds fewer than this share of the placed
 * participants (and never fewer than MIN_OPINION_GROUP_MEMBERS) is passed over, unless every k has one.
 */
export const MIN_OPINION_GROUP_SHARE = 0.05;
export const MIN_OPINION_GROUP_MEMBERS = 2;

/** k-means restarts per k (seeded), keeping the lowest within-group sum of squares. */
export const KMEANS_RESTARTS = 8;
export const KMEANS_MAX_ITERATIONS = 100;

/** Power-iteration stopping rule for the principal components. */
export const PCA_MAX_ITERATIONS = 200;
export const PCA_TOLERANCE = 1e-9;

/** "A majority agrees": a group's smoothed agree rate must exceed this for a statement to bridge. */
export const BRIDGE_MAJORITY = 0.5;

/** At least this many groups with enough voters are needed before a statement can "bridge" anything. */
export const MIN_GROUPS_TO_BRIDGE = 2;

/** Repness significance: one-sided z at 90% confidence, as Polis uses (z > 1.2816). */
export const Z_90 = 1.2816;

/** Representative statements shown per group. */
export const REPRESENTATIVE_PER_GROUP = 5;

/** A statement divides groups when agree rates of two groups differ by at least this much. */
export const DIVISIVE_GAP = 0.3;

/** Minority position: one declared group agrees at least this strongly... */
export const MINORITY_STRONG_AGREE = 0.7;
/** ...while the other groups together agree at most this much. */
export const MINORITY_OTHERS_AT_MOST = 0.4;

/** Bootstrap resamples over participants; fewer on large data to keep synthesis fast. */
export const BOOTSTRAP_SAMPLES = 100;

/** A recommendation that stays one in at least this share of resamples is "stable" in the report. */
export const STABLE_SHARE = 0.8;
/** Below this it is reported as "fragile". */
export const FRAGILE_SHARE = 0.5;

/** Opinion groups with a mean adjusted Rand index over resamples at least this are "stable". */
export const STABLE_CLUSTERING_ARI = 0.7;

// ---- Added with the statistics half (support, consensus, repness, themes, bootstrap, recommendations) ----

/** Disagreements listed in a report: the most divisive statements first, at most this many. */
export const DISAGREEMENTS_SHOWN = 10;

/**
 * The bootstrap's work budget: samples x votes. With 100 samples up to 400,000 votes; above that the
 * default number of samples shrinks (never below BOOTSTRAP_MIN_SAMPLES) so the whole synthesis of
 * 10,000 x 2,000 at 15% stays within ~5 s on a 2-core machine. An explicit `bootstrapSamples` option
 * is always honoured.
 */
export const BOOTSTRAP_VOTE_BUDGET = 40_000_000;
/** The default bootstrap never drops below this many samples (fewer make "fraction of samples" meaningless). */
export const BOOTSTRAP_MIN_SAMPLES = 20;

/**
 * Resamples for the opinion-group stability (adjusted Rand index): each one re-runs PCA + k-means
 * (~50-70 ms at 225,000 votes, ~150-300 ms at 3M here, plus one full PCA per call), so far fewer than
 * the recommendation bootstrap, and fewer still on large data: samples x votes stays under the budget
 * (10 up to 100,000 votes, 4 at 225,000), never below the floor.
 */
export const CLUSTERING_STABILITY_SAMPLES = 10;
export const CLUSTERING_STABILITY_VOTE_BUDGET = 1_000_000;
export const CLUSTERING_STABILITY_MIN_SAMPLES = 2;

/** Keyword themes: a keyword must be shared by at least this many statements to make a theme. */
export const THEME_MIN_STATEMENTS = 2;
/** ...and appear in at most this share of statements (a word in every statement says nothing). */
export const THEME_MAX_DOCUMENT_SHARE = 0.5;
/** At most this many keyword themes; the statements left over go to "Other". */
export const THEME_MAX_COUNT = 12;
/** A statement joins a keyword's theme only if the keyword is among its this-many most salient (TF-IDF). */
export const THEME_SALIENT_PER_STATEMENT = 3;
/** Tokens shorter than this (after folding) are not keywords. */
export const THEME_MIN_TOKEN_LENGTH = 3;
/** A second keyword joins a theme's label when it appears in at least this share of the theme's statements. */
export const THEME_SECOND_LABEL_SHARE = 0.5;
