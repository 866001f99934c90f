/**
 * Plain i18next instances for the domain (reports and anything else composed outside the app), built
 * from the same locale files as the interface (consultations/languages.ts). The app's server renders with
 * these same instances (app/i18n.server.ts). Server-only (the locales come from files).
 *
 * `translatorFor(lang)` gives a `t` in that language, English for keys a language lacks. Interpolated
 * values are NOT escaped here: callers escape for their output (Markdown, HTML, CSV) themselves.
 */
import type { i18n as I18n, TFunction } from "i18next";
import { createI18n, type LocaleTexts } from "./i18n-instance";
import { DEFAULT_LANGUAGE, isSupportedLanguage, locales } from "./languages";

const instances = new Map<string, I18n>();
let texts: Record<string, LocaleTexts> | null = null;

/** The i18next instance for `lang` (English for a language we do not have), every language's texts loaded. */
export function i18nInstance(lang: string): I18n {
  const code = isSupportedLanguage(lang) ? lang : DEFAULT_LANGUAGE;
  let instance = instances.get(code);
  if (!instance) {
    texts ??= Object.fromEntries([...locales()].map(([c, file]) => [c, { translation: file.translation, messages: file.messages }]));
    instances.set(code, (instance = createI18n(code, texts, DEFAULT_LANGUAGE)));
  }
  return instance;
}

/** A `t` function in `lang` (unknown languages get English). Cached per language. */
export function translatorFor(lang: string): TFunction {
  return i18nInstance(lang).t;
}

/** The language a translator built for `lang` actually speaks (`lang` itself, or English). */
export function translatorLanguage(lang: string): string {
  return i18nInstance(lang).language;
}
