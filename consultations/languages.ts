/**
 * The interface languages: one JSON file per language in consultations/locales/<code>.json, found at
 * start-up. Adding a language is adding that one file (README "Adding a language").
 *
 * A locale file holds:
 * - `language`: the language's own name (shown in the language menu), its English name and direction;
 * - `translation`: the interface texts, nested by area, read with i18next keys ("join.title");
 * - `messages`: the domain's messages (errors from consultations/, zod form messages) keyed by their
 *   English text, so the domain keeps writing plain English and every page shows them translated
 *   (app/i18n.ts `translateMessage`). A key may hold {{placeholders}}, as in "{{label}} is required.".
 *
 * Server-only (reads files). The browser gets one language's texts from /locales/<code>.json.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

export const DEFAULT_LANGUAGE = "en";

/** A language code as written in locale file names and stored on consultations, positions and comments. */
export const LANGUAGE_CODE = /^[a-z]{2,3}$/;

type Tree = { [key: string]: string | Tree };
const TreeSchema: z.ZodType<Tree> = z.lazy(() => z.record(z.string(), z.union([z.string(), TreeSchema])));

export const LocaleFileSchema = z.object({
  language: z.object({
    name: z.string().min(1),
    englishName: z.string().min(1),
    dir: z.enum(["ltr", "rtl"]).default("ltr"),
  }),
  translation: TreeSchema,
  messages: z.record(z.string(), z.string()).default({}),
});
export type LocaleFile = z.infer<typeof LocaleFileSchema>;

export interface LanguageInfo {
  code: string;
  /** The language's name in itself ("Português"). */
  name: string;
  englishName: string;
  dir: "ltr" | "rtl";
}

export function localesFolder(root = process.cwd()): string {
  return process.env.POLYPHONY_LOCALES_DIR ?? path.join(root, "consultations", "locales");
}

/** Reads and checks every locale file in `folder`; a broken file stops start-up with its name. */
export function readLocales(folder = localesFolder()): Map<string, LocaleFile> {
  const out = new Map<string, LocaleFile>();
  const files = fs.readdirSync(folder).filter((f) => f.endsWith(".json")).sort();
  for (const file of files) {
    const code = file.slice(0, -".json".length);
    if (!LANGUAGE_CODE.test(code)) throw new Error(`Locale file ${file}: the name must be a language code such as pt.json`);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(path.join(folder, file), "utf8"));
    } catch (error) {
      throw new Error(`Locale file ${file} is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = LocaleFileSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`Locale file ${file} is not a locale file: ${parsed.error.issues[0]?.message} at ${parsed.error.issues[0]?.path.join(".")}`);
    out.set(code, parsed.data);
  }
  if (!out.has(DEFAULT_LANGUAGE)) throw new Error(`${folder} has no ${DEFAULT_LANGUAGE}.json: English is the fallback language`);
  return out;
}

let loaded: Map<string, LocaleFile> | null = null;

/** Every locale, read once per process. */
export function locales(): Map<string, LocaleFile> {
  return (loaded ??= readLocales());
}

let listed: LanguageInfo[] | null = null;

/** The languages, English first, then by English name (listed once per process, like the files). */
export function languages(): LanguageInfo[] {
  return (listed ??= [...locales()]
    .map(([code, file]) => ({ code, ...file.language }))
    .sort((a, b) => (a.code === DEFAULT_LANGUAGE ? -1 : b.code === DEFAULT_LANGUAGE ? 1 : a.englishName.localeCompare(b.englishName))));
}

export function isSupportedLanguage(code: unknown): code is string {
  return typeof code === "string" && LANGUAGE_CODE.test(code) && locales().has(code);
}

export function localeOf(code: string): LocaleFile {
  return locales().get(code) ?? locales().get(DEFAULT_LANGUAGE)!;
}

/**
 * The best of `supported` for an Accept-Language header ("pt-BR,pt;q=0.9,en;q=0.5"), by quality then
 * order; a regional tag matches its base language. Undefined when nothing matches.
 */
export function negotiateLanguage(header: string | null | undefined, supported: readonly string[]): string | undefined {
  if (!header) return undefined;
  const wanted = header
    .split(",")
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { base: (tag ?? "").trim().toLowerCase().split("-")[0] ?? "", quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((w) => w.base && w.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return wanted.find((w) => supported.includes(w.base))?.base;
}
