import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import type { ActionFailure } from "../action-result";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Field } from "../components/field";
import { FormErrors } from "../components/form-errors";
import { metaT, useMessage } from "../i18n";
import { LIMITS, paths } from "../components/participant/labels";
import { phaseRefusal, type Phase } from "../components/participant/participant.server";
import { SubmitButton } from "../components/submit-button";
import { clientInfo } from "../client.server";
import { getDb, invitations, isDomainError, participants } from "../domain.server";
import { actionError, formObject, loaderError, withoutSecrets } from "../http.server";
import { startSession } from "../session.server";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaT(matches);
  return [{ title: `${data?.invitation ? t("join.code.metaTitle", { title: data.invitation.title }) : t("join.code.metaTitleNone")} · Polyphony` }];
};

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
  const { t } = useTranslation();
  const m = useMessage();

  if (result?.ok) return <WriteThisDown joined={result.joined} />;

  if (!invitation) {
    return (
      <div className="container stack">
        <h1>{t("join.code.cannotUse")}</h1>
        <p className="muted">{t("errors.code", { status: 409 })}</p>
        <p>{problem ? m(problem) : null}</p>
        <p>
          <Link to="/join">{t("join.code.tryAnother")}</Link> · <Link to="/">{t("join.code.toStart")}</Link>
        </p>
      </div>
    );
  }

  if (closed) {
    return (
      <div className="container stack">
        <h1>{invitation.title}</h1>
        <p>{m(closed)}</p>
        <p>
          <Link to="/">{t("join.code.toStart")}</Link>
        </p>
      </div>
    );
  }

  const failed = result && !result.ok ? result : null;
  return (
    <div className="container stack">
      <h1>{t("join.code.title", { title: invitation.title })}</h1>
      <p>
        <Trans i18nKey="join.code.invited" values={{ group: invitation.groupName }} components={{ group: <strong /> }} />
      </p>
      <Form method="post" className="card stack" noValidate>
        <FormErrors result={failed} />
        <Field
          label={t("join.code.pseudonym")}
          name="pseudonym"
          autoComplete="off"
          autoCapitalize="words"
          spellCheck={false}
          maxLength={LIMITS.pseudonymMax}
          defaultValue={failed?.values?.pseudonym ?? ""}
          errors={failed?.fieldErrors.pseudonym}
          hint={t("join.code.pseudonymHint")}
        />
        <Field
          label={t("join.code.passphrase")}
          name="passphrase"
          type="password"
          autoComplete="new-password"
          maxLength={LIMITS.passphraseMax}
          errors={failed?.fieldErrors.passphrase}
          hint={t("join.code.passphraseHint", { min: LIMITS.passphraseMin })}
        />
        <SubmitButton pendingText={t("join.code.joining")}>{t("join.code.join")}</SubmitButton>
      </Form>
    </div>
  );
}

function WriteThisDown({ joined }: { joined: Joined["joined"] }) {
  const { t } = useTranslation();
  return (
    <div className="container stack">
      <h1>{t("join.written.title")}</h1>
      <p>
        <Trans
          i18nKey="join.written.youAreIn"
          values={{ pseudonym: joined.pseudonym, group: joined.groupName }}
          components={{ name: <strong /> }}
        />
      </p>
      <section className="card stack" aria-labelledby="recovery-title">
        <h2 id="recovery-title">{t("join.written.codeTitle")}</h2>
        <p className="recovery-code" aria-describedby="recovery-advice">
          {joined.recoveryCode}
        </p>
        <div id="recovery-advice" className="stack">
          <p>
            <Trans i18nKey="join.written.keepPrivate" components={{ b: <strong /> }} />
          </p>
          {joined.hasPassphrase ? <p>{t("join.written.withPassphrase")}</p> : <p>{t("join.written.noPassphrase")}</p>}
          <p>{t("join.written.onlyNow")}</p>
        </div>
      </section>
      <p>
        <Link to={paths.consultation(joined.slug)} className="button">
          {t("join.written.continue")}
        </Link>
      </p>
    </div>
  );
}

/** A friendly page for unknown codes (404); anything else as usual. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const m = useMessage();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <div className="container stack">
        <h1>{t("join.notFound.title")}</h1>
        <p className="muted">{t("errors.code", { status: 404 })}</p>
        <p>{typeof error.data === "string" ? m(error.data) : t("join.notFound.text")}</p>
        <p>
          <Link to="/join">{t("join.notFound.again")}</Link> · <Link to="/">{t("join.code.toStart")}</Link>
        </p>
      </div>
    );
  }
  return <GeneralErrorBoundary />;
}
