/**
 * Every English message the domain and the servers can show to a person has a translation: the source
 * (consultations/**, realtime/**, app/**\/*.server.ts, not tests) is scanned for the string literals
 * given to the error helpers (invalid, conflict, forbidden, notFound, unauthenticated, new DomainError),
 * zod messages, rate-limit and socket messages and HTTP error texts (tests/i18n-scan.ts), and each must
 * be a key of the `messages` catalogue in consultations/locales/en.json, or fit one of its {{templates}}
 * (then each value put in it that is text, such as a field label, must be a message too).
 *
 * A failure here lists the new messages: add them to the `messages` of every locale file.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { createI18n, translateMessage, type LocaleTexts } from "../app/i18n";
import { coverage, scanMessages, scanSource } from "../tests/i18n-scan";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const localeFile = (code: string) => JSON.parse(fs.readFileSync(path.join(ROOT, "consultations", "locales", `${code}.json`), "utf8")) as LocaleTexts;
const catalogue = localeFile("en").messages;

/** A value put into a template that needs no translation: a number, or a part that is itself variable. */
const needsNoTranslation = (value: string) => /^[\d\s.,]*$/.test(value) || value.includes("{{}}");

describe("the scanner", () => {
  const found = (source: string) => [...new Set(scanSource(source, "consultations/example.ts").map((m) => m.text))].sort();

  it("finds the call shapes", () => {
    expect(
      found(`
        throw invalid("Email or password is not right.", { form: ["Email or password is not right."] });
        throw conflict(done ? "The report is already published." : "This synthesis has not finished.");
        throw forbidden(\`You can have at most \${max} groups.\`);
        throw new DomainError("invalid", "Please confirm first.", {});
        throw notFound("This position");
        const Name = z.string({ error: "Choose a name." }).min(2, "A name needs at least 2 characters.").max(9, \`At most \${9} characters.\`);
        const Flag = z.boolean().refine((v) => v, "Confirm that the peer agreed.");
        const limit = { name: "x", message: "You have voted very quickly." };
        const { to } = parseInput(MovePhaseInput, raw, "Choose a phase.");
        // forbidden("A comment is not a message.")
      `),
    ).toEqual(
      [
        "Email or password is not right.",
        "The report is already published.",
        "This synthesis has not finished.",
        "You can have at most {{}} groups.",
        "Please confirm first.",
        "A name needs at least 2 characters.",
        "At most {{}} characters.",
        "Confirm that the peer agreed.",
        "Choose a name.",
        "You have voted very quickly.",
        "This position was not found.",
        "Choose a phase.",
      ].sort(),
    );
  });

  it("resolves a constant given by name", () => {
    expect(found(`const TAKEN = "This pseudonym is already taken.";\nif (taken) throw conflict(TAKEN);`)).toEqual(["This pseudonym is already taken."]);
  });

  it("ignores words that are not sentences (kinds, codes, field names)", () => {
    expect(found(`throw new DomainError("not_found", "x"); fail(404, "code"); message: "ok"`)).toEqual([]);
  });

  it("matches a template of the catalogue, with the values it takes", () => {
    const keys = { "{{label}} is required.": "", "A pseudonym needs at least {{min}} characters.": "", "{{label}} needs at least {{min}} characters.": "" };
    expect(coverage("Title is required.", keys)).toEqual({ key: "{{label}} is required.", values: ["Title"] });
    expect(coverage("A pseudonym needs at least {{}} characters.", keys)).toEqual({ key: "A pseudonym needs at least {{min}} characters.", values: [] });
    expect(coverage("Password needs at least {{}} characters.", keys)?.values).toEqual(["Password", "{{}}"]);
    expect(coverage("Something else.", keys)).toBeNull();
  });

  it("finds a good number of messages in the source (it still reads the code)", () => {
    expect(scanMessages(ROOT).length).toBeGreaterThan(200);
  });
});

describe("the messages catalogue (consultations/locales/en.json)", () => {
  const found = scanMessages(ROOT);

  it("has every message the domain and the servers can show", () => {
    const missing = new Map<string, string>();
    for (const message of found) {
      const match = coverage(message.text, catalogue);
      if (!match) missing.set(message.text, message.where);
      else
        for (const value of match.values)
          if (!needsNoTranslation(value) && !(value in catalogue)) missing.set(value, `${message.where} (put into "${match.key}")`);
    }
    expect(Object.fromEntries(missing)).toEqual({});
  });

  it("has every label put into the schema messages", () => {
    const labels = found.filter((m) => m.label && !(m.text in catalogue));
    expect(labels.map((m) => `${m.text} (${m.where})`)).toEqual([]);
  });

  it("has no empty English text, and a template's text keeps placeholders", () => {
    const bad = Object.entries(catalogue).filter(([key, value]) => !value.trim() || (key.includes("{{") && !value.includes("{{")));
    expect(bad).toEqual([]);
  });

  describe.each(["pt", "el", "pl", "lt"])("in %s", (code) => {
    const locales = { en: localeFile("en"), [code]: localeFile(code) };
    const instance = createI18n(code, locales);

    it("every message reads translated (translateMessage finds its key or template)", () => {
      const untranslated = [...new Set(found.map((m) => m.text))]
        // A figure where the source has a variable part.
        .map((text) => text.replace(/\{\{\}\}/g, "7"))
        .filter((text) => translateMessage(instance, text) === text)
        // A message this language has no text for yet is the parity test's finding (consultations/locales.test.ts).
        .filter((text) => {
          const match = coverage(text, catalogue);
          return !match || match.key in locales[code]!.messages;
        });
      expect(untranslated).toEqual([]);
    });
  });
});
