import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import { z } from "zod";
import { formObject } from "../http.server";
import { metaT } from "../i18n";
import { isSupportedLanguage, languageCookie, languages, requestLanguage } from "../i18n.server";
import { safeRedirectPath } from "../paths";

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaT(matches)("language.title")} · Polyphony` }];

/** The language menu as a page of its own: one button per language, no JavaScript needed. */
export async function loader({ request }: LoaderFunctionArgs) {
  const next = safeRedirectPath(new URL(request.url).searchParams.get("next"));
  return { current: requestLanguage(request), next, languages: languages().map(({ code, name }) => ({ code, name })) };
}

/**
 * Remembers the chosen language on this device (a cookie, a year) and goes back where the person was.
 * The schema is built inside the action: at module level its z.object() call would keep zod (~90 KB
 * gzipped) in this route's browser chunk after Remix removes the action.
 */
export async function action({ request }: ActionFunctionArgs) {
  const LanguageChoice = z.object({
    lang: z.string().max(8).refine((code) => isSupportedLanguage(code), "Choose one of the languages shown."),
    next: z.string().max(2000).optional(),
  });
  const parsed = LanguageChoice.safeParse(await formObject(request));
  if (!parsed.success) throw data(parsed.error.issues[0]?.message ?? "Choose one of the languages shown.", { status: 422 });
  return redirect(safeRedirectPath(parsed.data.next), { headers: { "Set-Cookie": languageCookie(parsed.data.lang) } });
}

export default function LanguagePage() {
  const { current, next, languages } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="container stack" aria-labelledby="language-title">
      <h1 id="language-title">{t("language.title")}</h1>
      <p>{t("language.intro")}</p>
      <Form method="post" reloadDocument className="stack">
        <input type="hidden" name="next" value={next} />
        <ul className="language-list" role="list">
          {languages.map((l) => (
            <li key={l.code}>
              <button
                type="submit"
                name="lang"
                value={l.code}
                lang={l.code}
                className={l.code === current ? "button" : "button button-secondary"}
                aria-current={l.code === current ? "true" : undefined}
              >
                {l.name}
              </button>
            </li>
          ))}
        </ul>
      </Form>
    </section>
  );
}
