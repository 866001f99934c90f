/**
 * Reports per language: the same report composed in English and Polish has its fixed texts (headings,
 * method, figures in words, table and chart labels, notes) from each locale file, numbers formatted
 * per language, user text untouched, suppression unchanged; user text of a known language is marked
 * with `lang` in the HTML.
 */
import { describe, expect, it } from "vitest";

import { localeOf } from "../languages";
import { composeReport } from "./compose";
import { reportCsv, reportJson } from "./export";
import { reportHtml } from "./html";
import { reportLocale } from "./locale";
import { reportMarkdown } from "./markdown";
import { FIXTURE_GROUPS, FIXTURE_TEXTS, fixtureResult } from "./testing/fixture";
import type { ComposeMeta } from "./types";
import { parseCsv } from "../polis/csv";

const EDITS = { "pos-4": "Police stop confiscating sterile injecting equipment" };

function compose(language: string | undefined, meta: Partial<ComposeMeta> = {}) {
  const result = fixtureResult();
  // Large enough to show grouping: 12,345 in English, 12 345 in Polish.
  result.meta.votes = 12_345;
  return composeReport(result, {
    title: "Drug policy and policing",
    groups: FIXTURE_GROUPS,
    generatedAt: "2026-11-23T10:00:00Z",
    minGroupSize: 5,
    edits: EDITS,
    ...(language ? { language } : {}),
    ...meta,
  });
}

/** A text of the locale file itself (report.<key>), to assert against the file and not a copy. */
function fileText(lang: string, key: string): string {
  let node: unknown = localeOf(lang).translation.report;
  for (const part of key.split(".")) node = (node as Record<string, unknown>)[part];
  if (typeof node !== "string") throw new Error(`no report.${key} in ${lang}.json`);
  return node;
}

const NBSP = "\u00a0";

