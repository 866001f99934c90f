/**
 * Positions (the Position aggregate): short Markdown statements on a question, voted on by others.
 * Reading returns view models with exactly what the viewer may see: the author's pseudonym and group,
 * never their id; tallies only when enough people voted; hidden text only to facilitators.
 */
import type { Db } from "./db/client";
import { directSqlite } from "./db/direct-sqlite";
import { access, type Access, type ConsultationKey } from "./access";
import { contentLanguage } from "./consultation-languages";
import { conflict, forbidden, invalid, notFound } from "./errors";
import { renderMarkdown } from "./markdown";
import { phaseAllows } from "./phases";
import type { Viewer } from "./permissions";
import { PositionInput, PositionSort, voteChoice, type ContentStatus, type VoteChoice } from "./schemas";
import { EMPTY_TALLY, showTally, talliesByPosition, total, type ShownTally, type Tally } from "./tallies";
import { consume, POSITIONS_PER_GROUP_PER_HOUR, POSITIONS_PER_PARTICIPANT_PER_HOUR } from "./rate-limits";
import { commit } from "./unit-of-work";
import { readTalliesSqlite } from "./votes-sqlite";
import { parseInput } from "./validate";

export interface PositionView {
  id: string;
  questionId: string;
  status: ContentStatus;
  /** Sanitized HTML; null when hidden (for participants) or withdrawn. */
  bodyHtml: string | null;
  /** The Markdown source, only for its author while they may still edit it. */
  bodySource: string | null;
  /** The language it is written in (one of the consultation's languages): the text's `lang` attribute. */
  language: string;
  moderationNote: string | null;
  /**
   * Null when the text is not shown to this viewer (hidden for participants, withdrawn). `enteredByOutreach`:
   * an outreach worker entered it for the author (consultations/proxy.ts); who did is never in a view.
   */
  author: { pseudonym: string; groupName: string; enteredByOutreach: boolean } | null;
  isMine: boolean;
  createdAt: Date;
  editedAt: Date | null;
  tally: ShownTally;
  myVote: VoteChoice | null;
  commentCount: number;
  canEdit: boolean;
  canWithdraw: boolean;
  canVote: boolean;
}

const POSITION_SELECT = {
  id: true,
  questionId: true,
  body: true,
  status: true,
  moderationNote: true,
  createdAt: true,
  editedAt: true,
  enteredByProxy: true,
  language: true,
  authorId: true,
  author: { select: { pseudonym: true, group: { select: { name: true } } } },
  _count: { select: { comments: { where: { status: "visible" } } } },
} as const;

type PositionRow = {
  id: string;
  questionId: string;
  body: string;
  status: string;
  moderationNote: string | null;
  createdAt: Date;
  editedAt: Date | null;
  enteredByProxy: boolean;
  language: string;
  authorId: string;
  author: { pseudonym: string; group: { name: string } };
  _count: { comments: number };
};

/**
 * Tallies of visible positions from active participants' votes (hidden content and suspended
 * participants count for nothing).
 */
export async function loadTallies(db: Db, consultationId: string, positionIds?: string[]): Promise<Map<string, Tally>> {
  const rows = await db.vote.groupBy({
    by: ["positionId", "value"],
    where: {
      consultationId,
      ...(positionIds ? { positionId: { in: positionIds } } : {}),
      position: { status: "visible" },
      participant: { status: "active" },
    },
    _count: { _all: true },
  });
  return talliesByPosition(rows.map((r) => ({ positionId: r.positionId, value: r.value, count: r._count._all })));
}

/**
 * `loadTallies` from committed data only: through the direct SQLite connection when there is one (a
 * separate connection sees no open transaction), otherwise inside a Prisma transaction (which waits for an
 * open one to end). For readers outside any transaction that must not see a write about to roll back:
 * the live tally updates (realtime/rooms.ts) and the answers to a batch of votes.
 */
export async function loadCommittedTallies(db: Db, consultationId: string, positionIds?: string[]): Promise<Map<string, Tally>> {
  const direct = directSqlite();
  if (direct) return readTalliesSqlite(direct, consultationId, positionIds);
  return db.$transaction((tx) => loadTallies(tx as unknown as Db, consultationId, positionIds));
}

async function myVotes(db: Db, participantId: string | undefined, positionIds: string[]): Promise<Map<string, number>> {
  if (!participantId || !positionIds.length) return new Map();
  const votes = await db.vote.findMany({ where: { participantId, positionId: { in: positionIds } }, select: { positionId: true, value: true } });
  return new Map(votes.map((v) => [v.positionId, v.value]));
}

function toView(row: PositionRow, ctx: Access, tallies: Map<string, Tally>, mine: Map<string, number>, othersVoted: boolean): PositionView {
  const status = row.status as ContentStatus;
  const isMine = ctx.me?.id === row.authorId;
  const facilitator = ctx.role === "facilitator";
  const active = ctx.role === "participant";
  const tally = status === "visible" ? tallies.get(row.id) ?? EMPTY_TALLY : EMPTY_TALLY;
  const showBody = status === "visible" || (status === "hidden" && facilitator);
  const myVote = mine.get(row.id);
  return {
    id: row.id,
    questionId: row.questionId,
    status,
    bodyHtml: showBody ? renderMarkdown(row.body) : null,
    bodySource: isMine && status === "visible" && phaseAllows(ctx.consultation.phase, "editPosition") ? row.body : null,
    language: row.language,
    moderationNote: status === "hidden" ? row.moderationNote : null,
    // Who wrote hidden or withdrawn text is no one else's business: only facilitators see it.
    author: showBody ? { pseudonym: row.author.pseudonym, groupName: row.author.group.name, enteredByOutreach: row.enteredByProxy } : null,
    isMine,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    tally: showTally(tally, ctx.consultation.minGroupSize),
    myVote: myVote === undefined ? null : voteChoice(myVote),
    commentCount: row._count.comments,
    canEdit: active && isMine && status === "visible" && !othersVoted && phaseAllows(ctx.consultation.phase, "editPosition"),
    canWithdraw: active && isMine && status === "visible" && phaseAllows(ctx.consultation.phase, "withdrawPosition"),
    canVote: active && !isMine && status === "visible" && phaseAllows(ctx.consultation.phase, "vote"),
  };
}

