/**
 * Proxy entry (consultations/proxy.ts, /c/:slug/proxy, /c/:slug/consent): an outreach worker enters a
 * position for a peer who is not online, with the peer's consent, under the peer's pseudonym (one-time
 * consent code) or under a new pseudonym in a chosen group (recovery code shown once).
 *
 * Domain cases call the services; page cases go through the real server build (http-harness.ts) as a
 * browser without JavaScript.
 */
import { getDb } from "../../consultations/db/client";
import * as consultations from "../../consultations/consultations";
import * as live from "../../consultations/live-sessions";
import * as participants from "../../consultations/participants";
import { ANONYMOUS } from "../../consultations/permissions";
import * as positions from "../../consultations/positions";
import * as proxy from "../../consultations/proxy";
import * as synthesis from "../../consultations/synthesis-runs";
import { castVote } from "../../consultations/votes";
import {
  createConsultation,
  createFacilitator,
  domainError,
  eventsOf,
  joinMany,
  joinParticipant,
  moveToPhase,
  participantViewer,
  submit,
  type Facilitator,
  type Member,
  type TestConsultation,
} from "../factories";
import { get, locationPath, parseForms, post, signedIn } from "./http-harness";

const OUTREACH = "Outreach workers";
const PEERS = "Peers who use drugs";
const SEX_WORKERS = "Sex workers";
const POLICE = "Police";

let fac: Facilitator;
let c: TestConsultation;
let worker: Member;
let peer: Member;
let officer: Member;
let outsider: Member;
let otherC: TestConsultation;

beforeAll(async () => {
  const db = await getDb();
  fac = await createFacilitator();
  c = await createConsultation(fac, { phase: "positions", questions: ["Where should drug checking happen?", "Who should run it?"] });
  await proxy.setGroupOutreach(db, fac.viewer, c.key, c.groups[OUTREACH], { outreach: "on" });
  worker = await joinParticipant(fac, c, OUTREACH, { pseudonym: "Lantern Keeper" });
  peer = await joinParticipant(fac, c, PEERS, { pseudonym: "Quiet River" });
  officer = await joinParticipant(fac, c, POLICE, { pseudonym: "Blue Coat" });
  const otherFac = await createFacilitator();
  otherC = await createConsultation(otherFac, { phase: "positions" });
  outsider = await joinParticipant(otherFac, otherC, OUTREACH);
  await proxy.setGroupOutreach(db, otherFac.viewer, otherC.key, otherC.groups[OUTREACH], { outreach: "on" });
});

const body = (text = "Drug checking should be open at night, near the station.") => text;

async function proxyPositions() {
  const db = await getDb();
  return db.position.count({ where: { consultationId: c.id, enteredByProxy: true } });
}

async function countsNow() {
  const db = await getDb();
  const [positionCount, participantCount, usedCodes] = await Promise.all([
    db.position.count({ where: { consultationId: c.id } }),
    db.participant.count({ where: { consultationId: c.id } }),
    db.proxyConsent.count({ where: { consultationId: c.id, usedAt: { not: null } } }),
  ]);
  return { positionCount, participantCount, usedCodes };
}

describe("marking outreach groups", () => {
  it("only the consultation's facilitators mark a group; the mark is stored and announced without people", async () => {
    const db = await getDb();
    // Participants (even outreach workers) may not, another organisation's facilitator learns nothing.
    expect(await domainError(proxy.setGroupOutreach(db, worker.viewer, c.key, c.groups[POLICE], { outreach: "on" }))).toMatchObject({ status: 403 });
    const stranger = await createFacilitator();
    expect(await domainError(proxy.setGroupOutreach(db, stranger.viewer, c.key, c.groups[POLICE], { outreach: "on" }))).toMatchObject({ status: 404 });
    // A group of another consultation, through this one: not found.
    expect(await domainError(proxy.setGroupOutreach(db, fac.viewer, c.key, otherC.groups[POLICE], { outreach: "on" }))).toMatchObject({ status: 404 });
    expect((await db.stakeholderGroup.findUniqueOrThrow({ where: { id: c.groups[POLICE] } })).outreach).toBe(false);
    expect((await db.stakeholderGroup.findUniqueOrThrow({ where: { id: c.groups[OUTREACH] } })).outreach).toBe(true);
    const marked = (await eventsOf(c.id)).filter((e) => e.type === "group.updated");
    expect(marked.at(-1)?.data).toEqual({ groupId: c.groups[OUTREACH], name: OUTREACH });
  });
});

describe("under the peer's pseudonym, with a one-time consent code", () => {
  it("stores the position as the peer's, marked, counted in the peer's group; the proxy only for facilitators", async () => {
    const db = await getDb();
    const { code } = await proxy.createConsentCode(db, peer.viewer, c.key);
    const entry = await proxy.enterPositionForPeer(db, worker.viewer, c.key, {
      peer: "existing",
      consentCode: code.toLowerCase().replaceAll("-", " "), // typed sloppily: still the code
      questionId: c.questions[0],
      body: body("Peers need drug checking in the evening."),
      consented: "on",
    });
    expect(entry).toMatchObject({ pseudonym: "Quiet River", groupName: PEERS, recoveryCode: null });
    const row = await db.position.findUniqueOrThrow({ where: { id: entry.positionId } });
    expect(row).toMatchObject({ authorId: peer.me.id, enteredByProxy: true, proxyId: worker.me.id, status: "visible" });

    // Everyone sees the peer as author, in the peer's group, with the mark, and nothing of the worker.
    for (const viewer of [officer.viewer, worker.viewer, fac.viewer]) {
      const { position } = await positions.getPosition(db, viewer, c.key, entry.positionId);
      expect(position.author).toEqual({ pseudonym: "Quiet River", groupName: PEERS, enteredByOutreach: true });
      expect(JSON.stringify(position)).not.toContain("Lantern Keeper");
      expect(JSON.stringify(position)).not.toContain(worker.me.id);
    }
    // The peer owns it: it is theirs, they may withdraw it.
    const own = await positions.getPosition(db, peer.viewer, c.key, entry.positionId);
    expect(own.position).toMatchObject({ isMine: true, canWithdraw: true });
    // The event names the peer only.
    const submitted = (await eventsOf(c.id)).filter((e) => e.type === "position.submitted").at(-1)!;
    expect(submitted.data).toEqual({ positionId: entry.positionId, questionId: c.questions[0], pseudonym: "Quiet River", language: "en" });
    expect(submitted.payload).not.toContain("Lantern Keeper");
    // Facilitators see how many positions each outreach worker entered, never for whom.
    const overview = await proxy.outreachOverview(db, fac.viewer, c.key);
    expect(overview.entries).toEqual([{ pseudonym: "Lantern Keeper", positions: 1 }]);
    expect(JSON.stringify(overview)).not.toContain("Quiet River");
    expect(await domainError(proxy.outreachOverview(db, worker.viewer, c.key))).toMatchObject({ status: 403 });
  });

  it("refuses a reused, wrong, replaced, foreign or own consent code, and a missing consent tick: nothing is stored", async () => {
    const db = await getDb();
    const { code: used } = await proxy.createConsentCode(db, peer.viewer, c.key);
    const input = (consentCode: string, extra: Record<string, string> = {}) => ({
      peer: "existing",
      consentCode,
      questionId: c.questions[0],
      body: body(),
      consented: "on",
      ...extra,
    });
    await proxy.enterPositionForPeer(db, worker.viewer, c.key, input(used, { body: body("The first use of the code works.") }));
    const before = await countsNow();

    // Reused: 422, and nothing stored.
    const reused = await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input(used)));
    expect(reused).toMatchObject({ status: 422 });
    expect(reused.fieldErrors.consentCode?.[0]).toMatch(/not valid/);
    // Wrong (well-formed but unknown), and garbage.
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567")))).toMatchObject({ status: 422 });
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input("not a code")))).toMatchObject({ status: 422 });
    // Replaced by a newer code: the older one no longer works; the newer one is not used by a refused entry.
    const { code: older } = await proxy.createConsentCode(db, peer.viewer, c.key);
    const { code: newer } = await proxy.createConsentCode(db, peer.viewer, c.key);
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input(older)))).toMatchObject({ status: 422 });
    // Without the consent tick: 422 on the checkbox, and the code stays usable.
    const unticked = await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input(newer, { consented: "" })));
    expect(unticked).toMatchObject({ status: 422 });
    expect(unticked.fieldErrors.consented?.[0]).toMatch(/Confirm that the peer agreed/);
    // A code of another consultation's participant does not work here.
    const { code: foreign } = await proxy.createConsentCode(db, outsider.viewer, otherC.key);
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input(foreign)))).toMatchObject({ status: 422 });
    // The worker's own code: refused (they post their own positions themselves).
    const { code: mine } = await proxy.createConsentCode(db, worker.viewer, c.key);
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input(mine)))).toMatchObject({ status: 422 });
    // The peer's recovery code is not a consent code.
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input(peer.recoveryCode)))).toMatchObject({ status: 422 });

    const after = await countsNow();
    expect(after.positionCount).toBe(before.positionCount);
    expect(after.participantCount).toBe(before.participantCount + 0);
    // `older` was replaced (used) when `newer` was made, `foreign` is another consultation's: only those moved.
    expect(after.usedCodes).toBe(before.usedCodes + 1);
    // And the unticked attempt left `newer` working.
    const ok = await proxy.enterPositionForPeer(db, worker.viewer, c.key, input(newer, { body: body("Consent given, code kept, now entered.") }));
    expect((await db.position.findUniqueOrThrow({ where: { id: ok.positionId } })).authorId).toBe(peer.me.id);
  });

  it("an expired code is refused", async () => {
    const db = await getDb();
    const longAgo = new Date(Date.now() - (proxy.CONSENT_CODE_DAYS + 1) * 24 * 60 * 60 * 1000);
    const { code } = await proxy.createConsentCode(db, peer.viewer, c.key, longAgo);
    const before = await proxyPositions();
    const refused = await domainError(
      proxy.enterPositionForPeer(db, worker.viewer, c.key, { peer: "existing", consentCode: code, questionId: c.questions[0], body: body(), consented: "on" }),
    );
    expect(refused.status).toBe(422);
    expect(await proxyPositions()).toBe(before);
  });
});

