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
import { paths, SORT_LABELS, STANCE_LABELS, type SortKey } from "../components/participant/labels";
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
  return [{ title: parent?.title ? `Live session · ${parent.title} · Polyphony` : "Live session · Polyphony" }];
};

/** "18:04:09 UTC": times within a session, to the second. */
function clock(date: Date | string): Stamp {
  const d = new Date(date);
  return { iso: d.toISOString(), text: `${d.toISOString().slice(11, 19)} UTC` };
}

/** "45 s", "3 min 05 s", "1 h 02 min". */
function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
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
              duration: duration(e.seconds),
              position: e.position ? { id: e.position.id, status: e.position.status, bodyHtml: e.position.bodyHtml, author: e.position.author } : null,
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
        <h2>Live session</h2>
        <p className="small">
          <Link to={here} reloadDocument>
            Refresh
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
  if (!data.session) {
    return (
      <section className="card stack" aria-labelledby="session-title" id={formAnchor("open")}>
        <h3 id="session-title">No live session is open</h3>
        <p>
          Run an online meeting on this consultation: open a session, put one position at a time in the spotlight, and every
          participant&rsquo;s screen follows it at <Link to={participantsLink}>{participantsLink}</Link> with a vote and the live
          results by stakeholder group.
        </p>
        {data.canControl ? (
          <Form method="post" className="stack-tight" preventScrollReset>
            <FormMeta intent="open" />
            <p>
              <label className="checkbox">
                <input type="checkbox" name="holdComments" defaultChecked /> Hold new comments for my approval during the session
              </label>
            </p>
            <FormNotice result={result} intent="open" />
            <ActionButton intent="open" pendingText="Opening…">
              Open a live session
            </ActionButton>
          </Form>
        ) : (
          <p className="notice">{data.notAllowedReason ?? "You cannot open a live session now."}</p>
        )}
      </section>
    );
  }
  return (
    <section className="card stack" aria-labelledby="session-title">
      <h3 id="session-title">The live session is open</h3>
      <p>
        Open since <When at={data.session.opened} />. Participants follow it at <Link to={participantsLink}>{participantsLink}</Link>.
      </p>
      {!data.liveAllowed ? <p className="notice">{data.notAllowedReason} Close the session.</p> : null}
      <div className="live-controls">
        {data.canControl ? (
          <Form method="post" preventScrollReset id={formAnchor("hold")}>
            <FormMeta intent="hold" />
            <input type="hidden" name="holdComments" value={data.session.holdComments ? "off" : "on"} />
            <p className="small">{data.session.holdComments ? "New comments wait for your approval." : "New comments appear at once."}</p>
            <ActionButton intent="hold" className="button button-secondary" pendingText="Saving…">
              {data.session.holdComments ? "Stop holding comments" : "Hold new comments for approval"}
            </ActionButton>
            <FormNotice result={result} intent="hold" />
          </Form>
        ) : null}
        <Form method="post" preventScrollReset id={formAnchor("close")}>
          <FormMeta intent="close" />
          <ActionButton intent="close" className="button button-danger" pendingText="Closing…">
            Close the session
          </ActionButton>
          <FormNotice result={result} intent="close" />
        </Form>
      </div>
    </section>
  );
}