describe("fixed texts per language", () => {
  const en = reportMarkdown(compose("en"));
  const pl = reportMarkdown(compose("pl"));

  it("has the headings of each language's locale file", () => {
    for (const key of ["summary", "method", "participation", "recommendations", "disagreements", "emphases", "minority", "map"]) {
      expect(en).toContain(`\n## ${fileText("en", `doc.${key}`)}\n`);
      expect(pl).toContain(`\n## ${fileText("pl", `doc.${key}`)}\n`);
    }
    // The exact words, so a change in a locale file is a visible change here too.
    expect(en).toContain("\n## How this report was made\n");
    expect(en).toContain("\n## Appendix: all statements\n");
    expect(pl).toContain("\n## Jak powstał ten raport\n");
    expect(pl).toContain("\n## Podsumowanie\n");
    expect(pl).toContain("\n## Załącznik: wszystkie stwierdzenia\n");
    expect(pl).toContain("| Grupa | Osoby | Głosowali | Na mapie |");
    expect(pl).not.toContain("How this report was made");
    expect(pl).not.toContain("Who took part");
  });

  it("formats numbers, percentages, decimals and the day in the report's language", () => {
    expect(en).toContain("28 people took part and cast 12,345 votes on 6 statements; on average each person voted on 82% of the statements.");
    expect(pl).toContain(`Udział wzięło 28 osób. Oddano 12${NBSP}345 głosów na 6 stwierdzeń; średnio każda osoba głosowała na 82% stwierdzeń.`);
    expect(en).toContain("_Consultation report, 23 November 2026.");
    expect(pl).toContain("_Raport z konsultacji, 23 listopada 2026.");
    // Consensus in the appendix: a decimal point in English, a comma in Polish.
    expect(en).toMatch(/\| 28 \| 0\.41 \|/);
    expect(pl).toMatch(/\| 28 \| 0,41 \|/);
    // Polish groups from five digits; Lithuanian from four; both with a no-break space.
    expect(reportLocale("pl").number(1234)).toBe("1234");
    expect(reportLocale("lt").number(1234)).toBe(`1${NBSP}234`);
    expect(reportLocale("en").number(1234)).toBe("1,234");
    expect(reportLocale("lt").percent(0.666)).toBe(`67${NBSP}%`);
  });

  it("uses each language's plural forms", () => {
    const pl = reportLocale("pl");
    expect([1, 2, 5, 22, 25].map((n) => pl.count("count.people", n))).toEqual(["1 osoba", "2 osoby", "5 osób", "22 osoby", "25 osób"]);
    const en = reportLocale("en");
    expect([1, 2].map((n) => en.count("count.people", n))).toEqual(["1 person", "2 people"]);
  });

  it("writes figures in words in the language", () => {
    expect(en).toContain("- Peers who use drugs: 7 of 8 agree (88%)");
    expect(pl).toContain("- Peers who use drugs: 7 z 8 się zgadza (88%)");
    expect(pl).toContain("- Wszyscy: 23 z 28 się zgadza (82%), nie zgadza się: 2, pomija: 3");
  });

  it("leaves user text as written: statements, the facilitator's wording, group names, the title", () => {
    for (const md of [en, pl]) {
      expect(md).toContain("# Drug policy and policing\n");
      expect(md).toContain("#### Police stop confiscating sterile injecting equipment \\[P4\\]");
      for (const text of Object.values(FIXTURE_TEXTS)) expect(md).toContain(text);
      for (const g of FIXTURE_GROUPS) expect(md).toContain(g.name);
    }
    const report = compose("pl");
    expect(report.statements.map((s) => s.text)).toEqual(compose("en").statements.map((s) => s.text));
    expect(report.recommendations.map((r) => r.wording)).toEqual(compose("en").recommendations.map((r) => r.wording));
  });

  it("still hides every figure about fewer than the minimum, in every format", () => {
    const report = compose("pl");
    const md = reportMarkdown(report);
    expect(md).toContain("- Police: głosowało mniej niż 5");
    expect(md).toContain("| Police | mniej niż 5 | mniej niż 5 | mniej niż 5 |");
    expect(md).toContain("- Outreach workers: nie pokazano, aby chronić mniejszą grupę");
    for (const text of [md, reportHtml(report)]) {
      expect(text).not.toMatch(/Police: \d/);
      expect(text).not.toMatch(/Police[^.\n<]{0,20}\d+ z \d+/);
    }
    const [header, ...rows] = parseCsv(reportCsv(report)).map((r) => r.fields);
    const policeCols = header.map((h, i) => [h, i] as const).filter(([h]) => h.startsWith("Police: "));
    expect(policeCols.map(([h]) => h)).toEqual(["Police: głosy", "Police: zgoda %", "Police: brak zgody %", "Police: pominięcie %"]);
    for (const row of rows) for (const [, i] of policeCols) expect(row[i]).toMatch(/^(mniej niż 5|nie pokazano)$/);
  });

  it("says the language in the HTML and JSON, and falls back to English for an unknown one", () => {
    expect(reportHtml(compose("pl"))).toContain(`<html lang="pl">`);
    expect(reportHtml(compose("en"))).toContain(`<html lang="en">`);
    expect(JSON.parse(reportJson(compose("pl"))).language).toBe("pl");
    const unknown = compose("xx");
    expect(unknown.language).toBe("en");
    expect(reportMarkdown(unknown)).toBe(reportMarkdown(compose(undefined)));
  });

  it("keeps CSV numbers plain numbers in every language", () => {
    const [header, p1] = parseCsv(reportCsv(compose("pl"))).map((r) => r.fields);
    const col = (name: string) => header.indexOf(name);
    expect(p1[col("zgoda %")]).toBe("82.1");
    expect(p1[col("rekomendacja")]).toBe("tak");
    expect(p1[col("głosy")]).toBe("28");
  });
});

describe("the method section in plain words", () => {
  const report = compose("en");
  const method = report.method.paragraphs.join("\n");

  it("explains the words of the report with the engine's thresholds", () => {
    expect(method).toContain(`"Every group supports" means: in every group where at least 5 people voted on the statement, more than half of them agreed.`);
    expect(method).toContain(`"Groups divide" means: one group agrees much more than another. Their shares of agree votes are 30 points or more apart`);
    expect(method).toContain("Opinion groups are made from the votes alone.");
    expect(method).toContain("We never show a number about fewer than 5 people. With so few people, someone could guess who they are or how they voted.");
    expect(method).toContain("Nobody is named in this report.");
    expect(method).toContain("2 agrees out of 2 votes counts as 75%, not 100%.");
  });

  it("follows the consultation's minimum", () => {
    const strict = composeReport(fixtureResult(), { title: "T", groups: FIXTURE_GROUPS, generatedAt: "2026-11-23", minGroupSize: 8 });
    expect(strict.method.paragraphs.join("\n")).toContain("We never show a number about fewer than 8 people.");
  });

  it("uses short sentences (no sentence over 40 words outside the part for specialists)", () => {
    for (const lang of ["en", "pt", "el", "pl", "lt"]) {
      const paragraphs = compose(lang).method.paragraphs.slice(0, -1);
      for (const sentenceText of paragraphs.join(" ").split(/(?<=[.!?])\s+/)) {
        expect(sentenceText.split(/\s+/).length, `${lang}: ${sentenceText}`).toBeLessThanOrEqual(40);
      }
    }
  });
});

