/**
 * Comments (the Comment aggregate): threads under a position, each with a stance (for / against /
 * neutral). Replies nest one level under a top-level comment, which keeps threads readable on phones.
 */
import type { Db } from "./db/client";
import { access, type ConsultationKey } from "./access";
import { conflict, forbidden, notFound } from "./errors";
import { renderMarkdown } from "./markdown";
import { phaseAllows } from "./phases";
import type { Viewer } from "./permissions";
import { CommentInput, ContentStatus, Stance } from "./schemas";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";

export interface CommentView {
  id: string;
  parentId: string | null;
  stance: Stance;
  status: ContentStatus;
  bodyHtml: string | null;
  bodySource: string | null;
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
      id: true, parentId: true, stance: true, status: true, body: true, moderationNote: true, createdAt: true, editedAt: true, authorId: true,
      author: { select: { pseudonym: true, group: { select: { name: true } } } },
    },
  });
  const facilitator = ctx.role === "facilitator";
  const mayChange = ctx.role === "participant" && phaseAllows(ctx.consultation.phase, "editComment");
  const views = rows.map((r): CommentView => {
    const status = ContentStatus.parse(r.status);
    const isMine = r.authorId === ctx.me?.id;
    const showBody = status === "visible" || (status === "hidden" && facilitator);
    return {
      id: r.id,
      parentId: r.parentId,
      stance: Stance.parse(r.stance),
      status,
      bodyHtml: showBody ? renderMarkdown(r.body) : null,
      bodySource: isMine && status === "visible" && mayChange ? r.body : null,
      moderationNote: status === "hidden" ? r.moderationNote : null,
        author: showBody ? { pseudonym: r.author.pseudonym, groupName: r.author.group.name } : null,
      isMine,
      createdAt: r.createdAt,
      editedAt: r.editedAt,
      canEdit: isMine && status === "visible" && mayChange,
      canWithdraw: isMine && status === "visible" && mayChange,
      replies: [],
    };
  });
  const byId = new Map(views.map((v) => [v.id, v]));
  const top: CommentView[] = [];
  for (const v of views) {
    const parent = v.parentId ? byId.get(v.parentId) : undefined;
    if (parent) parent.replies.push(v);
    else top.push(v);
  }
  return top;
}

export async function postComment(db: Db, viewer: Viewer, key: ConsultationKey, positionId: string, raw: unknown) {
  const ctx = await access(db, viewer, key, "comment");
  const input = parseInput(CommentInput, raw);
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
  return commit(db, async (tx, emit) => {
    const comment = await tx.comment.create({
      data: { consultationId: ctx.consultation.id, positionId, parentId, authorId: me.id, stance: input.stance, body: input.body },
      select: { id: true },
    });
    await emit(ctx.consultation.id, "comment.posted", "participant", { positionId, commentId: comment.id, pseudonym: me.pseudonym, stance: input.stance });
    return comment;
  });
}

async function ownComment(db: Db, consultationId: string, authorId: string | undefined, commentId: string) {
  const row = await db.comment.findFirst({ where: { id: commentId, consultationId }, select: { id: true, authorId: true, status: true, positionId: true } });
  if (!row) throw notFound("This comment");
  if (row.authorId !== authorId) throw forbidden("You can only change your own comments.");
  if (row.status !== "visible") throw conflict("This comment can no longer be changed.");
  return row;
}

export async function editComment(db: Db, viewer: Viewer, key: ConsultationKey, commentId: string, raw: unknown) {
  const ctx = await access(db, viewer, key, "editComment");
  const input = parseInput(CommentInput.pick({ body: true, stance: true }), raw);
  const row = await ownComment(db, ctx.consultation.id, ctx.me?.id, commentId);
  await commit(db, async (tx, emit) => {
    await tx.comment.update({ where: { id: commentId }, data: { body: input.body, stance: input.stance, editedAt: new Date() } });
    await emit(ctx.consultation.id, "comment.edited", "participant", { positionId: row.positionId, commentId });
  });
}

export async function withdrawComment(db: Db, viewer: Viewer, key: ConsultationKey, commentId: string) {
  const ctx = await access(db, viewer, key, "withdrawComment");
  const row = await ownComment(db, ctx.consultation.id, ctx.me?.id, commentId);
  await commit(db, async (tx, emit) => {
    await tx.comment.update({ where: { id: commentId }, data: { status: "withdrawn" } });
    await emit(ctx.consultation.id, "comment.withdrawn", "participant", { positionId: row.positionId, commentId });
  });
}
