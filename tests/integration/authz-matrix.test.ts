/**
 * Authorization matrix: every page and every form action of the facilitator area and of the participant
 * area, requested through the real server build (tests/integration/http-harness.ts) by every role:
 *
 *   F1         facilitator of organisation O1, which runs consultation A
 *   peers, sexWorkers, outreach, police, policymakers
 *              one participant of A in each of A's five stakeholder groups
 *   PB         participant of consultation B (organisation O2): a participant of ANOTHER consultation
 *   F2         facilitator of organisation O2: a facilitator of ANOTHER organisation
 *   anonymous  no session
 *
 * The expected outcome of each row is derived from rules about roles (`expectedForPage`,
 * `expectedForAction`), never written per row. Denied actions must leave the database exactly as it
 * was; allowed ones must make their change. Separate cases cover objects of the other consultation
 * used through this one's URLs (IDOR), and pseudonymity of every participant page.
 */
import { getDb, type Db } from "../../consultations/db/client";
import * as comments from "../../consultations/comments";
import * as consultations from "../../consultations/consultations";
import { normaliseCode } from "../../consultations/crypto";
import * as invitations from "../../consultations/invitations";
import * as live from "../../consultations/live-sessions";
import * as moderation from "../../consultations/moderation";
import * as participants from "../../consultations/participants";
import type { Viewer } from "../../consultations/permissions";
import { sessionCookieName } from "../../app/session.server";
import {
  get,
  locationPath,
  routesFor,
  routeTable,
  ORIGIN,
  parseForms,
  post,
  SESSION_COOKIE,
} from "./http-harness";
import {
  ACTIONS,
  F1,
  PAGES,
  PARTICIPANT_PAGE_KINDS,
  PASSPHRASE,
  ROLES,
  type World,
  aKeyOf,
  changedTables,
  checkOutcome,
  cookieOf,
  expectedForAction,
  expectedForPage,
  freshWorld,
  markDirty,
  roleByName,
  secretsIn,
  sessionIdOfCookie,
  snapshot,
  status,
  viewerOf,
  who,
} from "./authz-world";

// ---- the tests -------------------------------------------------------------------------------------

describe("HTTP harness", () => {
  it("uses the app's session cookie name, and the build recognises a session made by the domain", async () => {
    expect(sessionCookieName()).toBe(SESSION_COOKIE);
    const w = await freshWorld();
    const signedIn = await get("/account", { cookie: w.cookies[F1] });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toContain(w.f1.email);
    const anonymous = await get("/account");
    expect(anonymous.status).toBe(302);
  });
});

describe("pages: every role on every page", () => {
  const cases = PAGES.flatMap((page) => ROLES.map((role) => ({ page, role })));

  it.each(cases.map((c) => [c.page.name, c.role.name, c] as const))("%s as %s", async (_page, _role, { page, role }) => {
    const w = await freshWorld();
    const db = await getDb();
    const path = page.path(w);
    const expected = expectedForPage(role, page.kind, path, w.a.slug);
    const before = await snapshot(db);
    const res = await get(path, { cookie: cookieOf(w, role) });
    checkOutcome(res, expected, `GET ${path} as ${role.name}`);
    // Reading never writes.
    expect(changedTables(before, await snapshot(db)), `GET ${path} as ${role.name} changed the database`).toEqual([]);
    if (PARTICIPANT_PAGE_KINDS.includes(page.kind)) {
      const allowCode = page.kind === "joinByCode" ? w.joinCode : undefined;
      expect(await secretsIn(db, w, res.body, { allowCode }), `GET ${path} as ${role.name} shows secrets`).toEqual([]);
    }
    // Nothing of the other organisation's consultation on O1's pages, and the reverse.
    if (res.status === 200 && page.kind === "anyFacilitator" && role.kind === "ownerFacilitator") expect(res.body).not.toContain(w.b.title);
    if (res.status === 200 && page.kind === "anyFacilitator" && role.kind === "otherFacilitator") expect(res.body).not.toContain(w.a.title);
    if (res.status === 404) expect(res.body).not.toContain(w.a.title);
  });
});

