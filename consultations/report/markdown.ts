/**
 * The report as Markdown. Every piece of user text (statements, the facilitator's wording, group names,
 * theme labels, the title) goes through escapeMarkdown, so it reads as the words it is and can never
 * become a link, an image, HTML or a heading. The facilitator's description is Markdown on purpose and
 * is rendered by the HTML renderer with the app's own user-Markdown rules.
 *
 * The report is built as a list of blocks so the HTML renderer can put its charts between them.
 */
import { inertMarkdownSource } from "../markdown";
import { LANGUAGE_CODE } from "../languages";
import { countText, figureText, fullFigureText, hiddenCell } from "./figures";
import { reportLocale, type ReportLocale } from "./locale";
import { escapeMarkdown as md } from "./text";
import type { GroupLine, Report, ReportEmphasis, ShownSupport } from "./types";

/** Section names (fixed words, used as CSS classes by the HTML renderer). */
export type ReportSection =
  | "title"
  | "summary"
  | "method"
  | "participation"
  | "recommendations"
  | "theme"
  | "recommendation"
  | "disagreements"
  | "emphases"
  | "minority"
  | "map"
  | "appendix"
  | "footer";

export type ReportBlock =
  | { kind: "markdown"; markdown: string; section: ReportSection }
  /** The facilitator's own Markdown (the description). */
  | { kind: "user-markdown"; markdown: string }
  | { kind: "map" }
  | { kind: "bars"; statementId: string };

/** "[P12]" with the brackets escaped, so no link definition elsewhere can turn a citation into a link. */
export const cite = (label: string) => `\\[${md(label)}\\]`;

/** The mark after the citation of a statement an outreach worker entered for its author (never who did), in English. */
export const OUTREACH_MARK = "_(entered by outreach)_";

/**
 * Private-use characters around user text whose language is known, in blocks made for the HTML renderer:
 * LANG_OPEN + code + LANG_MID + text + LANG_CLOSE becomes <span lang="code">text</span> after sanitizing
 * (html.ts). They are stripped from user text first, so no text can forge one.
 */
export const LANG_OPEN = "\uE000";
export const LANG_MID = "\uE001";
export const LANG_CLOSE = "\uE002";
const SENTINELS = /[\uE000-\uE002]/g;

export interface BlockOptions {
  /** Wrap user text of a known language in language marks (for the HTML renderer). */
  markLanguages?: boolean;
}

/** `cite`, with the outreach mark (in the report's language) for the labels in `outreach`. */
function citer(loc: ReportLocale, outreach: ReadonlySet<string>): (label: string) => string {
  const mark = `_${md(loc.t("doc.enteredByOutreach"))}_`;
  return (label) => (outreach.has(label) ? `${cite(label)} ${mark}` : cite(label));
}

/** A piece of a fixed sentence, escaped like md() but keeping one space at either end (it sits next to other pieces). */
function piece(text: string | undefined): string {
  if (!text) return "";
  if (!text.trim()) return " ";
  return `${/^\s/.test(text) ? " " : ""}${md(text)}${/\s$/.test(text) ? " " : ""}`;
}

/**
 * A fixed sentence `report.<key>` as Markdown: its own words escaped, and the values in `markdown`
 * (already Markdown: citations, escaped user text) put in their places as they are.
 */
function sentence(loc: ReportLocale, key: string, values: Record<string, unknown>, markdown: Record<string, string>): string {
  const names = Object.keys(markdown);
  const tokens = Object.fromEntries(names.map((name, i) => [name, `\u0000${i}\u0000`]));
  const parts = loc.t(key, { ...values, ...tokens }).split(/\u0000(\d+)\u0000/);
  return parts.map((part, i) => (i % 2 === 1 ? markdown[names[Number(part)]!] ?? "" : piece(part))).join("");
}

function tableRow(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** The report as blocks of Markdown, the description and the places of the charts. */
export function reportBlocks(report: Report, options: BlockOptions = {}): ReportBlock[] {
  const loc = reportLocale(report.language);
  const t = (key: string, values?: Record<string, unknown>) => md(loc.t(key, values));
  const blocks: ReportBlock[] = [];
  const push = (markdown: string, section: ReportSection) => blocks.push({ kind: "markdown", markdown, section });
  const min = report.minGroupSize;
  const ref = citer(loc, new Set(report.statements.filter((st) => st.enteredByOutreach).map((st) => st.label)));
  const byId = new Map(report.statements.map((st) => [st.id, st]));
  /** User text as literal Markdown, marked with its language when known and other than the report's. */
  const user = (text: string, lang: string | null | undefined): string => {
    const escaped = md(options.markLanguages ? text.replace(SENTINELS, "") : text);
    if (!options.markLanguages || !lang || !LANGUAGE_CODE.test(lang) || lang === report.language) return escaped;
    return `${LANG_OPEN}${lang}${LANG_MID}${escaped}${LANG_CLOSE}`;
  };
  /** The participants' own text of a statement. */
  const textOf = (id: string, text: string) => user(text, byId.get(id)?.language);
  /** A statement's wording: the participants' text, or the facilitator's rewording (language not known). */
  const wordingOf = (id: string, wording: string) => {
    const st = byId.get(id);
    return user(wording, st && !st.edited ? st.language : null);
  };
  const line = (g: GroupLine) => md(figureText(loc, g.name, g.support));
  const supportCell = (s: ShownSupport | undefined): string => {
    if (!s) return "–";
    return md(s.suppressed ? hiddenCell(loc, s) : loc.t("figure.cell", { share: loc.percent(s.agreeShare), n: loc.number(s.n) }));
  };
  const emphasisMarkdown = (e: ReportEmphasis): string => {
    const size = e.size.suppressed ? "" : ` (${t(e.kind === "declared" ? "emphasis.voted" : "emphasis.people", { count: countText(loc, e.size) })})`;
    const head = `#### ${md(e.name)}${size}`;
    if (!e.described || !e.items.length) return `${head}\n\n_${md(e.note ?? "")}_`;
    const items = e.items.map((i) => {
      const others = i.othersShare === null ? "" : loc.t("emphasis.againstOthers", { share: loc.percent(i.othersShare) });
      const said = sentence(loc, i.direction === "agree" ? "emphasis.agreed" : "emphasis.disagreed", { share: loc.percent(i.groupShare) }, { ref: ref(i.label), text: textOf(i.statementId, i.text) });
      return `- ${said}${piece(others)}.`;
    });
    return `${head}\n\n${items.join("\n")}`;
  };

  push(`# ${md(report.title)}\n\n_${t("doc.subtitle", { date: loc.day(report.generatedAt), min: loc.number(min) })}_`, "title");
  if (report.description) blocks.push({ kind: "user-markdown", markdown: report.description });

  // Summary
  const s = report.summary;
  const summary = [`## ${t("doc.summary")}`, "", `**${t("doc.whoTookPart")}** ${md(s.whoTookPart)}`, ""];
  summary.push(`**${t("doc.whatEveryGroupSupports")}**${s.supportedByAll.length ? "" : ` ${t("doc.noneSupportedByAll")}`}`);
  if (s.supportedByAll.length) summary.push("", ...s.supportedByAll.map((r) => `- ${wordingOf(r.statementId, r.wording)} ${ref(r.label)}`));
  summary.push("", `**${t("doc.whereTheyDivide")}**${s.divides.length ? "" : ` ${t("doc.noneDivides")}`}`);
  if (s.divides.length) summary.push("", ...s.divides.map((d) => `- ${wordingOf(d.statementId, d.wording)} ${ref(d.label)}: ${md(d.between)}.`));
  push(summary.join("\n"), "summary");

  // Method
  const m = report.method;
  const method = [`## ${t("doc.method")}`, "", ...m.paragraphs.flatMap((p) => [md(p), ""])];
  for (const w of m.warnings) method.push(`> **${t("doc.caution")}** ${md(w)}`, "");
  push(method.join("\n").trimEnd(), "method");

  // Participation
  const p = report.participation;
  const rows = [...p.rows, ...(p.noGroup ? [p.noGroup] : [])];
  const part = [`## ${t("doc.participation")}`, ""];
  if (!report.declaredGroups.length) {
    part.push(t("doc.noDeclaredGroups", { count: countText(loc, p.total) }));
  } else {
    part.push(tableRow([t("doc.colGroup"), t("doc.colPeople"), t("doc.colVoted"), t("doc.colOnMap")]), tableRow(["---", "---:", "---:", "---:"]));
    for (const r of rows) part.push(tableRow([md(r.name), md(countText(loc, r.participants)), r.voters ? md(countText(loc, r.voters)) : "–", md(countText(loc, r.placed))]));
    part.push(tableRow([`**${t("doc.all")}**`, `**${md(countText(loc, p.total))}**`, "", ""]));
  }
  if (p.note) part.push("", `_${md(p.note)}_`);
  push(part.join("\n"), "participation");

  // Recommendations by theme
  push(`## ${t("doc.recommendations")}\n\n${t(report.recommendations.length ? "doc.recommendationsIntro" : "doc.noRecommendations")}`, "recommendations");
  const recById = new Map(report.recommendations.map((r) => [r.statementId, r]));
  for (const theme of report.themes) {
    push(`### ${md(theme.label)}`, "theme");
    for (const id of theme.recommendationIds) {
      const r = recById.get(id)!;
      const lines = [`#### ${wordingOf(r.statementId, r.wording)} ${ref(r.label)}`, "", md(r.basisText), "", `- ${t("doc.everyone", { figure: fullFigureText(loc, r.overall) })}`];
      lines.push(...r.groups.map((g) => `- ${line(g)}`));
      lines.push("", `**${t("doc.howStable")}** ${md(r.stability.text)}`);
      for (const q of r.quotes) lines.push("", `> ${sentence(loc, "doc.quote", {}, { text: textOf(r.statementId, q), ref: ref(r.label) })}`);
      push(lines.join("\n"), "recommendation");
      blocks.push({ kind: "bars", statementId: r.statementId });
    }
  }

  // Disagreements
  const dis = [`## ${t("doc.disagreements")}`, ""];
  if (!report.disagreements.length) dis.push(t("doc.noneDivides"));
  for (const d of report.disagreements) {
    dis.push(`- ${wordingOf(d.statementId, d.wording)} ${ref(d.label)}: ${line(d.mostFor)}; ${line(d.mostAgainst)}.`);
  }
  push(dis.join("\n"), "disagreements");

  // What each group stressed
  const emph = [`## ${t("doc.emphases")}`, "", t("doc.emphasesIntro")];
  if (report.emphases.declared.length) emph.push("", `### ${t("doc.declaredGroups")}`, "", ...report.emphases.declared.map((e) => `${emphasisMarkdown(e)}\n`));
  if (report.emphases.opinion.length) emph.push("", `### ${t("doc.opinionGroups")}`, "", ...report.emphases.opinion.map((e) => `${emphasisMarkdown(e)}\n`));
  push(emph.join("\n").trimEnd(), "emphases");

  // Minority positions
  const mino = [`## ${t("doc.minority")}`, ""];
  if (!report.minorityPositions.length) mino.push(t("doc.noMinority"));
  for (const mp of report.minorityPositions) {
    mino.push(`- **${md(mp.groupName)}**: ${wordingOf(mp.statementId, mp.wording)} ${ref(mp.label)}: ${t("doc.minorityLine", { share: loc.percent(mp.agreeShare), others: loc.percent(mp.othersAgreeShare) })}`);
  }
  push(mino.join("\n"), "minority");

  // Map
  const map = [`## ${t("doc.map")}`, "", t("doc.mapIntro")];
  if (report.map.omittedNote) map.push("", `_${md(report.map.omittedNote)}_`);
  if (report.opinionGroups.length) {
    map.push("", tableRow([t("doc.colOpinionGroup"), t("doc.colPeople")]), tableRow(["---", "---:"]));
    for (const o of report.opinionGroups) map.push(tableRow([md(o.name), `${md(countText(loc, o.size))}${o.tooSmall ? ` ${t("doc.tooSmallToTrust")}` : ""}`]));
  }
  push(map.join("\n"), "map");
  blocks.push({ kind: "map" });

  // Appendix
  const opinionKeys = report.opinionGroups.map((o) => String(o.id));
  const app = [
    `## ${t("doc.appendix")}`,
    "",
    t("doc.appendixIntro"),
    "",
    tableRow(["doc.colStatement", "doc.colText", "doc.colAgree", "doc.colDisagree", "doc.colPass", "doc.colVotes", "doc.colConsensus", "doc.colByGroup", "doc.colRecommended"].map((k) => t(k))),
    tableRow(["---", "---", "---:", "---:", "---:", "---:", "---:", "---", "---"]),
  ];
  for (const st of report.statements) {
    const tot = st.total;
    const byGroup = report.declaredGroups.length
      ? report.declaredGroups.map((g) => `${md(g.name)}: ${supportCell(st.supportByGroup[g.id])}`)
      : opinionKeys.map((k) => `${md(report.opinionGroups.find((o) => String(o.id) === k)!.name)}: ${supportCell(st.supportByOpinionGroup[k])}`);
    app.push(
      tableRow([
        ref(st.label),
        textOf(st.id, st.text) + (st.edited ? ` ${sentence(loc, "doc.reworded", {}, { wording: md(st.wording) })}` : ""),
        tot.suppressed ? "–" : loc.number(tot.agree),
        tot.suppressed ? "–" : loc.number(tot.disagree),
        tot.suppressed ? "–" : loc.number(tot.pass),
        tot.suppressed ? md(hiddenCell(loc, tot)) : loc.number(tot.n),
        loc.decimal(st.groupAwareConsensus),
        byGroup.join("; ") || "–",
        st.isRecommendation ? t("doc.yes") : "",
      ]),
    );
  }
  push(app.join("\n"), "appendix");
  push(`---\n\n_${t("doc.footer", { version: report.engine.version, seed: report.engine.seed, min: loc.number(min) })}_`, "footer");
  return blocks;
}

/** The whole report as one Markdown document (charts are in the HTML version). */
export function reportMarkdown(report: Report): string {
  const loc = reportLocale(report.language);
  return (
    reportBlocks(report)
      // The facilitator's Markdown goes out as Markdown, without raw HTML or unsafe links (whatever opens the file).
      .map((b) => (b.kind === "markdown" ? b.markdown : b.kind === "user-markdown" ? inertMarkdownSource(b.markdown) : b.kind === "map" ? `_${md(loc.t("doc.mapInHtml"))}_` : null))
      .filter((x): x is string => x !== null)
      .join("\n\n") + "\n"
  );
}
