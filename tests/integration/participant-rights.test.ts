/**
 * Participant rights (consultations/participant-rights.ts, app/routes/c.$slug.my-data*.tsx): downloading
 * one's own data, erasing one's participation in both erasure modes, who may do either, the privacy
 * settings and their lock, and erasing sign-in passphrases on publishing (consultations/publishing.ts).
 * Domain calls and HTTP requests through the real server build (run `npx remix build` first).
 */
import fs from "node:fs";
import { getDb } from "../../consultations/db/client";
import { sha256 } from "../../consultations/crypto";
import { postComment } from "../../consultations/comments";
import { flagContent } from "../../consultations/moderation";
import { eraseMyParticipation, exportMyData, getPrivacySettings, setPrivacySettings } from "../../consultations/participant-rights";
import { listParticipants, returnToConsultation } from "../../consultations/participants";
import { listConsultationPositions, loadTallies } from "../../consultations/positions";
import { movePhase } from "../../consultations/consultations";
import { findConsultation } from "../../consultations/access";
import { readSession } from "../../consultations/sessions";
import { collectInput } from "../../consultations/synthesis-runs";
import { castVote } from "../../consultations/votes";
import { project } from "../../realtime/event-policy";
import {
  createConsultation,
  createFacilitator,
  domainError,
  eventsOf,
  joinMany,
  joinParticipant,
  moveToPhase,
  submit,
  unique,
  voteAll,
  type Facilitator,
  type Member,
  type TestConsultation,
} from "../factories";
import { get, locationPath, post, sessionCookie, signedIn } from "./http-harness";
import { onSqlite } from "../setup/dialect";

const PASSPHRASE = "a quiet walk by the river";
const ERIN = "Erin Heron";

interface World {
  fac: Facilitator;
  c: TestConsultation;
  erin: Member;
  others: Member[];
  /** Erin's position; another participant's position. */
  p1: string;
  p2: string;
  /** Erin's comment on p2, a reply to it by someone else, someone else's comment on p1. */
  erinComment: string;
  replyToErin: string;
  otherOnP1: string;
  facCookie: string;
}

/** Erin (peers) and five others (police): positions, votes, comments, a reply and a flag. */
async function buildWorld(mode: "mark" | "remove", opts: { eraseSignInOnPublish?: boolean } = {}): Promise<World> {
  const db = await getDb();
  const fac = await createFacilitator();
  const c = await createConsultation(fac);
  await setPrivacySettings(db, fac.viewer, c.key, { erasureMode: mode, eraseSignInOnPublish: opts.eraseSignInOnPublish ?? false });
  await moveToPhase(fac, c, "positions");
  const erin = await joinParticipant(fac, c, "Peers who use drugs", { pseudonym: ERIN, passphrase: PASSPHRASE });
  const others = await joinMany(fac, c, "Police", 5);
  const p1 = (await submit(erin, c, "Erin says: drug checking at night, please.")).id;
  const p2 = (await submit(others[0], c, "Drug checking should be run by peers.")).id;
  await castVote(db, erin.viewer, c.key, p2, { choice: "agree" });
  await voteAll(others.slice(1), c, p2, "disagree");
  await voteAll(others, c, p1, "agree");
  const erinComment = (await postComment(db, erin.viewer, c.key, p2, { body: "Erin agrees with peers running it.", stance: "for" })).id;
  const replyToErin = (await postComment(db, others[1].viewer, c.key, p2, { body: "A reply to that comment.", stance: "neutral", parentId: erinComment })).id;
  const otherOnP1 = (await postComment(db, others[2].viewer, c.key, p1, { body: "Nights are important indeed.", stance: "for" })).id;
  await flagContent(db, erin.viewer, c.key, "comment", replyToErin, { reason: "Looks off topic to me." });
  const facCookie = await signedIn(db, { accountId: fac.account.id });
  return { fac, c, erin, others, p1, p2, erinComment, replyToErin, otherOnP1, facCookie };
}

const cookieOf = (m: Member) => sessionCookie(m.token);

