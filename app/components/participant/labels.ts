/**
 * Phases, stances and votes as the participant pages name them (their translation keys), and the pages'
 * paths. Browser-safe and tiny: it does not import consultations/schemas.ts (which would ship zod to every phone).
 * Types come from schemas.ts as type-only imports, so they stay in step with the domain.
 */
import type { Phase, Stance, VoteChoice } from "../../../consultations/schemas";

export type { Phase, Stance, VoteChoice };

/** Input limits shared with the domain (a zod-free module, safe for the browser bundle). */
export { CONTROL_CHARACTERS, LIMITS } from "../../../consultations/limits";

/**
 * The words themselves live in the locale files (consultations/locales/<lang>.json), under
 * `participant.phase.<phase>.name` / `.help` / `.next`, `participant.stance.<stance>`,
 * `participant.vote.<choice>` and `participant.sort.<key>`: read them with `t(...)`.
 */
export const STANCES: Stance[] = ["for", "against", "neutral"];
export const VOTE_CHOICES: VoteChoice[] = ["agree", "disagree", "pass"];
export const SORT_KEYS = ["newest", "most-voted", "least-seen"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Translation keys for phases, stances, votes and sort orders (pass them to `t`). */
export const labelKeys = {
  phaseName: (phase: Phase) => `participant.phase.${phase}.name`,
  phaseHelp: (phase: Phase) => `participant.phase.${phase}.help`,
  /** What happens when a scheduled date moves the consultation on (none after published). */
  nextPhaseEvent: (phase: Phase) => (phase === "published" ? null : `participant.phase.${phase}.next`),
  stance: (stance: Stance) => `participant.stance.${stance}`,
  vote: (choice: VoteChoice) => `participant.vote.${choice}`,
  sort: (key: SortKey) => `participant.sort.${key}`,
};

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
