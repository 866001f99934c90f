/**
 * The report as Markdown. Every piece of user text (statements, the facilitator's wording, group names,
 * theme labels, the title) goes through escapeMarkdown, so it reads as the words it is and can never
 * become a link, an image, HTML or a heading. The facilitator's description is Markdown on purpose and
 * is rendered by the HTML renderer with the app's own user-Markdown rules.
 *
 * The report is built as a list of blocks so the HTML renderer can put its charts between them.
 */
import { inertMarkdownSource } from "../markdown";
import { countText, figureText, fullFigureText, hiddenCell } from "./figures";
import { escapeMarkdown as md, fixed, pct } from "./text";
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

/** The mark after the citation of a statement an outreach worker entered for its author (never who did). */
export const OUTREACH_MARK = "_(entered by outreach)_";

/** `cite`, with the outreach mark for the labels in `outreach`. */
function citer(outreach: ReadonlySet<string>): (label: string) => string {
  return (label) => (outreach.has(label) ? `${cite(label)} ${OUTREACH_MARK}` : cite(label));
}

const line = (g: GroupLine) => md(figureText(g.name, g.support));

function tableRow(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function emphasisMarkdown(e: ReportEmphasis, ref: (label: string) => string): string {
  const head = `#### ${md(e.name)}${e.size.suppressed ? "" : ` (${md(countText(e.size))} ${e.kind === "declared" ? "voted" : "people"})`}`;
  if (!e.described || !e.items.length) return `${head}\n\n_${md(e.note ?? "")}_`;
  const items = e.items.map(
    (i) =>
      `- ${i.direction === "agree" ? "Agreed with" : "Disagreed with"} ${ref(i.label)} “${md(i.text)}”: ${pct(i.groupShare)} of this group${
        i.othersShare === null ? "" : `, against ${pct(i.othersShare)} of everyone else`
      }.`,
  );
  return `${head}\n\n${items.join("\n")}`;
}

function supportCell(s: ShownSupport | undefined): string {
  if (!s) return "–";
  return s.suppressed ? hiddenCell(s) : `${pct(s.agreeShare)} of ${s.n}`;
}

/** The report as blocks of Markdown, the description and the places of the charts. */
export function reportBlocks(report: Report): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  const push = (markdown: string, section: ReportSection) => blocks.push({ kind: "markdown", markdown, section });
  const min = report.minGroupSize;
  const generated = report.generatedAt.slice(0, 10);
  const ref = citer(new Set(report.statements.filter((st) => st.enteredByOutreach).map((st) => st.label)));

  push(`# ${md(report.title)}\n\n_Consultation report, ${generated}. Figures about fewer than ${min} people are never shown._`, "title");
  if (report.description) blocks.push({ kind: "user-markdown", markdown: report.description });

  // Summary
  const s = report.summary;
  const summary = [`## Summary`, "", `**Who took part.** ${md(s.whoTookPart)}`, ""];
  summary.push(`**What every group supports.**${s.supportedByAll.length ? "" : " No statement was agreed by a majority of every group."}`);
  if (s.supportedByAll.length) summary.push("", ...s.supportedByAll.map((r) => `- ${md(r.wording)} ${ref(r.label)}`));
  summary.push("", `**Where they divide.**${s.divides.length ? "" : " No statement divided the groups sharply."}`);
  if (s.divides.length) summary.push("", ...s.divides.map((d) => `- ${md(d.wording)} ${ref(d.label)}: ${md(d.between)}.`));
  push(summary.join("\n"), "summary");

  // Method
  const m = report.method;
  const method = ["## How this report was made", "", ...m.paragraphs.flatMap((p) => [md(p), ""])];
  for (const w of m.warnings) method.push(`> **Caution:** ${md(w)}`, "");
  push(method.join("\n").trimEnd(), "method");

  // Participation
  const p = report.participation;
  const rows = [...p.rows, ...(p.noGroup ? [p.noGroup] : [])];
  const part = ["## Who took part, by declared group", ""];
  if (!report.declaredGroups.length) {
    part.push(`People did not declare a stakeholder group. In all, ${md(countText(p.total))} people took part.`);
  } else {
    part.push(tableRow(["Group", "People", "Voted", "On the map"]), tableRow(["---", "---:", "---:", "---:"]));
    for (const r of rows) part.push(tableRow([md(r.name), md(countText(r.participants)), r.voters ? md(countText(r.voters)) : "–", md(countText(r.placed))]));
    part.push(tableRow(["**All**", `**${md(countText(p.total))}**`, "", ""]));
  }
  if (p.note) part.push("", `_${md(p.note)}_`);
  push(part.join("\n"), "participation");

  // Recommendations by theme
  push(
    report.recommendations.length
      ? `## Recommendations\n\nEach recommendation is a statement that a majority of every group agreed with. Where the facilitator reworded it, the participants' own words are quoted below it.`
      : `## Recommendations\n\nNo statement was agreed by a majority of every group with enough voters, so this consultation yields no recommendation. The areas of disagreement and what each group stressed are below.`,
    "recommendations",
  );
  const recById = new Map(report.recommendations.map((r) => [r.statementId, r]));
  for (const theme of report.themes) {
    push(`### ${md(theme.label)}`, "theme");
    for (const id of theme.recommendationIds) {
      const r = recById.get(id)!;
      const lines = [`#### ${md(r.wording)} ${ref(r.label)}`, "", md(r.basisText), "", `- ${md(`Everyone: ${fullFigureText(r.overall)}`)}`];
      lines.push(...r.groups.map((g) => `- ${line(g)}`));
      lines.push("", `**How stable:** ${md(r.stability.text)}`);
      for (const q of r.quotes) lines.push("", `> “${md(q)}” (the statement as participants wrote it, ${ref(r.label)})`);
      push(lines.join("\n"), "recommendation");
      blocks.push({ kind: "bars", statementId: r.statementId });
    }
  }

  // Disagreements
  const dis = ["## Where groups disagree", ""];
  if (!report.disagreements.length) dis.push("No statement divided the groups sharply.");
  for (const d of report.disagreements) {
    dis.push(`- ${md(d.wording)} ${ref(d.label)}: ${line(d.mostFor)}; ${line(d.mostAgainst)}.`);
  }
  push(dis.join("\n"), "disagreements");

  // What each group stressed
  const emph = ["## What each group stressed", "", "Statements on which a group voted clearly differently from everyone else."];
  if (report.emphases.declared.length) emph.push("", "### Declared groups", "", ...report.emphases.declared.map((e) => `${emphasisMarkdown(e, ref)}\n`));
  if (report.emphases.opinion.length) emph.push("", "### Opinion groups", "", ...report.emphases.opinion.map((e) => `${emphasisMarkdown(e, ref)}\n`));
  push(emph.join("\n").trimEnd(), "emphases");

  // Minority positions
  const mino = ["## Positions held strongly by one group", ""];
  if (!report.minorityPositions.length) mino.push("No statement was held strongly by one declared group alone.");
  for (const mp of report.minorityPositions) {
    mino.push(`- **${md(mp.groupName)}**: ${md(mp.wording)} ${ref(mp.label)}: ${pct(mp.agreeShare)} of the group agree, against ${pct(mp.othersAgreeShare)} of everyone else.`);
  }
  push(mino.join("\n"), "minority");

  // Map
  const map = ["## Map of opinions", ""];
  map.push(
    "Each mark is one person placed by how they voted: people who voted alike are close together. The axes have no names of their own; they are the two directions in which votes differed most.",
  );
  if (report.map.omittedNote) map.push("", `_${md(report.map.omittedNote)}_`);
  if (report.opinionGroups.length) {
    map.push("", tableRow(["Opinion group", "People"]), tableRow(["---", "---:"]));
    for (const o of report.opinionGroups) map.push(tableRow([md(o.name), `${md(countText(o.size))}${o.tooSmall ? " (too small to trust)" : ""}`]));
  }
  push(map.join("\n"), "map");
  blocks.push({ kind: "map" });

  // Appendix
  const opinionKeys = report.opinionGroups.map((o) => String(o.id));
  const app = [
    "## Appendix: all statements",
    "",
    "Votes on every statement. Group-aware consensus runs from 0 to 1 and is high only when every opinion group agrees.",
    "",
    tableRow(["Statement", "Text", "Agree", "Disagree", "Pass", "Votes", "Consensus", "By group", "Recommended"]),
    tableRow(["---", "---", "---:", "---:", "---:", "---:", "---:", "---", "---"]),
  ];
  for (const st of report.statements) {
    const t = st.total;
    const byGroup = report.declaredGroups.length
      ? report.declaredGroups.map((g) => `${md(g.name)}: ${supportCell(st.supportByGroup[g.id])}`)
      : opinionKeys.map((k) => `${md(report.opinionGroups.find((o) => String(o.id) === k)!.name)}: ${supportCell(st.supportByOpinionGroup[k])}`);
    app.push(
      tableRow([
        ref(st.label),
        md(st.text) + (st.edited ? ` (reworded: ${md(st.wording)})` : ""),
        t.suppressed ? "–" : String(t.agree),
        t.suppressed ? "–" : String(t.disagree),
        t.suppressed ? "–" : String(t.pass),
        t.suppressed ? hiddenCell(t) : String(t.n),
        fixed(st.groupAwareConsensus),
        byGroup.join("; ") || "–",
        st.isRecommendation ? "yes" : "",
      ]),
    );
  }
  push(app.join("\n"), "appendix");
  push(`---\n\n_Made with Polyphony (synthesis engine ${md(report.engine.version)}, seed ${report.engine.seed}). Figures about fewer than ${min} people are not shown._`, "footer");
  return blocks;
}

/** The whole report as one Markdown document (charts are in the HTML version). */
export function reportMarkdown(report: Report): string {
  return (
    reportBlocks(report)
      // The facilitator's Markdown goes out as Markdown, without raw HTML or unsafe links (whatever opens the file).
      .map((b) => (b.kind === "markdown" ? b.markdown : b.kind === "user-markdown" ? inertMarkdownSource(b.markdown) : b.kind === "map" ? "_The map is drawn in the HTML version of this report._" : null))
      .filter((x): x is string => x !== null)
      .join("\n\n") + "\n"
  );
}
