/**
 * Types and zod schemas with the same names. Shared by the domain, the Remix forms (server and browser)
 * and, later, socket events. Browser-safe: no Node imports here.
 */
import { z } from "zod";

import { CONTROL_CHARACTERS, LIMITS, PHASES } from "./limits";
export { CONTROL_CHARACTERS, LIMITS, PHASES, PHASE_LABELS } from "./limits";

export const Phase = z.enum(PHASES);
export type Phase = z.infer<typeof Phase>;

export const Stance = z.enum(["for", "against", "neutral"], { error: "Choose for, against or neutral." });
export type Stance = z.infer<typeof Stance>;

/** +1 agree, -1 disagree, 0 pass. */
export const VoteValue = z.union([z.literal(1), z.literal(-1), z.literal(0)]);
export type VoteValue = z.infer<typeof VoteValue>;

/** How a vote reads in forms: agree / disagree / pass. */
export const VoteChoice = z.enum(["agree", "disagree", "pass"], { error: "Choose agree, disagree or pass." });
export type VoteChoice = z.infer<typeof VoteChoice>;
export const VOTE_VALUE: Record<VoteChoice, VoteValue> = { agree: 1, disagree: -1, pass: 0 };
export function voteChoice(value: number): VoteChoice {
  return value > 0 ? "agree" : value < 0 ? "disagree" : "pass";
}

export const ContentStatus = z.enum(["visible", "hidden", "withdrawn"]);
export type ContentStatus = z.infer<typeof ContentStatus>;

/**
 * A comment may also be "held": posted while a live session pre-moderates comments, it waits for a
 * facilitator (approve -> visible, or hide). Only its author and the facilitators see it until then.
 */
export const CommentStatus = z.enum(["visible", "hidden", "withdrawn", "held"]);
export type CommentStatus = z.infer<typeof CommentStatus>;

export const PositionSort = z.enum(["newest", "most-voted", "least-seen"]);
export type PositionSort = z.infer<typeof PositionSort>;

// ---- small helpers --------------------------------------------------------------------------

export const noControl = <T extends z.ZodType<string>>(schema: T, label: string) =>
  schema.refine((value) => !CONTROL_CHARACTERS.test(value), `${label} contains control characters. Remove them and try again.`);

/** Trimmed text; an empty string is reported as "required". */
const text = (label: string, max: number, min = 1) =>
  noControl(
    z
      .string({ error: `${label} is required.` })
      .trim()
      .min(min, min <= 1 ? `${label} is required.` : `${label} needs at least ${min} characters.`)
      .max(max, `${label} can have at most ${max} characters.`),
    label,
  );

/** Trimmed text that may be left empty (then ""). */
const optionalText = (label: string, max: number) =>
  noControl(z.string().trim().max(max, `${label} can have at most ${max} characters.`), label).default("");

/** Optional date from an <input type="datetime-local"> or ISO string; "" means none. */
const optionalDate = z
  .union([z.literal(""), z.string().trim()])
  .optional()
  .transform((value, ctx) => {
    if (!value) return null;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "Enter a valid date and time." });
      return z.NEVER;
    }
    return date;
  });

/** Words that are pages of their own under /facilitate/ or /c/. */
const RESERVED_SLUGS = new Set(["new", "join", "login", "logout", "signup", "account", "facilitate", "admin", "api"]);

export const Slug = z
  .string({ error: "Web address is required." })
  .trim()
  .toLowerCase()
  .min(3, "Web address needs at least 3 characters.")
  .max(60, "Web address can have at most 60 characters.")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes, like peer-work-2026.")
  .refine((slug) => !RESERVED_SLUGS.has(slug), "This web address is reserved. Choose another.");
export type Slug = z.infer<typeof Slug>;

// ---- accounts -----------------------------------------------------------------------------

export const Email = z
  .string({ error: "Email is required." })
  .trim()
  .toLowerCase()
  .max(254, "Email is too long.")
  .pipe(z.email("Enter a valid email address."));

export const Password = z
  .string({ error: "Password is required." })
  .min(LIMITS.passwordMin, `Password needs at least ${LIMITS.passwordMin} characters.`)
  .max(LIMITS.passwordMax, `Password can have at most ${LIMITS.passwordMax} characters.`);

export const SignUpInput = z.object({
  organisationName: text("Organisation name", 120),
  displayName: text("Your name", 80),
  email: Email,
  password: Password,
});
export type SignUpInput = z.infer<typeof SignUpInput>;

export const LoginInput = z.object({
  email: Email,
  password: z.string({ error: "Password is required." }).min(1, "Password is required.").max(LIMITS.passwordMax),
});
export type LoginInput = z.infer<typeof LoginInput>;

// ---- consultations ------------------------------------------------------------------------

export const GroupInput = z.object({
  name: text("Group name", LIMITS.groupNameMax),
  description: optionalText("Group description", 300),
});
export type GroupInput = z.infer<typeof GroupInput>;

/** Stakeholder groups typed one per line in a textarea. */
export const GroupLines = z
  .string({ error: "Declare at least one stakeholder group." })
  .transform((value) =>
    value
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(text("Group name", LIMITS.groupNameMax))
      .min(1, "Declare at least one stakeholder group.")
      .max(LIMITS.groupsMax, `At most ${LIMITS.groupsMax} stakeholder groups.`)
      .refine((names) => new Set(names.map((n) => n.toLowerCase())).size === names.length, {
        message: "Each stakeholder group needs a different name.",
      }),
  );

export const ConsultationInput = z.object({
  title: text("Title", LIMITS.titleMax),
  slug: Slug,
  description: text("Description", LIMITS.descriptionMax),
  maxPositionLength: z.coerce
    .number({ error: "Enter a number." })
    .int("Enter a whole number.")
    .min(100, "Allow at least 100 characters.")
    .max(LIMITS.positionMaxCeiling, `At most ${LIMITS.positionMaxCeiling} characters.`)
    .default(LIMITS.positionMaxDefault),
});
export type ConsultationInput = z.infer<typeof ConsultationInput>;

export const NewConsultationInput = ConsultationInput.extend({ groups: GroupLines });
export type NewConsultationInput = z.infer<typeof NewConsultationInput>;

export const QuestionInput = z.object({
  title: text("Question", LIMITS.questionTitleMax),
  context: optionalText("Context", LIMITS.questionContextMax),
});
export type QuestionInput = z.infer<typeof QuestionInput>;