function Spotlight({ data, result }: Props) {
  const s = data.spotlight;
  return (
    <section className="card stack live-spotlight" aria-labelledby="spotlight-title" id={formAnchor("clear")}>
      <h3 id="spotlight-title">In the spotlight</h3>
      {!s ? (
        <p className="muted">Nothing yet: participants see &ldquo;waiting for the facilitator&rdquo;. Choose a position below.</p>
      ) : (
        <>
          <p className="small muted">
            Since <When at={s.since} /> · on {s.question.title} ·{" "}
            <Link to={paths.position(data.slug, s.positionId)}>open the position</Link>
          </p>
          {s.status !== "visible" ? <p className="notice">This position was {s.status} since: participants no longer see its text.</p> : null}
          {s.bodyHtml ? <Markdown html={s.bodyHtml} className="position-body live-position-body" /> : null}
          {s.author ? (
            <p className="byline small">
              By <strong>{s.author.pseudonym}</strong> <span className="muted">({s.author.groupName})</span>
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
              <ActionButton intent="clear" className="button button-secondary" pendingText="Clearing…">
                Clear the spotlight
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
  return (
    <section className="stack" aria-labelledby="held-title">
      <h3 id="held-title">Comments waiting for approval ({data.held.length})</h3>
      {data.held.length === 0 ? (
        <p className="muted">Nothing is waiting. While comments are held, new ones appear here first; only their authors see them until you approve.</p>
      ) : (
        <ul className="held-list">
          {data.held.map((c) => {
            const hideFailed = failureFor(result, "hide", c.id);
            return (
              <li key={c.id} className="card stack-tight" id={formAnchor("approve", c.id)}>
                <p className="small">
                  <span className={`badge stance stance-${c.stance}`}>{STANCE_LABELS[c.stance]}</span> {c.isReply ? "Reply" : "Comment"} by{" "}
                  <strong>{c.author.pseudonym}</strong> <span className="muted">({c.author.groupName})</span>, <When at={c.at} /> ·{" "}
                  <Link to={paths.position(data.slug, c.positionId)}>open its position</Link>
                </p>
                <blockquote className="flagged-body">
                  <Markdown html={c.bodyHtml} />
                </blockquote>
                <FormNotice result={result} intent="approve" id={c.id} />
                <FormNotice result={result} intent="hide" id={c.id} />
                <div className="held-actions">
                  <Form method="post" preventScrollReset>
                    <FormMeta intent="approve" id={c.id} />
                    <ActionButton intent="approve" id={c.id} pendingText="Approving…">
                      Approve<span className="visually-hidden"> the comment by {c.author.pseudonym}</span>
                    </ActionButton>
                  </Form>
                  <Form method="post" noValidate preventScrollReset className="stack-tight" id={formAnchor("hide", c.id)}>
                    <FormMeta intent="hide" id={c.id} />
                    <Field
                      label={
                        <>
                          Reason for hiding<span className="visually-hidden"> the comment by {c.author.pseudonym}</span>
                        </>
                      }
                      name="reason"
                      required
                      maxLength={data.reasonMax}
                      hint="Shown in place of the text: “hidden by moderator: …”."
                      defaultValue={hideFailed?.values?.reason ?? ""}
                      errors={hideFailed?.fieldErrors.reason}
                    />
                    <ActionButton intent="hide" id={c.id} className="button button-danger" pendingText="Hiding…">
                      Hide<span className="visually-hidden"> the comment by {c.author.pseudonym}</span>
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
  return (
    <section className="stack" aria-labelledby="candidates-title">
      <h3 id="candidates-title">Positions to spotlight</h3>
      <Form method="get" action={base} className="search-form" key={`${candidates.q}|${candidates.sort}`}>
        <div>
          <label htmlFor="live-q">Search</label>
          <input id="live-q" type="search" name="q" defaultValue={candidates.q} maxLength={200} placeholder="Words or a pseudonym" />
        </div>
        <div>
          <label htmlFor="live-sort">Order</label>
          <select id="live-sort" name="sort" defaultValue={candidates.sort}>
            {(Object.keys(SORT_LABELS) as SortKey[]).map((k) => (
              <option key={k} value={k}>
                {SORT_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          Show
        </button>
        {candidates.q ? <Link to={`${base}?sort=${candidates.sort}`}>Clear the search</Link> : null}
      </Form>
      <p className="small muted">
        {candidates.matched === 0
          ? candidates.q
            ? "No visible position matches."
            : "There are no visible positions yet."
          : candidates.matched > candidates.positions.length
            ? `Showing ${candidates.positions.length} of ${candidates.matched}: search to narrow the list.`
            : `${candidates.matched} ${candidates.matched === 1 ? "position" : "positions"}.`}
      </p>
      <ul className="candidate-list">
        {candidates.positions.map((p) => {
          const current = data.spotlight?.positionId === p.id;
          return (
            <li key={p.id} className={`card candidate${current ? " is-spotlighted" : ""}`} id={formAnchor("spotlight", p.id)}>
              <div className="candidate-text">
                <p className="small muted">On: {p.questionTitle}</p>
                {p.bodyHtml ? <Markdown html={p.bodyHtml} className="position-body" /> : null}
                {p.author ? (
                  <p className="byline small">
                    By <strong>{p.author.pseudonym}</strong> <span className="muted">({p.author.groupName})</span>
                    {p.author.enteredByOutreach ? <OutreachMark /> : null}
                    {p.spotlightedTimes ? <span className="muted"> · spotlighted {p.spotlightedTimes === 1 ? "once" : `${p.spotlightedTimes} times`} in this session</span> : null}
                  </p>
                ) : null}
                <TallyText tally={p.tally} positionId={p.id} />
              </div>
              {current ? (
                <p className="badge">In the spotlight</p>
              ) : (
                <Form method="post" preventScrollReset>
                  <FormMeta intent="spotlight" id={p.id} />
                  <ActionButton intent="spotlight" id={p.id} className="button" pendingText="Spotlighting…">
                    Spotlight<span className="visually-hidden"> this position</span>
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
  const t = data.timeline;
  if (!t) return null;
  const base = paths.facilitateLive(data.slug);
  return (
    <section className="stack" aria-labelledby="timeline-title">
      <h3 id="timeline-title">{t.open ? "Timeline of this session so far" : "Timeline of the session"}</h3>
      <p className="small muted">
        Opened <When at={t.opened} />
        {t.closed ? (
          <>
            , closed <When at={t.closed} />
          </>
        ) : null}
        . Tallies are as they stand now.
      </p>
      {t.entries.length === 0 ? (
        <p className="muted">Nothing was spotlighted{t.open ? " yet" : ""}.</p>
      ) : (
        <ol className="timeline">
          {t.entries.map((e) => (
            <li key={e.id} className="card stack-tight">
              <p className="small timeline-when">
                <strong>
                  <When at={e.started} />
                  {" – "}
                  {e.ended ? <When at={e.ended} /> : "now"}
                </strong>{" "}
                <span className="muted">({e.duration})</span>
                {e.questionTitle ? <span className="muted"> · on {e.questionTitle}</span> : null}
              </p>
              {!e.position ? (
                <p className="removed">This position no longer exists.</p>
              ) : (
                <>
                  {e.position.status !== "visible" ? <p className="removed">This position was {e.position.status} since.</p> : null}
                  {e.position.bodyHtml ? <Markdown html={e.position.bodyHtml} className="position-body" /> : null}
                  {e.position.author ? (
                    <p className="byline small">
                      By <strong>{e.position.author.pseudonym}</strong> <span className="muted">({e.position.author.groupName})</span>
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
          <h4 id="sessions-title">All sessions</h4>
          <ul>
            {data.sessions.map((x) => (
              <li key={x.id}>
                {x.id === t.id ? (
                  <strong aria-current="true">
                    <When at={x.opened} />
                  </strong>
                ) : (
                  <Link to={`${base}?session=${encodeURIComponent(x.id)}`}>
                    <When at={x.opened} />
                  </Link>
                )}{" "}
                <span className="muted small">
                  {x.closed ? "" : "(open) "}· {x.spotlights} {x.spotlights === 1 ? "spotlight" : "spotlights"}
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