describe("under a new pseudonym for the peer", () => {
  it("creates exactly one participant in the chosen group, with a working recovery code, authoring the position", async () => {
    const db = await getDb();
    const before = await db.participant.count({ where: { consultationId: c.id } });
    const entry = await proxy.enterPositionForPeer(db, worker.viewer, c.key, {
      peer: "new",
      groupId: c.groups[SEX_WORKERS],
      pseudonym: "Night Swallow",
      questionId: c.questions[1],
      body: body("Sex workers should run part of the service."),
      consented: "on",
    });
    expect(await db.participant.count({ where: { consultationId: c.id } })).toBe(before + 1);
    const created = await db.participant.findMany({ where: { consultationId: c.id, pseudonym: "Night Swallow" } });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ groupId: c.groups[SEX_WORKERS], status: "active", passphraseHash: null });
    expect(entry).toMatchObject({ pseudonym: "Night Swallow", groupName: SEX_WORKERS });
    expect(entry.recoveryCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4})+$/);
    const row = await db.position.findUniqueOrThrow({ where: { id: entry.positionId } });
    expect(row).toMatchObject({ authorId: created[0].id, enteredByProxy: true, proxyId: worker.me.id });
    // The recovery code brings the peer back as that participant, who owns the position.
    const back = await participants.returnToConsultation(db, c.slug, { method: "recovery", recoveryCode: entry.recoveryCode! });
    expect(back.id).toBe(created[0].id);
    const peerViewer = await participantViewer(db, back.id);
    const { position } = await positions.getPosition(db, peerViewer, c.key, entry.positionId);
    expect(position).toMatchObject({ isMine: true, canWithdraw: true, author: { pseudonym: "Night Swallow", groupName: SEX_WORKERS, enteredByOutreach: true } });
    // The worker's session did not gain the new identity.
    expect(worker.viewer.participants.map((p) => p.id)).toEqual([worker.me.id]);
    const session = await db.sessionParticipant.count({ where: { participantId: created[0].id } });
    expect(session).toBe(0);
  });

  it("refuses a group or question of another consultation, a taken pseudonym, a missing tick: nothing is stored", async () => {
    const db = await getDb();
    const before = await countsNow();
    const input = (extra: Record<string, string>) => ({ peer: "new", groupId: c.groups[PEERS], pseudonym: "", questionId: c.questions[0], body: body(), consented: "on", ...extra });
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input({ groupId: otherC.groups[PEERS] })))).toMatchObject({ status: 422 });
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input({ questionId: otherC.questions[0] })))).toMatchObject({ status: 422 });
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input({ pseudonym: "quiet  river" })))).toMatchObject({ status: 409 });
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input({ consented: "" })))).toMatchObject({ status: 422 });
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, input({ body: "x".repeat(700) })))).toMatchObject({ status: 422 });
    expect(await domainError(proxy.enterPositionForPeer(db, worker.viewer, c.key, { ...input({}), peer: "someone" }))).toMatchObject({ status: 422 });
    expect(await countsNow()).toEqual(before);
  });

  it("proxy positions count in the peer's group in the participation by group", async () => {
    const db = await getDb();
    const tallyCase = await createConsultation(fac, { phase: "positions" });
    await proxy.setGroupOutreach(db, fac.viewer, tallyCase.key, tallyCase.groups[OUTREACH], { outreach: "on" });
    const w = await joinParticipant(fac, tallyCase, OUTREACH);
    // Five peers of the Sex workers group, each entered by the same outreach worker under a new pseudonym.
    for (let i = 0; i < 5; i++) {
      await proxy.enterPositionForPeer(db, w.viewer, tallyCase.key, {
        peer: "new",
        groupId: tallyCase.groups[SEX_WORKERS],
        questionId: tallyCase.questions[0],
        body: body(`Position number ${i + 1} from a peer who is not online.`),
        consented: "on",
      });
    }
    const byGroup = await consultations.participationByGroup(db, fac.viewer, tallyCase.key);
    const sexWorkers = byGroup.groups.find((g) => g.name === SEX_WORKERS)!;
    const outreach = byGroup.groups.find((g) => g.name === OUTREACH)!;
    expect(sexWorkers.positions).toEqual({ suppressed: false, count: 5 });
    expect(sexWorkers.participants).toEqual({ suppressed: false, count: 5 });
    // The outreach worker authored none of them: the outreach group has no position author.
    expect(outreach.positions).toEqual({ suppressed: false, count: 0 });
    expect(await db.participant.count({ where: { consultationId: tallyCase.id, groupId: tallyCase.groups[OUTREACH] } })).toBe(1);
    expect(await db.position.count({ where: { consultationId: tallyCase.id, author: { groupId: tallyCase.groups[SEX_WORKERS] }, enteredByProxy: true } })).toBe(5);
  });
});

