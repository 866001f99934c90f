import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Field } from "../components/field";
import { GeneralErrorBoundary } from "../components/error-boundary";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction = () => [{ title: "Join with an invitation code · Polyphony" }];

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
  return (
    <div className="container stack">
      <h1>Join a consultation</h1>
      <p>
        Type the code from your invitation slip or message. Dashes, spaces and small or capital letters do not matter.
      </p>
      <Form method="get" className="card stack" noValidate>
        <Field
          label="Invitation code"
          name="code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={CODE_MAX}
          required
          errors={error ? [error] : null}
        />
        <button type="submit" className="button">
          Continue
        </button>
      </Form>
      <p className="muted">
        Already joined on another phone? Open the consultation&rsquo;s link and use your pseudonym and passphrase, or your
        recovery code. <Link to="/">Back to the start page</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary };
