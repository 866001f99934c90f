/**
 * Loading a consultation for a viewer: find it, bring its phase up to date with the schedule, and
 * authorize the action. Every service starts here, so no route can forget a check.
 */
import type { Db } from "./db/client";
import { audit } from "./audit";
import { notFound } from "./errors";
import { duePhase } from "./phases";
import { authorize, participantIn, type ConsultationAction, type ParticipantIdentity, type Role, type Viewer } from "./permissions";
import { onPublished } from "./publishing";
import { sharedRead } from "./request-scope";
import { languageList, Phase } from "./schemas";
import { commit } from "./unit-of-work";

export interface ConsultationRow {
  id: string;
  organisationId: string;
  slug: string;
  title: string;
  description: string;
  phase: Phase;
  phaseChangedAt: Date;
  positionsAt: Date | null;
  deliberationAt: Date | null;
  synthesisAt: Date | null;
  publishedAt: Date | null;
  maxPositionLength: number;
  minGroupSize: number;
  eventSeq: number;
  createdAt: Date;
  /** The consultation's languages, the main one first (consultations/consultation-languages.ts). */
  languages: string[];
}

export interface Access {
  consultation: ConsultationRow;
  role: Role;
  /** The viewer's participant identity in this consultation, when they take part. */
  me: ParticipantIdentity | null;
}

export type ConsultationKey = { slug: string } | { id: string };

const SELECT = {
  id: true,
  organisationId: true,
  slug: true,
  title: true,
  description: true,
  phase: true,
  phaseChangedAt: true,
  positionsAt: true,
  deliberationAt: true,
  synthesisAt: true,
  publishedAt: true,
  maxPositionLength: true,
  minGroupSize: true,
  eventSeq: true,
  createdAt: true,
  languages: true,
} as const;

/** Finds a consultation and applies any phase change its schedule made due. */
export async function findConsultation(db: Db, key: ConsultationKey, now = new Date()): Promise<ConsultationRow | null> {
  const where = "id" in key ? { id: key.id } : { slug: key.slug };
  // Once per request (consultations/request-scope.ts); inside a transaction, always its own read.
  const read = () => db.consultation.findUnique({ where, select: SELECT });
  const row = await ("$transaction" in db ? sharedRead(`consultation:${JSON.stringify(where)}`, read) : read());
  if (!row) return null;
  const consultation = { ...row, phase: Phase.parse(row.phase), languages: languageList(row.languages) };
  const due = duePhase(consultation, now);
  if (due === consultation.phase) return consultation;
  // A scheduled date passed: move the phase forward (once, even when several requests race).
  await commit(db, async (tx, emit) => {
    const { count } = await tx.consultation.updateMany({
      where: { id: row.id, phase: row.phase },
      data: { phase: due, phaseChangedAt: now },
    });
    if (count) {
      await emit(row.id, "phase.changed", "system", { from: row.phase, to: due, scheduled: true });
      await audit(tx, "schedule", row.id, "phase.changed", { target: { kind: "consultation", id: row.id }, detail: `${row.phase} → ${due} (scheduled)` }, now);
    }
    if (count && due === "published") await onPublished(tx, row.id);
  });
  return { ...consultation, phase: due, phaseChangedAt: now };
}

/** Loads the consultation and checks the viewer may take `action` in it now; throws DomainError. */
export async function access(db: Db, viewer: Viewer, key: ConsultationKey, action: ConsultationAction): Promise<Access> {
  const consultation = await findConsultation(db, key);
  if (!consultation) throw notFound("This consultation");
  const role = authorize(viewer, consultation, action);
  return { consultation, role, me: participantIn(viewer, consultation.id) };
}