describe("user text marked with its language", () => {
  const languages = { "pos-1": "pt", "pos-2": "pl", "pos-4": "el" };

  it("wraps a statement written in another language in lang in the HTML only", () => {
    const report = compose("en", { statementLanguages: languages });
    expect(report.statements.find((s) => s.id === "pos-1")!.language).toBe("pt");
    const html = reportHtml(report);
    expect(html).toContain(`<span lang="pt">Fund peer-led outreach in every district</span>`);
    expect(html).toContain(`<span lang="pl">Decriminalise possession of drugs for personal use</span>`);
    // A reworded statement's wording is the facilitator's (language unknown); the quoted original keeps its own.
    expect(html).not.toContain(`<span lang="el">Police stop confiscating`);
    expect(html).toContain(`<span lang="el">police should stop confiscating needles</span>`);
    expect(html).not.toMatch(/[\uE000-\uE002]/);
    const md = reportMarkdown(report);
    expect(md).not.toMatch(/[\uE000-\uE002]/);
    expect(md).not.toContain("<span");
  });

  it("does not mark text in the report's own language", () => {
    const html = reportHtml(compose("pt", { statementLanguages: languages }));
    expect(html).not.toContain(`<span lang="pt">`);
    expect(html).toContain(`<span lang="pl">Decriminalise`);
  });

  it("cannot be forged by a statement's text", () => {
    const result = fixtureResult();
    result.statements[0].text = "\uE000xx\uE001forged\uE002 and \uE002 <span lang=\"de\">";
    const html = reportHtml(composeReport(result, { title: "T", groups: FIXTURE_GROUPS, generatedAt: "2026-11-23", minGroupSize: 5 }));
    expect(html).not.toContain(`lang="xx"`);
    expect(html).not.toContain(`<span lang="de">`);
    expect(html).not.toMatch(/[\uE000-\uE002]/);
  });
});

describe("charts: never colour alone, described in words, in the language", () => {
  it("bars: patterns for disagree and pass, written shares, a title and a description", () => {
    const html = reportHtml(compose("pl"));
    const bars = html.match(/<svg[^>]*class="chart chart-bars"[\s\S]*?<\/svg>/)![0];
    expect(bars).toMatch(/role="img" aria-labelledby="bars-1-title bars-1-desc"/);
    expect(bars).toContain(`<title id="bars-1-title">Głosy na P4 według grupy: odsetki zgody, braku zgody i pominięć</title>`);
    expect(bars).toContain(`<desc id="bars-1-desc">${fileText("pl", "chart.barsDesc")} Wszyscy (głosy: 28): zgoda 96%, brak zgody 0%, pominięcia 4%.`);
    expect(bars).toContain("Police: głosowało mniej niż 5.");
    expect(bars).toMatch(/<pattern id="bars-1-disagree"/);
    expect(bars).toMatch(/<pattern id="bars-1-pass"/);
    expect(bars).toContain(">Zgadzam się</text>");
    expect(bars).toContain(">Peers who use drugs (głosy: 8): zgoda 88%, brak zgody 0%, pominięcia 13%</text>");
  });

  it("map: a shape per group named in its description, labels and toggle in the language", () => {
    const html = reportHtml(compose("pl"));
    const map = html.match(/<svg[^>]*class="chart chart-map"[\s\S]*?<\/svg>/)![0];
    expect(map).toContain(`<title id="map-opinion-title">Mapa opinii, oznaczenie: grupa opinii</title>`);
    expect(map).toMatch(/<desc id="map-opinion-desc">[^<]*Grupy na mapie: Grupa opinii A \(koło\), Grupa opinii B \(kwadrat\)/);
    expect(map).toContain(">Grupy opinii</text>");
    expect(html).toContain(`<label for="map-colour-declared" class="map-controls">podanej grupy</label>`);
    expect(html).toContain(fileText("pl", "doc.mapOpinionAlt"));
  });
});
