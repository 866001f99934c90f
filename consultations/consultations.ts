/**
 * The Consultation aggregate: set-up (details, stakeholder groups, questions, schedule), phases,
 * and what readers see of it. One function per verb: authorize -> validate -> save -> record event.
 */
import type { Db } from "./db/client";
import { audit } from "./audit";
import { access, type ConsultationKey } from "./access";
import { conflict, forbidden, notFound } from "./errors";
import { canMovePhase, nextPhase, previousPhase } from "./phases";
import type { Viewer } from "./permissions";
import { renderMarkdown } from "./markdown";
import { describeLanguages, languageColumn, parseLanguages } from "./consultation-languages";
import { onPublished } from "./publishing";
import {
  ConsultationInput,
  GroupInput,
  NewConsultationInput,
  Phase,
  QuestionInput,
  ScheduleInput,
} from "./schemas";
import { showCount, type ShownCount } from "./tallies";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";
import { z } from "zod";

/** A group key from its name: "Peers who use drugs" -> "peers-who-use-drugs". */
export function groupKey(name: string): string {
  const key = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return key || "group";
}

function uniqueKeys(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const base = groupKey(name);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

function requireFacilitatorAccount(viewer: Viewer) {
  if (!viewer.account) throw forbidden("Only facilitators can do this.");
  return viewer.account;
}

/** Creates a consultation in draft, with its declared stakeholder groups. */
export async function createConsultation(db: Db, viewer: Viewer, raw: unknown) {
  const account = requireFacilitatorAccount(viewer);
  const input = parseInput(NewConsultationInput, raw);
  // Its languages (the main one first): ["en"] when the form has none.
  const languages = parseLanguages(raw);
  const taken = await db.consultation.findUnique({ where: { slug: input.slug }, select: { id: true } });
  if (taken) throw conflict("This web address is already used by another consultation.");
  const keys = uniqueKeys(input.groups);
  return commit(db, async (tx, emit) => {
    const consultation = await tx.consultation.create({
      data: {
        organisationId: account.organisationId,
        slug: input.slug,
        title: input.title,
        description: input.description,
        maxPositionLength: input.maxPositionLength,
        languages: languageColumn(languages),
        groups: { create: input.groups.map((name, i) => ({ name, key: keys[i], sortOrder: i })) },
      },
      select: { id: true, slug: true },
    });
    await emit(consultation.id, "consultation.created", "facilitator", { title: input.title });
    return consultation;
  });
}

/** Consultations of the facilitator's organisation, newest first, with head counts. */
export async function listForOrganisation(db: Db, viewer: Viewer) {
  const account = requireFacilitatorAccount(viewer);
  const rows = await db.consultation.findMany({
    where: { organisationId: account.organisationId },
    orderBy: { createdAt: "desc" },
    select: {
      slug: true,
      title: true,
      phase: true,
      createdAt: true,
      _count: { select: { participants: true, positions: true, questions: true } },
    },
  });
  return rows.map((r) => ({
    slug: r.slug,
    title: r.title,
    phase: Phase.parse(r.phase),
    createdAt: r.createdAt,
    participants: r._count.participants,
    positions: r._count.positions,
    questions: r._count.questions,
  }));
}

/** Title, description, limits. */
export async function updateDetails(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown) {
  const { consultation } = await access(db, viewer, key, "editDetails");
  const input = parseInput(ConsultationInput, raw);
  if (input.slug !== consultation.slug) {
    if (consultation.phase !== "draft") throw forbidden("The web address can only change in the draft phase: invitations point to it.");
    const taken = await db.consultation.findUnique({ where: { slug: input.slug }, select: { id: true } });
    if (taken) throw conflict("This web address is already used by another consultation.");
  }
  return commit(db, async (tx, emit) => {
    const updated = await tx.consultation.update({
      where: { id: consultation.id },
      data: { title: input.title, slug: input.slug, description: input.description, maxPositionLength: input.maxPositionLength },
      select: { slug: true },
    });
    await emit(consultation.id, "consultation.updated", "facilitator", { title: input.title });
    const changed = (["title", "slug", "description", "maxPositionLength"] as const).filter((k) => input[k] !== consultation[k]);
    await audit(tx, viewer, consultation.id, "settings.changed", {
      target: { kind: "consultation", id: consultation.id },
      detail: changed.length ? `changed: ${changed.map((k) => (k === "slug" ? `web address (${consultation.slug} → ${input.slug})` : k === "maxPositionLength" ? `longest position (${consultation.maxPositionLength} → ${input.maxPositionLength})` : k)).join(", ")}` : "saved without changes",
    });
    return updated;
  });
}

/** Scheduled phase starts; due dates move the phase forward on the next read. */
export async function setSchedule(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown) {
  const { consultation } = await access(db, viewer, key, "editDetails");
  const input = parseInput(ScheduleInput, raw);
  await commit(db, async (tx, emit) => {
    await tx.consultation.update({ where: { id: consultation.id }, data: input });
    await emit(consultation.id, "consultation.updated", "facilitator", { schedule: true });
    const when = (d: Date | null | undefined) => (d ? d.toISOString() : "none");
    await audit(tx, viewer, consultation.id, "schedule.changed", {
      target: { kind: "consultation", id: consultation.id },
      detail: `positions ${when(input.positionsAt)}, deliberation ${when(input.deliberationAt)}, synthesis ${when(input.synthesisAt)}, published ${when(input.publishedAt)}`,
    });
  });
}

const MovePhaseInput = z.object({ to: Phase });

/** Moves the phase one step forward or back (published is final). */
export async function movePhase(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown) {
  const { consultation } = await access(db, viewer, key, "movePhase");
  const { to } = parseInput(MovePhaseInput, raw, "Choose a phase.");
  if (!canMovePhase(consultation.phase, to)) {
    throw conflict(
      consultation.phase === "published"
        ? "The report is published: the consultation is closed for good."
        : "The phase can only move one step forward or back.",
    );
  }
  if (to === "positions") {
    const questions = await db.question.count({ where: { consultationId: consultation.id } });
    if (!questions) throw conflict("Add at least one question before opening positions.");
  }
  await commit(db, async (tx, emit) => {
    const { count } = await tx.consultation.updateMany({
      where: { id: consultation.id, phase: consultation.phase },
      data: { phase: to, phaseChangedAt: new Date() },
    });
    if (!count) throw conflict("The phase was changed by someone else. Reload and try again.");
    await emit(consultation.id, "phase.changed", "facilitator", { from: consultation.phase, to });
    await audit(tx, viewer, consultation.id, "phase.changed", { target: { kind: "consultation", id: consultation.id }, detail: `${consultation.phase} → ${to}` });
    if (to === "published") await onPublished(tx, consultation.id);
  });
  return { from: consultation.phase, to };
}

// ---- questions ----------------------------------------------------------------------------

export async function addQuestion(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown) {
  const { consultation } = await access(db, viewer, key, "editStructure");
  const input = parseInput(QuestionInput, raw);
  return commit(db, async (tx, emit) => {
    const last = await tx.question.findFirst({ where: { consultationId: consultation.id }, orderBy: { sortOrder: "desc" }, select: { sortOrder: true } });
    const question = await tx.question.create({
      data: { consultationId: consultation.id, title: input.title, context: input.context, sortOrder: (last?.sortOrder ?? -1) + 1 },
      select: { id: true },
    });
    await emit(consultation.id, "question.added", "facilitator", { questionId: question.id, title: input.title });
    await audit(tx, viewer, consultation.id, "question.added", { target: { kind: "question", id: question.id } });
    return question;
  });
}

export async function updateQuestion(db: Db, viewer: Viewer, key: ConsultationKey, questionId: string, raw: unknown) {
  const { consultation } = await access(db, viewer, key, "editStructure");
  const input = parseInput(QuestionInput, raw);
  await commit(db, async (tx, emit) => {
    const { count } = await tx.question.updateMany({ where: { id: questionId, consultationId: consultation.id }, data: input });
    if (!count) throw notFound("This question");
    await emit(consultation.id, "question.updated", "facilitator", { questionId, title: input.title });
    await audit(tx, viewer, consultation.id, "question.updated", { target: { kind: "question", id: questionId } });
  });
}

export async function removeQuestion(db: Db, viewer: Viewer, key: ConsultationKey, questionId: string) {
  const { consultation } = await access(db, viewer, key, "editStructure");
  const positions = await db.position.count({ where: { questionId, consultationId: consultation.id } });
  if (positions) throw conflict("People have already posted positions on this question: it cannot be removed.");
  await commit(db, async (tx, emit) => {
    const { count } = await tx.question.deleteMany({ where: { id: questionId, consultationId: consultation.id } });
    if (!count) throw notFound("This question");
    await emit(consultation.id, "question.removed", "facilitator", { questionId });
    await audit(tx, viewer, consultation.id, "question.removed", { target: { kind: "question", id: questionId } });
  });
}

// ---- stakeholder groups -------------------------------------------------------------------

export async function addGroup(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown) {
  const { consultation } = await access(db, viewer, key, "editStructure");
  const input = parseInput(GroupInput, raw);
  const existing = await db.stakeholderGroup.findMany({ where: { consultationId: consultation.id }, select: { key: true, name: true, sortOrder: true } });
  if (existing.some((g) => g.name.toLowerCase() === input.name.toLowerCase())) throw conflict("A group with this name already exists.");
  if (existing.length >= 12) throw conflict("A consultation can have at most 12 stakeholder groups.");
  let k = groupKey(input.name);
  for (let i = 2; existing.some((g) => g.key === k); i++) k = `${groupKey(input.name)}-${i}`;
  return commit(db, async (tx, emit) => {
    const group = await tx.stakeholderGroup.create({
      data: { consultationId: consultation.id, key: k, name: input.name, description: input.description, sortOrder: Math.max(-1, ...existing.map((g) => g.sortOrder)) + 1 },
      select: { id: true },
    });
    await emit(consultation.id, "group.added", "facilitator", { groupId: group.id, name: input.name });
    await audit(tx, viewer, consultation.id, "group.added", { target: { kind: "group", id: group.id }, detail: input.name });
    return group;
  });
}

export async function updateGroup(db: Db, viewer: Viewer, key: ConsultationKey, groupId: string, raw: unknown) {
  const { consultation } = await access(db, viewer, key, "editStructure");
  const input = parseInput(GroupInput, raw);
  const others = await db.stakeholderGroup.findMany({ where: { consultationId: consultation.id, NOT: { id: groupId } }, select: { name: true } });
  if (others.some((g) => g.name.toLowerCase() === input.name.toLowerCase())) throw conflict("A group with this name already exists.");
  await commit(db, async (tx, emit) => {
    const { count } = await tx.stakeholderGroup.updateMany({ where: { id: groupId, consultationId: consultation.id }, data: input });
    if (!count) throw notFound("This stakeholder group");
    await emit(consultation.id, "group.updated", "facilitator", { groupId, name: input.name });
    await audit(tx, viewer, consultation.id, "group.updated", { target: { kind: "group", id: groupId }, detail: input.name });
  });
}

export async function removeGroup(db: Db, viewer: Viewer, key: ConsultationKey, groupId: string) {
  const { consultation } = await access(db, viewer, key, "editStructure");
  const group = await db.stakeholderGroup.findFirst({
    where: { id: groupId, consultationId: consultation.id },
    select: { id: true, _count: { select: { participants: true } } },
  });
  if (!group) throw notFound("This stakeholder group");
  if (group._count.participants) throw conflict("People have already joined this group: it cannot be removed.");
  const groups = await db.stakeholderGroup.count({ where: { consultationId: consultation.id } });
  if (groups <= 1) throw conflict("A consultation needs at least one stakeholder group.");
  await commit(db, async (tx, emit) => {
    await tx.stakeholderGroup.delete({ where: { id: group.id } });
    await emit(consultation.id, "group.removed", "facilitator", { groupId });
    await audit(tx, viewer, consultation.id, "group.removed", { target: { kind: "group", id: groupId } });
  });
}

// ---- reading ------------------------------------------------------------------------------

/** The consultation as its reader (participant or facilitator) sees it: texts rendered, no people. */
export async function getConsultation(db: Db, viewer: Viewer, key: ConsultationKey) {
  const { consultation, role, me } = await access(db, viewer, key, "read");
  const [groups, questions] = await Promise.all([
    db.stakeholderGroup.findMany({ where: { consultationId: consultation.id }, orderBy: { sortOrder: "asc" }, select: { id: true, name: true, description: true } }),
    db.question.findMany({
      where: { consultationId: consultation.id },
      orderBy: { sortOrder: "asc" },
      select: { id: true, title: true, context: true, _count: { select: { positions: { where: { status: "visible" } } } } },
    }),
  ]);
  const myGroup = me ? groups.find((g) => g.id === me.groupId) ?? null : null;
  return {
    role,
    me: me ? { pseudonym: me.pseudonym, groupName: myGroup?.name ?? "", status: me.status } : null,
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      descriptionHtml: renderMarkdown(consultation.description),
      phase: consultation.phase,
      phaseChangedAt: consultation.phaseChangedAt,
      schedule: {
        positionsAt: consultation.positionsAt,
        deliberationAt: consultation.deliberationAt,
        synthesisAt: consultation.synthesisAt,
        publishedAt: consultation.publishedAt,
      },
      maxPositionLength: consultation.maxPositionLength,
      minGroupSize: consultation.minGroupSize,
      eventSeq: consultation.eventSeq,
      /** Its languages, the main one first: positions and comments are written in one of them. */
      languages: describeLanguages(consultation.languages),
    },
    groups: groups.map((g) => ({ id: g.id, name: g.name, description: g.description })),
    questions: questions.map((q) => ({ id: q.id, title: q.title, contextHtml: renderMarkdown(q.context), positionCount: q._count.positions })),
  };
}

