/**
 * The fixture world, roles, pages and form actions of the route x role matrix (authz-matrix.test.ts),
 * shared with the hostile-input sweep (hostile-forms.test.ts): one organisation's consultation A with a
 * participant in each of its five groups, another organisation's consultation B, and every page and
 * form of the facilitator and participant areas with who may use it (rules, never per-row values).
 */
import { getDb, type Db } from "../../consultations/db/client";
import * as accounts from "../../consultations/accounts";
import * as comments from "../../consultations/comments";
import * as consultations from "../../consultations/consultations";
import { normaliseCode } from "../../consultations/crypto";
import * as invitations from "../../consultations/invitations";
import * as live from "../../consultations/live-sessions";
import * as moderation from "../../consultations/moderation";
import * as participants from "../../consultations/participants";
import type { Viewer } from "../../consultations/permissions";
import * as positions from "../../consultations/positions";
import * as proxy from "../../consultations/proxy";
import { createSession, readSession } from "../../consultations/sessions";
import { resetDatabase } from "../setup/db";
import { applicationTables, restoreRows, saveRows, tableRows, type SavedRows } from "../setup/dialect";
import {
  get,
  locationPath,
  ORIGIN,
  post,
  sessionCookie,
  type HttpResult,
} from "./http-harness";

// ---- roles ---------------------------------------------------------------------------------------

export const GROUPS = [
  { key: "peers", name: "Peers who use drugs", pseudonym: "Quiet Heron" },
  { key: "sexWorkers", name: "Sex workers", pseudonym: "Amber Finch" },
  { key: "outreach", name: "Outreach workers", pseudonym: "Steady Oak" },
  { key: "police", name: "Police", pseudonym: "Blue Lantern" },
  { key: "policymakers", name: "Policymakers", pseudonym: "Paper Crane" },
] as const;
export type GroupKey = (typeof GROUPS)[number]["key"];

export type RoleKind = "ownerFacilitator" | "participantOfA" | "participantOfB" | "otherFacilitator" | "anonymous";
export interface Role {
  name: string;
  kind: RoleKind;
  /** For participants of A: their stakeholder group. */
  group?: GroupKey;
}

export const ROLES: Role[] = [
  { name: "F1 (facilitator of A)", kind: "ownerFacilitator" },
  ...GROUPS.map((g): Role => ({ name: `participant of A (${g.key})`, kind: "participantOfA", group: g.key })),
  { name: "PB (participant of B)", kind: "participantOfB" },
  { name: "F2 (facilitator of O2)", kind: "otherFacilitator" },
  { name: "anonymous", kind: "anonymous" },
];

export const hasAccount = (role: Role) => role.kind === "ownerFacilitator" || role.kind === "otherFacilitator";
/** Who may read consultation A at all (permissions.ts: its organisation's facilitators and its participants). */
export const mayReadA = (role: Role) => role.kind === "ownerFacilitator" || role.kind === "participantOfA";

// ---- the fixture world ---------------------------------------------------------------------------

export const PASSWORD = "correct horse battery staple";
export const PASSPHRASE = "a quiet walk by the river";

export interface World {
  f1: { id: string; email: string; organisationId: string };
  f2: { id: string; email: string; organisationId: string };
  a: { id: string; slug: string; title: string; questionId: string; groupIds: Record<GroupKey, string> };
  b: {
    id: string;
    slug: string;
    title: string;
    questionId: string;
    groupId: string;
    positionId: string;
    commentId: string;
    openInvitationId: string;
    batchId: string;
  };
  people: Record<GroupKey, { id: string; pseudonym: string }>;
  pb: { id: string; pseudonym: string };
  /** The peer's position in A (in the spotlight of A's open live session), the sex worker's comment on it; police flagged the position. */
  peerPositionId: string;
  commentId: string;
  /** Open invitations of A: one to show /join/<code>, one to revoke. */
  joinCode: string;
  revokableInvitationId: string;
  /** Every invitation and recovery code handed out (formatted, as people read them). */
  invitationCodes: string[];
  recoveryCodes: string[];
  cookies: Record<string, string | null>;
  viewers: { f1: Viewer; people: Record<GroupKey, Viewer>; pb: Viewer };
}

export async function viewerOf(db: Db, cookie: string): Promise<Viewer> {
  const token = cookie.slice(cookie.indexOf("=") + 1);
  const info = await readSession(db, token);
  if (!info) throw new Error("fixture session not readable");
  return info.viewer;
}

/** Session ids by cookie, for the cases that name a session. */
export const sessionIdOfCookie = new Map<string, string>();

export async function newCookie(db: Db, owner: { accountId?: string; participantIds?: string[] }): Promise<string> {
  const { token, sessionId } = await createSession(db, owner);
  const cookie = sessionCookie(token);
  sessionIdOfCookie.set(cookie, sessionId);
  return cookie;
}

export async function buildWorld(db: Db): Promise<World> {
  const invitationCodes: string[] = [];
  const recoveryCodes: string[] = [];

  // O1, F1, consultation A with five groups and one question, open for positions.
  const f1 = await accounts.signUp(db, { organisationName: "Network One", displayName: "Fiona One", email: "fiona.one@o1.example.org", password: PASSWORD });
  const f1Cookie = await newCookie(db, { accountId: f1.id });
  const f1Viewer = await viewerOf(db, f1Cookie);
  const aKey = { slug: "harm-reduction-a" };
  const a = await consultations.createConsultation(db, f1Viewer, {
    title: "Consultation Alpha on drug checking",
    slug: aKey.slug,
    description: "How should drug checking work in our city?",
    groups: GROUPS.map((g) => g.name).join("\n"),
  });
  const aQuestion = await consultations.addQuestion(db, f1Viewer, aKey, { title: "What should drug checking services offer?", context: "Think about access." });
  await consultations.movePhase(db, f1Viewer, aKey, { to: "positions" });
  const aGroups = await db.stakeholderGroup.findMany({ where: { consultationId: a.id }, select: { id: true, name: true } });
  const groupIds = Object.fromEntries(GROUPS.map((g) => [g.key, aGroups.find((row) => row.name === g.name)!.id])) as Record<GroupKey, string>;
  // The outreach workers' group may enter positions for peers (consultations/proxy.ts).
  await proxy.setGroupOutreach(db, f1Viewer, aKey, groupIds.outreach, { outreach: "on" });

  // One participant per group, each joining with an invitation of their group.
  const people = {} as World["people"];
  const peopleCookies = {} as Record<GroupKey, string>;
  const peopleViewers = {} as Record<GroupKey, Viewer>;
  for (const g of GROUPS) {
    const [inv] = await invitations.createInvitations(db, f1Viewer, aKey, { groupId: groupIds[g.key], count: 1 });
    invitationCodes.push(inv.code);
    const joined = await participants.joinWithInvitation(db, inv.code, { pseudonym: g.pseudonym, passphrase: PASSPHRASE });
    recoveryCodes.push(joined.recoveryCode);
    people[g.key] = { id: joined.participant.id, pseudonym: joined.participant.pseudonym };
    peopleCookies[g.key] = await newCookie(db, { participantIds: [joined.participant.id] });
    peopleViewers[g.key] = await viewerOf(db, peopleCookies[g.key]);
  }

  // Two more open invitations of A: one for the join page, one to revoke.
  const spare = await invitations.createInvitations(db, f1Viewer, aKey, { groupId: groupIds.outreach, count: 2, label: "spare" });
  invitationCodes.push(...spare.map((inv) => inv.code));

  // A position by the peer, a comment on it by the sex worker, a flag on the position by the police officer.
  const peerPosition = await positions.submitPosition(db, peopleViewers.peers, aKey, aQuestion.id, {
    body: "Drug checking should be free, anonymous and open in the evenings.",
  });
  const comment = await comments.postComment(db, peopleViewers.sexWorkers, aKey, peerPosition.id, {
    body: "Yes, and also available at festivals.",
    stance: "for",
  });
  await moderation.flagContent(db, peopleViewers.police, aKey, "position", peerPosition.id, { reason: "Looks like advertising." });

  // A live session of A is open, with the peer's position in the spotlight (comments are not held).
  await live.openSession(db, f1Viewer, aKey, { holdComments: false });
  await live.spotlight(db, f1Viewer, aKey, peerPosition.id);

  // O2, F2, consultation B with its own participant PB and a position.
  const f2 = await accounts.signUp(db, { organisationName: "Network Two", displayName: "Frank Two", email: "frank.two@o2.example.org", password: PASSWORD });
  const f2Cookie = await newCookie(db, { accountId: f2.id });
  const f2Viewer = await viewerOf(db, f2Cookie);
  const bKey = { slug: "sex-work-b" };
  const b = await consultations.createConsultation(db, f2Viewer, {
    title: "Consultation Bravo on outreach",
    slug: bKey.slug,
    description: "Outreach in the other city.",
    groups: "Residents\nOutreach workers",
  });
  const bQuestion = await consultations.addQuestion(db, f2Viewer, bKey, { title: "Where should outreach go?", context: "" });
  await consultations.movePhase(db, f2Viewer, bKey, { to: "positions" });
  const bGroup = await db.stakeholderGroup.findFirstOrThrow({ where: { consultationId: b.id, name: "Residents" }, select: { id: true } });
  const [bInv, bOpen] = await invitations.createInvitations(db, f2Viewer, bKey, { groupId: bGroup.id, count: 2 });
  invitationCodes.push(bInv.code, bOpen.code);
  const pbJoined = await participants.joinWithInvitation(db, bInv.code, { pseudonym: "Distant Kite", passphrase: PASSPHRASE });
  recoveryCodes.push(pbJoined.recoveryCode);
  const pbCookie = await newCookie(db, { participantIds: [pbJoined.participant.id] });
  const pbViewer = await viewerOf(db, pbCookie);
  const bPosition = await positions.submitPosition(db, pbViewer, bKey, bQuestion.id, {
    body: "Outreach should visit the train station every night.",
  });
  const bComment = await comments.postComment(db, pbViewer, bKey, bPosition.id, { body: "And on Sundays.", stance: "for" });
  const bBatch = await db.invitation.findUniqueOrThrow({ where: { id: bOpen.id }, select: { batchId: true } });

  const cookies: Record<string, string | null> = {
    "F1 (facilitator of A)": f1Cookie,
    "PB (participant of B)": pbCookie,
    "F2 (facilitator of O2)": f2Cookie,
    anonymous: null,
  };
  for (const g of GROUPS) cookies[`participant of A (${g.key})`] = peopleCookies[g.key];

  return {
    f1: { id: f1.id, email: f1.email, organisationId: f1.organisationId },
    f2: { id: f2.id, email: f2.email, organisationId: f2.organisationId },
    a: { id: a.id, slug: a.slug, title: "Consultation Alpha on drug checking", questionId: aQuestion.id, groupIds },
    b: {
      id: b.id,
      slug: b.slug,
      title: "Consultation Bravo on outreach",
      questionId: bQuestion.id,
      groupId: bGroup.id,
      positionId: bPosition.id,
      commentId: bComment.id,
      openInvitationId: bOpen.id,
      batchId: bBatch.batchId,
    },
    people,
    pb: { id: pbJoined.participant.id, pseudonym: pbJoined.participant.pseudonym },
    peerPositionId: peerPosition.id,
    commentId: comment.id,
    joinCode: spare[0].code,
    revokableInvitationId: spare[1].id,
    invitationCodes,
    recoveryCodes,
    cookies,
    viewers: { f1: f1Viewer, people: peopleViewers, pb: pbViewer },
  };
}

