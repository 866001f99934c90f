import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import { Field } from "../components/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { metaT } from "../i18n";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaT(matches)("join.index.metaTitle")} · Polyphony` }];

const CODE_MAX = 64;

/** `?code=` (this form, or the landing page's) goes to /join/<code>; without it, the form. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (!url.searchParams.has("code")) return { error: null };
  const code = (url.searchParams.get("code") ?? "").trim().replace(/\s+/g, "-");
  if (!code) return data({ error: "Enter your invitation code." }, { status: 422 });
  if (code.length > CODE_MAX) return data({ error: "That code is too long. Check it and try again." }, { status: 422 });
  throw redirect(`/join/${encodeURIComponent(code)}`);
}

export default function JoinIndex() {
  const { error } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container stack">
      <h1>{t("join.index.title")}</h1>
      <p>{t("join.index.intro")}</p>
      <Form method="get" className="card stack" noValidate>
        <Field
          label={t("join.index.codeLabel")}
          name="code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={CODE_MAX}
          required
          errors={error ? [error] : null}
        />
        <button type="submit" className="button">
          {t("join.index.continue")}
        </button>
      </Form>
      <p className="muted">
        {t("join.index.alreadyJoined")} <Link to="/">{t("join.index.toStart")}</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary };
