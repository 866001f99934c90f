/**
 * Participant rights: a participant downloads everything stored about them in one consultation, and can
 * erase their participation. The facilitator chooses at set-up (locked once positions open) what erasure
 * does to the participant's positions and comments, and whether sign-in passphrases are erased when the
 * consultation is published (consultations/publishing.ts).
 *
 * Erasure keeps the Participant row as an anonymous tombstone (status "erased"): its pseudonym, pseudonym
 * key, passphrase hash and recovery code hash are replaced, so nothing names or signs in as the person any
 * more, while rows that must keep an author (their content in "mark" mode, flags they raised) stay valid.
 * Their votes are deleted, so tallies, the synthesis input (active participants' votes) and any report draft
 * made before (now out of date: run the synthesis again) stay consistent.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "./db/client";
import { access, type ConsultationKey } from "./access";
import { audit } from "./audit";
import { conflict, forbidden, notFound } from "./errors";
import type { Viewer } from "./permissions";
import { Checkbox, voteChoice } from "./schemas";
import { effectiveMinimum, MIN_GROUP_SIZE_FLOOR } from "./tallies";
import { notifySessionsRevoked } from "./sessions";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";

export const ERASURE_MODES = ["mark", "remove"] as const;
export type ErasureMode = (typeof ERASURE_MODES)[number];

/** What an erased participant's row shows where a name is read (never a pseudonym). */
export const ERASED_NAME = "Erased participant";

const LOCKED = "These privacy settings are locked: they can only change while the consultation is a draft.";
const NOT_A_PARTICIPANT = "Only a participant can download or erase their own data. Facilitators cannot see or erase a participant's data.";

function erasureModeOf(value: string): ErasureMode {
  return (ERASURE_MODES as readonly string[]).includes(value) ? (value as ErasureMode) : "mark";
}

// ---- settings (facilitators) ------------------------------------------------------------------------

/** The largest minimum a facilitator may set: above it, small consultations would show nothing at all. */
export const MAX_MIN_GROUP_SIZE = 25;

export const PrivacySettingsInput = z.object({
  erasureMode: z.enum(ERASURE_MODES, { error: "Choose what happens to the positions and comments of a participant who erases their participation." }),
  eraseSignInOnPublish: Checkbox,
  /** Fewest people behind any figure shown (tallies.ts); absent: unchanged. Never below 3. */
  minGroupSize: z
    .union([z.number(), z.string().max(10, "Enter a number.")])
    .optional()
    .transform((v) => (v === undefined || v === "" ? undefined : Number(v)))
    .pipe(
      z
        .number({ error: "Enter a number." })
        .int("Enter a whole number.")
        .min(MIN_GROUP_SIZE_FLOOR, `At least ${MIN_GROUP_SIZE_FLOOR}: a figure about fewer people could identify them.`)
        .max(MAX_MIN_GROUP_SIZE, `At most ${MAX_MIN_GROUP_SIZE}.`)
        .optional(),
    ),
});

export interface PrivacySettings {
  erasureMode: ErasureMode;
  eraseSignInOnPublish: boolean;
  /** The fewest people behind any count, rate or chart shown or exported. */
  minGroupSize: number;
  /** Settings change only in the draft phase. */
  locked: boolean;
}

/** The privacy settings, for the consultation's facilitators. */
export async function getPrivacySettings(db: Db, viewer: Viewer, key: ConsultationKey): Promise<PrivacySettings> {
  const { consultation } = await access(db, viewer, key, "viewParticipation");
  const row = await db.consultation.findUniqueOrThrow({ where: { id: consultation.id }, select: { erasureMode: true, eraseSignInOnPublish: true, minGroupSize: true } });
  return {
    erasureMode: erasureModeOf(row.erasureMode),
    eraseSignInOnPublish: row.eraseSignInOnPublish,
    minGroupSize: effectiveMinimum(row.minGroupSize),
    locked: consultation.phase !== "draft",
  };
}

/** Sets the privacy settings: only in the draft phase (409 afterwards: participants joined on these terms). */
export async function setPrivacySettings(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown): Promise<PrivacySettings> {
  const { consultation } = await access(db, viewer, key, "viewParticipation");
  if (consultation.phase !== "draft") throw conflict(LOCKED);
  const input = parseInput(PrivacySettingsInput, raw);
  const minGroupSize = await commit(db, async (tx, emit) => {
    const { count } = await tx.consultation.updateMany({
      where: { id: consultation.id, phase: "draft" },
      data: { erasureMode: input.erasureMode, eraseSignInOnPublish: input.eraseSignInOnPublish, ...(input.minGroupSize !== undefined ? { minGroupSize: input.minGroupSize } : {}) },
    });
    if (!count) throw conflict(LOCKED);
    const shown = input.minGroupSize ?? effectiveMinimum(consultation.minGroupSize);
    await audit(tx, viewer, consultation.id, "settings.changed", {
      target: { kind: "consultation", id: consultation.id },
      detail: `privacy: erasure ${input.erasureMode}, sign-in passphrases ${input.eraseSignInOnPublish ? "erased" : "kept"} on publishing, figures about at least ${shown} people`,
    });
    await emit(consultation.id, "consultation.updated", "facilitator", { privacy: true });
    return shown;
  });
  return { erasureMode: input.erasureMode, eraseSignInOnPublish: input.eraseSignInOnPublish, minGroupSize, locked: false };
}

// ---- the participant's own data --------------------------------------------------------------------

/** The viewer's own participant identity in the consultation: 401 anonymous, 404 outsiders, 403 facilitators. */
async function ownIdentity(db: Db, viewer: Viewer, key: ConsultationKey) {
  const { consultation, me } = await access(db, viewer, key, "read");
  if (!me) throw forbidden(NOT_A_PARTICIPANT);
  return { consultation, me };
}

export interface MyData {
  format: "polyphony.participant-data/1";
  exportedAt: string;
  consultation: { slug: string; title: string };
  participant: { pseudonym: string; group: string; status: string; joinedAt: string; passphraseSet: boolean };
  positions: Array<{ id: string; questionId: string; question: string; body: string; language: string; status: string; moderationNote: string | null; createdAt: string; editedAt: string | null }>;
  comments: Array<{ id: string; positionId: string; replyTo: string | null; stance: string; body: string; language: string; status: string; moderationNote: string | null; createdAt: string; editedAt: string | null }>;
  votes: Array<{ positionId: string; choice: string; votedAt: string }>;
  flags: Array<{ target: "position" | "comment"; id: string; reason: string; raisedAt: string; resolved: boolean }>;
  notes: string[];
}

/**
 * Dates in the file: the day only (YYYY-MM-DD, UTC), as in every export. The file may end up on a shared
 * or seized phone; the day is enough to recognise one's own words, a time of day would date them to a
 * place and a moment.
 */
const day = (d: Date) => d.toISOString().slice(0, 10);
const dayOrNull = (d: Date | null) => (d ? day(d) : null);

/**
 * Everything stored about the viewer in this consultation, as JSON: never the hashes of their passphrase or
 * recovery code, never their participant id or session, never anything about other people.
 */