describe("who may enter positions for peers", () => {
  it("a non-outreach participant and a facilitator get 403, an outsider 404, anonymous 401; nothing is stored", async () => {
    const db = await getDb();
    const before = await countsNow();
    const input = { peer: "new", groupId: c.groups[PEERS], questionId: c.questions[0], body: body(), consented: "on" };
    expect(await domainError(proxy.enterPositionForPeer(db, officer.viewer, c.key, input))).toMatchObject({ status: 403 });
    expect(await domainError(proxy.enterPositionForPeer(db, fac.viewer, c.key, input))).toMatchObject({ status: 403 });
    expect(await domainError(proxy.enterPositionForPeer(db, outsider.viewer, c.key, input))).toMatchObject({ status: 404 });
    expect(await domainError(proxy.enterPositionForPeer(db, ANONYMOUS, c.key, input))).toMatchObject({ status: 401 });
    expect(await domainError(proxy.proxyForm(db, officer.viewer, c.key))).toMatchObject({ status: 403 });
    expect(await domainError(proxy.proxyForm(db, fac.viewer, c.key))).toMatchObject({ status: 403 });
    expect(await domainError(proxy.proxyForm(db, outsider.viewer, c.key))).toMatchObject({ status: 404 });
    // Facilitators make no consent codes (they do not take part).
    expect(await domainError(proxy.createConsentCode(db, fac.viewer, c.key))).toMatchObject({ status: 403 });
    expect(await countsNow()).toEqual(before);
  });

  it("a suspended outreach worker, or one whose group is unmarked, is refused", async () => {
    const db = await getDb();
    const other = await createConsultation(fac, { phase: "positions" });
    await proxy.setGroupOutreach(db, fac.viewer, other.key, other.groups[OUTREACH], { outreach: "on" });
    const w = await joinParticipant(fac, other, OUTREACH);
    const input = { peer: "new", groupId: other.groups[PEERS], questionId: other.questions[0], body: body(), consented: "on" };
    await proxy.setGroupOutreach(db, fac.viewer, other.key, other.groups[OUTREACH], {});
    expect(await domainError(proxy.enterPositionForPeer(db, w.viewer, other.key, input))).toMatchObject({ status: 403 });
    await proxy.setGroupOutreach(db, fac.viewer, other.key, other.groups[OUTREACH], { outreach: "on" });
    await participants.suspendParticipant(db, fac.viewer, other.key, w.me.id, { reason: "Testing." });
    const suspended = await participantViewer(db, w.me.id);
    expect(await domainError(proxy.enterPositionForPeer(db, suspended, other.key, input))).toMatchObject({ status: 403 });
    expect(await db.position.count({ where: { consultationId: other.id } })).toBe(0);
  });
});