describe("actions: the forms are the real ones", () => {
  it.each(ACTIONS.map((spec) => [spec.name, spec] as const))("%s: its form is on its page", async (_name, spec) => {
    const w = await freshWorld();
    const db = await getDb();
    if (spec.prepare) {
      await spec.prepare(db, w);
      markDirty();
    }
    const page = await get(spec.formOn.path(w), { cookie: w.cookies[spec.formOn.role] });
    expect(page.status).toBe(200);
    const pageUrl = new URL(spec.formOn.path(w), ORIGIN);
    const target = new URL(spec.path(w), ORIGIN);
    const fields = spec.form(w);
    const matching = parseForms(page.body).filter((form) => {
      if (form.method !== "post") return false;
      const action = new URL(form.action ?? pageUrl.href, pageUrl);
      if (action.pathname !== target.pathname || action.search !== target.search) return false;
      const intents = [form.hidden.intent, ...form.buttons.filter((b) => b.name === "intent").map((b) => b.value)];
      if (fields.intent !== undefined && !intents.includes(fields.intent)) return false;
      return fields.id === undefined || form.hidden.id === fields.id;
    });
    expect(matching.length, `a <form method="post" action="${spec.path(w)}"> with intent=${fields.intent ?? "(none)"} on ${spec.formOn.path(w)}`).toBeGreaterThan(0);
    const form = matching[0];
    const names = new Set([...form.fields, ...form.buttons.map((b) => b.name)]);
    for (const name of Object.keys(fields)) expect(names.has(name), `field "${name}" in the ${fields.intent} form`).toBe(true);
  });
});

describe("actions: every role on every form", () => {
  const cases = ACTIONS.flatMap((spec) => ROLES.map((role) => ({ spec, role })));

  it.each(cases.map((c) => [c.spec.name, c.role.name, c] as const))("%s as %s", async (_action, _role, { spec, role }) => {
    const w = await freshWorld();
    const db = await getDb();
    if (spec.prepare) {
      await spec.prepare(db, w);
      markDirty();
    }
    const path = spec.path(w);
    const expected = expectedForAction(role, spec, path);
    expect(await spec.effect(db, w), "the effect is not there before the action").toBe(false);
    const before = await snapshot(db);

    const res = await post(path, spec.form(w), { cookie: cookieOf(w, role) });

    const changed = changedTables(before, await snapshot(db));
    if (changed.length || spec.prepare) markDirty();
    checkOutcome(res, expected, `POST ${path} (${spec.form(w).intent ?? spec.name}) as ${role.name}`);
    if (expected.changes) {
      expect(await spec.effect(db, w), `${spec.name} as ${role.name} did not take effect`).toBe(true);
      expect(changed.length).toBeGreaterThan(0);
    } else {
      expect(changed, `${spec.name} as ${role.name} was refused but changed the database`).toEqual([]);
      expect(await spec.effect(db, w)).toBe(false);
    }
    if ((spec.area === "participant" || spec.area === "public") && res.status !== 302) {
      const allowCode = spec.area === "public" ? w.joinCode : undefined;
      expect(await secretsIn(db, w, res.body, { allowCode }), `POST ${path} as ${role.name} shows secrets`).toEqual([]);
    }
    // Post/redirect/get: where an allowed action sends the browser is a page the same person may open.
    if (expected.statuses.includes(200) && res.status === 302) {
      const next = locationPath(res.location)!.split("#")[0];
      const page = await get(next, { cookie: cookieOf(w, role) });
      expect(page.status, `GET ${next} after ${spec.name}`).toBe(200);
      if (next.startsWith("/c/")) expect(await secretsIn(db, w, page.body)).toEqual([]);
    }
  });
});

