/**
 * Live sessions (the LiveSession aggregate): a facilitator runs an online meeting on a consultation.
 * They open a session, spotlight one position at a time (every participant's screen follows: the
 * position, a vote prompt, its live tally by stakeholder group), may hold new comments for
 * pre-moderation (consultations/comments.ts), and close it; the spotlights make the session's timeline.
 *
 * Rules: only facilitators of the consultation's organisation run a session, and only while votes are
 * allowed (positions and deliberation phases: the "runLiveSession" action); closing is allowed in any
 * phase, so a session left open when the phase moved on can still be ended. One session is open per
 * consultation at a time. Anyone who may read the consultation may follow the session.
 *
 * Every change records an event (live.opened, live.updated, live.spotlighted, live.closed) with content
 * ids only; the realtime layer broadcasts it and screens reload what they show. Tallies by group follow
 * the consultation's minimum (tallies.ts `tallyByGroup`): nothing about fewer people is ever shown.
 */
import type { Db, Tx } from "./db/client";
import { audit } from "./audit";
import { access, type Access, type ConsultationKey } from "./access";
import { heldCommentsOf, type HeldComment } from "./comments";
import { conflict, forbidden, invalid, notFound } from "./errors";
import { phaseAllows } from "./phases";
import type { Role, Viewer } from "./permissions";
import { loadTallies, positionViewsFor, sortPositions, type PositionView } from "./positions";
import { LiveSessionInput, PositionSort, type Phase } from "./schemas";
import { EMPTY_TALLY, tallyByGroup, total, type GroupRef, type GroupVoteRow, type ShownGroupTally, type ShownTally, type TallyByGroup } from "./tallies";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";

export interface LiveSessionInfo {
  id: string;
  openedAt: Date;
  closedAt: Date | null;
  /** New comments wait for a facilitator's approval while this is on. */
  holdComments: boolean;
}

export interface GroupedTally {
  /** The position's whole tally (from the same votes as the groups). */
  tally: ShownTally;
  /** One entry per stakeholder group, in the consultation's order; small groups suppressed. */
  groups: ShownGroupTally[];
}

export interface SpotlightView extends GroupedTally {
  spotlightId: string;
  startedAt: Date;
  /** As the viewer may see it (their vote, whether they may vote; hidden text only for facilitators). */
  position: PositionView;
  question: { id: string; title: string };
}

export interface LiveState {
  role: Role;
  phase: Phase;
  /** Whether the phase allows a live session at all (votes are allowed). */
  liveAllowed: boolean;
  /** Whether this viewer may open, spotlight, hold and close (a facilitator, in such a phase). */
  canControl: boolean;
  /** The open session, if any. */
  session: LiveSessionInfo | null;
  /** What is in the spotlight now; null when no session is open or nothing is spotlighted. */
  spotlight: SpotlightView | null;
  /** Facilitators only: every comment of the consultation waiting for approval, oldest first. Null for others. */
  held: HeldComment[] | null;
}

export interface TimelineEntry extends GroupedTally {
  spotlightId: string;
  startedAt: Date;
  /** When the next spotlight (or the end of the session) took over; null while it is still on. */
  endedAt: Date | null;
  /** How long it was in the spotlight, in whole seconds (until now while it is still on). */
  seconds: number;
  /** Null if the position no longer exists. */
  position: PositionView | null;
  question: { id: string; title: string } | null;
}

export interface SessionTimeline {
  session: LiveSessionInfo;
  /** Oldest first. Tallies are as they stand now (a tally per time window would let windows be subtracted). */
  entries: TimelineEntry[];
}

export interface SessionSummary extends LiveSessionInfo {
  spotlights: number;
}

export interface SpotlightCandidate extends PositionView {
  questionTitle: string;
  /** How many times it was spotlighted in the open session. */
  spotlightedTimes: number;
}

const SESSION_SELECT = { id: true, openedAt: true, closedAt: true, holdComments: true } as const;

