import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import type { ActionFailure } from "../action-result";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Field } from "../components/field";
import { FormErrors } from "../components/form-errors";
import { LIMITS, paths } from "../components/participant/labels";
import { phaseRefusal, type Phase } from "../components/participant/participant.server";
import { SubmitButton } from "../components/submit-button";
import { clientInfo } from "../client.server";
import { getDb, invitations, isDomainError, participants } from "../domain.server";
import { actionError, formObject, loaderError, withoutSecrets } from "../http.server";
import { startSession } from "../session.server";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.invitation ? `Join ${data.invitation.title} · Polyphony` : "Invitation · Polyphony" },
];

/**
 * The invitation's preview. Unknown codes are a 404 (error page). Used, withdrawn and expired codes
 * are a 409 rendered by this page, not thrown: right after someone joins, this loader runs again
 * (the code is now used) while the page shows their recovery code.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  try {
    // Unknown codes are limited per client network (in memory only, never stored): 429 with Retry-After.
    const preview = await invitations.previewInvitation(await getDb(), params.code ?? "", clientInfo(context));
    return {
      invitation: { title: preview.consultation.title, groupName: preview.groupName },
      // Only a message: the join itself is refused by the domain as well.
      closed: phaseRefusal(preview.consultation.phase as Phase, "join"),
      problem: null,
    };
  } catch (error) {
    if (isDomainError(error) && error.kind === "conflict") {
      return data({ invitation: null, closed: null, problem: error.message }, { status: 409 });
    }
    if (isDomainError(error) && error.kind === "not_found") {
      throw new Response(
        "We do not recognise this invitation code. Check that it is typed exactly as on your invitation (dashes and spaces do not matter), or ask the person who invited you.",
        { status: 404 },
      );
    }
    return loaderError(error);
  }
}

type Joined = {
  ok: true;
  joined: { pseudonym: string; groupName: string; slug: string; recoveryCode: string; hasPassphrase: boolean };
};
type JoinResult = Joined | ActionFailure;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await formObject(request);
  try {
    const joined = await participants.joinWithInvitation(
      await getDb(),
      params.code ?? "",
      { pseudonym: form.pseudonym ?? "", passphrase: form.passphrase ?? "" },
      clientInfo(context),
    );
    const cookie = await startSession(request, {
      participant: { id: joined.participant.id, consultationId: joined.participant.consultationId },
    });
    const result: Joined = {
      ok: true,
      joined: {
        pseudonym: joined.participant.pseudonym,
        groupName: joined.participant.groupName,
        slug: joined.slug,
        recoveryCode: joined.recoveryCode,
        hasPassphrase: !!form.passphrase,
      },
    };
    // Status 200 on purpose: the loader runs again after this and answers 409 (the code is now used).
    return data<JoinResult>(result, { status: 200, headers: { "Set-Cookie": cookie, "Cache-Control": "no-store" } });
  } catch (error) {
    return actionError(error, withoutSecrets(form, "passphrase"));
  }
}

/** After joining, keep the recovery code page: do not reload the (now used) invitation's preview. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) => {
  if (actionResult && typeof actionResult === "object" && "joined" in actionResult) return false;
  return defaultShouldRevalidate;
};

export default function JoinWithCode() {
  const { invitation, closed, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as JoinResult | undefined;

  if (result?.ok) return <WriteThisDown joined={result.joined} />;

  if (!invitation) {
    return (
      <div className="container stack">
        <h1>This invitation cannot be used</h1>
        <p className="muted">Error 409</p>
        <p>{problem}</p>
        <p>
          <Link to="/join">Try another code</Link> · <Link to="/">Go to the start page</Link>
        </p>
      </div>
    );
  }

  if (closed) {
    return (
      <div className="container stack">
        <h1>{invitation.title}</h1>
        <p>{closed}</p>
        <p>
          <Link to="/">Go to the start page</Link>
        </p>
      </div>
    );
  }

  const failed = result && !result.ok ? result : null;
  return (
    <div className="container stack">
      <h1>Join {invitation.title}</h1>
      <p>
        You are invited to take part as one of the group <strong>{invitation.groupName}</strong>. Others will see your
        pseudonym and this group next to what you write, and nothing else about you.
      </p>
      <Form method="post" className="card stack" noValidate>
        <FormErrors result={failed} />
        <Field
          label="Pseudonym (optional)"
          name="pseudonym"
          autoComplete="off"
          autoCapitalize="words"
          spellCheck={false}
          maxLength={LIMITS.pseudonymMax}
          defaultValue={failed?.values?.pseudonym ?? ""}
          errors={failed?.fieldErrors.pseudonym}
          hint="The name others see, only in this consultation. Do not use your real name, a name people know you by, or a phone number. Leave it empty and we give you one."
        />
        <Field
          label="Passphrase (optional)"
          name="passphrase"
          type="password"
          autoComplete="new-password"
          maxLength={LIMITS.passphraseMax}
          errors={failed?.fieldErrors.passphrase}
          hint={`A few words only you know, at least ${LIMITS.passphraseMin} characters, to come back on another phone with your pseudonym. Do not reuse a password from elsewhere. Without one, your recovery code is the only way back.`}
        />
        <SubmitButton pendingText="Joining…">Join the consultation</SubmitButton>
      </Form>
    </div>
  );
}

function WriteThisDown({ joined }: { joined: Joined["joined"] }) {
  return (
    <div className="container stack">
      <h1>Write this down</h1>
      <p>
        You are in. You take part as <strong>{joined.pseudonym}</strong> ({joined.groupName}).
      </p>
      <section className="card stack" aria-labelledby="recovery-title">
        <h2 id="recovery-title">Your recovery code</h2>
        <p className="recovery-code" aria-describedby="recovery-advice">
          {joined.recoveryCode}
        </p>
        <div id="recovery-advice" className="stack">
          <p>
            <strong>Anyone with this code can act as you here. Keep it private.</strong> You need it to come back on another
            phone if you set no passphrase.
          </p>
          {joined.hasPassphrase ? (
            <p>You can also come back with your pseudonym and passphrase.</p>
          ) : (
            <p>You did not set a passphrase, so this code is your only way back on another phone or browser.</p>
          )}
          <p>We show it only now: we do not keep a copy, and nobody can show it to you again.</p>
        </div>
      </section>
      <p>
        <Link to={paths.consultation(joined.slug)} className="button">
          Continue to the consultation
        </Link>
      </p>
    </div>
  );
}

/** A friendly page for unknown codes (404); anything else as usual. */
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <div className="container stack">
        <h1>We do not know this code</h1>
        <p className="muted">Error 404</p>
        <p>{typeof error.data === "string" ? error.data : "This invitation code was not found."}</p>
        <p>
          <Link to="/join">Type the code again</Link> · <Link to="/">Go to the start page</Link>
        </p>
      </div>
    );
  }
  return <GeneralErrorBoundary />;
}
