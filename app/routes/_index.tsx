import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
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
  return (
    <div className="container stack">
      <h1>Polyphony</h1>
      <p>
        Polyphony brings people who use drugs, sex workers, outreach workers, police and policymakers into one
        structured consultation about a policy question. Everyone takes part under a pseudonym: you share positions,
        vote on other people&rsquo;s positions and discuss them. At the end, the facilitators turn what was said into
        a published recommendation report.
      </p>

      {identities.length > 0 ? (
        <section className="card stack" aria-labelledby="continue-title">
          <h2 id="continue-title">Continue where you left off</h2>
          <ul>
            {identities.map((identity) => (
              <li key={identity.slug}>
                <Link to={consultationPath(identity.slug)}>
                  Continue in {identity.title} as {identity.pseudonym}
                </Link>
                {identity.suspended ? <span className="badge"> suspended</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card stack" aria-labelledby="join-title">
        <h2 id="join-title">Have an invitation code?</h2>
        <p>Type the code from your invitation slip or message. Dashes and spaces do not matter.</p>
        <Form method="get" action="/join" className="stack">
          <div className="field">
            <label htmlFor="invitation-code">Invitation code</label>
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
            Continue
          </button>
        </Form>
      </section>

      <section className="stack" aria-labelledby="return-title">
        <h2 id="return-title">Coming back?</h2>
        <p>
          If you joined on another device, open the consultation&rsquo;s link and sign in again with your pseudonym and
          passphrase, or with the recovery code you were given when you joined.
        </p>
      </section>

      <p className="muted">
        {isFacilitator ? (
          <Link to="/facilitate">Go to your facilitator dashboard</Link>
        ) : (
          <>
            Running a consultation? <Link to="/login">Facilitator sign in</Link> or{" "}
            <Link to="/signup">create an organisation account</Link>.
          </>
        )}
      </p>
    </div>
  );
}
