/**
 * The published report per language, through the real server build (http-harness.ts): the page
 * /reports/:slug and the downloads .md/.html/.json/.csv take `?lang=` (zod-parsed): one of the
 * consultation's declared languages gives the fixed texts in it; an unknown or malformed code answers
 * 400 with a clear message; a known language the consultation does not declare answers 404. Without
 * `?lang=`, the visitor's interface language (cookie, then Accept-Language). User text is never translated.
 */
import { getDb } from "../../consultations/db/client";
import * as synthesis from "../../consultations/synthesis-runs";
import { moveToPhase } from "../factories";
import { get } from "./http-harness";
import { FAKE_ENGINE, synthesisWorld, type SynthesisWorld } from "./synthesis-world";

vi.setConfig({ testTimeout: 60_000 });

let w: SynthesisWorld;
const SHARED = "Drug checking should be free and anonymous at every festival.";

beforeAll(async () => {
  const db = await getDb();
  w = await synthesisWorld();
  // The consultation is held in English and Polish.
  await db.consultation.update({ where: { id: w.c.id }, data: { languages: "en,pl" } });
  const { id } = await synthesis.startRun(db, w.fac.viewer, w.c.key);
  await synthesis.runInWorker(id, { engineModule: FAKE_ENGINE });
  await moveToPhase(w.fac, w.c, "synthesis");
  await synthesis.publishReport(db, w.fac.viewer, w.c.key, { runId: id });
}, 120_000);

const path = (ext: string | null, query = "") => `/reports/${w.c.slug}${ext ? `.${ext}` : ""}${query}`;

describe("downloads with ?lang=", () => {
  it("Markdown in each declared language: fixed texts translated, user text as written", async () => {
    const en = await get(path("md", "?lang=en"));
    const pl = await get(path("md", "?lang=pl"));
    expect(en.status).toBe(200);
    expect(pl.status).toBe(200);
    expect(en.body).toContain("\n## Summary\n");
    expect(en.body).toContain("\n## How this report was made\n");
    expect(pl.body).toContain("\n## Podsumowanie\n");
    expect(pl.body).toContain("\n## Jak powstał ten raport\n");
    expect(pl.body).not.toContain("## Summary");
    for (const body of [en.body, pl.body]) {
      expect(body).toContain("# Drug checking services\n");
      expect(body).toContain(SHARED);
    }
    expect(pl.headers.get("Content-Language")).toBe("pl");
    expect(pl.headers.get("Content-Disposition")).toBe(`attachment; filename="${w.c.slug}-report.md"`);
  });

  it("HTML, JSON and CSV say the language and carry its fixed texts", async () => {
    const html = await get(path("html", "?lang=pl"));
    expect(html.status).toBe(200);
    expect(html.body).toContain(`<html lang="pl">`);
    expect(html.body).toContain("<h2>Podsumowanie</h2>");
    // Positions were written in English (the consultation's main language): marked as such in a Polish report.
    expect(html.body).toContain(`<span lang="en">${SHARED}</span>`);
    const json = JSON.parse((await get(path("json", "?lang=pl"))).body);
    expect(json.language).toBe("pl");
    expect(json.method.paragraphs[2]).toContain("Nigdy nie pokazujemy liczby dotyczącej mniej niż 5 osób.");
    const csv = (await get(path("csv", "?lang=pl"))).body;
    expect(csv.split("\n")[0]).toMatch(/^stwierdzenie,id,język,tekst,/);
  });

  it("an unknown or malformed language: 400 with a clear message, for every format and the page", async () => {
    for (const query of ["?lang=xx", "?lang=english", "?lang=", "?lang=../en", "?lang=PL"]) {
      for (const ext of ["md", "html", "json", "csv", null]) {
        const res = await get(path(ext, query));
        expect(res.status, `${ext} ${query}`).toBe(400);
        expect(res.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
        expect(res.body).toMatch(/^Unknown language ".*"\. Use one of: en, [a-z, ]+ and [a-z]+\.\n$/);
      }
    }
    // In the visitor's language.
    const pl = await get(path("md", "?lang=xx"), { headers: { "Accept-Language": "pl" } });
    expect(pl.body).toBe("Nieznany język „xx”. Użyj jednego z: en, el, lt, pl i pt.\n");
  });

  it("a language the consultation does not declare: 404, saying which it has", async () => {
    for (const ext of ["md", "html", "json", "csv", null]) {
      const res = await get(path(ext, "?lang=pt"));
      expect(res.status, String(ext)).toBe(404);
      expect(res.body).toBe(`This report is not available in "pt". It is available in: en and pl.\n`);
    }
  });

  it("without ?lang=: the interface language (cookie first, then Accept-Language), English otherwise", async () => {
    expect((await get(path("md"))).body).toContain("\n## Summary\n");
    const byHeader = await get(path("md"), { headers: { "Accept-Language": "pl-PL,pl;q=0.9" } });
    expect(byHeader.body).toContain("\n## Podsumowanie\n");
    expect(byHeader.headers.get("Vary")).toContain("Accept-Language");
    const byCookie = await get(path("md"), { cookie: "polyphony_lang=el", headers: { "Accept-Language": "pl" } });
    expect(byCookie.body).toContain("\n## Σύνοψη\n");
  });
});

describe("the public page", () => {
  it("renders in the interface language and links to the report in each declared language", async () => {
    const page = await get(path(null), { headers: { "Accept-Language": "pl" } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<html lang="pl">`);
    expect(page.body).toContain("<h2>Podsumowanie</h2>");
    expect(page.body).toContain(`<nav class="report-downloads" aria-label="Do pobrania">`);
    expect(page.body).toContain("Ten raport w języku:");
    expect(page.body).toContain(`<a href="/reports/${w.c.slug}?lang=en" hreflang="en" lang="en">English</a>`);
    expect(page.body).toContain(`<strong lang="pl" aria-current="page">Polski</strong>`);
    expect(page.body).toContain(`href="/reports/${w.c.slug}.csv"`);
    expect(page.body).toContain(`<title>Drug checking services · Raport · Polyphony</title>`);

    const en = await get(path(null, "?lang=en"), { headers: { "Accept-Language": "pl" } });
    expect(en.body).toContain(`<html lang="en">`);
    expect(en.body).toContain("<h2>Summary</h2>");
    // The downloads of a page in a chosen language are in that language too.
    expect(en.body).toContain(`href="/reports/${w.c.slug}.md?lang=en"`);
  });

  it("an unpublished or unknown report: 404 in the visitor's language", async () => {
    const res = await get("/reports/no-such-report", { headers: { "Accept-Language": "pl" } });
    expect(res.status).toBe(404);
    expect(res.body).toContain(`<html lang="pl">`);
    expect(res.body).toContain("Nie znaleziono tego raportu albo nie został jeszcze opublikowany.");
  });
});
