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
import { reportLocale } from "./locale";
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

/**
 * One row per statement: tallies, consensus, stability and per-group rates (percent of votes). Headers
 * and words (yes / no, "fewer than 5") are in the report's language; numbers stay plain numbers
 * (a dot for decimals), so a spreadsheet reads them as numbers in any language.
 */
export function reportCsv(report: Report): string {
  const loc = reportLocale(report.language);
  const t = (key: string) => loc.t(`csv.${key}`);
  const supportCells = (s: ShownSupport | undefined): Array<string | number> => {
    if (!s) return ["", "", "", ""];
    if (s.suppressed) return Array(4).fill(hiddenCell(loc, s));
    return [s.n, percent(s.agreeShare), percent(s.disagreeShare), percent(s.passShare)];
  };
  const columnsOf = (group: string) => ["votes", "agreePct", "disagreePct", "passPct"].map((c) => loc.t("csv.groupColumn", { group, column: t(c) }));
  const yesNo = (b: boolean) => t(b ? "yes" : "no");
  const header = [
    ...["statement", "id", "language", "text", "wording", "theme", "recommendation", "stability", "agree", "disagree", "pass", "votes", "agreePct", "disagreePct", "passPct", "consensus", "declaredConsensus", "bridgesDeclared", "bridgesOpinion"].map(t),
    ...report.declaredGroups.flatMap((g) => columnsOf(g.name)),
    ...report.opinionGroups.flatMap((o) => columnsOf(o.name)),
  ];
  const rows = report.statements.map((s) => {
    const tot = s.total;
    const totals: Array<string | number> = tot.suppressed
      ? Array(7).fill(hiddenCell(loc, tot))
      : [tot.agree, tot.disagree, tot.pass, tot.n, percent(tot.agreeShare), percent(tot.disagreeShare), percent(tot.passShare)];
    return [
      s.label,
      s.id,
      s.language ?? "",
      s.text,
      s.edited ? s.wording : "",
      s.theme?.label ?? "",
      yesNo(s.isRecommendation),
      s.recommendationStability === null ? "" : Math.round(s.recommendationStability * 1000) / 1000,
      ...totals,
      Math.round(s.groupAwareConsensus * 10_000) / 10_000,
      Math.round(s.declaredGroupConsensus * 10_000) / 10_000,
      yesNo(s.bridgesDeclaredGroups),
      yesNo(s.bridgesOpinionGroups),
      ...report.declaredGroups.flatMap((g) => supportCells(s.supportByGroup[g.id])),
      ...report.opinionGroups.flatMap((o) => supportCells(s.supportByOpinionGroup[String(o.id)])),
    ];
  });
  return toCsv([header, ...rows]);
}
