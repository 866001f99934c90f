import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
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
        author: item.author,
        moderationNote: item.moderationNote,
        flags: item.flags.map((f) => ({ reason: f.reason, reporter: f.reporter, at: stamp(f.createdAt) })),
      })),
      hidden: queue.hidden.map((h) => ({
        target: h.target,
        id: h.id,
        positionId: h.positionId,
        bodyHtml: h.bodyHtml,
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

const TARGET_LABEL = { position: "Position", comment: "Comment" } as const;

export default function Moderation() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
  const positionPath = (positionId: string) => `${consultationPath(data.slug)}/p/${encodeURIComponent(positionId)}`;
  const forms = [
    ...data.queue.flatMap((i) => [formKey("hide", i.id), formKey("keep", i.id)]),
    ...data.hidden.map((h) => formKey("restore", h.id)),
    ...data.participants.flatMap((p) => [formKey("suspend", p.id), formKey("reinstate", p.id)]),
  ];

  return (
    <div className="stack">
      <h2>Moderation</h2>
      <PageNotice result={result} forms={forms} />
      {!data.canModerate ? (
        <div className="notice" role="note">
          <p>The report is published: nothing can change now. This page is read-only.</p>
        </div>
      ) : null}

      <section className="stack" aria-labelledby="queue-title">
        <h3 id="queue-title">Flagged ({data.queue.length})</h3>
        {data.queue.length === 0 ? (
          <p className="muted">Nothing is waiting. Participants can flag positions and comments; they show up here.</p>
        ) : (
          <ul className="item-list stack">
            {data.queue.map((item) => {
              const hideFailed = failureFor(result, "hide", item.id);
              return (
                <li key={item.id} className="card stack" id={formAnchor("hide", item.id)}>
                  <div className="row row-between">
                    <p className="small">
                      <strong>{TARGET_LABEL[item.target]}</strong> by {item.author.pseudonym}
                      <span className="muted"> ({item.author.groupName})</span>
                      {item.status !== "visible" ? <span className="badge"> {item.status}</span> : null}
                    </p>
                    <Link to={positionPath(item.positionId)} className="small">
                      {item.target === "position" ? "Open the position" : "Open its position"}
                    </Link>
                  </div>
                  {item.status === "hidden" && item.moderationNote ? (
                    <p className="moderated">Hidden by moderator: {item.moderationNote}</p>
                  ) : (
                    <blockquote className="flagged-body">
                      <Markdown html={item.bodyHtml} />
                    </blockquote>
                  )}
                  <div>
                    <h4 className="small">{item.flags.length === 1 ? "1 flag" : `${item.flags.length} flags`}</h4>
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
                          label="Reason for hiding"
                          name="reason"
                          required
                          maxLength={data.reasonMax}
                          hint="Shown in place of the text: “hidden by moderator: …”."
                          defaultValue={hideFailed?.values?.reason ?? ""}
                          errors={hideFailed?.fieldErrors.reason}
                        />
                        <ActionButton intent="hide" id={item.id} className="button button-danger" pendingText="Hiding…">
                          Hide
                        </ActionButton>
                      </Form>
                      <Form method="post" preventScrollReset>
                        <FormMeta intent="keep" id={item.id} />
                        <input type="hidden" name="target" value={item.target} />
                        <ActionButton
                          intent="keep"
                          id={item.id}
                          className="button button-secondary"
                          pendingText="Keeping…"
                        >
                          Keep<span className="visually-hidden"> and close the flags</span>
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
        <h3 id="hidden-title">Hidden now ({data.hidden.length})</h3>
        {data.hidden.length === 0 ? (
          <p className="muted">Nothing is hidden.</p>
        ) : (
          <ul className="item-list stack">
            {data.hidden.map((h) => (
              <li key={h.id} className="card stack" id={formAnchor("restore", h.id)}>
                <div className="row row-between">
                  <p className="small">
                    <strong>{TARGET_LABEL[h.target]}</strong> by {h.pseudonym}
                  </p>
                  <Link to={positionPath(h.positionId)} className="small">
                    {h.target === "position" ? "Open the position" : "Open its position"}
                  </Link>
                </div>
                <p className="moderated">Hidden by moderator: {h.note ?? "no reason given"}</p>
                <details>
                  <summary>Show the hidden text</summary>
                  <blockquote className="flagged-body">
                    <Markdown html={h.bodyHtml} />
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
                      pendingText="Restoring…"
                    >
                      Restore<span className="visually-hidden"> this {h.target}</span>
                    </ActionButton>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="stack" aria-labelledby="participants-title">
        <h3 id="participants-title">Participants ({data.participants.length})</h3>
        <p className="small muted">
          A suspended participant can still read, but can no longer write, vote, comment or flag. They are signed out at
          once.
        </p>
        {data.participants.length === 0 ? (
          <p className="muted">Nobody has joined yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Pseudonym</th>
                  <th scope="col">Group</th>
                  <th scope="col">Positions</th>
                  <th scope="col">Comments</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
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
                      <td>{p.positions}</td>
                      <td>{p.comments}</td>
                      <td>
                        {p.status === "active" ? (
                          "Active"
                        ) : (
                          <>
                            <strong>Suspended</strong>
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
                              Suspend<span className="visually-hidden"> {p.pseudonym}</span>&hellip;
                            </summary>
                            <Form method="post" noValidate preventScrollReset className="suspend-form">
                              <FormMeta intent="suspend" id={p.id} />
                              <Field
                                label={
                                  <>
                                    Reason<span className="visually-hidden"> for suspending {p.pseudonym}</span>
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
                                pendingText="Suspending…"
                              >
                                Suspend<span className="visually-hidden"> {p.pseudonym}</span>
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
                              pendingText="Reinstating…"
                            >
                              Reinstate<span className="visually-hidden"> {p.pseudonym}</span>
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
