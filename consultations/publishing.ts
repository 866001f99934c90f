/**
 * What happens inside the transaction that moves a consultation to "published", whichever path moves it
 * (consultations.ts movePhase, synthesis-runs.ts publishReport, the schedule in access.ts findConsultation).
 *
 * Identity separation: when the facilitator chose `eraseSignInOnPublish` at set-up, every participant's
 * passphrase hash is erased, so a pseudonym + passphrase (something a person may reuse elsewhere, or be made
 * to reveal) no longer opens anything, and every participant session of the consultation ends (the only
 * other link between a device and a pseudonym). Participants who kept their recovery code can still come
 * back with it.
 *
 * No imports of access.ts here: access.ts calls this module.
 */
import type { Tx } from "./db/client";
import { notifySessionsRevoked } from "./sessions";

/** Call in the same transaction that set phase "published"; returns how many passphrases were erased. */
export async function onPublished(tx: Tx, consultationId: string): Promise<number> {
  const consultation = await tx.consultation.findUnique({ where: { id: consultationId }, select: { eraseSignInOnPublish: true } });
  if (!consultation?.eraseSignInOnPublish) return 0;
  const { count } = await tx.participant.updateMany({
    where: { consultationId, passphraseHash: { not: null } },
    data: { passphraseHash: null },
  });
  const sessions = await tx.session.findMany({ where: { participants: { some: { participant: { consultationId } } } }, select: { id: true } });
  if (sessions.length) {
    await tx.session.deleteMany({ where: { id: { in: sessions.map((s) => s.id) } } });
    // Their sockets close now (a rollback would only make them reconnect; the sweep covers the rest).
    notifySessionsRevoked({ sessionIds: sessions.map((s) => s.id) });
  }
  return count;
}
