import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import type { ActionResult } from "../action-result";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Field } from "../components/field";
import { FormErrors } from "../components/form-errors";
import { LIMITS, paths } from "../components/participant/labels";
import { SubmitButton } from "../components/submit-button";
import { clientInfo } from "../client.server";
import { consultations, getDb, isDomainError, participants } from "../domain.server";
import { actionError, formObject, withoutSecrets } from "../http.server";
import { getSession, startSession } from "../session.server";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction = () => [{ title: "Come back to a consultation · Polyphony" }];

/**
 * Someone this session already knows in the consultation goes straight in. Everyone else gets the
 * forms, whether the consultation exists or not (the page does not tell).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer } = await getSession(request);
  const slug = params.slug ?? "";
  if (!viewer.account && !viewer.participants.length) return null;
  try {
    await consultations.getConsultation(await getDb(), viewer, { slug });
  } catch (error) {
    if (isDomainError(error)) return null;
    throw error;
  }
  throw redirect(paths.consultation(slug));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug ?? "";
  const form = await formObject(request);
  try {
    // The client's address: failed attempts are limited per network (in memory only, never stored).
    const participant = await participants.returnToConsultation(await getDb(), slug, form, clientInfo(context));
    const cookie = await startSession(request, {
      participant: { id: participant.id, consultationId: participant.consultationId },
    });
    return redirect(paths.consultation(slug), { headers: { "Set-Cookie": cookie } });
  } catch (error) {
    return actionError(error, withoutSecrets(form, "passphrase", "recoveryCode"));
  }
}

export default function ComeBack() {
  const result = useActionData<ActionResult>();
  const failed = result && !result.ok ? result : null;
  const method = failed?.values?.method;
  const passphraseFailed = method === "passphrase" ? failed : null;
  const recoveryFailed = method === "recovery" ? failed : null;
  const unknownMethod = failed && !passphraseFailed && !recoveryFailed ? failed : null;
  // After "Erase your participation" (c.$slug.my-data.tsx).
  const erased = useSearchParams()[0].get("erased") === "1";

  return (
    <div className="container stack">
      {erased ? (
        <div className="notice notice-success" role="status">
          <p>Your participation was erased. Your votes are gone and your pseudonym no longer appears anywhere.</p>
        </div>
      ) : null}
      <h1>Come back to this consultation</h1>
      <p>
        On a new phone or browser, or signed out? Use the pseudonym and passphrase you chose when you joined, or the recovery
        code you wrote down.
      </p>
      <FormErrors result={unknownMethod} />

      <section className="card stack" aria-labelledby="passphrase-title">
        <h2 id="passphrase-title">With your pseudonym and passphrase</h2>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="method" value="passphrase" />
          <FormErrors result={passphraseFailed} />
          <Field
            label="Pseudonym"
            name="pseudonym"
            autoComplete="username"
            autoCapitalize="words"
            spellCheck={false}
            maxLength={LIMITS.pseudonymMax}
            required
            defaultValue={passphraseFailed?.values?.pseudonym ?? ""}
            errors={passphraseFailed?.fieldErrors.pseudonym}
          />
          <Field
            label="Passphrase"
            name="passphrase"
            type="password"
            autoComplete="current-password"
            maxLength={LIMITS.passphraseMax}
            required
            errors={passphraseFailed?.fieldErrors.passphrase}
          />
          <SubmitButton name="method" value="passphrase" pendingText="Checking…">
            Come back
          </SubmitButton>
        </Form>
      </section>

      <p className="or-divider">or</p>

      <section className="card stack" aria-labelledby="recovery-title">
        <h2 id="recovery-title">With your recovery code</h2>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="method" value="recovery" />
          <FormErrors result={recoveryFailed} />
          <Field
            label="Recovery code"
            name="recoveryCode"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={64}
            required
            hint="The code you were shown when you joined. Dashes and spaces do not matter."
            errors={recoveryFailed?.fieldErrors.recoveryCode}
          />
          <SubmitButton name="method" value="recovery" pendingText="Checking…">
            Come back with my code
          </SubmitButton>
        </Form>
      </section>

      <p className="muted">
        No passphrase and lost your recovery code? Ask the facilitators for a new invitation: you would take part under a new
        pseudonym. <Link to="/">Go to the start page</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary };
