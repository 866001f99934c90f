/**
 * Participants (the Participant aggregate): joining with an invitation, coming back on another device,
 * suspension. A participant is a pseudonym in one consultation; no link to the invitation, an account,
 * an email, a phone or an IP address is stored.
 */
import type { Db } from "./db/client";
import { audit } from "./audit";
import { access, findConsultation, type ConsultationKey } from "./access";
import { dummySecretHash, formatCode, hashSecret, normaliseCode, randomCode, sha256, verifySecret } from "./crypto";
import { conflict, invalid, notFound } from "./errors";
import { findInvitationLimited } from "./invitations";
import {
  PASSPHRASE_FAILURES_PER_PSEUDONYM_PER_HOUR,
  pseudonymSubject,
  reserve,
  SIGN_IN_FAILURES_PER_ADDRESS_PER_15_MINUTES,
  withAddress,
  type ClientInfo,
} from "./rate-limits";
import { phaseRefusal } from "./phases";
import type { Viewer } from "./permissions";
import { generatePseudonym, pseudonymKey } from "./pseudonyms";
import { JoinInput, Phase, ReasonInput, ReturnInput } from "./schemas";
import { revokeParticipantSessions } from "./sessions";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";
import { forbidden } from "./errors";

export interface JoinedParticipant {
  participant: { id: string; consultationId: string; pseudonym: string; groupName: string };
  slug: string;
  /** Shown once, to write down: the way back on another device. Only its hash is stored. */
  recoveryCode: string;
}

const PSEUDONYM_TAKEN = "This pseudonym is already taken in this consultation. Choose another.";

/**
 * Redeems a single-use invitation and creates the participant in the invitation's group. Unknown codes
 * tried from one client network are limited (invitations.ts `findInvitationLimited`).
 */
export async function joinWithInvitation(db: Db, code: string, raw: unknown, client: ClientInfo = {}): Promise<JoinedParticipant> {
  const input = parseInput(JoinInput, raw);
  const inv = await findInvitationLimited(db, code, client);
  // The phase as the schedule makes it now (a passed synthesis date closes joining before anyone reloads).
  const current = await findConsultation(db, { id: inv.consultationId });
  const refusal = phaseRefusal(current?.phase ?? Phase.parse(inv.consultation.phase), "join");
  if (refusal) throw forbidden(refusal);

  let pseudonym = input.pseudonym;
  if (pseudonym) {
    const taken = await db.participant.findUnique({ where: { consultationId_pseudonymKey: { consultationId: inv.consultationId, pseudonymKey: pseudonymKey(pseudonym) } }, select: { id: true } });
    if (taken) throw conflict(PSEUDONYM_TAKEN);
  } else {
    pseudonym = await freePseudonym(db, inv.consultationId);
  }
  const passphraseHash = input.passphrase ? await hashSecret(input.passphrase) : null;
  const recoveryCode = randomCode();
  const now = new Date();

  const participant = await commit(db, async (tx, emit) => {
    // Single use, even when two people submit the same code at the same moment.
    const { count } = await tx.invitation.updateMany({
      where: { id: inv.id, redeemedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { redeemedAt: now },
    });
    if (!count) throw conflict("This invitation was already used.");
    const created = await tx.participant
      .create({
        data: {
          consultationId: inv.consultationId,
          groupId: inv.groupId,
          pseudonym: pseudonym!,
          pseudonymKey: pseudonymKey(pseudonym!),
          passphraseHash,
          recoveryCodeHash: sha256(recoveryCode),
        },
        select: { id: true, consultationId: true, pseudonym: true },
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw conflict(PSEUDONYM_TAKEN);
        throw error;
      });
    await emit(inv.consultationId, "participant.joined", "participant", { groupId: inv.groupId });
    return created;
  });
  return {
    participant: { ...participant, groupName: inv.group.name },
    slug: inv.consultation.slug,
    recoveryCode: formatCode(recoveryCode),
  };
}

/** A generated pseudonym nobody in the consultation has yet (joining, and proxy entry under a new pseudonym). */
export async function freePseudonym(db: Db, consultationId: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = generatePseudonym();
    const taken = await db.participant.findUnique({ where: { consultationId_pseudonymKey: { consultationId, pseudonymKey: pseudonymKey(candidate) } }, select: { id: true } });
    if (!taken) return candidate;
  }
  throw conflict("Could not find a free pseudonym. Please choose one yourself.");
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code?: string }).code === "P2002";
}

const WRONG_RETURN = "We could not find you with these details. Check them and try again.";

/**
 * Comes back on another device: pseudonym + passphrase, or the recovery code. Failed attempts are limited
 * per client network and, with a passphrase, per pseudonym (consultations/rate-limits.ts): 429 once used up.
 */