/** Most positions the facilitator's list shows at once (search narrows it). */
export const CANDIDATE_LIMIT = 200;

// ---- helpers ---------------------------------------------------------------------------------------

type Reader = Pick<Tx, "liveSession" | "liveSpotlight">;

async function openSessionOf(db: Reader, consultationId: string): Promise<LiveSessionInfo | null> {
  return db.liveSession.findFirst({ where: { consultationId, closedAt: null }, orderBy: { openedAt: "desc" }, select: SESSION_SELECT });
}

async function currentSpotlightOf(db: Reader, sessionId: string) {
  return db.liveSpotlight.findFirst({ where: { sessionId, endedAt: null }, orderBy: { startedAt: "desc" }, select: { id: true, positionId: true, startedAt: true } });
}

/**
 * Takes SQLite's write lock before the transaction reads anything, so two facilitators acting at the
 * same moment are applied one after the other (no second open session, no two current spotlights).
 * Writes nothing that changes (updatedAt is left alone too).
 */
async function lockConsultation(tx: Tx, consultationId: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Consultation" SET "eventSeq" = "eventSeq" WHERE "id" = ${consultationId}`;
}

function requireFacilitator(ctx: Access): void {
  if (ctx.role !== "facilitator") {
    throw forbidden(ctx.role === "suspended" ? "Your participation in this consultation is suspended." : "Only facilitators can do this.");
  }
}

/** The consultation's stakeholder groups, in their order. */
async function groupsOf(db: Db, consultationId: string): Promise<GroupRef[]> {
  return db.stakeholderGroup.findMany({ where: { consultationId }, orderBy: [{ sortOrder: "asc" }, { name: "asc" }], select: { id: true, name: true } });
}

/**
 * Tallies by stakeholder group of the given positions: votes of active participants on visible
 * positions (as every tally), counted per group in memory and suppressed by `tallyByGroup`.
 */
export async function groupTalliesFor(db: Db, ctx: Access, positionIds: string[]): Promise<Map<string, TallyByGroup>> {
  const out = new Map<string, TallyByGroup>();
  if (!positionIds.length) return out;
  const ids = [...new Set(positionIds)];
  const [groups, votes] = await Promise.all([
    groupsOf(db, ctx.consultation.id),
    db.vote.findMany({
      where: { consultationId: ctx.consultation.id, positionId: { in: ids }, position: { status: "visible" }, participant: { status: "active" } },
      select: { positionId: true, value: true, participant: { select: { groupId: true } } },
    }),
  ]);
  // Counted here and only counts leave this function: who voted what goes nowhere.
  const counts = new Map<string, Map<string, number>>();
  for (const v of votes) {
    const perPosition = counts.get(v.positionId) ?? new Map<string, number>();
    const k = `${v.participant.groupId}\u0000${v.value}`;
    perPosition.set(k, (perPosition.get(k) ?? 0) + 1);
    counts.set(v.positionId, perPosition);
  }
  for (const id of ids) {
    const rows: GroupVoteRow[] = [...(counts.get(id) ?? new Map<string, number>())].map(([k, count]) => {
      const [groupId, value] = k.split("\u0000");
      return { groupId, value: Number(value), count };
    });
    out.set(id, tallyByGroup(groups, rows, ctx.consultation.minGroupSize));
  }
  return out;
}

function grouped(tallies: Map<string, TallyByGroup>, positionId: string, minimum: number): GroupedTally {
  const t = tallies.get(positionId) ?? tallyByGroup([], [], minimum);
  return { tally: t.overall, groups: t.groups };
}

async function questionTitles(db: Db, consultationId: string): Promise<Map<string, string>> {
  const rows = await db.question.findMany({ where: { consultationId }, select: { id: true, title: true } });
  return new Map(rows.map((q) => [q.id, q.title]));
}

// ---- facilitator controls --------------------------------------------------------------------------

