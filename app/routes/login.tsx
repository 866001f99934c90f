import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import { metaT } from "../i18n";
import type { ActionResult } from "../action-result";
import { verifyLogin } from "../auth.server";
import { Field } from "../components/field";
import { FormErrors } from "../components/form-errors";
import { SubmitButton } from "../components/submit-button";
import { clientInfo } from "../client.server";
import { getDb } from "../db.server";
import { actionError, formObject, withoutSecrets } from "../http.server";
import { safeRedirectPath } from "../paths";
import { getSession, startSession } from "../session.server";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaT(matches)("auth.login.title")} · Polyphony` }];

const DEFAULT_NEXT = "/facilitate";

export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer } = await getSession(request);
  if (viewer.account) {
    throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("next"), DEFAULT_NEXT));
  }
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await formObject(request);
  try {
    // The client's address: failed sign-ins are limited per network (in memory only, never stored).
    const account = await verifyLogin(await getDb(), form, clientInfo(context));
    const cookie = await startSession(request, { accountId: account.id });
    return redirect(safeRedirectPath(form.next, DEFAULT_NEXT), { headers: { "Set-Cookie": cookie } });
  } catch (error) {
    return actionError(error, withoutSecrets(form, "password"));
  }
}

export default function Login() {
  const result = useActionData<ActionResult>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const failed = result && !result.ok ? result : null;
  const next = failed?.values?.next ?? searchParams.get("next") ?? "";
  return (
    <div className="container stack">
      <h1>{t("auth.login.title")}</h1>
      <p className="muted">
        <Trans i18nKey="auth.login.participants" components={{ link: <Link to="/" /> }} />
      </p>
      <Form method="post" className="card" noValidate>
        <FormErrors result={result} />
        <input type="hidden" name="next" value={next} />
        <Field
          label={t("auth.email")}
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={failed?.values?.email ?? ""}
          errors={failed?.fieldErrors.email}
        />
        <Field
          label={t("auth.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={failed?.fieldErrors.password}
        />
        <SubmitButton pendingText={t("auth.login.signingIn")}>{t("auth.login.signIn")}</SubmitButton>
      </Form>
      <p>
        <Trans i18nKey="auth.login.newOrganisation" components={{ link: <Link to="/signup" /> }} />
      </p>
    </div>
  );
}