/** The raw set-up texts for the facilitator's edit forms. */
export async function getSetup(db: Db, viewer: Viewer, key: ConsultationKey) {
  const { consultation } = await access(db, viewer, key, "editDetails").catch(async (error) => {
    // A published consultation can still be viewed by its facilitators, just not edited.
    const fallback = await access(db, viewer, key, "viewParticipation").catch(() => { throw error; });
    return fallback;
  });
  const [groups, questions] = await Promise.all([
    db.stakeholderGroup.findMany({ where: { consultationId: consultation.id }, orderBy: { sortOrder: "asc" }, select: { id: true, key: true, name: true, description: true, _count: { select: { participants: true } } } }),
    db.question.findMany({ where: { consultationId: consultation.id }, orderBy: { sortOrder: "asc" }, select: { id: true, title: true, context: true, _count: { select: { positions: true } } } }),
  ]);
  return {
    consultation,
    groups: groups.map((g) => ({ id: g.id, key: g.key, name: g.name, description: g.description, hasParticipants: g._count.participants > 0 })),
    questions: questions.map((q) => ({ id: q.id, title: q.title, context: q.context, positionCount: q._count.positions })),
    next: nextPhase(consultation.phase),
    previous: previousPhase(consultation.phase),
  };
}

export interface GroupParticipation {
  groupId: string;
  name: string;
  participants: ShownCount;
  positions: ShownCount;
  voters: ShownCount;
}