/** Objects of one consultation reached through the other one's URLs, or someone else's content. */
interface IdorCase {
  name: string;
  role: string;
  method: "GET" | "POST";
  path: (w: World) => string;
  form?: (w: World) => Record<string, string>;
  /** The status; several when the route answers a no-op as success (nothing may change either way). */
  expected: number | number[];
  /** State the case needs first (done through the domain services). */
  prepare?: (db: Db, w: World) => Promise<void>;
  /** Must hold before and still hold after the request. */
  unchanged: (db: Db, w: World) => Promise<boolean>;
}

const PB = "PB (participant of B)";
const F2 = "F2 (facilitator of O2)";
const noVoteBy = (id: (w: World) => string) => async (db: Db, w: World) => (await db.vote.count({ where: { participantId: id(w) } })) === 0;
const positionVisible = (id: (w: World) => string) => async (db: Db, w: World) =>
  (await db.position.findUniqueOrThrow({ where: { id: id(w) } })).status === "visible";

const IDOR: IdorCase[] = [
  {
    name: "PB votes on A's position through B's position URL",
    role: PB,
    method: "POST",
    path: (w) => `/c/${w.b.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "vote", positionId: w.peerPositionId, choice: "agree" }),
    expected: 404,
    unchanged: noVoteBy((w) => w.pb.id),
  },
  {
    name: "PB votes on A's position through A's URL",
    role: PB,
    method: "POST",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "vote", positionId: w.peerPositionId, choice: "agree" }),
    expected: 404,
    unchanged: noVoteBy((w) => w.pb.id),
  },
  {
    name: "PB votes on A's position through B's vote-next page",
    role: PB,
    method: "POST",
    path: (w) => `/c/${w.b.slug}/next`,
    form: (w) => ({ intent: "vote", positionId: w.peerPositionId, choice: "agree" }),
    expected: 404,
    unchanged: noVoteBy((w) => w.pb.id),
  },
  {
    name: "PB votes on A's position through B's question page",
    role: PB,
    method: "POST",
    path: (w) => `/c/${w.b.slug}/q/${w.b.questionId}`,
    form: (w) => ({ intent: "vote", positionId: w.peerPositionId, choice: "agree" }),
    expected: 404,
    unchanged: noVoteBy((w) => w.pb.id),
  },
  {
    name: "PB comments on A's position through B's URL",
    role: PB,
    method: "POST",
    path: (w) => `/c/${w.b.slug}/p/${w.peerPositionId}`,
    form: () => ({ intent: "comment", stance: "for", body: "Sneaking in." }),
    expected: 404,
    unchanged: async (db, w) => (await db.comment.count({ where: { authorId: w.pb.id, positionId: w.peerPositionId } })) === 0,
  },
  {
    name: "PB flags A's comment through B's position page",
    role: PB,
    method: "POST",
    path: (w) => `/c/${w.b.slug}/p/${w.b.positionId}`,
    form: (w) => ({ intent: "flag", target: "comment", id: w.commentId, reason: "Cross-consultation flag." }),
    expected: 404,
    unchanged: async (db, w) => (await db.flag.count({ where: { reporterId: w.pb.id } })) === 0,
  },
  {
    name: "PB posts a position on A's question through B's URL",
    role: PB,
    method: "POST",
    path: (w) => `/c/${w.b.slug}/q/${w.a.questionId}`,
    form: () => ({ intent: "submit", body: "A position for the wrong consultation." }),
    expected: 404,
    unchanged: async (db, w) => (await db.position.count({ where: { authorId: w.pb.id } })) === 1,
  },
  {
    name: "PB reads A's position through B's URL",
    role: PB,
    method: "GET",
    path: (w) => `/c/${w.b.slug}/p/${w.peerPositionId}`,
    expected: 404,
    unchanged: async () => true,
  },
  {
    name: "PB reads A's question through B's URL",
    role: PB,
    method: "GET",
    path: (w) => `/c/${w.b.slug}/q/${w.a.questionId}`,
    expected: 404,
    unchanged: async () => true,
  },
  {
    name: "a participant of A votes on B's position through A's URL",
    role: who("outreach"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/p/${w.b.positionId}`,
    form: (w) => ({ intent: "vote", positionId: w.b.positionId, choice: "disagree" }),
    expected: 404,
    unchanged: noVoteBy((w) => w.people.outreach.id),
  },
  {
    name: "a participant of A votes on B's position through A's vote-next page",
    role: who("outreach"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/next`,
    form: (w) => ({ intent: "vote", positionId: w.b.positionId, choice: "disagree" }),
    expected: 404,
    unchanged: noVoteBy((w) => w.people.outreach.id),
  },
  {
    name: "a participant of A posts on B's question through A's URL",
    role: who("outreach"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/q/${w.b.questionId}`,
    form: () => ({ intent: "submit", body: "A position for the wrong consultation." }),
    expected: 404,
    unchanged: async (db, w) => (await db.position.count({ where: { authorId: w.people.outreach.id } })) === 0,
  },
  {
    name: "a participant of A withdraws B's position through A's question page",
    role: who("peers"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/q/${w.a.questionId}`,
    form: (w) => ({ intent: "withdraw", id: w.b.positionId }),
    expected: 404,
    unchanged: positionVisible((w) => w.b.positionId),
  },
  {
    name: "a participant of A reads B's position through A's URL",
    role: who("outreach"),
    method: "GET",
    path: (w) => `/c/${w.a.slug}/p/${w.b.positionId}`,
    expected: 404,
    unchanged: async () => true,
  },
  {
    name: "a participant of A edits another participant's position",
    role: who("sexWorkers"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: () => ({ intent: "edit", body: "Someone else's words now." }),
    expected: 403,
    unchanged: async (db, w) => (await db.position.findUniqueOrThrow({ where: { id: w.peerPositionId } })).editedAt === null,
  },
  {
    name: "a participant of A withdraws another participant's position by id",
    role: who("police"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/q/${w.a.questionId}`,
    form: (w) => ({ intent: "withdraw", id: w.peerPositionId }),
    expected: 403,
    unchanged: positionVisible((w) => w.peerPositionId),
  },
  {
    name: "a participant of A edits another participant's comment",
    role: who("police"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "comment-edit", id: w.commentId, stance: "against", body: "Rewritten by someone else." }),
    expected: 403,
    unchanged: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.commentId } })).editedAt === null,
  },
  {
    name: "F1 hides B's position through A's moderation page",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "hide", target: "position", id: w.b.positionId, reason: "Not ours." }),
    expected: 404,
    unchanged: positionVisible((w) => w.b.positionId),
  },
  {
    name: "F1 hides B's position through A's position page",
    role: F1,
    method: "POST",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "hide", target: "position", id: w.b.positionId, reason: "Not ours." }),
    expected: 404,
    unchanged: positionVisible((w) => w.b.positionId),
  },
  {
    name: "F1 suspends PB through A's moderation page",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "suspend", id: w.pb.id, reason: "Not ours." }),
    expected: 404,
    unchanged: async (db, w) => (await db.participant.findUniqueOrThrow({ where: { id: w.pb.id } })).status === "active",
  },
  {
    name: "F1 revokes B's invitation through A's invitations page",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/invitations`,
    form: (w) => ({ intent: "revoke", id: w.b.openInvitationId }),
    expected: 404,
    unchanged: async (db, w) => (await db.invitation.findUniqueOrThrow({ where: { id: w.b.openInvitationId } })).revokedAt === null,
  },
  {
    name: "F1 creates invitations for B's group through A's invitations page",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/invitations`,
    form: (w) => ({ intent: "create", groupId: w.b.groupId, count: "2", validDays: "30", label: "" }),
    expected: 404,
    unchanged: async (db, w) => (await db.invitation.count({ where: { groupId: w.b.groupId } })) === 2,
  },
  {
    name: "F1 reads B's position through A's URL",
    role: F1,
    method: "GET",
    path: (w) => `/c/${w.a.slug}/p/${w.b.positionId}`,
    expected: 404,
    unchanged: async () => true,
  },
  {
    name: "F2 signs out F1's session through the account page (session id of another account)",
    role: F2,
    method: "POST",
    path: () => "/account",
    form: (w) => ({ intent: "revoke-session", sessionId: sessionIdOfCookie.get(w.cookies[F1]!)! }),
    expected: 404,
    unchanged: async (db, w) => (await db.session.count({ where: { id: sessionIdOfCookie.get(w.cookies[F1]!)! } })) === 1,
  },
  {
    name: "PB comes back into A with B's pseudonym and passphrase",
    role: PB,
    method: "POST",
    path: (w) => `/c/${w.a.slug}/return`,
    form: (w) => ({ method: "passphrase", pseudonym: w.pb.pseudonym, passphrase: PASSPHRASE }),
    expected: 422,
    unchanged: async (db, w) => (await db.sessionParticipant.count({ where: { participantId: w.pb.id } })) === 1,
  },
  {
    name: "PB comes back into A with B's recovery code",
    role: PB,
    method: "POST",
    path: (w) => `/c/${w.a.slug}/return`,
    form: (w) => ({ method: "recovery", recoveryCode: w.recoveryCodes[w.recoveryCodes.length - 1] }),
    expected: 422,
    unchanged: async (db, w) => (await db.sessionParticipant.count({ where: { participantId: w.pb.id } })) === 1,
  },
  {
    name: "a participant of A comes back into B with A's pseudonym and passphrase",
    role: "anonymous",
    method: "POST",
    path: (w) => `/c/${w.b.slug}/return`,
    form: (w) => ({ method: "passphrase", pseudonym: w.people.peers.pseudonym, passphrase: PASSPHRASE }),
    expected: 422,
    unchanged: async (db, w) => (await db.sessionParticipant.count({ where: { participantId: w.people.peers.id } })) === 1,
  },
  {
    name: "F1 keeps (dismisses flags of) B's position through A's moderation page",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "keep", target: "position", id: w.b.positionId }),
    expected: 404,
    unchanged: async () => true,
  },
  {
    name: "F1 hides B's comment through A's moderation page",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "hide", target: "comment", id: w.b.commentId, reason: "Not ours." }),
    expected: 404,
    unchanged: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.b.commentId } })).status === "visible",
  },
  {
    name: "F1 restores B's hidden position through A's moderation page",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "restore", target: "position", id: w.b.positionId }),
    prepare: async (db, w) => {
      const f2 = await viewerOf(db, w.cookies[F2]!);
      await moderation.hideContent(db, f2, { slug: w.b.slug }, "position", w.b.positionId, { reason: "Hidden in B." });
    },
    expected: 404,
    unchanged: async (db, w) => (await db.position.findUniqueOrThrow({ where: { id: w.b.positionId } })).status === "hidden",
  },
  {
    name: "F1 reinstates a suspended participant of B through A's moderation page",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/moderation`,
    form: (w) => ({ intent: "reinstate", id: w.pb.id }),
    prepare: async (db, w) => {
      const f2 = await viewerOf(db, w.cookies[F2]!);
      await participants.suspendParticipant(db, f2, { slug: w.b.slug }, w.pb.id, { reason: "Suspended in B." });
    },
    expected: 404,
    unchanged: async (db, w) => (await db.participant.findUniqueOrThrow({ where: { id: w.pb.id } })).status === "suspended",
  },
  {
    name: "F1 revokes B's invitation batch through A's invitations page (a no-op at most)",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/invitations`,
    form: (w) => ({ intent: "revoke-batch", id: w.b.batchId }),
    expected: [200, 404],
    unchanged: async (db, w) => (await db.invitation.count({ where: { batchId: w.b.batchId, revokedAt: null } })) > 0,
  },
  {
    name: "F1 edits B's question through A's questions page (A in draft)",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/questions`,
    form: (w) => ({ intent: "update-question", id: w.b.questionId, title: "Rewritten from A", context: "" }),
    prepare: async (db, w) => {
      await consultations.movePhase(db, w.viewers.f1, aKeyOf(w), { to: "draft" });
    },
    expected: 404,
    unchanged: async (db, w) => (await db.question.findUniqueOrThrow({ where: { id: w.b.questionId } })).title === "Where should outreach go?",
  },
  {
    name: "F1 removes B's question through A's questions page (A in draft)",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/questions`,
    form: (w) => ({ intent: "remove-question", id: w.b.questionId, confirm: "yes" }),
    prepare: async (db, w) => {
      await consultations.movePhase(db, w.viewers.f1, aKeyOf(w), { to: "draft" });
    },
    expected: 404,
    unchanged: async (db, w) => (await db.question.count({ where: { id: w.b.questionId } })) === 1,
  },
  {
    name: "F1 renames B's group through A's groups page (A in draft)",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/groups`,
    form: (w) => ({ intent: "update-group", id: w.b.groupId, name: "Renamed from A", description: "" }),
    prepare: async (db, w) => {
      await consultations.movePhase(db, w.viewers.f1, aKeyOf(w), { to: "draft" });
    },
    expected: 404,
    unchanged: async (db, w) => (await db.stakeholderGroup.findUniqueOrThrow({ where: { id: w.b.groupId } })).name === "Residents",
  },
  {
    name: "F1 removes B's group through A's groups page (A in draft)",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/groups`,
    form: (w) => ({ intent: "remove-group", id: w.b.groupId, confirm: "yes" }),
    prepare: async (db, w) => {
      await consultations.movePhase(db, w.viewers.f1, aKeyOf(w), { to: "draft" });
    },
    expected: 404,
    unchanged: async (db, w) => (await db.stakeholderGroup.count({ where: { id: w.b.groupId } })) === 1,
  },
  {
    name: "a participant of A flags B's position through A's position page",
    role: who("outreach"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "flag", target: "position", id: w.b.positionId, reason: "Cross-consultation flag." }),
    expected: 404,
    unchanged: async (db, w) => (await db.flag.count({ where: { reporterId: w.people.outreach.id } })) === 0,
  },
  {
    name: "a participant of A edits B's comment through A's position page",
    role: who("outreach"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "comment-edit", id: w.b.commentId, stance: "against", body: "Rewritten from A." }),
    expected: 404,
    unchanged: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.b.commentId } })).editedAt === null,
  },
  {
    name: "a participant of A withdraws B's comment through A's position page",
    role: who("outreach"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "comment-withdraw", id: w.b.commentId }),
    expected: 404,
    unchanged: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.b.commentId } })).status === "visible",
  },
  {
    name: "a participant of A replies under B's comment on A's position",
    role: who("outreach"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "comment", parentId: w.b.commentId, stance: "neutral", body: "A reply across consultations." }),
    expected: 404,
    unchanged: async (db, w) => (await db.comment.count({ where: { authorId: w.people.outreach.id } })) === 0,
  },
  {
    name: "F1 hides B's comment through A's position page",
    role: F1,
    method: "POST",
    path: (w) => `/c/${w.a.slug}/p/${w.peerPositionId}`,
    form: (w) => ({ intent: "hide", target: "comment", id: w.b.commentId, reason: "Not ours." }),
    expected: 404,
    unchanged: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.b.commentId } })).status === "visible",
  },
  {
    name: "F2 hides A's position through B's moderation page",
    role: F2,
    method: "POST",
    path: (w) => `/facilitate/${w.b.slug}/moderation`,
    form: (w) => ({ intent: "hide", target: "position", id: w.peerPositionId, reason: "Not ours." }),
    expected: 404,
    unchanged: positionVisible((w) => w.peerPositionId),
  },
  {
    name: "F2 suspends A's participant through B's moderation page",
    role: F2,
    method: "POST",
    path: (w) => `/facilitate/${w.b.slug}/moderation`,
    form: (w) => ({ intent: "suspend", id: w.people.peers.id, reason: "Not ours." }),
    expected: 404,
    unchanged: async (db, w) => (await db.participant.findUniqueOrThrow({ where: { id: w.people.peers.id } })).status === "active",
  },
  {
    name: "F1 spotlights B's position through A's live console",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/live`,
    form: (w) => ({ intent: "spotlight", id: w.b.positionId }),
    expected: 404,
    unchanged: async (db, w) => (await db.liveSpotlight.count({ where: { positionId: w.b.positionId } })) === 0,
  },
  {
    name: "F1 approves B's comment through A's live console",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/live`,
    form: (w) => ({ intent: "approve", id: w.b.commentId }),
    prepare: async (db, w) => {
      await db.comment.update({ where: { id: w.b.commentId }, data: { status: "held" } });
    },
    expected: 404,
    unchanged: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.b.commentId } })).status === "held",
  },
  {
    name: "F1 hides B's comment through A's live console",
    role: F1,
    method: "POST",
    path: (w) => `/facilitate/${w.a.slug}/live`,
    form: (w) => ({ intent: "hide", id: w.b.commentId, reason: "Not ours." }),
    expected: 404,
    unchanged: async (db, w) => (await db.comment.findUniqueOrThrow({ where: { id: w.b.commentId } })).status === "visible",
  },
  {
    name: "F1 reads the timeline of B's live session through A's console",
    role: F1,
    method: "GET",
    path: (w) => `/facilitate/${w.a.slug}/live?session=${encodeURIComponent(bLiveSessionId)}`,
    prepare: async (db, w) => {
      const f2 = await viewerOf(db, w.cookies[F2]!);
      bLiveSessionId = (await live.openSession(db, f2, { slug: w.b.slug }, {})).id;
    },
    expected: 404,
    unchanged: async () => true,
  },
  {
    name: "F2 spotlights A's position through B's live console",
    role: F2,
    method: "POST",
    path: (w) => `/facilitate/${w.b.slug}/live`,
    form: (w) => ({ intent: "spotlight", id: w.peerPositionId }),
    prepare: async (db, w) => {
      const f2 = await viewerOf(db, w.cookies[F2]!);
      await live.openSession(db, f2, { slug: w.b.slug }, {});
    },
    expected: 404,
    unchanged: async (db, w) => (await db.liveSpotlight.count({ where: { positionId: w.peerPositionId } })) === 1,
  },
  {
    name: "PB votes on A's spotlighted position through B's live page",
    role: PB,
    method: "POST",
    path: (w) => `/c/${w.b.slug}/live`,
    form: (w) => ({ intent: "vote", positionId: w.peerPositionId, choice: "agree" }),
    expected: 404,
    unchanged: noVoteBy((w) => w.pb.id),
  },
  {
    name: "a participant of A votes on B's position through A's live page",
    role: who("outreach"),
    method: "POST",
    path: (w) => `/c/${w.a.slug}/live`,
    form: (w) => ({ intent: "vote", positionId: w.b.positionId, choice: "agree" }),
    expected: 404,
    unchanged: noVoteBy((w) => w.people.outreach.id),
  },
];

