/**
 * Proxy entry: an outreach worker enters a position on behalf of a peer who is not online (old phone, no
 * data), with the peer's consent.
 *
 * - Who may act as proxy: only active participants of a stakeholder group a facilitator marked "outreach"
 *   (StakeholderGroup.outreach). Other participants, facilitators and outsiders are refused (403 / 404).
 * - Under the peer's existing pseudonym: the peer makes a ONE-TIME CONSENT CODE on their own page
 *   (/c/<slug>/consent) and gives it to the outreach worker. The code works once, for one position, for
 *   14 days; it signs nobody in and shows the outreach worker nothing of the peer's account. (The recovery
 *   code would work too, but it is the key to the peer's account: whoever holds it can sign in as the peer
 *   for ever, read their votes and act as them. So the recovery code is never accepted here.)
 * - Under a new pseudonym: the outreach worker chooses one of the consultation's groups; a participant is
 *   created there exactly as an invitation join creates one, and its recovery code is shown once, to print
 *   or write down for the peer. The outreach worker's session does NOT gain the new identity.
 *
 * Either way the position is authored by the peer's participant (it counts in the peer's group; the peer
 * signs in later and can see or withdraw it) and carries `enteredByProxy` ("Entered by outreach" shows).
 * Which outreach worker entered it is stored in `Position.proxyId` for abuse handling: only facilitators
 * see anything of it (how many positions each outreach worker entered, never for whom), no participant
 * page, event, export or report does.
 */
import type { Db } from "./db/client";
import { contentLanguage, describeLanguages } from "./consultation-languages";
import { access, type ConsultationKey } from "./access";
import { formatCode, normaliseCode, randomCode, sha256 } from "./crypto";
import { conflict, forbidden, invalid, notFound } from "./errors";
import { phaseAllows, phaseRefusal } from "./phases";
import type { Viewer } from "./permissions";
import { freePseudonym } from "./participants";
import { pseudonymKey } from "./pseudonyms";
import { OutreachGroupInput, ProxyPositionInput } from "./schemas";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";

/** How long a consent code works. */
export const CONSENT_CODE_DAYS = 14;

const WRONG_CODE = "This consent code is not valid: it may be mistyped, already used, replaced by a newer one or expired. Ask the peer for a new one.";
const PSEUDONYM_TAKEN = "This pseudonym is already taken in this consultation. Choose another.";

// ---- facilitators: which groups are outreach -------------------------------------------------

/** Marks (or unmarks) a group whose members may enter positions for peers. Any phase before synthesis. */
export async function setGroupOutreach(db: Db, viewer: Viewer, key: ConsultationKey, groupId: string, raw: unknown) {
  const { consultation } = await access(db, viewer, key, "invite");
  const { outreach } = parseInput(OutreachGroupInput, raw);
  await commit(db, async (tx, emit) => {
    const group = await tx.stakeholderGroup.findFirst({ where: { id: groupId, consultationId: consultation.id }, select: { id: true, name: true, outreach: true } });
    if (!group) throw notFound("This stakeholder group");
    if (group.outreach === outreach) return;
    await tx.stakeholderGroup.update({ where: { id: group.id }, data: { outreach } });
    await emit(consultation.id, "group.updated", "facilitator", { groupId: group.id, name: group.name });
  });
  return { outreach };
}

/**
 * Facilitators only: the consultation's groups with their outreach mark, and how many positions each
 * outreach worker entered for peers (for abuse handling: never for whom).
 */
export async function outreachOverview(db: Db, viewer: Viewer, key: ConsultationKey) {
  const { consultation } = await access(db, viewer, key, "viewParticipation");
  const [groups, entries] = await Promise.all([
    db.stakeholderGroup.findMany({ where: { consultationId: consultation.id }, orderBy: { sortOrder: "asc" }, select: { id: true, name: true, outreach: true } }),
    db.position.groupBy({ by: ["proxyId"], where: { consultationId: consultation.id, enteredByProxy: true, proxyId: { not: null } }, _count: { _all: true } }),
  ]);
  const proxies = await db.participant.findMany({
    where: { id: { in: entries.map((e) => e.proxyId!) }, consultationId: consultation.id },
    select: { id: true, pseudonym: true },
  });
  const pseudonymOf = new Map(proxies.map((p) => [p.id, p.pseudonym]));
  return {
    groups,
    entries: entries
      .map((e) => ({ pseudonym: pseudonymOf.get(e.proxyId!) ?? "(removed participant)", positions: e._count._all }))
      .sort((a, b) => b.positions - a.positions || a.pseudonym.localeCompare(b.pseudonym)),
  };
}

// ---- peers: the one-time consent code ----------------------------------------------------------