/**
 * One world at a time. It is built once through the domain services and saved (VACUUM INTO) next to
 * this file's database; a case that changed the database (or prepared it) marks it dirty, and the next
 * case gets the saved rows back (same ids, same session tokens). Denied requests must not change the
 * database (each case asserts it), so most cases share one restored world.
 */
let world: World | undefined;
let dirty = true;

/** The case changed the database (or prepared it): the next case gets the saved world back. */
export function markDirty(): void {
  dirty = true;
}
/** The world's rows as built, in memory: a dirty case gets exactly these back (same ids, same tokens). */
let savedWorld: SavedRows | undefined;

export async function freshWorld(): Promise<World> {
  if (world && !dirty) return world;
  const db = await getDb();
  if (!world) {
    await resetDatabase();
    world = await buildWorld(db);
    savedWorld = await saveRows(db);
  } else {
    await restoreRows(db, savedWorld!);
  }
  dirty = false;
  return world;
}

export const cookieOf = (w: World, role: Role) => w.cookies[role.name] ?? null;

// ---- database snapshots --------------------------------------------------------------------------

/** Every row of every application table except sessions (reads may refresh a session's lastSeenAt). */
export async function snapshot(db: Db): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await applicationTables(db, { except: ["Session", "SessionParticipant"] })) {
    out.set(name, JSON.stringify(await tableRows(db, name), (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)));
  }
  return out;
}

/** Tables whose rows differ, with their row counts before -> after. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [name, rows] of after) {
    const old = before.get(name);
    if (old !== rows) changed.push(`${name} (${old ? JSON.parse(old).length : 0} -> ${JSON.parse(rows).length} rows)`);
  }
  return changed;
}

// ---- pseudonymity --------------------------------------------------------------------------------

/** What no participant page may show: facilitators' emails, participant ids, recovery and invitation codes. */
export async function secretsIn(db: Db, w: World, body: string, { allowCode }: { allowCode?: string } = {}): Promise<string[]> {
  const found: string[] = [];
  const lower = body.toLowerCase();
  const emails = await db.account.findMany({ select: { email: true } });
  for (const { email } of emails) if (lower.includes(email.toLowerCase())) found.push(`facilitator email ${email}`);
  const ids = await db.participant.findMany({ select: { id: true, pseudonym: true } });
  for (const { id, pseudonym } of ids) if (lower.includes(id.toLowerCase())) found.push(`participant id of ${pseudonym}`);
  const allowed = allowCode ? normaliseCode(allowCode) : null;
  const upper = body.toUpperCase();
  for (const code of w.invitationCodes) {
    if (normaliseCode(code) === allowed) continue;
    if (upper.includes(code) || upper.includes(normaliseCode(code))) found.push(`invitation code ${code}`);
  }
  for (const code of w.recoveryCodes) {
    if (upper.includes(code) || upper.includes(normaliseCode(code))) found.push(`recovery code ${code}`);
  }
  return found;
}

// ---- expectations --------------------------------------------------------------------------------

export interface Expected {
  /** Human-readable, shown in the test name. */
  label: string;
  statuses: number[];
  /** For redirects: the exact path (and query) it must go to, or a test of it. */
  location?: string | ((path: string) => boolean);
  /** Whether the request is allowed to (and must) change the database. */
  changes: boolean;
}

