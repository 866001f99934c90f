/**
 * A consultation ready for synthesis, shared by synthesis-runs.test.ts and authz-reports.test.ts:
 * five stakeholder groups of five voters (plus one extra peer who is then suspended), two questions,
 * positions everyone supports, one that divides police from the others, one the author withdrew, one a
 * facilitator hid, and one that names a participant and a facilitator's email in its text (the report
 * must blank them). Left in the deliberation phase.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { getDb } from "../../consultations/db/client";
import * as moderation from "../../consultations/moderation";
import * as participants from "../../consultations/participants";
import * as positions from "../../consultations/positions";
import type { VoteChoice } from "../../consultations/schemas";
import { castVote } from "../../consultations/votes";
import { PROJECT_ROOT } from "../setup/paths";
import {
  createConsultation,
  createFacilitator,
  DEFAULT_GROUPS,
  joinMany,
  joinParticipant,
  moveToPhase,
  submit,
  type Facilitator,
  type Member,
  type TestConsultation,
} from "../factories";

export const FAKE_ENGINE = pathToFileURL(path.join(PROJECT_ROOT, "tests", "fixtures", "fake-synthesis-engine.ts")).href;
export const FAILING_ENGINE = pathToFileURL(path.join(PROJECT_ROOT, "tests", "fixtures", "failing-synthesis-engine.ts")).href;
export const SLOW_ENGINE = pathToFileURL(path.join(PROJECT_ROOT, "tests", "fixtures", "slow-synthesis-engine.ts")).href;

export interface SynthesisWorld {
  fac: Facilitator;
  c: TestConsultation;
  /** Members by group name (five each, all active). */
  members: Record<string, Member[]>;
  /** The suspended peer (voted before being suspended). */
  suspended: Member;
  positionIds: { shared: string; divides: string; fairPay: string; mentions: string; hidden: string; withdrawn: string };
  /** Every pseudonym of the consultation. */
  pseudonyms: string[];
  /** Every participant id of the consultation. */
  participantIds: string[];
}

const POLICE = "Police";

/** How each group votes on each kind of position. */
function choiceFor(kind: keyof SynthesisWorld["positionIds"], group: string, i: number): VoteChoice | null {
  switch (kind) {
    case "shared":
    case "fairPay":
      return i === 4 && group === POLICE ? "pass" : "agree";
    case "mentions":
      return "agree";
    case "divides":
      return group === POLICE ? "disagree" : "agree";
    case "hidden":
    case "withdrawn":
      return "agree";
  }
}

export async function synthesisWorld(opts: { slug?: string } = {}): Promise<SynthesisWorld> {
  const db = await getDb();
  const fac = await createFacilitator();
  const c = await createConsultation(fac, {
    questions: ["Where should drug checking happen?", "How should peer work be supported?"],
    phase: "positions",
    ...(opts.slug ? { slug: opts.slug } : {}),
  });
  const members: Record<string, Member[]> = {};
  for (const group of DEFAULT_GROUPS) members[group] = await joinMany(fac, c, group, 5);
  const suspended = await joinParticipant(fac, c, DEFAULT_GROUPS[0]);

  const peer = members[DEFAULT_GROUPS[0]][0];
  const sexWorker = members[DEFAULT_GROUPS[1]][0];
  const outreach = members[DEFAULT_GROUPS[2]][0];
  const officer = members[POLICE][0];
  const mentioned = members[DEFAULT_GROUPS[4]][1].pseudonym;

  const shared = await submit(peer, c, "Drug checking should be free and anonymous at every festival.", c.questions[0]);
  const divides = await submit(sexWorker, c, "Police should stay away from drug checking sites.", c.questions[0]);
  const fairPay = await submit(outreach, c, "Peer workers deserve **fair pay** for their work.", c.questions[1]);
  const mentions = await submit(
    officer,
    c,
    `As ${mentioned} said, services need night hours; write to ${fac.email} for the rota.`,
    c.questions[1],
  );
  const hidden = await submit(sexWorker, c, "A position the facilitator will hide from everyone.", c.questions[1]);
  const withdrawn = await submit(outreach, c, "A position its author will withdraw before the end.", c.questions[0]);
  const positionIds = { shared: shared.id, divides: divides.id, fairPay: fairPay.id, mentions: mentions.id, hidden: hidden.id, withdrawn: withdrawn.id };
  const authors = new Map<string, string>([
    [shared.id, peer.me.id],
    [divides.id, sexWorker.me.id],
    [fairPay.id, outreach.me.id],
    [mentions.id, officer.me.id],
    [hidden.id, sexWorker.me.id],
    [withdrawn.id, outreach.me.id],
  ]);

  for (const [group, list] of Object.entries(members)) {
    for (const [i, m] of list.entries()) {
      for (const [kind, positionId] of Object.entries(positionIds) as Array<[keyof typeof positionIds, string]>) {
        if (authors.get(positionId) === m.me.id) continue;
        const choice = choiceFor(kind, group, i);
        if (choice) await castVote(db, m.viewer, c.key, positionId, { choice });
      }
    }
  }
  // The participant who is then suspended disagrees with everything: none of it may count.
  for (const positionId of Object.values(positionIds)) await castVote(db, suspended.viewer, c.key, positionId, { choice: "disagree" });

  await positions.withdrawPosition(db, outreach.viewer, c.key, withdrawn.id);
  await moderation.hideContent(db, fac.viewer, c.key, "position", hidden.id, { reason: "Off topic." });
  await participants.suspendParticipant(db, fac.viewer, c.key, suspended.me.id, { reason: "Harassment." });
  await moveToPhase(fac, c, "deliberation");

  const people = await db.participant.findMany({ where: { consultationId: c.id }, select: { id: true, pseudonym: true } });
  return {
    fac,
    c,
    members,
    suspended,
    positionIds,
    pseudonyms: people.map((p) => p.pseudonym),
    participantIds: people.map((p) => p.id),
  };
}

/** Waits until the consultation has no queued or running synthesis (runs started through HTTP). */
export async function waitForRuns(consultationId: string, timeoutMs = 60_000): Promise<void> {
  const db = await getDb();
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const active = await db.synthesisRun.count({ where: { consultationId, status: { in: ["queued", "running"] } } });
    if (!active) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the synthesis run did not finish in time");
}
