/**
 * Reading the audit log (consultations/audit.ts writes it): the facilitators' page, its CSV, and the
 * record of report downloads.
 */
import { z } from "zod";
import { access, findConsultation, type ConsultationKey } from "./access";
import { AUDIT_ACTIONS, audit, type AuditAction } from "./audit";
import type { Db } from "./db/client";
import { roleIn, type Viewer } from "./permissions";
import { toCsv } from "./polis/csv";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";

const SCHEDULE_LABEL = "Schedule";

// ---- reading -------------------------------------------------------------------------------------

export const AUDIT_PAGE_SIZE = 50;

/** `?page=N` (1 when absent or empty). */
const PageQuery = z.object({
  page: z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? 1 : v),
    z.coerce.number({ error: "The page must be a number." }).int("The page must be a whole number.").min(1, "Pages start at 1.").max(100_000, "There are not that many pages."),
  ),
});

export interface AuditRow {
  seq: number;
  at: Date;
  /** "Facilitator 2" or "Schedule": never an account id or email. */
  actor: string;
  action: AuditAction | string;
  actionLabel: string;
  targetKind: string | null;
  targetId: string | null;
  /** What the target is, for people: a participant's pseudonym, "position 1a2b3c4d", ... */
  targetLabel: string | null;
  /** A participant's page for a position target. */
  positionId: string | null;
  detail: string | null;
  reason: string | null;
}

const ENTRY_SELECT = {
  seq: true,
  at: true,
  action: true,
  targetKind: true,
  targetId: true,
  detail: true,
  reason: true,
  actor: { select: { number: true } },
} as const;

type EntryRow = { seq: number; at: Date; action: string; targetKind: string | null; targetId: string | null; detail: string | null; reason: string | null; actor: { number: number } | null };

const shortId = (id: string) => id.slice(0, 8);

async function rowsFor(db: Db, consultationId: string, entries: EntryRow[]): Promise<AuditRow[]> {
  const participantIds = [...new Set(entries.filter((e) => e.targetKind === "participant" && e.targetId).map((e) => e.targetId!))];
  const people = participantIds.length
    ? await db.participant.findMany({ where: { id: { in: participantIds }, consultationId }, select: { id: true, pseudonym: true, status: true } })
    : [];
  const pseudonyms = new Map(people.map((p) => [p.id, p.status === "erased" || !p.pseudonym ? "an erased participant" : p.pseudonym]));
  return entries.map((e) => {
    let targetLabel: string | null = null;
    if (e.targetKind && e.targetId) {
      switch (e.targetKind) {
        case "participant":
          targetLabel = pseudonyms.get(e.targetId) ?? "a removed participant";
          break;
        case "invitationBatch":
          targetLabel = `invitation batch ${shortId(e.targetId)}`;
          break;
        case "synthesisRun":
          targetLabel = `synthesis run ${shortId(e.targetId)}`;
          break;
        case "liveSession":
          targetLabel = `live session ${shortId(e.targetId)}`;
          break;
        case "consultation":
          targetLabel = "the consultation";
          break;
        default:
          targetLabel = `${e.targetKind} ${shortId(e.targetId)}`;
      }
    }
    return {
      seq: e.seq,
      at: e.at,
      actor: e.actor ? `Facilitator ${e.actor.number}` : SCHEDULE_LABEL,
      action: e.action,
      actionLabel: (AUDIT_ACTIONS as Record<string, string>)[e.action] ?? e.action,
      targetKind: e.targetKind,
      // A participant is shown by pseudonym only: their id never leaves the database.
      targetId: e.targetKind === "participant" ? null : e.targetId,
      targetLabel,
      positionId: e.targetKind === "position" ? e.targetId : null,
      detail: e.detail,
      reason: e.reason,
    };
  });
}

export interface AuditPage {
  consultation: { id: string; slug: string; title: string };
  entries: AuditRow[];
  page: number;
  pages: number;
  total: number;
  pageSize: number;
}

/** One page of the log, newest first: the consultation's facilitators only (others: 404 / 401). */
export async function listAudit(db: Db, viewer: Viewer, key: ConsultationKey, rawQuery: unknown): Promise<AuditPage> {
  const { consultation } = await access(db, viewer, key, "viewParticipation");
  const { page } = parseInput(PageQuery, rawQuery, "This page of the audit log does not exist.");
  const total = await db.auditEntry.count({ where: { consultationId: consultation.id } });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const entries = await db.auditEntry.findMany({
    where: { consultationId: consultation.id },
    orderBy: { seq: "desc" },
    skip: (page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
    select: ENTRY_SELECT,
  });
  return {
    consultation: { id: consultation.id, slug: consultation.slug, title: consultation.title },
    entries: await rowsFor(db, consultation.id, entries),
    page,
    pages,
    total,
    pageSize: AUDIT_PAGE_SIZE,
  };
}

/** The whole log as CSV (newest first), safe to open in a spreadsheet (no cell starts a formula). */
export async function auditCsv(db: Db, viewer: Viewer, key: ConsultationKey): Promise<{ filename: string; body: string }> {
  const { consultation } = await access(db, viewer, key, "viewParticipation");
  const entries = await db.auditEntry.findMany({ where: { consultationId: consultation.id }, orderBy: { seq: "desc" }, select: ENTRY_SELECT });
  const rows = await rowsFor(db, consultation.id, entries);
  const base = consultation.slug.replace(/[^a-z0-9-]/gi, "").slice(0, 80) || "consultation";
  return {
    filename: `${base}-audit-log.csv`,
    body: toCsv([
      ["seq", "day_utc", "actor", "action", "action_text", "target_kind", "target_id", "target", "detail", "reason"],
      ...rows.map((r) => [r.seq, r.at.toISOString().slice(0, 10), r.actor, r.action, r.actionLabel, r.targetKind, r.targetId, r.targetLabel, r.detail, r.reason]),
    ]),
  };
}

// ---- downloads --------------------------------------------------------------------------------------

/**
 * Records that a facilitator of the consultation downloaded a report file (the draft or the published
 * report, any format). Anyone else (the public downloading a published report, participants, other
 * organisations) is not recorded: the log is about facilitators' actions, and a public report is public.
 * Call once the file is made (a refused or failed download records nothing). Returns whether it recorded.
 */
export async function recordDownload(db: Db, viewer: Viewer, key: ConsultationKey, file: { format: string; draft: boolean }): Promise<boolean> {
  if (!viewer.account) return false;
  const consultation = await findConsultation(db, key);
  if (!consultation || roleIn(viewer, consultation) !== "facilitator") return false;
  await commit(db, (tx) => audit(tx, viewer, consultation.id, "report.downloaded", { detail: `${file.draft ? "draft" : "published"} report, ${file.format}` }));
  return true;
}
