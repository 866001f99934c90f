/**
 * Phase rules: what each phase of a consultation allows. Pure; tested in phases.test.ts.
 *
 *   draft -> positions -> deliberation -> synthesis -> published
 *
 * Facilitators move phases by hand (one step forward, or one step back while not published) or by
 * scheduled dates; a due date moves the phase forward, never back. Nothing changes after published.
 */
import { PHASES, type Phase } from "./schemas";

export type PhaseAction =
  | "join" // redeem an invitation
  | "submitPosition"
  | "editPosition"
  | "withdrawPosition"
  | "vote"
  | "comment"
  | "editComment"
  | "withdrawComment"
  | "flag"
  | "moderate" // hide / restore content, suspend participants
  | "editDetails" // title, description, limits
  | "editStructure" // stakeholder groups and questions
  | "invite" // create or revoke invitations
  | "runLiveSession"; // open a live session, spotlight positions, hold comments

const RULES: Record<PhaseAction, readonly Phase[]> = {
  join: ["draft", "positions", "deliberation"],
  submitPosition: ["positions"],
  // Editing changes what earlier voters agreed to: only while positions are being collected.
  editPosition: ["positions"],
  withdrawPosition: ["positions", "deliberation"],
  vote: ["positions", "deliberation"],
  comment: ["positions", "deliberation"],
  editComment: ["positions", "deliberation"],
  withdrawComment: ["positions", "deliberation"],
  flag: ["positions", "deliberation", "synthesis"],
  moderate: ["draft", "positions", "deliberation", "synthesis"],
  editDetails: ["draft", "positions", "deliberation", "synthesis"],
  editStructure: ["draft"],
  invite: ["draft", "positions", "deliberation"],
  // A live session is about voting together: only while votes are allowed.
  runLiveSession: ["positions", "deliberation"],
};

const WHY_NOT: Record<PhaseAction, string> = {
  join: "This consultation is no longer taking new participants.",
  submitPosition: "New positions can only be posted while positions are open.",
  editPosition: "Positions can only be edited while positions are open.",
  withdrawPosition: "Positions can no longer be withdrawn in this phase.",
  vote: "Voting is only open during the positions and deliberation phases.",
  comment: "Comments are only open during the positions and deliberation phases.",
  editComment: "Comments can no longer be edited in this phase.",
  withdrawComment: "Comments can no longer be withdrawn in this phase.",
  flag: "Flagging is closed in this phase.",
  moderate: "Nothing changes after the report is published.",
  editDetails: "Nothing changes after the report is published.",
  editStructure: "Stakeholder groups and questions can only be changed in the draft phase.",
  invite: "Invitations can only be managed before the synthesis phase.",
  runLiveSession: "Live sessions can only run while voting is open (positions and deliberation phases).",
};

export function phaseAllows(phase: Phase, action: PhaseAction): boolean {
  return RULES[action].includes(phase);
}

/** The message to show when `phase` does not allow `action`; null when it does. */
export function phaseRefusal(phase: Phase, action: PhaseAction): string | null {
  return phaseAllows(phase, action) ? null : WHY_NOT[action];
}

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

export function nextPhase(phase: Phase): Phase | null {
  return PHASES[phaseIndex(phase) + 1] ?? null;
}

export function previousPhase(phase: Phase): Phase | null {
  if (phase === "published") return null; // published is final
  return PHASES[phaseIndex(phase) - 1] ?? null;
}

/** A facilitator may move one step forward, or one step back unless published. */
export function canMovePhase(from: Phase, to: Phase): boolean {
  return to === nextPhase(from) || to === previousPhase(from);
}

export interface PhaseSchedule {
  phase: Phase;
  positionsAt: Date | null;
  deliberationAt: Date | null;
  synthesisAt: Date | null;
  publishedAt: Date | null;
}

const SCHEDULE_KEYS = [
  ["positions", "positionsAt"],
  ["deliberation", "deliberationAt"],
  ["synthesis", "synthesisAt"],
  ["published", "publishedAt"],
] as const;

/**
 * The phase a consultation should be in at `now` given its schedule: the latest phase whose start date
 * has passed, if that is later than the current phase. Schedules only ever move a phase forward.
 */
export function duePhase(schedule: PhaseSchedule, now: Date): Phase {
  let due = schedule.phase;
  for (const [phase, key] of SCHEDULE_KEYS) {
    const at = schedule[key];
    if (at && at <= now && phaseIndex(phase) > phaseIndex(due)) due = phase;
  }
  return due;
}
