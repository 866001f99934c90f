import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
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

const STATE_LABELS: Record<InvitationState, string> = {
  open: "Open",
  used: "Used",
  revoked: "Revoked",
  expired: "Expired",
};

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
      <h2 className="no-print">Invitations</h2>
      <div className="no-print">
        <PageNotice result={result} forms={forms} />
      </div>

      {issued.length ? <Slips slips={issued} title={layout?.title ?? ""} /> : null}

      <section className="card stack no-print" aria-labelledby="create-title" id={formAnchor("create")}>
        <h3 id="create-title">Create invitations</h3>
        <p>
          Each invitation is a single-use code for one stakeholder group. No email or phone number is needed: hand out
          the codes on paper, by text message or in person.
        </p>
        {data.canInvite ? (
          <Form method="post" noValidate ref={createRef}>
            <FormMeta intent="create" />
            <FormNotice result={result} intent="create" />
            <div className="field">
              <label htmlFor="invite-group">Stakeholder group</label>
              <select
                id="invite-group"
                name="groupId"
                required
                defaultValue={cv.groupId ?? ""}
                aria-invalid={createFailed?.fieldErrors.groupId ? true : undefined}
                aria-describedby={createFailed?.fieldErrors.groupId ? "invite-group-error" : undefined}
              >
                <option value="" disabled>
                  Choose a group
                </option>
                {data.groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
              {createFailed?.fieldErrors.groupId ? (
                <ul className="field-error" id="invite-group-error">
                  {createFailed.fieldErrors.groupId.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              ) : null}
            </div>
            <div className="grid-2">
              <Field
                label="How many"
                name="count"
                type="number"
                inputMode="numeric"
                min={1}
                max={data.limits.batchMax}
                step={1}
                required
                hint={`1 to ${data.limits.batchMax}.`}
                defaultValue={cv.count ?? "10"}
                errors={createFailed?.fieldErrors.count}
              />
              <Field
                label="Valid for (days)"
                name="validDays"
                type="number"
                inputMode="numeric"
                min={1}
                max={data.limits.daysMax}
                step={1}
                required
                hint={`1 to ${data.limits.daysMax}.`}
                defaultValue={cv.validDays ?? "30"}
                errors={createFailed?.fieldErrors.validDays}
              />
            </div>
            <Field
              label="Label (optional)"
              name="label"
              maxLength={80}
              hint="For your team only, like “Outreach van, March”. Participants never see it."
              defaultValue={cv.label ?? ""}
              errors={createFailed?.fieldErrors.label}
            />
            <ActionButton intent="create" pendingText="Creating…">
              Create invitations
            </ActionButton>
          </Form>
        ) : (
          <div className="notice" role="note">
            <p>{data.refusal}</p>
          </div>
        )}
      </section>

      <section className="stack no-print" aria-labelledby="all-title">
        <h3 id="all-title">All invitations</h3>
        <p className="small muted">
          Codes are never stored: only their last four characters (the last group on the slip) are shown here, to tell slips
          apart. A used invitation cannot be revoked; to stop its holder, suspend them in Moderation.
        </p>
        {data.batches.length === 0 ? (
          <p className="muted">No invitations yet.</p>
        ) : (
          data.batches.map((b) => (
            <div key={b.batchId} className="card stack batch" id={formAnchor("revoke-batch", b.batchId)}>
              <div className="row row-between">
                <h4>
                  {b.groupName}
                  {b.label ? <span className="muted"> · {b.label}</span> : null}
                </h4>
                <span className="small muted">
                  Created <When at={b.created} /> · {b.invitations.length} in total, {b.open} open
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
                    pendingText="Revoking…"
                  >
                    Revoke all {b.open} open in this batch
                  </ActionButton>
                </Form>
              ) : null}
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">
                    Invitations for {b.groupName}
                    {b.label ? `, ${b.label}` : ""}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Last 4 characters</th>
                      <th scope="col">Expires</th>
                      <th scope="col">State</th>
                      <th scope="col">
                        <span className="visually-hidden">Action</span>
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
                          <span className={`badge state-${inv.state}`}>{STATE_LABELS[inv.state]}</span>
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
                                pendingText="Revoking…"
                              >
                                Revoke<span className="visually-hidden"> the code ending {inv.hint}</span>
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
  return (
    <section className="stack slips" aria-labelledby="slips-title">
      <div className="notice notice-warning no-print" role="status">
        <p>
          <strong>Codes are shown only once. Print or copy them now.</strong> They disappear when you leave or reload
          this page or do anything else here; only their last four characters are kept.
        </p>
        <p className="small">
          To print, use your browser&rsquo;s Print command: only the slips below are printed, one per row, with lines to
          cut along.
        </p>
        {hydrated ? (
          <p>
            <button type="button" className="button" onClick={() => window.print()}>
              Print the slips
            </button>
          </p>
        ) : null}
      </div>
      <h3 id="slips-title">
        New invitation codes <span className="print-only-inline">for {title}</span>
      </h3>
      <div className="table-wrap">
        <table className="slip-table">
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Code</th>
              <th scope="col">Link</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {slips.map((slip) => (
              <tr key={slip.code} className="slip">
                <td>
                  <span className="print-only-inline slip-title">
                    Invitation to {title}
                    <br />
                  </span>
                  {slip.groupName}
                </td>
                <td>
                  <code className="invitation-code">{slip.code}</code>
                </td>
                <td className="slip-link">{slip.link}</td>
                <td>
                  <span className="print-only-inline">Use by </span>
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