export const ok = (label = "200"): Expected => ({ label, statuses: [200], changes: false });
export const status = (code: number): Expected => ({ label: String(code), statuses: [code], changes: false });
export const redirectTo = (path: string): Expected => ({ label: `302 -> ${path}`, statuses: [302], location: path, changes: false });
/** The login page, coming back to the requested page (app/paths.ts loginPath; `?index` is dropped). */
export const toLogin = (path: string): Expected => {
  const url = new URL(path, ORIGIN);
  url.searchParams.delete("index");
  return redirectTo(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
};

export type PageKind =
  | "public" // anyone
  | "guestOnly" // login / signup: signed-in facilitators are sent to their dashboard
  | "anyFacilitator" // the facilitator's own dashboard and account
  | "facilitatorOfA" // consultation A's facilitator area
  | "participantOfA" // consultation A's participant pages
  | "returnToA" // "come back" page of A
  | "joinByCode" // /join/<code>: the code is the authorization
  | "outreachOfA" // proxy entry: only participants of A's outreach group (facilitators and other participants 403)
  | "ownDataOfA"; // "Your data" and its download: only the participant themself (A's facilitators 403)

/** The rule: what a role gets for a page of this kind. */
export function expectedForPage(role: Role, kind: PageKind, path: string, slugA: string): Expected {
  switch (kind) {
    case "public":
    case "joinByCode":
      return ok();
    case "guestOnly":
      return hasAccount(role) ? redirectTo("/facilitate") : ok();
    case "anyFacilitator":
      return hasAccount(role) ? ok() : toLogin(path);
    case "facilitatorOfA":
      // Another organisation's facilitator learns nothing (404); without an account: sign in first.
      if (role.kind === "ownerFacilitator") return ok();
      if (role.kind === "otherFacilitator") return status(404);
      return toLogin(path);
    case "participantOfA":
      if (mayReadA(role)) return ok();
      if (role.kind === "anonymous") return redirectTo(`/c/${slugA}/return`);
      return status(404); // participants of other consultations, other organisations' facilitators
    case "outreachOfA":
      if (role.kind === "participantOfA") return role.group === "outreach" ? ok() : status(403);
      if (role.kind === "ownerFacilitator") return status(403);
      if (role.kind === "anonymous") return redirectTo(`/c/${slugA}/return`);
      return status(404);
    case "ownDataOfA":
      // Each participant of A gets their own data; a facilitator of A is refused (never someone else's data).
      if (role.kind === "participantOfA") return ok();
      if (role.kind === "ownerFacilitator") return status(403);
      if (role.kind === "anonymous") return redirectTo(`/c/${slugA}/return`);
      return status(404);
    case "returnToA":
      // Someone this session already knows in A goes straight in; everyone else gets the forms.
      return mayReadA(role) ? redirectTo(`/c/${slugA}`) : ok();
  }
}

/**
 * Who may take an action, among the people of consultation A:
 * - "facilitator": A's facilitators;
 * - "anyParticipant": every active participant of A;
 * - { author }: only the participant of that group (it is their content);
 * - { notAuthor }: every participant of A but that group's (no votes or flags on one's own content);
 * - "readers": whoever may read A (facilitators and participants), and nothing may change;
 * - "anyone": the form carries its own authorization (an invitation code) or is not about A.
 */
export type Actor = "facilitator" | "anyParticipant" | { author: GroupKey } | { notAuthor: GroupKey } | "readers" | "anyone";

export function participantMay(actor: Actor, group: GroupKey): boolean {
  if (actor === "anyParticipant" || actor === "readers" || actor === "anyone") return true;
  if (actor === "facilitator") return false;
  if ("author" in actor) return actor.author === group;
  return actor.notAuthor !== group;
}

/** The rule for actions: area decides how outsiders are turned away, the actor who may act. */
export function expectedForAction(role: Role, spec: ActionSpec, path: string): Expected {
  const home = { facilitate: `/facilitate/${SLUG_A}`, participant: `/c/${SLUG_A}`, facilitatorAccount: "/facilitate/", public: "/" }[spec.area];
  const success: Expected = {
    label: "allowed (200 or 302 back into the area)",
    statuses: [200, 302],
    location: (to) => to.startsWith(home),
    changes: spec.actor !== "readers",
  };
  // The invitation code (or the form's own secrets) is the authorization: whoever holds it may send it.
  if (spec.area === "public") return success;
  if (spec.area === "facilitatorAccount") return hasAccount(role) ? success : toLogin(path);
  if (spec.area === "facilitate") {
    if (role.kind === "ownerFacilitator") return success;
    if (role.kind === "otherFacilitator") return status(404);
    return toLogin(path);
  }
  // Participant area: the domain decides (401 anonymous, 404 outsiders, 403 wrong role or not yours).
  switch (role.kind) {
    case "anonymous":
      // The action refuses with 401; a document post then runs the page's loader, which sends the
      // visitor to the consultation's "come back" page (never to the facilitators' sign-in).
      return { label: `401 or 302 -> /c/${SLUG_A}/return`, statuses: [401, 302], location: `/c/${SLUG_A}/return`, changes: false };
    case "participantOfB":
    case "otherFacilitator":
      return status(404);
    case "ownerFacilitator":
      return spec.actor === "facilitator" || spec.actor === "readers" ? success : status(403);
    case "participantOfA":
      return participantMay(spec.actor, role.group!) ? success : status(403);
  }
}

// ---- the routes ------------------------------------------------------------------------------------

export const SLUG_A = "harm-reduction-a";

export interface PageSpec {
  name: string;
  kind: PageKind;
  path: (w: World) => string;
}

export const PAGES: PageSpec[] = [
  { name: "landing page", kind: "public", path: () => "/" },
  { name: "join form", kind: "public", path: () => "/join" },
  { name: "language menu", kind: "public", path: () => "/language" },
  { name: "interface texts (Portuguese)", kind: "public", path: () => "/locales/pt.json" },
  { name: "login", kind: "guestOnly", path: () => "/login" },
  { name: "signup", kind: "guestOnly", path: () => "/signup" },
  { name: "account", kind: "anyFacilitator", path: () => "/account" },
  { name: "facilitator dashboard", kind: "anyFacilitator", path: () => "/facilitate" },
  { name: "new consultation", kind: "anyFacilitator", path: () => "/facilitate/new" },
  { name: "facilitate: overview", kind: "facilitatorOfA", path: (w) => `/facilitate/${w.a.slug}` },
  { name: "facilitate: questions", kind: "facilitatorOfA", path: (w) => `/facilitate/${w.a.slug}/questions` },
  { name: "facilitate: groups", kind: "facilitatorOfA", path: (w) => `/facilitate/${w.a.slug}/groups` },
  { name: "facilitate: invitations", kind: "facilitatorOfA", path: (w) => `/facilitate/${w.a.slug}/invitations` },
  { name: "facilitate: moderation", kind: "facilitatorOfA", path: (w) => `/facilitate/${w.a.slug}/moderation` },
  { name: "facilitate: synthesis and report", kind: "facilitatorOfA", path: (w) => `/facilitate/${w.a.slug}/synthesis` },
  { name: "facilitate: live session", kind: "facilitatorOfA", path: (w) => `/facilitate/${w.a.slug}/live` },
  { name: "facilitate: live session, searched", kind: "facilitatorOfA", path: () => `/facilitate/${SLUG_A}/live?q=drug&sort=most-voted` },
  { name: "facilitate: audit log", kind: "facilitatorOfA", path: (w) => `/facilitate/${w.a.slug}/audit` },
  { name: "facilitate: audit log, page 2", kind: "facilitatorOfA", path: (w) => `/facilitate/${w.a.slug}/audit?page=2` },
  { name: "facilitate: audit log as CSV", kind: "facilitatorOfA", path: (w) => `/facilitate/${w.a.slug}/audit.csv` },
  { name: "consultation page", kind: "participantOfA", path: (w) => `/c/${w.a.slug}` },
  { name: "consultation page, sorted", kind: "participantOfA", path: (w) => `/c/${w.a.slug}?sort=most-voted` },
  { name: "question page", kind: "participantOfA", path: (w) => `/c/${w.a.slug}/q/${w.a.questionId}` },
  { name: "position page", kind: "participantOfA", path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}` },
  { name: "position page, edit open", kind: "participantOfA", path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}?edit=1` },
  { name: "vote next", kind: "participantOfA", path: (w) => `/c/${w.a.slug}/next` },
  { name: "vote next on a question", kind: "participantOfA", path: (w) => `/c/${w.a.slug}/next?q=${w.a.questionId}` },
  { name: "live session", kind: "participantOfA", path: (w) => `/c/${w.a.slug}/live` },
  { name: "come back", kind: "returnToA", path: (w) => `/c/${w.a.slug}/return` },
  { name: "join with a code", kind: "joinByCode", path: (w) => `/join/${w.joinCode}` },
  { name: "your data", kind: "ownDataOfA", path: (w) => `/c/${w.a.slug}/my-data` },
  { name: "your data: JSON download", kind: "ownDataOfA", path: (w) => `/c/${w.a.slug}/my-data.json` },
  { name: "proxy entry (outreach workers)", kind: "outreachOfA", path: (w) => `/c/${w.a.slug}/proxy` },
  { name: "consent code for an outreach worker", kind: "participantOfA", path: (w) => `/c/${w.a.slug}/consent` },
];

