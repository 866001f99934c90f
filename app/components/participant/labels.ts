/**
 * Words the participant pages use for phases, stances and votes. Browser-safe and tiny: it repeats a
 * few labels instead of importing consultations/schemas.ts (which would ship zod to every phone).
 * Types come from schemas.ts as type-only imports, so they stay in step with the domain.
 */
import type { Phase, Stance, VoteChoice } from "../../../consultations/schemas";

export type { Phase, Stance, VoteChoice };

/** Input limits shared with the domain (a zod-free module, safe for the browser bundle). */
export { CONTROL_CHARACTERS, LIMITS } from "../../../consultations/limits";

export const PHASE_NAMES: Record<Phase, string> = {
  draft: "Not open yet",
  positions: "Positions are open",
  deliberation: "Discussion and voting",
  synthesis: "Report in preparation",
  published: "Report published",
};

/** What a participant can do now, in plain words. */
export const PHASE_HELP: Record<Phase, string> = {
  draft: "The consultation has not opened yet. You can read the questions now; posting and voting open soon.",
  positions:
    "Post your positions on each question, vote agree, disagree or pass on other people's positions, and discuss them in the comments.",
  deliberation:
    "New positions are closed. You can still vote on positions, discuss them in the comments, and withdraw your own.",
  synthesis:
    "Voting and discussion are closed. The facilitators are writing the report from what was said. You can still read everything and flag a problem.",
  published: "The report is published and the consultation is closed. Thank you for taking part.",
};

/** When a scheduled date moves the consultation on, what happens then. */
export const NEXT_PHASE_EVENT: Partial<Record<Phase, string>> = {
  draft: "Positions open",
  positions: "New positions close",
  deliberation: "Voting and discussion close",
  synthesis: "The report is published",
};

export const STANCE_LABELS: Record<Stance, string> = { for: "For", against: "Against", neutral: "Neutral" };
export const STANCES: Stance[] = ["for", "against", "neutral"];

export const VOTE_LABELS: Record<VoteChoice, string> = { agree: "Agree", disagree: "Disagree", pass: "Pass" };
export const VOTE_CHOICES: VoteChoice[] = ["agree", "disagree", "pass"];

export const SORT_LABELS = {
  newest: "Newest first",
  "most-voted": "Most voted first",
  "least-seen": "Least seen first",
} as const;
export type SortKey = keyof typeof SORT_LABELS;

/** Path helpers for the participant pages. */
export const paths = {
  consultation: (slug: string) => `/c/${encodeURIComponent(slug)}`,
  back: (slug: string) => `/c/${encodeURIComponent(slug)}/return`,
  question: (slug: string, questionId: string) => `/c/${encodeURIComponent(slug)}/q/${encodeURIComponent(questionId)}`,
  position: (slug: string, positionId: string) => `/c/${encodeURIComponent(slug)}/p/${encodeURIComponent(positionId)}`,
  next: (slug: string, questionId?: string | null) =>
    `/c/${encodeURIComponent(slug)}/next${questionId ? `?q=${encodeURIComponent(questionId)}` : ""}`,
  facilitate: (slug: string) => `/facilitate/${encodeURIComponent(slug)}`,
  /** The live session: participants follow the facilitator's spotlight. */
  live: (slug: string) => `/c/${encodeURIComponent(slug)}/live`,
  /** The facilitator's live session console. */
  facilitateLive: (slug: string) => `/facilitate/${encodeURIComponent(slug)}/live`,
};

/** "1 comment", "3 comments". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