/** Opens a live session (one at a time per consultation). `raw`: { holdComments } (a checkbox or a boolean). */
export async function openSession(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown = {}): Promise<LiveSessionInfo> {
  const ctx = await access(db, viewer, key, "runLiveSession");
  const { holdComments } = parseInput(LiveSessionInput, raw ?? {});
  const consultationId = ctx.consultation.id;
  return commit(db, async (tx, emit) => {
    await lockConsultation(tx, consultationId);
    if (await openSessionOf(tx, consultationId)) throw conflict("A live session is already open.");
    const session = await tx.liveSession.create({ data: { consultationId, holdComments }, select: SESSION_SELECT });
    await emit(consultationId, "live.opened", "facilitator", { sessionId: session.id, holdComments });
    await audit(tx, viewer, consultationId, "live.opened", { target: { kind: "liveSession", id: session.id }, detail: holdComments ? "holding new comments" : null });
    return session;
  });
}

/** Turns holding new comments for approval on or off in the open session. `raw`: { holdComments }. */
export async function setHoldComments(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown): Promise<{ holdComments: boolean; changed: boolean }> {
  const ctx = await access(db, viewer, key, "runLiveSession");
  const { holdComments } = parseInput(LiveSessionInput, raw ?? {});
  const consultationId = ctx.consultation.id;
  return commit(db, async (tx, emit) => {
    await lockConsultation(tx, consultationId);
    const session = await openSessionOf(tx, consultationId);
    if (!session) throw conflict("No live session is open.");
    if (session.holdComments === holdComments) return { holdComments, changed: false };
    await tx.liveSession.update({ where: { id: session.id }, data: { holdComments } });
    // Comments already held stay held until a facilitator approves or hides them.
    await emit(consultationId, "live.updated", "facilitator", { sessionId: session.id, holdComments });
    await audit(tx, viewer, consultationId, "live.holding.changed", { target: { kind: "liveSession", id: session.id }, detail: holdComments ? "holding new comments: on" : "holding new comments: off" });
    return { holdComments, changed: true };
  });
}

/**
 * Puts a visible position of this consultation in the spotlight of the open session, or clears the
 * spotlight (`positionId` null). Spotlighting what is already in the spotlight changes nothing. This is
 * also what the socket request `live.spotlight` calls.
 */
export async function spotlight(db: Db, viewer: Viewer, key: ConsultationKey, positionId: string | null): Promise<{ positionId: string | null }> {
  const ctx = await access(db, viewer, key, "runLiveSession");
  if (positionId !== null && typeof positionId !== "string") throw invalid("Choose a position to spotlight.");
  const consultationId = ctx.consultation.id;
  let questionId: string | null = null;
  if (positionId !== null) {
    const position = await db.position.findFirst({ where: { id: positionId, consultationId }, select: { status: true, questionId: true } });
    if (!position) throw notFound("This position");
    if (position.status !== "visible") throw conflict("Only a visible position can be spotlighted.");
    questionId = position.questionId;
  }
  return commit(db, async (tx, emit) => {
    await lockConsultation(tx, consultationId);
    const session = await openSessionOf(tx, consultationId);
    if (!session) throw conflict("Open a live session first.");
    const current = await currentSpotlightOf(tx, session.id);
    if ((current?.positionId ?? null) === positionId) return { positionId };
    const now = new Date();
    if (current) await tx.liveSpotlight.update({ where: { id: current.id }, data: { endedAt: now } });
    if (positionId !== null) await tx.liveSpotlight.create({ data: { sessionId: session.id, positionId, startedAt: now } });
    await emit(consultationId, "live.spotlighted", "facilitator", { sessionId: session.id, positionId, questionId });
    return { positionId };
  });
}

