import { Form, useActionData } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "../../i18n-react";
import type { CommentView } from "../../../consultations/comments";
import { useFormat, useMessage } from "../../i18n";
import { Field } from "../field";
import { Markdown } from "../markdown";
import { FlagForm, ModerateForm } from "./item-forms";
import { labelKeys, LIMITS, STANCES, type Stance } from "./labels";
import { Byline, langOf, RemovedNote } from "./position-card";
import { LanguageSelect } from "./language-select";
import type { ParticipantResult } from "./results";
import { failureFor } from "./results";
import { useResetOnSuccess } from "./use-reset-on-success";

const COMMENT_MAX = LIMITS.commentMax;

export interface ThreadPermissions {
  /** Post and reply (participant, phase allows, position visible). */
  canComment: boolean;
  /** Flag others' comments. */
  canFlag: boolean;
  /** Facilitators: hide / restore. */
  canModerate: boolean;
}

export function StanceBadge({ stance }: { stance: Stance }) {
  const { t } = useTranslation();
  return <span className={`badge stance stance-${stance}`}>{t(labelKeys.stance(stance))}</span>;
}

/** Radio buttons For / Against / Neutral. */
function StanceChoice({ name = "stance", value, errors }: { name?: string; value: string; errors?: string[] }) {
  const id = useId();
  const { t } = useTranslation();
  const m = useMessage();
  return (
    <fieldset className="stance-choice" aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend>{t("participant.comments.stanceLegend")}</legend>
      <div className="row">
        {STANCES.map((stance) => (
          <label key={stance} className="radio">
            <input type="radio" name={name} value={stance} defaultChecked={value === stance} /> {t(labelKeys.stance(stance))}
          </label>
        ))}
      </div>
      {errors?.length ? (
        <p className="field-error" id={`${id}-error`}>
          {errors.map(m).join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

/** New comment, or a reply (with parentId). Resets itself after it was posted. */
export function CommentForm({ parentId, returnTo, label }: { parentId?: string; returnTo: string; label: string }) {
  const { t } = useTranslation();
  const m = useMessage();
  const format = useFormat();
  const result = useActionData<ParticipantResult>();
  const failed = failureFor(result, "comment");
  const mine = failed && (failed.values?.parentId ?? "") === (parentId ?? "") ? failed : null;
  const ref = useResetOnSuccess((data) => data.get("intent") === "comment" && (data.get("parentId") ?? "") === (parentId ?? ""));
  return (
    <Form method="post" className="stack-tight comment-form" preventScrollReset ref={ref} id={parentId ? undefined : "new-comment"}>
      <input type="hidden" name="intent" value="comment" />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <input type="hidden" name="returnTo" value={returnTo} />
      {mine && !mine.fieldErrors.body && !mine.fieldErrors.stance ? (
        <p className="field-error" role="alert">
          {m(mine.message)}
        </p>
      ) : null}
      <StanceChoice value={mine?.values?.stance ?? "neutral"} errors={mine?.fieldErrors.stance} />
      <Field
        label={label}
        name="body"
        multiline
        rows={parentId ? 3 : 4}
        maxLength={COMMENT_MAX}
        required
        hint={t("participant.comments.hint", { max: format.number(COMMENT_MAX) })}
        defaultValue={mine?.values?.body ?? ""}
        errors={mine?.fieldErrors.body}
      />
      <LanguageSelect defaultValue={mine?.values?.language} errors={mine?.fieldErrors.language} />
      <button type="submit" className="button">
        {parentId ? t("participant.comments.postReply") : t("participant.comments.post")}
      </button>
    </Form>
  );
}

function EditCommentForm({ comment, returnTo }: { comment: CommentView; returnTo: string }) {
  const result = useActionData<ParticipantResult>();
  const failed = failureFor(result, "comment-edit", comment.id);
  const ref = useResetOnSuccess((data) => data.get("intent") === "comment-edit" && data.get("id") === comment.id);
  const { t } = useTranslation();
  const m = useMessage();
  return (
    <details className="item-action" open={failed ? true : undefined}>
      <summary>{t("participant.comments.edit")}</summary>
      <Form method="post" className="stack-tight" preventScrollReset ref={ref}>
        <input type="hidden" name="intent" value="comment-edit" />
        <input type="hidden" name="id" value={comment.id} />
        <input type="hidden" name="returnTo" value={returnTo} />
        {failed && !failed.fieldErrors.body ? (
          <p className="field-error" role="alert">
            {m(failed.message)}
          </p>
        ) : null}
        <StanceChoice value={failed?.values?.stance ?? comment.stance} errors={failed?.fieldErrors.stance} />
        <Field
          label={t("participant.comments.yourComment")}
          name="body"
          multiline
          rows={4}
          maxLength={COMMENT_MAX}
          required
          defaultValue={failed?.values?.body ?? comment.bodySource ?? ""}
          errors={failed?.fieldErrors.body}
        />
        <LanguageSelect defaultValue={failed?.values?.language || comment.language} errors={failed?.fieldErrors.language} />
        <button type="submit" className="button button-small">
          {t("participant.comments.save")}
        </button>
      </Form>
    </details>
  );
}

function WithdrawCommentForm({ id, returnTo }: { id: string; returnTo: string }) {
  const result = useActionData<ParticipantResult>();
  const failed = failureFor(result, "comment-withdraw", id);
  const { t } = useTranslation();
  const m = useMessage();
  return (
    <details className="item-action" open={failed ? true : undefined}>
      <summary>{t("participant.comments.withdraw")}</summary>
      <Form method="post" className="stack-tight" preventScrollReset>
        <input type="hidden" name="intent" value="comment-withdraw" />
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <p className="small">{t("participant.comments.withdrawHint")}</p>
        <button type="submit" className="button button-danger button-small">
          {t("participant.comments.withdrawButton")}
        </button>
        {failed ? (
          <p className="field-error" role="alert">
            {m(failed.message)}
          </p>
        ) : null}
      </Form>
    </details>
  );
}

/** A comment held for pre-moderation during a live session: seen only by its author and the facilitators. */
function HeldNote({ mine }: { mine: boolean }) {
  const { t } = useTranslation();
  return (
    <p className="notice small held-note" role="note">
      {mine ? t("participant.comments.heldMine") : t("participant.comments.heldOthers")}
    </p>
  );
}

function CommentItem({ comment: c, can, returnTo, isReply }: { comment: CommentView; can: ThreadPermissions; returnTo: string; isReply: boolean }) {
  const visible = c.status === "visible";
  const result = useActionData<ParticipantResult>();
  const replyFailed = failureFor(result, "comment")?.values?.parentId === c.id;
  const { t } = useTranslation();
  return (
    <li id={`c-${c.id}`} className="comment">
      <article>
        {c.bodyHtml ? (
          <>
            <p className="comment-meta small">
              <StanceBadge stance={c.stance} />
            </p>
            {c.status === "hidden" ? <RemovedNote status={c.status} note={c.moderationNote} /> : null}
            {c.status === "held" ? <HeldNote mine={c.isMine} /> : null}
            <Markdown html={c.bodyHtml} className="comment-body" lang={langOf(c)} />
            <Byline author={c.author} isMine={c.isMine} edited={!!c.editedAt} />
          </>
        ) : (
          <RemovedNote status={c.status} note={c.moderationNote} />
        )}
        <div className="item-actions">
          {c.canEdit ? <EditCommentForm comment={c} returnTo={returnTo} /> : null}
          {c.canWithdraw ? <WithdrawCommentForm id={c.id} returnTo={returnTo} /> : null}
          {can.canFlag && visible && !c.isMine ? <FlagForm target="comment" id={c.id} /> : null}
          {can.canModerate ? <ModerateForm target="comment" id={c.id} status={c.status} returnTo={returnTo} /> : null}
          {!isReply && can.canComment && visible ? (
            <details className="item-action" open={replyFailed ? true : undefined}>
              <summary>{t("participant.comments.reply")}</summary>
              <CommentForm parentId={c.id} returnTo={returnTo} label={t("participant.comments.yourReply")} />
            </details>
          ) : null}
        </div>
      </article>
      {c.replies.length ? (
        <ul className="replies" aria-label={t("participant.comments.replies")}>
          {c.replies.map((r) => (
            <CommentItem key={r.id} comment={r} can={can} returnTo={returnTo} isReply />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The thread: top-level comments, each with its replies indented one level. */
export function CommentThread({ comments, can, returnTo }: { comments: CommentView[]; can: ThreadPermissions; returnTo: string }) {
  const { t } = useTranslation();
  if (!comments.length) return <p className="muted">{t("participant.comments.none")}</p>;
  return (
    <ul className="comments">
      {comments.map((c) => (
        <CommentItem key={c.id} comment={c} can={can} returnTo={returnTo} isReply={false} />
      ))}
    </ul>
  );
}
