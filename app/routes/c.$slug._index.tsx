import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import { LiveConsultation, LiveStatus } from "../components/live/live-consultation";
import { Markdown } from "../components/markdown";
import { Identity, PhaseBanner } from "../components/participant/consultation-header";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { paths } from "../components/participant/labels";
import { participantLoader, phaseAllows } from "../components/participant/participant.server";
import { PositionCard } from "../components/participant/position-card";
import { SortForm } from "../components/participant/sort-form";
import { consultations, live, positions, proxy } from "../domain.server";
import { metaT, useFormat } from "../i18n";
import liveStyles from "../styles/live.css";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: participantStyles },
  { rel: "stylesheet", href: liveStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: `${data ? data.consultation.title : metaT(matches)("participant.consultation.metaTitle")} · Polyphony` },
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
  const { t } = useTranslation();
  const format = useFormat();

  return (
    <LiveConsultation slug={slug} eventSeq={consultation.eventSeq}>
      <div className="container stack">
        <header className="stack">
          <h1>{consultation.title}</h1>
          <Identity me={me} role={role} />
          {me && role !== "facilitator" ? (
            <p className="small">
              <Trans
                i18nKey="participant.consultation.yourData"
                components={{ link: <Link to={`${paths.consultation(slug)}/my-data`} /> }}
              />
            </p>
          ) : null}
          <PhaseBanner consultation={consultation} role={role} />
          <LiveStatus />
        </header>

        {liveNow.open ? (
          <section className="card next-cta live-cta" aria-label={t("participant.consultation.liveLabel")}>
            <Link to={paths.live(slug)} className="button">
              {t("participant.consultation.joinLive")}
            </Link>
            <p className="small">
              {liveNow.spotlighted ? t("participant.consultation.liveNowSpotlight") : t("participant.consultation.liveNow")}
            </p>
          </section>
        ) : null}

        {canVote && progress ? (
          <section className="card next-cta" aria-label={t("participant.consultation.voteLabel")}>
            <Link to={paths.next(slug)} className="button">
              {t("participant.consultation.voteNext")}
            </Link>
            <p className="small">
              {t("participant.consultation.progress", { voted: format.number(progress.voted), total: format.number(progress.total) })}
            </p>
          </section>
        ) : null}

        {proxyLinks.enter || proxyLinks.consent ? (
          <p className="row small" aria-label={t("participant.consultation.outreachLabel")}>
            {proxyLinks.enter ? <Link to={`${paths.consultation(slug)}/proxy`}>{t("participant.consultation.proxyLink")}</Link> : null}
            {proxyLinks.consent ? <Link to={`${paths.consultation(slug)}/consent`}>{t("participant.consultation.consentLink")}</Link> : null}
          </p>
        ) : null}

        <section aria-labelledby="about-title" className="stack">
          <h2 id="about-title" className="visually-hidden">
            {t("participant.consultation.about")}
          </h2>
          <Markdown html={consultation.descriptionHtml} />
        </section>

        <section aria-labelledby="questions-title" className="stack">
          <h2 id="questions-title">{t("participant.consultation.questions")}</h2>
          {questions.length === 0 ? <p className="muted">{t("participant.consultation.noQuestions")}</p> : null}
          {questions.length > 0 ? <SortForm action={paths.consultation(slug)} sort={sort} /> : null}
          {questions.map((q, index) => (
            <section key={q.id} className="question-block stack" aria-labelledby={`q-${q.id}`}>
              <h3 id={`q-${q.id}`}>
                <span className="muted">{t("participant.consultation.questionNumber", { n: format.number(index + 1) })} </span>
                <Link to={paths.question(slug, q.id)}>{q.title}</Link>
              </h3>
              <p className="row small">
                {q.listed > 0 ? <span>{t("participant.consultation.positionCount", { count: q.listed })}</span> : null}
                {canSubmit ? <Link to={`${paths.question(slug, q.id)}#post`}>{t("participant.consultation.postOnQuestion")}</Link> : null}
                {canVote && q.listed > 0 ? <Link to={paths.next(slug, q.id)}>{t("participant.consultation.voteOnQuestion")}</Link> : null}
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
                <p className="muted">{t("participant.consultation.noPositions")}</p>
              )}
              {q.listed > q.positions.length ? (
                <p>
                  <Link to={`${paths.question(slug, q.id)}?sort=${sort}`}>{t("participant.consultation.seeAll", { count: q.listed })}</Link>
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
