/**
 * /c/<slug>/consent: a participant makes a one-time consent code to give an outreach worker, who can then
 * enter ONE position under the participant's pseudonym (consultations/proxy.ts). The code is shown once;
 * a new code replaces an unused earlier one. It signs nobody in. Works without JavaScript.
 */
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import type { ActionFailure } from "../action-result";
import { FormErrors } from "../components/form-errors";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { paths } from "../components/participant/labels";
import { participantAction, participantLoader } from "../components/participant/participant.server";
import { SubmitButton } from "../components/submit-button";
import { proxy } from "../domain.server";
import { metaT, useFormat } from "../i18n";
import participantStyles from "../styles/participant.css";

/** Codes are shown on these pages once: no cache may keep them (the answer to the post carries them). */
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaT(matches)("participant.consent.title")} · Polyphony` }];

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
  const { t } = useTranslation();
  const format = useFormat();

  return (
    <div className="container stack">
      <p className="small">
        <Link to={paths.consultation(slug)}>{t("participant.consent.back")}</Link>
      </p>
      <h1>{t("participant.consent.title")}</h1>
      <p>
        <Trans i18nKey="participant.consent.intro" components={{ b: <strong />, mark: <em /> }} />
      </p>
      <ul>
        <li>{t("participant.consent.once", { count: days })}</li>
        <li>{t("participant.consent.noSignIn")}</li>
        <li>{t("participant.consent.neverGive")}</li>
      </ul>
      {result?.ok ? (
        <section className="card stack" aria-labelledby="code-title">
          <h2 id="code-title">{t("participant.consent.codeTitle")}</h2>
          <p className="recovery-code">{result.code}</p>
          <p>{t("participant.consent.giveIt", { until: format.dateTime(result.expiresAt) })}</p>
        </section>
      ) : null}
      {!result?.ok && openCodeExpiresAt ? (
        <p className="notice">{t("participant.consent.unused", { until: format.dateTime(openCodeExpiresAt) })}</p>
      ) : null}
      {canCreate ? (
        <Form method="post" className="card stack">
          <FormErrors result={result && !result.ok ? result : null} />
          <SubmitButton name="intent" value="create" pendingText={t("participant.consent.making")}>
            {t("participant.consent.make")}
          </SubmitButton>
        </Form>
      ) : (
        <p className="muted">
          {role === "facilitator"
            ? t("participant.consent.facilitator")
            : role === "suspended"
              ? t("participant.consent.suspended")
              : t("participant.consent.closed")}
        </p>
      )}
    </div>
  );
}

export { ParticipantErrorBoundary as ErrorBoundary };
