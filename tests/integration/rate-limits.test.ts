/**
 * Abuse limits (consultations/rate-limits.ts) through the domain verbs and over HTTP (the real Remix
 * build, in process: tests/integration/http-harness.ts). The limits' clock is injected (no sleeping):
 * "after the window" moves it forward. Sign-in and invitations per client address go through the real
 * Express server in realtime-rate-limits.test.ts (the address comes from Express).
 */
import { getDb } from "../../consultations/db/client";
import { postComment } from "../../consultations/comments";
import {
  COMMENTS_PER_PARTICIPANT_PER_HOUR,
  configureRateLimits,
  POSITIONS_PER_GROUP_PER_HOUR,
  POSITIONS_PER_PARTICIPANT_PER_HOUR,
  resetRateLimits,
  setRateLimitClock,
  VOTES_PER_PARTICIPANT_PER_MINUTE,
} from "../../consultations/rate-limits";
import { castVotes, type Ballot } from "../../consultations/votes";
import { createConsultation, createFacilitator, domainError, joinMany, joinParticipant, submit, type Facilitator, type Member, type TestConsultation } from "../factories";
import { post, sessionCookie } from "./http-harness";

let now = Date.UTC(2026, 10, 23, 12);
beforeEach(() => {
  resetRateLimits();
  now = Date.UTC(2026, 10, 23, 12);
  setRateLimitClock(() => now);
});
afterAll(() => resetRateLimits());

const MINUTE = 60_000;
const [PEERS, POLICE] = ["Peers who use drugs", "Police"];

let fac: Facilitator;
let c: TestConsultation;
beforeAll(async () => {
  fac = await createFacilitator();
  c = await createConsultation(fac, { phase: "positions" });
});

/** Decodes the few entities React writes in text. */
const text = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

async function positionCount(authorId: string) {
  return (await getDb()).position.count({ where: { authorId } });
}

describe("positions", () => {
  it("over HTTP: the 11th position in a burst gets 429 with the message and Retry-After, and nothing is stored; after the wait it works", async () => {
    const [m] = await joinMany(fac, c, PEERS, 1);
    const cookie = sessionCookie(m.token);
    const path = `/c/${c.slug}/q/${c.questions[0]}`;
    const burst = POSITIONS_PER_PARTICIPANT_PER_HOUR.burst;
    expect(burst).toBe(10);
    for (let k = 0; k < burst; k++) {
      const res = await post(path, { intent: "submit", body: `Position number ${k + 1} of a quick writer.` }, { cookie });
      expect([k, res.status]).toEqual([k, 302]);
    }
    expect(await positionCount(m.me.id)).toBe(burst);
    const eventsBefore = await (await getDb()).consultationEvent.count({ where: { consultationId: c.id } });

    // Case: the 11th: refused, 20 an hour = one every 3 minutes.
    const refused = await post(path, { intent: "submit", body: "One position too many, right away." }, { cookie });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("180");
    expect(text(refused.body)).toContain("You have posted many positions in a short time. Please try again in about 3 minutes.");
    // What they typed is kept in the form.
    expect(refused.body).toContain("One position too many, right away.");
    expect(await positionCount(m.me.id)).toBe(burst);
    expect(await (await getDb()).consultationEvent.count({ where: { consultationId: c.id } })).toBe(eventsBefore);

    // Case: 3 minutes later one more goes through, and only one.
    now += 3 * MINUTE;
    expect((await post(path, { intent: "submit", body: "After the wait, this one is fine." }, { cookie })).status).toBe(302);
    expect((await post(path, { intent: "submit", body: "But this one is again too soon." }, { cookie })).status).toBe(429);
    expect(await positionCount(m.me.id)).toBe(burst + 1);
  });

  it("one group flooding does not block another group: the group's combined rate is capped, the other group posts", async () => {
    const perMember = POSITIONS_PER_PARTICIPANT_PER_HOUR.burst; // 10
    const groupBurst = POSITIONS_PER_GROUP_PER_HOUR.burst; // 150
    const flooders = await joinMany(fac, c, PEERS, groupBurst / perMember + 1); // 16
    const [police] = await joinMany(fac, c, POLICE, 1);
    // 15 members x 10 positions = the group's 150.
    for (const m of flooders.slice(0, -1)) for (let k = 0; k < perMember; k++) await submit(m, c);

    // Case: a 16th member of the same group, who has posted nothing, is refused by the group's limit.
    const last = flooders[flooders.length - 1];
    const error = await domainError(submit(last, c));
    expect(error.status).toBe(429);
    expect(error.kind).toBe("rate_limited");
    expect(error.message).toBe(
      "Your stakeholder group has posted many positions in a short time. To leave room for every group, new positions from your group wait a little. Please try again in 12 seconds.",
    );
    expect(await positionCount(last.me.id)).toBe(0);

    // Case: another group is not affected, over HTTP too.
    const res = await post(`/c/${c.slug}/q/${c.questions[0]}`, { intent: "submit", body: "The police group has its own room." }, { cookie: sessionCookie(police.token) });
    expect(res.status).toBe(302);
    expect(await positionCount(police.me.id)).toBe(1);

    // Case: 12 seconds later (300 an hour: one every 12 s for the whole group) the 16th member posts.
    now += 12 * 1000;
    await submit(last, c);
    expect(await positionCount(last.me.id)).toBe(1);
  });
});

