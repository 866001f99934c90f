import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import { consultationPath } from "../paths";
import { getSession } from "../session.server";
import { participantLinks } from "../viewer.server";

export const meta: MetaFunction = () => [{ title: "Polyphony" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer } = await getSession(request);
  return {
    identities: await participantLinks(viewer),
    isFacilitator: viewer.account !== null,
  };
}

export default function Index() {
  const { identities, isFacilitator } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container stack">
      <h1>Polyphony</h1>
      <p>{t("home.intro")}</p>

      {identities.length > 0 ? (
        <section className="card stack" aria-labelledby="continue-title">
          <h2 id="continue-title">{t("home.continueTitle")}</h2>
          <ul>
            {identities.map((identity) => (
              <li key={identity.slug}>
                <Link to={consultationPath(identity.slug)}>
                  {t("home.continueIn", { title: identity.title, pseudonym: identity.pseudonym })}
                </Link>
                {identity.suspended ? <span className="badge"> {t("home.suspended")}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card stack" aria-labelledby="join-title">
        <h2 id="join-title">{t("home.joinTitle")}</h2>
        <p>{t("home.joinIntro")}</p>
        <Form method="get" action="/join" className="stack">
          <div className="field">
            <label htmlFor="invitation-code">{t("home.codeLabel")}</label>
            <input
              id="invitation-code"
              name="code"
              type="text"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              required
              maxLength={64}
            />
          </div>
          <button type="submit" className="button">
            {t("home.continue")}
          </button>
        </Form>
      </section>

      <section className="stack" aria-labelledby="return-title">
        <h2 id="return-title">{t("home.returnTitle")}</h2>
        <p>{t("home.returnText")}</p>
      </section>

      <p className="muted">
        {isFacilitator ? (
          <Link to="/facilitate">{t("home.dashboard")}</Link>
        ) : (
          <Trans i18nKey="home.runningOne" components={{ login: <Link to="/login" reloadDocument />, signup: <Link to="/signup" reloadDocument /> }} />
        )}
      </p>
    </div>
  );
}
