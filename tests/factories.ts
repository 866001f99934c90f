/**
 * Test factories built on the real domain services (no direct inserts unless a helper says so), so
 * integration tests exercise the same paths as the app. Every call makes unique emails and slugs.
 */
import { randomUUID } from "node:crypto";
import { signUp, createFacilitator as addFacilitatorAccount, type AccountSummary } from "../consultations/accounts";
import * as consultations from "../consultations/consultations";
import { getDb, type Db } from "../consultations/db/client";
import { createInvitations, type IssuedInvitation } from "../consultations/invitations";
import { joinWithInvitation, type JoinedParticipant } from "../consultations/participants";
import type { ParticipantIdentity, Viewer } from "../consultations/permissions";
import { nextPhase } from "../consultations/phases";
import { castVote } from "../consultations/votes";
import { submitPosition } from "../consultations/positions";
import { createSession, readSession } from "../consultations/sessions";
import type { Phase, VoteChoice } from "../consultations/schemas";

let counter = 0;
/** A short unique suffix: counter + randomness (unique across files sharing a worker, too). */
export function unique(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${counter}-${randomUUID().slice(0, 8)}`;
}

export const PASSWORD = "correct horse battery staple";

export interface Facilitator {
  account: AccountSummary;
  viewer: Viewer;
  email: string;
  password: string;
}

export function facilitatorViewer(account: AccountSummary): Viewer {
  return { account: { id: account.id, organisationId: account.organisationId, displayName: account.displayName }, participants: [] };
}

/** Signs up a new organisation and its first facilitator. */
export async function createFacilitator(opts: { organisationName?: string; displayName?: string } = {}): Promise<Facilitator> {
  const db = await getDb();
  const email = `${unique("fac")}@example.org`;
  const account = await signUp(db, {
    organisationName: opts.organisationName ?? `Network ${unique("org")}`,
    displayName: opts.displayName ?? "Facilitator",
    email,
    password: PASSWORD,
  });
  return { account, viewer: facilitatorViewer(account), email, password: PASSWORD };
}

/** Another facilitator in the same organisation. */
export async function createColleague(of: Facilitator): Promise<Facilitator> {
  const db = await getDb();
  const email = `${unique("colleague")}@example.org`;
  const account = await addFacilitatorAccount(db, of.account.organisationId, { email, displayName: "Colleague", password: PASSWORD });
  return { account, viewer: facilitatorViewer(account), email, password: PASSWORD };
}

export interface TestConsultation {
  id: string;
  slug: string;
  key: { slug: string };
  /** Group id by group name. */
  groups: Record<string, string>;
  /** Question ids, in order. */
  questions: string[];
}

export const DEFAULT_GROUPS = ["Peers who use drugs", "Sex workers", "Outreach workers", "Police", "Policymakers"];

/**
 * Creates a consultation with groups and questions, then moves it (one step at a time, as a facilitator
 * would) to `phase`. Questions can only be added in draft, so they are added before any move.
 */
export async function createConsultation(
  fac: Facilitator,
  opts: { groups?: string[]; questions?: string[]; phase?: Phase; slug?: string; title?: string; maxPositionLength?: number; languages?: string[] } = {},
): Promise<TestConsultation> {
  const db = await getDb();
  const groups = opts.groups ?? DEFAULT_GROUPS;
  const created = await consultations.createConsultation(db, fac.viewer, {
    title: opts.title ?? "Drug checking services",
    slug: opts.slug ?? unique("consultation"),
    description: "How should **drug checking** work in our city?",
    groups: groups.join("\n"),
    ...(opts.maxPositionLength ? { maxPositionLength: opts.maxPositionLength } : {}),
    ...(opts.languages ? { languages: opts.languages } : {}),
  });
  const key = { slug: created.slug };
  const questions: string[] = [];
  for (const title of opts.questions ?? ["Where should drug checking happen?"]) {
    questions.push((await consultations.addQuestion(db, fac.viewer, key, { title })).id);
  }
  const groupRows = await db.stakeholderGroup.findMany({ where: { consultationId: created.id }, select: { id: true, name: true } });
  const consultation: TestConsultation = {
    id: created.id,
    slug: created.slug,
    key,
    groups: Object.fromEntries(groupRows.map((g) => [g.name, g.id])),
    questions,
  };
  if (opts.phase) await moveToPhase(fac, consultation, opts.phase);
  return consultation;
}

/** Moves a consultation forward through movePhase until it reaches `phase`. */
export async function moveToPhase(fac: Facilitator, c: TestConsultation, phase: Phase): Promise<void> {
  const db = await getDb();
  let current = (await db.consultation.findUniqueOrThrow({ where: { id: c.id }, select: { phase: true } })).phase as Phase;
  while (current !== phase) {
    const to = nextPhase(current);
    if (!to) throw new Error(`cannot move from ${current} to ${phase}`);
    await consultations.movePhase(db, fac.viewer, c.key, { to });
    current = to;
  }
}

/** Issues invitations for a group (by name) and returns them with their plaintext codes. */
export async function invite(fac: Facilitator, c: TestConsultation, groupName: string, count = 1, extra: Record<string, unknown> = {}): Promise<IssuedInvitation[]> {
  const db = await getDb();
  const groupId = c.groups[groupName];
  if (!groupId) throw new Error(`no group ${groupName} in ${c.slug}`);
  return createInvitations(db, fac.viewer, c.key, { groupId, count, ...extra });
}

export interface Member {
  /** The viewer as the app sees it after joining (read back through the session). */
  viewer: Viewer;
  me: ParticipantIdentity;
  token: string;
  sessionId: string;
  recoveryCode: string;
  pseudonym: string;
  joined: JoinedParticipant;
}

/** The viewer for a participant row, without a session (for tests that do not care about sessions). */
export async function participantViewer(db: Db, participantId: string): Promise<Viewer> {
  const p = await db.participant.findUniqueOrThrow({ where: { id: participantId } });
  return {
    account: null,
    participants: [
      { id: p.id, consultationId: p.consultationId, groupId: p.groupId, pseudonym: p.pseudonym, status: p.status === "suspended" ? "suspended" : "active" },
    ],
  };
}

/**
 * A participant joins `c` in `groupName`: an invitation is issued, redeemed, a session created and read
 * back. Returns the Viewer the app would build from the session cookie.
 */
export async function joinParticipant(
  fac: Facilitator,
  c: TestConsultation,
  groupName: string,
  input: { pseudonym?: string; passphrase?: string } = {},
): Promise<Member> {
  const db = await getDb();
  const [invitation] = await invite(fac, c, groupName);
  const joined = await joinWithInvitation(db, invitation.code, input);
  const session = await createSession(db, { participantIds: [joined.participant.id] });
  const info = await readSession(db, session.token);
  if (!info) throw new Error("fresh session unreadable");
  return {
    viewer: info.viewer,
    me: info.viewer.participants[0],
    token: session.token,
    sessionId: session.sessionId,
    recoveryCode: joined.recoveryCode,
    pseudonym: joined.participant.pseudonym,
    joined,
  };
}

/** `n` participants of one group. */
export async function joinMany(fac: Facilitator, c: TestConsultation, groupName: string, n: number): Promise<Member[]> {
  const members: Member[] = [];
  for (let i = 0; i < n; i++) members.push(await joinParticipant(fac, c, groupName));
  return members;
}

/** Submits a position (the consultation must be in the positions phase). */
export async function submit(member: Member, c: TestConsultation, body = `A position ${unique("p")} that is long enough.`, questionId = c.questions[0]) {
  const db = await getDb();
  return submitPosition(db, member.viewer, c.key, questionId, { body });
}

/** Every member votes `choice` on a position. */
export async function voteAll(members: Member[], c: TestConsultation, positionId: string, choice: VoteChoice) {
  const db = await getDb();
  for (const m of members) await castVote(db, m.viewer, c.key, positionId, { choice });
}

/** Awaits a promise expected to fail with a DomainError and returns it (kind, message, status...). */
export async function domainError(promise: Promise<unknown>): Promise<{ kind: string; message: string; status: number; fieldErrors: Record<string, string[]> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name?: string; kind?: string; message: string; status: number; fieldErrors: Record<string, string[]> };
    if (e?.name !== "DomainError") throw error;
    return { kind: e.kind!, message: e.message, status: e.status, fieldErrors: e.fieldErrors };
  }
  throw new Error("expected a DomainError, but the call succeeded");
}

/** Every ConsultationEvent row of a consultation, oldest first, payload parsed. */
export async function eventsOf(consultationId: string) {
  const db = await getDb();
  const rows = await db.consultationEvent.findMany({ where: { consultationId }, orderBy: { seq: "asc" } });
  return rows.map((r) => ({ ...r, data: JSON.parse(r.payload) as Record<string, unknown> }));
}
