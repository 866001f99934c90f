import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { LiveConsultation, LiveStatus } from "../components/live/live-consultation";
import { Markdown } from "../components/markdown";
import { Identity, PhaseBanner } from "../components/participant/consultation-header";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { paths, plural } from "../components/participant/labels";
import { participantLoader, phaseAllows } from "../components/participant/participant.server";
import { PositionCard } from "../components/participant/position-card";
import { SortForm } from "../components/participant/sort-form";
import { consultations, live, positions, proxy } from "../domain.server";
import liveStyles from "../styles/live.css";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: participantStyles },
  { rel: "stylesheet", href: liveStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.consultation.title} · Polyphony` : "Consultation · Polyphony" },
];

/** Positions shown per question here; the question's own page lists them all. */
const PER_QUESTION = 20;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const sort = new URL(request.url).searchParams.get("sort");
  return participantLoader(request, params, async ({ db, viewer, key }) => {
    const [view, listed, liveNow, proxyLinks] = await Promise.all([
      consultations.getConsultation(db, viewer, key),
      positions.listConsultationPositions(db, viewer, key, sort),
      live.sessionStatus(db, viewer, key),
      proxy.proxyLinks(db, viewer, key),
    ]);
    const canVote = view.role === "participant" && phaseAllows(view.consultation.phase, "vote");
    const canSubmit = view.role === "participant" && phaseAllows(view.consultation.phase, "submitPosition");
    const progress = canVote ? listed.progress : null;
    const { consultation: c } = view;
    return {
      role: view.role,
      me: view.me,
      consultation: { slug: c.slug, title: c.title, descriptionHtml: c.descriptionHtml, phase: c.phase, schedule: c.schedule, eventSeq: c.eventSeq },
      questions: view.questions.map((q) => {
        const all = listed.byQuestion[q.id] ?? [];
        return { id: q.id, title: q.title, listed: all.length, positions: all.slice(0, PER_QUESTION) };
      }),
      sort: listed.sort,
      canVote,
      canSubmit,
      progress,
      liveNow,
      proxyLinks,
    };
  });
}

export default function ConsultationPage() {
  const { role, me, consultation, questions, sort, canVote, canSubmit, progress, liveNow, proxyLinks } = useLoaderData<typeof loader>();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const slug = consultation.slug;

  return (
    <LiveConsultation slug={slug} eventSeq={consultation.eventSeq}>
      <div className="container stack">
        <header className="stack">
          <h1>{consultation.title}</h1>
          <Identity me={me} role={role} />
          {me && role !== "facilitator" ? (
            <p className="small">
              <Link to={`${paths.consultation(slug)}/my-data`}>Your data</Link>: download it, or erase your participation.
            </p>
          ) : null}
          <PhaseBanner consultation={consultation} role={role} />
          <LiveStatus />
        </header>

        {liveNow.open ? (
          <section className="card next-cta live-cta" aria-label="Live session">
            <Link to={paths.live(slug)} className="button">
              Join the live session
            </Link>
            <p className="small">A facilitator is running a live session now{liveNow.spotlighted ? ": a position is in the spotlight." : "."}</p>
          </section>
        ) : null}

        {canVote && progress ? (
          <section className="card next-cta" aria-label="Vote on positions">
            <Link to={paths.next(slug)} className="button">
              Vote next
            </Link>
            <p className="small">
              {progress.voted} of {progress.total} voted
            </p>
          </section>
        ) : null}

        {proxyLinks.enter || proxyLinks.consent ? (
          <p className="row small" aria-label="Outreach">
            {proxyLinks.enter ? <Link to={`${paths.consultation(slug)}/proxy`}>Enter a position for a peer who is not online</Link> : null}
            {proxyLinks.consent ? <Link to={`${paths.consultation(slug)}/consent`}>Consent code for an outreach worker</Link> : null}
          </p>
        ) : null}

        <section aria-labelledby="about-title" className="stack">
          <h2 id="about-title" className="visually-hidden">
            About this consultation
          </h2>
          <Markdown html={consultation.descriptionHtml} />
        </section>

        <section aria-labelledby="questions-title" className="stack">
          <h2 id="questions-title">Questions</h2>
          {questions.length === 0 ? <p className="muted">No questions yet.</p> : null}
          {questions.length > 0 ? <SortForm action={paths.consultation(slug)} sort={sort} /> : null}
          {questions.map((q, index) => (
            <section key={q.id} className="question-block stack" aria-labelledby={`q-${q.id}`}>
              <h3 id={`q-${q.id}`}>
                <span className="muted">Question {index + 1}: </span>
                <Link to={paths.question(slug, q.id)}>{q.title}</Link>
              </h3>
              <p className="row small">
                <span>{plural(q.listed, "position")}</span>
                {canSubmit ? <Link to={`${paths.question(slug, q.id)}#post`}>Post a position on this question</Link> : null}
                {canVote && q.listed > 0 ? <Link to={paths.next(slug, q.id)}>Vote on this question</Link> : null}
              </p>
              {q.positions.length ? (
                <ul className="positions">
                  {q.positions.map((p) => (
                    <li key={p.id}>
                      <PositionCard slug={slug} position={p} showMyVote returnTo={here} moderation={false} />
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">No positions yet.</p>
              )}
              {q.listed > q.positions.length ? (
                <p>
                  <Link to={`${paths.question(slug, q.id)}?sort=${sort}`}>See all {q.listed} positions on this question</Link>
                </p>
              ) : null}
            </section>
          ))}
        </section>
      </div>
    </LiveConsultation>
  );
}

export { ParticipantErrorBoundary as ErrorBoundary };
