/**
 * The live session console (facilitators): open a session (optionally holding new comments for
 * approval), spotlight one position at a time from a searchable, sortable list, watch its live tally by
 * stakeholder group, approve or hide held comments, close the session, and read each session's
 * timeline (what was spotlighted, when, for how long, with its tally by group as it stands now).
 *
 * Participants follow at /c/<slug>/live. With JavaScript the page follows events through the live layer
 * of the facilitator area (app/routes/facilitate.$slug.tsx) and the spotlighted tally through
 * components/live-session; without it, forms post as usual and "Refresh" reloads.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import { metaT, useFormat, useMessage } from "../i18n";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { facilitatorAction, facilitatorLoader } from "../components/facilitator/facilitator.server";
import { stamp, When, type Stamp } from "../components/facilitator/format";
import {
  ActionButton,
  done,
  failureFor,
  formAnchor,
  formKey,
  FormMeta,
  FormNotice,
  PageNotice,
  type FormResult,
} from "../components/facilitator/results";
import { LIMITS, phaseRefusal } from "../components/facilitator/rules.server";
import { Field } from "../components/field";
import { GroupTallies } from "../components/live-session/group-tallies";
import { usePollWhileDisconnected, useRefreshOnTally } from "../components/live-session/refresh";
import { Markdown } from "../components/markdown";
import { labelKeys, paths, SORT_KEYS, type SortKey } from "../components/participant/labels";
import { OutreachMark } from "../components/participant/position-card";
import { TallyText } from "../components/participant/tally";
import { comments, live, moderation } from "../domain.server";
import participantStyles from "../styles/participant.css";
import liveSessionStyles from "../styles/live-session.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: participantStyles },
  { rel: "stylesheet", href: liveSessionStyles },
];

export const meta: MetaFunction = ({ matches }) => {
  const parent = matches.find((m) => m.id === "routes/facilitate.$slug")?.data as { title?: string } | undefined;
  const name = metaT(matches)("liveSession.title");
  return [{ title: parent?.title ? `${name} · ${parent.title} · Polyphony` : `${name} · Polyphony` }];
};

/** "18:04:09 UTC": times within a session, to the second. */
function clock(date: Date | string): Stamp {
  const d = new Date(date);
  return { iso: d.toISOString(), text: `${d.toISOString().slice(11, 19)} UTC`, kind: "clock" };
}