describe("download: /c/<slug>/my-data.json", () => {
  it("holds exactly the participant's own data, as an attachment that is never cached", async () => {
    const db = await getDb();
    const w = await buildWorld("mark");
    const res = await get(`/c/${w.c.slug}/my-data.json`, { cookie: cookieOf(w.erin) });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="polyphony-${w.c.slug}-my-data.json"`);

    const me = await db.participant.findUniqueOrThrow({ where: { id: w.erin.me.id } });
    const p1 = await db.position.findUniqueOrThrow({ where: { id: w.p1 } });
    const comment = await db.comment.findUniqueOrThrow({ where: { id: w.erinComment } });
    const vote = await db.vote.findFirstOrThrow({ where: { participantId: me.id } });
    const flag = await db.flag.findFirstOrThrow({ where: { reporterId: me.id } });
    const data = JSON.parse(res.body);
    // exact contents
    expect(data).toEqual({
      format: "polyphony.participant-data/1",
      exportedAt: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      consultation: { slug: w.c.slug, title: "Drug checking services" },
      participant: { pseudonym: ERIN, group: "Peers who use drugs", status: "active", joinedAt: me.createdAt.toISOString().slice(0, 10), passphraseSet: true },
      positions: [
        {
          id: w.p1,
          questionId: w.c.questions[0],
          question: "Where should drug checking happen?",
          body: "Erin says: drug checking at night, please.",
          language: "en",
          status: "visible",
          moderationNote: null,
          createdAt: p1.createdAt.toISOString().slice(0, 10),
          editedAt: null,
        },
      ],
      comments: [
        {
          id: w.erinComment,
          positionId: w.p2,
          replyTo: null,
          stance: "for",
          body: "Erin agrees with peers running it.",
          language: "en",
          status: "visible",
          moderationNote: null,
          createdAt: comment.createdAt.toISOString().slice(0, 10),
          editedAt: null,
        },
      ],
      votes: [{ positionId: w.p2, choice: "agree", votedAt: vote.updatedAt.toISOString().slice(0, 10) }],
      flags: [{ target: "comment", id: w.replyToErin, reason: "Looks off topic to me.", raisedAt: flag.createdAt.toISOString().slice(0, 10), resolved: false }],
      notes: expect.arrayContaining([expect.stringContaining("one-way hashes")]),
    });
    // never secrets, ids of people, or other people's data
    const forbiddenBits = [me.id, me.recoveryCodeHash, me.passphraseHash!, w.erin.token, sha256(w.erin.token), "Nights are important", "A reply to that comment", ...w.others.map((o) => o.pseudonym)];
    for (const bit of forbiddenBits) expect(res.body).not.toContain(bit);
  });

  it("the domain export matches the download for the same participant", async () => {
    const db = await getDb();
    const w = await buildWorld("mark");
    const direct = await exportMyData(db, w.erin.viewer, w.c.key);
    const res = JSON.parse((await get(`/c/${w.c.slug}/my-data.json`, { cookie: cookieOf(w.erin) })).body);
    expect({ ...direct, exportedAt: "x" }).toEqual({ ...res, exportedAt: "x" });
  });

  it("another participant gets only their own data; outsiders 404, facilitators 403, anonymous to the come-back page", async () => {
    const w = await buildWorld("mark");
    // another participant of the same consultation: their own file, nothing of Erin's
    const other = await get(`/c/${w.c.slug}/my-data.json`, { cookie: cookieOf(w.others[3]) });
    expect(other.status).toBe(200);
    const data = JSON.parse(other.body);
    expect(data.participant.pseudonym).toBe(w.others[3].pseudonym);
    expect(data.positions).toEqual([]);
    expect(data.votes.map((v: { positionId: string }) => v.positionId).sort()).toEqual([w.p1, w.p2].sort());
    expect(other.body).not.toContain(ERIN);
    expect(other.body).not.toContain("Erin says");
    // the consultation's facilitator: refused
    const fac = await get(`/c/${w.c.slug}/my-data.json`, { cookie: w.facCookie });
    expect(fac.status).toBe(403);
    expect(fac.body).not.toContain(ERIN);
    // a participant of another consultation: not found
    const elsewhere = await buildWorld("mark");
    const outsider = await get(`/c/${w.c.slug}/my-data.json`, { cookie: cookieOf(elsewhere.erin) });
    expect(outsider.status).toBe(404);
    // another organisation's facilitator: not found
    const otherFac = await get(`/c/${w.c.slug}/my-data.json`, { cookie: elsewhere.facCookie });
    expect(otherFac.status).toBe(404);
    // anonymous
    const anon = await get(`/c/${w.c.slug}/my-data.json`);
    expect(anon.status).toBe(302);
    expect(locationPath(anon.location)).toBe(`/c/${w.c.slug}/return`);
  });

  it("the consultation page links to 'Your data' for participants only", async () => {
    const w = await buildWorld("mark");
    const page = await get(`/c/${w.c.slug}`, { cookie: cookieOf(w.erin) });
    expect(page.body).toContain(`href="/c/${w.c.slug}/my-data"`);
    const facPage = await get(`/c/${w.c.slug}`, { cookie: w.facCookie });
    expect(facPage.status).toBe(200);
    expect(facPage.body).not.toContain(`/c/${w.c.slug}/my-data`);
    const mine = await get(`/c/${w.c.slug}/my-data`, { cookie: cookieOf(w.erin) });
    expect(mine.status).toBe(200);
    expect(mine.body).toContain(`href="/c/${w.c.slug}/my-data.json"`);
    expect(mine.body).toContain('name="confirm"');
    expect((await get(`/c/${w.c.slug}/my-data`, { cookie: w.facCookie })).status).toBe(403);
  });
});

/** What erasure must leave in both modes. */
async function expectErasedEverywhere(w: World) {
  const db = await getDb();
  // the participant row: an anonymous tombstone
  const row = await db.participant.findUniqueOrThrow({ where: { id: w.erin.me.id } });
  expect(row.status).toBe("erased");
  expect(row.pseudonym).toBe("Erased participant");
  expect(row.pseudonymKey).not.toContain("erin");
  expect(row.passphraseHash).toBeNull();
  expect(row.recoveryCodeHash).not.toBe(sha256(w.erin.recoveryCode.replace(/-/g, "")));
  expect(row.erasedAt).not.toBeNull();
  // votes gone; tallies move: p2 had 1 agree (Erin) + 4 disagree
  expect(await db.vote.count({ where: { participantId: row.id } })).toBe(0);
  const tallies = await loadTallies(db, w.c.id);
  expect(tallies.get(w.p2)).toEqual({ agree: 0, disagree: 4, pass: 0 });
  // no session speaks for them any more; the old cookie is an empty session
  expect(await db.sessionParticipant.count({ where: { participantId: row.id } })).toBe(0);
  expect((await readSession(db, w.erin.token))?.viewer.participants ?? []).toEqual([]);
  // coming back does not work, neither with the passphrase nor with the recovery code
  expect((await domainError(returnToConsultation(db, w.c.slug, { method: "passphrase", pseudonym: ERIN, passphrase: PASSPHRASE }))).status).toBe(422);
  expect((await domainError(returnToConsultation(db, w.c.slug, { method: "recovery", recoveryCode: w.erin.recoveryCode }))).status).toBe(422);
  // the pseudonym is in no stored event; the erasure event says nothing about who
  const events = await eventsOf(w.c.id);
  expect(events.filter((e) => e.payload.includes(ERIN))).toEqual([]);
  const erased = events.filter((e) => e.type === "participant.erased");
  expect(erased).toHaveLength(1);
  expect(erased[0].data).toEqual({});
  expect(project({ ...erased[0], type: "participant.erased", actorKind: "participant", payload: erased[0].data }, "everyone")?.data).toEqual({});
  // not listed for moderation; not in the synthesis input
  const listed = await listParticipants(db, w.fac.viewer, w.c.key);
  expect(listed.map((p) => p.pseudonym)).not.toContain(ERIN);
  expect(listed.map((p) => p.pseudonym)).not.toContain("Erased participant");
  const consultation = (await findConsultation(db, { id: w.c.id }))!;
  const input = (await collectInput(db, consultation)).input;
  expect(input.participants).toHaveLength(5);
  // pages: nobody sees the pseudonym, facilitators neither
  for (const cookie of [sessionCookie(w.others[0].token), w.facCookie]) {
    for (const path of [`/c/${w.c.slug}`, `/c/${w.c.slug}/p/${w.p2}`, `/facilitate/${w.c.slug}/moderation`]) {
      const res = await get(path, { cookie });
      if (path.startsWith("/facilitate") && cookie !== w.facCookie) continue;
      expect(res.status, `${path}`).toBe(200);
      expect(res.body, `${path}`).not.toContain(ERIN);
      expect(res.body).not.toContain("Erin agrees");
    }
  }
}

describe("erasing one's participation", () => {
  it("needs the confirmation box (422, nothing changes), then erases in 'mark' mode: content stays as 'Withdrawn by participant'", async () => {
    const db = await getDb();
    const w = await buildWorld("mark");
    const seqBefore = (await db.consultation.findUniqueOrThrow({ where: { id: w.c.id } })).eventSeq;
    // without the box ticked
    const unconfirmed = await post(`/c/${w.c.slug}/my-data`, { intent: "erase" }, { cookie: cookieOf(w.erin) });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.body).toContain("Tick the box to confirm");
    expect((await db.participant.findUniqueOrThrow({ where: { id: w.erin.me.id } })).status).toBe("active");
    expect(await db.vote.count({ where: { participantId: w.erin.me.id } })).toBe(1);

    // confirmed: a plain form post, answered with a redirect to the come-back page
    const res = await post(`/c/${w.c.slug}/my-data`, { intent: "erase", confirm: "yes" }, { cookie: cookieOf(w.erin) });
    expect(res.status).toBe(302);
    expect(locationPath(res.location)).toBe(`/c/${w.c.slug}/return?erased=1`);
    const after = await get(locationPath(res.location)!, { cookie: cookieOf(w.erin) });
    expect(after.status).toBe(200);
    expect(after.body).toContain("Your participation was erased.");

    // mark: Erin's position and comment stay as withdrawn placeholders without text; others' content stays
    const p1 = await db.position.findUniqueOrThrow({ where: { id: w.p1 } });
    expect({ status: p1.status, body: p1.body, moderationNote: p1.moderationNote }).toEqual({ status: "withdrawn", body: "", moderationNote: null });
    const c1 = await db.comment.findUniqueOrThrow({ where: { id: w.erinComment } });
    expect({ status: c1.status, body: c1.body }).toEqual({ status: "withdrawn", body: "" });
    expect((await db.comment.findUniqueOrThrow({ where: { id: w.replyToErin } })).status).toBe("visible");
    expect((await db.comment.findUniqueOrThrow({ where: { id: w.otherOnP1 } })).status).toBe("visible");
    // others' votes on the withdrawn position stay stored but count nowhere
    expect(await db.vote.count({ where: { positionId: w.p1 } })).toBe(5);
    expect((await loadTallies(db, w.c.id)).get(w.p1)).toBeUndefined();
    // the flag Erin raised stays for the moderators, without her name
    expect(await db.flag.count({ where: { reporterId: w.erin.me.id } })).toBe(1);
    // the position page shows the placeholder, no author
    const page = await get(`/c/${w.c.slug}/p/${w.p1}`, { cookie: cookieOf(w.others[0]) });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Withdrawn by participant");
    expect(page.body).not.toContain("Erin says");
    // exactly one new event on top of those recorded before, and it is the erasure
    const events = await eventsOf(w.c.id);
    expect(events.filter((e) => e.seq > seqBefore).map((e) => e.type)).toEqual(["participant.erased"]);
    await expectErasedEverywhere(w);

    // the old cookie no longer reaches the data or the erasure
    const again = await get(`/c/${w.c.slug}/my-data.json`, { cookie: cookieOf(w.erin) });
    expect(again.status).toBe(302);
    expect(locationPath(again.location)).toBe(`/c/${w.c.slug}/return`);
  });

  it("'remove' mode deletes the positions and comments, with the replies and votes of others under them", async () => {
    const db = await getDb();
    const w = await buildWorld("remove");
    await eraseMyParticipation(db, w.erin.viewer, w.c.key, { confirm: "yes" });
    expect(await db.position.count({ where: { id: w.p1 } })).toBe(0);
    expect(await db.position.count({ where: { authorId: w.erin.me.id } })).toBe(0);
    expect(await db.comment.count({ where: { authorId: w.erin.me.id } })).toBe(0);
    // the reply to Erin's comment and the comment on Erin's position went with them, and others' votes on p1
    expect(await db.comment.count({ where: { id: { in: [w.replyToErin, w.otherOnP1] } } })).toBe(0);
    expect(await db.vote.count({ where: { positionId: w.p1 } })).toBe(0);
    // the other position and its tally remain (without Erin's vote)
    expect((await db.position.findUniqueOrThrow({ where: { id: w.p2 } })).status).toBe("visible");
    const page = await get(`/c/${w.c.slug}/p/${w.p1}`, { cookie: cookieOf(w.others[0]) });
    expect(page.status).toBe(404);
    // the flag on the deleted reply went with it
    expect(await db.flag.count({ where: { reporterId: w.erin.me.id } })).toBe(0);
    await expectErasedEverywhere(w);
  });

  // SQLite only: the file on disk (PostgreSQL keeps dead rows until VACUUM reuses their space: README).
  it.skipIf(!onSqlite).each(["mark", "remove"] as const)("in '%s' mode nothing of the erased words stays in the database file (secure delete)", async (mode) => {
    const db = await getDb();
    const w = await buildWorld(mode);
    const marker = `Erin's unique words ${unique("erased")}`;
    await submit(w.erin, w.c, `${marker} in a position.`);
    await postComment(db, w.erin.viewer, w.c.key, w.p2, { body: `${marker} in a comment.`, stance: "for" });
    const file = (process.env.DATABASE_URL ?? "").replace(/^file:/, "");
    const fileHolds = async (text: string) => {
      await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
      const bytes = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
      return bytes.includes(Buffer.from(text, "utf8"));
    };
    // The check can see the words while they are stored.
    expect(await fileHolds(marker)).toBe(true);
    await eraseMyParticipation(db, w.erin.viewer, w.c.key, { confirm: "yes" });
    expect(await fileHolds(marker)).toBe(false);
  });

  it("a suspended participant can still download and erase; erasing twice is 404", async () => {
    const db = await getDb();
    const w = await buildWorld("mark");
    const { suspendParticipant } = await import("../../consultations/participants");
    await suspendParticipant(db, w.fac.viewer, w.c.key, w.erin.me.id, { reason: "Cooling off." });
    const viewer = { account: null, participants: [{ ...w.erin.me, status: "suspended" as const }] };
    expect((await exportMyData(db, viewer, w.c.key)).participant.status).toBe("suspended");
    await eraseMyParticipation(db, viewer, w.c.key, { confirm: "yes" });
    expect((await db.participant.findUniqueOrThrow({ where: { id: w.erin.me.id } })).suspendedReason).toBeNull();
    expect((await domainError(eraseMyParticipation(db, viewer, w.c.key, { confirm: "yes" }))).status).toBe(404);
  });

  it("nobody can erase someone else: a facilitator 403, a participant of another consultation 404, anonymous 401", async () => {
    const db = await getDb();
    const w = await buildWorld("mark");
    const elsewhere = await buildWorld("mark");
    const before = await db.participant.findMany({ where: { consultationId: w.c.id }, orderBy: { id: "asc" } });
    const votesBefore = await db.vote.count({ where: { consultationId: w.c.id } });
    // HTTP, as each of them
    const fac = await post(`/c/${w.c.slug}/my-data`, { intent: "erase", confirm: "yes" }, { cookie: w.facCookie });
    expect(fac.status).toBe(403);
    const outsider = await post(`/c/${w.c.slug}/my-data`, { intent: "erase", confirm: "yes" }, { cookie: cookieOf(elsewhere.erin) });
    expect(outsider.status).toBe(404);
    const otherFac = await post(`/c/${w.c.slug}/my-data`, { intent: "erase", confirm: "yes" }, { cookie: elsewhere.facCookie });
    expect(otherFac.status).toBe(404);
    // anonymous: 401 from the action, and the document post's loader sends them to the come-back page
    const anon = await post(`/c/${w.c.slug}/my-data`, { intent: "erase", confirm: "yes" });
    expect([401, 302]).toContain(anon.status);
    // domain: a facilitator is refused with the reason
    expect(await domainError(eraseMyParticipation(db, w.fac.viewer, w.c.key, { confirm: "yes" }))).toMatchObject({ status: 403 });
    expect(await db.participant.findMany({ where: { consultationId: w.c.id }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.vote.count({ where: { consultationId: w.c.id } })).toBe(votesBefore);
    // another participant erasing erases only themself
    await eraseMyParticipation(db, w.others[4].viewer, w.c.key, { confirm: "yes" });
    expect((await db.participant.findUniqueOrThrow({ where: { id: w.erin.me.id } })).status).toBe("active");
    expect((await db.participant.findUniqueOrThrow({ where: { id: w.others[4].me.id } })).status).toBe("erased");
  });
});

describe("privacy settings", () => {
  it("default to 'mark' and keeping passphrases; save in draft; locked (409) once positions open", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const facCookie = await signedIn(db, { accountId: fac.account.id });
    // defaults
    expect(await getPrivacySettings(db, fac.viewer, c.key)).toEqual({ erasureMode: "mark", eraseSignInOnPublish: false, minGroupSize: 5, locked: false });
    // the form is on the overview page
    const page = await get(`/facilitate/${c.slug}`, { cookie: facCookie });
    expect(page.body).toContain('name="erasureMode"');
    expect(page.body).toContain('name="eraseSignInOnPublish"');
    // bad input: 422, nothing saved
    const bad = await post(`/facilitate/${c.slug}?index`, { intent: "privacy", erasureMode: "shred" }, { cookie: facCookie });
    expect(bad.status).toBe(422);
    expect((await getPrivacySettings(db, fac.viewer, c.key)).erasureMode).toBe("mark");
    // draft: saved
    const saved = await post(`/facilitate/${c.slug}?index`, { intent: "privacy", erasureMode: "remove", eraseSignInOnPublish: "on" }, { cookie: facCookie });
    expect(saved.status).toBe(200);
    expect(await getPrivacySettings(db, fac.viewer, c.key)).toEqual({ erasureMode: "remove", eraseSignInOnPublish: true, minGroupSize: 5, locked: false });
    // a participant cannot change them (facilitator area: sign in first), another organisation gets 404
    await moveToPhase(fac, c, "positions");
    const member = await joinParticipant(fac, c, "Police");
    const byParticipant = await post(`/facilitate/${c.slug}?index`, { intent: "privacy", erasureMode: "mark" }, { cookie: sessionCookie(member.token) });
    expect(byParticipant.status).toBe(302);
    const other = await createFacilitator();
    expect((await domainError(setPrivacySettings(db, other.viewer, c.key, { erasureMode: "mark" }))).status).toBe(404);
    // positions open: locked, over HTTP and in the domain
    const locked = await post(`/facilitate/${c.slug}?index`, { intent: "privacy", erasureMode: "mark" }, { cookie: facCookie });
    expect(locked.status).toBe(409);
    expect(locked.body).toContain("locked");
    expect(await domainError(setPrivacySettings(db, fac.viewer, c.key, { erasureMode: "mark" }))).toMatchObject({ status: 409 });
    expect(await getPrivacySettings(db, fac.viewer, c.key)).toEqual({ erasureMode: "remove", eraseSignInOnPublish: true, minGroupSize: 5, locked: true });
    // the locked page shows the settings without a form
    const lockedPage = await get(`/facilitate/${c.slug}`, { cookie: facCookie });
    expect(lockedPage.body).not.toContain('name="erasureMode"');
    expect(lockedPage.body).toContain("These settings are locked");
  });
});

describe("the minimum behind any figure", () => {
  it("is set at set-up, never below 3 nor above 25, and every tally follows it", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const facCookie = await signedIn(db, { accountId: fac.account.id });
    expect((await get(`/facilitate/${c.slug}`, { cookie: facCookie })).body).toContain('name="minGroupSize"');
    for (const [value, message] of [["2", "At least 3"], ["26", "At most 25"], ["4.5", "whole number"], ["five", "Enter a number"]] as const) {
      const res = await post(`/facilitate/${c.slug}?index`, { intent: "privacy", erasureMode: "mark", minGroupSize: value }, { cookie: facCookie });
      expect(res.status, value).toBe(422);
      expect(res.body, value).toContain(message);
    }
    expect((await getPrivacySettings(db, fac.viewer, c.key)).minGroupSize).toBe(5);
    const saved = await post(`/facilitate/${c.slug}?index`, { intent: "privacy", erasureMode: "mark", minGroupSize: "7" }, { cookie: facCookie });
    expect(saved.status).toBe(200);
    expect((await getPrivacySettings(db, fac.viewer, c.key)).minGroupSize).toBe(7);
    // 6 voters on a position: fewer than 7, so no figure; the 7th shows it
    await moveToPhase(fac, c, "positions");
    const [author, ...voters] = await joinMany(fac, c, "Police", 8);
    const p = (await submit(author, c, "A position six people vote on first.")).id;
    await voteAll(voters.slice(0, 6), c, p, "agree");
    const shown = async () => (await listConsultationPositions(db, author.viewer, c.key, null)).byQuestion[c.questions[0]].find((x) => x.id === p)!.tally;
    expect(await shown()).toEqual({ suppressed: true, minimum: 7 });
    await voteAll(voters.slice(6), c, p, "disagree");
    expect(await shown()).toEqual({ suppressed: false, agree: 6, disagree: 1, pass: 0, total: 7 });
    // and, like the other privacy settings, it is locked once positions are open
    expect(await domainError(setPrivacySettings(db, fac.viewer, c.key, { erasureMode: "mark", minGroupSize: 3 }))).toMatchObject({ status: 409 });
  });
});