/** The id of B's live session, opened by a case that needs it (see IDOR above). */
let bLiveSessionId = "none";

describe("IDOR: objects of another consultation, content of another person", () => {
  it.each(IDOR.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const w = await freshWorld();
    const db = await getDb();
    if (c.prepare) {
      await c.prepare(db, w);
      markDirty();
    }
    const role = roleByName(c.role);
    const path = c.path(w);
    expect(await c.unchanged(db, w), "precondition").toBe(true);
    const before = await snapshot(db);
    const res =
      c.method === "GET" ? await get(path, { cookie: cookieOf(w, role) }) : await post(path, c.form!(w), { cookie: cookieOf(w, role) });
    const changed = changedTables(before, await snapshot(db));
    if (changed.length) markDirty();
    const statuses = Array.isArray(c.expected) ? c.expected : [c.expected];
    checkOutcome(res, { label: statuses.join(" or "), statuses, changes: false }, `${c.method} ${path} as ${role.name}`);
    expect(changed, `${c.name}: the database changed`).toEqual([]);
    expect(await c.unchanged(db, w)).toBe(true);
    if (path.startsWith("/c/")) expect(await secretsIn(db, w, res.body)).toEqual([]);
  });
});

describe("pseudonymity on participant pages", () => {
  it("the secret detector finds what it looks for", async () => {
    const w = await freshWorld();
    const db = await getDb();
    const leaky = `<p>${w.f1.email}</p><input value="${w.people.peers.id}"><b>${w.recoveryCodes[0]}</b>${normaliseCode(w.invitationCodes[1])}`;
    expect(await secretsIn(db, w, leaky)).toHaveLength(4);
  });
});