export const ScheduleInput = z
  .object({
    positionsAt: optionalDate,
    deliberationAt: optionalDate,
    synthesisAt: optionalDate,
    publishedAt: optionalDate,
  })
  .superRefine((s, ctx) => {
    const order = [
      ["positionsAt", s.positionsAt],
      ["deliberationAt", s.deliberationAt],
      ["synthesisAt", s.synthesisAt],
      ["publishedAt", s.publishedAt],
    ] as const;
    let last: Date | null = null;
    for (const [key, date] of order) {
      if (!date) continue;
      if (last && date <= last) {
        ctx.addIssue({ code: "custom", path: [key], message: "Each phase must start after the one before." });
      }
      last = date;
    }
  });
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const InvitationBatchInput = z.object({
  groupId: z.string({ error: "Choose a stakeholder group." }).min(1, "Choose a stakeholder group."),
  count: z.coerce
    .number({ error: "Enter how many invitations." })
    .int("Enter a whole number.")
    .min(1, "Create at least one invitation.")
    .max(LIMITS.invitationBatchMax, `At most ${LIMITS.invitationBatchMax} invitations at a time.`)
    .default(1),
  validDays: z.coerce
    .number({ error: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(1, "Invitations must be valid for at least 1 day.")
    .max(LIMITS.invitationDaysMax, `At most ${LIMITS.invitationDaysMax} days.`)
    .default(30),
  label: optionalText("Label", 80),
});
export type InvitationBatchInput = z.infer<typeof InvitationBatchInput>;

// ---- participants -------------------------------------------------------------------------

export const Pseudonym = z
  .string({ error: "Choose a pseudonym." })
  .trim()
  .normalize("NFC")
  .min(LIMITS.pseudonymMin, `A pseudonym needs at least ${LIMITS.pseudonymMin} characters.`)
  .max(LIMITS.pseudonymMax, `A pseudonym can have at most ${LIMITS.pseudonymMax} characters.`)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "Use letters, digits, spaces, dots, dashes or underscores.")
  .refine((v) => !/@/.test(v), "Do not use an email address as a pseudonym.")
  // Any script's decimal digits (fullwidth, Arabic-Indic...) and every allowed separator, underscores too.
  .refine((v) => !/\p{Nd}{6,}/u.test(v.replace(/[\s._-]/g, "")), "Do not use a phone number as a pseudonym.");
export type Pseudonym = z.infer<typeof Pseudonym>;

export const Passphrase = z
  .string()
  .min(LIMITS.passphraseMin, `A passphrase needs at least ${LIMITS.passphraseMin} characters.`)
  .max(LIMITS.passphraseMax, `A passphrase can have at most ${LIMITS.passphraseMax} characters.`);

export const JoinInput = z.object({
  /** Empty: the app gives a pseudonym. */
  pseudonym: z.union([z.literal(""), Pseudonym]).optional().transform((v) => v || null),
  /** Empty: no passphrase; the recovery code is the only way back. */
  passphrase: z.union([z.literal(""), Passphrase]).optional().transform((v) => v || null),
});
export type JoinInput = z.infer<typeof JoinInput>;

export const ReturnInput = z.discriminatedUnion("method", [
  z.object({
    method: z.literal("passphrase"),
    pseudonym: z.string().trim().min(1, "Enter your pseudonym.").max(LIMITS.pseudonymMax),
    passphrase: z.string().min(1, "Enter your passphrase.").max(LIMITS.passphraseMax),
  }),
  z.object({
    method: z.literal("recovery"),
    recoveryCode: z.string().trim().min(1, "Enter your recovery code.").max(64, "That code is too long."),
  }),
]);
export type ReturnInput = z.infer<typeof ReturnInput>;

export const InvitationCode = z
  .string({ error: "Enter your invitation code." })
  .trim()
  .min(1, "Enter your invitation code.")
  .max(64, "That code is too long.");

// ---- languages (consultations/consultation-languages.ts) ----------------------------------

/** A language code as locale files name them ("en", "pt"); which ones exist is checked by the domain. */
const LANGUAGE_CODE_PATTERN = /^[a-z]{2,3}$/;

/** A consultation's languages as stored ("en,pt"), as a list: the first is the main language. */
export function languageList(column: string | null | undefined): string[] {
  const list = [...new Set((column ?? "").split(",").map((code) => code.trim()).filter(Boolean))];
  return list.length ? list : ["en"];
}

/** A list of languages as stored: "en,pt". */
export function languageColumn(list: readonly string[]): string {
  return list.join(",");
}

/** Form values: one code, codes separated by commas (ticked checkboxes), or a list. */
const codes = z
  .union([z.string().max(200, "Choose languages from the list."), z.array(z.string().max(10, "Choose languages from the list.")).max(50, "Choose languages from the list.")])
  .optional()
  .transform((value) => (Array.isArray(value) ? value : (value ?? "").split(",")).map((code) => code.trim().toLowerCase()).filter(Boolean));

/**
 * The languages a facilitator declares for a consultation: `mainLanguage` (a select) and `languages` (the
 * ticked checkboxes, the main one may be among them). The result lists the main language first, then the
 * others in the order given. `supported`: the codes of the locale files (consultations/languages.ts).
 */
export function LanguagesInput(supported: readonly string[]) {
  return z
    .object({ mainLanguage: codes, languages: codes })
    .transform(({ mainLanguage, languages }, ctx) => {
      const list = [...new Set([...mainLanguage.slice(0, 1), ...languages])];
      const unknown = list.find((code) => !LANGUAGE_CODE_PATTERN.test(code) || !supported.includes(code));
      if (unknown !== undefined) {
        ctx.addIssue({ code: "custom", path: ["languages"], message: "Choose languages from the list: one of them is not available." });
        return z.NEVER;
      }
      if (!list.length) {
        ctx.addIssue({ code: "custom", path: ["languages"], message: "Choose at least one language." });
        return z.NEVER;
      }
      return list;
    });
}

/** The language a participant wrote a position or comment in; empty: the consultation's main language. */
export const ContentLanguage = z
  .string()
  .trim()
  .toLowerCase()
  .max(10, "Choose a language from the list.")
  .optional()
  .transform((v) => v || null);

// ---- contributions ------------------------------------------------------------------------

/** A position's Markdown; the consultation's own maximum is checked by the domain. */
export const PositionInput = z.object({
  body: text("Your position", LIMITS.positionMaxCeiling, LIMITS.positionMin),
  language: ContentLanguage,
});
export type PositionInput = z.infer<typeof PositionInput>;

export const CommentInput = z.object({
  body: text("Your comment", LIMITS.commentMax, LIMITS.commentMin),
  stance: Stance.default("neutral"),
  language: ContentLanguage,
  parentId: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null),
});
export type CommentInput = z.infer<typeof CommentInput>;

