/**
 * /c/<slug>/consent: a participant makes a one-time consent code to give an outreach worker, who can then
 * enter ONE position under the participant's pseudonym (consultations/proxy.ts). The code is shown once;
 * a new code replaces an unused earlier one. It signs nobody in. Works without JavaScript.
 */
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import type { ActionFailure } from "../action-result";
import { FormErrors } from "../components/form-errors";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { paths } from "../components/participant/labels";
import { participantAction, participantLoader } from "../components/participant/participant.server";
import { SubmitButton } from "../components/submit-button";
import { proxy } from "../domain.server";
import participantStyles from "../styles/participant.css";

/** Codes are shown on these pages once: no cache may keep them (the answer to the post carries them). */
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction = () => [{ title: "Consent code for an outreach worker · Polyphony" }];

// A fixed locale and time zone: the server and the browser render the same text.
const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  return participantLoader(request, params, async ({ db, viewer, key }) => {
    const status = await proxy.consentStatus(db, viewer, key);
    return { canCreate: status.canCreate, role: status.role, openCodeExpiresAt: status.openCodeExpiresAt, days: proxy.CONSENT_CODE_DAYS };
  });
}

interface Created {
  ok: true;
  intent: "create";
  code: string;
  expiresAt: string;
}

export async function action({ request, params }: ActionFunctionArgs) {
  return participantAction(request, params, {
    create: async ({ db, viewer, key }) => {
      const made = await proxy.createConsentCode(db, viewer, key);
      const result: Created = { ok: true, intent: "create", code: made.code, expiresAt: made.expiresAt.toISOString() };
      // Shown once: never cached.
      return data(result, { status: 200, headers: { "Cache-Control": "no-store" } });
    },
  });
}

export default function ConsentCode() {
  const { canCreate, role, openCodeExpiresAt, days } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as unknown as Created | ActionFailure | undefined;
  const slug = useParams().slug ?? "";

  return (
    <div className="container stack">
      <p className="small">
        <Link to={paths.consultation(slug)}>Back to the consultation</Link>
      </p>
      <h1>Consent code for an outreach worker</h1>
      <p>
        Cannot come online for a while? An outreach worker can enter <strong>one</strong> position for you, under your
        pseudonym, if you give them a consent code. The position then shows with the mark <em>Entered by outreach</em>, and
        you can see or withdraw it when you are back.
      </p>
      <ul>
        <li>The code works once, for {days} days. Making a new code cancels the one before.</li>
        <li>It does not let anyone sign in as you, read your votes or do anything else in your name.</li>
        <li>Never give anyone your recovery code or passphrase: those are the keys to your pseudonym.</li>
      </ul>
      {result?.ok ? (
        <section className="card stack" aria-labelledby="code-title">
          <h2 id="code-title">Your consent code</h2>
          <p className="recovery-code">{result.code}</p>
          <p>
            Give it to the outreach worker you trust, with what you want to say. It works once, until{" "}
            {DATE.format(new Date(result.expiresAt))} (UTC). We show it only now.
          </p>
        </section>
      ) : null}
      {!result?.ok && openCodeExpiresAt ? (
        <p className="notice">You have an unused consent code, valid until {DATE.format(new Date(openCodeExpiresAt))} (UTC). A new code cancels it.</p>
      ) : null}
      {canCreate ? (
        <Form method="post" className="card stack">
          <FormErrors result={result && !result.ok ? result : null} />
          <SubmitButton name="intent" value="create" pendingText="Making the code…">
            Make a consent code
          </SubmitButton>
        </Form>
      ) : (
        <p className="muted">
          {role === "facilitator"
            ? "Facilitators do not take part, so they have no consent code."
            : role === "suspended"
              ? "Your participation is suspended."
              : "Consent codes can only be made before and while positions are open."}
        </p>
      )}
    </div>
  );
}

export { ParticipantErrorBoundary as ErrorBoundary };
