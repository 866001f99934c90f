/**
 * The audit log (consultations/audit.ts, audit-log.ts, /facilitate/:slug/audit and its CSV): every
 * audited facilitator action writes exactly one entry with the right pseudonymous actor, action and
 * target, in the same transaction as the action; refused or failed actions write none; actor numbers are
 * stable per consultation and unrelated across consultations; the page and the CSV show no email or
 * account id, only the consultation's facilitators may read them, and the CSV is formula-safe.
 */
import { audit, AUDIT_ACTIONS, type AuditAction } from "../../consultations/audit";
import * as auditLog from "../../consultations/audit-log";
import { findConsultation } from "../../consultations/access";
import * as comments from "../../consultations/comments";
import * as consultations from "../../consultations/consultations";
import { getDb } from "../../consultations/db/client";
import * as invitations from "../../consultations/invitations";
import * as live from "../../consultations/live-sessions";
import * as moderation from "../../consultations/moderation";
import * as participants from "../../consultations/participants";
import * as synthesis from "../../consultations/synthesis-runs";
import { commit } from "../../consultations/unit-of-work";
import { parseCsv } from "../../consultations/polis/csv";
import {
  createColleague,
  createConsultation,
  createFacilitator,
  domainError,
  invite,
  joinMany,
  joinParticipant,
  moveToPhase,
  submit,
  type Facilitator,
  type TestConsultation,
} from "../factories";
import { get, locationPath, post, signedIn } from "./http-harness";
import { FAKE_ENGINE, synthesisWorld } from "./synthesis-world";

vi.setConfig({ testTimeout: 60_000 });

interface Entry {
  seq: number;
  actor: string;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  detail: string | null;
  reason: string | null;
}

/** The consultation's entries with seq > after, oldest first, with the actor as the page names it. */
async function entriesAfter(consultationId: string, after: number): Promise<Entry[]> {
  const db = await getDb();
  const rows = await db.auditEntry.findMany({
    where: { consultationId, seq: { gt: after } },
    orderBy: { seq: "asc" },
    select: { seq: true, action: true, targetKind: true, targetId: true, detail: true, reason: true, actor: { select: { number: true } } },
  });
  return rows.map((r) => ({ ...r, actor: r.actor ? `Facilitator ${r.actor.number}` : "Schedule" }));
}

async function lastSeq(consultationId: string): Promise<number> {
  const db = await getDb();
  return (await db.auditEntry.findFirst({ where: { consultationId }, orderBy: { seq: "desc" }, select: { seq: true } }))?.seq ?? 0;
}

/** Runs `action` and returns the one entry it must have written. */
async function onlyEntryOf(c: { id: string }, action: () => Promise<unknown>): Promise<Entry> {
  const before = await lastSeq(c.id);
  await action();
  const added = await entriesAfter(c.id, before);
  expect(added, "exactly one audit entry").toHaveLength(1);
  return added[0];
}

/** Runs `action`, expects a DomainError of `kind`, and that nothing was written to the log. */
async function noEntryWhenRefused(c: { id: string }, kind: string, action: () => Promise<unknown>): Promise<void> {
  const before = await lastSeq(c.id);
  expect((await domainError(action())).kind).toBe(kind);
  expect(await entriesAfter(c.id, before)).toEqual([]);
}

async function moderationWorld() {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const author = await joinParticipant(fac, c, "Peers who use drugs");
  const [officer, other] = await joinMany(fac, c, "Police", 2);
  const position = await submit(author, c, "Drug checking at every festival, peer-led.");
  const db = await getDb();
  const comment = await comments.postComment(db, officer.viewer, c.key, position.id, { stance: "against", body: "Not at every festival, surely." });
  return { fac, c, author, officer, other, position, commentId: (comment as { id: string }).id };
}

describe("moderation actions write one entry each", () => {
  it("hide / restore positions and comments, flag dismissals, suspension and reinstatement", async () => {
    const db = await getDb();
    const { fac, c, author, officer, other, position, commentId } = await moderationWorld();

    // Hiding a position: actor, action, target and the reason.
    expect(await onlyEntryOf(c, () => moderation.hideContent(db, fac.viewer, c.key, "position", position.id, { reason: "Names a person." }))).toMatchObject({
      actor: "Facilitator 1",
      action: "position.hidden",
      targetKind: "position",
      targetId: position.id,
      reason: "Names a person.",
    });
    // Restoring it.
    expect(await onlyEntryOf(c, () => moderation.restoreContent(db, fac.viewer, c.key, "position", position.id))).toMatchObject({
      actor: "Facilitator 1",
      action: "position.restored",
      targetKind: "position",
      targetId: position.id,
      reason: null,
    });
    // A comment, hidden and restored.
    expect(await onlyEntryOf(c, () => moderation.hideContent(db, fac.viewer, c.key, "comment", commentId, { reason: "Hostile." }))).toMatchObject({
      action: "comment.hidden",
      targetKind: "comment",
      targetId: commentId,
      reason: "Hostile.",
    });
    expect(await onlyEntryOf(c, () => moderation.restoreContent(db, fac.viewer, c.key, "comment", commentId))).toMatchObject({
      action: "comment.restored",
      targetKind: "comment",
      targetId: commentId,
    });
    // Dismissing the flags on a position: one entry however many flags.
    await moderation.flagContent(db, officer.viewer, c.key, "position", position.id, { reason: "Looks like an advert." });
    await moderation.flagContent(db, other.viewer, c.key, "position", position.id, { reason: "Spam." });
    expect(await onlyEntryOf(c, () => moderation.dismissFlags(db, fac.viewer, c.key, "position", position.id))).toMatchObject({
      action: "flags.dismissed",
      targetKind: "position",
      targetId: position.id,
      detail: "2 flags",
    });
    // Suspending and reinstating: the target is the participant (shown as the pseudonym), with the reason.
    expect(await onlyEntryOf(c, () => participants.suspendParticipant(db, fac.viewer, c.key, author.me.id, { reason: "Threats." }))).toMatchObject({
      action: "participant.suspended",
      targetKind: "participant",
      targetId: author.me.id,
      reason: "Threats.",
    });
    expect(await onlyEntryOf(c, () => participants.reinstateParticipant(db, fac.viewer, c.key, author.me.id))).toMatchObject({
      action: "participant.reinstated",
      targetKind: "participant",
      targetId: author.me.id,
    });
    const page = await auditLog.listAudit(db, fac.viewer, c.key, {});
    expect(page.entries[0]).toMatchObject({ action: "participant.reinstated", targetLabel: author.pseudonym, actor: "Facilitator 1" });
  });

  it("refused and failed moderation writes nothing", async () => {
    const db = await getDb();
    const { fac, c, author, officer, position } = await moderationWorld();
    const outsider = await createFacilitator();
    // A participant cannot hide (403); another organisation's facilitator does not see the consultation (404).
    await noEntryWhenRefused(c, "forbidden", () => moderation.hideContent(db, officer.viewer, c.key, "position", position.id, { reason: "Mine now." }));
    await noEntryWhenRefused(c, "not_found", () => moderation.hideContent(db, outsider.viewer, c.key, "position", position.id, { reason: "Mine now." }));
    await noEntryWhenRefused(c, "not_found", () => participants.suspendParticipant(db, outsider.viewer, c.key, author.me.id, { reason: "No." }));
    // Bad input (no reason), nothing to restore, an unknown participant.
    await noEntryWhenRefused(c, "invalid", () => moderation.hideContent(db, fac.viewer, c.key, "position", position.id, { reason: "" }));
    await noEntryWhenRefused(c, "conflict", () => moderation.restoreContent(db, fac.viewer, c.key, "position", position.id));
    await noEntryWhenRefused(c, "not_found", () => participants.suspendParticipant(db, fac.viewer, c.key, "no-such-participant", { reason: "Gone." }));
    // Dismissing when no flag is open changes nothing, so records nothing.
    const before = await lastSeq(c.id);
    await moderation.dismissFlags(db, fac.viewer, c.key, "position", position.id);
    expect(await entriesAfter(c.id, before)).toEqual([]);
  });

  it("an action and its entry commit together: a rolled-back transaction leaves neither", async () => {
    const db = await getDb();
    const { fac, c, position } = await moderationWorld();
    const before = await lastSeq(c.id);
    await expect(
      commit(db, async (tx) => {
        await tx.position.update({ where: { id: position.id }, data: { status: "hidden", moderationNote: "x" } });
        await audit(tx, fac.viewer, c.id, "position.hidden", { target: { kind: "position", id: position.id }, reason: "x" });
        throw new Error("the action failed after writing");
      }),
    ).rejects.toThrow("the action failed after writing");
    expect(await entriesAfter(c.id, before)).toEqual([]);
    expect((await db.position.findUniqueOrThrow({ where: { id: position.id } })).status).toBe("visible");
    // A viewer without an account is never audited as an actor.
    await expect(commit(db, (tx) => audit(tx, { account: null, participants: [] }, c.id, "position.hidden"))).rejects.toThrow();
  });
});

describe("set-up, phases, invitations and live sessions", () => {
  it("phase changes by hand and by the schedule, settings, schedule, questions and groups", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    // Settings: which fields changed.
    expect(
      await onlyEntryOf(c, () => consultations.updateDetails(db, fac.viewer, c.key, { title: "Drug checking, revised", slug: c.slug, description: "How should **drug checking** work in our city?" })),
    ).toMatchObject({ actor: "Facilitator 1", action: "settings.changed", targetKind: "consultation", detail: "changed: title" });
    const q = await onlyEntryOf(c, () => consultations.addQuestion(db, fac.viewer, c.key, { title: "Who should run it?" }));
    expect(q).toMatchObject({ action: "question.added", targetKind: "question" });
    expect(await onlyEntryOf(c, () => consultations.removeQuestion(db, fac.viewer, c.key, q.targetId!))).toMatchObject({ action: "question.removed", targetId: q.targetId });
    // A manual phase change.
    expect(await onlyEntryOf(c, () => consultations.movePhase(db, fac.viewer, c.key, { to: "positions" }))).toMatchObject({
      actor: "Facilitator 1",
      action: "phase.changed",
      detail: "draft → positions",
    });
    // Refused: skipping a phase; a participant moving the phase.
    await noEntryWhenRefused(c, "conflict", () => consultations.movePhase(db, fac.viewer, c.key, { to: "synthesis" }));
    const member = await joinParticipant(fac, c, "Police");
    await noEntryWhenRefused(c, "forbidden", () => consultations.movePhase(db, member.viewer, c.key, { to: "deliberation" }));
    // The schedule: setting it is the facilitator's entry; the due change is the schedule's.
    const due = new Date(Date.now() - 60_000);
    expect(await onlyEntryOf(c, () => consultations.setSchedule(db, fac.viewer, c.key, { deliberationAt: due.toISOString() }))).toMatchObject({
      action: "schedule.changed",
      actor: "Facilitator 1",
    });
    expect(await onlyEntryOf(c, () => findConsultation(db, { id: c.id }))).toMatchObject({
      actor: "Schedule",
      action: "phase.changed",
      detail: "positions → deliberation (scheduled)",
    });
    // Reading again changes nothing.
    const before = await lastSeq(c.id);
    await findConsultation(db, { id: c.id });
    expect(await entriesAfter(c.id, before)).toEqual([]);
  });

  it("invitation batches created and revoked, one invitation revoked", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const batch = await onlyEntryOf(c, () => invite(fac, c, "Sex workers", 3, { label: "Outreach van" }));
    expect(batch).toMatchObject({ action: "invitations.created", targetKind: "invitationBatch", detail: "3 for Sex workers (Outreach van)" });
    const rows = await db.invitation.findMany({ where: { consultationId: c.id }, select: { id: true, batchId: true } });
    expect(rows.every((r) => r.batchId === batch.targetId)).toBe(true);
    expect(await onlyEntryOf(c, () => invitations.revokeInvitation(db, fac.viewer, c.key, rows[0].id))).toMatchObject({
      action: "invitation.revoked",
      targetKind: "invitation",
      targetId: rows[0].id,
    });
    expect(await onlyEntryOf(c, () => invitations.revokeBatch(db, fac.viewer, c.key, batch.targetId!))).toMatchObject({
      action: "invitations.revoked",
      targetId: batch.targetId,
      detail: "2 open invitations",
    });
    // Nothing left to revoke: nothing recorded. Revoking twice: nothing recorded.
    let before = await lastSeq(c.id);
    expect(await invitations.revokeBatch(db, fac.viewer, c.key, batch.targetId!)).toBe(0);
    await invitations.revokeInvitation(db, fac.viewer, c.key, rows[0].id);
    expect(await entriesAfter(c.id, before)).toEqual([]);
    // Refused: a group of another consultation.
    before = await lastSeq(c.id);
    await noEntryWhenRefused(c, "not_found", () => invitations.createInvitations(db, fac.viewer, c.key, { groupId: "nope", count: 1 }));
    expect(await entriesAfter(c.id, before)).toEqual([]);
  });

  it("live session opened, holding changed, comment approved, session closed", async () => {
    const db = await getDb();
    const { fac, c, officer, position } = await moderationWorld();
    const opened = await onlyEntryOf(c, () => live.openSession(db, fac.viewer, c.key, { holdComments: "on" }));
    expect(opened).toMatchObject({ action: "live.opened", targetKind: "liveSession", detail: "holding new comments" });
    // Opening twice is refused: nothing recorded.
    await noEntryWhenRefused(c, "conflict", () => live.openSession(db, fac.viewer, c.key, {}));
    const held = (await comments.postComment(db, officer.viewer, c.key, position.id, { stance: "neutral", body: "Held until approved." })) as { id: string };
    expect(await onlyEntryOf(c, () => comments.approveComment(db, fac.viewer, c.key, held.id))).toMatchObject({
      action: "comment.approved",
      targetKind: "comment",
      targetId: held.id,
    });
    await noEntryWhenRefused(c, "conflict", () => comments.approveComment(db, fac.viewer, c.key, held.id));
    expect(await onlyEntryOf(c, () => live.setHoldComments(db, fac.viewer, c.key, { holdComments: false }))).toMatchObject({
      action: "live.holding.changed",
      detail: "holding new comments: off",
    });
    // Spotlighting is not audited (it is the session's own timeline).
    const before = await lastSeq(c.id);
    await live.spotlight(db, fac.viewer, c.key, position.id);
    expect(await entriesAfter(c.id, before)).toEqual([]);
    expect(await onlyEntryOf(c, () => live.closeSession(db, fac.viewer, c.key))).toMatchObject({
      action: "live.closed",
      targetId: opened.targetId,
      detail: "1 position spotlighted",
    });
    await noEntryWhenRefused(c, "conflict", () => live.closeSession(db, fac.viewer, c.key));
  });
});

