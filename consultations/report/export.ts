/**
 * The report as JSON and CSV for people who work on the figures themselves.
 *
 * JSON is the Report as it is: structured sections, suppressed figures as { suppressed: true, minimum },
 * and the map as anonymous points {x, y, opinionGroup, declaredGroup}: no participant id or pseudonym.
 * CSV is one row per statement with its tallies and per-group rates, safe to open in a spreadsheet
 * (no cell can start a formula; see csvCell).
 */
import { toCsv } from "../polis/csv";
import { hiddenCell } from "./figures";
import type { Report, ShownSupport } from "./types";

/** Keys a report JSON may never carry: they would point at people. */
const PERSON_KEYS = new Set(["participantId", "participantIds", "pseudonym", "pseudonyms", "authorId", "voterId"]);

/** The report as a JSON-safe object (the map's points carry no ids). */
export function reportJsonObject(report: Report): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
  assertNoPersonKeys(copy);
  return copy;
}

/** The report as pretty-printed JSON text. */
export function reportJson(report: Report): string {
  return `${JSON.stringify(reportJsonObject(report), null, 2)}\n`;
}

function assertNoPersonKeys(value: unknown, path = "report"): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoPersonKeys(v, `${path}[${i}]`));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (PERSON_KEYS.has(k)) throw new Error(`a report must not carry ${k} (at ${path})`);
      assertNoPersonKeys(v, `${path}.${k}`);
    }
  }
}

const percent = (share: number) => Math.round(share * 1000) / 10;

function supportCells(s: ShownSupport | undefined): Array<string | number> {
  if (!s) return ["", "", "", ""];
  if (s.suppressed) return Array(4).fill(hiddenCell(s));
  return [s.n, percent(s.agreeShare), percent(s.disagreeShare), percent(s.passShare)];
}

/** One row per statement: tallies, consensus, stability and per-group rates (percent of votes). */
export function reportCsv(report: Report): string {
  const groupCols = report.declaredGroups.flatMap((g) => [`${g.name}: votes`, `${g.name}: agree %`, `${g.name}: disagree %`, `${g.name}: pass %`]);
  const opinionCols = report.opinionGroups.flatMap((o) => [`${o.name}: votes`, `${o.name}: agree %`, `${o.name}: disagree %`, `${o.name}: pass %`]);
  const header = [
    "statement",
    "id",
    "text",
    "facilitator wording",
    "theme",
    "recommendation",
    "recommendation stability",
    "agree",
    "disagree",
    "pass",
    "votes",
    "agree %",
    "disagree %",
    "pass %",
    "group-aware consensus",
    "declared-group consensus",
    "bridges declared groups",
    "bridges opinion groups",
    ...groupCols,
    ...opinionCols,
  ];
  const rows = report.statements.map((s) => {
    const t = s.total;
    const totals: Array<string | number> = t.suppressed
      ? Array(7).fill(hiddenCell(t))
      : [t.agree, t.disagree, t.pass, t.n, percent(t.agreeShare), percent(t.disagreeShare), percent(t.passShare)];
    return [
      s.label,
      s.id,
      s.text,
      s.edited ? s.wording : "",
      s.theme?.label ?? "",
      s.isRecommendation,
      s.recommendationStability === null ? "" : Math.round(s.recommendationStability * 1000) / 1000,
      ...totals,
      Math.round(s.groupAwareConsensus * 10_000) / 10_000,
      Math.round(s.declaredGroupConsensus * 10_000) / 10_000,
      s.bridgesDeclaredGroups,
      s.bridgesOpinionGroups,
      ...report.declaredGroups.flatMap((g) => supportCells(s.supportByGroup[g.id])),
      ...report.opinionGroups.flatMap((o) => supportCells(s.supportByOpinionGroup[String(o.id)])),
    ];
  });
  return toCsv([header, ...rows]);
}