export const PARTICIPANT_PAGE_KINDS: PageKind[] = ["participantOfA", "returnToA", "joinByCode", "outreachOfA", "ownDataOfA"];

export interface ActionSpec {
  name: string;
  /**
   * facilitate: consultation A's facilitator area; participant: A's participant pages;
   * facilitatorAccount: pages of any signed-in facilitator; public: forms anyone may send.
   */
  area: "facilitate" | "participant" | "facilitatorAccount" | "public";
  actor: Actor;
  /** Where the form is posted (what the page's <form action> says). */
  path: (w: World) => string;
  form: (w: World) => Record<string, string>;
  /** The page (and the role) that shows this form: checked once, so the fields above are the real ones. */
  formOn: { path: (w: World) => string; role: string };
  /** State the action needs first (done through the domain services). */
  prepare?: (db: Db, w: World) => Promise<void>;
  /** True once the action took effect (checked before and after). */
  effect: (db: Db, w: World) => Promise<boolean>;
}

export const F1 = "F1 (facilitator of A)";

/**
 * The sex worker's comment, as a live session that holds comments leaves a new one: "held". (Set in
 * place so the comment keeps its id in the forms; holding itself is tested in live-sessions.test.ts.)
 */
export async function holdTheComment(db: Db, w: World): Promise<void> {
  await live.setHoldComments(db, w.viewers.f1, { slug: w.a.slug }, { holdComments: true });
  await db.comment.update({ where: { id: w.commentId }, data: { status: "held" } });
}
export const who = (group: GroupKey) => `participant of A (${group})`;
export const aKeyOf = (w: World) => ({ slug: w.a.slug });

/** The peer's consent code, made by the case that enters a position with it (see ACTIONS). */
let proxyConsentCode = "none";