/**
 * Participation per stakeholder group for facilitators: joined, authors of positions, voters.
 * Figures about fewer people than the consultation's minimum are suppressed, for facilitators too.
 */
export async function participationByGroup(db: Db, viewer: Viewer, key: ConsultationKey) {
  const { consultation } = await access(db, viewer, key, "viewParticipation");
  const groups = await db.stakeholderGroup.findMany({
    where: { consultationId: consultation.id },
    orderBy: { sortOrder: "asc" },
    select: { id: true, name: true },
  });
  const [joined, authors, voters, invitations] = await Promise.all([
    db.participant.groupBy({ by: ["groupId"], where: { consultationId: consultation.id }, _count: { _all: true } }),
    db.participant.groupBy({ by: ["groupId"], where: { consultationId: consultation.id, positions: { some: { status: "visible" } } }, _count: { _all: true } }),
    db.participant.groupBy({ by: ["groupId"], where: { consultationId: consultation.id, votes: { some: {} } }, _count: { _all: true } }),
    db.invitation.groupBy({ by: ["groupId"], where: { consultationId: consultation.id }, _count: { _all: true } }),
  ]);
  const count = (rows: Array<{ groupId: string; _count: { _all: number } }>, groupId: string) => rows.find((r) => r.groupId === groupId)?._count._all ?? 0;
  const min = consultation.minGroupSize;
  const perGroup: GroupParticipation[] = groups.map((g) => ({
    groupId: g.id,
    name: g.name,
    participants: showCount(count(joined, g.id), min),
    positions: showCount(count(authors, g.id), min),
    voters: showCount(count(voters, g.id), min),
  }));
  const totalJoined = joined.reduce((s, r) => s + r._count._all, 0);
  // Complementary suppression: with one group's figure hidden, the total minus the others would give it away.
  const anySuppressed = perGroup.some((g) => g.participants.suppressed);
  return {
    groups: perGroup,
    invitationsByGroup: Object.fromEntries(groups.map((g) => [g.id, count(invitations, g.id)])),
    total: anySuppressed ? ({ suppressed: true, minimum: Math.max(3, min) } as ShownCount) : showCount(totalJoined, min),
  };
}
