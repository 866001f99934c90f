/**
 * Invitations (the Invitation aggregate): single-use codes bound to one stakeholder group.
 * A code has 140 bits from a CSPRNG and is shown once, at creation (print it then); only its SHA-256
 * is stored. No email is ever needed: codes go out on paper, by text message or by word of mouth.
 */
import type { Db } from "./db/client";
import { audit } from "./audit";
import { access, type ConsultationKey } from "./access";
import { formatCode, normaliseCode, randomCode, sha256 } from "./crypto";
import { conflict, isDomainError, notFound } from "./errors";
import type { Viewer } from "./permissions";
import { INVITATION_FAILURES_PER_ADDRESS_PER_15_MINUTES, reserve, withAddress, type ClientInfo } from "./rate-limits";
import { InvitationBatchInput } from "./schemas";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";

export interface IssuedInvitation {
  id: string;
  /** The code as people read it (groups of four). Shown once; never stored. */
  code: string;
  /** The path a phone opens: /join/<code>. */
  path: string;
  groupName: string;
  expiresAt: Date;
}

export type InvitationState = "open" | "used" | "revoked" | "expired";

export function invitationState(inv: { redeemedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationState {
  if (inv.redeemedAt) return "used";
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt <= now) return "expired";
  return "open";
}

/** Creates a batch of invitations for one group; returns the codes (the only time they exist). */
export async function createInvitations(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown): Promise<IssuedInvitation[]> {
  const { consultation } = await access(db, viewer, key, "invite");
  const input = parseInput(InvitationBatchInput, raw);
  const group = await db.stakeholderGroup.findFirst({ where: { id: input.groupId, consultationId: consultation.id }, select: { id: true, name: true } });
  if (!group) throw notFound("This stakeholder group");
  const expiresAt = new Date(Date.now() + input.validDays * 24 * 60 * 60 * 1000);
  const batchId = crypto.randomUUID();
  const codes = Array.from({ length: input.count }, () => randomCode());
  return commit(db, async (tx, emit) => {
    const issued: IssuedInvitation[] = [];
    for (const code of codes) {
      const row = await tx.invitation.create({
        data: { consultationId: consultation.id, groupId: group.id, tokenHash: sha256(code), hint: code.slice(-4), label: input.label, batchId, expiresAt },
        select: { id: true },
      });
      issued.push({ id: row.id, code: formatCode(code), path: `/join/${formatCode(code)}`, groupName: group.name, expiresAt });
    }
    await emit(consultation.id, "invitations.created", "facilitator", { groupId: group.id, count: codes.length });
    await audit(tx, viewer, consultation.id, "invitations.created", {
      target: { kind: "invitationBatch", id: batchId },
      detail: `${codes.length} for ${group.name}${input.label ? ` (${input.label})` : ""}`,
    });
    return issued;
  });
}

/** Invitations of a consultation for its facilitators (never the codes: only their last four characters). */
export async function listInvitations(db: Db, viewer: Viewer, key: ConsultationKey) {
  const { consultation } = await access(db, viewer, key, "viewParticipation");
  const rows = await db.invitation.findMany({
    where: { consultationId: consultation.id },
    orderBy: [{ createdAt: "desc" }, { hint: "asc" }],
    select: { id: true, hint: true, label: true, batchId: true, createdAt: true, expiresAt: true, redeemedAt: true, revokedAt: true, group: { select: { name: true } } },
  });
  const now = new Date();
  return rows.map((r) => ({
    id: r.id,
    hint: r.hint,
    label: r.label,
    batchId: r.batchId,
    groupName: r.group.name,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    state: invitationState(r, now),
  }));
}

/** Revokes an open invitation (a used one cannot be revoked: suspend the participant instead). */
export async function revokeInvitation(db: Db, viewer: Viewer, key: ConsultationKey, invitationId: string) {
  const { consultation } = await access(db, viewer, key, "invite");
  await commit(db, async (tx, emit) => {
    const inv = await tx.invitation.findFirst({ where: { id: invitationId, consultationId: consultation.id }, select: { id: true, redeemedAt: true, revokedAt: true } });
    if (!inv) throw notFound("This invitation");
    if (inv.redeemedAt) throw conflict("This invitation was already used. To stop its holder, suspend them in moderation.");
    if (inv.revokedAt) return;
    await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: new Date() } });
    await emit(consultation.id, "invitation.revoked", "facilitator", { invitationId: inv.id });
    await audit(tx, viewer, consultation.id, "invitation.revoked", { target: { kind: "invitation", id: inv.id } });
  });
}

/** Revokes every open invitation of a batch. */
export async function revokeBatch(db: Db, viewer: Viewer, key: ConsultationKey, batchId: string): Promise<number> {
  const { consultation } = await access(db, viewer, key, "invite");
  return commit(db, async (tx, emit) => {
    const { count } = await tx.invitation.updateMany({
      where: { consultationId: consultation.id, batchId, redeemedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count) {
      await emit(consultation.id, "invitation.revoked", "facilitator", { batchId, count });
      await audit(tx, viewer, consultation.id, "invitations.revoked", { target: { kind: "invitationBatch", id: batchId }, detail: `${count} open ${count === 1 ? "invitation" : "invitations"}` });
    }
    return count;
  });
}

/** What an invitation code opens, for the join page; refuses unknown, used, revoked and expired codes. */
/** What the invitation page shows before joining; unknown codes count against the client's network. */
export async function previewInvitation(db: Db, code: string, client: ClientInfo = {}) {
  const inv = await findInvitationLimited(db, code, client);
  return {
    consultation: { slug: inv.consultation.slug, title: inv.consultation.title, phase: inv.consultation.phase },
    groupName: inv.group.name,
    expiresAt: inv.expiresAt,
  };
}

/**
 * `findInvitation`, counting unknown codes against the client's network (a used, withdrawn or expired
 * code is a real one: it does not count). Throws 429 once the network has tried too many.
 */
export async function findInvitationLimited(db: Pick<Db, "invitation">, code: string, client: ClientInfo) {
  const known = reserve(withAddress([], INVITATION_FAILURES_PER_ADDRESS_PER_15_MINUTES, client));
  try {
    const inv = await findInvitation(db, code);
    known();
    return inv;
  } catch (error) {
    if (!(isDomainError(error) && error.kind === "not_found")) known();
    throw error;
  }
}

export async function findInvitation(db: Pick<Db, "invitation">, code: string) {
  const normalised = normaliseCode(code);
  const inv = /^[0-9A-Z]{20,40}$/.test(normalised)
    ? await db.invitation.findUnique({
        where: { tokenHash: sha256(normalised) },
        select: {
          id: true,
          consultationId: true,
          groupId: true,
          expiresAt: true,
          redeemedAt: true,
          revokedAt: true,
          group: { select: { name: true } },
          consultation: { select: { slug: true, title: true, phase: true } },
        },
      })
    : null;
  if (!inv) throw notFound("This invitation code");
  const state = invitationState(inv);
  if (state === "used") throw conflict("This invitation was already used. If it was you, come back with your pseudonym and passphrase or your recovery code.");
  if (state === "revoked") throw conflict("This invitation was withdrawn by the facilitators. Ask them for a new one.");
  if (state === "expired") throw conflict("This invitation has expired. Ask the facilitators for a new one.");
  return inv;
}