describe("pseudonymous actors", () => {
  it("stable per consultation, numbered in order of first action, different across consultations; no account id stored", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const colleague = await createColleague(fac);
    const one = await createConsultation(fac);
    const two = await createConsultation(fac);
    // In one: fac first (1), then colleague (2), then fac again (still 1).
    expect((await onlyEntryOf(one, () => invite(fac, one, "Police"))).actor).toBe("Facilitator 1");
    expect((await onlyEntryOf(one, () => invite(colleague, one, "Police"))).actor).toBe("Facilitator 2");
    expect((await onlyEntryOf(one, () => invite(fac, one, "Police"))).actor).toBe("Facilitator 1");
    // In two: the colleague acts first since creation... but creating two already audited fac's question.
    const firstInTwo = (await entriesAfter(two.id, 0))[0];
    expect(firstInTwo.actor).toBe("Facilitator 1");
    expect((await onlyEntryOf(two, () => invite(colleague, two, "Police"))).actor).toBe("Facilitator 2");
    const three = await createConsultation(colleague);
    expect((await entriesAfter(three.id, 0))[0].actor).toBe("Facilitator 1"); // the colleague is 1 here
    expect((await onlyEntryOf(three, () => invite(fac, three, "Police"))).actor).toBe("Facilitator 2");

    // The actor rows of the same account differ between consultations, and hold no account id or email.
    const actors = await db.auditActor.findMany({ where: { consultationId: { in: [one.id, two.id, three.id] } } });
    expect(actors).toHaveLength(6);
    const dump = JSON.stringify(actors) + JSON.stringify(await db.auditEntry.findMany({ where: { consultationId: { in: [one.id, two.id, three.id] } } }));
    for (const secret of [fac.account.id, colleague.account.id, fac.email, colleague.email]) expect(dump).not.toContain(secret);
    expect(new Set(actors.map((a) => a.accountKey)).size).toBe(6);
  });
});

