import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import type { ActionResult } from "../action-result";
import { FormErrors } from "../components/form-errors";
import type { ConsultationEventPayload } from "../../realtime/event-map";
import { LiveConsultation, LiveStatus } from "../components/live/live-consultation";
import { Markdown } from "../components/markdown";
import { ConsultationCrumbs, Identity } from "../components/participant/consultation-header";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { paths } from "../components/participant/labels";
import { participantAction, participantLoader, phaseAllows, phaseRefusal } from "../components/participant/participant.server";
import { Byline, langOf } from "../components/participant/position-card";
import { TallyText } from "../components/participant/tally";
import { VoteForm } from "../components/participant/vote-form";
import { consultations, positions, votes } from "../domain.server";
import { metaT, useFormat, useMessage } from "../i18n";
import liveStyles from "../styles/live.css";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: participantStyles },
  { rel: "stylesheet", href: liveStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: `${metaT(matches)("participant.next.title")} · ${data ? `${data.consultation.title} · ` : ""}Polyphony` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get("q");
  return participantLoader(request, params, async ({ db, viewer, key }) => {
    const view = await consultations.getConsultation(db, viewer, key);
    const filter = view.questions.find((question) => question.id === q) ?? null;
    const next = await positions.nextToVote(db, viewer, key, filter?.id ?? null);
    const canVote = view.role === "participant" && phaseAllows(view.consultation.phase, "vote");
    const position = canVote ? next.position : null;
    return {
      role: view.role,
      me: view.me,
      consultation: { slug: view.consultation.slug, title: view.consultation.title, eventSeq: view.consultation.eventSeq },
      filter: filter ? { id: filter.id, title: filter.title } : null,
      position,
      positionQuestion: position ? (view.questions.find((question) => question.id === position.questionId)?.title ?? null) : null,
      progress: next.progress,
      canVote,
      closed: view.role === "participant" ? phaseRefusal(view.consultation.phase, "vote") : null,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const q = new URL(request.url).searchParams.get("q");
  return participantAction(request, params, {
    vote: async ({ db, viewer, key, form }) => {
      await votes.castVote(db, viewer, key, form.positionId ?? "", { choice: form.choice });
      // The same page again: it now shows the next position.
      return redirect(paths.next(key.slug, q));
    },
  });
}

export default function VoteNext() {
  const { role, me, consultation, filter, position, positionQuestion, progress, canVote, closed } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const slug = consultation.slug;
  const self = paths.next(slug, filter?.id);
  const { t } = useTranslation();
  const m = useMessage();
  const format = useFormat();

  return (
    <LiveConsultation slug={slug} eventSeq={consultation.eventSeq} revalidateOn={(e) => changesTheShownPosition(e, position?.id ?? null)}>
      <div className="container stack">
        <header className="stack">
          <ConsultationCrumbs slug={slug} title={consultation.title}>
            {filter ? <Link to={paths.question(slug, filter.id)}>{filter.title}</Link> : null}
          </ConsultationCrumbs>
          <h1>{t("participant.next.title")}</h1>
          <Identity me={me} role={role} />
          <LiveStatus />
        </header>

        {role === "facilitator" ? (
          <p className="notice">
            {t("participant.next.facilitator")} <Link to={paths.facilitate(slug)}>{t("participant.next.backToFacilitating")}</Link>
          </p>
        ) : !canVote ? (
          <p className="notice">{closed ? m(closed) : t("participant.next.cannotVote")}</p>
        ) : (
          <>
            <div className="stack-tight">
              {progress.total > 0 ? (
                <p>
                  <Trans
                    i18nKey={filter ? "participant.next.progressQuestion" : "participant.next.progress"}
                    values={{ voted: format.number(progress.voted), total: format.number(progress.total) }}
                    count={progress.total}
                    components={{ b: <strong /> }}
                  />
                </p>
              ) : null}
              {progress.total > 0 ? (
                <progress value={progress.voted} max={progress.total} aria-label={t("participant.next.progressLabel")} />
              ) : null}
            </div>

            <FormErrors result={result} />

            {position ? (
              <article key={position.id} className="card stack next-position" aria-labelledby="next-title" tabIndex={-1} data-focus-rescue="">
                <h2 id="next-title" className="small muted">
                  {positionQuestion ? (
                    <>
                      {t("participant.next.on")} <Link to={paths.question(slug, position.questionId)}>{positionQuestion}</Link>
                    </>
                  ) : (
                    t("participant.next.position")
                  )}
                </h2>
                {position.bodyHtml ? <Markdown html={position.bodyHtml} className="position-body" lang={langOf(position)} /> : null}
                <Byline author={position.author} isMine={false} edited={!!position.editedAt} />
                <VoteForm positionId={position.id} myVote={position.myVote} returnTo={self} big navigate legend={t("participant.vote.legendBig")} />
                <p className="small muted">{t("participant.next.notSure")}</p>
                <TallyText tally={position.tally} positionId={position.id} />
                <p className="small">
                  <Link to={paths.position(slug, position.id)}>{t("participant.next.readComments")}</Link>
                </p>
              </article>
            ) : (
              <section className="card stack" aria-labelledby="done-title" tabIndex={-1} data-focus-rescue="">
                <h2 id="done-title">
                  {progress.total === 0 ? t("participant.next.nothingYet") : t("participant.next.allDone")}
                </h2>
                <p>{progress.total === 0 ? t("participant.next.nothingYetText") : t("participant.next.allDoneText")}</p>
                {filter ? (
                  <p>
                    <Link to={paths.next(slug)}>{t("participant.next.allQuestions")}</Link>
                  </p>
                ) : null}
              </section>
            )}
          </>
        )}
        <p>
          <Link to={paths.consultation(slug)}>{t("participant.next.back")}</Link>
        </p>
      </div>
    </LiveConsultation>
  );
}

/**
 * This page shows one position picked by fewest votes: a reload could swap it under the voter's thumb,
 * so only a phase change or a change to the position shown (edited, withdrawn, hidden) reloads it.
 */
function changesTheShownPosition(event: ConsultationEventPayload, positionId: string | null): boolean {
  if (event.type === "phase.changed") return true;
  if (!positionId || !/^position\.(edited|withdrawn|hidden)$/.test(event.type)) return false;
  return event.data.positionId === positionId || event.data.id === positionId;
}

export { ParticipantErrorBoundary as ErrorBoundary };
