import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "./i18n-react";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { metaT, type LocaleTexts } from "./i18n";
import { browserTextsUrl, languageInfo, languages, requestLanguage, textsScopeFor } from "./i18n.server";
import { FocusRescue } from "./components/focus-rescue";
import { useNonce } from "./nonce";
import { getSession } from "./session.server";
import stylesHref from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ matches }) => [
  { title: "Polyphony" },
  { name: "description", content: metaT(matches)("root.description") },
];

/** Only what the header needs (never ids or emails), and the page's language. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer } = await getSession(request);
  const lang = requestLanguage(request);
  return {
    account: viewer.account ? { displayName: viewer.account.displayName } : null,
    lang,
    dir: languageInfo(lang).dir,
    textsUrl: browserTextsUrl(lang, textsScopeFor(request, !!viewer.account)),
    languages: languages().map(({ code, name }) => ({ code, name })),
  };
}

/**
 * Participant pages download fewer texts than the facilitators' pages (i18n.server.ts `textsScopeFor`).
 * When a client-side navigation changes the page's texts URL (say, into the facilitators' pages without a
 * reload), the browser fetches that file and adds what it lacks, then renders again.
 */
function useTextsOf(url: string | undefined) {
  const { i18n } = useTranslation();
  const loaded = useRef(url);
  useEffect(() => {
    if (!url || url === loaded.current) return;
    loaded.current = url;
    const lang = i18n.language;
    fetch(url, { credentials: "same-origin" })
      .then((response) => (response.ok ? (response.json() as Promise<LocaleTexts>) : null))
      .then((texts) => {
        if (!texts) return;
        i18n.addResourceBundle(lang, "translation", texts.translation, true, false);
        i18n.addResourceBundle(lang, "messages", texts.messages, true, false);
        void i18n.changeLanguage(lang); // re-renders every useTranslation()
      })
      .catch(() => {});
  }, [url, i18n]);
}

/** The language menu: a plain form (works without JavaScript), the whole page reloads in the new language. */
function LanguageMenu({ current, options }: { current: string; options: { code: string; name: string }[] }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Form method="post" action="/language" reloadDocument className="language-menu row">
      <input type="hidden" name="next" value={location.pathname + location.search} />
      <label htmlFor="language-menu-select">{t("root.language")}</label>
      <select id="language-menu-select" name="lang" defaultValue={current}>
        {options.map((o) => (
          <option key={o.code} value={o.code} lang={o.code}>
            {o.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button button-secondary button-small">
        {t("root.changeLanguage")}
      </button>
    </Form>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  // Undefined while rendering an error caused by the root loader itself.
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const account = data?.account ?? null;
  const { t, i18n } = useTranslation();
  const lang = data?.lang ?? i18n.language ?? "en";
  useTextsOf(data?.textsUrl);
  return (
    <html lang={lang} dir={data?.dir ?? "ltr"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        {data ? <meta name="polyphony-texts" content={data.textsUrl} /> : null}
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("root.skipToContent")}
        </a>
        <header className="site-header">
          <div className="container row">
            <Link to="/" className="site-name">
              Polyphony
            </Link>
            <nav aria-label="Account" className="site-nav row">
              {account ? (
                <>
                  <Link to="/facilitate">{t("root.dashboard")}</Link>
                  <Link to="/account" title={t("root.yourAccount")}>
                    {account.displayName}
                  </Link>
                  <Form method="post" action="/logout" className="inline-form">
                    <button type="submit" className="button button-secondary button-small">
                      {t("root.signOut")}
                    </button>
                  </Form>
                </>
              ) : (
                // A new document: the facilitators' pages have more texts than participant pages.
                <Link to="/login" reloadDocument>
                  {t("root.facilitatorSignIn")}
                </Link>
              )}
            </nav>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container stack">
            <p className="muted">{t("root.footer")}</p>
            {data ? <LanguageMenu current={lang} options={data.languages} /> : null}
          </div>
        </footer>
        <FocusRescue />
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
