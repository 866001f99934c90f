import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
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

export const meta: MetaFunction = () => [{ title: "Facilitator sign in · Polyphony" }];

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
  const failed = result && !result.ok ? result : null;
  const next = failed?.values?.next ?? searchParams.get("next") ?? "";
  return (
    <div className="container stack">
      <h1>Facilitator sign in</h1>
      <p className="muted">
        Participants do not need an account: they join with an invitation code from the <Link to="/">start page</Link>.
      </p>
      <Form method="post" className="card" noValidate>
        <FormErrors result={result} />
        <input type="hidden" name="next" value={next} />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={failed?.values?.email ?? ""}
          errors={failed?.fieldErrors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={failed?.fieldErrors.password}
        />
        <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
      </Form>
      <p>
        New organisation? <Link to="/signup">Create a facilitator account</Link>.
      </p>
    </div>
  );
}