export const VoteInput = z.object({ choice: VoteChoice });
export type VoteInput = z.infer<typeof VoteInput>;

/** A checkbox as forms send it ("on" when ticked, absent otherwise), or a boolean from code and sockets. */
/**
 * A checkbox: ticked ("on", as browsers send it, or true/1/yes) or not (absent, "", off/false/0/no).
 * Any other value is refused, not read as "not ticked".
 */
const CHECKBOX_ON = ["on", "true", "1", "yes"];
const CHECKBOX_OFF = ["", "off", "false", "0", "no"];
export const Checkbox = z
  .union([
    z.boolean(),
    z
      .string()
      .max(8, "Tick the box or leave it empty.")
      .refine((v) => [...CHECKBOX_ON, ...CHECKBOX_OFF].includes(v.trim().toLowerCase()), "Tick the box or leave it empty."),
  ])
  .optional()
  .transform((v) => v === true || (typeof v === "string" && CHECKBOX_ON.includes(v.trim().toLowerCase())));

/** Live session settings: whether new comments wait for a facilitator (pre-moderation). */
export const LiveSessionInput = z.object({ holdComments: Checkbox });
export type LiveSessionInput = z.infer<typeof LiveSessionInput>;

// ---- proxy entry (consultations/proxy.ts) ---------------------------------------------------

/** A facilitator marks a group whose members (outreach workers) may enter positions for peers. */
export const OutreachGroupInput = z.object({ outreach: Checkbox });
export type OutreachGroupInput = z.infer<typeof OutreachGroupInput>;

/** The outreach worker's confirmation that the peer agreed (a ticked checkbox is required). */
const PeerConsented = Checkbox.refine((v) => v, "Confirm that the peer agreed to you entering this position for them.");

/**
 * A position entered by an outreach worker for a peer who is not online: under the peer's existing pseudonym
 * (with the one-time consent code the peer made on their own page) or under a new pseudonym for the peer.
 */
export const ProxyPositionInput = z.discriminatedUnion(
  "peer",
  [
    z.object({
      peer: z.literal("existing"),
      consentCode: z.string({ error: "Enter the peer's consent code." }).trim().min(1, "Enter the peer's consent code.").max(64, "That code is too long."),
      questionId: z.string({ error: "Choose a question." }).min(1, "Choose a question."),
      body: text("The position", LIMITS.positionMaxCeiling, LIMITS.positionMin),
      language: ContentLanguage,
      consented: PeerConsented,
    }),
    z.object({
      peer: z.literal("new"),
      groupId: z.string({ error: "Choose the peer's stakeholder group." }).min(1, "Choose the peer's stakeholder group."),
      /** Empty: the app gives a pseudonym. */
      pseudonym: z.union([z.literal(""), Pseudonym]).optional().transform((v) => v || null),
      questionId: z.string({ error: "Choose a question." }).min(1, "Choose a question."),
      body: text("The position", LIMITS.positionMaxCeiling, LIMITS.positionMin),
      language: ContentLanguage,
      consented: PeerConsented,
    }),
  ],
  { error: "Choose whether the peer already takes part or needs a new pseudonym." },
);
export type ProxyPositionInput = z.infer<typeof ProxyPositionInput>;

export const ReasonInput = z.object({ reason: text("Reason", LIMITS.reasonMax) });
export type ReasonInput = z.infer<typeof ReasonInput>;

export const FlagTarget = z.enum(["position", "comment"], { error: "Choose a position or a comment." });
export type FlagTarget = z.infer<typeof FlagTarget>;

// ---- helpers for forms --------------------------------------------------------------------

/** zod issues as { field: [messages] } for forms; issues without a path go under "form". */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