export const ACTIONS: ActionSpec[] = [
  // ---- facilitator area
  {
    name: "facilitate: move phase",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}?index`,
    form: () => ({ intent: "move-phase", to: "deliberation" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}`, role: F1 },
    effect: async (db, w) => (await db.consultation.findUniqueOrThrow({ where: { id: w.a.id } })).phase === "deliberation",
  },
  {
    name: "facilitate: edit details",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}?index`,
    form: (w) => ({ intent: "details", title: "A changed title", slug: w.a.slug, description: "Changed.", maxPositionLength: "600" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}`, role: F1 },
    effect: async (db, w) => (await db.consultation.findUniqueOrThrow({ where: { id: w.a.id } })).title === "A changed title",
  },
  {
    name: "facilitate: add question (draft)",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/questions`,
    form: () => ({ intent: "add-question", title: "Who should run the services?", context: "" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/questions`, role: F1 },
    prepare: async (db, w) => {
      await consultations.movePhase(db, w.viewers.f1, aKeyOf(w), { to: "draft" });
    },
    effect: async (db, w) => (await db.question.count({ where: { consultationId: w.a.id } })) === 2,
  },
  {
    name: "facilitate: add group (draft)",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/groups`,
    form: () => ({ intent: "add-group", name: "Pharmacists", description: "" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/groups`, role: F1 },
    prepare: async (db, w) => {
      await consultations.movePhase(db, w.viewers.f1, aKeyOf(w), { to: "draft" });
    },
    effect: async (db, w) => (await db.stakeholderGroup.count({ where: { consultationId: w.a.id } })) === 6,
  },
  {
    name: "facilitate: create invitations",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/invitations`,
    form: (w) => ({ intent: "create", groupId: w.a.groupIds.police, count: "3", validDays: "30", label: "station" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/invitations`, role: F1 },
    effect: async (db, w) => (await db.invitation.count({ where: { consultationId: w.a.id, label: "station" } })) === 3,
  },
  {
    name: "facilitate: revoke an invitation",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/invitations`,
    form: (w) => ({ intent: "revoke", id: w.revokableInvitationId }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/invitations`, role: F1 },
    effect: async (db, w) => (await db.invitation.findUniqueOrThrow({ where: { id: w.revokableInvitationId } })).revokedAt !== null,
  },
  {
    name: "facilitate: hide a flagged position",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "hide", target: "position", id: w.peerPositionId, reason: "Off topic." }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/moderation`, role: F1 },
    effect: async (db, w) => (await db.position.findUniqueOrThrow({ where: { id: w.peerPositionId } })).status === "hidden",
  },
  {
    name: "facilitate: keep a flagged position",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "keep", target: "position", id: w.peerPositionId }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/moderation`, role: F1 },
    effect: async (db, w) => (await db.flag.count({ where: { positionId: w.peerPositionId, resolvedAt: null } })) === 0,
  },
  {
    name: "facilitate: restore a hidden comment",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "restore", target: "comment", id: w.commentId }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/moderation`, role: F1 },
    prepare: async (db, w) => {
      await moderation.hideContent(db, w.viewers.f1, aKeyOf(w), "comment", w.commentId, { reason: "Too personal." });
    },
    effect: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.commentId } })).status === "visible",
  },
  {
    name: "facilitate: suspend a participant",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "suspend", id: w.people.police.id, reason: "Repeated abuse." }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/moderation`, role: F1 },
    effect: async (db, w) => (await db.participant.findUniqueOrThrow({ where: { id: w.people.police.id } })).status === "suspended",
  },
  {
    name: "facilitate: reinstate a participant",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "reinstate", id: w.people.police.id }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/moderation`, role: F1 },
    prepare: async (db, w) => {
      await participants.suspendParticipant(db, w.viewers.f1, aKeyOf(w), w.people.police.id, { reason: "Cooling off." });
    },
    effect: async (db, w) => (await db.participant.findUniqueOrThrow({ where: { id: w.people.police.id } })).status === "active",
  },
  {
    name: "facilitate: live: open a session",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/live`,
    form: () => ({ intent: "open", holdComments: "on" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/live`, role: F1 },
    prepare: async (db, w) => {
      await live.closeSession(db, w.viewers.f1, aKeyOf(w));
    },
    effect: async (db, w) => (await db.liveSession.count({ where: { consultationId: w.a.id, closedAt: null } })) === 1,
  },
  {
    name: "facilitate: live: spotlight a position",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/live`,
    form: (w) => ({ intent: "spotlight", id: w.peerPositionId }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/live`, role: F1 },
    prepare: async (db, w) => {
      await live.spotlight(db, w.viewers.f1, aKeyOf(w), null);
    },
    effect: async (db, w) => (await db.liveSpotlight.count({ where: { positionId: w.peerPositionId, endedAt: null } })) === 1,
  },
  {
    name: "facilitate: live: clear the spotlight",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/live`,
    form: () => ({ intent: "clear" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/live`, role: F1 },
    effect: async (db, w) => (await db.liveSpotlight.count({ where: { positionId: w.peerPositionId, endedAt: null } })) === 0,
  },
  {
    name: "facilitate: live: hold new comments",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/live`,
    form: () => ({ intent: "hold", holdComments: "on" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/live`, role: F1 },
    effect: async (db, w) => (await db.liveSession.count({ where: { consultationId: w.a.id, closedAt: null, holdComments: true } })) === 1,
  },
  {
    name: "facilitate: live: close the session",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/live`,
    form: () => ({ intent: "close" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/live`, role: F1 },
    effect: async (db, w) => (await db.liveSession.count({ where: { consultationId: w.a.id, closedAt: null } })) === 0,
  },
  {
    name: "facilitate: live: approve a held comment",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/live`,
    form: (w) => ({ intent: "approve", id: w.commentId }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/live`, role: F1 },
    prepare: holdTheComment,
    effect: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.commentId } })).status === "visible",
  },
  {
    name: "facilitate: live: hide a held comment",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/live`,
    form: (w) => ({ intent: "hide", id: w.commentId, reason: "Not for this meeting." }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/live`, role: F1 },
    prepare: holdTheComment,
    effect: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.commentId } })).status === "hidden",
  },
  // ---- participant area
  {
    name: "participant: post a position",
    area: "participant",
    actor: "anyParticipant",
    path: (w) => `/c/${w.a.slug}/q/${w.a.questionId}`,
    form: () => ({ intent: "submit", body: "Services should also test for nitazenes." }),
    formOn: { path: (w) => `/c/${w.a.slug}/q/${w.a.questionId}`, role: who("outreach") },
    effect: async (db, w) => (await db.position.count({ where: { consultationId: w.a.id } })) === 2,
  },
  {
    name: "participant: preview a position (reads only)",
    area: "participant",
    actor: "readers",
    path: (w) => `/c/${w.a.slug}/q/${w.a.questionId}`,
    form: () => ({ intent: "preview", body: "A **bold** idea for the services." }),
    formOn: { path: (w) => `/c/${w.a.slug}/q/${w.a.questionId}`, role: who("outreach") },
    effect: async () => false,
  },
  {
    name: "participant: vote on the position page",
    area: "participant",
    actor: { notAuthor: "peers" },
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "vote", positionId: w.peerPositionId, returnTo: `/c/${w.a.slug}/p/${w.peerPositionId}`, choice: "agree" }),
    formOn: { path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`, role: who("police") },
    effect: async (db, w) => (await db.vote.count({ where: { positionId: w.peerPositionId } })) === 1,
  },
  {
    name: "participant: vote on the vote-next page",
    area: "participant",
    actor: { notAuthor: "peers" },
    path: (w) => `/c/${w.a.slug}/next`,
    form: (w) => ({ intent: "vote", positionId: w.peerPositionId, returnTo: `/c/${w.a.slug}/next`, choice: "disagree" }),
    formOn: { path: (w) => `/c/${w.a.slug}/next`, role: who("police") },
    effect: async (db, w) => (await db.vote.count({ where: { positionId: w.peerPositionId } })) === 1,
  },
  {
    name: "participant: vote on the live session page",
    area: "participant",
    actor: { notAuthor: "peers" },
    path: (w) => `/c/${w.a.slug}/live`,
    form: (w) => ({ intent: "vote", positionId: w.peerPositionId, returnTo: `/c/${w.a.slug}/live`, choice: "agree" }),
    formOn: { path: (w) => `/c/${w.a.slug}/live`, role: who("police") },
    effect: async (db, w) => (await db.vote.count({ where: { positionId: w.peerPositionId } })) === 1,
  },
  {
    name: "participant: comment",
    area: "participant",
    actor: "anyParticipant",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "comment", returnTo: `/c/${w.a.slug}/p/${w.peerPositionId}`, stance: "against", body: "Evenings are not enough." }),
    formOn: { path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`, role: who("police") },
    effect: async (db, w) => (await db.comment.count({ where: { positionId: w.peerPositionId } })) === 2,
  },
  {
    name: "participant: flag a comment",
    area: "participant",
    actor: { notAuthor: "sexWorkers" },
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "flag", target: "comment", id: w.commentId, reason: "Personal attack." }),
    formOn: { path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`, role: who("police") },
    effect: async (db, w) => (await db.flag.count({ where: { commentId: w.commentId } })) === 1,
  },
  {
    name: "participant: edit own position",
    area: "participant",
    actor: { author: "peers" },
    // The edit form opens on ?edit=1, and a form without an action posts to the page's own URL.
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}?edit=1`,
    form: () => ({ intent: "edit", body: "Drug checking should be free and open every day." }),
    formOn: { path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}?edit=1`, role: who("peers") },
    effect: async (db, w) => (await db.position.findUniqueOrThrow({ where: { id: w.peerPositionId } })).editedAt !== null,
  },
  {
    name: "participant: withdraw own position (position page)",
    area: "participant",
    actor: { author: "peers" },
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "withdraw", id: w.peerPositionId, returnTo: `/c/${w.a.slug}/p/${w.peerPositionId}` }),
    formOn: { path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`, role: who("peers") },
    effect: async (db, w) => (await db.position.findUniqueOrThrow({ where: { id: w.peerPositionId } })).status === "withdrawn",
  },
  {
    name: "participant: withdraw own position (question page)",
    area: "participant",
    actor: { author: "peers" },
    path: (w) => `/c/${w.a.slug}/q/${w.a.questionId}`,
    form: (w) => ({ intent: "withdraw", id: w.peerPositionId, returnTo: `/c/${w.a.slug}/q/${w.a.questionId}` }),
    formOn: { path: (w) => `/c/${w.a.slug}/q/${w.a.questionId}`, role: who("peers") },
    effect: async (db, w) => (await db.position.findUniqueOrThrow({ where: { id: w.peerPositionId } })).status === "withdrawn",
  },
  {
    name: "participant: edit own comment",
    area: "participant",
    actor: { author: "sexWorkers" },
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "comment-edit", id: w.commentId, returnTo: `/c/${w.a.slug}/p/${w.peerPositionId}`, stance: "neutral", body: "Festivals too, maybe." }),
    formOn: { path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`, role: who("sexWorkers") },
    effect: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.commentId } })).editedAt !== null,
  },
  {
    name: "participant: withdraw own comment",
    area: "participant",
    actor: { author: "sexWorkers" },
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "comment-withdraw", id: w.commentId, returnTo: `/c/${w.a.slug}/p/${w.peerPositionId}` }),
    formOn: { path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`, role: who("sexWorkers") },
    effect: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.commentId } })).status === "withdrawn",
  },
  {
    name: "position page: facilitator hides the position",
    area: "participant",
    actor: "facilitator",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "hide", target: "position", id: w.peerPositionId, returnTo: `/c/${w.a.slug}/p/${w.peerPositionId}`, reason: "Off topic." }),
    formOn: { path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`, role: F1 },
    effect: async (db, w) => (await db.position.findUniqueOrThrow({ where: { id: w.peerPositionId } })).status === "hidden",
  },
  {
    name: "position page: facilitator restores a hidden comment",
    area: "participant",
    actor: "facilitator",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "restore", target: "comment", id: w.commentId, returnTo: `/c/${w.a.slug}/p/${w.peerPositionId}` }),
    formOn: { path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`, role: F1 },
    prepare: async (db, w) => {
      await moderation.hideContent(db, w.viewers.f1, aKeyOf(w), "comment", w.commentId, { reason: "Too personal." });
    },
    effect: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.commentId } })).status === "visible",
  },
  // ---- proxy entry (consultations/proxy.ts)
  {
    name: "facilitate: mark a group as outreach",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}/groups`,
    form: (w) => ({ intent: "set-outreach", id: w.a.groupIds.police, outreach: "on" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}/groups`, role: F1 },
    effect: async (db, w) => (await db.stakeholderGroup.findUniqueOrThrow({ where: { id: w.a.groupIds.police } })).outreach,
  },
  {
    name: "participant: make a consent code for an outreach worker",
    area: "participant",
    actor: "anyParticipant",
    path: (w) => `/c/${w.a.slug}/consent`,
    form: () => ({ intent: "create" }),
    formOn: { path: (w) => `/c/${w.a.slug}/consent`, role: who("peers") },
    effect: async (db, w) => (await db.proxyConsent.count({ where: { consultationId: w.a.id } })) === 1,
  },
  {
    // { author: "outreach" }: only the participant of the outreach group (the only group marked outreach).
    name: "participant: enter a position for a peer under a new pseudonym",
    area: "participant",
    actor: { author: "outreach" },
    path: (w) => `/c/${w.a.slug}/proxy`,
    form: (w) => ({ intent: "enter-new", groupId: w.a.groupIds.peers, pseudonym: "", questionId: w.a.questionId, body: "Drug checking vans should come to the shelters.", consented: "on" }),
    formOn: { path: (w) => `/c/${w.a.slug}/proxy`, role: who("outreach") },
    effect: async (db, w) => (await db.position.count({ where: { consultationId: w.a.id, enteredByProxy: true } })) === 1,
  },
  {
    name: "participant: enter a position for a peer with their consent code",
    area: "participant",
    actor: { author: "outreach" },
    path: (w) => `/c/${w.a.slug}/proxy`,
    form: (w) => ({ intent: "enter-existing", consentCode: proxyConsentCode, questionId: w.a.questionId, body: "Drug checking vans should come to the shelters.", consented: "on" }),
    formOn: { path: (w) => `/c/${w.a.slug}/proxy`, role: who("outreach") },
    prepare: async (db, w) => {
      proxyConsentCode = (await proxy.createConsentCode(db, w.viewers.people.peers, aKeyOf(w))).code;
    },
    effect: async (db, w) => (await db.position.count({ where: { consultationId: w.a.id, enteredByProxy: true, authorId: w.people.peers.id } })) === 1,
  },
  // ---- participant rights (consultations/participant-rights.ts)
  {
    name: "facilitate: privacy settings (draft)",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}?index`,
    form: () => ({ intent: "privacy", erasureMode: "remove", eraseSignInOnPublish: "on", minGroupSize: "6" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}`, role: F1 },
    prepare: async (db, w) => {
      await consultations.movePhase(db, w.viewers.f1, aKeyOf(w), { to: "draft" });
    },
    effect: async (db, w) => (await db.consultation.findUniqueOrThrow({ where: { id: w.a.id } })).erasureMode === "remove",
  },
  // ---- languages (consultations/consultation-languages.ts)
  {
    name: "facilitate: consultation languages",
    area: "facilitate",
    actor: "facilitator",
    path: (w) => `/facilitate/${w.a.slug}?index`,
    form: () => ({ intent: "languages", mainLanguage: "en", languages: "pt" }),
    formOn: { path: (w) => `/facilitate/${w.a.slug}`, role: F1 },
    effect: async (db, w) => (await db.consultation.findUniqueOrThrow({ where: { id: w.a.id } })).languages === "en,pt",
  },
  {
    // Each participant erases only themself: whoever posts it, one participant of A ends up erased.
    name: "participant: erase own participation",
    area: "participant",
    actor: "anyParticipant",
    path: (w) => `/c/${w.a.slug}/my-data`,
    form: () => ({ intent: "erase", confirm: "yes" }),
    formOn: { path: (w) => `/c/${w.a.slug}/my-data`, role: who("police") },
    effect: async (db, w) => (await db.participant.count({ where: { consultationId: w.a.id, status: "erased" } })) === 1,
  },
  // ---- outside one consultation
  {
    name: "facilitator: create a consultation",
    area: "facilitatorAccount",
    actor: "anyone",
    path: () => "/facilitate/new",
    form: () => ({ title: "A brand new consultation", slug: "brand-new-one", description: "New.", maxPositionLength: "600", groups: "Peers\nPolice" }),
    formOn: { path: () => "/facilitate/new", role: F1 },
    effect: async (db) => (await db.consultation.count({ where: { slug: "brand-new-one" } })) === 1,
  },
  {
    name: "join with an invitation code",
    area: "public",
    actor: "anyone",
    path: (w) => `/join/${w.joinCode}`,
    form: () => ({ pseudonym: "", passphrase: "" }),
    formOn: { path: (w) => `/join/${w.joinCode}`, role: "anonymous" },
    effect: async (db, w) => (await invitations.findInvitation(db, w.joinCode).then(() => false, () => true)),
  },
];

// ---- helpers for the cases -------------------------------------------------------------------------

export function roleByName(name: string): Role {
  const role = ROLES.find((r) => r.name === name);
  if (!role) throw new Error(`unknown role ${name}`);
  return role;
}

export function checkOutcome(res: HttpResult, expected: Expected, context: string) {
  const where = locationPath(res.location);
  const detail = `${context}: got ${res.status}${where ? ` -> ${where}` : ""}; expected ${expected.label}\n${res.status >= 400 ? res.body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 400) : ""}`;
  expect(expected.statuses, detail).toContain(res.status);
  if (res.status >= 300 && res.status < 400) {
    expect(where, detail).not.toBeNull();
    if (typeof expected.location === "string") expect(where, detail).toBe(expected.location);
    else if (expected.location) expect(expected.location(where!), detail).toBe(true);
    else throw new Error(`${detail}: unexpected redirect`);
  }
}
