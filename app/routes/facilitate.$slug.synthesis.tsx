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
  return [{ title: parent?.title ? `Synthesis and report · ${parent.title} · Polyphony` : "Synthesis and report · Polyphony" }];
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

const STATUS_TEXT = { queued: "Waiting to start", running: "Running", done: "Finished", failed: "Failed" } as const;

export default function Synthesis() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
  const revalidator = useRevalidator();
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
      <h2>Synthesis and report</h2>
      <PageNotice result={result} forms={forms} />
      <PhaseNote phase={data.phase} published={draft?.status === "published"} slug={data.slug} />

      <section className="card stack" aria-labelledby="run-title" id={formAnchor("run")}>
        <h3 id="run-title">Synthesis run</h3>
        {data.run ? (
          <div className="stack-tight" aria-live="polite">
            <p>
              <strong>{STATUS_TEXT[data.run.status]}</strong>
              {data.run.status === "running" || data.run.status === "queued" ? (
                <>
                  {" "}
                  — {data.run.percent}%<span className="muted"> ({data.run.stage})</span>
                </>
              ) : null}
              <span className="small muted">
                {" "}
                · started <When at={data.run.created} />
                {data.run.finished ? (
                  <>
                    , ended <When at={data.run.finished} />
                  </>
                ) : null}
              </span>
            </p>
            {data.running ? (
              <>
                <progress max={100} value={data.run.percent} aria-label="Synthesis progress">
                  {data.run.percent}%
                </progress>
                <p className="small muted">This page updates by itself while the synthesis runs.</p>
              </>
            ) : null}
            {data.run.status === "failed" ? <p className="notice notice-error">{data.run.error}</p> : null}
          </div>
        ) : (
          <p className="muted">No synthesis has run yet.</p>
        )}
        <FormNotice result={result} intent="run" />
        {data.canRun ? (
          <Form method="post" preventScrollReset>
            <FormMeta intent="run" />
            <ActionButton intent="run" pendingText="Starting…">
              {data.run ? "Run the synthesis again" : "Run the synthesis"}
            </ActionButton>
          </Form>
        ) : null}
      </section>

      {draft ? (
        <>
          {draft.stale && draft.status === "draft" ? (
            <div className="notice notice-warning" role="note">
              <p>
                Positions, votes or participants changed since this synthesis ran (votes, moderation or a suspension).
                Run it again before publishing: the report must not include hidden positions.
              </p>
            </div>
          ) : null}
          {draft.warnings.length ? (
            <div className="notice" role="note">
              <ul>
                {draft.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          ) : null}

          <section className="card stack" aria-labelledby="downloads-title">
            <h3 id="downloads-title">{draft.status === "published" ? "Report files" : "Draft report files"}</h3>
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
                Public report: <a href={`/reports/${encodeURIComponent(data.slug)}`}>/reports/{data.slug}</a>
              </p>
            ) : null}
          </section>

          <section className="card stack" aria-labelledby="note-title" id={formAnchor("save-note")}>
            <h3 id="note-title">Your introduction</h3>
            {data.canEdit ? (
              <Form method="post" noValidate preventScrollReset>
                <FormMeta intent="save-note" />
                <FormNotice result={result} intent="save-note" />
                <Field
                  label="Introduction to the report (optional)"
                  name="summaryNote"
                  multiline
                  rows={5}
                  maxLength={data.limits.summaryMax}
                  hint="Shown at the top of the report. You can use Markdown. Never name participants."
                  defaultValue={noteFailed?.values?.summaryNote ?? draft.summaryNote}
                  key={draft.summaryNote}
                  errors={noteFailed?.fieldErrors.summaryNote}
                />
                <ActionButton intent="save-note" pendingText="Saving…">
                  Save introduction
                </ActionButton>
              </Form>
            ) : draft.summaryNote ? (
              <p className="pre-wrap">{draft.summaryNote}</p>
            ) : (
              <p className="muted">No introduction.</p>
            )}
          </section>

          <section className="stack" aria-labelledby="recommendations-title">
            <h3 id="recommendations-title">Recommendations ({draft.recommendations.length})</h3>
            <p className="small muted">
              Statements a majority of every group supports. You may put each one in your own words; the numbers always
              come from the votes and do not change. Any figure about fewer than {data.minGroupSize} people is not shown.
            </p>
            {draft.recommendations.length === 0 ? <p className="muted">No statement is supported across the groups.</p> : null}
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
                      {r.edited ? <span className="badge">Your wording</span> : null}
                    </div>
                    <div className="grid-2">
                      <div className="stack-tight">
                        <p className="small muted">As participants wrote it:</p>
                        <blockquote className="flagged-body">{r.original}</blockquote>
                        <FormNotice result={result} intent="save-wording" id={r.statementId} />
                        <FormNotice result={result} intent="reset-wording" id={r.statementId} />
                        {data.canEdit ? (
                          <>
                            <Form method="post" noValidate preventScrollReset className="stack-tight">
                              <FormMeta intent="save-wording" id={r.statementId} />
                              <Field
                                label={<>Wording in the report<span className="visually-hidden"> for {r.label}</span></>}
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
                              <ActionButton intent="save-wording" id={r.statementId} pendingText="Saving…">
                                Save wording<span className="visually-hidden"> for {r.label}</span>
                              </ActionButton>
                            </Form>
                            {r.edited ? (
                              <Form method="post" preventScrollReset>
                                <FormMeta intent="reset-wording" id={r.statementId} />
                                <ActionButton
                                  intent="reset-wording"
                                  id={r.statementId}
                                  className="button button-secondary button-small"
                                  pendingText="Resetting…"
                                >
                                  Reset to original<span className="visually-hidden"> for {r.label}</span>
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
                          <strong>Everyone:</strong> {r.overall}
                        </p>
                        <ul className="small">
                          {r.groups.map((g) => (
                            <li key={g}>{g}</li>
                          ))}
                        </ul>
                        <p className="small muted">{r.basis}</p>
                        <p className="small muted">
                          Consensus across groups: {r.consensus}. {r.stability}
                        </p>
                      </div>
                    </div>
                  </li>
                );
              })}
            </ol>
          </section>

          <section className="stack" aria-labelledby="disagreements-title">
            <h3 id="disagreements-title">Where groups disagree ({draft.disagreements.length})</h3>
            {draft.disagreements.length === 0 ? <p className="muted">No statement divides the groups sharply.</p> : null}
            <ul className="item-list stack">
              {draft.disagreements.map((d) => (
                <li key={d.statementId} className="card stack-tight">
                  <p>
                    <strong>{d.label}</strong> {d.wording}
                  </p>
                  <p className="small">
                    Most for — {d.mostFor}; most against — {d.mostAgainst}. Gap: {d.gap}.
                  </p>
                </li>
              ))}
            </ul>
          </section>

          <section className="stack" aria-labelledby="opinion-title">
            <h3 id="opinion-title">Opinion groups ({draft.opinionGroups.length})</h3>
            <p className="small muted">
              People who voted alike, found from the votes alone (not the groups people declared).
              {draft.clustering.tooSmallToTrust ? " Some of these groups are too small to trust." : ""}
              {draft.clustering.unstable ? " The grouping is not stable: treat it with care." : ""}
            </p>
            <ul className="item-list stack">
              {draft.opinionGroups.map((g) => (
                <li key={g.id} className="card stack-tight">
                  <h4>
                    {g.name} <span className="muted small">({g.size} people)</span>
                  </h4>
                  {g.note ? <p className="small muted">{g.note}</p> : null}
                  {g.items.length ? (
                    <ul className="small">
                      {g.items.map((i) => (
                        <li key={i.label}>
                          {i.direction === "agree" ? "Agreed with" : "Disagreed with"} <strong>{i.label}</strong> “{i.text}”:{" "}
                          {i.groupShare} of this group
                          {i.othersShare === null ? "" : `, ${i.othersShare} of everyone else`}.
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>

          <section className="stack" aria-labelledby="preview-title">
            <h3 id="preview-title">{draft.status === "published" ? "The published report" : "Preview of the report"}</h3>
            <div className="card report-preview">
              <ReportView html={draft.preview.html} css={draft.preview.css} />
            </div>
          </section>

          {draft.status === "draft" ? (
            <section className="card stack" aria-labelledby="publish-title" id={formAnchor("publish")}>
              <h3 id="publish-title">Publish</h3>
              <p>
                Publishing makes the report public at <code>/reports/{data.slug}</code> for anyone with the link, and
                closes the consultation for good: nothing can change afterwards.
              </p>
              <FormNotice result={result} intent="publish" />
              {data.canPublish ? (
                <Form method="post" noValidate preventScrollReset>
                  <FormMeta intent="publish" />
                  <input type="hidden" name="runId" value={draft.runId} />
                  <ConfirmBox
                    label="I have reviewed this report. Publish it and close the consultation."
                    errors={publishFailed?.fieldErrors.confirm}
                  />
                  <ActionButton intent="publish" className="button button-danger" pendingText="Publishing…">
                    Publish the report
                  </ActionButton>
                </Form>
              ) : (
                <p className="muted">
                  {data.phase !== "synthesis" && data.phase !== "published"
                    ? "The report can be published in the synthesis phase (move the consultation on from the overview)."
                    : draft.stale
                      ? "Run the synthesis again first."
                      : "Wait for the synthesis to finish."}
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
  switch (phase) {
    case "draft":
    case "positions":
      return <p>The synthesis can run once the deliberation starts.</p>;
    case "deliberation":
      return (
        <p>
          Participants can still vote: a synthesis now is a preview. Move on to the synthesis phase to close the votes,
          then run it again for the report.
        </p>
      );
    case "synthesis":
      return <p>The votes are closed. Run the synthesis, review it, then publish the report.</p>;
    default:
      return published ? (
        <p>
          The report is published: <a href={`/reports/${encodeURIComponent(slug)}`}>read it as the public sees it</a>.
        </p>
      ) : (
        <p>The consultation is closed. Its report has not been published.</p>
      );
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
