/**
 * Hydration. The page's texts (its language only) are fetched first from the URL the server put in
 * <meta name="polyphony-texts">; if that fails (no data, offline) the page stays as the server sent it,
 * which works without JavaScript.
 */
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider } from "./i18n-react";
import { createI18n, registerI18n, type LocaleTexts } from "./i18n";

async function hydrate() {
  const lang = document.documentElement.lang || "en";
  const url = document.querySelector<HTMLMetaElement>('meta[name="polyphony-texts"]')?.content ?? `/locales/${lang}.json`;
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`texts: ${response.status}`);
  const texts = (await response.json()) as LocaleTexts;
  const i18n = createI18n(lang, { [lang]: texts });
  registerI18n(i18n);
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <RemixBrowser />
        </I18nextProvider>
      </StrictMode>,
    );
  });
}

hydrate().catch((error: unknown) => {
  console.warn("Polyphony: the page works without its scripts (texts could not be loaded)", error);
});
