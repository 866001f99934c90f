import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import { useFormat, useMessage } from "../i18n";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { dayStamp, stamp, When, type Stamp } from "../components/facilitator/format";
import {
  ActionButton,
  done,
  failureFor,
  formAnchor,
  formKey,
  FormMeta,
  FormNotice,
  PageNotice,
  useHydrated,
  useResetOnSuccess,
  type FormResult,
} from "../components/facilitator/results";
import { Field } from "../components/field";
import { facilitatorAction, facilitatorLoader } from "../components/facilitator/facilitator.server";
import { consultations, invitations } from "../domain.server";
import { runtimeEnv } from "../env.server";
import { LIMITS, phaseAllows, phaseRefusal } from "../components/facilitator/rules.server";
import type { loader as layoutLoader } from "./facilitate.$slug";

type InvitationState = "open" | "used" | "revoked" | "expired";

interface Slip {
  code: string;
  link: string;
  groupName: string;
  expires: Stamp;
}

type InvitationResult = FormResult & { issued?: Slip[] };

/** The origin people open: PUBLIC_ORIGIN when a proxy sits in front (validated at start-up), else this request's. */
function siteOrigin(request: Request): string {
  const configured = runtimeEnv("PUBLIC_ORIGIN");
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // fall through: the server refuses to start with an invalid PUBLIC_ORIGIN anyway
    }
  }
  return new URL(request.url).origin;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const setup = await consultations.getSetup(db, viewer, key);
    const list = await invitations.listInvitations(db, viewer, key);
    const phase = setup.consultation.phase;
    const batches = new Map<
      string,
      {
        batchId: string;
        groupName: string;
        label: string;
        created: Stamp;
        open: number;
        invitations: Array<{ id: string; hint: string; expires: Stamp; state: InvitationState }>;
      }
    >();
    for (const inv of list) {
      let batch = batches.get(inv.batchId);
      if (!batch) {
        batch = {
          batchId: inv.batchId,
          groupName: inv.groupName,
          label: inv.label,
          created: stamp(inv.createdAt),
          open: 0,
          invitations: [],
        };
        batches.set(inv.batchId, batch);
      }
      if (inv.state === "open") batch.open++;
      batch.invitations.push({ id: inv.id, hint: inv.hint, expires: dayStamp(inv.expiresAt), state: inv.state });
    }
    return {
      canInvite: phaseAllows(phase, "invite"),
      refusal: phaseRefusal(phase, "invite"),
      limits: { batchMax: LIMITS.invitationBatchMax, daysMax: LIMITS.invitationDaysMax },
      groups: setup.groups.map((g) => ({ id: g.id, name: g.name })),
      batches: [...batches.values()],
      total: list.length,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  return facilitatorAction(request, params, {
    create: async ({ db, viewer, key, form, request }) => {
      const issued = await invitations.createInvitations(db, viewer, key, form);
      const origin = siteOrigin(request);
      const result: InvitationResult = {
        ...done(
          issued.length === 1 ? "1 invitation was created." : `${issued.length} invitations were created.`,
          "create"
        ),
        issued: issued.map((inv) => ({
          code: inv.code,
          link: `${origin}${inv.path}`,
          groupName: inv.groupName,
          expires: dayStamp(inv.expiresAt),
        })),
      };
      return result;
    },
    revoke: async ({ db, viewer, key, form }) => {
      await invitations.revokeInvitation(db, viewer, key, form.id ?? "");
      return done("The invitation was revoked: its code no longer works.", "revoke", form.id);
    },
    "revoke-batch": async ({ db, viewer, key, form }) => {
      const count = await invitations.revokeBatch(db, viewer, key, form.id ?? "");
      return done(
        count === 0
          ? "This batch had no open invitations left."
          : count === 1
          ? "1 open invitation was revoked."
          : `${count} open invitations were revoked.`,
        "revoke-batch",
        form.id
      );
    },
  });
}

