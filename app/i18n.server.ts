/**
 * The request's interface language and the server's i18next instances (one per language, shared by
 * every request: nothing on them changes after start-up).
 *
 * The language is, in order: the `lang` cookie the participant chose (the language menu in the footer,
 * routes/language.tsx), else the browser's Accept-Language, else English.
 */
import { createHash } from "node:crypto";
import type { i18n as I18n } from "i18next";
import { DEFAULT_LANGUAGE, isSupportedLanguage, languages, localeOf, locales, negotiateLanguage, type LanguageInfo } from "../consultations/languages";
import { cookieValue } from "../consultations/session-cookie";
import { i18nInstance } from "../consultations/translator";
import { registerI18n, type LocaleTexts } from "./i18n";
import { secureCookies } from "./session.server";

export const LANGUAGE_COOKIE = "polyphony_lang";
/** The choice is remembered for a year on this device. */
const LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600;

export type { LanguageInfo };

let registered = false;

/** The server's instance for `lang` (consultations/translator.ts: one per language, shared with the domain). */
export function serverI18n(lang: string): I18n {
  if (!registered) {
    // `meta` functions find them by language (app/i18n.ts metaT).
    for (const code of locales().keys()) registerI18n(i18nInstance(code));
    registered = true;
  }
  return i18nInstance(lang);
}

/** The `lang` cookie's value when it names a language we have. */
export function languageFromCookie(cookieHeader: string | null | undefined): string | undefined {
  const value = cookieValue(cookieHeader, LANGUAGE_COOKIE);
  return isSupportedLanguage(value) ? value : undefined;
}

export function requestLanguage(request: Request): string {
  return (
    languageFromCookie(request.headers.get("Cookie")) ??
    negotiateLanguage(request.headers.get("Accept-Language"), languages().map((l) => l.code)) ??
    DEFAULT_LANGUAGE
  );
}

/** The i18next instance for this request's language. */
export function requestI18n(request: Request): I18n {
  return serverI18n(requestLanguage(request));
}

export function languageCookie(lang: string): string {
  return [
    `${LANGUAGE_COOKIE}=${lang}`,
    "Path=/",
    `Max-Age=${LANGUAGE_COOKIE_MAX_AGE}`,
    "SameSite=Lax",
    ...(secureCookies() ? ["Secure"] : []),
  ].join("; ");
}

/**
 * Top-level keys only the server reads, left out of the browser's texts: `report` is the published
 * report's texts (consultations/report/locale.ts renders them into HTML on the server; no component calls
 * t("report.…")). About a fifth of each file, 5 KB gzipped less on every page (tests/bench/page-weight.ts).
 */
const SERVER_ONLY_TEXTS = new Set(["report"]);

/**
 * Which texts a page's browser gets. "participant": without the facilitators' texts (`facilitator`,
 * `auth`, `account`, about 5-10 KB gzipped depending on the language), for pages shown to someone not
 * signed in as a facilitator outside the facilitators' pages; "all" otherwise. A client-side navigation
 * from a participant page into the facilitators' pages fetches the rest (root.tsx `useTextsOf`); the
 * links that lead there (sign in, sign up) load a new document anyway.
 */
export type TextsScope = "all" | "participant";
const FACILITATOR_TEXTS = new Set(["facilitator", "auth", "account"]);
const FACILITATOR_PATHS = /^\/(facilitate|login|signup|account)(\/|$)/;

export function textsScopeFor(request: Request, signedInAsFacilitator: boolean): TextsScope {
  return signedInAsFacilitator || FACILITATOR_PATHS.test(new URL(request.url).pathname) ? "all" : "participant";
}

/** Built once per language and scope: the locale files do not change after start-up. */
const browserCache = new Map<string, { body: string; version: string }>();

/** What the browser downloads for `lang`, and a short hash of it for the cache-busting URL. */
export function browserTexts(lang: string, scope: TextsScope = "all"): { body: string; version: string } {
  const cacheKey = `${lang}:${scope}`;
  let cached = browserCache.get(cacheKey);
  if (!cached) {
    const file = localeOf(lang);
    const left = (key: string) => !SERVER_ONLY_TEXTS.has(key) && (scope === "all" || !FACILITATOR_TEXTS.has(key));
    const translation = Object.fromEntries(Object.entries(file.translation).filter(([key]) => left(key)));
    const body = JSON.stringify({ translation, messages: file.messages } satisfies LocaleTexts);
    cached = { body, version: createHash("sha256").update(body).digest("hex").slice(0, 10) };
    browserCache.set(cacheKey, cached);
  }
  return cached;
}

export function browserTextsUrl(lang: string, scope: TextsScope = "all"): string {
  return `/locales/${lang}.json?v=${browserTexts(lang, scope).version}${scope === "all" ? "" : `&for=${scope}`}`;
}

export function languageInfo(lang: string): LanguageInfo {
  return languages().find((l) => l.code === lang) ?? languages()[0]!;
}

export { isSupportedLanguage, languages };
