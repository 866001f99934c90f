import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import { useFormat } from "../i18n";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { stamp, When } from "../components/facilitator/format";
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
import { Field } from "../components/field";
import { Markdown } from "../components/markdown";
import {
  facilitatorAction,
  facilitatorLoader,
  type FacilitatorActionContext,
} from "../components/facilitator/facilitator.server";
import { moderation, participants } from "../domain.server";
import { consultationPath } from "../paths";
import { LIMITS } from "../components/facilitator/rules.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const queue = await moderation.moderationQueue(db, viewer, key);
    const people = await participants.listParticipants(db, viewer, key);
    return {
      slug: key.slug,
      reasonMax: LIMITS.reasonMax,
      canModerate: queue.canModerate,
      queue: queue.queue.map((item) => ({
        target: item.target,
        id: item.id,
        positionId: item.positionId,
        status: item.status,
        bodyHtml: item.bodyHtml,
        language: item.language,
        author: item.author,
        moderationNote: item.moderationNote,
        flags: item.flags.map((f) => ({ reason: f.reason, reporter: f.reporter, at: stamp(f.createdAt) })),
      })),
      hidden: queue.hidden.map((h) => ({
        target: h.target,
        id: h.id,
        positionId: h.positionId,
        bodyHtml: h.bodyHtml,
        language: h.language,
        note: h.note,
        pseudonym: h.pseudonym,
      })),
      // Ids only go into hidden form fields, never on the page.
      participants: people.map((p) => ({
        id: p.id,
        pseudonym: p.pseudonym,
        groupName: p.groupName,
        status: p.status,
        suspendedReason: p.suspendedReason,
        positions: p.positions,
        comments: p.comments,
      })),
    };
  });
}