/** Loaders and actions that are not about who may do what in a consultation, and why. */
const NOT_IN_MATRIX: Record<string, string> = {
  "routes/login:action": "signs the requester in with their own email and password",
  "routes/signup:action": "creates a new organisation and account for the requester",
  "routes/logout:loader": "only redirects home",
  "routes/logout:action": "ends the requester's own session",
  "routes/language:action": "sets the requester's own language cookie (languages-http.test.ts)",
  // The synthesis and report routes need a finished synthesis run: tests/integration/authz-reports.test.ts
  // covers them for every role (facilitator, participants, other organisation, anonymous).
  "routes/facilitate.$slug.synthesis:action": "covered by authz-reports.test.ts (needs a synthesis run)",
  "routes/facilitate.$slug.synthesis.download:loader": "covered by authz-reports.test.ts (needs a synthesis run)",
  "routes/reports.$slug._index:loader": "covered by authz-reports.test.ts (needs a published report)",
  "routes/reports.$slug[.]md:loader": "covered by authz-reports.test.ts (needs a published report)",
  "routes/reports.$slug[.]html:loader": "covered by authz-reports.test.ts (needs a published report)",
  "routes/reports.$slug[.]json:loader": "covered by authz-reports.test.ts (needs a published report)",
  "routes/reports.$slug[.]csv:loader": "covered by authz-reports.test.ts (needs a published report)",
};

describe("route inventory", () => {
  it("every loader and action of the build is in the matrix above (or excluded with a reason)", async () => {
    const w = await freshWorld();
    const table = await routeTable();
    const covered = new Set<string>();
    const cover = (method: string, path: string) => {
      for (const route of routesFor(table, method, path)) covered.add(`${route.id}:${method === "GET" ? "loader" : "action"}`);
    };
    for (const page of PAGES) cover("GET", page.path(w));
    for (const spec of ACTIONS) cover("POST", spec.path(w));
    for (const c of IDOR) cover(c.method, c.path(w));
    const required = table.flatMap((route) => [
      ...(route.hasLoader ? [`${route.id}:loader`] : []),
      ...(route.hasAction ? [`${route.id}:action`] : []),
    ]);
    expect(required.length).toBeGreaterThan(20);
    expect(required.filter((key) => !covered.has(key) && !(key in NOT_IN_MATRIX))).toEqual([]);
    for (const key of Object.keys(NOT_IN_MATRIX)) expect(required, `stale exclusion ${key}`).toContain(key);
  });
});
