/**
 * The audit log: what facilitators (and the schedule) did in a consultation, for its facilitators.
 *
 * - Written by the verbs themselves, inside the same `commit()` transaction as the action
 *   (`await audit(tx, viewer, consultationId, "position.hidden", {...})`), so an action and its entry
 *   commit or roll back together; a refused or failed action writes nothing.
 * - Pseudonymous actors: an account appears as "Facilitator 2", numbered per consultation in order of
 *   first action. No account id or email is stored or shown: an AuditActor row keeps HMAC-SHA256 of the
 *   account id under its own random salt, so the same account is a different, unlinkable actor in each
 *   consultation (the database's Account table can of course still be tried against it by whoever holds
 *   the whole database).
 * - Append-only: this module only ever creates AuditEntry rows; nothing updates or deletes them (a test
 *   greps the source tree). They go only with their consultation (foreign-key cascade).
 * - Reading, the CSV and download records: consultations/audit-log.ts.
 * - Participants appear as their pseudonym, read when the log is shown (an erased participant then reads
 *   "an erased participant": the log keeps no copy of the pseudonym).
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Tx } from "./db/client";
import { safeEqual } from "./crypto";
import { forbidden } from "./errors";
import type { Viewer } from "./permissions";

/** Every action the log records, past tense. */
export const AUDIT_ACTIONS = {
  "phase.changed": "Changed the phase",
  "position.hidden": "Hid a position",
  "position.restored": "Restored a position",
  "comment.hidden": "Hid a comment",
  "comment.restored": "Restored a comment",
  "flags.dismissed": "Dismissed flags",
  "participant.suspended": "Suspended a participant",
  "participant.reinstated": "Reinstated a participant",
  "comment.approved": "Approved a held comment",
  "invitations.created": "Created a batch of invitations",
  "invitation.revoked": "Revoked an invitation",
  "invitations.revoked": "Revoked a batch of invitations",
  "synthesis.started": "Started a synthesis run",
  "report.published": "Published the report",
  "report.downloaded": "Downloaded the report",
  "live.opened": "Opened a live session",
  "live.closed": "Closed a live session",
  "live.holding.changed": "Changed comment holding in the live session",
  "settings.changed": "Changed the consultation's details",
  "schedule.changed": "Changed the phase schedule",
  "question.added": "Added a question",
  "question.updated": "Edited a question",
  "question.removed": "Removed a question",
  "group.added": "Added a stakeholder group",
  "group.updated": "Edited a stakeholder group",
  "group.removed": "Removed a stakeholder group",
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export type AuditTargetKind =
  | "position"
  | "comment"
  | "participant"
  | "invitation"
  | "invitationBatch"
  | "synthesisRun"
  | "report"
  | "liveSession"
  | "question"
  | "group"
  | "consultation";

export interface AuditDetails {
  target?: { kind: AuditTargetKind; id: string };
  /** What changed, in words ("positions → deliberation", "draft report, csv"). No personal data. */
  detail?: string | null;
  reason?: string | null;
}

/** Who acted: a viewer with a facilitator account, or the schedule (scheduled phase changes). */
export type AuditBy = Viewer | "schedule";

function accountKey(salt: string, accountId: string): string {
  return createHmac("sha256", salt).update(accountId).digest("hex");
}

/** The consultation's actor row for this account, created (next number) on its first action. */
async function actorId(tx: Tx, consultationId: string, accountId: string): Promise<string> {
  const actors = await tx.auditActor.findMany({ where: { consultationId }, select: { id: true, salt: true, accountKey: true, number: true } });
  for (const actor of actors) if (safeEqual(accountKey(actor.salt, accountId), actor.accountKey)) return actor.id;
  const salt = randomBytes(16).toString("hex");
  const number = actors.reduce((max, a) => Math.max(max, a.number), 0) + 1;
  const created = await tx.auditActor.create({ data: { consultationId, number, salt, accountKey: accountKey(salt, accountId) }, select: { id: true } });
  return created.id;
}

/**
 * Appends one entry, in the caller's transaction (inside `commit()`, after the action's own writes, so
 * SQLite's write lock is already held). Throws when `by` is a viewer without a facilitator account:
 * only facilitators' actions are audited, and a verb that audits must have authorized one.
 */
export async function audit(tx: Tx, by: AuditBy, consultationId: string, action: AuditAction, details: AuditDetails = {}, at = new Date()): Promise<void> {
  let actor: string | null = null;
  if (by !== "schedule") {
    if (!by.account) throw forbidden("Only facilitators can do this.");
    actor = await actorId(tx, consultationId, by.account.id);
  }
  const last = await tx.auditEntry.findFirst({ where: { consultationId }, orderBy: { seq: "desc" }, select: { seq: true } });
  await tx.auditEntry.create({
    data: {
      consultationId,
      seq: (last?.seq ?? 0) + 1,
      at,
      actorId: actor,
      action,
      targetKind: details.target?.kind ?? null,
      targetId: details.target?.id ?? null,
      detail: details.detail ?? null,
      reason: details.reason ?? null,
    },
  });
}
