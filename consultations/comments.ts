/**
 * Comments (the Comment aggregate): threads under a position, each with a stance (for / against /
 * neutral). Replies nest one level under a top-level comment, which keeps threads readable on phones.
 *
 * Pre-moderation: while a live session of the consultation holds comments (consultations/live-sessions.ts),
 * a new comment is "held": its author sees it ("waiting for a moderator") and the facilitators see it in
 * the live session's queue; nobody else sees it, and it counts nowhere, until a facilitator approves it
 * (it becomes visible) or hides it (moderation.hideContent).
 */
import type { Db } from "./db/client";
import { audit } from "./audit";
import { access, type ConsultationKey } from "./access";
import { contentLanguage } from "./consultation-languages";
import { conflict, forbidden, notFound } from "./errors";
import { renderMarkdown } from "./markdown";
import { phaseAllows } from "./phases";
import type { Viewer } from "./permissions";
import { COMMENTS_PER_GROUP_PER_HOUR, COMMENTS_PER_PARTICIPANT_PER_HOUR, consume } from "./rate-limits";
import { CommentInput, CommentStatus, Stance } from "./schemas";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";

export interface CommentView {
  id: string;
  parentId: string | null;
  stance: Stance;
  /** "held": waiting for a facilitator; only its author and the facilitators get it at all. */
  status: CommentStatus;
  bodyHtml: string | null;
  bodySource: string | null;
  /** The language it is written in (one of the consultation's languages): the text's `lang` attribute. */
  language: string;
  moderationNote: string | null;
  /** Null when the text is not shown to this viewer (hidden for participants, withdrawn). */
  author: { pseudonym: string; groupName: string } | null;
  isMine: boolean;
  createdAt: Date;
  editedAt: Date | null;
  canEdit: boolean;
  canWithdraw: boolean;
  replies: CommentView[];
}

/** The thread under a position, oldest first, as the viewer may see it. */
export async function listComments(db: Db, viewer: Viewer, key: ConsultationKey, positionId: string): Promise<CommentView[]> {
  const ctx = await access(db, viewer, key, "read");
  const position = await db.position.findFirst({ where: { id: positionId, consultationId: ctx.consultation.id }, select: { id: true } });
  if (!position) throw notFound("This position");
  const rows = await db.comment.findMany({
    where: { positionId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true, parentId: true, stance: true, status: true, body: true, language: true, moderationNote: true, createdAt: true, editedAt: true, authorId: true,
      author: { select: { pseudonym: true, group: { select: { name: true } } } },
    },
  });
  const facilitator = ctx.role === "facilitator";
  const mayChange = ctx.role === "participant" && phaseAllows(ctx.consultation.phase, "editComment");
  // A held comment exists only for its author and the facilitators.
  const shown = rows.filter((r) => r.status !== "held" || facilitator || (ctx.me !== null && r.authorId === ctx.me.id));
  const views = shown.map((r): CommentView => {
    const status = CommentStatus.parse(r.status);
    const isMine = r.authorId === ctx.me?.id;
    const showBody = status === "visible" || status === "held" || (status === "hidden" && facilitator);
    return {
      id: r.id,
      parentId: r.parentId,
      stance: Stance.parse(r.stance),
      status,
      bodyHtml: showBody ? renderMarkdown(r.body) : null,
      bodySource: isMine && status === "visible" && mayChange ? r.body : null,
      language: r.language,
      moderationNote: status === "hidden" ? r.moderationNote : null,
        author: showBody ? { pseudonym: r.author.pseudonym, groupName: r.author.group.name } : null,
      isMine,
      createdAt: r.createdAt,
      editedAt: r.editedAt,
      canEdit: isMine && status === "visible" && mayChange,
      // A held comment can be taken back before anyone sees it, not edited.
      canWithdraw: isMine && (status === "visible" || status === "held") && mayChange,
      replies: [],
    };
  });
  const byId = new Map(views.map((v) => [v.id, v]));
  const top: CommentView[] = [];
  for (const v of views) {
    if (!v.parentId) top.push(v);
    else byId.get(v.parentId)?.replies.push(v); // a reply whose parent this viewer does not get is left out
  }
  return top;
}

export async function postComment(db: Db, viewer: Viewer, key: ConsultationKey, positionId: string, raw: unknown) {
  const ctx = await access(db, viewer, key, "comment");
  const input = parseInput(CommentInput, raw);
  const language = contentLanguage(ctx.consultation.languages, input.language);
  const position = await db.position.findFirst({ where: { id: positionId, consultationId: ctx.consultation.id }, select: { id: true, status: true } });
  if (!position) throw notFound("This position");
  if (position.status !== "visible") throw conflict("This position is closed for comments.");
  let parentId: string | null = null;
  if (input.parentId) {
    const parent = await db.comment.findFirst({ where: { id: input.parentId, positionId }, select: { id: true, parentId: true, status: true } });
    if (!parent) throw notFound("The comment you reply to");
    if (parent.status !== "visible") throw conflict("This comment is closed for replies.");
    parentId = parent.parentId ?? parent.id; // replies stay one level deep
  }
  const me = ctx.me!;
  // Abuse limits (in memory): this participant's and their stakeholder group's commenting rates.
  consume([
    [COMMENTS_PER_PARTICIPANT_PER_HOUR, me.id],
    [COMMENTS_PER_GROUP_PER_HOUR, me.groupId],
  ]);
  return commit(db, async (tx, emit) => {
    // Is a live session holding comments now? Read inside the transaction that writes the comment.
    const holding = await tx.liveSession.findFirst({ where: { consultationId: ctx.consultation.id, closedAt: null, holdComments: true }, select: { id: true } });
    const comment = await tx.comment.create({
      data: {
        consultationId: ctx.consultation.id,
        positionId,
        parentId,
        authorId: me.id,
        stance: input.stance,
        body: input.body,
        language,
        status: holding ? "held" : "visible",
      },
      select: { id: true },
    });
    if (holding) {
      // Nobody but the facilitators (and the author) may learn who wrote it or what it says yet.
      await emit(ctx.consultation.id, "comment.held", "participant", { positionId, commentId: comment.id });
    } else {
      await emit(ctx.consultation.id, "comment.posted", "participant", { positionId, commentId: comment.id, pseudonym: me.pseudonym, stance: input.stance, language });
    }
    return { id: comment.id, held: !!holding };
  });
}

