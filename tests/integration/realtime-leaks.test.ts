/**
 * Leak check: everything a police participant's socket receives during a busy consultation (positions,
 * comments, votes, flags, moderation, a suspension, invitations, a live session with held comments), live
 * and replayed from the start, carries no email, account or organisation id, participant id, recovery or
 * invitation code, session token or id; no facilitator-only event; no pseudonym of an author whose content
 * is hidden (in the replay) or of a participant who only voted. And police get exactly what any other
 * participant gets.
 */
import { approveComment, postComment } from "../../consultations/comments";
import { getDb } from "../../consultations/db/client";
import { createInvitations } from "../../consultations/invitations";
import { closeSession, openSession, spotlight } from "../../consultations/live-sessions";
import { flagContent, hideContent } from "../../consultations/moderation";
import { reinstateParticipant, suspendParticipant } from "../../consultations/participants";
import { createSession } from "../../consultations/sessions";
import { castVote } from "../../consultations/votes";
import type { Ack, ConsultationEventPayload } from "../../realtime/event-map";
import { EVENT_RULES, ruleFor } from "../../realtime/event-policy";
import { createConsultation, createFacilitator, joinMany, joinParticipant, moveToPhase, submit, voteAll } from "../factories";
import { connect, joined, requestKey, startServer, type Client, type RunningServer } from "./realtime-harness";

let srv: RunningServer;
const open: Client[] = [];
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  for (const client of open) client.close();
  await srv.close();
});

const FACILITATOR_ONLY = Object.entries(EVENT_RULES)
  .filter(([, rule]) => rule.audience === "facilitators")
  .map(([type]) => type);

