import { LanguageSelect, WritingLanguages } from "../components/participant/language-select";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import type { ConsultationEventPayload } from "../../realtime/event-map";
import { defaultRevalidateOn, LiveConsultation, LiveStatus } from "../components/live/live-consultation";
import { Markdown } from "../components/markdown";
import { CommentForm, CommentThread } from "../components/participant/comments";
import { ConsultationCrumbs, Identity } from "../components/participant/consultation-header";
import { ParticipantErrorBoundary } from "../components/participant/error-boundary";
import { FlagForm, ModerateForm, PageNotice, WithdrawPositionForm } from "../components/participant/item-forms";
import { paths } from "../components/participant/labels";
import {
  consultationKey,
  flag,
  moderate,
  participantAction,
  participantLoader,
  phaseAllows,
  phaseRefusal,
  vote,
  withAnchor,
  withdrawPosition,
  type ParticipantActionContext,
} from "../components/participant/participant.server";
import { Byline, langOf, MyVote, RemovedNote } from "../components/participant/position-card";
import type { ParticipantResult } from "../components/participant/results";
import { failureFor } from "../components/participant/results";
import { TallyText } from "../components/participant/tally";
import { PositionTextarea } from "../components/participant/text-counter";
import { useResetOnSuccess } from "../components/participant/use-reset-on-success";
import { VoteForm } from "../components/participant/vote-form";
import { comments, consultations, positions } from "../domain.server";
import { metaT, useMessage } from "../i18n";
import liveStyles from "../styles/live.css";
import participantStyles from "../styles/participant.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: participantStyles },
  { rel: "stylesheet", href: liveStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaT(matches);
  if (!data) return [{ title: `${t("participant.position.metaTitle")} · Polyphony` }];
  const author = data.position.status === "visible" && data.position.author ? data.position.author.pseudonym : null;
  const title = author ? t("participant.position.by", { pseudonym: author }) : t("participant.position.byAnyone");
  return [{ title: `${title} · ${data.consultation.title} · Polyphony` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const positionId = params.positionId ?? "";
  return participantLoader(request, params, async ({ db, viewer, key }) => {
    const [view, got, thread] = await Promise.all([
      consultations.getConsultation(db, viewer, key),
      positions.getPosition(db, viewer, key, positionId),
      comments.listComments(db, viewer, key, positionId),
    ]);
    const { role, phase, position } = got;
    const participant = role === "participant";
    const canComment = participant && phaseAllows(phase, "comment") && position.status === "visible";
    return {
      role,
      me: view.me,
      consultation: {
        slug: view.consultation.slug,
        title: view.consultation.title,
        maxPositionLength: view.consultation.maxPositionLength,
        eventSeq: view.consultation.eventSeq,
        languages: view.consultation.languages,
      },
      question: got.question,
      position,
      comments: thread,
      can: {
        canComment,
        canFlag: participant && phaseAllows(phase, "flag"),
        canModerate: role === "facilitator" && phaseAllows(phase, "moderate"),
      },
      /** Why commenting is closed: a message from the domain, or "" for the page's own words. */
      commentClosed: participant && !canComment ? (phaseRefusal(phase, "comment") ?? "") : null,
      editOpen: new URL(request.url).searchParams.get("edit") === "1",
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const positionId = params.positionId ?? "";
  const here = paths.position(consultationKey(params).slug, positionId);
  /** The handler's context with form fields this page sets itself. */
  const withForm = (ctx: ParticipantActionContext, fields: Record<string, string>) => ({ ...ctx, form: { ...ctx.form, ...fields } });
  return participantAction(
    request,
    params,
    {
      vote: (ctx) => vote(withForm(ctx, { positionId }), here),
      edit: async ({ db, viewer, key, form }) => {
        await positions.editPosition(db, viewer, key, positionId, { body: form.body, language: form.language });
        return redirect(`${here}#p-${positionId}`);
      },
      withdraw: (ctx) => withdrawPosition(withForm(ctx, { id: positionId, returnTo: here }), here),
      comment: async ({ db, viewer, key, form }) => {
        const created = await comments.postComment(db, viewer, key, positionId, {
          body: form.body,
          stance: form.stance || undefined,
          language: form.language,
          parentId: form.parentId,
        });
        return redirect(withAnchor(here, `c-${created.id}`));
      },
      "comment-edit": async ({ db, viewer, key, form }) => {
        await comments.editComment(db, viewer, key, form.id ?? "", { body: form.body, stance: form.stance || undefined, language: form.language });
        return redirect(withAnchor(here, `c-${form.id}`));
      },
      "comment-withdraw": async ({ db, viewer, key, form }) => {
        await comments.withdrawComment(db, viewer, key, form.id ?? "");
        return redirect(withAnchor(here, `c-${form.id}`));
      },
      flag,
      hide: (ctx) => moderate(withForm(ctx, { returnTo: here }), here),
      restore: (ctx) => moderate(withForm(ctx, { returnTo: here }), here),
    },
    { maxBytes: 256 * 1024 }
  );
}

/** Where the form that produced a result sits on this page (for the notice's "Go to the form" link). */
function anchorFor(result: ParticipantResult): string | null {
  const v: Record<string, string | undefined> = { ...(result.values ?? {}), ...(result.ok ? { intent: result.intent, id: result.id } : {}) };
  switch (v.intent) {
    case "comment":
      return v.parentId ? `c-${v.parentId}` : "new-comment";
    case "comment-edit":
    case "comment-withdraw":
      return v.id ? `c-${v.id}` : null;
    case "flag":
    case "hide":
    case "restore":
      return v.target === "comment" && v.id ? `c-${v.id}` : "position";
    case "edit":
      return "edit";
    default:
      return "position";
  }
}

export default function PositionPage() {
  const { role, me, consultation, question, position: p, comments: thread, can, commentClosed, editOpen } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ParticipantResult | undefined;
  const location = useLocation();
  const slug = consultation.slug;
  const here = location.pathname;
  const visible = p.status === "visible";
  const { t } = useTranslation();
  const m = useMessage();

  return (
    <LiveConsultation slug={slug} eventSeq={consultation.eventSeq} revalidateOn={(e, replayed) => aboutThisPosition(e, p.id, replayed)}>
      <WritingLanguages languages={consultation.languages}>
      <div className="container stack">
        <header className="stack">
          <ConsultationCrumbs slug={slug} title={consultation.title}>
            <Link to={paths.question(slug, question.id)}>{question.title}</Link>
          </ConsultationCrumbs>
          <Identity me={me} role={role} />
          <LiveStatus />
        </header>

        <PageNotice result={result} anchorFor={anchorFor} />

        <article id="position" className="stack" aria-labelledby="position-title">
          <h1 id="position-title" className="h2">
            {visible
              ? p.author
                ? t("participant.position.by", { pseudonym: p.author.pseudonym })
                : t("participant.position.byAnyone")
              : p.status === "withdrawn"
                ? t("participant.position.withdrawn")
                : t("participant.position.hidden")}
          </h1>
          <div id={`p-${p.id}`} className={`position card${visible ? "" : " position-removed"}${p.isMine ? " position-mine" : ""}`}>
            <RemovedNote status={p.status} note={p.moderationNote} />
            {p.bodyHtml ? (
              <>
                {p.status === "hidden" ? <p className="small muted">{t("participant.removed.onlyFacilitators")}</p> : null}
                <Markdown html={p.bodyHtml} className="position-body" lang={langOf(p)} />
                <Byline author={p.author} isMine={p.isMine} edited={!!p.editedAt} />
              </>
            ) : null}
            {visible ? (
              <>
                <TallyText tally={p.tally} positionId={p.id} bar />
                {p.canVote ? (
                  <VoteForm positionId={p.id} myVote={p.myVote} returnTo={here} />
                ) : p.myVote ? (
                  <MyVote choice={p.myVote} />
                ) : null}
              </>
            ) : null}
            <div className="item-actions">
              {p.canEdit && p.bodySource !== null ? (
                <EditPositionForm body={p.bodySource} max={consultation.maxPositionLength} open={editOpen} language={p.language} />
              ) : null}
              {p.canWithdraw ? <WithdrawPositionForm id={p.id} returnTo={here} /> : null}
              {can.canFlag && visible && !p.isMine ? <FlagForm target="position" id={p.id} /> : null}
              {can.canModerate ? <ModerateForm target="position" id={p.id} status={p.status} returnTo={here} /> : null}
            </div>
            {p.isMine && visible && !p.canEdit && role === "participant" && p.canWithdraw ? (
              <p className="small muted">
                {t("participant.position.noLongerEditable")}
              </p>
            ) : null}
          </div>
        </article>

        <section aria-labelledby="comments-title" className="stack">
          <h2 id="comments-title">{t("participant.position.comments", { count: p.commentCount })}</h2>
          <CommentThread comments={thread} can={can} returnTo={here} />
          {can.canComment ? (
            <section aria-labelledby="new-comment-title" className="card stack">
              <h3 id="new-comment-title">{t("participant.position.addComment")}</h3>
              <CommentForm returnTo={here} label={t("participant.comments.yourComment")} />
            </section>
          ) : commentClosed !== null ? (
            <p className="notice">{commentClosed ? m(commentClosed) : t("participant.position.commentsClosed")}</p>
          ) : null}
        </section>

        <p>
          <Link to={paths.question(slug, question.id)}>{t("participant.position.backToQuestion")}</Link> ·{" "}
          <Link to={paths.consultation(slug)}>{t("participant.position.allQuestions")}</Link>
        </p>
      </div>
      </WritingLanguages>
    </LiveConsultation>
  );
}

/** Live events this page shows: its own position and comments, and what changes every page. */
function aboutThisPosition(event: ConsultationEventPayload, positionId: string, replayed: boolean): boolean {
  const about = event.data.positionId ?? event.data.id;
  if (/^(position|comment)\./.test(event.type) && about !== undefined) return about === positionId;
  return defaultRevalidateOn(event, replayed);
}

function EditPositionForm({ body, max, open, language }: { body: string; max: number; open: boolean; language?: string }) {
  const result = useActionData<ParticipantResult>();
  const failed = failureFor(result, "edit");
  const ref = useResetOnSuccess((data) => data.get("intent") === "edit");
  const { t } = useTranslation();
  return (
    <details id="edit" className="item-action" open={open || failed ? true : undefined}>
      <summary>{t("participant.position.edit")}</summary>
      <Form method="post" className="stack-tight" preventScrollReset ref={ref} noValidate>
        <input type="hidden" name="intent" value="edit" />
        <PositionTextarea
          id="edit-body"
          max={max}
          defaultValue={failed?.values?.body ?? body}
          failed={failed}
          hint={t("participant.position.editHint")}
        />
        <LanguageSelect defaultValue={failed?.values?.language || language} errors={failed?.fieldErrors.language} />
        <button type="submit" className="button button-small">
          {t("participant.position.save")}
        </button>
      </Form>
    </details>
  );
}

export { ParticipantErrorBoundary as ErrorBoundary };
