/**
 * The language of a report's fixed texts: headings, the method section, figures in words, table and
 * chart labels, notes. Texts come from the locale files (key `report.*`, consultations/locales), read
 * through consultations/translator.ts; numbers, percentages, lists and dates are formatted with Intl in
 * the same language. User content (statements, wordings, group names, the title) is never translated.
 * Server-only (the locale files are read from disk).
 */
import { intlLocale } from "../i18n-instance";
import { DEFAULT_LANGUAGE, isSupportedLanguage } from "../languages";
import { translatorFor } from "../translator";

export interface ReportLocale {
  /** The language code ("pl"). */
  lang: string;
  /** `report.<key>` in this language, values interpolated as they are (escape for the output yourself). */
  t(key: string, values?: Record<string, unknown>): string;
  /** 12345 -> "12,345" (en), "12 345" (pl). */
  number(n: number): string;
  /** 0.6666 -> "67%" ("67 %" in lt); "–" when not finite. */
  percent(share: number): string;
  /** 0.123 -> "0.12" (en), "0,12" (pl); "–" when not a finite number. */
  decimal(x: number | null | undefined, digits?: number): string;
  /** ["a", "b", "c"] -> "a, b and c" in this language. */
  list(items: string[]): string;
  /** A day "2026-11-23" -> "23 November 2026" (UTC). */
  day(isoDay: string): string;
  /** `report.<key>` with a count: the plural form of this language, the number formatted as `{{n}}`. */
  count(key: string, n: number, values?: Record<string, unknown>): string;
}

const cache = new Map<string, ReportLocale>();

/** The report locale for `lang`; an unknown language gives English. */
export function reportLocale(lang: string = DEFAULT_LANGUAGE): ReportLocale {
  const code = isSupportedLanguage(lang) ? lang : DEFAULT_LANGUAGE;
  let loc = cache.get(code);
  if (loc) return loc;
  const t = translatorFor(code);
  const intl = intlLocale(code);
  const num = new Intl.NumberFormat(intl);
  const pct = new Intl.NumberFormat(intl, { style: "percent", maximumFractionDigits: 0 });
  const decimals = new Map<number, Intl.NumberFormat>();
  const list = new Intl.ListFormat(intl, { type: "conjunction", style: "long" });
  const day = new Intl.DateTimeFormat(intl, { dateStyle: "long", timeZone: "UTC" });
  const tr = (key: string, values?: Record<string, unknown>) => String(t(`report.${key}`, { ...values, interpolation: { escapeValue: false } }));
  loc = {
    lang: code,
    t: tr,
    number: (n) => (Number.isFinite(n) ? num.format(n) : "–"),
    // Rounded like the engine's words always were (Math.round), so "67%" is the same in every language.
    percent: (share) => (Number.isFinite(share) ? pct.format(Math.round(share * 100) / 100) : "–"),
    decimal: (x, digits = 2) => {
      if (typeof x !== "number" || !Number.isFinite(x)) return "–";
      let f = decimals.get(digits);
      if (!f) decimals.set(digits, (f = new Intl.NumberFormat(intl, { minimumFractionDigits: digits, maximumFractionDigits: digits })));
      return f.format(x);
    },
    list: (items) => list.format(items),
    day: (isoDay) => {
      const d = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(d.getTime()) ? isoDay : day.format(d);
    },
    count: (key, n, values) => tr(key, { ...values, count: n, n: Number.isFinite(n) ? num.format(n) : "–" }),
  };
  cache.set(code, loc);
  return loc;
}
