/**
 * Moderation: participants flag positions and comments with a reason; facilitators work through a
 * queue, hide content (the reason shows in place: "hidden by moderator: ...") or restore it, and
 * dismiss flags. Hidden content leaves every tally shown and the synthesis input.
 */
import type { Db } from "./db/client";
import { audit } from "./audit";
import { access, type ConsultationKey } from "./access";
import { conflict, forbidden, notFound } from "./errors";
import { renderMarkdown } from "./markdown";
import type { Viewer } from "./permissions";
import { FlagTarget, ReasonInput } from "./schemas";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";

async function findTarget(db: Db, consultationId: string, target: FlagTarget, id: string) {
  if (target === "position") {
    const row = await db.position.findFirst({ where: { id, consultationId }, select: { id: true, status: true, authorId: true } });
    if (!row) throw notFound("This position");
    return { ...row, positionId: row.id };
  }
  const row = await db.comment.findFirst({ where: { id, consultationId }, select: { id: true, status: true, authorId: true, positionId: true } });
  if (!row) throw notFound("This comment");
  return row;
}

/** A participant flags a position or comment for the moderators. One open flag per person per item. */
export async function flagContent(db: Db, viewer: Viewer, key: ConsultationKey, rawTarget: unknown, id: string, raw: unknown) {
  const ctx = await access(db, viewer, key, "flag");
  const target = parseInput(FlagTarget, rawTarget, "Choose what to flag.");
  const { reason } = parseInput(ReasonInput, raw, "Say briefly what is wrong.");
  const me = ctx.me!;
  const item = await findTarget(db, ctx.consultation.id, target, id);
  if (item.authorId === me.id) throw forbidden("You cannot flag your own contribution. Withdraw it instead.");
  if (item.status !== "visible") throw conflict("This is already hidden or withdrawn.");
  const ref = target === "position" ? { positionId: id } : { commentId: id };
  const open = await db.flag.findFirst({ where: { ...ref, reporterId: me.id, resolvedAt: null }, select: { id: true } });
  if (open) throw conflict("You already flagged this. The moderators will look at it.");
  await commit(db, async (tx, emit) => {
    await tx.flag.create({ data: { consultationId: ctx.consultation.id, reporterId: me.id, reason, ...ref } });
    // Only facilitators act on flags; the event names the item, not the reporter.
    await emit(ctx.consultation.id, "flag.raised", "participant", { target, id });
  });
}

export interface QueueItem {
  target: FlagTarget;
  id: string;
  positionId: string;
  status: string;
  bodyHtml: string;
  /** The language it is written in (the text's `lang` attribute). */
  language: string;
  author: { pseudonym: string; groupName: string };
  flags: Array<{ reason: string; reporter: string; createdAt: Date }>;
  moderationNote: string | null;
}

/** Open flags grouped by item, oldest first, plus what is hidden now (to restore). */
export async function moderationQueue(db: Db, viewer: Viewer, key: ConsultationKey) {
  const ctx = await access(db, viewer, key, "viewParticipation");
  const flags = await db.flag.findMany({
    where: { consultationId: ctx.consultation.id, resolvedAt: null },
    orderBy: { createdAt: "asc" },
    select: {
      reason: true,
      createdAt: true,
      reporter: { select: { pseudonym: true } },
      position: { select: { id: true, body: true, language: true, status: true, moderationNote: true, author: { select: { pseudonym: true, group: { select: { name: true } } } } } },
      comment: { select: { id: true, positionId: true, body: true, language: true, status: true, moderationNote: true, author: { select: { pseudonym: true, group: { select: { name: true } } } } } },
    },
  });
  const items = new Map<string, QueueItem>();
  for (const f of flags) {
    const target: FlagTarget = f.position ? "position" : "comment";
    const c = f.position ?? f.comment;
    if (!c) continue;
    const k = `${target}:${c.id}`;
    let item = items.get(k);
    if (!item) {
      item = {
        target,
        id: c.id,
        positionId: f.position ? f.position.id : f.comment!.positionId,
        status: c.status,
        bodyHtml: renderMarkdown(c.body),
        language: c.language,
        author: { pseudonym: c.author.pseudonym, groupName: c.author.group.name },
        flags: [],
        moderationNote: c.moderationNote,
      };
      items.set(k, item);
    }
    item.flags.push({ reason: f.reason, reporter: f.reporter.pseudonym, createdAt: f.createdAt });
  }
  const [hiddenPositions, hiddenComments] = await Promise.all([
    db.position.findMany({ where: { consultationId: ctx.consultation.id, status: "hidden" }, select: { id: true, body: true, language: true, moderationNote: true, author: { select: { pseudonym: true } } } }),
    db.comment.findMany({ where: { consultationId: ctx.consultation.id, status: "hidden" }, select: { id: true, positionId: true, body: true, language: true, moderationNote: true, author: { select: { pseudonym: true } } } }),
  ]);
  return {
    queue: [...items.values()],
    hidden: [
      ...hiddenPositions.map((p) => ({ target: "position" as const, id: p.id, positionId: p.id, bodyHtml: renderMarkdown(p.body), language: p.language, note: p.moderationNote, pseudonym: p.author.pseudonym })),
      ...hiddenComments.map((c) => ({ target: "comment" as const, id: c.id, positionId: c.positionId, bodyHtml: renderMarkdown(c.body), language: c.language, note: c.moderationNote, pseudonym: c.author.pseudonym })),
    ],
    canModerate: ctx.consultation.phase !== "published",
  };
}

