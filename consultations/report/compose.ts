/**
 * composeReport: the engine's SynthesisResult -> a Report (structured sections in plain words) that the
 * Markdown, HTML, JSON and CSV renderings share. Pure and deterministic (generatedAt comes in).
 *
 * Nothing about people leaves here: no participant ids or pseudonyms, map points are anonymous and
 * sorted, and every figure about fewer than `minGroupSize` people is suppressed (see suppress.ts).
 */
import type {
  GroupSupport,
  OpinionGroup,
  Recommendation,
  RepresentativeStatement,
  StatementResult,
  SynthesisResult,
} from "../synthesis/types";
import { OTHER_THEME_ID } from "../synthesis/themes";
import { FRAGILE_SHARE, STABLE_CLUSTERING_ARI, STABLE_SHARE } from "../synthesis/thresholds";
import { effectiveMinimum, hiddenCount, shownCount, shownSupport, shownSupportRecord, suppressedKeys } from "./suppress";
import { countText } from "./figures";
import { listInWords, opinionGroupName, pct, plural } from "./text";
import type {
  ComposeMeta,
  GroupLine,
  MapPoint,
  Report,
  ReportDisagreement,
  ReportEmphasis,
  ReportEmphasisItem,
  ReportMinorityPosition,
  ReportParticipationRow,
  ReportRecommendation,
  ReportStatement,
  ReportTheme,
  ShownCount,
  ShownSupport,
  StabilityInWords,
} from "./types";

export { reportMarkdown } from "./markdown";

/** The "group" of people without a declared group, in tables and on the map. */
export const NO_GROUP_KEY = "__none";
export const NO_GROUP_NAME = "No declared group";
/** Map points of small declared groups, pooled. */
export const OTHER_GROUPS_KEY = "__other";
const OTHER_THEME = { id: "__other", label: "Other" };

/** Recommendations named in the summary. */
const SUMMARY_RECOMMENDATIONS = 5;
const SUMMARY_DISAGREEMENTS = 3;
/** Silhouette in words (Rousseeuw's rough guide). */
const SILHOUETTE_CLEAR = 0.5;
const SILHOUETTE_MODERATE = 0.25;
/** Below this share of possible votes cast, the report says the data are sparse. */
const SPARSE_DENSITY = 0.3;

/** "P12" for Polis-style numeric ids, else "P<position in the list>". */
function statementLabels(statements: StatementResult[]): Map<string, string> {
  const numeric = statements.every((s) => /^\d{1,9}$/.test(s.id));
  return new Map(statements.map((s, i) => [s.id, `P${numeric ? s.id : i + 1}`]));
}

function stabilityInWords(value: number | null, samples: number): StabilityInWords {
  if (value === null || !Number.isFinite(value) || samples <= 0) {
    return { value: null, level: "not-tested", text: "Stability was not tested (no re-runs on resampled participants)." };
  }
  const runs = `${Math.round(value * samples)} of ${samples} re-runs on resampled participants`;
  if (value >= STABLE_SHARE) return { value, level: "stable", text: `Stable: it stayed a recommendation in ${runs}.` };
  if (value >= FRAGILE_SHARE) {
    return { value, level: "fairly-stable", text: `Fairly stable: it stayed a recommendation in ${runs}; a few different participants could change it.` };
  }
  return { value, level: "fragile", text: `Fragile: it stayed a recommendation in only ${runs}. Treat it as a lead to test, not a finding.` };
}

function basisInWords(basis: Recommendation["basis"], hasDeclared: boolean): string {
  switch (basis) {
    case "both":
      return "More than half of every declared group and of every opinion group with enough voters agrees.";
    case "declared":
      return "More than half of every declared group with enough voters agrees; the opinion groups found in the votes are not all behind it.";
    case "opinion":
      return hasDeclared
        ? "More than half of every opinion group (people who voted alike) with enough voters agrees; the declared groups are not all behind it, or too few of them voted."
        : "More than half of every opinion group (people who voted alike) with enough voters agrees.";
  }
}