/** The item a moderation form names (`id`), and what it is in messages (`target`). */
function item({ form }: FacilitatorActionContext) {
  return { id: form.id ?? "", what: form.target === "comment" ? "comment" : "position" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  return facilitatorAction(request, params, {
    hide: async (ctx) => {
      const { id, what } = item(ctx);
      await moderation.hideContent(ctx.db, ctx.viewer, ctx.key, ctx.form.target, id, { reason: ctx.form.reason });
      return done(`The ${what} is hidden. Its place shows your reason.`, "hide", id);
    },
    keep: async (ctx) => {
      const { id, what } = item(ctx);
      await moderation.dismissFlags(ctx.db, ctx.viewer, ctx.key, ctx.form.target, id);
      return done(`The ${what} stays as it is; its flags are closed.`, "keep", id);
    },
    restore: async (ctx) => {
      const { id, what } = item(ctx);
      await moderation.restoreContent(ctx.db, ctx.viewer, ctx.key, ctx.form.target, id);
      return done(`The ${what} is visible again.`, "restore", id);
    },
    suspend: async ({ db, viewer, key, form }) => {
      await participants.suspendParticipant(db, viewer, key, form.id ?? "", { reason: form.reason });
      return done("The participant is suspended: they can still read, but no longer take part.", "suspend", form.id ?? "");
    },
    reinstate: async ({ db, viewer, key, form }) => {
      await participants.reinstateParticipant(db, viewer, key, form.id ?? "");
      return done("The participant can take part again.", "reinstate", form.id ?? "");
    },
  });
}

export default function Moderation() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
  const { t } = useTranslation();
  const f = useFormat();
  const positionPath = (positionId: string) => `${consultationPath(data.slug)}/p/${encodeURIComponent(positionId)}`;
  const forms = [
    ...data.queue.flatMap((i) => [formKey("hide", i.id), formKey("keep", i.id)]),
    ...data.hidden.map((h) => formKey("restore", h.id)),
    ...data.participants.flatMap((p) => [formKey("suspend", p.id), formKey("reinstate", p.id)]),
  ];

  return (
    <div className="stack">
      <h2>{t("facilitator.moderation.title")}</h2>
      <PageNotice result={result} forms={forms} />
      {!data.canModerate ? (
        <div className="notice" role="note">
          <p>{t("facilitator.moderation.readOnly")}</p>
        </div>
      ) : null}

      <section className="stack" aria-labelledby="queue-title">
        <h3 id="queue-title">{t("facilitator.moderation.flagged", { n: f.number(data.queue.length) })}</h3>
        {data.queue.length === 0 ? (
          <p className="muted">{t("facilitator.moderation.queueEmpty")}</p>
        ) : (
          <ul className="item-list stack">
            {data.queue.map((item) => {
              const hideFailed = failureFor(result, "hide", item.id);
              return (
                <li key={item.id} className="card stack" id={formAnchor("hide", item.id)}>
                  <div className="row row-between">
                    <p className="small">
                      <strong>{t(`facilitator.moderation.target.${item.target}`)}</strong>{" "}
                      {t("facilitator.moderation.by", { name: item.author.pseudonym })}
                      <span className="muted"> ({item.author.groupName})</span>
                      {item.status !== "visible" ? <span className="badge"> {t(`facilitator.moderation.status.${item.status}`, { defaultValue: item.status })}</span> : null}
                    </p>
                    <Link to={positionPath(item.positionId)} className="small">
                      {item.target === "position" ? t("facilitator.moderation.openPosition") : t("facilitator.moderation.openItsPosition")}
                    </Link>
                  </div>
                  {item.status === "hidden" && item.moderationNote ? (
                    <p className="moderated">{t("facilitator.moderation.hiddenBy", { reason: item.moderationNote })}</p>
                  ) : (
                    <blockquote className="flagged-body">
                      <Markdown html={item.bodyHtml} lang={item.language} />
                    </blockquote>
                  )}
                  <div>
                    <h4 className="small">{t("facilitator.moderation.flags", { count: item.flags.length, n: f.number(item.flags.length) })}</h4>
                    <ul className="flag-list">
                      {item.flags.map((f, i) => (
                        <li key={i}>
                          &ldquo;{f.reason}&rdquo;{" "}
                          <span className="muted small">
                            — {f.reporter}, <When at={f.at} />
                          </span>
                        </li>
                      ))}
                    </ul>
                  </div>
                  <FormNotice result={result} intent="hide" id={item.id} />
                  <FormNotice result={result} intent="keep" id={item.id} />
                  {data.canModerate ? (
                    <div className="moderation-actions">
                      <Form method="post" noValidate preventScrollReset className="stack-tight">
                        <FormMeta intent="hide" id={item.id} />
                        <input type="hidden" name="target" value={item.target} />
                        <Field
                          label={t("facilitator.moderation.hideReason")}
                          name="reason"
                          required
                          maxLength={data.reasonMax}
                          hint={t("facilitator.moderation.hideHint")}
                          defaultValue={hideFailed?.values?.reason ?? ""}
                          errors={hideFailed?.fieldErrors.reason}
                        />
                        <ActionButton intent="hide" id={item.id} className="button button-danger" pendingText={t("facilitator.moderation.hiding")}>
                          {t("facilitator.moderation.hide")}
                        </ActionButton>
                      </Form>
                      <Form method="post" preventScrollReset>
                        <FormMeta intent="keep" id={item.id} />
                        <input type="hidden" name="target" value={item.target} />
                        <ActionButton
                          intent="keep"
                          id={item.id}
                          className="button button-secondary"
                          pendingText={t("facilitator.moderation.keeping")}
                        >
                          {t("facilitator.moderation.keep")}<span className="visually-hidden"> {t("facilitator.moderation.keepMore")}</span>
                        </ActionButton>
                      </Form>
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="stack" aria-labelledby="hidden-title">
        <h3 id="hidden-title">{t("facilitator.moderation.hiddenNow", { n: f.number(data.hidden.length) })}</h3>
        {data.hidden.length === 0 ? (
          <p className="muted">{t("facilitator.moderation.nothingHidden")}</p>
        ) : (
          <ul className="item-list stack">
            {data.hidden.map((h) => (
              <li key={h.id} className="card stack" id={formAnchor("restore", h.id)}>
                <div className="row row-between">
                  <p className="small">
                    <strong>{t(`facilitator.moderation.target.${h.target}`)}</strong> {t("facilitator.moderation.by", { name: h.pseudonym })}
                  </p>
                  <Link to={positionPath(h.positionId)} className="small">
                    {h.target === "position" ? t("facilitator.moderation.openPosition") : t("facilitator.moderation.openItsPosition")}
                  </Link>
                </div>
                <p className="moderated">{t("facilitator.moderation.hiddenBy", { reason: h.note ?? t("facilitator.moderation.noReason") })}</p>
                <details>
                  <summary>{t("facilitator.moderation.showHidden")}</summary>
                  <blockquote className="flagged-body">
                    <Markdown html={h.bodyHtml} lang={h.language} />
                  </blockquote>
                </details>
                <FormNotice result={result} intent="restore" id={h.id} />
                {data.canModerate ? (
                  <Form method="post" preventScrollReset>
                    <FormMeta intent="restore" id={h.id} />
                    <input type="hidden" name="target" value={h.target} />
                    <ActionButton
                      intent="restore"
                      id={h.id}
                      className="button button-secondary"
                      pendingText={t("facilitator.moderation.restoring")}
                    >
                      {t("facilitator.moderation.restore")}<span className="visually-hidden"> {t(`facilitator.moderation.this.${h.target}`)}</span>
                    </ActionButton>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="stack" aria-labelledby="participants-title">
        <h3 id="participants-title">{t("facilitator.moderation.participants", { n: f.number(data.participants.length) })}</h3>
        <p className="small muted">{t("facilitator.moderation.suspendNote")}</p>
        {data.participants.length === 0 ? (
          <p className="muted">{t("facilitator.moderation.nobody")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("facilitator.moderation.columns.pseudonym")}</th>
                  <th scope="col">{t("facilitator.moderation.columns.group")}</th>
                  <th scope="col">{t("facilitator.moderation.columns.positions")}</th>
                  <th scope="col">{t("facilitator.moderation.columns.comments")}</th>
                  <th scope="col">{t("facilitator.moderation.columns.status")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("facilitator.common.action")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.participants.map((p) => {
                  const suspendFailed = failureFor(result, "suspend", p.id);
                  return (
                    <tr key={p.id} id={formAnchor(p.status === "active" ? "suspend" : "reinstate", p.id)}>
                      <th scope="row">{p.pseudonym}</th>
                      <td>{p.groupName}</td>
                      <td>{f.number(p.positions)}</td>
                      <td>{f.number(p.comments)}</td>
                      <td>
                        {p.status === "active" ? (
                          t("facilitator.moderation.active")
                        ) : (
                          <>
                            <strong>{t("facilitator.moderation.suspended")}</strong>
                            {p.suspendedReason ? <span className="small muted"> — {p.suspendedReason}</span> : null}
                          </>
                        )}
                      </td>
                      <td>
                        <FormNotice result={result} intent="suspend" id={p.id} />
                        <FormNotice result={result} intent="reinstate" id={p.id} />
                        {!data.canModerate ? null : p.status === "active" ? (
                          <details open={!!suspendFailed || undefined}>
                            <summary>
                              {t("facilitator.moderation.suspend")}<span className="visually-hidden"> {p.pseudonym}</span>&hellip;
                            </summary>
                            <Form method="post" noValidate preventScrollReset className="suspend-form">
                              <FormMeta intent="suspend" id={p.id} />
                              <Field
                                label={
                                  <>
                                    {t("facilitator.moderation.reason")}
                                    <span className="visually-hidden"> {t("facilitator.moderation.forSuspending", { name: p.pseudonym })}</span>
                                  </>
                                }
                                name="reason"
                                required
                                maxLength={data.reasonMax}
                                defaultValue={suspendFailed?.values?.reason ?? ""}
                                errors={suspendFailed?.fieldErrors.reason}
                              />
                              <ActionButton
                                intent="suspend"
                                id={p.id}
                                className="button button-danger button-small"
                                pendingText={t("facilitator.moderation.suspending")}
                              >
                                {t("facilitator.moderation.suspend")}<span className="visually-hidden"> {p.pseudonym}</span>
                              </ActionButton>
                            </Form>
                          </details>
                        ) : (
                          <Form method="post" preventScrollReset className="inline-form">
                            <FormMeta intent="reinstate" id={p.id} />
                            <ActionButton
                              intent="reinstate"
                              id={p.id}
                              className="button button-secondary button-small"
                              pendingText={t("facilitator.moderation.reinstating")}
                            >
                              {t("facilitator.moderation.reinstate")}<span className="visually-hidden"> {p.pseudonym}</span>
                            </ActionButton>
                          </Form>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