export async function exportMyData(db: Db, viewer: Viewer, key: ConsultationKey, now = new Date()): Promise<MyData> {
  const { consultation, me } = await ownIdentity(db, viewer, key);
  const [participant, positions, comments, votes, flags] = await Promise.all([
    db.participant.findFirstOrThrow({
      where: { id: me.id, consultationId: consultation.id },
      select: { pseudonym: true, status: true, createdAt: true, passphraseHash: true, group: { select: { name: true } } },
    }),
    db.position.findMany({
      where: { authorId: me.id, consultationId: consultation.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, questionId: true, question: { select: { title: true } }, body: true, language: true, status: true, moderationNote: true, createdAt: true, editedAt: true },
    }),
    db.comment.findMany({
      where: { authorId: me.id, consultationId: consultation.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, positionId: true, parentId: true, stance: true, body: true, language: true, status: true, moderationNote: true, createdAt: true, editedAt: true },
    }),
    db.vote.findMany({
      where: { participantId: me.id, consultationId: consultation.id },
      orderBy: [{ updatedAt: "asc" }, { positionId: "asc" }],
      select: { positionId: true, value: true, updatedAt: true },
    }),
    db.flag.findMany({
      where: { reporterId: me.id, consultationId: consultation.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { positionId: true, commentId: true, reason: true, createdAt: true, resolvedAt: true },
    }),
  ]);
  return {
    format: "polyphony.participant-data/1",
    exportedAt: day(now),
    consultation: { slug: consultation.slug, title: consultation.title },
    participant: {
      pseudonym: participant.pseudonym,
      group: participant.group.name,
      status: participant.status,
      joinedAt: day(participant.createdAt),
      passphraseSet: participant.passphraseHash !== null,
    },
    positions: positions.map((p) => ({
      id: p.id,
      questionId: p.questionId,
      question: p.question.title,
      body: p.body,
      language: p.language,
      status: p.status,
      moderationNote: p.moderationNote,
      createdAt: day(p.createdAt),
      editedAt: dayOrNull(p.editedAt),
    })),
    comments: comments.map((c) => ({
      id: c.id,
      positionId: c.positionId,
      replyTo: c.parentId,
      stance: c.stance,
      body: c.body,
      language: c.language,
      status: c.status,
      moderationNote: c.moderationNote,
      createdAt: day(c.createdAt),
      editedAt: dayOrNull(c.editedAt),
    })),
    votes: votes.map((v) => ({ positionId: v.positionId, choice: voteChoice(v.value), votedAt: day(v.updatedAt) })),
    flags: flags.map((f) => ({
      target: f.commentId ? ("comment" as const) : ("position" as const),
      id: (f.commentId ?? f.positionId)!,
      reason: f.reason,
      raisedAt: day(f.createdAt),
      resolved: f.resolvedAt !== null,
    })),
    notes: [
      "Your passphrase and recovery code are stored only as one-way hashes; they are not in this file and cannot be read back.",
      "Nothing links this pseudonym to your invitation, an account, an email, a phone or an IP address: none of these is stored.",
    ],
  };
}

export interface MyDataSummary {
  consultation: { slug: string; title: string; phase: string };
  pseudonym: string;
  groupName: string;
  erasureMode: ErasureMode;
  counts: { positions: number; comments: number; votes: number; flags: number };
}

/** What the "Your data" page shows: who the viewer is here, how much is stored, what erasure will do. */
export async function myDataSummary(db: Db, viewer: Viewer, key: ConsultationKey): Promise<MyDataSummary> {
  const { consultation, me } = await ownIdentity(db, viewer, key);
  const [settings, group, positions, comments, votes, flags] = await Promise.all([
    db.consultation.findUniqueOrThrow({ where: { id: consultation.id }, select: { erasureMode: true } }),
    db.stakeholderGroup.findUnique({ where: { id: me.groupId }, select: { name: true } }),
    db.position.count({ where: { authorId: me.id } }),
    db.comment.count({ where: { authorId: me.id } }),
    db.vote.count({ where: { participantId: me.id } }),
    db.flag.count({ where: { reporterId: me.id } }),
  ]);
  return {
    consultation: { slug: consultation.slug, title: consultation.title, phase: consultation.phase },
    pseudonym: me.pseudonym,
    groupName: group?.name ?? "",
    erasureMode: erasureModeOf(settings.erasureMode),
    counts: { positions, comments, votes, flags },
  };
}

// ---- erasure ----------------------------------------------------------------------------------------

export const EraseInput = z.object({
  confirm: z.literal("yes", { error: "Tick the box to confirm: erasing cannot be undone." }),
});

/**
 * Erases the viewer's participation in this consultation (in any phase, suspended participants too):
 * - their votes (and the idempotency records of their socket votes) are deleted: every tally moves;
 * - their positions and comments are removed ("remove": with the replies and votes of others under them)
 *   or kept in place as "Withdrawn by participant" without text, moderation note or author ("mark");
 * - their pseudonym disappears: the row is renamed, and stored event payloads that named it lose the name;
 * - their passphrase and recovery code stop working, and every session stops speaking for them
 *   (other identities and a facilitator sign-in on the same device stay); their sockets are closed.
 * Records `participant.erased` (audience everyone, no data): live tallies and pages refresh.
 */
export async function eraseMyParticipation(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown): Promise<{ mode: ErasureMode }> {
  const { consultation, me } = await ownIdentity(db, viewer, key);
  parseInput(EraseInput, raw, "Tick the box to confirm.");
  const settings = await db.consultation.findUniqueOrThrow({ where: { id: consultation.id }, select: { erasureMode: true } });
  const mode = erasureModeOf(settings.erasureMode);
  const now = new Date();
  await commit(db, async (tx, emit) => {
    const row = await tx.participant.findFirst({ where: { id: me.id, consultationId: consultation.id, status: { not: "erased" } }, select: { pseudonym: true } });
    if (!row) throw notFound("Your participation");
    await tx.vote.deleteMany({ where: { participantId: me.id } });
    await tx.processedRequest.deleteMany({ where: { participantId: me.id } });
    // Unused consent codes for an outreach worker (consultations/proxy.ts) must not post under this row any more.
    await tx.proxyConsent.deleteMany({ where: { participantId: me.id } });
    if (mode === "remove") {
      // Replies of others go with the comment they answer, comments and votes of others with the position.
      await tx.comment.deleteMany({ where: { authorId: me.id } });
      await tx.position.deleteMany({ where: { authorId: me.id } });
    } else {
      const gone = { status: "withdrawn", body: "", moderationNote: null };
      await tx.comment.updateMany({ where: { authorId: me.id }, data: gone });
      await tx.position.updateMany({ where: { authorId: me.id }, data: gone });
    }
    // Their sessions (one per identity: these speak for nobody else) end with them.
    await tx.session.deleteMany({ where: { participants: { some: { participantId: me.id } } } });
    await tx.participant.update({
      where: { id: me.id },
      data: {
        status: "erased",
        erasedAt: now,
        pseudonym: ERASED_NAME,
        // Random, so the person's pseudonym is free and nothing about it remains; never a valid SHA-256 hex.
        pseudonymKey: `erased:${randomUUID()}`,
        passphraseHash: null,
        recoveryCodeHash: `erased:${randomUUID()}`,
        suspendedReason: null,
      },
    });
    await forgetName(tx, consultation.id, row.pseudonym);
    await emit(consultation.id, "participant.erased", "participant", {});
  });
  // Close their open sockets (the device's other identities have sessions of their own and go on).
  notifySessionsRevoked({ participantId: me.id });
  return { mode };
}

/** Drops every field of the consultation's stored event payloads whose value is this pseudonym. */
async function forgetName(tx: Tx, consultationId: string, pseudonym: string): Promise<number> {
  const needle = JSON.stringify(pseudonym).slice(1, -1);
  const rows = await tx.consultationEvent.findMany({ where: { consultationId, payload: { contains: needle } }, select: { id: true, payload: true } });
  let changed = 0;
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    let touched = false;
    for (const [field, value] of Object.entries(payload)) {
      if (value === pseudonym) {
        delete payload[field];
        touched = true;
      }
    }
    if (!touched) continue;
    await tx.consultationEvent.update({ where: { id: row.id }, data: { payload: JSON.stringify(payload) } });
    changed++;
  }
  return changed;
}