describe("erasing sign-in passphrases on publishing", () => {
  async function publishedWorld(erase: boolean, how: "movePhase" | "schedule") {
    const db = await getDb();
    const w = await buildWorld("mark", { eraseSignInOnPublish: erase });
    await moveToPhase(w.fac, w.c, "synthesis");
    expect(await db.participant.count({ where: { consultationId: w.c.id, passphraseHash: { not: null } } })).toBe(1);
    if (how === "movePhase") {
      await movePhase(db, w.fac.viewer, w.c.key, { to: "published" });
    } else {
      // The schedule: a publishing date in the past moves the phase on the next read (set directly: the
      // schedule form refuses dates in the past).
      await db.consultation.update({ where: { id: w.c.id }, data: { publishedAt: new Date(Date.now() - 60_000) } });
      expect((await findConsultation(db, { id: w.c.id }))!.phase).toBe("published");
    }
    expect((await db.consultation.findUniqueOrThrow({ where: { id: w.c.id } })).phase).toBe("published");
    return { db, w };
  }

  it.each(["movePhase", "schedule"] as const)("when chosen, every passphrase hash is erased on publishing (%s); recovery codes still work", async (how) => {
    const { db, w } = await publishedWorld(true, how);
    expect(await db.participant.count({ where: { consultationId: w.c.id, passphraseHash: { not: null } } })).toBe(0);
    // every participant session of the consultation ended: no device stays signed in as a pseudonym
    expect(await readSession(db, w.erin.token)).toBeNull();
    expect(await db.session.count({ where: { participants: { some: { participant: { consultationId: w.c.id } } } } })).toBe(0);
    // the facilitator's own session goes on
    expect(await readSession(db, w.facCookie.slice(w.facCookie.indexOf("=") + 1))).not.toBeNull();
    // pseudonym + passphrase: refused; recovery code: still in
    expect((await domainError(returnToConsultation(db, w.c.slug, { method: "passphrase", pseudonym: ERIN, passphrase: PASSPHRASE }))).status).toBe(422);
    expect((await returnToConsultation(db, w.c.slug, { method: "recovery", recoveryCode: w.erin.recoveryCode })).id).toBe(w.erin.me.id);
  });

  it.each(["movePhase", "schedule"] as const)("when not chosen, passphrases keep working after publishing (%s)", async (how) => {
    const { db, w } = await publishedWorld(false, how);
    expect(await db.participant.count({ where: { consultationId: w.c.id, passphraseHash: { not: null } } })).toBe(1);
    expect(await readSession(db, w.erin.token)).not.toBeNull();
    expect((await returnToConsultation(db, w.c.slug, { method: "passphrase", pseudonym: ERIN, passphrase: PASSPHRASE })).id).toBe(w.erin.me.id);
  });

  it("moving to another phase does not erase passphrases even when chosen", async () => {
    const db = await getDb();
    const w = await buildWorld("mark", { eraseSignInOnPublish: true });
    await moveToPhase(w.fac, w.c, "synthesis");
    expect(await db.participant.count({ where: { consultationId: w.c.id, passphraseHash: { not: null } } })).toBe(1);
  });
});