/** Closes the open session (in any phase): the spotlight ends, and the timeline is final. */
export async function closeSession(db: Db, viewer: Viewer, key: ConsultationKey): Promise<LiveSessionInfo> {
  const ctx = await access(db, viewer, key, "read");
  requireFacilitator(ctx);
  const consultationId = ctx.consultation.id;
  return commit(db, async (tx, emit) => {
    await lockConsultation(tx, consultationId);
    const session = await openSessionOf(tx, consultationId);
    if (!session) throw conflict("No live session is open.");
    const now = new Date();
    await tx.liveSpotlight.updateMany({ where: { sessionId: session.id, endedAt: null }, data: { endedAt: now } });
    const closed = await tx.liveSession.update({ where: { id: session.id }, data: { closedAt: now }, select: SESSION_SELECT });
    const spotlights = await tx.liveSpotlight.count({ where: { sessionId: session.id } });
    await emit(consultationId, "live.closed", "facilitator", { sessionId: session.id, spotlights });
    await audit(tx, viewer, consultationId, "live.closed", { target: { kind: "liveSession", id: session.id }, detail: `${spotlights} ${spotlights === 1 ? "position" : "positions"} spotlighted` });
    return closed;
  });
}

// ---- reading ---------------------------------------------------------------------------------------

/**
 * The live session as the viewer may follow it: whether one is open, the spotlighted position (with
 * the viewer's vote and whether they may vote) and its tally by stakeholder group; for facilitators
 * also the comments waiting for approval.
 */
export async function currentSession(db: Db, viewer: Viewer, key: ConsultationKey): Promise<LiveState> {
  const ctx = await access(db, viewer, key, "read");
  const { consultation } = ctx;
  const facilitator = ctx.role === "facilitator";
  const liveAllowed = phaseAllows(consultation.phase, "runLiveSession");
  const [session, held] = await Promise.all([openSessionOf(db, consultation.id), facilitator ? heldCommentsOf(db, consultation.id) : null]);
  let view: SpotlightView | null = null;
  const current = session ? await currentSpotlightOf(db, session.id) : null;
  if (current) {
    const [[position], tallies, titles] = await Promise.all([
      positionViewsFor(db, ctx, [current.positionId]),
      groupTalliesFor(db, ctx, [current.positionId]),
      questionTitles(db, consultation.id),
    ]);
    if (position) {
      const g = grouped(tallies, position.id, consultation.minGroupSize);
      view = {
        spotlightId: current.id,
        startedAt: current.startedAt,
        // The tally shown with the groups comes from the same votes as the groups.
        position: position.status === "visible" ? { ...position, tally: g.tally } : position,
        question: { id: position.questionId, title: titles.get(position.questionId) ?? "" },
        ...g,
      };
    }
  }
  return {
    role: ctx.role,
    phase: consultation.phase,
    liveAllowed,
    canControl: facilitator && liveAllowed,
    session,
    spotlight: view,
    held,
  };
}

/** Whether a live session is open now (for a link to it), and whether something is in its spotlight. Any reader. */
export async function sessionStatus(db: Db, viewer: Viewer, key: ConsultationKey): Promise<{ open: boolean; spotlighted: boolean; holdComments: boolean }> {
  const ctx = await access(db, viewer, key, "read");
  const session = await openSessionOf(db, ctx.consultation.id);
  if (!session) return { open: false, spotlighted: false, holdComments: false };
  return { open: true, spotlighted: !!(await currentSpotlightOf(db, session.id)), holdComments: session.holdComments };
}

