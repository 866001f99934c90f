/**
 * The interface language over HTTP, as a browser without JavaScript: chosen from Accept-Language, then
 * changed with the language menu (a form post that sets a year-long cookie) and remembered by it; the
 * browser's copy of the texts (/locales/<code>.json) and its cache headers; bad choices refused.
 * Expected texts are read from the locale files, so a reworded text does not break the test.
 */
import { get, post } from "./http-harness";
import { escapeHtml, localeFile, localeText } from "../fixtures/locales";

const CODES = ["en", "pt", "el", "pl", "lt"];

describe("the interface language", () => {
  it.each(CODES)("Accept-Language %s gives the page in that language, with <html lang>", async (code) => {
    const res = await get("/", { headers: { "Accept-Language": `${code}-XX,${code};q=0.9,en;q=0.1` } });
    expect(res.status).toBe(200);
    expect(res.body).toContain(`<html lang="${code}" dir="ltr">`);
    expect(res.body).toContain(escapeHtml(localeText(code, "root.skipToContent")));
  });

  it("falls back to English for a language we do not have, and for a garbage header", async () => {
    for (const header of ["ja,zh;q=0.8", ";;;q=abc,,", "x".repeat(500)]) {
      const res = await get("/", { headers: { "Accept-Language": header } });
      expect(res.body).toContain('<html lang="en" dir="ltr">');
    }
  });

  it("the language menu sets a year-long cookie and goes back to the page; the cookie beats Accept-Language", async () => {
    const res = await post("/language", { lang: "lt", next: "/join?from=menu" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/join?from=menu");
    const cookie = res.setCookies.find((c) => c.startsWith("polyphony_lang="));
    expect(cookie).toMatch(/^polyphony_lang=lt; Path=\/; Max-Age=31536000; SameSite=Lax/);
    const page = await get("/join", { cookie: "polyphony_lang=lt", headers: { "Accept-Language": "pl" } });
    expect(page.body).toContain('<html lang="lt"');
    expect(page.body).toContain(escapeHtml(localeText("lt", "root.skipToContent")));
  });

  it("every page offers the menu with each language named in itself, marked with its lang", async () => {
    const res = await get("/join");
    for (const code of CODES) {
      const selected = code === "en" ? ' selected=""' : "";
      expect(res.body).toContain(`<option value="${code}" lang="${code}"${selected}>${escapeHtml(localeFile(code).language.name)}</option>`);
    }
    const page = await get("/language?next=/join");
    expect(page.status).toBe(200);
    expect(page.body).toContain(escapeHtml(localeText("en", "language.title")));
  });

  it("refuses an unknown language with 422 and sets no cookie; never redirects off the site", async () => {
    for (const lang of ["xx", "", "../en", "<b>"]) {
      const res = await post("/language", { lang, next: "/" });
      expect(res.status, lang).toBe(422);
      expect(res.setCookies.some((c) => c.startsWith("polyphony_lang="))).toBe(false);
    }
    const off = await post("/language", { lang: "pt", next: "//evil.example/x" });
    expect(off.status).toBe(302);
    expect(off.location).toBe("/");
    // A forged cookie value is ignored, not echoed.
    const forged = await get("/", { cookie: "polyphony_lang=<script>" });
    expect(forged.body).toContain('<html lang="en"');
  });

  it("the browser gets one language's texts, cached for a year under the current version only", async () => {
    const page = await get("/", { headers: { "Accept-Language": "el" } });
    const url = /<meta name="polyphony-texts" content="([^"]+)"/.exec(page.body)?.[1];
    // Not signed in as a facilitator, outside the facilitators' pages: the participant set of texts.
    expect(url).toMatch(/^\/locales\/el\.json\?v=[0-9a-f]{10}&amp;for=participant$/);
    const texts = await get(url!.replace(/&amp;/g, "&"));
    expect(texts.status).toBe(200);
    expect(texts.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const body = JSON.parse(texts.body) as { translation: { root: Record<string, string> }; messages: Record<string, string> };
    expect(body.translation.root.skipToContent).toBe(localeText("el", "root.skipToContent"));
    expect(Object.keys(body)).toEqual(["translation", "messages"]);
    // The report's texts are rendered on the server only: not downloaded by any page; the facilitators'
    // texts only by their pages (here the sign-in page), under a version of their own.
    expect(body.translation).not.toHaveProperty("report");
    expect(body.translation).toHaveProperty("participant");
    expect(body.translation).not.toHaveProperty("facilitator");
    const loginUrl = /<meta name="polyphony-texts" content="([^"]+)"/.exec((await get("/login", { headers: { "Accept-Language": "el" } })).body)?.[1];
    expect(loginUrl).toMatch(/^\/locales\/el\.json\?v=[0-9a-f]{10}$/);
    const all = await get(loginUrl!);
    expect(all.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const allBody = JSON.parse(all.body) as { translation: Record<string, unknown> };
    expect(allBody.translation).toHaveProperty("facilitator");
    expect(allBody.translation).toHaveProperty("participant");
    expect(allBody.translation).not.toHaveProperty("report");
    const stale = await get("/locales/el.json?v=old");
    expect(stale.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect((await get("/locales/xx.json")).status).toBe(404);
  });
});