it("a police participant's socket receives no identifying data, and what any participant receives", { timeout: 60_000 }, async () => {
  const db = await getDb();
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const facToken = (await createSession(db, { accountId: fac.account.id })).token;
  const police = await joinParticipant(fac, c, "Police");
  const peer = await joinParticipant(fac, c, "Peers who use drugs");
  const authorA = await joinParticipant(fac, c, "Sex workers");
  const authorB = await joinParticipant(fac, c, "Sex workers");
  const voters = await joinMany(fac, c, "Outreach workers", 4);

  const policeLive = await joined(srv.url, police.token, c.slug, 0);
  const peerLive = await joined(srv.url, peer.token, c.slug, 0);
  const facLive = await joined(srv.url, facToken, c.slug, 0);
  open.push(policeLive, peerLive, facLive);
  const acks: Ack[] = [];

  // Positions, comments, votes (domain, and the two watchers over their sockets).
  const p1 = (await submit(authorA, c)).id;
  const p2 = (await submit(authorB, c)).id;
  await postComment(db, voters[0].viewer, c.key, p1, { body: "I agree with this, from experience.", stance: "for" });
  await voteAll(voters, c, p1, "agree");
  await voteAll(voters.slice(0, 2), c, p2, "disagree");
  acks.push(await policeLive.request("vote.cast", { slug: c.slug, positionId: p1, choice: "disagree", idempotencyKey: requestKey() }));
  acks.push(await policeLive.request("vote.cast", { slug: c.slug, positionId: p2, choice: "agree", idempotencyKey: requestKey() }));
  await peerLive.request("vote.cast", { slug: c.slug, positionId: p1, choice: "agree", idempotencyKey: requestKey() });

  // Moderation: a flag, a hidden position, invitations, a participant who only votes, suspended and back.
  await flagContent(db, peer.viewer, c.key, "position", p2, { reason: "It names a person." });
  await hideContent(db, fac.viewer, c.key, "position", p2, { reason: "Names a person." });
  const codes = (await createInvitations(db, fac.viewer, c.key, { groupId: c.groups["Police"], count: 3 })).map((i) => i.code);
  const quiet = await joinParticipant(fac, c, "Policymakers");
  await castVote(db, quiet.viewer, c.key, p1, { choice: "pass" });
  await suspendParticipant(db, fac.viewer, c.key, quiet.me.id, { reason: "Testing." });
  await reinstateParticipant(db, fac.viewer, c.key, quiet.me.id);

  // A live session holding comments: one held, then approved.
  await openSession(db, fac.viewer, c.key, { holdComments: true });
  await spotlight(db, fac.viewer, c.key, p1);
  const held = await postComment(db, voters[1].viewer, c.key, p1, { body: "Held until a facilitator looks.", stance: "against" });
  await approveComment(db, fac.viewer, c.key, held.id);
  await closeSession(db, fac.viewer, c.key);
  await moveToPhase(fac, c, "deliberation");

  // Everything has arrived (the facilitator sees every event).
  const last = (await db.consultation.findUniqueOrThrow({ where: { id: c.id }, select: { eventSeq: true } })).eventSeq;
  await facLive.until((r) => r.events.at(-1)?.seq === last, 5000);
  await new Promise((resolve) => setTimeout(resolve, 150));

  // Another police socket replays everything from the start.
  const policeReplay = await connect(srv.url, { token: police.token });
  open.push(policeReplay);
  acks.push(await policeReplay.request("consultation.join", { slug: c.slug, afterSeq: 0 }));

  const received = JSON.stringify([policeLive.received.all, policeReplay.received.all, acks]);
  const participants = await db.participant.findMany({ where: { consultationId: c.id }, select: { id: true } });
  const sessions = await db.session.findMany({ select: { id: true } });
  const forbidden = [
    fac.email,
    fac.account.id,
    fac.account.organisationId,
    ...participants.map((p) => p.id),
    ...[police, peer, authorA, authorB, quiet, ...voters].flatMap((m) => [m.recoveryCode, m.token, m.sessionId]),
    facToken,
    ...sessions.map((s) => s.id),
    ...codes,
  ];
  expect(participants.length).toBeGreaterThanOrEqual(9);
  for (const secret of forbidden) expect(received.includes(secret), `leaked: ${secret}`).toBe(false);
  expect(received).not.toMatch(/@example\.org/);

  // Facilitator-only events never reach a participant; a pseudonym of someone who only voted never does.
  for (const events of [policeLive.received.events, policeReplay.received.events]) {
    expect(events.filter((e) => FACILITATOR_ONLY.includes(e.type))).toEqual([]);
  }
  expect(received.includes(quiet.pseudonym)).toBe(false);
  // The facilitator did get them.
  const facTypes = new Set(facLive.received.events.map((e) => e.type));
  for (const type of ["flag.raised", "participant.suspended", "participant.reinstated", "invitations.created", "comment.held", "participant.joined"]) {
    expect(facTypes.has(type), type).toBe(true);
  }

  // In the replay, the hidden position's author is not named (live, it was visible when posted).
  const replayedP2 = policeReplay.received.events.find((e) => e.type === "position.submitted" && e.data.positionId === p2)!;
  expect(replayedP2.data).toEqual({ positionId: p2, questionId: c.questions[0] });
  expect(JSON.stringify(policeReplay.received.all).includes(authorB.pseudonym)).toBe(false);
  const facReplay = await connect(srv.url, { token: facToken });
  open.push(facReplay);
  await facReplay.request("consultation.join", { slug: c.slug, afterSeq: 0 });
  expect(facReplay.received.events.find((e) => e.type === "position.submitted" && e.data.positionId === p2)!.data.pseudonym).toBe(authorB.pseudonym);

  // Police get exactly what any participant gets: the same events, in the same order, with the same data.
  const strip = (events: ConsultationEventPayload[]) => events.map((e) => JSON.stringify(e));
  expect(strip(policeLive.received.events)).toEqual(strip(peerLive.received.events));
  // A participant gets every event for everyone: replayed up to the join, then live except votes
  // (folded into tally updates).
  const stored = await db.consultationEvent.findMany({ where: { consultationId: c.id }, orderBy: { seq: "asc" }, select: { seq: true, type: true } });
  const expected = stored.filter((e) => ruleFor(e.type).audience === "everyone" && (e.seq <= policeLive.seq || !ruleFor(e.type).foldedIntoTallies));
  expect(policeLive.received.events.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
  expect(expected.filter((e) => e.seq > policeLive.seq).length).toBeGreaterThan(8);
  // A live event and its replay agree (except the authors of content hidden since).
  const live = new Map(policeLive.received.events.map((e) => [e.seq, e]));
  for (const event of policeReplay.received.events) {
    if (event.type === "position.submitted" && event.data.positionId === p2) continue;
    if (live.has(event.seq)) expect(event).toEqual(live.get(event.seq));
  }
});
