/**
 * Every export of a report (Markdown, HTML, JSON, CSV) dates it to the day only, and shows no count,
 * rate or chart about fewer people than the minimum: checked on the fixture (Police: 3 people, an
 * opinion group of 3) and on the same consultation with a minimum above its size (nothing may be shown).
 */
import { describe, expect, it } from "vitest";

import { parseCsv } from "../polis/csv";
import { composeReport } from "./compose";
import { reportCsv, reportJson } from "./export";
import { reportHtml } from "./html";
import { reportMarkdown } from "./markdown";
import { FIXTURE_GROUPS, fixtureResult } from "./testing/fixture";
import type { Report } from "./types";

const AT = "2026-11-23T22:47:13.123Z";
/** One filled segment of a support bar (svg.ts: agree / disagree / pass patterns). */
const BAR_SEGMENT = /<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="16" fill="(?!none)/;

function compose(minGroupSize: number): Report {
  return composeReport(fixtureResult(), { title: "T", groups: FIXTURE_GROUPS, generatedAt: AT, minGroupSize });
}

function exportsOf(report: Report) {
  return { md: reportMarkdown(report), html: reportHtml(report), json: reportJson(report), csv: reportCsv(report) };
}

/** Every object in a JSON value that looks like a shown or hidden figure. */
function figures(value: unknown, path = "report", out: Array<{ path: string; figure: Record<string, unknown> }> = []) {
  if (Array.isArray(value)) value.forEach((v, i) => figures(v, `${path}[${i}]`, out));
  else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if ("suppressed" in o) out.push({ path, figure: o });
    for (const [k, v] of Object.entries(o)) figures(v, `${path}.${k}`, out);
  }
  return out;
}

describe("timestamps", () => {
  // Case: a report generated late in the evening carries its day, no time, in every format.
  it("every format carries the day (YYYY-MM-DD) and no time of day", () => {
    const report = compose(5);
    expect(report.generatedAt).toBe("2026-11-23");
    const files = exportsOf(report);
    for (const [format, text] of Object.entries(files)) {
      expect(text, format).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
      expect(text, format).not.toMatch(/\b(?:[01]\d|2[0-3]):[0-5]\d\b/);
      expect(text, format).not.toContain("22:47");
    }
    expect(JSON.parse(files.json).generatedAt).toBe("2026-11-23");
    // Markdown and HTML say the day in words, in the report's language.
    expect(files.md).toContain("Consultation report, 23 November 2026.");
  });
});

describe("small groups in every export", () => {
  // Case: the fixture's Police group (3 people, minimum 5) has no figure anywhere.
  it("a declared group below the minimum has no count, rate or bar in any format", () => {
    const report = compose(5);
    const files = exportsOf(report);
    const json = JSON.parse(files.json);
    for (const st of json.statements) expect(st.supportByGroup.police, st.label).toMatchObject({ suppressed: true });
    const police = json.participation.rows.find((r: { id?: string; name: string }) => r.name === "Police");
    expect(police.participants).toMatchObject({ suppressed: true });
    // CSV: every Police column reads "fewer than 5" or "not shown".
    const [header, ...rows] = parseCsv(files.csv).map((r) => r.fields);
    const policeCols = header.map((h, i) => [h, i] as const).filter(([h]) => h.startsWith("Police:"));
    expect(policeCols).toHaveLength(4);
    for (const row of rows) for (const [, i] of policeCols) expect(row[i]).toMatch(/^(fewer than 5|not shown)$/);
    // Markdown and HTML: "Police" never stands next to a figure.
    for (const text of [files.md, files.html]) {
      expect(text).not.toMatch(/Police: \d/);
      expect(text).not.toMatch(/Police[^.\n<]{0,20}\d+ of \d+/);
    }
    // No point of the Police group on the map.
    expect(json.map.points.some((p: { declaredGroup: string }) => p.declaredGroup === "police")).toBe(false);
  });

  // Case: an opinion group of 3 (and the one that would give it away) has no size shown.
  it("opinion group sizes below the minimum are hidden in JSON and Markdown", () => {
    const files = exportsOf(compose(5));
    const json = JSON.parse(files.json);
    expect(json.opinionGroups.map((o: { size: { suppressed: boolean } }) => o.size.suppressed)).toEqual([false, true, true]);
    expect(files.md).toMatch(/\| Opinion group C \| fewer than 5 \(too small to trust\) \|/);
    expect(files.md).not.toMatch(/\| Opinion group C \| 3/);
  });

  // Case: fewer people took part than the minimum: no figure about people anywhere, and no chart.
  it("with a minimum above the number of people, every figure about people is hidden and nothing is drawn", () => {
    const report = compose(50);
    const files = exportsOf(report);
    const json = JSON.parse(files.json);
    const shown = figures(json).filter((f) => f.figure.suppressed === false);
    expect(shown).toEqual([]);
    expect(figures(json).length).toBeGreaterThan(20);
    expect(json.summary.votes).toMatchObject({ suppressed: true });
    expect(json.summary.density).toBeNull();
    expect(json.method.clustering.clusteredParticipants).toMatchObject({ suppressed: true });
    expect(json.map.points).toEqual([]);
    expect(report.summary.whoTookPart).toContain("Fewer than 50 people took part");
    // The method text gives no head count either.
    expect(report.method.paragraphs.join(" ")).toContain("among fewer than 50 people placed on the map");
    expect(report.method.paragraphs.join(" ")).not.toMatch(/among \d+ (person|people)/);
    // CSV: no vote count or percentage cell.
    const [header, ...rows] = parseCsv(files.csv).map((r) => r.fields);
    const countCols = header.map((h, i) => [h, i] as const).filter(([h]) => /(^|: )(votes|agree|disagree|pass)( %)?$/.test(h));
    expect(countCols.length).toBeGreaterThan(8);
    for (const row of rows) for (const [h, i] of countCols) expect(row[i], h).toMatch(/^(fewer than 50|not shown)$/);
    // HTML: no support bars (a bar is drawn from a figure), no map marks.
    expect(files.html).not.toMatch(BAR_SEGMENT);
    expect(exportsOf(compose(5)).html, "the bar detector finds bars when there are figures").toMatch(BAR_SEGMENT);
    // (The method's worked example, 'A figure like "…: 4 of 5 agree (80%)"', is not a figure of this consultation.)
    const withoutExample = (text: string) => text.replace(/A figure like (?:"|&quot;|“).*?(?:"|&quot;|”)/g, "");
    expect(withoutExample(files.html)).not.toMatch(/\d+ of \d+ agree/);
    expect(withoutExample(files.md)).not.toMatch(/\d+ of \d+ agree/);
    expect(withoutExample(files.html)).toContain("Fewer than 50 people took part");
  });
});