function silhouetteInWords(s: number): string {
  if (!Number.isFinite(s)) return "not measured";
  if (s >= SILHOUETTE_CLEAR) return "clearly separated";
  if (s >= SILHOUETTE_MODERATE) return "moderately separated";
  return "weakly separated (they shade into each other)";
}

export function composeReport(result: SynthesisResult, meta: ComposeMeta): Report {
  const min = effectiveMinimum(meta.minGroupSize);
  const edits = meta.edits ?? {};
  const declared = meta.groups.map((g) => ({ id: g.id, name: g.name }));
  const declaredKeys = declared.map((g) => g.id);
  const hasDeclared = declared.length > 0;
  const groupName = new Map(declared.map((g) => [g.id, g.name]));
  for (const g of result.declaredGroups) if (!groupName.has(g.id)) groupName.set(g.id, g.name);
  const opinionIds = [...result.opinionGroups].map((g) => g.id).sort((a, b) => a - b);
  const opinionKeys = opinionIds.map(String);
  const labels = statementLabels(result.statements);
  const themeById = new Map(result.themes.map((t) => [t.id, t]));
  const themeByLabel = new Map(result.themes.map((t) => [t.label, t]));
  const themeOf = (theme: string | null) => {
    if (!theme) return null;
    const t = themeById.get(theme) ?? themeByLabel.get(theme);
    return t ? { id: t.id, label: t.label } : { id: theme, label: theme };
  };
  const samples = result.meta.bootstrapSamples;
  const recommended = new Set(result.recommendations.map((r) => r.statementId));
  const byOutreach = new Set(meta.enteredByOutreach ?? []);

  // ---- statements, with suppressed figures ---------------------------------------------------
  const statements: ReportStatement[] = result.statements.map((s) => {
    const edit = edits[s.id]?.trim();
    return {
      id: s.id,
      label: labels.get(s.id)!,
      text: s.text,
      wording: edit || s.text,
      edited: Boolean(edit) && edit !== s.text.trim(),
      enteredByOutreach: byOutreach.has(s.id),
      theme: themeOf(s.theme),
      total: shownSupport(s.total, min),
      groupAwareConsensus: s.groupAwareConsensus,
      declaredGroupConsensus: s.declaredGroupConsensus,
      bridgesOpinionGroups: s.bridgesOpinionGroups,
      bridgesDeclaredGroups: s.bridgesDeclaredGroups,
      divisivenessOpinion: s.divisivenessOpinion,
      divisivenessDeclared: s.divisivenessDeclared,
      recommendationStability: s.recommendationStability,
      isRecommendation: recommended.has(s.id),
      supportByGroup: shownSupportRecord(s.supportByGroup, declaredKeys, s.total.n, min),
      supportByOpinionGroup: shownSupportRecord(s.supportByOpinionGroup, opinionKeys, s.total.n, min, false),
    };
  });
  const statementById = new Map(statements.map((s) => [s.id, s]));
  const rawById = new Map(result.statements.map((s) => [s.id, s]));

  const declaredLine = (statementId: string, groupId: string): GroupLine => ({
    kind: "declared",
    id: groupId,
    name: groupName.get(groupId) ?? groupId,
    support: statementById.get(statementId)?.supportByGroup[groupId] ?? hiddenCount(min),
  });
  const opinionLine = (statementId: string, groupId: string): GroupLine => ({
    kind: "opinion",
    id: groupId,
    name: opinionGroupName(groupId),
    support: statementById.get(statementId)?.supportByOpinionGroup[groupId] ?? hiddenCount(min),
  });

  // ---- recommendations by theme --------------------------------------------------------------
  const themeOrder: ReportTheme[] = [];
  const byTheme = new Map<string, ReportRecommendation[]>();
  for (const r of result.recommendations) {
    const s = statementById.get(r.statementId);
    if (!s) continue;
    const theme = themeOf(r.theme) ?? s.theme;
    const key = theme?.id ?? OTHER_THEME.id;
    if (!byTheme.has(key)) {
      byTheme.set(key, []);
      themeOrder.push({ id: key, label: theme?.label ?? OTHER_THEME.label, recommendationIds: [] });
    }
    const groups: GroupLine[] = hasDeclared
      ? declaredKeys.map((g) => declaredLine(s.id, g))
      : opinionKeys.map((g) => opinionLine(s.id, g));
    const rec: ReportRecommendation = {
      statementId: s.id,
      label: s.label,
      wording: s.wording,
      edited: s.edited,
      quotes: s.edited ? [s.text] : [],
      theme,
      basis: r.basis,
      basisText: basisInWords(r.basis, hasDeclared),
      overall: s.total,
      groups,
      groupAwareConsensus: r.groupAwareConsensus,
      declaredGroupConsensus: r.declaredGroupConsensus,
      stability: stabilityInWords(r.stability ?? s.recommendationStability, samples),
    };
    byTheme.get(key)!.push(rec);
  }
  // "Other" last.
  const isOther = (t: ReportTheme) => t.id === OTHER_THEME.id || t.id === OTHER_THEME_ID;
  themeOrder.sort((a, b) => Number(isOther(a)) - Number(isOther(b)));
  const recommendations: ReportRecommendation[] = [];
  for (const t of themeOrder) {
    for (const rec of byTheme.get(t.id)!) {
      recommendations.push(rec);
      t.recommendationIds.push(rec.statementId);
    }
  }

  // ---- disagreements -------------------------------------------------------------------------
  const lineFor = (statementId: string, side: { kind: "declared" | "opinion"; id: string }) =>
    side.kind === "declared" ? declaredLine(statementId, side.id) : opinionLine(statementId, side.id);
  const disagreements: ReportDisagreement[] = [];
  for (const d of result.disagreements) {
    const s = statementById.get(d.statementId);
    if (!s) continue;
    const mostFor = lineFor(s.id, d.mostFor);
    const mostAgainst = lineFor(s.id, d.mostAgainst);
    // Never single out a group whose figure is hidden.
    if (mostFor.support.suppressed || mostAgainst.support.suppressed) continue;
    disagreements.push({ statementId: s.id, label: s.label, wording: s.wording, theme: themeOf(d.theme) ?? s.theme, divisiveness: d.divisiveness, mostFor, mostAgainst });
  }

  // ---- participation ---------------------------------------------------------------------------
  const people = result.participants;
  const countBy = (pred: (p: (typeof people)[number]) => boolean) => {
    const counts = new Map<string, number>();
    for (const p of people) {
      if (!pred(p)) continue;
      const key = p.group ?? NO_GROUP_KEY;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const members = countBy(() => true);
  const placedBy = countBy((p) => p.x !== null && p.y !== null);
  const votersBy = new Map(result.declaredGroups.map((g) => [g.id, g.voters]));
  const noGroupMembers = members.get(NO_GROUP_KEY) ?? 0;
  const rowKeys = [...declaredKeys, ...(noGroupMembers ? [NO_GROUP_KEY] : [])];
  const totalPeople = Math.max(result.meta.participants, people.length);
  const placedTotal = [...placedBy.values()].reduce((a, b) => a + b, 0);
  const hideMembers = suppressedKeys(rowKeys.map((key) => ({ key, n: members.get(key) ?? 0 })), totalPeople, min);
  const hidePlaced = suppressedKeys(rowKeys.map((key) => ({ key, n: placedBy.get(key) ?? 0 })), placedTotal, min);
  const declaredVoterTotal = declaredKeys.reduce((s, k) => s + (votersBy.get(k) ?? 0), 0);
  // Voters are known per declared group only: their total is the declared groups' sum, so small ones hide alone.
  const hideVoters = suppressedKeys(declaredKeys.map((key) => ({ key, n: votersBy.get(key) ?? 0 })), declaredVoterTotal, min);
  const participationRow = (key: string): ReportParticipationRow => ({
    id: key,
    name: key === NO_GROUP_KEY ? NO_GROUP_NAME : groupName.get(key) ?? key,
    participants: shownCount(members.get(key) ?? 0, min, hideMembers.has(key)),
    voters: key === NO_GROUP_KEY ? null : shownCount(votersBy.get(key) ?? 0, min, hideVoters.has(key)),
    placed: shownCount(placedBy.get(key) ?? 0, min, hidePlaced.has(key)),
  });
  const participationRows = declaredKeys.map(participationRow);
  const noGroupRow = noGroupMembers ? participationRow(NO_GROUP_KEY) : null;
  const totalShown = shownCount(totalPeople, min);
  const anyHidden = [...participationRows, ...(noGroupRow ? [noGroupRow] : [])].some((r) => r.participants.suppressed || r.voters?.suppressed || r.placed.suppressed);

  // ---- summary -------------------------------------------------------------------------------
  const density = result.meta.density;
  const whoParts: string[] = [];
  whoParts.push(
    totalPeople === 0
      ? "Nobody has taken part yet."
      : totalShown.suppressed
      ? `Fewer than ${min} people took part, so this report shows no figures about groups.`
      : `${plural(totalPeople, "person", "people")} took part and cast ${plural(result.meta.votes, "vote")} on ${plural(result.meta.statements, "statement")}; on average each person voted on ${pct(density)} of the statements.`,
  );
  if (hasDeclared) {
    const parts = participationRows.map((r) =>
      !r.participants.suppressed || r.participants.reason === "fewer" ? `${countText(r.participants)} ${r.name}` : `${r.name} (number not shown)`,
    );
    whoParts.push(`By declared group: ${listInWords(parts)}${noGroupRow ? `, and ${countText(noGroupRow.participants)} without a declared group` : ""}.`);
  } else {
    whoParts.push("People did not declare stakeholder groups, so this report compares the opinion groups found in the votes.");
  }
  const summaryRecs = [...recommendations]
    .sort((a, b) => Number(b.basis === "both") - Number(a.basis === "both") || b.groupAwareConsensus - a.groupAwareConsensus)
    .slice(0, SUMMARY_RECOMMENDATIONS)
    .map((r) => ({ statementId: r.statementId, label: r.label, wording: r.wording }));
  const summaryDivides = disagreements.slice(0, SUMMARY_DISAGREEMENTS).map((d) => ({
    statementId: d.statementId,
    label: d.label,
    wording: d.wording,
    between: `${d.mostFor.name} mostly agree, ${d.mostAgainst.name} mostly do not`,
  }));

  // ---- method --------------------------------------------------------------------------------
  const c = result.clustering;
  // How many people were placed, and each opinion group's size: no count of fewer than the minimum
  // (and none from which a hidden one could be worked out).
  const placedShown = shownCount(c.clusteredParticipants, min);
  const opinionSizes = shownSizes(
    result.opinionGroups.map((o) => ({ key: String(o.id), n: o.size })),
    placedShown.suppressed ? 0 : c.clusteredParticipants,
    min,
  );
  // With fewer than the minimum placed, every size is hidden (each is then below the minimum anyway).
  if (placedShown.suppressed) for (const o of result.opinionGroups) opinionSizes.set(String(o.id), shownCount(o.size, min, o.size > 0));
  const unstable = c.stability !== null && c.stability < STABLE_CLUSTERING_ARI;
  const paragraphs = [
    `Everyone could vote agree, disagree or pass on each statement. Figures like "${declared[0]?.name ?? "Opinion group A"}: 4 of 5 agree (80%)" mean that 5 people of that group voted on the statement and 4 of them agreed; passes count as votes. Where fewer than ${min} people of a group voted, no figure is shown, to protect them, and neither is any figure from which a hidden one could be worked out.`,
    `The analysis itself uses smoothed agree rates, (agrees + 1) / (votes + 2), so a handful of votes cannot look more certain than it is: 2 of 2 counts as 75%, not 100%.`,
    `A recommendation is a statement that bridges groups: more than half of every group with at least ${result.meta.minVotersPerGroup} voters agrees with it, and at least two groups have that many. This is checked for the declared stakeholder groups (the group each person joined as) and for the opinion groups (below). A statement backed by one large group only is not a recommendation, however many people support it overall. Recommendations are ranked by group-aware consensus: each group's smoothed agree rate multiplied together, as Polis computes it; it is high only when every group agrees.`,
    `Opinion groups are found from the votes alone, whatever group people declared: people who voted alike end up together. As in Polis, the votes are drawn as a map with two axes (principal component analysis) and people are split into groups (k-means), trying 2 to 5 groups and keeping the number that separates them best. Only people who voted on at least 7 statements are placed. Here ${c.k} opinion groups were found among ${placedShown.suppressed ? `fewer than ${min} people` : plural(c.clusteredParticipants, "person", "people")} placed on the map; they are ${silhouetteInWords(c.silhouette)} (silhouette ${c.silhouette.toFixed(2)}), and the map's two axes carry ${pct((c.varianceExplained[0] ?? 0) + (c.varianceExplained[1] ?? 0))} of the differences between people's votes.`,
    samples > 0
      ? `To check that the findings do not hang on a few people, the analysis was re-run ${samples} times on resampled participants (each re-run draws the same number of people at random, some twice, some not at all). A recommendation that stays one in at least ${pct(STABLE_SHARE)} of the re-runs is called stable; below ${pct(FRAGILE_SHARE)} it is called fragile.${c.stability !== null ? ` The opinion groups came out ${c.stability >= STABLE_CLUSTERING_ARI ? "much the same" : "differently"} across re-runs (agreement ${c.stability.toFixed(2)}, where 1 means the same groups every time).` : ""}`
      : "The findings were not re-run on resampled participants, so nothing is said about their stability.",
  ];
  const warnings: string[] = [];
  if (c.tooSmallToTrust) {
    warnings.push(`At least one opinion group has fewer than ${result.meta.minVotersPerGroup} people: too small to trust. Read the opinion groups as a rough sketch${hasDeclared ? " and rely on the declared groups" : ""}.`);
  }
  if (unstable) {
    warnings.push(`The opinion groups are unstable: re-running the analysis on resampled participants gives different groups (agreement ${c.stability!.toFixed(2)}, where 1 means the same). Do not read much into who falls in which opinion group.`);
  } else if (c.stability === null) {
    warnings.push("The stability of the opinion groups was not tested.");
  }
  if (c.silhouette < SILHOUETTE_MODERATE) warnings.push("The opinion groups are weakly separated: many people sit between groups.");
  if (density < SPARSE_DENSITY && !totalShown.suppressed) {
    warnings.push(`Most people voted on few of the statements (${pct(density)} of all possible votes were cast): figures for a single statement rest on fewer people than the totals suggest.`);
  }
  if (!hasDeclared) warnings.push("No declared stakeholder groups: recommendations rest on the opinion groups only.");

  // ---- emphases ------------------------------------------------------------------------------
  /** Raw shares of the group and of everyone else in the group's direction; items about too few people are left out. */
  const emphasisItems = (reps: RepresentativeStatement[], figureOf: (s: ReportStatement) => ShownSupport | undefined): ReportEmphasisItem[] => {
    const items: ReportEmphasisItem[] = [];
    for (const r of reps) {
      const st = statementById.get(r.statementId);
      const raw = rawById.get(r.statementId);
      if (!r.significant || !st || !raw) continue;
      const g = figureOf(st);
      if (!g || g.suppressed) continue;
      const others = shownSupport({ agree: raw.total.agree - g.agree, disagree: raw.total.disagree - g.disagree, pass: raw.total.pass - g.pass }, min);
      const share = (f: ShownSupport) => (f.suppressed ? null : r.direction === "agree" ? f.agreeShare : f.disagreeShare);
      items.push({ statementId: st.id, label: st.label, text: st.wording, direction: r.direction, groupShare: share(g)!, othersShare: share(others) });
    }
    return items;
  };
  const declaredSizes = shownSizes(declaredKeys.map((k) => ({ key: k, n: votersBy.get(k) ?? 0 })), declaredVoterTotal, min);
  const declaredEmphases: ReportEmphasis[] = declared.map((g) => {
    const summary = result.declaredGroups.find((d) => d.id === g.id);
    const size = declaredSizes.get(g.id)!;
    if (!summary || (votersBy.get(g.id) ?? 0) < min) {
      return { kind: "declared", id: g.id, name: g.name, size, described: false, note: `Fewer than ${min} people of this group voted: not described, to protect them.`, items: [] };
    }
    const items = emphasisItems(summary.representative, (st) => st.supportByGroup[g.id]);
    return { kind: "declared", id: g.id, name: g.name, size, described: true, note: items.length ? null : "Nothing this group voted on stood apart clearly from the other groups.", items };
  });
  const opinionEmphases: ReportEmphasis[] = [...result.opinionGroups]
    .sort((a, b) => a.id - b.id)
    .map((o: OpinionGroup) => {
      const size = opinionSizes.get(String(o.id))!;
      const name = opinionGroupName(o.id);
      if (o.size < min) {
        return { kind: "opinion", id: String(o.id), name, size, described: false, note: `Fewer than ${min} people: too small to describe or to trust.`, items: [] };
      }
      const items = emphasisItems(o.representative, (st) => st.supportByOpinionGroup[String(o.id)]);
      return { kind: "opinion", id: String(o.id), name, size, described: true, note: items.length ? null : "Nothing stood apart clearly for this group.", items };
    });

  // ---- minority positions ----------------------------------------------------------------------
  const minorityPositions: ReportMinorityPosition[] = [];
  for (const m of result.minorityPositions) {
    const s = statementById.get(m.statementId);
    const raw = rawById.get(m.statementId);
    const g = s?.supportByGroup[m.groupId];
    if (!s || !raw || !g || g.suppressed) continue;
    const others = othersCounts(raw.total, raw.supportByGroup[m.groupId]);
    const othersShown = shownSupport(others, min);
    if (othersShown.suppressed) continue;
    minorityPositions.push({
      statementId: s.id,
      label: s.label,
      wording: s.wording,
      groupId: m.groupId,
      groupName: groupName.get(m.groupId) ?? m.groupId,
      agreeShare: g.agreeShare,
      othersAgreeShare: othersShown.agreeShare,
    });
  }

  // ---- map -------------------------------------------------------------------------------------
  // Declared groups with fewer than `min` people on the map are not drawn as themselves: pooled as
  // "other groups" when the pool holds at least `min` people of two groups or more, else left out of
  // BOTH views (the opinion view too, or comparing the two views would pick them out).
  const placedPeople = people.filter((p) => p.x !== null && p.y !== null && Number.isFinite(p.x) && Number.isFinite(p.y));
  const smallOnMap = new Set([...placedBy.entries()].filter(([, n]) => n > 0 && n < min).map(([k]) => k));
  const poolSize = [...smallOnMap].reduce((sum, k) => sum + (placedBy.get(k) ?? 0), 0);
  const pooled = smallOnMap.size >= 2 && poolSize >= min;
  const points: MapPoint[] = placedPeople
    .filter((p) => pooled || !smallOnMap.has(p.group ?? NO_GROUP_KEY))
    .map((p) => ({
      x: round(p.x!),
      y: round(p.y!),
      opinionGroup: p.opinionGroup,
      declaredGroup: smallOnMap.has(p.group ?? NO_GROUP_KEY) ? OTHER_GROUPS_KEY : p.group,
    }))
    .sort((a, b) => a.x - b.x || a.y - b.y || (a.opinionGroup ?? -1) - (b.opinionGroup ?? -1) || String(a.declaredGroup).localeCompare(String(b.declaredGroup)));
  const legendKeys = [...declaredKeys, NO_GROUP_KEY, OTHER_GROUPS_KEY].filter((k) =>
    points.some((p) => (p.declaredGroup ?? NO_GROUP_KEY) === k),
  );
  const legendName = (k: string) => (k === NO_GROUP_KEY ? NO_GROUP_NAME : k === OTHER_GROUPS_KEY ? `Other groups (each fewer than ${min} on the map)` : groupName.get(k) ?? k);
  const omittedNote = !smallOnMap.size
    ? null
    : pooled
      ? `People of declared groups with fewer than ${min} people on the map are drawn together as "other groups", so that nobody in a small group can be picked out.`
      : `People of declared groups with fewer than ${min} people on the map are not drawn, in either view, so that nobody in a small group can be picked out.`;

  const report: Report = {
    format: "polyphony-report/1",
    title: meta.title,
    description: meta.description?.trim() || null,
    // The day only: a time of day would date the last votes more finely than anyone needs.
    generatedAt: new Date(meta.generatedAt).toISOString().slice(0, 10),
    minGroupSize: min,
    engine: { version: result.meta.engineVersion, seed: result.meta.seed, bootstrapSamples: samples },
    declaredGroups: declared,
    summary: {
      participants: totalShown,
      votes: totalShown.suppressed ? hiddenCount(min) : { suppressed: false, count: result.meta.votes },
      statements: result.meta.statements,
      density: totalShown.suppressed ? null : density,
      whoTookPart: whoParts.join(" "),
      supportedByAll: summaryRecs,
      divides: summaryDivides,
    },
    method: {
      paragraphs,
      warnings,
      clustering: {
        k: c.k,
        silhouette: c.silhouette,
        stability: c.stability,
        tooSmallToTrust: c.tooSmallToTrust,
        unstable,
        clusteredParticipants: placedShown,
        varianceExplained: c.varianceExplained,
      },
    },
    participation: {
      rows: participationRows,
      noGroup: noGroupRow,
      total: totalShown,
      note: anyHidden
        ? `"Fewer than ${min}" stands for a number too small to show; where a hidden number could be worked out from the total, another small figure is hidden too.`
        : null,
    },
    themes: themeOrder,
    recommendations,
    disagreements,
    emphases: { declared: declaredEmphases, opinion: opinionEmphases },
    minorityPositions,
    opinionGroups: [...result.opinionGroups]
      .sort((a, b) => a.id - b.id)
      .map((o) => ({ id: o.id, name: opinionGroupName(o.id), size: opinionSizes.get(String(o.id))!, tooSmall: o.size < min, centroid: [round(o.centroid[0]), round(o.centroid[1])] as [number, number] })),
    map: {
      points,
      opinionGroups: opinionIds.filter((id) => points.some((p) => p.opinionGroup === id)).map((id) => ({ id, name: opinionGroupName(id) })),
      declaredGroups: legendKeys.map((k) => ({ id: k === NO_GROUP_KEY ? null : k, name: legendName(k) })),
      omittedNote,
      varianceExplained: c.varianceExplained,
    },
    statements,
  };
  return report;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function shownSizes(items: Array<{ key: string; n: number }>, total: number, min: number): Map<string, ShownCount> {
  const hidden = suppressedKeys(items, total, min);
  return new Map(items.map((i) => [i.key, shownCount(i.n, min, hidden.has(i.key))]));
}

function othersCounts(total: StatementResult["total"], group: GroupSupport | undefined) {
  return {
    agree: total.agree - (group?.agree ?? 0),
    disagree: total.disagree - (group?.disagree ?? 0),
    pass: total.pass - (group?.pass ?? 0),
  };
}
