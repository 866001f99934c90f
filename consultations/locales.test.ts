/**
 * Parity of the locale files (consultations/locales/<code>.json) with English: the same keys (plural
 * forms as each language needs them), nothing empty, no English left in a translation, every
 * {{placeholder}} and <tag> of the English text kept.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const LOCALES = path.join(path.dirname(new URL(import.meta.url).pathname), "locales");
const read = (code: string) => JSON.parse(fs.readFileSync(path.join(LOCALES, `${code}.json`), "utf8")) as {
  language: Record<string, string>;
  translation: Record<string, unknown>;
  messages: Record<string, string>;
};
const CODES = fs
  .readdirSync(LOCALES)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -5))
  .sort();
const OTHERS = CODES.filter((c) => c !== "en");
const en = read("en");

/** Texts that are the same in every language (names of products and formats); add here with care. */
const SAME_IN_EVERY_LANGUAGE = new Set(["Polyphony", "Polis", "CSV", "JSON", "HTML", "Markdown", "SVG", "UTC"]);

const PLURAL = /_(zero|one|two|few|many|other)$/;

/**
 * The plural forms a language needs for counts people meet (0 to 1000): en, el: one, other; pt: one,
 * other (its "many" is only for millions written in compact form); pl, lt: one, few, many, other.
 */
function pluralForms(code: string): string[] {
  const rules = new Intl.PluralRules(code);
  const forms = new Set<string>();
  for (let n = 0; n <= 1000; n++) forms.add(rules.select(n));
  return [...forms].sort();
}

/** Leaves of a nested object as "a.b.c" → text. */
function leaves(tree: Record<string, unknown>, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const at = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object" && !Array.isArray(value)) for (const [k, v] of leaves(value as Record<string, unknown>, at)) out.set(k, v);
    else out.set(at, value);
  }
  return out;
}

/** The keys a language must have for English's keys: plural groups expanded to the language's forms. */
function expectedKeys(englishKeys: Iterable<string>, code: string): Set<string> {
  const out = new Set<string>();
  for (const key of englishKeys) {
    const m = PLURAL.exec(key);
    if (m) for (const form of pluralForms(code)) out.add(key.slice(0, m.index) + `_${form}`);
    else out.add(key);
  }
  return out;
}

/** The English text a translated key answers to (a plural form: English's `_other`, else `_one`). */
function englishFor(englishTexts: Map<string, unknown>, key: string): unknown {
  if (englishTexts.has(key)) return englishTexts.get(key);
  const m = PLURAL.exec(key);
  if (!m) return undefined;
  const base = key.slice(0, m.index);
  return englishTexts.get(`${base}_other`) ?? englishTexts.get(`${base}_one`) ?? englishTexts.get(base);
}

const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\{\s*([\w.]+)(?:\s*,[^}]*)?\s*\}\}/g)].map((m) => m[1]!))].sort();
const tags = (text: string) => [...new Set([...text.matchAll(/<\/?([\w]+)\s*\/?>/g)].map((m) => m[1]!))].sort();
/** Words outside placeholders and tags. */
const words = (text: string) => text.replace(/\{\{[^}]*\}\}|<[^>]*>/g, " ").split(/\s+/).filter((w) => /\p{L}/u.test(w));

/**
 * Messages are keyed by their English text. A message with {{count}} may be given once (the key itself)
 * or in plural forms (key + "_one", "_few"...; translateMessage passes the count as a number).
 */
function messageKeysFit(code: string, keys: string[]): string[] {
  const problems: string[] = [];
  const have = new Set(keys);
  const englishKeys = new Set(Object.keys(en.messages));
  for (const key of englishKeys) {
    if (PLURAL.test(key)) continue;
    const forms = pluralForms(code).map((f) => `${key}_${f}`);
    const given = forms.filter((k) => have.has(k));
    if (!have.has(key) && !(key.includes("{{count}}") && given.length === forms.length)) problems.push(`missing message: ${key}`);
    if (given.length && given.length !== forms.length) problems.push(`message ${key}: plural forms ${given.join(", ")} but ${code} needs ${forms.join(", ")}`);
  }
  for (const key of have) {
    const base = key.replace(PLURAL, "");
    if (!englishKeys.has(key) && !(PLURAL.test(key) && englishKeys.has(base) && base.includes("{{count}}"))) problems.push(`message not in en.json: ${key}`);
  }
  return problems;
}

describe("locale files", () => {
  it("include English and the four other languages of the issue", () => {
    expect(CODES).toEqual(expect.arrayContaining(["en", "pt", "el", "pl", "lt"]));
  });

  it("English plural groups have _one and _other", () => {
    const groups = new Map<string, Set<string>>();
    for (const key of leaves(en.translation).keys()) {
      const m = PLURAL.exec(key);
      if (m) (groups.get(key.slice(0, m.index)) ?? groups.set(key.slice(0, m.index), new Set()).get(key.slice(0, m.index))!).add(m[1]!);
    }
    const broken = [...groups].filter(([, forms]) => !forms.has("one") || !forms.has("other")).map(([base, forms]) => `${base}: ${[...forms].join(", ")}`);
    expect(broken).toEqual([]);
  });

  describe.each(OTHERS)("%s", (code) => {
    const file = read(code);
    const ours = leaves(file.translation);
    const english = leaves(en.translation);

    it("has a language name", () => {
      expect(file.language.name?.length).toBeGreaterThan(0);
      expect(file.language.englishName?.length).toBeGreaterThan(0);
    });

    it("has exactly the translation keys of en.json (plural forms as the language needs)", () => {
      const expected = expectedKeys(english.keys(), code);
      const missing = [...expected].filter((k) => !ours.has(k));
      const extra = [...ours.keys()].filter((k) => !expected.has(k));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it("has exactly the messages of en.json", () => {
      expect(messageKeysFit(code, Object.keys(file.messages ?? {}))).toEqual([]);
    });

    const texts: Array<[string, unknown, unknown]> = [
      ...[...ours].map(([key, value]): [string, unknown, unknown] => [`translation.${key}`, value, englishFor(english, key)]),
      ...Object.entries(file.messages ?? {}).map(([key, value]): [string, unknown, unknown] => [
        `messages: ${key}`,
        value,
        en.messages[key] ?? en.messages[key.replace(PLURAL, "")],
      ]),
    ];

    it("has no empty or non-text leaf", () => {
      const bad = texts.filter(([, value]) => typeof value !== "string" || value.trim() === "").map(([where]) => where);
      expect(bad).toEqual([]);
    });

    it("has no sentence left in English", () => {
      const copies = texts
        .filter(([, value, englishText]) => typeof value === "string" && value === englishText)
        .filter(([, value]) => words(value as string).length > 3 && !SAME_IN_EVERY_LANGUAGE.has((value as string).trim()))
        .map(([where]) => where);
      expect(copies).toEqual([]);
    });

    it("keeps every {{placeholder}} and <tag> of the English text", () => {
      const lost: string[] = [];
      for (const [where, value, englishText] of texts) {
        if (typeof value !== "string" || typeof englishText !== "string") continue;
        const wanted = placeholders(englishText).filter((p) => !(p === "count" && PLURAL.test(where)));
        const missingPlaceholders = wanted.filter((p) => !placeholders(value).includes(p));
        const missingTags = tags(englishText).filter((t) => !tags(value).includes(t));
        if (missingPlaceholders.length || missingTags.length) lost.push(`${where}: ${[...missingPlaceholders.map((p) => `{{${p}}}`), ...missingTags.map((t) => `<${t}>`)].join(" ")}`);
      }
      expect(lost).toEqual([]);
    });
  });
});
