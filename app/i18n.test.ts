import { describe, expect, it } from "vitest";

import { createI18n, formatFor, translateMessage, type LocaleTexts } from "./i18n";

/** Small catalogues of our own, so these tests do not depend on the wording of the real locale files. */
const texts: Record<string, LocaleTexts> = {
  en: {
    translation: {},
    messages: {
      "Choose a question.": "Choose a question.",
      "{{label}} is required.": "{{label}} is required.",
      "{{label}} can have at most {{max}} characters.": "{{label}} can have at most {{max}} characters.",
      "A pseudonym can have at most {{max}} characters.": "A pseudonym can have at most {{max}} characters.",
      "{{reason}} Please try again {{when}}.": "{{reason}} Please try again {{when}}.",
      "in {{seconds}} seconds": "in {{seconds}} seconds",
      "You have voted very quickly.": "You have voted very quickly.",
      "{{count}} invitations were created.": "{{count}} invitations were created.",
      Title: "Title",
    },
  },
  pl: {
    translation: {},
    messages: {
      "Choose a question.": "Wybierz pytanie.",
      "{{label}} is required.": "Pole „{{label}}” jest wymagane.",
      "{{label}} can have at most {{max}} characters.": "Pole „{{label}}”: największa liczba znaków to {{max}}.",
      "A pseudonym can have at most {{max}} characters.": "Wymyślone imię: największa liczba znaków to {{max}}.",
      "{{reason}} Please try again {{when}}.": "{{reason}} Spróbuj ponownie {{when}}.",
      "in {{seconds}} seconds": "za {{seconds}} s",
      "You have voted very quickly.": "Głosujesz bardzo szybko.",
      "{{count}} invitations were created._one": "Utworzono {{count}} zaproszenie.",
      "{{count}} invitations were created._few": "Utworzono {{count}} zaproszenia.",
      "{{count}} invitations were created._many": "Utworzono {{count}} zaproszeń.",
      "{{count}} invitations were created._other": "Utworzono {{count}} zaproszenia.",
      Title: "Tytuł",
    },
  },
};

describe("translateMessage", () => {
  const pl = createI18n("pl", texts);
  const en = createI18n("en", texts);

  it("translates a message that is a key of the catalogue", () => {
    expect(translateMessage(pl, "Choose a question.")).toBe("Wybierz pytanie.");
    expect(translateMessage(en, "Choose a question.")).toBe("Choose a question.");
  });

  it("fills a template, translating the label put into it", () => {
    expect(translateMessage(pl, "Title is required.")).toBe("Pole „Tytuł” jest wymagane.");
    expect(translateMessage(pl, "Title can have at most 200 characters.")).toBe("Pole „Tytuł”: największa liczba znaków to 200.");
  });

  it("keeps a value that is not a message as it is", () => {
    expect(translateMessage(pl, "Nickname is required.")).toBe("Pole „Nickname” jest wymagane.");
  });

  it("prefers the most specific template", () => {
    expect(translateMessage(pl, "A pseudonym can have at most 40 characters.")).toBe("Wymyślone imię: największa liczba znaków to 40.");
  });

  it("translates a value that fits a template of its own (rate-limit messages)", () => {
    expect(translateMessage(pl, "You have voted very quickly. Please try again in 12 seconds.")).toBe(
      "Głosujesz bardzo szybko. Spróbuj ponownie za 12 s.",
    );
  });

  it("picks the plural form for {{count}}", () => {
    expect(translateMessage(pl, "1 invitations were created.")).toBe("Utworzono 1 zaproszenie.");
    expect(translateMessage(pl, "3 invitations were created.")).toBe("Utworzono 3 zaproszenia.");
    expect(translateMessage(pl, "25 invitations were created.")).toBe("Utworzono 25 zaproszeń.");
    expect(translateMessage(en, "25 invitations were created.")).toBe("25 invitations were created.");
  });

  it("leaves an unknown message in English", () => {
    expect(translateMessage(pl, "Something nobody translated.")).toBe("Something nobody translated.");
    expect(translateMessage(pl, "")).toBe("");
  });

  it("falls back to English for a language without the message", () => {
    const pt = createI18n("pt", { ...texts, pt: { translation: {}, messages: {} } });
    expect(translateMessage(pt, "Choose a question.")).toBe("Choose a question.");
    expect(translateMessage(pt, "Title is required.")).toBe("Title is required.");
  });
});

describe("formatFor", () => {
  // Exact strings from Node's ICU (full-icu, Node 20+); the spaces are U+00A0 where ICU puts them.
  it("formats numbers with each language's separators", () => {
    expect(formatFor("en").number(12345.5)).toBe("12,345.5");
    expect(formatFor("pt").number(12345.5)).toBe("12.345,5");
    expect(formatFor("el").number(12345.5)).toBe("12.345,5");
    expect(formatFor("pl").number(12345.5)).toBe("12\u00a0345,5");
    expect(formatFor("lt").number(12345.5)).toBe("12\u00a0345,5");
    // Polish does not group four-digit numbers.
    expect(formatFor("pl").number(1234)).toBe("1234");
  });

  it("formats percentages", () => {
    expect(formatFor("en").percent(0.42)).toBe("42%");
    expect(formatFor("pl").percent(0.42)).toBe("42%");
    expect(formatFor("lt").percent(0.42)).toBe("42\u00a0%");
  });

  it("formats dates and times in UTC, in the language", () => {
    const when = new Date("2026-12-04T14:05:09Z");
    // English as British English, as the interface wrote dates before it had languages, and as reports do.
    expect(formatFor("en").date(when)).toBe("4 Dec 2026");
    expect(formatFor("en").dateTime(when)).toBe("4 Dec 2026, 14:05 UTC");
    expect(formatFor("pl").date(when)).toBe("4 gru 2026");
    expect(formatFor("pt").date(when)).toBe("4 de dez. de 2026");
    expect(formatFor("lt").date(when)).toBe("2026-12-04");
    expect(formatFor("el").time(when)).toBe("14:05:09");
    expect(formatFor("pl").dateTime(when)).toMatch(/^4 gru 2026.*14:05 UTC$/);
  });

  it("reuses the formatter of a language", () => {
    expect(formatFor("pl")).toBe(formatFor("pl"));
  });
});