describe("pages (no JavaScript)", () => {
  it("the proxy page: 200 for the outreach worker, 403 for another participant and a facilitator, 404 outsider, anonymous sent back", async () => {
    const db = await getDb();
    const path = `/c/${c.slug}/proxy`;
    const asWorker = await get(path, { cookie: await signedIn(db, { participantIds: [worker.me.id] }) });
    expect(asWorker.status).toBe(200);
    const intents = parseForms(asWorker.body).map((f) => f.hidden.intent);
    expect(intents).toEqual(expect.arrayContaining(["enter-existing", "enter-new"]));
    expect((await get(path, { cookie: await signedIn(db, { participantIds: [officer.me.id] }) })).status).toBe(403);
    expect((await get(path, { cookie: await signedIn(db, { accountId: fac.account.id }) })).status).toBe(403);
    expect((await get(path, { cookie: await signedIn(db, { participantIds: [outsider.me.id] }) })).status).toBe(404);
    const anonymous = await get(path);
    expect(anonymous.status).toBe(302);
    expect(locationPath(anonymous.location)).toBe(`/c/${c.slug}/return`);
    // The consultation page links to it for the outreach worker only.
    expect((await get(`/c/${c.slug}`, { cookie: await signedIn(db, { participantIds: [worker.me.id] }) })).body).toContain(`/c/${c.slug}/proxy`);
    expect((await get(`/c/${c.slug}`, { cookie: await signedIn(db, { participantIds: [officer.me.id] }) })).body).not.toContain(`/c/${c.slug}/proxy`);
  });

  it("consent code, entry, the mark on every page, and no page shows who the proxy was", async () => {
    const db = await getDb();
    const peerCookie = await signedIn(db, { participantIds: [peer.me.id] });
    const workerCookie = await signedIn(db, { participantIds: [worker.me.id] });
    const officerCookie = await signedIn(db, { participantIds: [officer.me.id] });
    const facCookie = await signedIn(db, { accountId: fac.account.id });

    // The peer makes a code on their own page.
    const consentPage = await get(`/c/${c.slug}/consent`, { cookie: peerCookie });
    expect(consentPage.status).toBe(200);
    const made = await post(`/c/${c.slug}/consent`, { intent: "create" }, { cookie: peerCookie });
    expect(made.status).toBe(200);
    expect(made.headers.get("Cache-Control")).toBe("no-store");
    const code = /class="recovery-code">([0-9A-Z-]+)</.exec(made.body)?.[1];
    expect(code).toBeTruthy();
    // A facilitator gets 403 making one.
    expect((await post(`/c/${c.slug}/consent`, { intent: "create" }, { cookie: facCookie })).status).toBe(403);

    // The outreach worker enters the position; a wrong code first (nothing stored, the code is not echoed).
    const text = "Outreach vans should carry test strips for every peer.";
    const before = await proxyPositions();
    const wrong = await post(`/c/${c.slug}/proxy`, { intent: "enter-existing", consentCode: "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ", questionId: c.questions[0], body: text, consented: "on" }, { cookie: workerCookie });
    expect(wrong.status).toBe(422);
    expect(wrong.body).not.toContain("ZZZZ-ZZZZ-ZZZZ-ZZZZ");
    expect(await proxyPositions()).toBe(before);
    const entered = await post(`/c/${c.slug}/proxy`, { intent: "enter-existing", consentCode: code!, questionId: c.questions[0], body: text, consented: "on" }, { cookie: workerCookie });
    expect(entered.status).toBe(200);
    expect(entered.body).toContain("Quiet River");
    const positionId = (await db.position.findFirstOrThrow({ where: { consultationId: c.id, body: text } })).id;
    // Reused: refused over HTTP as well.
    const again = await post(`/c/${c.slug}/proxy`, { intent: "enter-existing", consentCode: code!, questionId: c.questions[0], body: `${text} Again.`, consented: "on" }, { cookie: workerCookie });
    expect(again.status).toBe(422);
    expect(await db.position.count({ where: { consultationId: c.id, body: `${text} Again.` } })).toBe(0);

    // The live session shows it too.
    await live.openSession(db, fac.viewer, c.key, {});
    await live.spotlight(db, fac.viewer, c.key, positionId);
    const pages = [`/c/${c.slug}`, `/c/${c.slug}/q/${c.questions[0]}`, `/c/${c.slug}/p/${positionId}`, `/c/${c.slug}/live`];
    for (const [who, cookie] of [["officer", officerCookie], ["peer", peerCookie], ["facilitator", facCookie]] as const) {
      for (const page of pages) {
        const res = await get(page, { cookie });
        expect(res.status, `${page} as ${who}`).toBe(200);
        expect(res.body, `${page} as ${who}`).toContain("Entered by outreach");
        // Who entered it: neither the worker's pseudonym nor their id.
        expect(res.body, `${page} as ${who}`).not.toContain("Lantern Keeper");
        expect(res.body, `${page} as ${who}`).not.toContain(worker.me.id);
      }
    }
    // The facilitator's live console marks it, without the worker.
    const console = await get(`/facilitate/${c.slug}/live`, { cookie: facCookie });
    expect(console.body).toContain("Entered by outreach");
    expect(console.body).not.toContain("Lantern Keeper");
    await live.closeSession(db, fac.viewer, c.key);
    // Only the facilitators' groups page names outreach workers, with counts.
    const groups = await get(`/facilitate/${c.slug}/groups`, { cookie: facCookie });
    expect(groups.status).toBe(200);
    expect(groups.body.replace(/<!-- -->/g, "")).toMatch(/Lantern Keeper: \d+ positions?/);
  });

  it("the new-pseudonym form prints the recovery code once, and the peer signs in with it and can withdraw", async () => {
    const db = await getDb();
    const workerCookie = await signedIn(db, { participantIds: [worker.me.id] });
    const text = "Police should never wait outside the drug checking site.";
    const res = await post(`/c/${c.slug}/proxy`, { intent: "enter-new", groupId: c.groups[PEERS], pseudonym: "", questionId: c.questions[0], body: text, consented: "on" }, { cookie: workerCookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const recoveryCode = /class="recovery-code">([0-9A-Z-]+)</.exec(res.body)?.[1];
    expect(recoveryCode).toBeTruthy();
    const position = await db.position.findFirstOrThrow({ where: { consultationId: c.id, body: text }, include: { author: true } });
    expect(position.author.groupId).toBe(c.groups[PEERS]);
    // The worker's own session still holds only the worker.
    const stillWorker = await get(`/c/${c.slug}`, { cookie: workerCookie });
    expect(stillWorker.body).toContain("Lantern Keeper");
    expect(stillWorker.body).not.toContain(`You take part as <strong>${position.author.pseudonym}`);

    const back = await post(`/c/${c.slug}/return`, { method: "recovery", recoveryCode: recoveryCode! });
    expect(back.status).toBe(302);
    const cookie = back.setCookies[0].split(";")[0];
    const page = await get(`/c/${c.slug}/p/${position.id}`, { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Entered by outreach");
    expect(page.body).toContain("yours");
    const withdraw = await post(`/c/${c.slug}/p/${position.id}`, { intent: "withdraw", id: position.id, returnTo: `/c/${c.slug}/p/${position.id}` }, { cookie });
    expect(withdraw.status).toBe(302);
    expect((await db.position.findUniqueOrThrow({ where: { id: position.id } })).status).toBe("withdrawn");
  });

  it("the facilitator marks a group as outreach on the groups page (any phase before synthesis)", async () => {
    const db = await getDb();
    const facCookie = await signedIn(db, { accountId: fac.account.id });
    const page = await get(`/facilitate/${c.slug}/groups`, { cookie: facCookie });
    const form = parseForms(page.body).find((f) => f.hidden.intent === "set-outreach" && f.hidden.id === c.groups[POLICE]);
    expect(form?.fields).toContain("outreach");
    const res = await post(`/facilitate/${c.slug}/groups`, { intent: "set-outreach", id: c.groups[POLICE], outreach: "on" }, { cookie: facCookie });
    expect(res.status).toBe(200);
    expect((await db.stakeholderGroup.findUniqueOrThrow({ where: { id: c.groups[POLICE] } })).outreach).toBe(true);
    const off = await post(`/facilitate/${c.slug}/groups`, { intent: "set-outreach", id: c.groups[POLICE] }, { cookie: facCookie });
    expect(off.status).toBe(200);
    expect((await db.stakeholderGroup.findUniqueOrThrow({ where: { id: c.groups[POLICE] } })).outreach).toBe(false);
  });
});

describe("the published report", () => {
  // A real synthesis run in a worker thread over 25 people.
  it("marks the proxy position wherever it is cited (Markdown, HTML, JSON), never naming who entered it", async () => {
    const db = await getDb();
    const rc = await createConsultation(fac, { phase: "positions" });
    await proxy.setGroupOutreach(db, fac.viewer, rc.key, rc.groups[OUTREACH], { outreach: "on" });
    const members: Member[] = [];
    for (const group of Object.keys(rc.groups)) members.push(...(await joinMany(fac, rc, group, 5)));
    const rcWorker = members.find((m) => m.me.groupId === rc.groups[OUTREACH])!;
    const rcPeer = members.find((m) => m.me.groupId === rc.groups[PEERS])!;
    const { code } = await proxy.createConsentCode(db, rcPeer.viewer, rc.key);
    const entry = await proxy.enterPositionForPeer(db, rcWorker.viewer, rc.key, {
      peer: "existing",
      consentCode: code,
      questionId: rc.questions[0],
      body: "Peers should be paid for the drug checking shifts they run.",
      consented: "on",
    });
    const plain = await submit(members[members.length - 1], rc, "Drug checking results should be published every month.");
    for (const m of members) {
      for (const positionId of [entry.positionId, plain.id]) {
        const author = (await db.position.findUniqueOrThrow({ where: { id: positionId } })).authorId;
        if (author !== m.me.id) await castVote(db, m.viewer, rc.key, positionId, { choice: "agree" });
      }
    }
    await moveToPhase(fac, rc, "synthesis");
    const { id: runId } = await synthesis.startRun(db, fac.viewer, rc.key);
    await synthesis.runInWorker(runId);
    await synthesis.publishReport(db, fac.viewer, rc.key, { runId });

    const json = await get(`/reports/${rc.slug}.json`);
    expect(json.status).toBe(200);
    const report = JSON.parse(json.body) as { statements: Array<{ id: string; label: string; enteredByOutreach: boolean }> };
    const proxied = report.statements.find((s) => s.id === entry.positionId)!;
    const other = report.statements.find((s) => s.id === plain.id)!;
    expect(proxied.enteredByOutreach).toBe(true);
    expect(other.enteredByOutreach).toBe(false);

    const md = await get(`/reports/${rc.slug}.md`);
    expect(md.status).toBe(200);
    expect(md.body).toContain(`\\[${proxied.label}\\] _(entered by outreach)_`);
    expect(md.body).not.toContain(`\\[${other.label}\\] _(entered by outreach)_`);
    const html = await get(`/reports/${rc.slug}.html`);
    expect(html.body).toContain(`[${proxied.label}] <em>(entered by outreach)</em>`);
    const page = await get(`/reports/${rc.slug}`);
    expect(page.body).toContain("(entered by outreach)");
    for (const res of [json, md, html, page]) {
      expect(res.body).not.toContain(rcWorker.pseudonym);
      expect(res.body).not.toContain(rcWorker.me.id);
    }
  }, 60_000);
});