/** Hides a position or comment with a reason shown in its place; resolves its open flags. */
export async function hideContent(db: Db, viewer: Viewer, key: ConsultationKey, rawTarget: unknown, id: string, raw: unknown) {
  const ctx = await access(db, viewer, key, "moderate");
  const target = parseInput(FlagTarget, rawTarget, "Choose what to hide.");
  const { reason } = parseInput(ReasonInput, raw, "Give a reason: it is shown in place of the text.");
  const item = await findTarget(db, ctx.consultation.id, target, id);
  if (item.status === "withdrawn") throw conflict("Its author already withdrew it.");
  const now = new Date();
  await commit(db, async (tx, emit) => {
    if (target === "position") await tx.position.update({ where: { id }, data: { status: "hidden", moderationNote: reason } });
    else await tx.comment.update({ where: { id }, data: { status: "hidden", moderationNote: reason } });
    await tx.flag.updateMany({ where: { [target === "position" ? "positionId" : "commentId"]: id, resolvedAt: null }, data: { resolvedAt: now, resolution: "hidden" } });
    await emit(ctx.consultation.id, target === "position" ? "position.hidden" : "comment.hidden", "facilitator", { id, positionId: item.positionId, reason });
    await audit(tx, viewer, ctx.consultation.id, target === "position" ? "position.hidden" : "comment.hidden", { target: { kind: target, id }, reason });
  });
}

/** Restores hidden content. */
export async function restoreContent(db: Db, viewer: Viewer, key: ConsultationKey, rawTarget: unknown, id: string) {
  const ctx = await access(db, viewer, key, "moderate");
  const target = parseInput(FlagTarget, rawTarget, "Choose what to restore.");
  const item = await findTarget(db, ctx.consultation.id, target, id);
  if (item.status !== "hidden") throw conflict("This is not hidden.");
  await commit(db, async (tx, emit) => {
    if (target === "position") await tx.position.update({ where: { id }, data: { status: "visible", moderationNote: null } });
    else await tx.comment.update({ where: { id }, data: { status: "visible", moderationNote: null } });
    await emit(ctx.consultation.id, target === "position" ? "position.restored" : "comment.restored", "facilitator", { id, positionId: item.positionId });
    await audit(tx, viewer, ctx.consultation.id, target === "position" ? "position.restored" : "comment.restored", { target: { kind: target, id } });
  });
}

/** Keeps flagged content as it is and closes its open flags. */
export async function dismissFlags(db: Db, viewer: Viewer, key: ConsultationKey, rawTarget: unknown, id: string) {
  const ctx = await access(db, viewer, key, "moderate");
  const target = parseInput(FlagTarget, rawTarget, "Choose which flags to dismiss.");
  await findTarget(db, ctx.consultation.id, target, id);
  await commit(db, async (tx, emit) => {
    const { count } = await tx.flag.updateMany({ where: { [target === "position" ? "positionId" : "commentId"]: id, resolvedAt: null }, data: { resolvedAt: new Date(), resolution: "kept" } });
    if (count) {
      await emit(ctx.consultation.id, "flag.dismissed", "facilitator", { target, id });
      await audit(tx, viewer, ctx.consultation.id, "flags.dismissed", { target: { kind: target, id }, detail: `${count} ${count === 1 ? "flag" : "flags"}` });
    }
  });
}

/** Number of items waiting in the queue (for the facilitator's navigation). */
export async function openFlagCount(db: Db, consultationId: string): Promise<number> {
  return db.flag.count({ where: { consultationId, resolvedAt: null } });
}
