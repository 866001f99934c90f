import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import { metaT, useFormat } from "../i18n";
import type { ActionResult } from "../action-result";
import { changePassword, getAccount, listAccountSessions, revokeAccountSessions, revokeOwnSession } from "../auth.server";
import { Field } from "../components/field";
import { FormErrors } from "../components/form-errors";
import { SubmitButton } from "../components/submit-button";
import { getDb } from "../db.server";
import { actionError, actionFailure, formObject } from "../http.server";
import { clearSessionCookie, requireFacilitator, startSession } from "../session.server";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaT(matches)("account.title")} · Polyphony` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { info, account } = await requireFacilitator(request);
  const db = await getDb();
  const [summary, sessions] = await Promise.all([getAccount(db, account.id), listAccountSessions(db, account.id)]);
  if (!summary) throw new Response("Your account was not found.", { status: 404 });
  return {
    email: summary.email,
    displayName: summary.displayName,
    organisationName: summary.organisationName,
    passwordChanged: new URL(request.url).searchParams.get("changed") === "password",
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.id === info.sessionId,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { info, account } = await requireFacilitator(request);
  const form = await formObject(request);
  const db = await getDb();
  try {
    switch (form.intent) {
      case "change-password": {
        await changePassword(db, account.id, { current: form.current, next: form.next });
        // Every session ended, this one too: start a new one, keeping this device's participant identities.
        const cookie = await startSession(request, { accountId: account.id }, info);
        return redirect("/account?changed=password", { headers: { "Set-Cookie": cookie } });
      }
      case "revoke-session": {
        if (form.sessionId === info.sessionId) {
          await revokeOwnSession(db, account.id, info.sessionId);
          return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie() } });
        }
        if (!(await revokeOwnSession(db, account.id, form.sessionId ?? ""))) {
          return actionFailure("That session has already ended.", 404);
        }
        return { ok: true, message: "That session was signed out." } satisfies ActionResult;
      }
      case "revoke-all": {
        await revokeAccountSessions(db, account.id);
        return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie() } });
      }
      default:
        return actionFailure("Unknown action.", 400);
    }
  } catch (error) {
    return actionError(error);
  }
}

export default function Account() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const failed = result && !result.ok ? result : null;
  const passwordFailed = failed && ("current" in failed.fieldErrors || "next" in failed.fieldErrors);
  const { t } = useTranslation();
  const f = useFormat();

  return (
    <div className="container stack">
      <h1>{t("account.title")}</h1>
      <dl className="card">
        <dt>{t("account.name")}</dt>
        <dd>{data.displayName}</dd>
        <dt>{t("auth.email")}</dt>
        <dd>{data.email}</dd>
        <dt>{t("account.organisation")}</dt>
        <dd>{data.organisationName}</dd>
      </dl>

      {data.passwordChanged && !result ? (
        <div className="notice notice-success" role="status">
          <p>{t("account.passwordChanged")}</p>
        </div>
      ) : null}
      {result && !passwordFailed ? <FormErrors result={result} /> : null}

      <section className="card stack" aria-labelledby="password-title">
        <h2 id="password-title">{t("account.changePassword")}</h2>
        <Form method="post" noValidate>
          {passwordFailed ? <FormErrors result={result} /> : null}
          <input type="hidden" name="intent" value="change-password" />
          <Field
            label={t("account.currentPassword")}
            name="current"
            type="password"
            autoComplete="current-password"
            required
            errors={failed?.fieldErrors.current}
          />
          <Field
            label={t("account.newPassword")}
            name="next"
            type="password"
            autoComplete="new-password"
            hint={t("account.newPasswordHint", { min: 12 })}
            required
            errors={failed?.fieldErrors.next}
          />
          <SubmitButton name="intent" value="change-password" pendingText={t("account.changing")}>
            {t("account.changePassword")}
          </SubmitButton>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t("account.sessions")}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("account.signedIn")}</th>
                <th scope="col">{t("account.lastActive")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("account.action")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.sessions.map((s) => (
                <tr key={s.id}>
                  <td>
                    <time dateTime={s.createdAt}>{f.dateTime(s.createdAt)}</time>
                    {s.current ? <span className="badge"> {t("account.thisDevice")}</span> : null}
                  </td>
                  <td>
                    <time dateTime={s.lastSeenAt}>{f.dateTime(s.lastSeenAt)}</time>
                  </td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="sessionId" value={s.id} />
                      <SubmitButton
                        name="intent"
                        value="revoke-session"
                        className="button button-secondary button-small"
                        aria-label={t("account.signOutSession", { when: f.dateTime(s.createdAt) })}
                      >
                        {t("account.signOut")}
                      </SubmitButton>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Form method="post">
          <SubmitButton name="intent" value="revoke-all" className="button button-danger" pendingText={t("account.signingOut")}>
            {t("account.signOutEverywhere")}
          </SubmitButton>
        </Form>
      </section>
    </div>
  );
}
