import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { LocaleFileSchema, negotiateLanguage, readLocales } from "./languages";

const SUPPORTED = ["en", "pt", "el", "pl", "lt"];
const LOCALES = path.join(path.dirname(new URL(import.meta.url).pathname), "locales");

describe("negotiateLanguage", () => {
  it.each([
    ["a regional tag matches its base language", "pt-BR", "pt"],
    ["a regional tag in capitals matches too", "EL-GR", "el"],
    ["the first supported language in order", "de, pl, en", "pl"],
    ["the highest q-value wins over order", "en;q=0.5, lt;q=0.9, pl;q=0.8", "lt"],
    ["equal q-values keep the header's order", "pl;q=0.7, pt;q=0.7", "pl"],
    ["a missing q-value counts as 1", "en;q=0.9, el", "el"],
    ["q=0 means not wanted", "pt;q=0, en;q=0.1", "en"],
    ["an unsupported language is skipped", "fr-FR, de;q=0.9, pt;q=0.1", "pt"],
    ["a typical browser header", "pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7", "pl"],
  ])("%s (%s)", (_label, header, expected) => {
    expect(negotiateLanguage(header, SUPPORTED)).toBe(expected);
  });

  it.each([
    ["only unsupported languages", "fr, de;q=0.8"],
    ["an empty header", ""],
    ["no header", null],
    ["a missing header", undefined],
    ["garbage", ";;;,,,==q"],
    ["a bad q-value", "pt;q=abc"],
    ["only a wildcard", "*"],
  ])("gives undefined for %s", (_label, header) => {
    expect(negotiateLanguage(header, SUPPORTED)).toBeUndefined();
  });

  it("reads only the first 20 entries of a very long header", () => {
    const header = [...Array.from({ length: 25 }, (_, i) => `x${i}`), "pt"].join(",");
    expect(negotiateLanguage(header, SUPPORTED)).toBeUndefined();
  });
});

describe("readLocales", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const folderWith = (files: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polyphony-locales-"));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  };
  const english = JSON.stringify({ language: { name: "English", englishName: "English" }, translation: { a: "A" } });

  it("reads a good folder, with defaults for dir and messages", () => {
    const read = readLocales(folderWith({ "en.json": english, "notes.txt": "not a locale" }));
    expect([...read.keys()]).toEqual(["en"]);
    expect(read.get("en")).toEqual({ language: { name: "English", englishName: "English", dir: "ltr" }, translation: { a: "A" }, messages: {} });
  });

  it("names a file that is not valid JSON", () => {
    const dir = folderWith({ "en.json": english, "pt.json": "{ not json" });
    expect(() => readLocales(dir)).toThrow(/Locale file pt\.json is not valid JSON/);
  });

  it("names a file that is not shaped like a locale file", () => {
    const dir = folderWith({ "en.json": english, "pl.json": JSON.stringify({ language: { name: "Polski" }, translation: {} }) });
    expect(() => readLocales(dir)).toThrow(/Locale file pl\.json is not a locale file: .* at language\.englishName/);
  });

  it("refuses a nested text that is not a string", () => {
    const dir = folderWith({ "en.json": english, "lt.json": JSON.stringify({ language: { name: "Lietuvių", englishName: "Lithuanian" }, translation: { a: 1 } }) });
    expect(() => readLocales(dir)).toThrow(/Locale file lt\.json is not a locale file/);
  });

  it("refuses a file name that is not a language code", () => {
    const dir = folderWith({ "en.json": english, "Portuguese.json": english });
    expect(() => readLocales(dir)).toThrow(/Locale file Portuguese\.json: the name must be a language code/);
  });

  it("refuses a folder without English", () => {
    const dir = folderWith({ "pt.json": JSON.stringify({ language: { name: "Português", englishName: "Portuguese" }, translation: {} }) });
    expect(() => readLocales(dir)).toThrow(/has no en\.json/);
  });
});

describe("the locale files", () => {
  it.each(SUPPORTED)("%s.json parses as a locale file", (code) => {
    const raw = JSON.parse(fs.readFileSync(path.join(LOCALES, `${code}.json`), "utf8"));
    const parsed = LocaleFileSchema.safeParse(raw);
    expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues[0])).toBe(true);
  });

  it("hold the five languages of the issue, all read together", () => {
    const read = readLocales(LOCALES);
    expect([...read.keys()]).toEqual(expect.arrayContaining(SUPPORTED));
    for (const file of read.values()) expect(file.language.dir).toBe("ltr");
  });
});