describe("synthesis runs, publishing and downloads", () => {
  it("run started, report published, facilitator downloads recorded; public and refused downloads not", async () => {
    const db = await getDb();
    const w = await synthesisWorld();
    const c = w.c;
    const started = await onlyEntryOf(c, () => synthesis.startRun(db, w.fac.viewer, c.key));
    expect(started).toMatchObject({ actor: "Facilitator 1", action: "synthesis.started", targetKind: "synthesisRun" });
    await synthesis.runInWorker(started.targetId!, { engineModule: FAKE_ENGINE });

    const f1 = await signedIn(db, { accountId: w.fac.account.id });
    const other = await createFacilitator();
    const f2 = await signedIn(db, { accountId: other.account.id });
    const participant = await signedIn(db, { participantIds: [w.members.Police[2].me.id] });
    const draftCsv = `/facilitate/${c.slug}/synthesis/download?format=csv`;
    // The facilitator's draft download: one entry.
    let before = await lastSeq(c.id);
    expect((await get(draftCsv, { cookie: f1 })).status).toBe(200);
    expect(await entriesAfter(c.id, before)).toMatchObject([{ actor: "Facilitator 1", action: "report.downloaded", detail: "draft report, csv" }]);
    // Refused downloads (another organisation, a participant, anonymous, a bad format): none.
    before = await lastSeq(c.id);
    expect((await get(draftCsv, { cookie: f2 })).status).toBe(404);
    expect((await get(draftCsv, { cookie: participant })).status).toBe(302);
    expect((await get(draftCsv)).status).toBe(302);
    expect((await get(`/facilitate/${c.slug}/synthesis/download?format=pdf`, { cookie: f1 })).status).toBe(400);
    expect(await entriesAfter(c.id, before)).toEqual([]);

    // Publishing: one entry (the phase move is its detail), refused publishing none.
    await moveToPhase(w.fac, c, "synthesis");
    const draft = await synthesis.getDraftReport(db, w.fac.viewer, c.key);
    const participantViewer = w.members.Police[2].viewer;
    await noEntryWhenRefused(c, "forbidden", () => synthesis.publishReport(db, participantViewer, c.key, { runId: draft!.runId, confirm: "yes" }));
    expect(await onlyEntryOf(c, () => synthesis.publishReport(db, w.fac.viewer, c.key, { runId: draft!.runId, confirm: "yes" }))).toMatchObject({
      action: "report.published",
      targetKind: "synthesisRun",
      targetId: draft!.runId,
      detail: "phase synthesis → published",
    });

    // Public downloads: anonymous, participants and other organisations are not recorded.
    before = await lastSeq(c.id);
    for (const cookie of [null, participant, f2]) expect((await get(`/reports/${c.slug}.md`, { cookie })).status).toBe(200);
    expect(await entriesAfter(c.id, before)).toEqual([]);
    // The consultation's facilitator downloading the published report: recorded, and not publicly cached.
    const mine = await get(`/reports/${c.slug}.json`, { cookie: f1 });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await entriesAfter(c.id, before)).toMatchObject([{ action: "report.downloaded", detail: "published report, json" }]);
  });
});

