/**
 * The languages of a consultation, and the language of each position and comment.
 *
 * A consultation declares its languages (stored comma-separated in `Consultation.languages`, read as a
 * list by `languageList`: the first is the consultation's main language; ["en"] unless the facilitator
 * chose others). Each must be an interface language (a locale file, consultations/languages.ts). Every
 * position and comment carries the language its author wrote it in, one of the consultation's languages:
 * pages give its text a `lang` attribute, exports list it.
 *
 * A language that positions or comments are written in cannot be removed (409): nothing stored loses the
 * language it was declared in.
 */
import type { Db } from "./db/client";
import { access, type ConsultationKey } from "./access";
import { audit } from "./audit";
import { DomainError, invalid } from "./errors";
import { isSupportedLanguage, languages as interfaceLanguages, localeOf } from "./languages";
import type { Viewer } from "./permissions";
import { languageColumn, LanguagesInput } from "./schemas";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";

export { languageColumn, languageList } from "./schemas";

/** The codes a consultation may declare: the interface languages, English first. */
export function supportedLanguageCodes(): string[] {
  return interfaceLanguages().map((l) => l.code);
}

/**
 * The consultation's languages from a facilitator's form (`mainLanguage` and/or `languages`), checked:
 * at least one, each an interface language (422 otherwise). Absent altogether: `fallback`.
 */
export function parseLanguages(raw: unknown, fallback: string[] = ["en"]): string[] {
  const record = (raw ?? {}) as Record<string, unknown>;
  if (record.languages === undefined && record.mainLanguage === undefined) return fallback;
  const list = parseInput(LanguagesInput(supportedLanguageCodes()), raw);
  // LanguagesInput checked the list against the same codes; this keeps the rule in one place.
  if (!list.every(isSupportedLanguage)) throw invalid("Choose languages from the list: one of them is not available.", { languages: ["Choose languages from the list: one of them is not available."] });
  return list;
}

/**
 * The language of a new position or comment: the one the author chose, which must be one of the
 * consultation's languages (422), or the consultation's main language when none was chosen.
 */
export function contentLanguage(declared: readonly string[], chosen: string | null | undefined): string {
  if (!chosen) return declared[0] ?? "en";
  if (!declared.includes(chosen)) {
    const message = "This consultation does not take texts in this language. Choose one of its languages.";
    throw invalid(message, { language: [message] });
  }
  return chosen;
}

/** The languages written in so far (positions and comments of the consultation). */
async function languagesInUse(db: Db, consultationId: string): Promise<Set<string>> {
  const [positions, comments] = await Promise.all([
    db.position.groupBy({ by: ["language"], where: { consultationId } }),
    db.comment.groupBy({ by: ["language"], where: { consultationId } }),
  ]);
  return new Set([...positions, ...comments].map((r) => r.language));
}

/**
 * Sets the consultation's languages (facilitators; not once published). A language that positions or
 * comments are written in cannot be removed (409).
 */
export async function setLanguages(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown) {
  const { consultation } = await access(db, viewer, key, "editDetails");
  const record = (raw ?? {}) as Record<string, unknown>;
  // From the settings form, nothing ticked arrives as nothing at all: that is "none chosen", not "unchanged".
  const list = parseLanguages({ mainLanguage: record.mainLanguage, languages: record.languages ?? "" });
  const before = consultation.languages;
  const removed = before.filter((code) => !list.includes(code));
  if (removed.length) {
    const used = await languagesInUse(db, consultation.id);
    const kept = removed.find((code) => used.has(code));
    if (kept) {
      const message = `Some positions or comments are written in ${localeOf(kept).language.name}, so this language cannot be removed.`;
      throw new DomainError("conflict", message, { languages: [message] });
    }
  }
  const column = languageColumn(list);
  await commit(db, async (tx, emit) => {
    await tx.consultation.update({ where: { id: consultation.id }, data: { languages: column } });
    await emit(consultation.id, "consultation.updated", "facilitator", { languages: column });
    await audit(tx, viewer, consultation.id, "settings.changed", {
      target: { kind: "consultation", id: consultation.id },
      detail: column === languageColumn(before) ? "languages saved without changes" : `languages: ${languageColumn(before)} → ${column}`,
    });
  });
  return { languages: list };
}

/** The languages a facilitator may choose from, for forms (English first). */
export function languageChoices() {
  return interfaceLanguages().map(({ code, name, englishName }) => ({ code, name, englishName }));
}

/** The consultation's languages with their names, for forms (the main language first). */
export function describeLanguages(list: readonly string[]) {
  return list.map((code) => {
    const { name, englishName, dir } = localeOf(code).language;
    return { code, name, englishName, dir };
  });
}
