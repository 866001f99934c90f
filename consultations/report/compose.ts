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
import { DIVISIVE_GAP, FRAGILE_SHARE, K_RANGE, MIN_VOTES_TO_CLUSTER, STABLE_CLUSTERING_ARI, STABLE_SHARE } from "../synthesis/thresholds";
import { LANGUAGE_CODE } from "../languages";
import { effectiveMinimum, hiddenCount, shownCount, shownSupport, shownSupportRecord, suppressedKeys } from "./suppress";
import { countText } from "./figures";
import { reportLocale, type ReportLocale } from "./locale";
import { opinionGroupLetter } from "./text";
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
/** Its name in English (the report shows it in the report's language: `report.groups.noGroup`). */
export const NO_GROUP_NAME = "No declared group";
/** Map points of small declared groups, pooled. */
export const OTHER_GROUPS_KEY = "__other";
const OTHER_THEME_KEY = "__other";

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

function stabilityInWords(loc: ReportLocale, value: number | null, samples: number): StabilityInWords {
  if (value === null || !Number.isFinite(value) || samples <= 0) {
    return { value: null, level: "not-tested", text: loc.t("stability.notTested") };
  }
  const runs = loc.t("stability.runs", { kept: loc.number(Math.round(value * samples)), samples: loc.number(samples) });
  if (value >= STABLE_SHARE) return { value, level: "stable", text: loc.t("stability.stable", { runs }) };
  if (value >= FRAGILE_SHARE) return { value, level: "fairly-stable", text: loc.t("stability.fairlyStable", { runs }) };
  return { value, level: "fragile", text: loc.t("stability.fragile", { runs }) };
}

function basisInWords(loc: ReportLocale, basis: Recommendation["basis"], hasDeclared: boolean): string {
  switch (basis) {
    case "both":
      return loc.t("basis.both");
    case "declared":
      return loc.t("basis.declared");
    case "opinion":
      return loc.t(hasDeclared ? "basis.opinionWithDeclared" : "basis.opinion");
  }
}

function silhouetteInWords(loc: ReportLocale, s: number): string {
  if (!Number.isFinite(s)) return loc.t("separation.notMeasured");
  if (s >= SILHOUETTE_CLEAR) return loc.t("separation.clear");
  if (s >= SILHOUETTE_MODERATE) return loc.t("separation.moderate");
  return loc.t("separation.weak");
}

