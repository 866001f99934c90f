/**
 * Seeding for the realtime benchmark (tests/bench/realtime.ts), through the domain services only: a
 * facilitator signs up, creates a consultation with five stakeholder groups and one question, invites
 * people (batches of 500), they join with their invitations, the phase moves to positions, some of them
 * post positions, a few vote so the latency positions' tallies are shown (not "fewer than 5"), and every
 * participant gets a server-side session (createSession: the cookie token the sockets present).
 *
 * Who is who (all pseudonyms "Bench <n>", groups round-robin):
 *   listeners   the sockets that only listen (latency runs) and the idle sockets; the first ones author
 *               the positions and cast the pre-seeded votes
 *   latency     voters of the latency runs: new votes on the latency positions, at a fixed rate
 *   throughput  voters of the throughput runs: new votes on the throughput positions, as fast as acks come
 */
import { signUp } from "../../consultations/accounts";
import { addQuestion, createConsultation, movePhase } from "../../consultations/consultations";
import type { Db } from "../../consultations/db/client";
import { createInvitations } from "../../consultations/invitations";
import { joinWithInvitation } from "../../consultations/participants";
import type { ParticipantIdentity, Viewer } from "../../consultations/permissions";
import { submitPosition } from "../../consultations/positions";
import { createSession } from "../../consultations/sessions";
import { castVote } from "../../consultations/votes";

export interface SeedPlan {
  listeners: number;
  latencyVoters: number;
  throughputVoters: number;
  latencyPositions: number;
  throughputPositions: number;
  /** Votes cast on each latency position before the runs (>= the minimum group size, so tallies show). */
  preVotes: number;
}

export interface SeededParticipant {
  id: string;
  /** The session cookie's value. */
  token: string;
}

export interface Fixture {
  slug: string;
  consultationId: string;
  listeners: SeededParticipant[];
  latencyVoters: SeededParticipant[];
  throughputVoters: SeededParticipant[];
  /** With the number of votes each had after seeding (every later vote on them comes from the bench). */
  latencyPositions: Array<{ id: string; votes: number }>;
  throughputPositions: string[];
  seedMs: number;
}

const GROUPS = ["People who use drugs", "Sex workers", "Outreach workers", "Police", "Policymakers"];
const BATCH = 500; // LIMITS.invitationBatchMax
const JOIN_CONCURRENCY = Number(process.env.BENCH_JOIN_CONCURRENCY ?? 4);

export async function seedRealtimeBench(db: Db, plan: SeedPlan, log: (line: string) => void): Promise<Fixture> {
  const started = Date.now();
  const account = await signUp(db, {
    organisationName: "Bench network",
    displayName: "Bench facilitator",
    email: "bench-facilitator@example.org",
    password: "bench password long enough",
  });
  const facilitator: Viewer = {
    account: { id: account.id, organisationId: account.organisationId, displayName: account.displayName },
    participants: [],
  };
  const slug = "realtime-bench";
  const created = await createConsultation(db, facilitator, {
    slug,
    title: "Realtime benchmark consultation",
    description: "Seeded by tests/bench/realtime-seed.ts.",
    groups: GROUPS.join("\n"),
  });
  const key = { id: created.id };
  const question = await addQuestion(db, facilitator, key, { title: "What should change first?", context: "" });
  const groups = await db.stakeholderGroup.findMany({ where: { consultationId: created.id }, orderBy: { sortOrder: "asc" }, select: { id: true } });

  const total = plan.listeners + plan.latencyVoters + plan.throughputVoters;
  // Invitations per group, enough for the round-robin below.
  const codes: string[][] = groups.map(() => []);
  for (const [g, group] of groups.entries()) {
    let need = Math.ceil((total - g) / groups.length);
    while (need > 0) {
      const count = Math.min(BATCH, need);
      const issued = await createInvitations(db, facilitator, key, { groupId: group.id, count, validDays: 30, label: "Bench" });
      codes[g].push(...issued.map((i) => i.code));
      need -= count;
    }
  }
  log(`consultation /c/${slug}: ${codes.flat().length} invitations in ${groups.length} groups (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  // Joined a few at a time (the domain's transactions serialise on SQLite; the queries around them overlap).
  const people: Array<{ identity: ParticipantIdentity; token: string }> = new Array(total);
  const joinStarted = Date.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const g = i % groups.length;
      const code = codes[g][Math.floor(i / groups.length)];
      const joined = await joinWithInvitation(db, code, { pseudonym: `Bench ${i + 1}`, passphrase: "" });
      const session = await createSession(db, { participantIds: [joined.participant.id] });
      people[i] = {
        identity: { id: joined.participant.id, consultationId: created.id, groupId: groups[g].id, pseudonym: joined.participant.pseudonym, status: "active" },
        token: session.token,
      };
      done += 1;
      if (done % 1000 === 0 || done === total) {
        log(`joined ${done}/${total} participants with sessions (${((Date.now() - joinStarted) / done).toFixed(1)} ms each)`);
      }
    }
  };
  await Promise.all(Array.from({ length: JOIN_CONCURRENCY }, worker));

  await movePhase(db, facilitator, key, { to: "positions" });
  const viewerOf = (identity: ParticipantIdentity): Viewer => ({ account: null, participants: [identity] });
  const listeners = people.slice(0, plan.listeners);
  const latencyVoters = people.slice(plan.listeners, plan.listeners + plan.latencyVoters);
  const throughputVoters = people.slice(plan.listeners + plan.latencyVoters);

  const positionCount = plan.latencyPositions + plan.throughputPositions;
  if (positionCount + plan.preVotes > listeners.length) throw new Error("Not enough listeners to author positions and pre-vote.");
  const positionIds: string[] = [];
  for (let i = 0; i < positionCount; i++) {
    const author = listeners[i % listeners.length];
    const { id } = await submitPosition(db, viewerOf(author.identity), key, question.id, {
      body: `Benchmark position number ${i + 1}: peer workers should be paid for their time.`,
    });
    positionIds.push(id);
  }
  const latencyPositionIds = positionIds.slice(0, plan.latencyPositions);
  const throughputPositions = positionIds.slice(plan.latencyPositions);

  // Pre-votes on the latency positions by listeners who did not write them (the authors are listeners
  // 0..positionCount-1, so voters come from after them).
  const latencyPositions: Array<{ id: string; votes: number }> = [];
  for (const positionId of latencyPositionIds) {
    for (let v = 0; v < plan.preVotes; v++) {
      const voter = listeners[positionCount + v];
      await castVote(db, viewerOf(voter.identity), key, positionId, { choice: v % 3 === 0 ? "disagree" : "agree" });
    }
    latencyPositions.push({ id: positionId, votes: plan.preVotes });
  }
  log(`${positionCount} positions (${plan.latencyPositions} for latency with ${plan.preVotes} votes each, ${plan.throughputPositions} for throughput)`);

  const strip = (list: typeof people): SeededParticipant[] => list.map((p) => ({ id: p.identity.id, token: p.token }));
  return {
    slug,
    consultationId: created.id,
    listeners: strip(listeners),
    latencyVoters: strip(latencyVoters),
    throughputVoters: strip(throughputVoters),
    latencyPositions,
    throughputPositions,
    seedMs: Date.now() - started,
  };
}
