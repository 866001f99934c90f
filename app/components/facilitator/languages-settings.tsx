/**
 * A consultation's languages (consultations/consultation-languages.ts): the main language (a select) and
 * the other languages people may write in (checkboxes, sent as repeated `languages` values). Used on the
 * new-consultation form (`LanguagesFields`) and as its own card on the overview (`LanguagesSettings`,
 * intent "languages"). Browser-safe.
 */
import { Form } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "../../i18n-react";
import { ActionButton, failureFor, formAnchor, FormMeta, FormNotice, type FormResult } from "./results";
import { FieldErrorList } from "../field";

export interface LanguageChoice {
  code: string;
  /** The language's name in itself ("Português"). */
  name: string;
  englishName: string;
}

/** "Português (Portuguese)"; English alone as "English". */
function labelOf(l: LanguageChoice): string {
  return l.name === l.englishName ? l.name : `${l.name} (${l.englishName})`;
}

/** The select and checkboxes; `chosen` are the codes to show selected (main first). */
export function LanguagesFields({ choices, chosen, errors }: { choices: LanguageChoice[]; chosen: string[]; errors?: string[] | null }) {
  const { t } = useTranslation();
  const id = useId().replace(/:/g, "");
  const main = chosen[0] ?? choices[0]?.code ?? "en";
  const errorId = errors?.length ? `languages-${id}-error` : undefined;
  return (
    <div className={errorId ? "field field-invalid stack" : "field stack"}>
      <div className="field">
        <label htmlFor={`main-language-${id}`}>{t("languages.settings.main")}</label>
        <p className="field-hint muted" id={`main-language-${id}-hint`}>
          {t("languages.settings.mainHint")}
        </p>
        <select id={`main-language-${id}`} name="mainLanguage" defaultValue={main} aria-describedby={`main-language-${id}-hint`}>
          {choices.map((l) => (
            <option key={l.code} value={l.code} lang={l.code}>
              {labelOf(l)}
            </option>
          ))}
        </select>
      </div>
      <fieldset aria-describedby={[`languages-${id}-hint`, errorId].filter(Boolean).join(" ")}>
        <legend>{t("languages.settings.writeIn")}</legend>
        <p className="field-hint muted" id={`languages-${id}-hint`}>
          {t("languages.settings.othersHint")}
        </p>
        {choices.map((l) => (
          <label key={l.code} className="checkbox">
            <input type="checkbox" name="languages" value={l.code} defaultChecked={chosen.includes(l.code)} /> <span lang={l.code}>{labelOf(l)}</span>
          </label>
        ))}
      </fieldset>
      {errorId ? <FieldErrorList id={errorId} errors={errors!} /> : null}
    </div>
  );
}

/** Values of a failed submission as the fields show them again ("pt" and "en,pt" -> ["pt", "en"]). */
export function chosenFrom(values: Record<string, string> | undefined, fallback: string[]): string[] {
  if (!values || (values.mainLanguage === undefined && values.languages === undefined)) return fallback;
  const list = [values.mainLanguage ?? "", ...(values.languages ?? "").split(",")].map((c) => c.trim()).filter(Boolean);
  return [...new Set(list)];
}

/** The overview's card: the consultation's languages, editable until it is published. */
export function LanguagesSettings({
  choices,
  languages,
  editable,
  result,
}: {
  choices: LanguageChoice[];
  languages: string[];
  editable: boolean;
  result: FormResult | null | undefined;
}) {
  const { t } = useTranslation();
  const failed = failureFor(result, "languages");
  const named = (code: string) => {
    const l = choices.find((c) => c.code === code);
    return l ? labelOf(l) : code;
  };
  return (
    <section className="card stack" aria-labelledby="languages-title" id={formAnchor("languages")}>
      <h2 id="languages-title">{t("languages.settings.title")}</h2>
      <p>{t("languages.settings.intro")}</p>
      {editable ? (
        <Form method="post" className="stack" noValidate preventScrollReset>
          <FormMeta intent="languages" />
          <FormNotice result={result} intent="languages" />
          <LanguagesFields choices={choices} chosen={chosenFrom(failed?.values, languages)} errors={failed?.fieldErrors.languages} />
          <ActionButton intent="languages" pendingText={t("facilitator.common.saving")}>
            {t("languages.settings.save")}
          </ActionButton>
        </Form>
      ) : (
        <dl>
          <dt>{t("languages.settings.main")}</dt>
          <dd>{named(languages[0] ?? "en")}</dd>
          {languages.length > 1 ? (
            <>
              <dt>{t("languages.settings.others")}</dt>
              <dd>{languages.slice(1).map(named).join(", ")}</dd>
            </>
          ) : null}
        </dl>
      )}
    </section>
  );
}
