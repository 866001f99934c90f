/**
 * Constants shared by server and browser without zod: importing consultations/schemas.ts into a route
 * ships all of zod (~460 KB) to phones, so routes import labels and limits from here, and only types
 * (`import type`) from schemas.ts.
 */
export const PHASES = ["draft", "positions", "deliberation", "synthesis", "published"] as const;
export type PhaseName = (typeof PHASES)[number];

export const PHASE_LABELS: Record<PhaseName, string> = {
  draft: "Draft",
  positions: "Positions",
  deliberation: "Deliberation",
  synthesis: "Synthesis",
  published: "Published",
};

export const STANCE_LABELS = { for: "For", against: "Against", neutral: "Neutral" } as const;

export const LIMITS = {
  titleMax: 160,
  descriptionMax: 20_000,
  questionTitleMax: 300,
  questionContextMax: 10_000,
  groupNameMax: 80,
  groupsMax: 12,
  positionMin: 10,
  positionMaxDefault: 600,
  positionMaxCeiling: 2_000,
  commentMin: 2,
  commentMax: 1_500,
  reasonMax: 500,
  pseudonymMin: 3,
  pseudonymMax: 32,
  passphraseMin: 8,
  passphraseMax: 200,
  passwordMin: 12,
  passwordMax: 200,
  invitationBatchMax: 500,
  invitationDaysMax: 365,
} as const;

/**
 * Control characters nobody types (NUL, ESC, the rest of C0 and DEL; tab and line breaks are fine). They
 * can hide text in a terminal or a log, and PostgreSQL cannot store NUL in text at all: refused, never
 * silently dropped (schemas.ts `noControl`).
 */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
