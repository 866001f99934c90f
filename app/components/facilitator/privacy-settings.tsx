/**
 * The consultation's privacy settings on the facilitator's overview (consultations/participant-rights.ts):
 * what erasing a participant does to their content, and whether sign-in passphrases are erased on
 * publishing. Editable only in the draft phase (participants join on these terms). Browser-safe.
 */
import { Form } from "@remix-run/react";
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

const MODE_TEXT = {
  mark: "Keep them in place as \u201cWithdrawn by participant\u201d, without their text or author (replies of others still make sense)",
  remove: "Delete them, with the replies and votes of others under them",
} as const;

export function PrivacySettings({ settings, result }: { settings: PrivacySettingsView; result: FormResult | null | undefined }) {
  const failed = failureFor(result, "privacy");
  const mode = failed?.values?.erasureMode === "remove" || failed?.values?.erasureMode === "mark" ? failed.values.erasureMode : settings.erasureMode;
  return (
    <section className="card stack" aria-labelledby="privacy-title" id={formAnchor("privacy")}>
      <h2 id="privacy-title">Privacy</h2>
      <p>
        Participants can download everything stored about them and erase their participation at any time. Their votes are
        then deleted and their pseudonym disappears.
      </p>
      {settings.locked ? (
        <>
          <p className="small muted">These settings are locked: participants joined on these terms.</p>
          <dl>
            <dt>Positions and comments of a participant who erases their participation</dt>
            <dd>{MODE_TEXT[settings.erasureMode]}</dd>
            <dt>Sign-in passphrases when the consultation is published</dt>
            <dd>{settings.eraseSignInOnPublish ? "Erased, and everyone signed out (only recovery codes still work)" : "Kept"}</dd>
            <dt>Fewest people behind any figure shown</dt>
            <dd>{settings.minGroupSize}</dd>
          </dl>
        </>
      ) : (
        <Form method="post" className="stack" noValidate preventScrollReset>
          <FormMeta intent="privacy" />
          <FormNotice result={result} intent="privacy" />
          <fieldset>
            <legend>When a participant erases their participation, their positions and comments are:</legend>
            {(["mark", "remove"] as const).map((value) => (
              <label key={value} className="radio">
                <input type="radio" name="erasureMode" value={value} defaultChecked={mode === value} /> {MODE_TEXT[value]}
              </label>
            ))}
            {failed?.fieldErrors.erasureMode?.length ? <p className="field-error">{failed.fieldErrors.erasureMode[0]}</p> : null}
          </fieldset>
          <label className="checkbox">
            <input type="checkbox" name="eraseSignInOnPublish" value="on" defaultChecked={settings.eraseSignInOnPublish} /> Erase
            every participant&rsquo;s sign-in passphrase, and sign every participant out, when the consultation is published.
            Participants who kept their recovery code can still come back with it; the others lose access.
          </label>
          <div className="field">
            <label htmlFor="privacy-min-group">Fewest people behind any figure</label>
            <p className="small muted" id="privacy-min-group-hint">
              No count, percentage or chart is shown or exported about fewer people than this, to facilitators neither. At
              least {MIN_FLOOR}; 5 is usual.
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
                {failed.fieldErrors.minGroupSize[0]}
              </p>
            ) : null}
          </div>
          <p className="small muted">You can change these until positions open.</p>
          <ActionButton intent="privacy" pendingText="Saving…">
            Save privacy settings
          </ActionButton>
        </Form>
      )}
    </section>
  );
}
