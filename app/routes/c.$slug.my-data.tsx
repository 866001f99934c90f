/**
 * "Your data" (/c/<slug>/my-data): what is stored about the participant here, the JSON download, and
 * erasing their participation (a confirmation box, a plain form post: works without JavaScript).
 * Only the participant themself (consultations/participant-rights.ts decides: 403 for facilitators).
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import type { ActionResult } from "../action-result";
import { FormErrors } from "../components/form-errors";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { paths } from "../components/participant/labels";
import { participantAction, participantLoader } from "../components/participant/participant.server";
import { SubmitButton } from "../components/submit-button";
import { rights } from "../domain.server";
import { metaT, useMessage } from "../i18n";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: participantStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: `${metaT(matches)("participant.myData.title")} · ${data ? `${data.consultation.title} · ` : ""}Polyphony` },
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
  const { t } = useTranslation();
  const m = useMessage();

  return (
    <div className="container stack">
      <p>
        <Link to={paths.consultation(slug)}>&larr; {t("participant.myData.back", { title: data.consultation.title })}</Link>
      </p>
      <h1>{t("participant.myData.title")}</h1>
      <p>
        <Trans
          i18nKey="participant.myData.youTakePart"
          values={{ pseudonym: data.pseudonym, group: data.groupName }}
          components={{ name: <strong /> }}
        />{" "}
        {t("participant.myData.stored", {
          // "none" has words of its own: some languages' plural rules put 0 with 1 ("0 voto" in CLDR's pt).
          positions: counts.positions ? t("participant.myData.positions", { count: counts.positions }) : t("participant.myData.noPositions"),
          comments: counts.comments ? t("participant.myData.comments", { count: counts.comments }) : t("participant.myData.noComments"),
          votes: counts.votes ? t("participant.myData.votes", { count: counts.votes }) : t("participant.myData.noVotes"),
          flags: counts.flags ? t("participant.myData.flags", { count: counts.flags }) : t("participant.myData.noFlags"),
        })}{" "}
        {t("participant.myData.nothingLinks")}
      </p>

      <section className="card stack" aria-labelledby="download-title">
        <h2 id="download-title">{t("participant.myData.downloadTitle")}</h2>
        <p>{t("participant.myData.downloadText")}</p>
        <p>
          <a className="button" href={`${paths.consultation(slug)}/my-data.json`} download>
            {t("participant.myData.download")}
          </a>
        </p>
      </section>

      <section className="card stack" aria-labelledby="erase-title">
        <h2 id="erase-title">{t("participant.myData.eraseTitle")}</h2>
        <ul>
          <li>{t("participant.myData.eraseVotes")}</li>
          {data.erasureMode === "remove" ? <li>{t("participant.myData.eraseRemove")}</li> : <li>{t("participant.myData.eraseWithdraw")}</li>}
          <li>{t("participant.myData.eraseName")}</li>
          <li>{t("participant.myData.eraseSignOut")}</li>
        </ul>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="erase" />
          <FormErrors result={failed} />
          <label className="checkbox">
            <input type="checkbox" name="confirm" value="yes" required /> {t("participant.myData.confirm")}
          </label>
          {failed?.fieldErrors.confirm?.length ? (
            <p className="field-error" role="alert">
              {m(failed.fieldErrors.confirm[0]!)}
            </p>
          ) : null}
          <SubmitButton pendingText={t("participant.myData.erasing")}>{t("participant.myData.erase")}</SubmitButton>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ParticipantErrorBoundary />;
}