describe("comments", () => {
  it("over HTTP: the 16th comment in a burst gets 429 with the message, nothing is stored", async () => {
    const [author, commenter] = [await joinParticipant(fac, c, POLICE), await joinParticipant(fac, c, PEERS)];
    const position = await submit(author, c);
    const db = await getDb();
    const burst = COMMENTS_PER_PARTICIPANT_PER_HOUR.burst;
    for (let k = 0; k < burst; k++) await postComment(db, commenter.viewer, c.key, position.id, { body: `Comment ${k + 1}`, stance: "neutral" });
    const res = await post(`/c/${c.slug}/p/${position.id}`, { intent: "comment", body: "One comment too many", stance: "for" }, { cookie: sessionCookie(commenter.token) });
    expect(res.status).toBe(429);
    // 60 an hour: one a minute.
    expect(res.headers.get("Retry-After")).toBe("60");
    expect(text(res.body)).toContain("You have posted many comments in a short time. Please try again in about a minute.");
    expect(await db.comment.count({ where: { authorId: commenter.me.id } })).toBe(burst);
    // The author (another participant) still comments.
    await postComment(db, author.viewer, c.key, position.id, { body: "My own reply", stance: "for" });
  });
});

describe("votes", () => {
  let voters: Member[];
  let positions: string[];
  beforeAll(async () => {
    const author = await joinParticipant(fac, c, POLICE);
    positions = [];
    for (let k = 0; k < 3; k++) positions.push((await submit(author, c)).id);
    voters = await joinMany(fac, c, PEERS, 2);
  });

  const ballot = (m: Member, positionId: string, k: number, requestKey?: string): Ballot => ({
    viewer: m.viewer,
    key: c.key,
    positionId,
    choice: k % 2 ? "agree" : "disagree",
    ...(requestKey ? { requestKey } : {}),
  });

  it("a batch is cut exactly where it goes over the voter's limit; others in the same batch are unaffected; nothing refused is stored", async () => {
    const [a, b] = voters;
    const burst = VOTES_PER_PARTICIPANT_PER_MINUTE.burst; // 120
    // One batch: a's 120 votes on position 0 (changing their mind), then a's 121st on position 1, then b's vote.
    const batch = [...Array.from({ length: burst }, (_, k) => ballot(a, positions[0], k)), ballot(a, positions[1], 0), ballot(b, positions[1], 1)];
    const results = await castVotes(await getDb(), batch);
    expect(results.slice(0, burst).every((r) => r.ok)).toBe(true);
    const over = results[burst];
    expect(over.ok).toBe(false);
    if (!over.ok) {
      expect(over.error.status).toBe(429);
      // 2 a second: half a second, said as a second.
      expect(over.error.message).toBe("You have voted very quickly. Please try again in a second.");
    }
    expect(results[burst + 1].ok).toBe(true);
    const db = await getDb();
    expect(await db.vote.count({ where: { participantId: a.me.id, positionId: positions[1] } })).toBe(0);
    expect(await db.vote.count({ where: { participantId: b.me.id, positionId: positions[1] } })).toBe(1);

    // Case: the HTTP vote of the same voter right after: 429 with Retry-After, nothing stored.
    const res = await post(`/c/${c.slug}/p/${positions[2]}`, { intent: "vote", choice: "agree" }, { cookie: sessionCookie(a.token) });
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("1");
    expect(await db.vote.count({ where: { participantId: a.me.id, positionId: positions[2] } })).toBe(0);

    // Case: a second later (2 a second) two more votes go through, the third does not.
    now += 1000;
    const later = await castVotes(db, [ballot(a, positions[1], 0), ballot(a, positions[2], 0), ballot(a, positions[2], 1)]);
    expect(later.map((r) => r.ok)).toEqual([true, true, false]);
  });

  it("a retry answered from its idempotency key costs nothing, even when the voter is out of votes", async () => {
    const [, b] = voters;
    const db = await getDb();
    const [first] = await castVotes(db, [ballot(b, positions[2], 1, "retry-key-1")]);
    expect(first.ok).toBe(true);
    // Use up b's votes.
    const spend = VOTES_PER_PARTICIPANT_PER_MINUTE.burst - 1;
    const spent = await castVotes(db, Array.from({ length: spend }, (_, k) => ballot(b, positions[0], k)));
    expect(spent.every((r) => r.ok)).toBe(true);
    expect((await castVotes(db, [ballot(b, positions[0], 0)]))[0].ok).toBe(false);
    // The retry of the first vote is still answered (as a repeat).
    const [retry] = await castVotes(db, [ballot(b, positions[2], 1, "retry-key-1")]);
    expect(retry.ok).toBe(true);
    if (retry.ok) expect(retry.repeated).toBe(true);
  });

  it("POLYPHONY_RATE_LIMITS=off (configureRateLimits): nothing is refused", async () => {
    configureRateLimits({ enabled: false });
    const [a] = voters;
    const results = await castVotes(await getDb(), Array.from({ length: 500 }, (_, k) => ballot(a, positions[0], k)));
    expect(results.every((r) => r.ok)).toBe(true);
  });
});
