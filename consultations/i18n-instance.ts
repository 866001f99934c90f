/**
 * How an i18next instance is made, for the server (consultations/translator.ts) and the browser
 * (app/entry.client.tsx, through app/i18n.ts) alike: the texts are given, nothing is loaded, so the
 * instance is ready at once. Browser-safe (no file access).
 */
import { createInstance, type i18n as I18n } from "i18next";

/** One language's texts as i18next namespaces: the interface texts and the domain's messages. */
export interface LocaleTexts {
  translation: Record<string, unknown>;
  messages: Record<string, string>;
}

/** An i18next instance speaking `lang`, falling back to `fallbackLng` when its texts are given too. */
export function createI18n(lang: string, texts: Record<string, LocaleTexts>, fallbackLng = "en"): I18n {
  const instance = createInstance();
  void instance.init({
    lng: lang,
    fallbackLng: texts[fallbackLng] ? fallbackLng : false,
    supportedLngs: Object.keys(texts),
    resources: texts as unknown as Record<string, Record<string, Record<string, unknown>>>,
    ns: ["translation", "messages"],
    defaultNS: "translation",
    initAsync: false,
    // Callers escape for their output: React escapes what it renders; reports escape for Markdown, HTML, CSV.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** The Intl locale for a language code: British English for "en" (dates "4 Dec 2026", 24-hour times). */
export function intlLocale(lang: string): string {
  return lang === "en" ? "en-GB" : lang;
}