/** "45 s", "3 min 05 s", "1 h 02 min" in the page's language. */
function useDuration(): (seconds: number) => string {
  const { t } = useTranslation();
  return (seconds) => {
    if (seconds < 60) return t("liveSession.duration.seconds", { s: seconds });
    const m = Math.floor(seconds / 60);
    if (m < 60) return t("liveSession.duration.minutes", { m, s: String(seconds % 60).padStart(2, "0") });
    return t("liveSession.duration.hours", { h: Math.floor(m / 60), m: String(m % 60).padStart(2, "0") });
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const [state, candidates, sessions] = await Promise.all([
      live.currentSession(db, viewer, key),
      live.spotlightCandidates(db, viewer, key, { q: url.searchParams.get("q"), sort: url.searchParams.get("sort") }),
      live.listSessions(db, viewer, key),
    ]);
    // The timeline shown: the one asked for, else the open session's so far, else the latest session's.
    const timelineId = url.searchParams.get("session") || state.session?.id || sessions[0]?.id || null;
    const timeline = timelineId ? await live.sessionTimeline(db, viewer, key, timelineId) : null;
    const s = state.spotlight;
    return {
      slug: key.slug,
      reasonMax: LIMITS.reasonMax,
      liveAllowed: state.liveAllowed,
      canControl: state.canControl,
      notAllowedReason: state.liveAllowed ? null : phaseRefusal(state.phase, "runLiveSession"),
      session: state.session ? { id: state.session.id, holdComments: state.session.holdComments, opened: stamp(state.session.openedAt) } : null,
      spotlight:
        s && s.position
          ? {
              positionId: s.position.id,
              status: s.position.status,
              bodyHtml: s.position.bodyHtml,
              language: s.position.language,
              author: s.position.author,
              question: s.question,
              since: clock(s.startedAt),
              tally: s.tally,
              groups: s.groups,
            }
          : null,
      held: (state.held ?? []).map((c) => ({
        id: c.id,
        positionId: c.positionId,
        isReply: c.parentId !== null,
        stance: c.stance,
        bodyHtml: c.bodyHtml,
        language: c.language,
        author: c.author,
        at: stamp(c.createdAt),
      })),
      candidates: {
        q: candidates.q,
        sort: candidates.sort as SortKey,
        matched: candidates.matched,
        positions: candidates.positions.map((p) => ({
          id: p.id,
          bodyHtml: p.bodyHtml,
          language: p.language,
          author: p.author,
          questionTitle: p.questionTitle,
          tally: p.tally,
          spotlightedTimes: p.spotlightedTimes,
        })),
      },
      sessions: sessions.map((x) => ({ id: x.id, opened: stamp(x.openedAt), closed: x.closedAt ? stamp(x.closedAt) : null, spotlights: x.spotlights })),
      timeline: timeline
        ? {
            id: timeline.session.id,
            open: timeline.session.closedAt === null,
            opened: stamp(timeline.session.openedAt),
            closed: timeline.session.closedAt ? stamp(timeline.session.closedAt) : null,
            entries: timeline.entries.map((e) => ({
              id: e.spotlightId,
              started: clock(e.startedAt),
              ended: e.endedAt ? clock(e.endedAt) : null,
              seconds: e.seconds,
              position: e.position ? { id: e.position.id, status: e.position.status, bodyHtml: e.position.bodyHtml, language: e.position.language, author: e.position.author } : null,
              questionTitle: e.question?.title ?? null,
              tally: e.tally,
              groups: e.groups,
            })),
          }
        : null,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  return facilitatorAction(request, params, {
    open: async ({ db, viewer, key, form }) => {
      const session = await live.openSession(db, viewer, key, { holdComments: form.holdComments });
      return done(
        session.holdComments
          ? "The live session is open. New comments wait for your approval. Participants follow it on the live page."
          : "The live session is open. Participants follow it on the live page.",
        "open",
      );
    },
    hold: async ({ db, viewer, key, form }) => {
      const { holdComments } = await live.setHoldComments(db, viewer, key, { holdComments: form.holdComments });
      return done(holdComments ? "New comments now wait for your approval." : "New comments appear at once again. Comments already held still wait for you.", "hold");
    },
    spotlight: async ({ db, viewer, key, form }) => {
      await live.spotlight(db, viewer, key, form.id ?? "");
      return done("The position is in the spotlight: every participant's screen shows it now.", "spotlight", form.id);
    },
    clear: async ({ db, viewer, key }) => {
      await live.spotlight(db, viewer, key, null);
      return done("The spotlight is cleared: participants see “waiting for the facilitator”.", "clear");
    },
    close: async ({ db, viewer, key }) => {
      await live.closeSession(db, viewer, key);
      return done("The live session is closed. Its timeline is below.", "close");
    },
    approve: async ({ db, viewer, key, form }) => {
      await comments.approveComment(db, viewer, key, form.id ?? "");
      return done("The comment is approved: everyone sees it now.", "approve", form.id);
    },
    hide: async ({ db, viewer, key, form }) => {
      await moderation.hideContent(db, viewer, key, "comment", form.id ?? "", { reason: form.reason });
      return done("The comment is hidden. Its place shows your reason.", "hide", form.id);
    },
  });
}

export default function LiveConsole() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<FormResult>();
  const location = useLocation();
  const { t } = useTranslation();
  const here = `${location.pathname}${location.search}`;
  usePollWhileDisconnected(!!data.session || data.held.length > 0);
  useRefreshOnTally(data.spotlight?.status === "visible" ? data.spotlight.positionId : undefined, data.spotlight?.tally ?? { suppressed: true, minimum: 5 });

  // The forms on the page now: their own results show inside them; the others' (a form that went away
  // with its success, like "open" or a spotlighted position's) at the top.
  const forms = [
    ...(!data.session && data.canControl ? [formKey("open")] : []),
    ...(data.session && data.canControl ? [formKey("hold")] : []),
    ...(data.session ? [formKey("close")] : []),
    ...(data.spotlight && data.canControl ? [formKey("clear")] : []),
    ...(data.session && data.canControl
      ? data.candidates.positions.filter((p) => p.id !== data.spotlight?.positionId).map((p) => formKey("spotlight", p.id))
      : []),
    ...data.held.flatMap((c) => [formKey("approve", c.id), formKey("hide", c.id)]),
  ];

  return (
    <div className="stack live-console">
      <div className="row row-between">
        <h2>{t("liveSession.title")}</h2>
        <p className="small">
          <Link to={here} reloadDocument>
            {t("liveSession.refresh")}
          </Link>
        </p>
      </div>
      <PageNotice result={result} forms={forms} />

      <SessionControls data={data} result={result} />

      {data.session ? <Spotlight data={data} result={result} /> : null}

      {data.held.length || data.session?.holdComments ? <HeldQueue data={data} result={result} /> : null}

      {data.session && data.canControl ? <Candidates data={data} result={result} /> : null}

      <Timeline data={data} />
    </div>
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Props = { data: Data; result: FormResult | undefined };

function SessionControls({ data, result }: Props) {
  const participantsLink = paths.live(data.slug);
  const { t } = useTranslation();
  const m = useMessage();
  if (!data.session) {
    return (
      <section className="card stack" aria-labelledby="session-title" id={formAnchor("open")}>
        <h3 id="session-title">{t("liveSession.noneOpen")}</h3>
        <p>
          <Trans
            i18nKey="liveSession.intro"
            values={{ path: participantsLink }}
            components={{ link: <Link to={participantsLink} /> }}
          />
        </p>
        {data.canControl ? (
          <Form method="post" className="stack-tight" preventScrollReset>
            <FormMeta intent="open" />
            <p>
              <label className="checkbox">
                <input type="checkbox" name="holdComments" defaultChecked /> {t("liveSession.holdCheckbox")}
              </label>
            </p>
            <FormNotice result={result} intent="open" />
            <ActionButton intent="open" pendingText={t("liveSession.opening")}>
              {t("liveSession.open")}
            </ActionButton>
          </Form>
        ) : (
          <p className="notice">{data.notAllowedReason ? m(data.notAllowedReason) : t("liveSession.cannotOpen")}</p>
        )}
      </section>
    );
  }
  return (
    <section className="card stack" aria-labelledby="session-title">
      <h3 id="session-title">{t("liveSession.isOpen")}</h3>
      <p>
        {t("liveSession.openSince")} <When at={data.session.opened} />.{" "}
        <Trans i18nKey="liveSession.followAt" values={{ path: participantsLink }} components={{ link: <Link to={participantsLink} /> }} />
      </p>
      {!data.liveAllowed ? (
        <p className="notice">
          {data.notAllowedReason ? m(data.notAllowedReason) : null} {t("liveSession.closeIt")}
        </p>
      ) : null}
      <div className="live-controls">
        {data.canControl ? (
          <Form method="post" preventScrollReset id={formAnchor("hold")}>
            <FormMeta intent="hold" />
            <input type="hidden" name="holdComments" value={data.session.holdComments ? "off" : "on"} />
            <p className="small">{data.session.holdComments ? t("liveSession.holding") : t("liveSession.notHolding")}</p>
            <ActionButton intent="hold" className="button button-secondary" pendingText={t("facilitator.common.saving")}>
              {data.session.holdComments ? t("liveSession.stopHolding") : t("liveSession.startHolding")}
            </ActionButton>
            <FormNotice result={result} intent="hold" />
          </Form>
        ) : null}
        <Form method="post" preventScrollReset id={formAnchor("close")}>
          <FormMeta intent="close" />
          <ActionButton intent="close" className="button button-danger" pendingText={t("liveSession.closing")}>
            {t("liveSession.close")}
          </ActionButton>
          <FormNotice result={result} intent="close" />
        </Form>
      </div>
    </section>
  );
}

function Spotlight({ data, result }: Props) {
  const s = data.spotlight;
  const { t } = useTranslation();
  return (
    <section className="card stack live-spotlight" aria-labelledby="spotlight-title" id={formAnchor("clear")}>
      <h3 id="spotlight-title">{t("liveSession.spotlight")}</h3>
      {!s ? (
        <p className="muted">{t("liveSession.nothingYet")}</p>
      ) : (
        <>
          <p className="small muted">
            {t("liveSession.since")} <When at={s.since} /> · {t("liveSession.on", { title: s.question.title })} ·{" "}
            <Link to={paths.position(data.slug, s.positionId)}>{t("liveSession.openPosition")}</Link>
          </p>
          {s.status !== "visible" ? <p className="notice">{t(`liveSession.goneSince.${s.status === "hidden" ? "hidden" : "withdrawn"}`)}</p> : null}
          {s.bodyHtml ? <Markdown html={s.bodyHtml} className="position-body live-position-body" lang={s.language} /> : null}
          {s.author ? (
            <p className="byline small">
              {t("liveSession.by")} <strong>{s.author.pseudonym}</strong> <span className="muted">({s.author.groupName})</span>
              {s.author.enteredByOutreach ? <OutreachMark /> : null}
            </p>
          ) : null}
          {s.status === "visible" ? (
            <>
              <TallyText tally={s.tally} bar positionId={s.positionId} />
              <GroupTallies groups={s.groups} />
            </>
          ) : null}
          {data.canControl ? (
            <Form method="post" preventScrollReset>
              <FormMeta intent="clear" />
              <ActionButton intent="clear" className="button button-secondary" pendingText={t("liveSession.clearing")}>
                {t("liveSession.clear")}
              </ActionButton>
              <FormNotice result={result} intent="clear" />
            </Form>
          ) : null}
        </>
      )}
    </section>
  );
}

function HeldQueue({ data, result }: Props) {
  const { t } = useTranslation();
  return (
    <section className="stack" aria-labelledby="held-title">
      <h3 id="held-title">{t("liveSession.held", { n: data.held.length })}</h3>
      {data.held.length === 0 ? (
        <p className="muted">{t("liveSession.heldEmpty")}</p>
      ) : (
        <ul className="held-list">
          {data.held.map((c) => {
            const hideFailed = failureFor(result, "hide", c.id);
            return (
              <li key={c.id} className="card stack-tight" id={formAnchor("approve", c.id)}>
                <p className="small">
                  <span className={`badge stance stance-${c.stance}`}>{t(labelKeys.stance(c.stance))}</span>{" "}
                  {c.isReply ? t("liveSession.replyBy") : t("liveSession.commentBy")}{" "}
                  <strong>{c.author.pseudonym}</strong> <span className="muted">({c.author.groupName})</span>, <When at={c.at} /> ·{" "}
                  <Link to={paths.position(data.slug, c.positionId)}>{t("liveSession.openItsPosition")}</Link>
                </p>
                <blockquote className="flagged-body">
                  <Markdown html={c.bodyHtml} lang={c.language} />
                </blockquote>
                <FormNotice result={result} intent="approve" id={c.id} />
                <FormNotice result={result} intent="hide" id={c.id} />
                <div className="held-actions">
                  <Form method="post" preventScrollReset>
                    <FormMeta intent="approve" id={c.id} />
                    <ActionButton intent="approve" id={c.id} pendingText={t("liveSession.approving")}>
                      {t("liveSession.approve")}<span className="visually-hidden"> {t("liveSession.theCommentBy", { name: c.author.pseudonym })}</span>
                    </ActionButton>
                  </Form>
                  <Form method="post" noValidate preventScrollReset className="stack-tight" id={formAnchor("hide", c.id)}>
                    <FormMeta intent="hide" id={c.id} />
                    <Field
                      label={
                        <>
                          {t("facilitator.moderation.hideReason")}
                          <span className="visually-hidden"> {t("liveSession.theCommentBy", { name: c.author.pseudonym })}</span>
                        </>
                      }
                      name="reason"
                      required
                      maxLength={data.reasonMax}
                      hint={t("facilitator.moderation.hideHint")}
                      defaultValue={hideFailed?.values?.reason ?? ""}
                      errors={hideFailed?.fieldErrors.reason}
                    />
                    <ActionButton intent="hide" id={c.id} className="button button-danger" pendingText={t("facilitator.moderation.hiding")}>
                      {t("facilitator.moderation.hide")}<span className="visually-hidden"> {t("liveSession.theCommentBy", { name: c.author.pseudonym })}</span>
                    </ActionButton>
                  </Form>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Candidates({ data, result }: Props) {
  const { candidates } = data;
  const base = paths.facilitateLive(data.slug);
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="stack" aria-labelledby="candidates-title">
      <h3 id="candidates-title">{t("liveSession.candidates")}</h3>
      <Form method="get" action={base} className="search-form" key={`${candidates.q}|${candidates.sort}`}>
        <div>
          <label htmlFor="live-q">{t("liveSession.search")}</label>
          <input id="live-q" type="search" name="q" defaultValue={candidates.q} maxLength={200} placeholder={t("liveSession.searchPlaceholder")} />
        </div>
        <div>
          <label htmlFor="live-sort">{t("liveSession.order")}</label>
          <select id="live-sort" name="sort" defaultValue={candidates.sort}>
            {SORT_KEYS.map((k) => (
              <option key={k} value={k}>
                {t(labelKeys.sort(k))}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          {t("liveSession.show")}
        </button>
        {candidates.q ? <Link to={`${base}?sort=${candidates.sort}`}>{t("liveSession.clearSearch")}</Link> : null}
      </Form>
      <p className="small muted">
        {candidates.matched === 0
          ? candidates.q
            ? t("liveSession.noMatch")
            : t("liveSession.noPositions")
          : candidates.matched > candidates.positions.length
            ? t("liveSession.showingOf", { shown: f.number(candidates.positions.length), total: f.number(candidates.matched) })
            : t("liveSession.positions", { count: candidates.matched, n: f.number(candidates.matched) })}
      </p>
      <ul className="candidate-list">
        {candidates.positions.map((p) => {
          const current = data.spotlight?.positionId === p.id;
          return (
            <li key={p.id} className={`card candidate${current ? " is-spotlighted" : ""}`} id={formAnchor("spotlight", p.id)}>
              <div className="candidate-text">
                <p className="small muted">{t("liveSession.onQuestion", { title: p.questionTitle })}</p>
                {p.bodyHtml ? <Markdown html={p.bodyHtml} className="position-body" lang={p.language} /> : null}
                {p.author ? (
                  <p className="byline small">
                    {t("liveSession.by")} <strong>{p.author.pseudonym}</strong> <span className="muted">({p.author.groupName})</span>
                    {p.author.enteredByOutreach ? <OutreachMark /> : null}
                    {p.spotlightedTimes ? (
                      <span className="muted"> · {t("liveSession.spotlightedTimes", { count: p.spotlightedTimes, n: f.number(p.spotlightedTimes) })}</span>
                    ) : null}
                  </p>
                ) : null}
                <TallyText tally={p.tally} positionId={p.id} />
              </div>
              {current ? (
                <p className="badge">{t("liveSession.spotlight")}</p>
              ) : (
                <Form method="post" preventScrollReset>
                  <FormMeta intent="spotlight" id={p.id} />
                  <ActionButton intent="spotlight" id={p.id} className="button" pendingText={t("liveSession.spotlighting")}>
                    {t("liveSession.spotlightIt")}<span className="visually-hidden"> {t("liveSession.thisPosition")}</span>
                  </ActionButton>
                  <FormNotice result={result} intent="spotlight" id={p.id} />
                </Form>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Timeline({ data }: { data: Data }) {
  const tl = data.timeline;
  const { t } = useTranslation();
  const f = useFormat();
  const duration = useDuration();
  if (!tl) return null;
  const base = paths.facilitateLive(data.slug);
  return (
    <section className="stack" aria-labelledby="timeline-title">
      <h3 id="timeline-title">{tl.open ? t("liveSession.timelineSoFar") : t("liveSession.timeline")}</h3>
      <p className="small muted">
        {t("liveSession.opened")} <When at={tl.opened} />
        {tl.closed ? (
          <>
            , {t("liveSession.closed")} <When at={tl.closed} />
          </>
        ) : null}
        . {t("liveSession.talliesNow")}
      </p>
      {tl.entries.length === 0 ? (
        <p className="muted">{tl.open ? t("liveSession.nothingSpotlightedYet") : t("liveSession.nothingSpotlighted")}</p>
      ) : (
        <ol className="timeline">
          {tl.entries.map((e) => (
            <li key={e.id} className="card stack-tight">
              <p className="small timeline-when">
                <strong>
                  <When at={e.started} />
                  {" – "}
                  {e.ended ? <When at={e.ended} /> : t("liveSession.now")}
                </strong>{" "}
                <span className="muted">({duration(e.seconds)})</span>
                {e.questionTitle ? <span className="muted"> · {t("liveSession.on", { title: e.questionTitle })}</span> : null}
              </p>
              {!e.position ? (
                <p className="removed">{t("liveSession.gone")}</p>
              ) : (
                <>
                  {e.position.status !== "visible" ? (
                    <p className="removed">{t(`liveSession.wasSince.${e.position.status === "hidden" ? "hidden" : "withdrawn"}`)}</p>
                  ) : null}
                  {e.position.bodyHtml ? <Markdown html={e.position.bodyHtml} className="position-body" lang={e.position.language} /> : null}
                  {e.position.author ? (
                    <p className="byline small">
                      {t("liveSession.by")} <strong>{e.position.author.pseudonym}</strong> <span className="muted">({e.position.author.groupName})</span>
                      {e.position.author.enteredByOutreach ? <OutreachMark /> : null}
                    </p>
                  ) : null}
                  {e.position.status === "visible" ? (
                    <>
                      <TallyText tally={e.tally} />
                      <GroupTallies groups={e.groups} />
                    </>
                  ) : null}
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {data.sessions.length > 1 ? (
        <nav aria-labelledby="sessions-title" className="stack-tight">
          <h4 id="sessions-title">{t("liveSession.allSessions")}</h4>
          <ul>
            {data.sessions.map((x) => (
              <li key={x.id}>
                {x.id === tl.id ? (
                  <strong aria-current="true">
                    <When at={x.opened} />
                  </strong>
                ) : (
                  <Link to={`${base}?session=${encodeURIComponent(x.id)}`}>
                    <When at={x.opened} />
                  </Link>
                )}{" "}
                <span className="muted small">
                  {x.closed ? "" : `(${t("liveSession.openMark")}) `}· {t("liveSession.spotlights", { count: x.spotlights, n: f.number(x.spotlights) })}
                </span>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
