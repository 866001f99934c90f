/**
 * /c/<slug>/proxy: an outreach worker (a participant of a group the facilitators marked "outreach") enters a
 * position for a peer who is not online, with the peer's consent: under the peer's pseudonym (with the
 * one-time consent code the peer made at /c/<slug>/consent) or under a new pseudonym in a group they choose
 * (its recovery code is shown once, to give to the peer). The domain (consultations/proxy.ts) refuses
 * everyone else: other participants and facilitators 403, outsiders 404. Works without JavaScript.
 */
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ActionFailure } from "../action-result";
import { Field } from "../components/field";
import { FormErrors } from "../components/form-errors";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { paths } from "../components/participant/labels";
import { participantAction, participantLoader, type ParticipantActionContext } from "../components/participant/participant.server";
import { SubmitButton } from "../components/submit-button";
import { proxy } from "../domain.server";
import { actionError, withoutSecrets } from "../http.server";
import participantStyles from "../styles/participant.css";

/** Codes are shown on these pages once: no cache may keep them (the answer to the post carries them). */
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Enter a position for a peer · ${data.consultation.title} · Polyphony` : "Enter a position for a peer · Polyphony" },
];

/** Positions can be long Markdown in any script: allow more than the default form size. */
const MAX_FORM_BYTES = 256 * 1024;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return participantLoader(request, params, ({ db, viewer, key }) => proxy.proxyForm(db, viewer, key));
}

interface Entered {
  ok: true;
  intent: string;
  entered: { positionId: string; pseudonym: string; groupName: string; recoveryCode: string | null };
}

async function enter(peer: "existing" | "new", { db, viewer, key, form }: ParticipantActionContext) {
  let entry;
  try {
    entry = await proxy.enterPositionForPeer(db, viewer, key, { ...form, peer });
  } catch (error) {
    // The consent code is a secret: the refilled form never carries it back.
    return actionError(error, withoutSecrets(form, "consentCode"));
  }
  const result: Entered = {
    ok: true,
    intent: form.intent,
    entered: { positionId: entry.positionId, pseudonym: entry.pseudonym, groupName: entry.groupName, recoveryCode: entry.recoveryCode },
  };
  // The recovery code is on this answer only: never cached.
  return data(result, { status: 200, headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const result = await participantAction(
    request,
    params,
    {
      "enter-existing": (ctx) => enter("existing", ctx),
      "enter-new": (ctx) => enter("new", ctx),
    },
    { maxBytes: MAX_FORM_BYTES },
  );
  return result;
}

type ProxyResult = Entered | ActionFailure;

export default function ProxyEntry() {
  const form = useLoaderData<typeof loader>();
  const raw = useActionData<typeof action>() as unknown as ProxyResult | undefined;
  const slug = form.consultation.slug;

  if (raw?.ok) return <EnteredPage slug={slug} entered={raw.entered} />;

  const failed = raw && !raw.ok ? raw : null;
  // The consent code is a secret: it is never sent back to refill the form.
  const values = failed ? withoutSecretsClient(failed.values ?? {}) : {};
  const failedExisting = values.intent === "enter-existing" ? failed : null;
  const failedNew = values.intent === "enter-new" ? failed : null;
  const other = failed && !failedExisting && !failedNew ? failed : null;

  return (
    <div className="container stack">
      <p className="small">
        <Link to={paths.consultation(slug)}>Back to {form.consultation.title}</Link>
      </p>
      <h1>Enter a position for a peer</h1>
      <p>
        You take part as <strong>{form.me.pseudonym}</strong>, in a group the facilitators marked as outreach. Here you can
        enter a position for a peer who cannot come online (an old phone, no data), <strong>with their consent</strong>.
        The position shows under the peer&apos;s pseudonym with the mark <em>Entered by outreach</em>. Nobody else sees that
        you entered it; the facilitators can see how many positions each outreach worker entered, never for whom.
      </p>
      <FormErrors result={other} />
      {!form.open ? (
        <p className="notice">{form.closedReason}</p>
      ) : form.questions.length === 0 ? (
        <p className="muted">This consultation has no questions yet.</p>
      ) : (
        <>
          <section className="card stack" aria-labelledby="existing-title">
            <h2 id="existing-title">The peer already takes part</h2>
            <p className="small">
              Ask the peer for a <strong>consent code</strong>: they make one on their page &ldquo;Consent code for an outreach
              worker&rdquo;. It works once, for this one position. Never ask for their recovery code or passphrase.
            </p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="enter-existing" />
              <FormErrors result={failedExisting} />
              <Field
                label="The peer's consent code"
                name="consentCode"
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                maxLength={64}
                errors={failedExisting?.fieldErrors.consentCode}
              />
              <QuestionAndBody
                questions={form.questions}
                max={form.consultation.maxPositionLength}
                values={failedExisting ? values : {}}
                errors={failedExisting?.fieldErrors ?? {}}
                idPrefix="existing"
              />
              <ConsentBox errors={failedExisting?.fieldErrors.consented} id="consented-existing" />
              <SubmitButton name="intent" value="enter-existing" pendingText="Entering…">
                Enter the position for the peer
              </SubmitButton>
            </Form>
          </section>

          <section className="card stack" aria-labelledby="new-title">
            <h2 id="new-title">The peer does not take part yet</h2>
            <p className="small">
              A new pseudonym is made for the peer, in the group you choose. You get the peer&apos;s recovery code once: print it
              or write it down for them. With it, the peer can later come back, see the position and withdraw it.
            </p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="enter-new" />
              <FormErrors result={failedNew} />
              <div className="field">
                <label htmlFor="proxy-group">The peer&apos;s stakeholder group</label>
                <select id="proxy-group" name="groupId" defaultValue={failedNew ? values.groupId ?? "" : ""} aria-invalid={failedNew?.fieldErrors.groupId ? true : undefined}>
                  <option value="">Choose a group</option>
                  {form.groups.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
                {failedNew?.fieldErrors.groupId ? <p className="field-error">{failedNew.fieldErrors.groupId.join(" ")}</p> : null}
              </div>
              <Field
                label="Pseudonym for the peer (optional)"
                name="pseudonym"
                autoComplete="off"
                spellCheck={false}
                defaultValue={failedNew ? values.pseudonym ?? "" : ""}
                errors={failedNew?.fieldErrors.pseudonym}
                hint="Not the peer's real name or phone number. Leave it empty and we give one."
              />
              <QuestionAndBody
                questions={form.questions}
                max={form.consultation.maxPositionLength}
                values={failedNew ? values : {}}
                errors={failedNew?.fieldErrors ?? {}}
                idPrefix="new"
              />
              <ConsentBox errors={failedNew?.fieldErrors.consented} id="consented-new" />
              <SubmitButton name="intent" value="enter-new" pendingText="Entering…">
                Create the pseudonym and enter the position
              </SubmitButton>
            </Form>
          </section>
        </>
      )}
    </div>
  );
}

/** Browser-side copy of `withoutSecrets` (that helper is server-only): drops the consent code. */
function withoutSecretsClient(values: Record<string, string>): Record<string, string> {
  const { consentCode: _dropped, ...rest } = values;
  return rest;
}

function QuestionAndBody({
  questions,
  max,
  values,
  errors,
  idPrefix,
}: {
  questions: Array<{ id: string; title: string }>;
  max: number;
  values: Record<string, string>;
  errors: Record<string, string[]>;
  idPrefix: string;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-question`}>Question</label>
        <select id={`${idPrefix}-question`} name="questionId" defaultValue={values.questionId ?? questions[0]?.id} aria-invalid={errors.questionId ? true : undefined}>
          {questions.map((q) => (
            <option key={q.id} value={q.id}>
              {q.title}
            </option>
          ))}
        </select>
        {errors.questionId ? <p className="field-error">{errors.questionId.join(" ")}</p> : null}
      </div>
      <Field
        multiline
        label="The peer's position, in their words"
        name="body"
        rows={5}
        maxLength={max}
        defaultValue={values.body ?? ""}
        errors={errors.body}
        hint={`At most ${max} characters. Markdown works: **bold**, *italic*, lists.`}
      />
    </>
  );
}

