/**
 * Plain i18next instances for the domain (reports and anything else composed outside the app), built
 * from the same locale files as the interface (consultations/languages.ts). The app keeps its own
 * instances (app/i18n.server.ts); these carry no React binding. Server-only (the locales come from files).
 *
 * `translatorFor(lang)` gives a `t` in that language, English for keys a language lacks. Interpolated
 * values are NOT escaped here: callers escape for their output (Markdown, HTML, CSV) themselves.
 */
import { createInstance, type i18n as I18n, type TFunction } from "i18next";
import { DEFAULT_LANGUAGE, isSupportedLanguage, locales } from "./languages";

const instances = new Map<string, I18n>();

function instanceFor(lang: string): I18n {
  const code = isSupportedLanguage(lang) ? lang : DEFAULT_LANGUAGE;
  let instance = instances.get(code);
  if (!instance) {
    const resources: Record<string, Record<string, unknown>> = {};
    for (const [c, file] of locales()) resources[c] = { translation: file.translation, messages: file.messages };
    instance = createInstance();
    void instance.init({
      lng: code,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: Object.keys(resources),
      resources: resources as Record<string, Record<string, Record<string, unknown>>>,
      ns: ["translation", "messages"],
      defaultNS: "translation",
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    instances.set(code, instance);
  }
  return instance;
}

/** A `t` function in `lang` (unknown languages get English). Cached per language. */
export function translatorFor(lang: string): TFunction {
  return instanceFor(lang).t;
}

/** The language a translator built for `lang` actually speaks (`lang` itself, or English). */
export function translatorLanguage(lang: string): string {
  return instanceFor(lang).language;
}