export function composeReport(result: SynthesisResult, meta: ComposeMeta): Report {
  const loc = reportLocale(meta.language);
  const opinionGroupName = (id: number | string) => loc.t("groups.opinion", { letter: opinionGroupLetter(Number(id)) });
  const noGroupName = loc.t("groups.noGroup");
  const otherTheme = { id: OTHER_THEME_KEY, label: loc.t("themes.other") };
  const statementLanguage = (id: string): string | null => {
    const code = meta.statementLanguages?.[id];
    return code && LANGUAGE_CODE.test(code) ? code : null;
  };
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
    // The engine's "Other" theme is a fixed text; every other label is a facilitator's tag or a keyword of the statements.
    if (t?.id === OTHER_THEME_ID) return { id: t.id, label: otherTheme.label };
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
      language: statementLanguage(s.id),
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
    const key = theme?.id ?? otherTheme.id;
    if (!byTheme.has(key)) {
      byTheme.set(key, []);
      themeOrder.push({ id: key, label: theme?.label ?? otherTheme.label, recommendationIds: [] });
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
      basisText: basisInWords(loc, r.basis, hasDeclared),
      overall: s.total,
      groups,
      groupAwareConsensus: r.groupAwareConsensus,
      declaredGroupConsensus: r.declaredGroupConsensus,
      stability: stabilityInWords(loc, r.stability ?? s.recommendationStability, samples),
    };
    byTheme.get(key)!.push(rec);
  }
  // "Other" last.
  const isOther = (t: ReportTheme) => t.id === otherTheme.id || t.id === OTHER_THEME_ID;
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
    name: key === NO_GROUP_KEY ? noGroupName : groupName.get(key) ?? key,
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
      ? loc.t("summary.nobody")
      : totalShown.suppressed
      ? loc.t("summary.fewer", { min: loc.number(min) })
      : loc.count("summary.tookPart", totalPeople, {
          votes: loc.count("count.votes", result.meta.votes),
          statements: loc.count("count.statements", result.meta.statements),
          share: loc.percent(density),
        }),
  );
  if (hasDeclared) {
    const parts = participationRows.map((r) =>
      !r.participants.suppressed || r.participants.reason === "fewer"
        ? loc.t("summary.groupCount", { count: countText(loc, r.participants), name: r.name })
        : loc.t("summary.groupHidden", { name: r.name }),
    );
    whoParts.push(
      noGroupRow
        ? loc.t("summary.byGroupWithNone", { list: loc.list(parts), count: countText(loc, noGroupRow.participants) })
        : loc.t("summary.byGroup", { list: loc.list(parts) }),
    );
  } else {
    whoParts.push(loc.t("summary.noDeclared"));
  }
  const summaryRecs = [...recommendations]
    .sort((a, b) => Number(b.basis === "both") - Number(a.basis === "both") || b.groupAwareConsensus - a.groupAwareConsensus)
    .slice(0, SUMMARY_RECOMMENDATIONS)
    .map((r) => ({ statementId: r.statementId, label: r.label, wording: r.wording }));
  const summaryDivides = disagreements.slice(0, SUMMARY_DISAGREEMENTS).map((d) => ({
    statementId: d.statementId,
    label: d.label,
    wording: d.wording,
    between: loc.t("summary.divides", { for: d.mostFor.name, against: d.mostAgainst.name }),
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
  // The method in plain words, true to the engine (consultations/synthesis/thresholds.ts).
  const example = declared[0]?.name ?? opinionGroupName(0);
  const placedText = placedShown.suppressed ? loc.t("count.fewerPeople", { min: loc.number(min) }) : loc.count("count.people", c.clusteredParticipants);
  const paragraphs = [
    hasDeclared ? loc.t("method.voting", { example: loc.list(declared.slice(0, 2).map((g) => g.name)) }) : loc.t("method.votingNoGroups"),
    loc.t("method.figures", { example }),
    loc.t("method.privacy", { min: loc.number(min) }),
    loc.t("method.anonymous"),
    loc.t("method.everyGroup", { minVoters: loc.number(result.meta.minVotersPerGroup) }),
    loc.t("method.fair"),
    loc.t("method.divide", { gap: loc.number(Math.round(DIVISIVE_GAP * 100)) }),
    `${loc.t("method.opinionGroups", { minVotes: loc.number(Math.max(1, Math.min(MIN_VOTES_TO_CLUSTER, result.meta.statements))), kMin: loc.number(K_RANGE[0]), kMax: loc.number(K_RANGE[1]) })} ${loc.count("method.found", c.k, { k: loc.number(c.k), placed: placedText, separation: silhouetteInWords(loc, c.silhouette) })}`,
    samples > 0
      ? `${loc.t("method.checked", { samples: loc.number(samples), stable: loc.percent(STABLE_SHARE), fragile: loc.percent(FRAGILE_SHARE) })}${
          c.stability !== null ? ` ${loc.t(c.stability >= STABLE_CLUSTERING_ARI ? "method.groupsSame" : "method.groupsDiffer")}` : ""
        }`
      : loc.t("method.notChecked"),
    loc.t("method.technical", {
      kMin: loc.number(K_RANGE[0]),
      kMax: loc.number(K_RANGE[1]),
      silhouette: loc.decimal(c.silhouette),
      variance: loc.percent((c.varianceExplained[0] ?? 0) + (c.varianceExplained[1] ?? 0)),
      groupStability: c.stability !== null ? loc.t("method.technicalStability", { samples: loc.number(samples), ari: loc.decimal(c.stability) }) : "",
    }),
  ];
  const warnings: string[] = [];
  if (c.tooSmallToTrust) warnings.push(loc.t(hasDeclared ? "warnings.tooSmallDeclared" : "warnings.tooSmall", { min: loc.number(result.meta.minVotersPerGroup) }));
  if (unstable) warnings.push(loc.t("warnings.unstable", { ari: loc.decimal(c.stability) }));
  else if (c.stability === null) warnings.push(loc.t("warnings.notTested"));
  if (c.silhouette < SILHOUETTE_MODERATE) warnings.push(loc.t("warnings.weak"));
  if (density < SPARSE_DENSITY && !totalShown.suppressed) warnings.push(loc.t("warnings.sparse", { share: loc.percent(density) }));
  if (!hasDeclared) warnings.push(loc.t("warnings.noDeclared"));

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
      return { kind: "declared", id: g.id, name: g.name, size, described: false, note: loc.t("emphasis.declaredNotDescribed", { min: loc.number(min) }), items: [] };
    }
    const items = emphasisItems(summary.representative, (st) => st.supportByGroup[g.id]);
    return { kind: "declared", id: g.id, name: g.name, size, described: true, note: items.length ? null : loc.t("emphasis.declaredNothing"), items };
  });
  const opinionEmphases: ReportEmphasis[] = [...result.opinionGroups]
    .sort((a, b) => a.id - b.id)
    .map((o: OpinionGroup) => {
      const size = opinionSizes.get(String(o.id))!;
      const name = opinionGroupName(o.id);
      if (o.size < min) {
        return { kind: "opinion", id: String(o.id), name, size, described: false, note: loc.t("emphasis.opinionNotDescribed", { min: loc.number(min) }), items: [] };
      }
      const items = emphasisItems(o.representative, (st) => st.supportByOpinionGroup[String(o.id)]);
      return { kind: "opinion", id: String(o.id), name, size, described: true, note: items.length ? null : loc.t("emphasis.opinionNothing"), items };
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
  const legendName = (k: string) =>
    k === NO_GROUP_KEY ? noGroupName : k === OTHER_GROUPS_KEY ? loc.t("groups.otherOnMap", { min: loc.number(min) }) : groupName.get(k) ?? k;
  const omittedNote = !smallOnMap.size ? null : loc.t(pooled ? "map.omittedPooled" : "map.omittedLeftOut", { min: loc.number(min) });

  const report: Report = {
    format: "polyphony-report/1",
    language: loc.lang,
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
      note: anyHidden ? loc.t("participation.note", { min: loc.number(min) }) : null,
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
