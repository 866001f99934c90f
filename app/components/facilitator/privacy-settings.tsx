/**
 * The consultation's privacy settings on the facilitator's overview (consultations/participant-rights.ts):
 * what erasing a participant does to their content, and whether sign-in passphrases are erased on
 * publishing. Editable only in the draft phase (participants join on these terms). Browser-safe.
 */
import { Form } from "@remix-run/react";
import { useTranslation } from "../../i18n-react";
import { useFormat, useMessage } from "../../i18n";
import { ActionButton, failureFor, formAnchor, FormMeta, FormNotice, type FormResult } from "./results";

export interface PrivacySettingsView {
  erasureMode: "mark" | "remove";
  eraseSignInOnPublish: boolean;
  minGroupSize: number;
  locked: boolean;
}

/** As consultations/tallies.ts MIN_GROUP_SIZE_FLOOR and participant-rights.ts MAX_MIN_GROUP_SIZE (no zod here). */
const MIN_FLOOR = 3;
const MIN_CEILING = 25;

export function PrivacySettings({ settings, result }: { settings: PrivacySettingsView; result: FormResult | null | undefined }) {
  const { t } = useTranslation();
  const m = useMessage();
  const f = useFormat();
  const failed = failureFor(result, "privacy");
  const mode = failed?.values?.erasureMode === "remove" || failed?.values?.erasureMode === "mark" ? failed.values.erasureMode : settings.erasureMode;
  return (
    <section className="card stack" aria-labelledby="privacy-title" id={formAnchor("privacy")}>
      <h2 id="privacy-title">{t("facilitator.privacy.title")}</h2>
      <p>{t("facilitator.privacy.intro")}</p>
      {settings.locked ? (
        <>
          <p className="small muted">{t("facilitator.privacy.locked")}</p>
          <dl>
            <dt>{t("facilitator.privacy.modeTerm")}</dt>
            <dd>{t(`facilitator.privacy.mode.${settings.erasureMode}`)}</dd>
            <dt>{t("facilitator.privacy.passphrasesTerm")}</dt>
            <dd>{settings.eraseSignInOnPublish ? t("facilitator.privacy.passphrasesErased") : t("facilitator.privacy.passphrasesKept")}</dd>
            <dt>{t("facilitator.privacy.minimumTerm")}</dt>
            <dd>{f.number(settings.minGroupSize)}</dd>
          </dl>
        </>
      ) : (
        <Form method="post" className="stack" noValidate preventScrollReset>
          <FormMeta intent="privacy" />
          <FormNotice result={result} intent="privacy" />
          <fieldset>
            <legend>{t("facilitator.privacy.modeLegend")}</legend>
            {(["mark", "remove"] as const).map((value) => (
              <label key={value} className="radio">
                <input type="radio" name="erasureMode" value={value} defaultChecked={mode === value} /> {t(`facilitator.privacy.mode.${value}`)}
              </label>
            ))}
            {failed?.fieldErrors.erasureMode?.length ? <p className="field-error">{m(failed.fieldErrors.erasureMode[0]!)}</p> : null}
          </fieldset>
          <label className="checkbox">
            <input type="checkbox" name="eraseSignInOnPublish" value="on" defaultChecked={settings.eraseSignInOnPublish} />{" "}
            {t("facilitator.privacy.eraseSignIn")}
          </label>
          <div className="field">
            <label htmlFor="privacy-min-group">{t("facilitator.privacy.minimumLabel")}</label>
            <p className="small muted" id="privacy-min-group-hint">
              {t("facilitator.privacy.minimumHint", { floor: f.number(MIN_FLOOR), usual: f.number(5) })}
            </p>
            <input
              id="privacy-min-group"
              name="minGroupSize"
              type="number"
              inputMode="numeric"
              min={MIN_FLOOR}
              max={MIN_CEILING}
              defaultValue={failed?.values?.minGroupSize ?? String(settings.minGroupSize)}
              aria-describedby={`privacy-min-group-hint${failed?.fieldErrors.minGroupSize?.length ? " privacy-min-group-error" : ""}`}
              aria-invalid={failed?.fieldErrors.minGroupSize?.length ? true : undefined}
            />
            {failed?.fieldErrors.minGroupSize?.length ? (
              <p className="field-error" id="privacy-min-group-error">
                {m(failed.fieldErrors.minGroupSize[0]!)}
              </p>
            ) : null}
          </div>
          <p className="small muted">{t("facilitator.privacy.untilOpen")}</p>
          <ActionButton intent="privacy" pendingText={t("facilitator.common.saving")}>
            {t("facilitator.privacy.save")}
          </ActionButton>
        </Form>
      )}
    </section>
  );
}