export default function Invitations() {
  const data = useLoaderData<typeof loader>();
  const layout = useRouteLoaderData<typeof layoutLoader>("routes/facilitate.$slug");
  const result = useActionData<InvitationResult>();
  const { t } = useTranslation();
  const m = useMessage();
  const f = useFormat();
  const createRef = useResetOnSuccess(result, "create");
  const createFailed = failureFor(result, "create");
  const cv = createFailed?.values ?? {};
  const issued = result?.ok && result.intent === "create" ? result.issued ?? [] : [];
  // Where each result is shown: the create form, each batch and each invitation row.
  const forms = [
    ...(data.canInvite ? [formKey("create")] : []),
    ...data.batches.flatMap((b) => [
      formKey("revoke-batch", b.batchId),
      ...b.invitations.map((i) => formKey("revoke", i.id)),
    ]),
  ];

  return (
    <div className="stack">
      <h2 className="no-print">{t("facilitator.invitations.title")}</h2>
      <div className="no-print">
        <PageNotice result={result} forms={forms} />
      </div>

      {issued.length ? <Slips slips={issued} title={layout?.title ?? ""} /> : null}

      <section className="card stack no-print" aria-labelledby="create-title" id={formAnchor("create")}>
        <h3 id="create-title">{t("facilitator.invitations.create")}</h3>
        <p>{t("facilitator.invitations.createIntro")}</p>
        {data.canInvite ? (
          <Form method="post" noValidate ref={createRef}>
            <FormMeta intent="create" />
            <FormNotice result={result} intent="create" />
            <div className="field">
              <label htmlFor="invite-group">{t("facilitator.invitations.group")}</label>
              <select
                id="invite-group"
                name="groupId"
                required
                defaultValue={cv.groupId ?? ""}
                aria-invalid={createFailed?.fieldErrors.groupId ? true : undefined}
                aria-describedby={createFailed?.fieldErrors.groupId ? "invite-group-error" : undefined}
              >
                <option value="" disabled>
                  {t("facilitator.invitations.chooseGroup")}
                </option>
                {data.groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
              {createFailed?.fieldErrors.groupId ? (
                <ul className="field-error" id="invite-group-error">
                  {createFailed.fieldErrors.groupId.map((message) => (
                    <li key={message}>{m(message)}</li>
                  ))}
                </ul>
              ) : null}
            </div>
            <div className="grid-2">
              <Field
                label={t("facilitator.invitations.count")}
                name="count"
                type="number"
                inputMode="numeric"
                min={1}
                max={data.limits.batchMax}
                step={1}
                required
                hint={t("facilitator.invitations.range", { min: f.number(1), max: f.number(data.limits.batchMax) })}
                defaultValue={cv.count ?? "10"}
                errors={createFailed?.fieldErrors.count}
              />
              <Field
                label={t("facilitator.invitations.validDays")}
                name="validDays"
                type="number"
                inputMode="numeric"
                min={1}
                max={data.limits.daysMax}
                step={1}
                required
                hint={t("facilitator.invitations.range", { min: f.number(1), max: f.number(data.limits.daysMax) })}
                defaultValue={cv.validDays ?? "30"}
                errors={createFailed?.fieldErrors.validDays}
              />
            </div>
            <Field
              label={t("facilitator.invitations.label")}
              name="label"
              maxLength={80}
              hint={t("facilitator.invitations.labelHint")}
              defaultValue={cv.label ?? ""}
              errors={createFailed?.fieldErrors.label}
            />
            <ActionButton intent="create" pendingText={t("facilitator.common.creating")}>
              {t("facilitator.invitations.create")}
            </ActionButton>
          </Form>
        ) : (
          <div className="notice" role="note">
            <p>{data.refusal ? m(data.refusal) : null}</p>
          </div>
        )}
      </section>

      <section className="stack no-print" aria-labelledby="all-title">
        <h3 id="all-title">{t("facilitator.invitations.all")}</h3>
        <p className="small muted">{t("facilitator.invitations.allIntro")}</p>
        {data.batches.length === 0 ? (
          <p className="muted">{t("facilitator.invitations.none")}</p>
        ) : (
          data.batches.map((b) => (
            <div key={b.batchId} className="card stack batch" id={formAnchor("revoke-batch", b.batchId)}>
              <div className="row row-between">
                <h4>
                  {b.groupName}
                  {b.label ? <span className="muted"> · {b.label}</span> : null}
                </h4>
                <span className="small muted">
                  {t("facilitator.invitations.created")} <When at={b.created} /> ·{" "}
                  {t("facilitator.invitations.batchCounts", { count: b.invitations.length, n: f.number(b.invitations.length), open: f.number(b.open) })}
                </span>
              </div>
              <FormNotice result={result} intent="revoke-batch" id={b.batchId} />
              {data.canInvite && b.open ? (
                <Form method="post" preventScrollReset className="inline-form">
                  <FormMeta intent="revoke-batch" id={b.batchId} />
                  <ActionButton
                    intent="revoke-batch"
                    id={b.batchId}
                    className="button button-secondary button-small"
                    pendingText={t("facilitator.invitations.revoking")}
                  >
                    {t("facilitator.invitations.revokeBatch", { count: b.open, n: f.number(b.open) })}
                  </ActionButton>
                </Form>
              ) : null}
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">
                    {t("facilitator.invitations.caption", { group: b.groupName })}
                    {b.label ? `, ${b.label}` : ""}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("facilitator.invitations.columns.last4")}</th>
                      <th scope="col">{t("facilitator.invitations.columns.expires")}</th>
                      <th scope="col">{t("facilitator.invitations.columns.state")}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t("facilitator.common.action")}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {b.invitations.map((inv) => (
                      <tr key={inv.id} id={formAnchor("revoke", inv.id)}>
                        <td>
                          <code className="hint">…{inv.hint}</code>
                        </td>
                        <td>
                          <When at={inv.expires} />
                        </td>
                        <td>
                          <span className={`badge state-${inv.state}`}>{t(`facilitator.invitations.states.${inv.state}`)}</span>
                        </td>
                        <td>
                          <FormNotice result={result} intent="revoke" id={inv.id} />
                          {data.canInvite && inv.state === "open" ? (
                            <Form method="post" preventScrollReset className="inline-form">
                              <FormMeta intent="revoke" id={inv.id} />
                              <ActionButton
                                intent="revoke"
                                id={inv.id}
                                className="button button-secondary button-small"
                                pendingText={t("facilitator.invitations.revoking")}
                              >
                                {t("facilitator.invitations.revoke")}
                                <span className="visually-hidden"> {t("facilitator.invitations.codeEnding", { hint: inv.hint })}</span>
                              </ActionButton>
                            </Form>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ))
        )}
      </section>
    </div>
  );
}

/** The codes of the batch just created: shown once, printable as slips to cut apart. */
function Slips({ slips, title }: { slips: Slip[]; title: string }) {
  const hydrated = useHydrated();
  const { t } = useTranslation();
  return (
    <section className="stack slips" aria-labelledby="slips-title">
      <div className="notice notice-warning no-print" role="status">
        <p>
          <strong>{t("facilitator.invitations.onceStrong")}</strong> {t("facilitator.invitations.onceMore")}
        </p>
        <p className="small">{t("facilitator.invitations.printHelp")}</p>
        {hydrated ? (
          <p>
            <button type="button" className="button" onClick={() => window.print()}>
              {t("facilitator.invitations.print")}
            </button>
          </p>
        ) : null}
      </div>
      <h3 id="slips-title">
        {t("facilitator.invitations.newCodes")} <span className="print-only-inline">{t("facilitator.invitations.forTitle", { title })}</span>
      </h3>
      <div className="table-wrap">
        <table className="slip-table">
          <thead>
            <tr>
              <th scope="col">{t("facilitator.invitations.columns.group")}</th>
              <th scope="col">{t("facilitator.invitations.columns.code")}</th>
              <th scope="col">{t("facilitator.invitations.columns.link")}</th>
              <th scope="col">{t("facilitator.invitations.columns.expires")}</th>
            </tr>
          </thead>
          <tbody>
            {slips.map((slip) => (
              <tr key={slip.code} className="slip">
                <td>
                  <span className="print-only-inline slip-title">
                    {t("facilitator.invitations.slipTitle", { title })}
                    <br />
                  </span>
                  {slip.groupName}
                </td>
                <td>
                  <code className="invitation-code">{slip.code}</code>
                </td>
                <td className="slip-link">{slip.link}</td>
                <td>
                  <span className="print-only-inline">{t("facilitator.invitations.useBy")} </span>
                  <When at={slip.expires} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
