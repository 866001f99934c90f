import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { useNonce } from "./nonce";
import { getSession } from "./session.server";
import stylesHref from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Polyphony" },
  { name: "description", content: "Structured policy consultations, turned into recommendation reports." },
];

/** Only what the header needs: never ids or emails. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer } = await getSession(request);
  return { account: viewer.account ? { displayName: viewer.account.displayName } : null };
}

export function Layout({ children }: { children: ReactNode }) {
  // Undefined while rendering an error caused by the root loader itself.
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const account = data?.account ?? null;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="container row">
            <Link to="/" className="site-name">
              Polyphony
            </Link>
            <nav aria-label="Account" className="site-nav row">
              {account ? (
                <>
                  <Link to="/facilitate">Dashboard</Link>
                  <Link to="/account" title="Your account">
                    {account.displayName}
                  </Link>
                  <Form method="post" action="/logout" className="inline-form">
                    <button type="submit" className="button button-secondary button-small">
                      Sign out
                    </button>
                  </Form>
                </>
              ) : (
                <Link to="/login">Facilitator sign in</Link>
              )}
            </nav>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p className="muted">
              Polyphony: structured consultations where every voice is heard under a pseudonym.
            </p>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
