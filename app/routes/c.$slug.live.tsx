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
import { Trans, useTranslation } from "../i18n-react";
import { stamp, When } from "../components/facilitator/format";
import { GroupTallies } from "../components/live-session/group-tallies";
import { usePollWhileDisconnected, useRefreshOnTally } from "../components/live-session/refresh";
import { LiveConsultation, LiveStatus } from "../components/live/live-consultation";
import { Markdown } from "../components/markdown";
import { ConsultationCrumbs, Identity } from "../components/participant/consultation-header";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { PageNotice } from "../components/participant/item-forms";
import { paths } from "../components/participant/labels";
import { participantAction, participantLoader, phaseRefusal, vote } from "../components/participant/participant.server";
import { Byline, langOf, MyVote } from "../components/participant/position-card";
import type { ParticipantResult } from "../components/participant/results";
import { TallyText } from "../components/participant/tally";
import { VoteForm } from "../components/participant/vote-form";
import { consultations, live } from "../domain.server";
import { metaT, useMessage } from "../i18n";
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

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: `${metaT(matches)("live.session.title")} · ${data ? `${data.consultation.title} · ` : ""}Polyphony` },
];

/** Why the viewer cannot vote on the spotlighted position: a text key, or a message from the domain. */
type CannotVote = { key: string } | { message: string };

export async function loader({ request, params }: LoaderFunctionArgs) {
  return participantLoader(request, params, async ({ db, viewer, key }) => {
    const [view, state] = await Promise.all([consultations.getConsultation(db, viewer, key), live.currentSession(db, viewer, key)]);
    const s = state.spotlight;
    const p = s?.position ?? null;
    let cannotVote: CannotVote | null = null;
    if (p && !p.canVote) {
      if (state.role === "facilitator") cannotVote = { key: "live.session.cannotVote.facilitator" };
      else if (state.role === "suspended") cannotVote = { key: "live.session.cannotVote.suspended" };
      else if (p.isMine) cannotVote = { key: "live.session.cannotVote.mine" };
      else if (p.status !== "visible") cannotVote = { key: "live.session.cannotVote.closed" };
      else {
        const refusal = phaseRefusal(state.phase, "vote");
        cannotVote = refusal ? { message: refusal } : { key: "live.session.cannotVote.other" };
      }
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
              language: langOf(p) ?? null,
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
  const { t } = useTranslation();
  const m = useMessage();
  usePollWhileDisconnected();
  useRefreshOnTally(spotlight?.status === "visible" ? spotlight.positionId : undefined, spotlight?.tally ?? { suppressed: true, minimum: 5 });

  return (
    <div className="container stack live-session">
      <noscript>
        <meta httpEquiv="refresh" content={String(REFRESH_SECONDS)} />
      </noscript>
      <header className="stack">
        <ConsultationCrumbs slug={slug} title={consultation.title} />
        <h1>{t("live.session.title")}</h1>
        <Identity me={me} role={role} />
        <LiveStatus />
      </header>
      <PageNotice result={result} />

      {!session ? (
        <section className="card stack live-waiting" aria-live="polite">
          <h2>{t("live.session.none")}</h2>
          <p>{t("live.session.noneText")}</p>
          <p>
            <Link to={paths.consultation(slug)}>{t("live.session.back")}</Link>
          </p>
        </section>
      ) : !spotlight ? (
        <section className="card stack live-waiting" aria-live="polite">
          <h2>{t("live.session.waiting")}</h2>
          <p>{t("live.session.waitingText")}</p>
          {session.holdComments ? <HoldNote /> : null}
        </section>
      ) : (
        // Keyed by position: the vote buttons start afresh for each spotlighted position.
        <article key={spotlight.positionId} id={`p-${spotlight.positionId}`} className="card stack live-spotlight" aria-labelledby="spotlight-title" tabIndex={-1} data-focus-rescue="">
          <p className="small muted" id="spotlight-title">
            <Trans
              i18nKey="live.session.spotlightSince"
              components={{ when: <When at={spotlight.since} />, question: <Link to={paths.question(slug, spotlight.question.id)} /> }}
              values={{ question: spotlight.question.title }}
            />
          </p>
          {spotlight.bodyHtml ? (
            <>
              {spotlight.status === "hidden" ? <p className="small muted">{t("participant.removed.hiddenOnlyFacilitators")}</p> : null}
              <Markdown html={spotlight.bodyHtml} className="position-body live-position-body" lang={spotlight.language ?? undefined} />
              <Byline author={spotlight.author} isMine={spotlight.isMine} edited={spotlight.edited} />
            </>
          ) : (
            <p className="removed">{spotlight.status === "withdrawn" ? t("participant.removed.withdrawn") : t("participant.removed.hidden")}</p>
          )}

          {spotlight.canVote ? (
            <VoteForm positionId={spotlight.positionId} myVote={spotlight.myVote} returnTo={here} big legend={t("participant.vote.legendBig")} />
          ) : (
            <>
              {cannotVote ? <p className="notice">{"key" in cannotVote ? t(cannotVote.key) : m(cannotVote.message)}</p> : null}
              {spotlight.myVote ? <MyVote choice={spotlight.myVote} /> : null}
            </>
          )}

          {spotlight.status === "visible" ? (
            <section className="stack-tight" aria-labelledby="results-title">
              <h2 id="results-title" className="h3">
                {t("live.session.results")}
              </h2>
              <TallyText tally={spotlight.tally} bar positionId={spotlight.positionId} />
              <GroupTallies groups={spotlight.groups} />
            </section>
          ) : null}

          {session.holdComments ? <HoldNote /> : null}
          <p className="small">
            <Link to={paths.position(slug, spotlight.positionId)}>{t("live.session.readComments")}</Link>
          </p>
        </article>
      )}

      <noscript>
        <p className="small muted">{t("live.session.reloads", { count: REFRESH_SECONDS })}</p>
      </noscript>
    </div>
  );
}

function HoldNote() {
  const { t } = useTranslation();
  return <p className="small muted">{t("live.session.holdNote")}</p>;
}

export { ParticipantErrorBoundary as ErrorBoundary };