/**
 * The viewer (an active participant) makes a one-time consent code for an outreach worker. A new code
 * replaces any earlier unused one. Only its SHA-256 is stored; the code is returned once.
 */
export async function createConsentCode(db: Db, viewer: Viewer, key: ConsultationKey, now = new Date()) {
  const { consultation, role, me } = await access(db, viewer, key, "read");
  if (role !== "participant" || !me) throw forbidden(role === "facilitator" ? "Facilitators cannot do this as a participant." : "Your participation in this consultation is suspended.");
  if (consultation.phase !== "draft" && !phaseAllows(consultation.phase, "submitPosition")) throw forbidden(phaseRefusal(consultation.phase, "submitPosition")!);
  const code = randomCode();
  const expiresAt = new Date(now.getTime() + CONSENT_CODE_DAYS * 24 * 60 * 60 * 1000);
  await commit(db, async (tx) => {
    await tx.proxyConsent.updateMany({ where: { participantId: me.id, usedAt: null }, data: { usedAt: now } });
    await tx.proxyConsent.create({ data: { consultationId: consultation.id, participantId: me.id, codeHash: sha256(code), expiresAt } });
  });
  return { code: formatCode(code), expiresAt };
}

/** Whether the viewer has an unused, unexpired consent code (never the code itself), and can make one. */
export async function consentStatus(db: Db, viewer: Viewer, key: ConsultationKey, now = new Date()) {
  const { consultation, role, me } = await access(db, viewer, key, "read");
  const open = me
    ? await db.proxyConsent.findFirst({ where: { participantId: me.id, usedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" }, select: { expiresAt: true } })
    : null;
  const canCreate = role === "participant" && (consultation.phase === "draft" || phaseAllows(consultation.phase, "submitPosition"));
  return { role, openCodeExpiresAt: open?.expiresAt ?? null, canCreate };
}

// ---- outreach workers: entering a position -------------------------------------------------------

/** Throws unless the viewer is an active participant of an outreach group of this consultation. */
async function outreachWorker(db: Db, viewer: Viewer, key: ConsultationKey, action: "read" | "submitPosition") {
  const ctx = await access(db, viewer, key, action);
  if (ctx.role === "facilitator") throw forbidden("Facilitators cannot enter positions. An outreach worker taking part in the consultation can.");
  if (ctx.role !== "participant" || !ctx.me) throw forbidden("Your participation in this consultation is suspended.");
  const me = await db.participant.findFirst({
    where: { id: ctx.me.id, consultationId: ctx.consultation.id, status: "active" },
    select: { id: true, group: { select: { outreach: true } } },
  });
  if (!me?.group.outreach) throw forbidden("Only members of a group the facilitators marked as outreach can enter positions for peers.");
  return ctx;
}

/** What the proxy form needs: questions, groups, limits; refuses everyone but outreach workers. */
export async function proxyForm(db: Db, viewer: Viewer, key: ConsultationKey) {
  const ctx = await outreachWorker(db, viewer, key, "read");
  const c = ctx.consultation;
  const [questions, groups] = await Promise.all([
    db.question.findMany({ where: { consultationId: c.id }, orderBy: { sortOrder: "asc" }, select: { id: true, title: true } }),
    db.stakeholderGroup.findMany({ where: { consultationId: c.id }, orderBy: { sortOrder: "asc" }, select: { id: true, name: true } }),
  ]);
  return {
    consultation: { slug: c.slug, title: c.title, phase: c.phase, maxPositionLength: c.maxPositionLength, languages: describeLanguages(c.languages) },
    me: { pseudonym: ctx.me!.pseudonym },
    questions,
    groups,
    open: phaseAllows(c.phase, "submitPosition"),
    closedReason: phaseRefusal(c.phase, "submitPosition"),
  };
}

export interface ProxyEntry {
  positionId: string;
  questionId: string;
  /** The peer's pseudonym (the author of the position). */
  pseudonym: string;
  groupName: string;
  /** Only for a new pseudonym: the peer's recovery code, shown once, to print for the peer. */
  recoveryCode: string | null;
}

/** An outreach worker enters one position for a peer, under the peer's pseudonym or a new one. */
export async function enterPositionForPeer(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown, now = new Date()): Promise<ProxyEntry> {
  const ctx = await outreachWorker(db, viewer, key, "submitPosition");
  const input = parseInput(ProxyPositionInput, raw);
  const c = ctx.consultation;
  const proxy = ctx.me!;
  if (input.body.length > c.maxPositionLength) {
    throw invalid(`The position can have at most ${c.maxPositionLength} characters (it has ${input.body.length}).`, {
      body: [`Keep it to ${c.maxPositionLength} characters or fewer: it has ${input.body.length}.`],
    });
  }
  const language = contentLanguage(c.languages, input.language);
  const question = await db.question.findFirst({ where: { id: input.questionId, consultationId: c.id }, select: { id: true } });
  if (!question) throw invalid("Choose one of this consultation's questions.", { questionId: ["Choose one of this consultation's questions."] });

  if (input.peer === "existing") {
    const normalised = normaliseCode(input.consentCode);
    const consent = /^[0-9A-Z]{20,40}$/.test(normalised)
      ? await db.proxyConsent.findFirst({
          where: { codeHash: sha256(normalised), consultationId: c.id, usedAt: null, expiresAt: { gt: now } },
          select: { id: true, participant: { select: { id: true, pseudonym: true, status: true, group: { select: { name: true } } } } },
        })
      : null;
    if (!consent) throw invalid(WRONG_CODE, { consentCode: [WRONG_CODE] });
    const peer = consent.participant;
    if (peer.id === proxy.id) throw invalid("This is your own consent code: post your own positions on the question's page.", { consentCode: ["This is your own consent code."] });
    if (peer.status !== "active") throw conflict("This peer's participation is suspended: no position can be entered for them.");
    return commit(db, async (tx, emit) => {
      // One use, even when the same code is sent twice at the same moment.
      const { count } = await tx.proxyConsent.updateMany({ where: { id: consent.id, usedAt: null }, data: { usedAt: now } });
      if (!count) throw invalid(WRONG_CODE, { consentCode: [WRONG_CODE] });
      const position = await tx.position.create({
        data: { consultationId: c.id, questionId: question.id, authorId: peer.id, body: input.body, language, enteredByProxy: true, proxyId: proxy.id },
        select: { id: true },
      });
      await emit(c.id, "position.submitted", "participant", { positionId: position.id, questionId: question.id, pseudonym: peer.pseudonym, language });
      return { positionId: position.id, questionId: question.id, pseudonym: peer.pseudonym, groupName: peer.group.name, recoveryCode: null };
    });
  }

  // A new pseudonym for the peer, in the group the outreach worker chose.
  const refusal = phaseRefusal(c.phase, "join");
  if (refusal) throw forbidden(refusal);
  const group = await db.stakeholderGroup.findFirst({ where: { id: input.groupId, consultationId: c.id }, select: { id: true, name: true } });
  if (!group) throw invalid("Choose one of this consultation's groups.", { groupId: ["Choose one of this consultation's groups."] });
  let pseudonym = input.pseudonym;
  if (pseudonym) {
    const taken = await db.participant.findUnique({ where: { consultationId_pseudonymKey: { consultationId: c.id, pseudonymKey: pseudonymKey(pseudonym) } }, select: { id: true } });
    if (taken) throw conflict(PSEUDONYM_TAKEN);
  } else {
    pseudonym = await freePseudonym(db, c.id);
  }
  const recoveryCode = randomCode();
  return commit(db, async (tx, emit) => {
    const peer = await tx.participant
      .create({
        data: { consultationId: c.id, groupId: group.id, pseudonym: pseudonym!, pseudonymKey: pseudonymKey(pseudonym!), recoveryCodeHash: sha256(recoveryCode) },
        select: { id: true, pseudonym: true },
      })
      .catch((error: unknown) => {
        if (typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002") throw conflict(PSEUDONYM_TAKEN);
        throw error;
      });
    await emit(c.id, "participant.joined", "participant", { groupId: group.id });
    const position = await tx.position.create({
      data: { consultationId: c.id, questionId: question.id, authorId: peer.id, body: input.body, language, enteredByProxy: true, proxyId: proxy.id },
      select: { id: true },
    });
    await emit(c.id, "position.submitted", "participant", { positionId: position.id, questionId: question.id, pseudonym: peer.pseudonym, language });
    return { positionId: position.id, questionId: question.id, pseudonym: peer.pseudonym, groupName: group.name, recoveryCode: formatCode(recoveryCode) };
  });
}

/** Which proxy links the consultation page shows the viewer: the consent code (participants), proxy entry (outreach). */
export async function proxyLinks(db: Db, viewer: Viewer, key: ConsultationKey) {
  const { consultation, role, me } = await access(db, viewer, key, "read");
  if (role !== "participant" || !me) return { consent: false, enter: false };
  const open = consultation.phase === "draft" || phaseAllows(consultation.phase, "submitPosition");
  const group = await db.stakeholderGroup.findFirst({ where: { id: me.groupId, consultationId: consultation.id }, select: { outreach: true } });
  return { consent: open, enter: phaseAllows(consultation.phase, "submitPosition") && !!group?.outreach };
}