describe("the audit page and its CSV", () => {
  async function pageWorld() {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const author = await joinParticipant(fac, c, "Peers who use drugs");
    const position = await submit(author, c, "Drug checking at every festival, peer-led.");
    // A reason made to be a spreadsheet formula.
    await moderation.hideContent(db, fac.viewer, c.key, "position", position.id, { reason: '=HYPERLINK("http://evil.example","click")' });
    await participants.suspendParticipant(db, fac.viewer, c.key, author.me.id, { reason: "@SUM(1+1)" });
    return { db, fac, c, author, position };
  }

  it("facilitators see entries newest first, pseudonyms, no emails or account ids; the tab links to it", async () => {
    const { db, fac, c, author, position } = await pageWorld();
    const colleague = await createColleague(fac);
    await moderation.restoreContent(db, colleague.viewer, c.key, "position", position.id);
    const cookie = await signedIn(db, { accountId: fac.account.id });
    const res = await get(`/facilitate/${c.slug}/audit`, { cookie });
    expect(res.status).toBe(200);
    expect(res.body).toContain(`href="/facilitate/${c.slug}/audit"`);
    const restored = res.body.indexOf("Restored a position");
    const suspended = res.body.indexOf("Suspended a participant");
    const hidden = res.body.indexOf("Hid a position");
    expect(restored).toBeGreaterThan(0);
    expect(restored).toBeLessThan(suspended);
    expect(suspended).toBeLessThan(hidden);
    expect(res.body).toContain("Facilitator 2");
    expect(res.body).toContain(author.pseudonym);
    expect(res.body).toContain(`/c/${c.slug}/p/${position.id}`);
    for (const secret of [fac.account.id, colleague.account.id, fac.email, colleague.email, author.me.id]) expect(res.body).not.toContain(secret);
  });

  it("pages of 50, newest first, without JavaScript (plain links); bad page numbers refused", async () => {
    const { db, fac, c } = await pageWorld();
    // 53 more entries (as a facilitator's edits would write them).
    for (let i = 0; i < 53; i++) await commit(db, (tx) => audit(tx, fac.viewer, c.id, "question.updated", { detail: `edit ${i}` }));
    const cookie = await signedIn(db, { accountId: fac.account.id });
    const first = await get(`/facilitate/${c.slug}/audit`, { cookie });
    expect(first.body).toContain("edit 52");
    expect(first.body).not.toContain("edit 2<");
    expect(first.body).toContain(`href="/facilitate/${c.slug}/audit?page=2"`);
    expect(first.body).toContain("Page 1 of 2");
    const second = await get(`/facilitate/${c.slug}/audit?page=2`, { cookie });
    expect(second.status).toBe(200);
    expect(second.body).toContain("edit 2<");
    expect(second.body).toContain("Hid a position");
    expect(second.body).not.toContain("edit 52");
    expect(second.body).toContain(`href="/facilitate/${c.slug}/audit"`);
    const page = await auditLog.listAudit(db, fac.viewer, c.key, { page: "2" });
    expect(page.entries.map((e) => e.seq)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(page.total).toBe(58);
    for (const bad of ["0", "-1", "abc", "1.5"]) expect((await get(`/facilitate/${c.slug}/audit?page=${bad}`, { cookie })).status, bad).toBe(422);
    // Past the end: an empty page, not an error.
    expect((await get(`/facilitate/${c.slug}/audit?page=9`, { cookie })).body).toContain("There are no entries on this page.");
  });

  it("the CSV: every entry, formula-safe, no emails or account ids", async () => {
    const { db, fac, c, author } = await pageWorld();
    const cookie = await signedIn(db, { accountId: fac.account.id });
    const res = await get(`/facilitate/${c.slug}/audit.csv`, { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="${c.slug}-audit-log.csv"`);
    const records = parseCsv(res.body).map((r) => r.fields);
    expect(records[0]).toEqual(["seq", "day_utc", "actor", "action", "action_text", "target_kind", "target_id", "target", "detail", "reason"]);
    // Dated to the day only, like every export (the page shows facilitators the time).
    for (const row of records.slice(1)) expect(row[1]).toMatch(/^\d{4}-\d\d-\d\d$/);
    // Newest first: the suspension, then the hiding, then set-up (the question added at creation).
    expect(records[1].slice(2, 4)).toEqual(["Facilitator 1", "participant.suspended"]);
    expect(records[1][7]).toBe(author.pseudonym);
    expect(records[1][9]).toBe("'@SUM(1+1)");
    expect(records[2][9]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    // No cell starts a formula.
    for (const row of records) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
    for (const secret of [fac.account.id, fac.email, author.me.id]) expect(res.body).not.toContain(secret);
  });

  it("only the consultation's facilitators: other organisations 404, participants and anonymous to the login page", async () => {
    const { db, c, author } = await pageWorld();
    const other = await createFacilitator();
    const f2 = await signedIn(db, { accountId: other.account.id });
    const participant = await signedIn(db, { participantIds: [author.me.id] });
    for (const path of [`/facilitate/${c.slug}/audit`, `/facilitate/${c.slug}/audit.csv`]) {
      const f2Res = await get(path, { cookie: f2 });
      expect(f2Res.status, path).toBe(404);
      expect(f2Res.body).not.toContain("Hid a position");
      for (const cookie of [participant, null]) {
        const res = await get(path, { cookie });
        expect(res.status, path).toBe(302);
        expect(locationPath(res.location)).toBe(`/login?next=${encodeURIComponent(path)}`);
      }
    }
    // Through the domain: a participant is refused outright.
    expect((await domainError(auditLog.listAudit(db, author.viewer, c.key, {}))).kind).toBe("forbidden");
    // Posting to the page does nothing (no action).
    expect([404, 405]).toContain((await post(`/facilitate/${c.slug}/audit`, { intent: "x" }, { cookie: f2 })).status);
  });
});

describe("the action names", () => {
  it("are past tense and labelled", () => {
    for (const [action, label] of Object.entries(AUDIT_ACTIONS) as Array<[AuditAction, string]>) {
      expect(action).toMatch(/^[a-z]+(\.[a-z]+)*\.(changed|hidden|restored|dismissed|suspended|reinstated|approved|created|revoked|started|published|downloaded|opened|closed|added|updated|removed)$/);
      expect(label.length).toBeGreaterThan(5);
    }
  });
});