export interface HeldComment {
  id: string;
  positionId: string;
  parentId: string | null;
  stance: Stance;
  bodyHtml: string;
  language: string;
  author: { pseudonym: string; groupName: string };
  createdAt: Date;
}

/** Held comments of a consultation, oldest first (for the facilitators' queue; callers check the role). */
export async function heldCommentsOf(db: Db, consultationId: string): Promise<HeldComment[]> {
  const rows = await db.comment.findMany({
    where: { consultationId, status: "held" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true, positionId: true, parentId: true, stance: true, body: true, language: true, createdAt: true,
      author: { select: { pseudonym: true, group: { select: { name: true } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    positionId: r.positionId,
    parentId: r.parentId,
    stance: Stance.parse(r.stance),
    bodyHtml: renderMarkdown(r.body),
    language: r.language,
    author: { pseudonym: r.author.pseudonym, groupName: r.author.group.name },
    createdAt: r.createdAt,
  }));
}

/** Facilitators: the comments waiting for approval. */
export async function listHeldComments(db: Db, viewer: Viewer, key: ConsultationKey): Promise<HeldComment[]> {
  const ctx = await access(db, viewer, key, "viewParticipation");
  return heldCommentsOf(db, ctx.consultation.id);
}

/**
 * Facilitators: approve a held comment; it becomes visible to everyone. (To refuse one, hide it with
 * moderation.hideContent: its place then shows the reason.)
 */
export async function approveComment(db: Db, viewer: Viewer, key: ConsultationKey, commentId: string) {
  const ctx = await access(db, viewer, key, "moderate");
  const row = await db.comment.findFirst({
    where: { id: commentId, consultationId: ctx.consultation.id },
    select: { id: true, positionId: true, status: true, stance: true, language: true, author: { select: { pseudonym: true } } },
  });
  if (!row) throw notFound("This comment");
  if (row.status !== "held") throw conflict("This comment is not waiting for approval.");
  await commit(db, async (tx, emit) => {
    // Only if still held: two facilitators approving at once publish it once.
    const { count } = await tx.comment.updateMany({ where: { id: commentId, status: "held" }, data: { status: "visible" } });
    if (!count) throw conflict("This comment is not waiting for approval.");
    await emit(ctx.consultation.id, "comment.approved", "facilitator", {
      positionId: row.positionId,
      commentId,
      pseudonym: row.author.pseudonym,
      stance: row.stance,
      language: row.language,
    });
    await audit(tx, viewer, ctx.consultation.id, "comment.approved", { target: { kind: "comment", id: commentId } });
  });
}

async function ownComment(db: Db, consultationId: string, authorId: string | undefined, commentId: string, allowed: readonly string[] = ["visible"]) {
  const row = await db.comment.findFirst({ where: { id: commentId, consultationId }, select: { id: true, authorId: true, status: true, positionId: true } });
  if (!row) throw notFound("This comment");
  if (row.authorId !== authorId) throw forbidden("You can only change your own comments.");
  if (!allowed.includes(row.status)) throw conflict("This comment can no longer be changed.");
  return row;
}

export async function editComment(db: Db, viewer: Viewer, key: ConsultationKey, commentId: string, raw: unknown) {
  const ctx = await access(db, viewer, key, "editComment");
  const input = parseInput(CommentInput.pick({ body: true, stance: true, language: true }), raw);
  // Without a language in the form, the comment keeps its own.
  const language = input.language ? contentLanguage(ctx.consultation.languages, input.language) : undefined;
  const row = await ownComment(db, ctx.consultation.id, ctx.me?.id, commentId);
  await commit(db, async (tx, emit) => {
    await tx.comment.update({ where: { id: commentId }, data: { body: input.body, stance: input.stance, editedAt: new Date(), ...(language ? { language } : {}) } });
    await emit(ctx.consultation.id, "comment.edited", "participant", { positionId: row.positionId, commentId });
  });
}

export async function withdrawComment(db: Db, viewer: Viewer, key: ConsultationKey, commentId: string) {
  const ctx = await access(db, viewer, key, "withdrawComment");
  // A held comment may be taken back too (before a facilitator decides).
  const row = await ownComment(db, ctx.consultation.id, ctx.me?.id, commentId, ["visible", "held"]);
  await commit(db, async (tx, emit) => {
    await tx.comment.update({ where: { id: commentId }, data: { status: "withdrawn" } });
    await emit(ctx.consultation.id, "comment.withdrawn", "participant", { positionId: row.positionId, commentId });
  });
}
