/**
 * "Your data" (/c/<slug>/my-data): what is stored about the participant here, the JSON download, and
 * erasing their participation (a confirmation box, a plain form post: works without JavaScript).
 * Only the participant themself (consultations/participant-rights.ts decides: 403 for facilitators).
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ActionResult } from "../action-result";
import { FormErrors } from "../components/form-errors";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { paths, plural } from "../components/participant/labels";
import { participantAction, participantLoader } from "../components/participant/participant.server";
import { SubmitButton } from "../components/submit-button";
import { rights } from "../domain.server";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Your data · ${data.consultation.title} · Polyphony` : "Your data · Polyphony" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return participantLoader(request, params, ({ db, viewer, key }) => rights.myDataSummary(db, viewer, key));
}

export async function action({ request, params }: ActionFunctionArgs) {
  return participantAction(request, params, {
    erase: async ({ db, viewer, key, form }) => {
      await rights.eraseMyParticipation(db, viewer, key, { confirm: form.confirm });
      return redirect(`${paths.back(key.slug)}?erased=1`);
    },
  });
}

export default function YourData() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const failed = result && !result.ok ? result : null;
  const slug = data.consultation.slug;
  const { counts } = data;

  return (
    <div className="container stack">
      <p>
        <Link to={paths.consultation(slug)}>&larr; Back to {data.consultation.title}</Link>
      </p>
      <h1>Your data</h1>
      <p>
        In this consultation you take part as <strong>{data.pseudonym}</strong> ({data.groupName}). Stored about you here:{" "}
        {plural(counts.positions, "position")}, {plural(counts.comments, "comment")}, {plural(counts.votes, "vote")} and{" "}
        {plural(counts.flags, "flag")} you raised. Nothing links your pseudonym to your invitation, an email, a phone or an IP
        address: none of these is stored. Your passphrase and recovery code are stored only as one-way hashes.
      </p>

      <section className="card stack" aria-labelledby="download-title">
        <h2 id="download-title">Download</h2>
        <p>One file with everything stored about you in this consultation (JSON).</p>
        <p>
          <a className="button" href={`${paths.consultation(slug)}/my-data.json`} download>
            Download your data
          </a>
        </p>
      </section>

      <section className="card stack" aria-labelledby="erase-title">
        <h2 id="erase-title">Erase your participation</h2>
        <ul>
          <li>Your votes are deleted: every tally is counted again without them.</li>
          {data.erasureMode === "remove" ? (
            <li>Your positions and comments are deleted, with the replies and votes of others under them.</li>
          ) : (
            <li>
              Your positions and comments stay in place as &ldquo;Withdrawn by participant&rdquo;, without their text and
              without your pseudonym, so the replies of others still make sense.
            </li>
          )}
          <li>Your pseudonym no longer appears anywhere, and your passphrase and recovery code stop working.</li>
          <li>You are signed out of this consultation. This cannot be undone.</li>
        </ul>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="erase" />
          <FormErrors result={failed} />
          <label className="checkbox">
            <input type="checkbox" name="confirm" value="yes" required /> I understand: erase my participation in this
            consultation for good.
          </label>
          {failed?.fieldErrors.confirm?.length ? (
            <p className="field-error" role="alert">
              {failed.fieldErrors.confirm[0]}
            </p>
          ) : null}
          <SubmitButton pendingText="Erasing…">Erase my participation</SubmitButton>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ParticipantErrorBoundary />;
}
