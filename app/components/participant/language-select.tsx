/**
 * "Language of your text" on the position and comment forms: a select limited to the consultation's
 * languages, shown only when it has more than one (with one, the domain uses it). It starts on the
 * person's interface language when the consultation has it, else on the consultation's main language.
 * The page provides the consultation's languages once (`WritingLanguages`), so forms deep in a thread
 * need no props. Browser-safe.
 */
import { createContext, useContext, useId, type ReactNode } from "react";
import { useTranslation } from "../../i18n-react";
import { FieldErrorList } from "../field";

export interface WritingLanguage {
  code: string;
  /** The language's name in itself ("Português"). */
  name: string;
}

const Languages = createContext<readonly WritingLanguage[]>([]);

/** Gives the forms below the consultation's languages (main first). */
export function WritingLanguages({ languages, children }: { languages: readonly WritingLanguage[] | undefined; children: ReactNode }) {
  return <Languages.Provider value={languages ?? []}>{children}</Languages.Provider>;
}

/** The language a new text starts in: the interface language if the consultation has it, else its main one. */
export function defaultWritingLanguage(languages: readonly WritingLanguage[], interfaceLanguage: string): string | undefined {
  return languages.some((l) => l.code === interfaceLanguage) ? interfaceLanguage : languages[0]?.code;
}

/** The select (name "language"), or nothing when the consultation has one language; `label` for someone else's text. */
export function LanguageSelect({ defaultValue, errors, label }: { defaultValue?: string | null; errors?: string[] | null; label?: string }) {
  const languages = useContext(Languages);
  const { t, i18n } = useTranslation();
  const id = `language-${useId().replace(/:/g, "")}`;
  if (languages.length < 2) return null;
  const chosen = defaultValue && languages.some((l) => l.code === defaultValue) ? defaultValue : defaultWritingLanguage(languages, i18n.language);
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className={errorId ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label ?? t("languages.write.label")}</label>
      <select id={id} name="language" defaultValue={chosen} aria-invalid={errorId ? true : undefined} aria-describedby={errorId}>
        {languages.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
      {errorId ? <FieldErrorList id={errorId} errors={errors!} /> : null}
    </div>
  );
}
