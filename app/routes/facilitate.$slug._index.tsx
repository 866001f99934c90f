import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import { useFormat } from "../i18n";
import type { Phase } from "../../consultations/schemas";
import { ConfirmBox } from "../components/facilitator/confirm-box";
import { stamp, toDateTimeLocal, utcFromLocalInput, When } from "../components/facilitator/format";
import { PhaseStepper } from "../components/facilitator/phase-stepper";
import {
  ActionButton,
  done,
  failureFor,
  formAnchor,
  formKey,
  FormMeta,
  FormNotice,
  PageNotice,
  type FormResult,
} from "../components/facilitator/results";
import { ShownCount } from "../components/facilitator/shown-count";
import { PrivacySettings } from "../components/facilitator/privacy-settings";
import { LanguagesSettings } from "../components/facilitator/languages-settings";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Field } from "../components/field";
import { facilitatorAction, facilitatorLoader } from "../components/facilitator/facilitator.server";
import { consultations, DomainError, languages, rights } from "../domain.server";
import { LIMITS, PHASE_LABELS, phaseSteps, reservedSlugError } from "../components/facilitator/rules.server";

/** Long Markdown descriptions: non-Latin text grows up to 9x when url-encoded. */
const MAX_FORM_BYTES = 256 * 1024;

const PUBLISH_CONFIRM = "Tick the box to confirm: nothing can change after publishing.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const setup = await consultations.getSetup(db, viewer, key);
    const participation = await consultations.participationByGroup(db, viewer, key);
    const privacy = await rights.getPrivacySettings(db, viewer, key);
    const c = setup.consultation;
    const schedule = {
      positionsAt: c.positionsAt,
      deliberationAt: c.deliberationAt,
      synthesisAt: c.synthesisAt,
      publishedAt: c.publishedAt,
    };
    return {
      slug: c.slug,
      phase: c.phase,
      steps: phaseSteps(),
      labels: PHASE_LABELS,
      limits: {
        titleMax: LIMITS.titleMax,
        descriptionMax: LIMITS.descriptionMax,
        positionMaxCeiling: LIMITS.positionMaxCeiling,
      },
      phaseChanged: stamp(c.phaseChangedAt),
      next: setup.next,
      previous: setup.previous,
      questionCount: setup.questions.length,
      editable: c.phase !== "published",
      details: { title: c.title, slug: c.slug, description: c.description, maxPositionLength: c.maxPositionLength },
      schedule: Object.fromEntries(
        Object.entries(schedule).map(([k, v]) => [k, { input: toDateTimeLocal(v), shown: v ? stamp(v) : null }])
      ) as Record<keyof typeof schedule, { input: string; shown: ReturnType<typeof stamp> | null }>,
      now: stamp(new Date()),
      privacy,
      languages: { choices: languages.languageChoices(), chosen: c.languages },
      participation: {
        groups: participation.groups.map((g) => ({
          groupId: g.groupId,
          name: g.name,
          participants: g.participants,
          positions: g.positions,
          voters: g.voters,
          invitations: participation.invitationsByGroup[g.groupId] ?? 0,
        })),
        total: participation.total,
      },
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  return facilitatorAction(
    request,
    params,
    {
      "move-phase": async ({ db, viewer, key, form }) => {
        if (form.to === "published" && form.confirm !== "yes") {
          throw new DomainError("invalid", "Please confirm before publishing.", { confirm: [PUBLISH_CONFIRM] });
        }
        const moved = await consultations.movePhase(db, viewer, key, { to: form.to });
        // One sentence per phase: each has its translation in the locale files' messages.
        return done(`The consultation is now in the ${PHASE_LABELS[moved.to]} phase.`, "move-phase");
      },
      schedule: async ({ db, viewer, key, form }) => {
        await consultations.setSchedule(db, viewer, key, {
          positionsAt: utcFromLocalInput(form.positionsAt),
          deliberationAt: utcFromLocalInput(form.deliberationAt),
          synthesisAt: utcFromLocalInput(form.synthesisAt),
          publishedAt: utcFromLocalInput(form.publishedAt),
        });
        return done("The schedule was saved.", "schedule");
      },
      privacy: async ({ db, viewer, key, form }) => {
        await rights.setPrivacySettings(db, viewer, key, { erasureMode: form.erasureMode, eraseSignInOnPublish: form.eraseSignInOnPublish, minGroupSize: form.minGroupSize });
        return done("The privacy settings were saved.", "privacy");
      },
      languages: async ({ db, viewer, key, form }) => {
        await languages.setLanguages(db, viewer, key, { mainLanguage: form.mainLanguage, languages: form.languages });
        return done("The languages were saved.", "languages");
      },
      details: async ({ db, viewer, key, form }) => {
        const reserved = reservedSlugError(form.slug);
        if (reserved) throw new DomainError("invalid", "Please correct the form.", reserved);
        const updated = await consultations.updateDetails(db, viewer, key, form);
        if (updated.slug !== key.slug) return redirect(`/facilitate/${encodeURIComponent(updated.slug)}`);
        return done("The details were saved.", "details");
      },
    },
    { maxBytes: MAX_FORM_BYTES, lists: ["languages"] }
  );
}