/** Whether anyone but the author has voted on each position (editing is then closed). */
async function votedByOthers(db: Db, rows: PositionRow[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const votes = await db.vote.findMany({
    where: { positionId: { in: rows.map((r) => r.id) } },
    select: { positionId: true, participantId: true },
  });
  const author = new Map(rows.map((r) => [r.id, r.authorId]));
  return new Set(votes.filter((v) => v.participantId !== author.get(v.positionId)).map((v) => v.positionId));
}

async function views(
  db: Db,
  ctx: Access,
  rows: PositionRow[],
  known?: Map<string, Tally>,
): Promise<{ list: PositionView[]; counts: Map<string, number>; mine: Map<string, number> }> {
  const ids = rows.map((r) => r.id);
  const [tallies, mine, voted] = await Promise.all([
    known ?? loadTallies(db, ctx.consultation.id, ids),
    myVotes(db, ctx.me?.id, ids),
    votedByOthers(db, rows.filter((r) => r.authorId === ctx.me?.id)),
  ]);
  const counts = new Map(ids.map((id) => [id, total(tallies.get(id) ?? EMPTY_TALLY)]));
  return { list: rows.map((r) => toView(r, ctx, tallies, mine, voted.has(r.id))), counts, mine };
}

/**
 * A consultation's positions (all but withdrawn) and their tallies, as of one event seq: what every
 * reader's consultation page starts from. Every change to positions, votes, comments, moderation or
 * participants records an event, so while the consultation's seq stays the same these rows do too; the
 * seq is read from the database on every request (access.ts), so another process's change is never
 * missed. Read after the seq, the rows are at least as new as it. The latest snapshot of the most
 * recently read consultations is kept.
 */
interface PositionsSnapshot {
  seq: number;
  rows: PositionRow[];
  tallies: Map<string, Tally>;
}
const SNAPSHOTS_KEPT = 100;
const snapshots = new Map<string, PositionsSnapshot>();

async function positionsSnapshot(db: Db, consultation: { id: string; eventSeq: number }): Promise<PositionsSnapshot> {
  const held = snapshots.get(consultation.id);
  if (held && held.seq === consultation.eventSeq) return held;
  const [rows, tallies] = await Promise.all([
    db.position.findMany({ where: { consultationId: consultation.id, status: { not: "withdrawn" } }, select: POSITION_SELECT }),
    loadTallies(db, consultation.id),
  ]);
  const snapshot = { seq: consultation.eventSeq, rows, tallies };
  // A newer snapshot never gives way to an older one (two requests may race).
  if (!held || held.seq <= snapshot.seq) {
    snapshots.delete(consultation.id);
    snapshots.set(consultation.id, snapshot);
    if (snapshots.size > SNAPSHOTS_KEPT) snapshots.delete(snapshots.keys().next().value!);
  }
  return snapshot;
}

/**
 * Positions of the consultation in `ctx` by id, as its viewer may see them, in the order of `ids`
 * (ids of other consultations, or of nothing, are left out). For modules that already hold the access.
 */
export async function positionViewsFor(db: Db, ctx: Access, ids: string[]): Promise<PositionView[]> {
  if (!ids.length) return [];
  const rows = await db.position.findMany({ where: { id: { in: [...new Set(ids)] }, consultationId: ctx.consultation.id }, select: POSITION_SELECT });
  const { list } = await views(db, ctx, rows);
  const byId = new Map(list.map((p) => [p.id, p]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Sorts positions: newest first; most voted first; or least seen first (fewest votes, so every
 * position gets its share of attention, as Polis does). Ties fall back to newest.
 */
export function sortPositions<T extends { id: string; createdAt: Date }>(list: T[], sort: PositionSort, voteCounts: Map<string, number>): T[] {
  const count = (p: T) => voteCounts.get(p.id) ?? 0;
  const byNewest = (a: T, b: T) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id);
  const copy = [...list];
  if (sort === "newest") return copy.sort(byNewest);
  if (sort === "most-voted") return copy.sort((a, b) => count(b) - count(a) || byNewest(a, b));
  return copy.sort((a, b) => count(a) - count(b) || byNewest(a, b));
}

/** A question with its positions, as the viewer may see them. Withdrawn positions show as a placeholder. */
export async function listQuestionPositions(db: Db, viewer: Viewer, key: ConsultationKey, questionId: string, rawSort: unknown) {
  const ctx = await access(db, viewer, key, "read");
  const sort = PositionSort.catch("newest").parse(rawSort ?? "newest");
  const question = await db.question.findFirst({ where: { id: questionId, consultationId: ctx.consultation.id }, select: { id: true, title: true, context: true } });
  if (!question) throw notFound("This question");
  const rows = await db.position.findMany({ where: { questionId: question.id }, select: POSITION_SELECT });
  const { list: unsorted, counts } = await views(db, ctx, rows);
  const list = sortPositions(unsorted, sort, counts);
  return {
    question: { id: question.id, title: question.title, contextHtml: renderMarkdown(question.context) },
    positions: list,
    sort,
    canSubmit: ctx.role === "participant" && phaseAllows(ctx.consultation.phase, "submitPosition"),
  };
}

/** All visible positions of a consultation, by question (the consultation page). */
export async function listConsultationPositions(db: Db, viewer: Viewer, key: ConsultationKey, rawSort: unknown) {
  const ctx = await access(db, viewer, key, "read");
  const sort = PositionSort.catch("newest").parse(rawSort ?? "newest");
  const { rows, tallies } = await positionsSnapshot(db, ctx.consultation);
  const { list: unsorted, counts, mine } = await views(db, ctx, rows, tallies);
  const list = sortPositions(unsorted, sort, counts);
  const byQuestion = new Map<string, PositionView[]>();
  for (const p of list) byQuestion.set(p.questionId, [...(byQuestion.get(p.questionId) ?? []), p]);
  // The participant's "x of y" (as voteProgress counts it), from what is already here.
  const open = rows.filter((r) => r.status === "visible" && r.authorId !== ctx.me?.id);
  const progress = { voted: open.filter((r) => mine.has(r.id)).length, total: open.length };
  return { byQuestion: Object.fromEntries(byQuestion), sort, progress };
}

/** One position with the viewer's vote (comments come from comments.ts). */
export async function getPosition(db: Db, viewer: Viewer, key: ConsultationKey, positionId: string) {
  const ctx = await access(db, viewer, key, "read");
  const row = await db.position.findFirst({ where: { id: positionId, consultationId: ctx.consultation.id }, select: { ...POSITION_SELECT, question: { select: { id: true, title: true } } } });
  if (!row) throw notFound("This position");
  const { list: [view] } = await views(db, ctx, [row]);
  return { position: view, question: row.question, phase: ctx.consultation.phase, role: ctx.role };
}

function checkLength(body: string, max: number) {
  if (body.length > max) {
    throw invalid(`Your position can have at most ${max} characters (it has ${body.length}).`, {
      body: [`Keep it to ${max} characters or fewer: it has ${body.length}.`],
    });
  }
}

export async function submitPosition(db: Db, viewer: Viewer, key: ConsultationKey, questionId: string, raw: unknown) {
  const ctx = await access(db, viewer, key, "submitPosition");
  const { body, language: chosen } = parseInput(PositionInput, raw);
  checkLength(body, ctx.consultation.maxPositionLength);
  const language = contentLanguage(ctx.consultation.languages, chosen);
  const question = await db.question.findFirst({ where: { id: questionId, consultationId: ctx.consultation.id }, select: { id: true } });
  if (!question) throw notFound("This question");
  const author = ctx.me!;
  const duplicate = await db.position.findFirst({ where: { questionId, authorId: author.id, body, status: "visible" }, select: { id: true } });
  if (duplicate) throw conflict("You already posted this position.");
  // Abuse limits (in memory): this participant's and their stakeholder group's posting rates.
  consume([
    [POSITIONS_PER_PARTICIPANT_PER_HOUR, author.id],
    [POSITIONS_PER_GROUP_PER_HOUR, author.groupId],
  ]);
  return commit(db, async (tx, emit) => {
    const position = await tx.position.create({
      data: { consultationId: ctx.consultation.id, questionId, authorId: author.id, body, language },
      select: { id: true },
    });
    await emit(ctx.consultation.id, "position.submitted", "participant", { positionId: position.id, questionId, pseudonym: author.pseudonym, language });
    return position;
  });
}

async function ownPosition(db: Db, ctx: Access, positionId: string) {
  const row = await db.position.findFirst({ where: { id: positionId, consultationId: ctx.consultation.id }, select: { id: true, authorId: true, status: true, questionId: true } });
  if (!row) throw notFound("This position");
  if (row.authorId !== ctx.me?.id) throw forbidden("You can only change your own positions.");
  if (row.status !== "visible") throw conflict("This position can no longer be changed.");
  return row;
}

/** Edits an own position while positions are open and nobody else has voted on it yet. */
export async function editPosition(db: Db, viewer: Viewer, key: ConsultationKey, positionId: string, raw: unknown) {
  const ctx = await access(db, viewer, key, "editPosition");
  const { body, language: chosen } = parseInput(PositionInput, raw);
  checkLength(body, ctx.consultation.maxPositionLength);
  // Without a language in the form, the position keeps its own.
  const language = chosen ? contentLanguage(ctx.consultation.languages, chosen) : undefined;
  const row = await ownPosition(db, ctx, positionId);
  const others = await db.vote.count({ where: { positionId, participantId: { not: row.authorId } } });
  if (others) throw conflict("Others have already voted on this position, so it cannot be edited. Withdraw it and post a new one.");
  await commit(db, async (tx, emit) => {
    await tx.position.update({ where: { id: positionId }, data: { body, editedAt: new Date(), ...(language ? { language } : {}) } });
    await emit(ctx.consultation.id, "position.edited", "participant", { positionId, questionId: row.questionId });
  });
}

/** Withdraws an own position: it shows as "withdrawn by participant" and leaves every tally. */
export async function withdrawPosition(db: Db, viewer: Viewer, key: ConsultationKey, positionId: string) {
  const ctx = await access(db, viewer, key, "withdrawPosition");
  const row = await ownPosition(db, ctx, positionId);
  await commit(db, async (tx, emit) => {
    await tx.position.update({ where: { id: positionId }, data: { status: "withdrawn" } });
    await emit(ctx.consultation.id, "position.withdrawn", "participant", { positionId, questionId: row.questionId });
  });
}

/**
 * The next position for the participant to vote on: visible, not theirs, not yet voted on; the least
 * voted first so attention spreads (ties: oldest first, so the order is stable). Optionally within a question.
 */
export async function nextToVote(db: Db, viewer: Viewer, key: ConsultationKey, questionId?: string | null) {
  const ctx = await access(db, viewer, key, "read");
  const me = ctx.me;
  const where = {
    consultationId: ctx.consultation.id,
    status: "visible",
    ...(questionId ? { questionId } : {}),
  };
  const candidates = await db.position.findMany({
    where: { ...where, ...(me ? { authorId: { not: me.id }, votes: { none: { participantId: me.id } } } : {}) },
    select: { id: true, createdAt: true },
  });
  const [all, mine] = await Promise.all([
    db.position.count({ where: { ...where, ...(me ? { authorId: { not: me.id } } : {}) } }),
    me ? db.vote.count({ where: { participantId: me.id, position: where } }) : 0,
  ]);
  const progress = { voted: mine, total: all };
  if (!candidates.length) return { position: null, progress, phase: ctx.consultation.phase };
  const tallies = await loadTallies(db, ctx.consultation.id, candidates.map((c) => c.id));
  candidates.sort((a, b) => total(tallies.get(a.id) ?? EMPTY_TALLY) - total(tallies.get(b.id) ?? EMPTY_TALLY) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const { position } = await getPosition(db, viewer, key, candidates[0].id);
  return { position, progress, phase: ctx.consultation.phase };
}

/** How many of the positions open to them the participant has voted on (the "x of y" on pages). */
export async function voteProgress(db: Db, viewer: Viewer, key: ConsultationKey) {
  const ctx = await access(db, viewer, key, "read");
  const me = ctx.me;
  const where = { consultationId: ctx.consultation.id, status: "visible", ...(me ? { authorId: { not: me.id } } : {}) };
  const [all, mine] = await Promise.all([
    db.position.count({ where }),
    me ? db.vote.count({ where: { participantId: me.id, position: where } }) : 0,
  ]);
  return { voted: mine, total: all };
}
