import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import type { ActionResult } from "../action-result";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { Field } from "../components/field";
import { FormErrors } from "../components/form-errors";
import { LIMITS, paths } from "../components/participant/labels";
import { SubmitButton } from "../components/submit-button";
import { clientInfo } from "../client.server";
import { consultations, getDb, isDomainError, participants } from "../domain.server";
import { actionError, formObject, withoutSecrets } from "../http.server";
import { metaT } from "../i18n";
import { getSession, startSession } from "../session.server";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaT(matches)("participant.return.metaTitle")} · Polyphony` }];

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
  const { t } = useTranslation();

  return (
    <div className="container stack">
      {erased ? (
        <div className="notice notice-success" role="status">
          <p>{t("participant.return.erased")}</p>
        </div>
      ) : null}
      <h1>{t("participant.return.title")}</h1>
      <p>{t("participant.return.intro")}</p>
      <FormErrors result={unknownMethod} />

      <section className="card stack" aria-labelledby="passphrase-title">
        <h2 id="passphrase-title">{t("participant.return.withPassphrase")}</h2>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="method" value="passphrase" />
          <FormErrors result={passphraseFailed} />
          <Field
            label={t("participant.return.pseudonym")}
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
            label={t("participant.return.passphrase")}
            name="passphrase"
            type="password"
            autoComplete="current-password"
            maxLength={LIMITS.passphraseMax}
            required
            errors={passphraseFailed?.fieldErrors.passphrase}
          />
          <SubmitButton name="method" value="passphrase" pendingText={t("participant.return.checking")}>
            {t("participant.return.comeBack")}
          </SubmitButton>
        </Form>
      </section>

      <p className="or-divider">{t("participant.return.or")}</p>

      <section className="card stack" aria-labelledby="recovery-title">
        <h2 id="recovery-title">{t("participant.return.withCode")}</h2>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="method" value="recovery" />
          <FormErrors result={recoveryFailed} />
          <Field
            label={t("participant.return.code")}
            name="recoveryCode"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={64}
            required
            hint={t("participant.return.codeHint")}
            errors={recoveryFailed?.fieldErrors.recoveryCode}
          />
          <SubmitButton name="method" value="recovery" pendingText={t("participant.return.checking")}>
            {t("participant.return.comeBackCode")}
          </SubmitButton>
        </Form>
      </section>

      <p className="muted">
        {t("participant.return.lost")} <Link to="/">{t("participant.return.toStart")}</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary };
