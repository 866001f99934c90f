import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ActionResult } from "../action-result";
import { FormErrors } from "../components/form-errors";
import type { ConsultationEventPayload } from "../../realtime/event-map";
import { LiveConsultation, LiveStatus } from "../components/live/live-consultation";
import { Markdown } from "../components/markdown";
import { ConsultationCrumbs, Identity } from "../components/participant/consultation-header";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { paths } from "../components/participant/labels";
import { participantAction, participantLoader, phaseAllows, phaseRefusal } from "../components/participant/participant.server";
import { Byline } from "../components/participant/position-card";
import { TallyText } from "../components/participant/tally";
import { VoteForm } from "../components/participant/vote-form";
import { consultations, positions, votes } from "../domain.server";
import liveStyles from "../styles/live.css";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: participantStyles },
  { rel: "stylesheet", href: liveStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Vote next · ${data.consultation.title} · Polyphony` : "Vote next · Polyphony" },
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

  return (
    <LiveConsultation slug={slug} eventSeq={consultation.eventSeq} revalidateOn={(e) => changesTheShownPosition(e, position?.id ?? null)}>
      <div className="container stack">
        <header className="stack">
          <ConsultationCrumbs slug={slug} title={consultation.title}>
            {filter ? <Link to={paths.question(slug, filter.id)}>{filter.title}</Link> : null}
          </ConsultationCrumbs>
          <h1>Vote next</h1>
          <Identity me={me} role={role} />
          <LiveStatus />
        </header>

        {role === "facilitator" ? (
          <p className="notice">
            Facilitators do not vote. <Link to={paths.facilitate(slug)}>Back to facilitating</Link>
          </p>
        ) : !canVote ? (
          <p className="notice">{closed ?? "You cannot vote in this consultation."}</p>
        ) : (
          <>
            <div className="stack-tight">
              <p>
                You have voted on <strong>{progress.voted}</strong> of <strong>{progress.total}</strong>
                {filter ? " positions on this question" : " positions"}.
              </p>
              {progress.total > 0 ? (
                <progress value={progress.voted} max={progress.total} aria-label="Your progress" />
              ) : null}
            </div>

            <FormErrors result={result} />

            {position ? (
              <article className="card stack next-position" aria-labelledby="next-title">
                <h2 id="next-title" className="small muted">
                  {positionQuestion ? (
                    <>
                      On: <Link to={paths.question(slug, position.questionId)}>{positionQuestion}</Link>
                    </>
                  ) : (
                    "Position"
                  )}
                </h2>
                {position.bodyHtml ? <Markdown html={position.bodyHtml} className="position-body" /> : null}
                <Byline author={position.author} isMine={false} edited={!!position.editedAt} />
                <VoteForm positionId={position.id} myVote={position.myVote} returnTo={self} big navigate legend="Do you agree with this position?" />
                <p className="small muted">Not sure? Pass: it counts as seen, and you can change your vote later on the position&rsquo;s page.</p>
                <TallyText tally={position.tally} positionId={position.id} />
                <p className="small">
                  <Link to={paths.position(slug, position.id)}>Read the comments on this position</Link>
                </p>
              </article>
            ) : (
              <section className="card stack" aria-labelledby="done-title">
                <h2 id="done-title">
                  {progress.total === 0 ? "There is nothing to vote on yet." : "You have voted on everything. Thank you"}
                </h2>
                <p>
                  {progress.total === 0
                    ? "Come back later: positions from other participants will appear here."
                    : "New positions may still come in: come back later to see them."}
                </p>
                {filter ? (
                  <p>
                    <Link to={paths.next(slug)}>Vote on positions of all questions</Link>
                  </p>
                ) : null}
              </section>
            )}
          </>
        )}
        <p>
          <Link to={paths.consultation(slug)}>Back to the consultation</Link>
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
