/**
 * i18next for the interface, on the server and in the browser. Browser-safe: the texts come in as data
 * (server: consultations/languages.ts reads every locale file; browser: entry.client.tsx fetches the
 * page's language from /locales/<code>.json before hydrating).
 *
 * - components: `const { t } = useTranslation()`, keys nested by area ("join.title");
 * - messages from the domain and zod (English sentences): `useMessage()(text)` or `translateMessage`;
 * - dates and numbers: `useFormat()` (Intl, in the page's language, times in UTC);
 * - `meta` functions (no hooks): `metaT(matches)`.
 */
import type { i18n as I18n, TFunction } from "i18next";
import { createI18n, intlLocale, type LocaleTexts } from "../consultations/i18n-instance";
import { useTranslation } from "./i18n-react";
import { useMemo } from "react";

export { createI18n, type LocaleTexts };

/** The instances this process knows, by language (the server registers all, the browser its one). */
const registry = new Map<string, I18n>();

export function registerI18n(instance: I18n): void {
  registry.set(instance.language, instance);
}

export function i18nFor(lang: string | undefined): I18n | undefined {
  return (lang && registry.get(lang)) || registry.get("en") || registry.values().next().value;
}

/** A `t` for a route's `meta` function, in the page's language (read from the root loader's data). */
export function metaT(matches: ReadonlyArray<{ id: string; data?: unknown }>): TFunction {
  const root = matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined;
  const instance = i18nFor(root?.lang);
  if (!instance) return ((key: string) => key) as unknown as TFunction;
  return instance.t.bind(instance) as TFunction;
}

interface Template {
  pattern: RegExp;
  names: string[];
  key: string;
  /** Characters outside the placeholders. */
  literal: number;
}
/** Each instance speaks one language (its `language`), so its templates are listed once. */
const templatesByInstance = new WeakMap<I18n, Template[]>();

function templatesOf(instance: I18n): Template[] {
  const lang = instance.language;
  let list = templatesByInstance.get(instance);
  if (!list) {
    // Keys are the English texts: every language's templates come from the English catalogue (a
    // language missing a template falls back to English in `t`), plus the language's own keys.
    const keys = new Set(
      [lang, "en"].flatMap((code) => Object.keys((instance.getResourceBundle(code, "messages") ?? {}) as Record<string, string>)),
    );
    list = [...keys]
      .filter((key) => key.includes("{{") && !/_(zero|one|two|few|many|other)$/.test(key))
      .map((key) => {
        const names: string[] = [];
        const source = key
          .split(/(\{\{\s*\w+\s*\}\})/)
          .map((part) => {
            const m = /^\{\{\s*(\w+)\s*\}\}$/.exec(part);
            if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            names.push(m[1]!);
            return "(.+?)";
          })
          .join("");
        return { pattern: new RegExp(`^${source}$`, "s"), names, key, literal: key.replace(/\{\{\s*\w+\s*\}\}/g, "").length };
      })
      // The most specific first: "A pseudonym needs at least {{min}} characters." before "{{label}} needs at least {{min}} characters.".
      .sort((a, b) => b.literal - a.literal);
    templatesByInstance.set(instance, list);
  }
  return list;
}

const NO_SEPARATORS = { ns: "messages", keySeparator: false, nsSeparator: false } as const;

/**
 * A message from the domain or a form check (English) in the instance's language: the text itself when
 * the locale file has it, else the most specific {{template}} it fits, with each value translated in turn
 * (field labels are messages too, and a value may fit a template of its own). Unknown messages stay as they
 * are (English).
 */
export function translateMessage(instance: I18n, message: string, depth = 0): string {
  if (!message) return message;
  if (instance.exists(message, NO_SEPARATORS)) return instance.t(message, NO_SEPARATORS) as string;
  for (const template of templatesOf(instance)) {
    const match = template.pattern.exec(message);
    if (!match) continue;
    const values: Record<string, string | number> = {};
    template.names.forEach((name, i) => {
      const value = match[i + 1] ?? "";
      // {{count}}: a number, so that i18next picks the plural form ("..._few" in pl and lt).
      if (name === "count" && /^\d+$/.test(value)) values[name] = Number(value);
      // A value may itself be a message or fit a template ("{{reason}} Please try again {{when}}.").
      else values[name] = depth < 2 ? translateMessage(instance, value, depth + 1) : value;
    });
    return instance.t(template.key, { ...NO_SEPARATORS, ...values, interpolation: { escapeValue: false } }) as string;
  }
  return message;
}

/** `message => translated message`, for components. */
export function useMessage(): (message: string) => string {
  const { i18n } = useTranslation();
  return useMemo(() => (message: string) => translateMessage(i18n, message), [i18n]);
}

export interface Format {
  lang: string;
  /** "4 Dec 2026" in the page's language. */
  date(value: Date | string | number): string;
  /** Date and time, in UTC, with "UTC" shown. */
  dateTime(value: Date | string | number): string;
  /** Time of day (UTC), "14:05:09". */
  time(value: Date | string | number): string;
  number(value: number): string;
  /** `value` a fraction (0.42 → "42%"). */
  percent(value: number): string;
}

const formats = new Map<string, Format>();

/** Intl formats for `lang` (cached: building Intl formatters is costly). */
export function formatFor(lang: string): Format {
  let f = formats.get(lang);
  if (!f) {
    const intl = intlLocale(lang);
    const day = new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeZone: "UTC" });
    const when = new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
    const clock = new Intl.DateTimeFormat(intl, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "UTC" });
    const num = new Intl.NumberFormat(lang);
    const pct = new Intl.NumberFormat(intl, { style: "percent", maximumFractionDigits: 0 });
    const asDate = (v: Date | string | number) => (v instanceof Date ? v : new Date(v));
    f = {
      lang,
      date: (v) => day.format(asDate(v)),
      dateTime: (v) => `${when.format(asDate(v))} UTC`,
      time: (v) => clock.format(asDate(v)),
      number: (v) => num.format(v),
      percent: (v) => pct.format(v),
    };
    formats.set(lang, f);
  }
  return f;
}

export function useFormat(): Format {
  const { i18n } = useTranslation();
  return formatFor(i18n.language || "en");
}