function ConsentBox({ errors, id }: { errors?: string[]; id: string }) {
  return (
    <div className={`field${errors?.length ? " field-invalid" : ""}`}>
      <label htmlFor={id}>
        <input id={id} type="checkbox" name="consented" value="on" aria-invalid={errors?.length ? true : undefined} /> The peer
        agreed to me entering this position for them, in these words.
      </label>
      {errors?.length ? <p className="field-error">{errors.join(" ")}</p> : null}
    </div>
  );
}

function EnteredPage({ slug, entered }: { slug: string; entered: Entered["entered"] }) {
  return (
    <div className="container stack">
      <h1>{entered.recoveryCode ? "Give this to the peer" : "The position is entered"}</h1>
      <p>
        The position is entered for <strong>{entered.pseudonym}</strong> ({entered.groupName}), marked &ldquo;Entered by
        outreach&rdquo;.
      </p>
      {entered.recoveryCode ? (
        <section className="card stack" aria-labelledby="recovery-title">
          <h2 id="recovery-title">The peer&apos;s recovery code</h2>
          <p className="recovery-code">{entered.recoveryCode}</p>
          <p>
            <strong>Give it to the peer, and keep no copy.</strong> With the pseudonym&apos;s recovery code the peer comes back
            at &ldquo;Come back&rdquo; on any phone, sees the position and can withdraw it. Anyone with this code can act as the
            peer here. We show it only now: we do not keep a copy.
          </p>
        </section>
      ) : null}
      <p>
        <Link to={paths.position(slug, entered.positionId)} className="button">
          See the position
        </Link>{" "}
        <Link to={`/c/${encodeURIComponent(slug)}/proxy`}>Enter another position</Link>
      </p>
    </div>
  );
}

export { ParticipantErrorBoundary as ErrorBoundary };