const SCHEDULE_FIELDS = ["positionsAt", "deliberationAt", "synthesisAt", "publishedAt"] as const;

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  const { limits } = data;
  const { t } = useTranslation();
  const f = useFormat();
  const phaseName = (phase: Phase) => t(`facilitator.phases.${phase}`);
  const result = useActionData<FormResult>();
  const moveFailed = failureFor(result, "move-phase");
  const scheduleFailed = failureFor(result, "schedule");
  const detailsFailed = failureFor(result, "details");
  const sv = scheduleFailed?.values ?? {};
  const dv = detailsFailed?.values ?? {};
  const forms = data.editable ? ["move-phase", "schedule", "details", ...(data.privacy.locked ? [] : ["privacy"])] : [];
  // With a group below the minimum, the total would give its size away (total minus the other groups).
  const totalHidden = data.participation.groups.some((g) => g.participants.suppressed);

  return (
    <div className="stack">
      <PageNotice result={result} forms={forms.map((f) => formKey(f))} />

      <section className="card stack" aria-labelledby="phase-title" id={formAnchor("move-phase")}>
        <h2 id="phase-title">{t("facilitator.overview.phase")}</h2>
        <PhaseStepper steps={data.steps} current={data.phase} />
        <p className="small muted">
          {t("facilitator.overview.since", { phase: phaseName(data.phase) })} <When at={data.phaseChanged} />.
        </p>
        <FormNotice result={result} intent="move-phase" />
        <PhaseHelp phase={data.phase} questionCount={data.questionCount} />
        {data.phase === "published" ? (
          <p>{t("facilitator.overview.publishedClosed")}</p>
        ) : (
          <div className="phase-actions">
            {data.previous ? (
              <Form method="post" className="phase-form" preventScrollReset>
                <FormMeta intent="move-phase" />
                <input type="hidden" name="to" value={data.previous} />
                <ActionButton intent="move-phase" className="button button-secondary" pendingText={t("facilitator.common.moving")}>
                  {t("facilitator.overview.backTo", { phase: phaseName(data.previous) })}
                </ActionButton>
              </Form>
            ) : null}
            {data.next === "published" ? (
              // Publishing goes through the report: run the synthesis, review the wording, then publish.
              <Link to="synthesis" className="button">
                {t("facilitator.overview.reviewPublish")}
              </Link>
            ) : data.next ? (
              <Form method="post" className="phase-form" preventScrollReset noValidate>
                <FormMeta intent="move-phase" />
                <input type="hidden" name="to" value={data.next} />
                <ActionButton intent="move-phase" className="button" pendingText={t("facilitator.common.moving")}>
                  {t("facilitator.overview.moveOn", { phase: phaseName(data.next) })}
                </ActionButton>
              </Form>
            ) : null}
          </div>
        )}
      </section>

      <section className="card stack" aria-labelledby="participation-title">
        <h2 id="participation-title">{t("facilitator.overview.participation")}</h2>
        <p className="small muted">
          {t("facilitator.overview.participationNote")}
          {totalHidden ? ` ${t("facilitator.overview.totalHidden")}` : ""}
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("facilitator.overview.columns.group")}</th>
                <th scope="col">{t("facilitator.overview.columns.joined")}</th>
                <th scope="col">{t("facilitator.overview.columns.wrote")}</th>
                <th scope="col">{t("facilitator.overview.columns.voted")}</th>
                <th scope="col">{t("facilitator.overview.columns.invitations")}</th>
              </tr>
            </thead>
            <tbody>
              {data.participation.groups.map((g) => (
                <tr key={g.groupId}>
                  <th scope="row">{g.name}</th>
                  <td>
                    <ShownCount value={g.participants} />
                  </td>
                  <td>
                    <ShownCount value={g.positions} />
                  </td>
                  <td>
                    <ShownCount value={g.voters} />
                  </td>
                  <td>{f.number(g.invitations)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("facilitator.overview.allGroups")}</th>
                <td>
                  {totalHidden ? (
                    <span className="suppressed">{t("facilitator.overview.notShown")}</span>
                  ) : (
                    <ShownCount value={data.participation.total} />
                  )}
                </td>
                <td colSpan={2}></td>
                <td>{f.number(data.participation.groups.reduce((sum, g) => sum + g.invitations, 0))}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>

      <section className="card stack" aria-labelledby="schedule-title" id={formAnchor("schedule")}>
        <h2 id="schedule-title">{t("facilitator.overview.schedule")}</h2>
        <p>{t("facilitator.overview.scheduleIntro")}</p>
        <p className="small muted">
          {t("facilitator.overview.timesUtc")} <When at={data.now} />.
        </p>
        {data.editable ? (
          <Form method="post" noValidate preventScrollReset>
            <FormMeta intent="schedule" />
            <FormNotice result={result} intent="schedule" />
            <div className="grid-2">
              {SCHEDULE_FIELDS.map((name) => (
                <Field
                  key={name}
                  label={`${t(`facilitator.overview.scheduleFields.${name}`)} (UTC)`}
                  name={name}
                  type="datetime-local"
                  defaultValue={sv[name] ?? data.schedule[name].input}
                  errors={scheduleFailed?.fieldErrors[name]}
                />
              ))}
            </div>
            <ActionButton intent="schedule" pendingText={t("facilitator.common.saving")}>
              {t("facilitator.overview.saveSchedule")}
            </ActionButton>
          </Form>
        ) : (
          <dl>
            {SCHEDULE_FIELDS.map((name) => (
              <div key={name}>
                <dt>{t(`facilitator.overview.scheduleFields.${name}`)}</dt>
                <dd>{data.schedule[name].shown ? <When at={data.schedule[name].shown!} /> : t("facilitator.overview.notScheduled")}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <PrivacySettings settings={data.privacy} result={result} />

      <LanguagesSettings choices={data.languages.choices} languages={data.languages.chosen} editable={data.editable} result={result} />

      <section className="card stack" aria-labelledby="details-title" id={formAnchor("details")}>
        <h2 id="details-title">{t("facilitator.overview.details")}</h2>
        {data.editable ? (
          <Form method="post" noValidate preventScrollReset>
            <FormMeta intent="details" />
            <FormNotice result={result} intent="details" />
            <Field
              label={t("facilitator.details.title")}
              name="title"
              required
              maxLength={limits.titleMax}
              defaultValue={dv.title ?? data.details.title}
              errors={detailsFailed?.fieldErrors.title}
            />
            <Field
              label={t("facilitator.details.slug")}
              name="slug"
              required
              readOnly={data.phase !== "draft"}
              autoCapitalize="none"
              spellCheck={false}
              hint={
                data.phase === "draft"
                  ? t("facilitator.overview.slugHintDraft")
                  : t("facilitator.overview.slugHintFixed")
              }
              defaultValue={dv.slug ?? data.details.slug}
              errors={detailsFailed?.fieldErrors.slug}
            />
            <Field
              label={t("facilitator.details.description")}
              name="description"
              multiline
              rows={10}
              hint={t("facilitator.overview.descriptionHint")}
              required
              maxLength={limits.descriptionMax}
              defaultValue={dv.description ?? data.details.description}
              errors={detailsFailed?.fieldErrors.description}
            />
            <Field
              label={t("facilitator.details.maxLength")}
              name="maxPositionLength"
              type="number"
              inputMode="numeric"
              min={100}
              max={limits.positionMaxCeiling}
              step={1}
              required
              defaultValue={dv.maxPositionLength ?? String(data.details.maxPositionLength)}
              errors={detailsFailed?.fieldErrors.maxPositionLength}
            />
            <ActionButton intent="details" pendingText={t("facilitator.common.saving")}>
              {t("facilitator.overview.saveDetails")}
            </ActionButton>
          </Form>
        ) : (
          <dl>
            <dt>{t("facilitator.details.slug")}</dt>
            <dd>{data.details.slug}</dd>
            <dt>{t("facilitator.overview.longest")}</dt>
            <dd>{t("facilitator.overview.characters", { count: data.details.maxPositionLength, n: f.number(data.details.maxPositionLength) })}</dd>
          </dl>
        )}
      </section>
    </div>
  );
}

function PhaseHelp({ phase, questionCount }: { phase: Phase; questionCount: number }) {
  const { t } = useTranslation();
  if (phase === "published") return null;
  return (
    <p>
      {t(`facilitator.overview.help.${phase}`)}
      {phase === "draft" && questionCount === 0 ? ` ${t("facilitator.overview.help.addQuestion")}` : ""}
    </p>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