export async function returnToConsultation(db: Db, slug: string, raw: unknown, client: ClientInfo = {}) {
  const input = parseInput(ReturnInput, raw);
  const consultation = await db.consultation.findUnique({ where: { slug }, select: { id: true, slug: true } });
  if (!consultation) throw notFound("This consultation");
  if (input.method === "recovery") {
    // Reserved before the check, given back on success: only failures count.
    const succeeded = reserve(withAddress([], SIGN_IN_FAILURES_PER_ADDRESS_PER_15_MINUTES, client));
    const normalised = normaliseCode(input.recoveryCode);
    const participant = await db.participant.findFirst({
      where: { consultationId: consultation.id, recoveryCodeHash: sha256(normalised) },
      select: { id: true, consultationId: true, pseudonym: true },
    });
    if (!participant) throw invalid(WRONG_RETURN, { form: [WRONG_RETURN] });
    succeeded();
    return participant;
  }
  // Keyed by the pseudonym as typed (normalised), whether or not it exists: the refusal tells nothing.
  const succeeded = reserve(
    withAddress(
      [[PASSPHRASE_FAILURES_PER_PSEUDONYM_PER_HOUR, pseudonymSubject(consultation.id, pseudonymKey(input.pseudonym))]],
      SIGN_IN_FAILURES_PER_ADDRESS_PER_15_MINUTES,
      client,
    ),
  );
  const participant = await db.participant.findUnique({
    where: { consultationId_pseudonymKey: { consultationId: consultation.id, pseudonymKey: pseudonymKey(input.pseudonym) } },
    select: { id: true, consultationId: true, pseudonym: true, passphraseHash: true },
  });
  const ok = await verifySecret(participant?.passphraseHash ?? (await dummySecretHash()), input.passphrase);
  if (!participant || !participant.passphraseHash || !ok) throw invalid(WRONG_RETURN, { form: [WRONG_RETURN] });
  succeeded();
  return { id: participant.id, consultationId: participant.consultationId, pseudonym: participant.pseudonym };
}

/** Participants for the moderation page: pseudonym, group, status and how much they wrote. */
export async function listParticipants(db: Db, viewer: Viewer, key: ConsultationKey) {
  const { consultation } = await access(db, viewer, key, "viewParticipation");
  const rows = await db.participant.findMany({
    // Erased participants (participant-rights.ts) are no one any more: not listed.
    where: { consultationId: consultation.id, status: { not: "erased" } },
    orderBy: { pseudonymKey: "asc" },
    select: {
      id: true,
      pseudonym: true,
      status: true,
      suspendedReason: true,
      group: { select: { name: true } },
      _count: { select: { positions: true, comments: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    pseudonym: r.pseudonym,
    groupName: r.group.name,
    status: r.status as "active" | "suspended",
    suspendedReason: r.suspendedReason,
    positions: r._count.positions,
    comments: r._count.comments,
  }));
}

/** Suspends a participant: they can still read, no longer act; their sessions end at once. */
export async function suspendParticipant(db: Db, viewer: Viewer, key: ConsultationKey, participantId: string, raw: unknown) {
  const { consultation } = await access(db, viewer, key, "moderate");
  const { reason } = parseInput(ReasonInput, raw);
  await commit(db, async (tx, emit) => {
    const { count } = await tx.participant.updateMany({
      where: { id: participantId, consultationId: consultation.id, status: { not: "erased" } },
      data: { status: "suspended", suspendedReason: reason },
    });
    if (!count) throw notFound("This participant");
    const p = await tx.participant.findUniqueOrThrow({ where: { id: participantId }, select: { pseudonym: true } });
    await emit(consultation.id, "participant.suspended", "facilitator", { pseudonym: p.pseudonym });
    await audit(tx, viewer, consultation.id, "participant.suspended", { target: { kind: "participant", id: participantId }, reason });
  });
  return revokeParticipantSessions(db, participantId);
}

export async function reinstateParticipant(db: Db, viewer: Viewer, key: ConsultationKey, participantId: string) {
  const { consultation } = await access(db, viewer, key, "moderate");
  await commit(db, async (tx, emit) => {
    const { count } = await tx.participant.updateMany({
      where: { id: participantId, consultationId: consultation.id, status: { not: "erased" } },
      data: { status: "active", suspendedReason: null },
    });
    if (!count) throw notFound("This participant");
    const p = await tx.participant.findUniqueOrThrow({ where: { id: participantId }, select: { pseudonym: true } });
    await emit(consultation.id, "participant.reinstated", "facilitator", { pseudonym: p.pseudonym });
    await audit(tx, viewer, consultation.id, "participant.reinstated", { target: { kind: "participant", id: participantId } });
  });
}

/** The consultations a viewer takes part in, for the home page. */
export async function myConsultations(db: Db, viewer: Viewer) {
  if (!viewer.participants.length) return [];
  const rows = await db.consultation.findMany({
    where: { id: { in: viewer.participants.map((p) => p.consultationId) } },
    select: { id: true, slug: true, title: true, phase: true },
  });
  return rows.map((c) => ({
    slug: c.slug,
    title: c.title,
    phase: Phase.parse(c.phase),
    pseudonym: viewer.participants.find((p) => p.consultationId === c.id)!.pseudonym,
  }));
}
