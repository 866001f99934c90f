import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import { metaT } from "../i18n";
import type { ActionResult } from "../action-result";
import { signUp } from "../auth.server";
import { Field } from "../components/field";
import { FormErrors } from "../components/form-errors";
import { SubmitButton } from "../components/submit-button";
import { getDb } from "../db.server";
import { actionError, formObject, withoutSecrets } from "../http.server";
import { getSession, startSession } from "../session.server";

// LIMITS.passwordMin / LIMITS.passwordMax in consultations/schemas.ts. Not imported: that module pulls zod
// (~450 KB) into this page's browser bundle. The domain validates anyway.
const PASSWORD_MIN = 12;
const PASSWORD_MAX = 200;

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaT(matches)("auth.signup.title")} · Polyphony` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer } = await getSession(request);
  if (viewer.account) throw redirect("/facilitate");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await formObject(request);
  try {
    const account = await signUp(await getDb(), form);
    const cookie = await startSession(request, { accountId: account.id });
    return redirect("/facilitate", { headers: { "Set-Cookie": cookie } });
  } catch (error) {
    return actionError(error, withoutSecrets(form, "password"));
  }
}

export default function SignUp() {
  const result = useActionData<ActionResult>();
  const failed = result && !result.ok ? result : null;
  const values = failed?.values ?? {};
  const { t } = useTranslation();
  return (
    <div className="container stack">
      <h1>{t("auth.signup.title")}</h1>
      <p>{t("auth.signup.intro")}</p>
      <Form method="post" className="card" noValidate>
        <FormErrors result={result} />
        <Field
          label={t("auth.signup.organisation")}
          name="organisationName"
          autoComplete="organization"
          required
          maxLength={120}
          defaultValue={values.organisationName ?? ""}
          errors={failed?.fieldErrors.organisationName}
        />
        <Field
          label={t("auth.signup.name")}
          name="displayName"
          hint={t("auth.signup.nameHint")}
          autoComplete="name"
          required
          maxLength={80}
          defaultValue={values.displayName ?? ""}
          errors={failed?.fieldErrors.displayName}
        />
        <Field
          label={t("auth.email")}
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={values.email ?? ""}
          errors={failed?.fieldErrors.email}
        />
        <Field
          label={t("auth.password")}
          name="password"
          type="password"
          hint={t("auth.signup.passwordHint", { min: PASSWORD_MIN })}
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          maxLength={PASSWORD_MAX}
          errors={failed?.fieldErrors.password}
        />
        <SubmitButton pendingText={t("auth.signup.creating")}>{t("auth.signup.create")}</SubmitButton>
      </Form>
      <p>
        <Trans i18nKey="auth.signup.haveAccount" components={{ link: <Link to="/login" /> }} />
      </p>
    </div>
  );
}
