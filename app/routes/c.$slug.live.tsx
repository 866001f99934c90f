/**
 * The live session, as participants follow it: the position the facilitator spotlights, big agree /
 * disagree / pass buttons (the same vote as everywhere: a fetcher form posting here, the domain's
 * castVote), and its live tally by stakeholder group, every group below the minimum suppressed.
 * "Waiting for the facilitator" while nothing is spotlighted.
 *
 * Without JavaScript the page reloads itself every 5 seconds (<noscript> meta refresh) and votes are
 * plain form posts. With JavaScript the live layer reloads the page's data when the spotlight, comments
 * or moderation change, pushes the whole tally, and the groups follow the tally (components/live-session).
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { stamp, When } from "../components/facilitator/format";
import { GroupTallies } from "../components/live-session/group-tallies";
import { usePollWhileDisconnected, useRefreshOnTally } from "../components/live-session/refresh";
import { LiveConsultation, LiveStatus } from "../components/live/live-consultation";
import { Markdown } from "../components/markdown";
import { ConsultationCrumbs, Identity } from "../components/participant/consultation-header";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { PageNotice } from "../components/participant/item-forms";
import { paths, VOTE_LABELS } from "../components/participant/labels";
import { participantAction, participantLoader, phaseRefusal, vote } from "../components/participant/participant.server";
import { Byline } from "../components/participant/position-card";
import type { ParticipantResult } from "../components/participant/results";
import { TallyText } from "../components/participant/tally";
import { VoteForm } from "../components/participant/vote-form";
import { consultations, live } from "../domain.server";
import participantStyles from "../styles/participant.css";
import liveStyles from "../styles/live.css";
import liveSessionStyles from "../styles/live-session.css";

/** Without JavaScript, the page reloads itself this often (seconds). */
const REFRESH_SECONDS = 5;

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: participantStyles },
  { rel: "stylesheet", href: liveStyles },
  { rel: "stylesheet", href: liveSessionStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Live session · ${data.consultation.title} · Polyphony` : "Live session · Polyphony" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return participantLoader(request, params, async ({ db, viewer, key }) => {
    const [view, state] = await Promise.all([consultations.getConsultation(db, viewer, key), live.currentSession(db, viewer, key)]);
    const s = state.spotlight;
    const p = s?.position ?? null;
    let cannotVote: string | null = null;
    if (p && !p.canVote) {
      if (state.role === "facilitator") cannotVote = "Facilitators do not vote. This is what participants see.";
      else if (state.role === "suspended") cannotVote = "Your participation is suspended: you can follow the session, but not vote.";
      else if (p.isMine) cannotVote = "This is your own position: the others vote on it.";
      else if (p.status !== "visible") cannotVote = "This position is no longer open for votes.";
      else cannotVote = phaseRefusal(state.phase, "vote") ?? "You cannot vote on this position.";
    }
    return {
      role: view.role,
      me: view.me,
      consultation: { slug: view.consultation.slug, title: view.consultation.title, eventSeq: view.consultation.eventSeq },
      session: state.session ? { holdComments: state.session.holdComments, opened: stamp(state.session.openedAt) } : null,
      spotlight:
        s && p
          ? {
              positionId: p.id,
              status: p.status,
              bodyHtml: p.bodyHtml,
              author: p.author,
              isMine: p.isMine,
              edited: !!p.editedAt,
              myVote: p.myVote,
              canVote: p.canVote,
              question: s.question,
              since: stamp(s.startedAt),
              tally: s.tally,
              groups: s.groups,
            }
          : null,
      cannotVote,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  return participantAction(request, params, {
    vote: (ctx) => vote(ctx, paths.live(ctx.key.slug)),
  });
}

export default function LiveSessionPage() {
  const data = useLoaderData<typeof loader>();
  const slug = data.consultation.slug;
  return (
    <LiveConsultation slug={slug} eventSeq={data.consultation.eventSeq}>
      <LiveSessionView />
    </LiveConsultation>
  );
}

function LiveSessionView() {
  const { role, me, consultation, session, spotlight, cannotVote } = useLoaderData<typeof loader>();
  // A vote posted without JavaScript that failed (a moved spotlight, a closed phase): its message on top.
  const result = useActionData<typeof action>() as ParticipantResult | undefined;
  const slug = consultation.slug;
  const here = paths.live(slug);
  usePollWhileDisconnected();
  useRefreshOnTally(spotlight?.status === "visible" ? spotlight.positionId : undefined, spotlight?.tally ?? { suppressed: true, minimum: 5 });

  return (
    <div className="container stack live-session">
      <noscript>
        <meta httpEquiv="refresh" content={String(REFRESH_SECONDS)} />
      </noscript>
      <header className="stack">
        <ConsultationCrumbs slug={slug} title={consultation.title} />
        <h1>Live session</h1>
        <Identity me={me} role={role} />
        <LiveStatus />
      </header>
      <PageNotice result={result} />

      {!session ? (
        <section className="card stack live-waiting" aria-live="polite">
          <h2>There is no live session now</h2>
          <p>When the facilitator opens one, this page follows it: keep it open. The position being discussed appears here, with a vote and the live results.</p>
          <p>
            <Link to={paths.consultation(slug)}>Back to the consultation</Link>
          </p>
        </section>
      ) : !spotlight ? (
        <section className="card stack live-waiting" aria-live="polite">
          <h2>Waiting for the facilitator</h2>
          <p>The session is open. As soon as the facilitator puts a position in the spotlight, it appears here for everyone at once.</p>
          {session.holdComments ? <HoldNote /> : null}
        </section>
      ) : (
        // Keyed by position: the vote buttons start afresh for each spotlighted position.
        <article key={spotlight.positionId} id={`p-${spotlight.positionId}`} className="card stack live-spotlight" aria-labelledby="spotlight-title">
          <p className="small muted" id="spotlight-title">
            In the spotlight since <When at={spotlight.since} /> · on{" "}
            <Link to={paths.question(slug, spotlight.question.id)}>{spotlight.question.title}</Link>
          </p>
          {spotlight.bodyHtml ? (
            <>
              {spotlight.status === "hidden" ? <p className="small muted">Hidden by a moderator. Only facilitators see this text:</p> : null}
              <Markdown html={spotlight.bodyHtml} className="position-body live-position-body" />
              <Byline author={spotlight.author} isMine={spotlight.isMine} edited={spotlight.edited} />
            </>
          ) : (
            <p className="removed">{spotlight.status === "withdrawn" ? "Withdrawn by participant" : "Hidden by a moderator"}</p>
          )}

          {spotlight.canVote ? (
            <VoteForm positionId={spotlight.positionId} myVote={spotlight.myVote} returnTo={here} big legend="Do you agree with this position?" />
          ) : (
            <>
              {cannotVote ? <p className="notice">{cannotVote}</p> : null}
              {spotlight.myVote ? (
                <p className="small">
                  Your vote: <strong>{VOTE_LABELS[spotlight.myVote]}</strong>
                </p>
              ) : null}
            </>
          )}

          {spotlight.status === "visible" ? (
            <section className="stack-tight" aria-labelledby="results-title">
              <h2 id="results-title" className="h3">
                Live results
              </h2>
              <TallyText tally={spotlight.tally} bar positionId={spotlight.positionId} />
              <GroupTallies groups={spotlight.groups} />
            </section>
          ) : null}

          {session.holdComments ? <HoldNote /> : null}
          <p className="small">
            <Link to={paths.position(slug, spotlight.positionId)}>Read the comments on this position</Link>
          </p>
        </article>
      )}

      <noscript>
        <p className="small muted">This page reloads itself every {REFRESH_SECONDS} seconds to follow the session.</p>
      </noscript>
    </div>
  );
}

function HoldNote() {
  return <p className="small muted">During this session, new comments appear once a moderator has approved them.</p>;
}

export { ParticipantErrorBoundary as ErrorBoundary };