/** The spotlights of a session in order, with each position's tally by group as it stands now. */
export async function sessionTimeline(db: Db, viewer: Viewer, key: ConsultationKey, sessionId: string): Promise<SessionTimeline> {
  const ctx = await access(db, viewer, key, "read");
  const { consultation } = ctx;
  const session = await db.liveSession.findFirst({ where: { id: String(sessionId ?? ""), consultationId: consultation.id }, select: SESSION_SELECT });
  if (!session) throw notFound("This live session");
  const spotlights = await db.liveSpotlight.findMany({
    where: { sessionId: session.id },
    orderBy: [{ startedAt: "asc" }, { id: "asc" }],
    select: { id: true, positionId: true, startedAt: true, endedAt: true },
  });
  const ids = spotlights.map((s) => s.positionId);
  const [views, tallies, titles] = await Promise.all([positionViewsFor(db, ctx, ids), groupTalliesFor(db, ctx, ids), questionTitles(db, consultation.id)]);
  const byId = new Map(views.map((v) => [v.id, v]));
  const now = Date.now();
  return {
    session,
    entries: spotlights.map((s): TimelineEntry => {
      const position = byId.get(s.positionId) ?? null;
      const g = grouped(tallies, s.positionId, consultation.minGroupSize);
      return {
        spotlightId: s.id,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        seconds: Math.max(0, Math.round(((s.endedAt?.getTime() ?? now) - s.startedAt.getTime()) / 1000)),
        position: position && position.status === "visible" ? { ...position, tally: g.tally } : position,
        question: position ? { id: position.questionId, title: titles.get(position.questionId) ?? "" } : null,
        ...g,
      };
    }),
  };
}

/** Facilitators: the consultation's sessions, newest first. */
export async function listSessions(db: Db, viewer: Viewer, key: ConsultationKey): Promise<SessionSummary[]> {
  const ctx = await access(db, viewer, key, "read");
  requireFacilitator(ctx);
  const rows = await db.liveSession.findMany({
    where: { consultationId: ctx.consultation.id },
    orderBy: [{ openedAt: "desc" }, { id: "asc" }],
    select: { ...SESSION_SELECT, _count: { select: { spotlights: true } } },
  });
  return rows.map(({ _count, ...s }) => ({ ...s, spotlights: _count.spotlights }));
}

/**
 * Facilitators: the visible positions that can be spotlighted, searched (in the text and the author's
 * pseudonym) and sorted like the consultation page (newest, most voted, least seen); at most
 * CANDIDATE_LIMIT of them, with how many matched.
 */
export async function spotlightCandidates(
  db: Db,
  viewer: Viewer,
  key: ConsultationKey,
  options: { q?: string | null; sort?: unknown } = {},
): Promise<{ positions: SpotlightCandidate[]; matched: number; q: string; sort: PositionSort }> {
  const ctx = await access(db, viewer, key, "read");
  requireFacilitator(ctx);
  const consultationId = ctx.consultation.id;
  const sort = PositionSort.catch("newest").parse(options.sort ?? "newest");
  const q = (options.q ?? "").trim().slice(0, 200);
  // Matched here, not in SQL: case-insensitive in every script and the same on SQLite (whose LIKE folds
  // ASCII only) and PostgreSQL (whose LIKE folds nothing).
  const needle = q.toLocaleLowerCase();
  const rows = await db.position.findMany({
    where: { consultationId, status: "visible" },
    select: { id: true, body: true, author: { select: { pseudonym: true } } },
  });
  const ids = rows
    .filter((r) => !needle || r.body.toLocaleLowerCase().includes(needle) || r.author.pseudonym.toLocaleLowerCase().includes(needle))
    .map((r) => r.id);
  const [views, tallies, titles, session] = await Promise.all([
    positionViewsFor(db, ctx, ids),
    loadTallies(db, consultationId, ids),
    questionTitles(db, consultationId),
    openSessionOf(db, consultationId),
  ]);
  const times = new Map<string, number>();
  if (session) {
    const shown = await db.liveSpotlight.groupBy({ by: ["positionId"], where: { sessionId: session.id }, _count: { _all: true } });
    for (const s of shown) times.set(s.positionId, s._count._all);
  }
  const counts = new Map(ids.map((id) => [id, total(tallies.get(id) ?? EMPTY_TALLY)]));
  const sorted = sortPositions(views, sort, counts).slice(0, CANDIDATE_LIMIT);
  return {
    positions: sorted.map((p) => ({ ...p, questionTitle: titles.get(p.questionId) ?? "", spotlightedTimes: times.get(p.id) ?? 0 })),
    matched: ids.length,
    q,
    sort,
  };
}
