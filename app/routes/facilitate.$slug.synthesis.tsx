/**
 * Synthesis and report (facilitators): run the synthesis engine, follow its progress, review what it
 * found (recommendations in your own words, with the numbers beside them; disagreements; opinion groups),
 * preview the report and publish it. Works without JavaScript: forms post, and while a run is going the
 * page reloads itself every 2 seconds (<noscript> meta refresh); with JavaScript it revalidates every second.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Trans, useTranslation } from "../i18n-react";
import { metaT, useFormat, useMessage } from "../i18n";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { ConfirmBox } from "../components/facilitator/confirm-box";
import { When } from "../components/facilitator/format";
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
import { facilitatorAction, facilitatorLoader } from "../components/facilitator/facilitator.server";
import { Field } from "../components/field";
import { ReportView } from "../components/report/report-view";
import { synthesisPage } from "../components/report/synthesis.server";
import { requestLanguage } from "../i18n.server";
import { DomainError, synthesis } from "../domain.server";
import reportStyles from "../styles/report.css";

/** Wording and the introduction can be long; non-Latin text grows up to 9x when url-encoded. */
const MAX_FORM_BYTES = 128 * 1024;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];

export const meta: MetaFunction = ({ matches }) => {
  const parent = matches.find((m) => m.id === "routes/facilitate.$slug")?.data as { title?: string } | undefined;
  const name = metaT(matches)("facilitator.synthesis.title");
  return [{ title: parent?.title ? `${name} · ${parent.title} · Polyphony` : `${name} · Polyphony` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, ({ db, viewer, key }) => synthesisPage(db, viewer, key, requestLanguage(request)));
}

export async function action({ request, params }: ActionFunctionArgs) {
  return facilitatorAction(
    request,
    params,
    {
      run: async ({ db, viewer, key }) => {
        await synthesis.startRunInBackground(db, viewer, key);
        // Post/redirect/get: reloading the progress page must not start another run.
        return redirect(`/facilitate/${encodeURIComponent(key.slug)}/synthesis`);
      },
      "save-wording": async ({ db, viewer, key, form }) => {
        await synthesis.saveEdits(db, viewer, key, form.id ?? "", form.wording);
        return done("Your wording was saved. The numbers beside it are unchanged.", "save-wording", form.id);
      },
      "reset-wording": async ({ db, viewer, key, form }) => {
        await synthesis.resetEdit(db, viewer, key, form.id ?? "");
        return done("Back to the participants' own words.", "reset-wording", form.id);
      },
      "save-note": async ({ db, viewer, key, form }) => {
        await synthesis.saveSummaryNote(db, viewer, key, { summaryNote: form.summaryNote ?? "" });
        return done("Your introduction was saved.", "save-note");
      },
      publish: async ({ db, viewer, key, form }) => {
        if (form.confirm !== "yes") {
          throw new DomainError("invalid", "Please confirm before publishing.", {
            confirm: ["Tick the box to confirm: the consultation closes for good when the report is published."],
          });
        }
        await synthesis.publishReport(db, viewer, key, { runId: form.runId });
        return done("The report is published. The consultation is closed.", "publish");
      },
    },
    { maxBytes: MAX_FORM_BYTES },
  );
}

export default function Synthesis() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
  const revalidator = useRevalidator();
  const { t } = useTranslation();
  const m = useMessage();
  const f = useFormat();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  const base = `/facilitate/${encodeURIComponent(data.slug)}`;

  // With JavaScript: follow the run every second instead of reloading the page.
  useEffect(() => {
    if (!data.running) return;
    const timer = setInterval(() => {
      if (latest.current.state === "idle") latest.current.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [data.running]);

  const draft = data.draft;
  const forms = [
    formKey("run"),
    formKey("save-note"),
    formKey("publish"),
    ...(draft?.recommendations.flatMap((r) => [formKey("save-wording", r.statementId), formKey("reset-wording", r.statementId)]) ?? []),
  ];
  const publishFailed = failureFor(result, "publish");
  const noteFailed = failureFor(result, "save-note");

  return (
    <div className="stack synthesis">
      {data.running ? (
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      ) : null}
      <h2>{t("facilitator.synthesis.title")}</h2>
      <PageNotice result={result} forms={forms} />
      <PhaseNote phase={data.phase} published={draft?.status === "published"} slug={data.slug} />

      <section className="card stack" aria-labelledby="run-title" id={formAnchor("run")}>
        <h3 id="run-title">{t("facilitator.synthesis.run")}</h3>
        {data.run ? (
          <div className="stack-tight" aria-live="polite">
            <p>
              <strong>{t(`facilitator.synthesis.status.${data.run.status}`)}</strong>
              {data.run.status === "running" || data.run.status === "queued" ? (
                <>
                  {" "}
                  — {f.percent(data.run.percent / 100)}<span className="muted"> ({m(data.run.stage)})</span>
                </>
              ) : null}
              <span className="small muted">
                {" "}
                · {t("facilitator.synthesis.started")} <When at={data.run.created} />
                {data.run.finished ? (
                  <>
                    , {t("facilitator.synthesis.ended")} <When at={data.run.finished} />
                  </>
                ) : null}
              </span>
            </p>
            {data.running ? (
              <>
                <progress max={100} value={data.run.percent} aria-label={t("facilitator.synthesis.progress")}>
                  {f.percent(data.run.percent / 100)}
                </progress>
                <p className="small muted">{t("facilitator.synthesis.updates")}</p>
              </>
            ) : null}
            {data.run.status === "failed" ? <p className="notice notice-error">{data.run.error ? m(data.run.error) : null}</p> : null}
          </div>
        ) : (
          <p className="muted">{t("facilitator.synthesis.noRun")}</p>
        )}
        <FormNotice result={result} intent="run" />
        {data.canRun ? (
          <Form method="post" preventScrollReset>
            <FormMeta intent="run" />
            <ActionButton intent="run" pendingText={t("facilitator.synthesis.starting")}>
              {data.run ? t("facilitator.synthesis.runAgain") : t("facilitator.synthesis.runIt")}
            </ActionButton>
          </Form>
        ) : null}
      </section>

      {draft ? (
        <>
          {draft.stale && draft.status === "draft" ? (
            <div className="notice notice-warning" role="note">
              <p>{t("facilitator.synthesis.stale")}</p>
            </div>
          ) : null}
          {draft.warnings.length ? (
            <div className="notice" role="note">
              <ul>
                {draft.warnings.map((w) => (
                  <li key={w}>{m(w)}</li>
                ))}
              </ul>
            </div>
          ) : null}

          <section className="card stack" aria-labelledby="downloads-title">
            <h3 id="downloads-title">{draft.status === "published" ? t("facilitator.synthesis.files") : t("facilitator.synthesis.draftFiles")}</h3>
            <p className="small">
              {(["md", "html", "json", "csv"] as const).map((f, i) => (
                <span key={f}>
                  {i ? " · " : ""}
                  <a href={`${base}/synthesis/download?format=${f}`} download>
                    {f === "md" ? "Markdown" : f.toUpperCase()}
                  </a>
                </span>
              ))}
            </p>
            {draft.status === "published" ? (
              <p>
                {t("facilitator.synthesis.publicReport")} <a href={`/reports/${encodeURIComponent(data.slug)}`}>/reports/{data.slug}</a>
              </p>
            ) : null}
          </section>

          <section className="card stack" aria-labelledby="note-title" id={formAnchor("save-note")}>
            <h3 id="note-title">{t("facilitator.synthesis.introduction")}</h3>
            {data.canEdit ? (
              <Form method="post" noValidate preventScrollReset>
                <FormMeta intent="save-note" />
                <FormNotice result={result} intent="save-note" />
                <Field
                  label={t("facilitator.synthesis.introLabel")}
                  name="summaryNote"
                  multiline
                  rows={5}
                  maxLength={data.limits.summaryMax}
                  hint={t("facilitator.synthesis.introHint")}
                  defaultValue={noteFailed?.values?.summaryNote ?? draft.summaryNote}
                  key={draft.summaryNote}
                  errors={noteFailed?.fieldErrors.summaryNote}
                />
                <ActionButton intent="save-note" pendingText={t("facilitator.common.saving")}>
                  {t("facilitator.synthesis.saveIntro")}
                </ActionButton>
              </Form>
            ) : draft.summaryNote ? (
              <p className="pre-wrap">{draft.summaryNote}</p>
            ) : (
              <p className="muted">{t("facilitator.synthesis.noIntro")}</p>
            )}
          </section>

          <section className="stack" aria-labelledby="recommendations-title">
            <h3 id="recommendations-title">{t("facilitator.synthesis.recommendations", { n: f.number(draft.recommendations.length) })}</h3>
            <p className="small muted">
              {t("facilitator.synthesis.recommendationsIntro", { count: data.minGroupSize, n: f.number(data.minGroupSize) })}
            </p>
            {draft.recommendations.length === 0 ? <p className="muted">{t("facilitator.synthesis.noRecommendations")}</p> : null}
            <ol className="item-list stack">
              {draft.recommendations.map((r) => {
                const failed = failureFor(result, "save-wording", r.statementId);
                return (
                  <li key={r.statementId} className="card stack recommendation" id={formAnchor("save-wording", r.statementId)}>
                    <div className="row row-between">
                      <h4>
                        {r.label}
                        {r.theme ? <span className="muted small"> · {r.theme}</span> : null}
                      </h4>
                      {r.edited ? <span className="badge">{t("facilitator.synthesis.yourWording")}</span> : null}
                    </div>
                    <div className="grid-2">
                      <div className="stack-tight">
                        <p className="small muted">{t("facilitator.synthesis.asWritten")}</p>
                        <blockquote className="flagged-body">{r.original}</blockquote>
                        <FormNotice result={result} intent="save-wording" id={r.statementId} />
                        <FormNotice result={result} intent="reset-wording" id={r.statementId} />
                        {data.canEdit ? (
                          <>
                            <Form method="post" noValidate preventScrollReset className="stack-tight">
                              <FormMeta intent="save-wording" id={r.statementId} />
                              <Field
                                label={<>{t("facilitator.synthesis.wording")}<span className="visually-hidden"> {t("facilitator.synthesis.forLabel", { label: r.label })}</span></>}
                                name="wording"
                                multiline
                                rows={4}
                                required
                                minLength={data.limits.wordingMin}
                                maxLength={data.limits.wordingMax}
                                defaultValue={failed?.values?.wording ?? r.wording}
                                key={r.wording}
                                errors={failed?.fieldErrors.wording}
                              />
                              <ActionButton intent="save-wording" id={r.statementId} pendingText={t("facilitator.common.saving")}>
                                {t("facilitator.synthesis.saveWording")}<span className="visually-hidden"> {t("facilitator.synthesis.forLabel", { label: r.label })}</span>
                              </ActionButton>
                            </Form>
                            {r.edited ? (
                              <Form method="post" preventScrollReset>
                                <FormMeta intent="reset-wording" id={r.statementId} />
                                <ActionButton
                                  intent="reset-wording"
                                  id={r.statementId}
                                  className="button button-secondary button-small"
                                  pendingText={t("facilitator.synthesis.resetting")}
                                >
                                  {t("facilitator.synthesis.reset")}<span className="visually-hidden"> {t("facilitator.synthesis.forLabel", { label: r.label })}</span>
                                </ActionButton>
                              </Form>
                            ) : null}
                          </>
                        ) : (
                          <p>
                            <strong>{r.wording}</strong>
                          </p>
                        )}
                      </div>
                      <div className="stack-tight figures">
                        <p className="small">
                          <strong>{t("facilitator.synthesis.everyone")}</strong> {r.overall}
                        </p>
                        <ul className="small">
                          {r.groups.map((g) => (
                            <li key={g}>{g}</li>
                          ))}
                        </ul>
                        <p className="small muted">{r.basis}</p>
                        <p className="small muted">
                          {t("facilitator.synthesis.consensus", { value: r.consensus })} {r.stability}
                        </p>
                      </div>
                    </div>
                  </li>
                );
              })}
            </ol>
          </section>

          <section className="stack" aria-labelledby="disagreements-title">
            <h3 id="disagreements-title">{t("facilitator.synthesis.disagreements", { n: f.number(draft.disagreements.length) })}</h3>
            {draft.disagreements.length === 0 ? <p className="muted">{t("facilitator.synthesis.noDisagreements")}</p> : null}
            <ul className="item-list stack">
              {draft.disagreements.map((d) => (
                <li key={d.statementId} className="card stack-tight">
                  <p>
                    <strong>{d.label}</strong> {d.wording}
                  </p>
                  <p className="small">
                    {t("facilitator.synthesis.gapLine", { mostFor: d.mostFor, mostAgainst: d.mostAgainst, gap: d.gap })}
                  </p>
                </li>
              ))}
            </ul>
          </section>

          <section className="stack" aria-labelledby="opinion-title">
            <h3 id="opinion-title">{t("facilitator.synthesis.opinionGroups", { n: f.number(draft.opinionGroups.length) })}</h3>
            <p className="small muted">
              {t("facilitator.synthesis.opinionIntro")}
              {draft.clustering.tooSmallToTrust ? ` ${t("facilitator.synthesis.tooSmall")}` : ""}
              {draft.clustering.unstable ? ` ${t("facilitator.synthesis.unstable")}` : ""}
            </p>
            <ul className="item-list stack">
              {draft.opinionGroups.map((g) => (
                <li key={g.id} className="card stack-tight">
                  <h4>
                    {g.name} <span className="muted small">({t("facilitator.synthesis.people", { size: g.size })})</span>
                  </h4>
                  {g.note ? <p className="small muted">{g.note}</p> : null}
                  {g.items.length ? (
                    <ul className="small">
                      {g.items.map((i) => (
                        <li key={i.label}>
                          {i.direction === "agree" ? t("facilitator.synthesis.agreedWith") : t("facilitator.synthesis.disagreedWith")}{" "}
                          <strong>{i.label}</strong> “{i.text}”:{" "}
                          {i.othersShare === null
                            ? t("facilitator.synthesis.shareGroup", { group: i.groupShare })
                            : t("facilitator.synthesis.shareBoth", { group: i.groupShare, others: i.othersShare })}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>

          <section className="stack" aria-labelledby="preview-title">
            <h3 id="preview-title">{draft.status === "published" ? t("facilitator.synthesis.publishedReport") : t("facilitator.synthesis.preview")}</h3>
            <div className="card report-preview">
              <ReportView html={draft.preview.html} css={draft.preview.css} />
            </div>
          </section>

          {draft.status === "draft" ? (
            <section className="card stack" aria-labelledby="publish-title" id={formAnchor("publish")}>
              <h3 id="publish-title">{t("facilitator.synthesis.publish")}</h3>
              <p>
                <Trans
                  i18nKey="facilitator.synthesis.publishIntro"
                  values={{ path: `/reports/${data.slug}` }}
                  components={{ code: <code /> }}
                />
              </p>
              <FormNotice result={result} intent="publish" />
              {data.canPublish ? (
                <Form method="post" noValidate preventScrollReset>
                  <FormMeta intent="publish" />
                  <input type="hidden" name="runId" value={draft.runId} />
                  <ConfirmBox
                    label={t("facilitator.synthesis.confirm")}
                    errors={publishFailed?.fieldErrors.confirm}
                  />
                  <ActionButton intent="publish" className="button button-danger" pendingText={t("facilitator.synthesis.publishing")}>
                    {t("facilitator.synthesis.publishButton")}
                  </ActionButton>
                </Form>
              ) : (
                <p className="muted">
                  {data.phase !== "synthesis" && data.phase !== "published"
                    ? t("facilitator.synthesis.notYet")
                    : draft.stale
                      ? t("facilitator.synthesis.runAgainFirst")
                      : t("facilitator.synthesis.waitFinish")}
                </p>
              )}
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function PhaseNote({ phase, published, slug }: { phase: string; published: boolean; slug: string }) {
  const { t } = useTranslation();
  switch (phase) {
    case "draft":
    case "positions":
      return <p>{t("facilitator.synthesis.phaseNote.early")}</p>;
    case "deliberation":
      return <p>{t("facilitator.synthesis.phaseNote.deliberation")}</p>;
    case "synthesis":
      return <p>{t("facilitator.synthesis.phaseNote.synthesis")}</p>;
    default:
      return published ? (
        <p>
          <Trans
            i18nKey="facilitator.synthesis.phaseNote.published"
            components={{ link: <a href={`/reports/${encodeURIComponent(slug)}`} /> }}
          />
        </p>
      ) : (
        <p>{t("facilitator.synthesis.phaseNote.closed")}</p>
      );
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
