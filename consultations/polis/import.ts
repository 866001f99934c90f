/**
 * Imports a Polis openData export as a consultation of a facilitator's organisation, in one transaction:
 *
 * - the consultation, in the deliberation phase, titled after the Polis topic, its description crediting
 *   the source with the CC BY 4.0 attribution;
 * - declared groups from the mapping CSV, or one group "Polis participants" (people the mapping leaves
 *   out go to "No declared group");
 * - one question (the topic, with the conversation's description as context);
 * - one participant per Polis participant (voters and the authors of included comments) with a generated
 *   pseudonym and the hash of a random recovery code nobody is told: imported people cannot sign in.
 *   Nothing links a participant to its Polis id: not the pseudonym, not the id (random UUIDs), not the order;
 * - positions from the comments not moderated out (author mapped to its participant, Polis timestamp
 *   kept, language: the consultation's first language, "en" unless `languages` says otherwise), and the
 *   latest vote per (comment, voter) on them.
 *
 * Authors' own votes on their comments are kept as Polis recorded them (in the app one cannot vote on
 * one's own position, but the imported history is Polis's).
 */
import { randomInt, randomUUID } from "node:crypto";

import type { Db } from "../db/client";
import { randomCode, sha256 } from "../crypto";
import { conflict, invalid, notFound } from "../errors";
import { publish, recordEvent, type ConsultationEvent } from "../events";
import { languageColumn, parseLanguages } from "../consultation-languages";
import { LIMITS } from "../limits";
import { generatePseudonym, pseudonymKey } from "../pseudonyms";
import { Slug } from "../schemas";
import { shorten } from "../report/text";
import { polisCreditMarkdown } from "./attribution";
import { groupIdFromName, type PolisExport } from "./parse";

export const DEFAULT_GROUP_NAME = "Polis participants";
export const UNMAPPED_GROUP_NAME = "No declared group";
/** Rows per createMany call (and per progress line). */
const CHUNK = 1000;

export interface ImportPolisOptions {
  facilitatorEmail: string;
  slug: string;
  /**
   * The consultation's languages, the main one first (default ["en"]). Polis exports do not say which
   * language each comment is in: every imported statement gets the first one.
   */
  languages?: string[];
  /** Progress lines ("created 500 of 536 participants"). */
  onProgress?: (message: string) => void;
}

export interface ImportPolisResult {
  consultationId: string;
  slug: string;
  counts: { groups: number; participants: number; positions: number; votes: number; moderatedOut: number };
  /** Participants per declared group name. */
  groups: Array<{ name: string; participants: number }>;
}

function uniquePseudonyms(count: number): string[] {
  const taken = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let name = generatePseudonym();
    for (let attempt = 0; taken.has(pseudonymKey(name)); attempt++) {
      // Past ~100,000 people the two-words-and-a-number space gets crowded: add digits.
      name = attempt < 50 ? generatePseudonym() : `${generatePseudonym()}${randomInt(0, 1000)}`;
    }
    taken.add(pseudonymKey(name));
    out.push(name);
  }
  return out;
}

/** Creates the consultation from a parsed export. Throws DomainError on an unknown facilitator or a taken slug. */
export async function importPolisExport(db: Db, exp: PolisExport, options: ImportPolisOptions): Promise<ImportPolisResult> {
  const log = options.onProgress ?? (() => {});
  const slugCheck = Slug.safeParse(options.slug);
  if (!slugCheck.success) throw invalid(`Web address: ${slugCheck.error.issues[0].message}`, { slug: slugCheck.error.issues.map((i) => i.message) });
  const slug = slugCheck.data;
  const languages = parseLanguages({ languages: options.languages ?? ["en"] });
  const language = languages[0];
  const email = options.facilitatorEmail.trim().toLowerCase();
  const account = await db.account.findUnique({ where: { email }, select: { id: true, organisationId: true } });
  if (!account) throw notFound(`A facilitator account with the email ${email}`);
  if (await db.consultation.findUnique({ where: { slug }, select: { id: true } })) {
    throw conflict(`The web address "${slug}" is already used by another consultation.`);
  }

  // People: voters (and everyone in participants-votes.csv) plus authors who never voted.
  const polisIds = [...new Set([...exp.input.participants.map((p) => p.id), ...exp.authors])];
  const declared = exp.input.groups;
  const groupIdOf = (polisId: string) => exp.mappedGroups[polisId] ?? null;
  const unmapped = polisIds.filter((id) => !groupIdOf(id)).length;
  const groupRows: Array<{ id: string; key: string; name: string; sourceId: string | null }> = declared.map((g) => ({
    id: randomUUID(),
    key: groupIdFromName(g.name),
    name: g.name,
    sourceId: g.id,
  }));
  if (unmapped) groupRows.push({ id: randomUUID(), key: "", name: declared.length ? UNMAPPED_GROUP_NAME : DEFAULT_GROUP_NAME, sourceId: null });
  if (groupRows.length > LIMITS.groupsMax) {
    throw invalid(`The mapping gives ${declared.length} groups and some people have none: a consultation can have at most ${LIMITS.groupsMax} groups.`);
  }
  // Keys unique within the consultation, as the app makes them.
  const keys = new Set<string>();
  for (const g of groupRows) {
    const base = g.key || groupIdFromName(g.name);
    let key = base;
    for (let k = 2; keys.has(key); k++) key = `${base}-${k}`;
    keys.add(key);
    g.key = key;
  }
  const groupRowBySource = new Map(groupRows.map((g) => [g.sourceId, g]));

  // Random order, so that nothing (not even row order) follows the Polis ids.
  const shuffled = [...polisIds];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const pseudonyms = uniquePseudonyms(shuffled.length);
  const participantRows = shuffled.map((polisId, i) => ({
    id: randomUUID(),
    polisId,
    groupId: groupRowBySource.get(groupIdOf(polisId))!.id,
    pseudonym: pseudonyms[i],
  }));
  const participantIdOf = new Map(participantRows.map((p) => [p.polisId, p.id]));

  const included = exp.comments.filter((c) => c.moderated !== -1);
  const positionIdOf = new Map(included.map((c) => [c.id, randomUUID()]));
  const longest = included.reduce((m, c) => Math.max(m, c.text.length), 0);
  const topic = exp.meta.topic;
  const now = new Date();

  log(`importing "${shorten(topic, 80)}": ${groupRows.length} group(s), ${participantRows.length} participants, ${included.length} positions, ${exp.votes.length} votes`);
  const events: ConsultationEvent[] = [];
  const consultationId = randomUUID();
  await db.$transaction(
    async (tx) => {
      await tx.consultation.create({
        data: {
          id: consultationId,
          organisationId: account.organisationId,
          slug,
          title: shorten(topic, LIMITS.titleMax),
          description: polisCreditMarkdown(exp.meta).slice(0, LIMITS.descriptionMax),
          phase: "deliberation",
          phaseChangedAt: now,
          maxPositionLength: Math.min(LIMITS.positionMaxCeiling, Math.max(LIMITS.positionMaxDefault, longest)),
          languages: languageColumn(languages),
        },
      });
      await tx.stakeholderGroup.createMany({
        data: groupRows.map((g, i) => ({ id: g.id, consultationId, key: g.key, name: g.name, sortOrder: i })),
      });
      const questionId = randomUUID();
      await tx.question.create({
        data: {
          id: questionId,
          consultationId,
          sortOrder: 0,
          title: shorten(topic, LIMITS.questionTitleMax),
          context: (exp.meta.description ?? "").slice(0, LIMITS.questionContextMax),
        },
      });
      for (let i = 0; i < participantRows.length; i += CHUNK) {
        const chunk = participantRows.slice(i, i + CHUNK);
        await tx.participant.createMany({
          data: chunk.map((p) => ({
            id: p.id,
            consultationId,
            groupId: p.groupId,
            pseudonym: p.pseudonym,
            pseudonymKey: pseudonymKey(p.pseudonym),
            recoveryCodeHash: sha256(randomCode()),
            createdAt: now,
          })),
        });
        log(`participants ${Math.min(i + CHUNK, participantRows.length)} of ${participantRows.length}`);
      }
      for (let i = 0; i < included.length; i += CHUNK) {
        const chunk = included.slice(i, i + CHUNK);
        await tx.position.createMany({
          data: chunk.map((c) => ({
            id: positionIdOf.get(c.id)!,
            consultationId,
            questionId,
            authorId: participantIdOf.get(c.authorId)!,
            body: c.text,
            language,
            status: "visible",
            createdAt: new Date(c.timestamp),
          })),
        });
        log(`positions ${Math.min(i + CHUNK, included.length)} of ${included.length}`);
      }
      for (let i = 0; i < exp.votes.length; i += CHUNK * 5) {
        const chunk = exp.votes.slice(i, i + CHUNK * 5);
        await tx.vote.createMany({
          data: chunk.map((v) => ({
            consultationId,
            positionId: positionIdOf.get(v.commentId)!,
            participantId: participantIdOf.get(v.voterId)!,
            value: v.value,
            createdAt: new Date(v.timestamp),
            updatedAt: new Date(v.timestamp),
          })),
        });
        log(`votes ${Math.min(i + CHUNK * 5, exp.votes.length)} of ${exp.votes.length}`);
      }
      events.push(
        await recordEvent(tx, consultationId, "consultation.created", "facilitator", {
          title: shorten(topic, LIMITS.titleMax),
          importedFrom: "polis",
        }),
      );
    },
    { timeout: 300_000, maxWait: 10_000 },
  );
  publish(events);

  const perGroup = groupRows.map((g) => ({ name: g.name, participants: participantRows.filter((p) => p.groupId === g.id).length }));
  log(`done: consultation "${slug}" in the deliberation phase`);
  return {
    consultationId,
    slug,
    counts: {
      groups: groupRows.length,
      participants: participantRows.length,
      positions: included.length,
      votes: exp.votes.length,
      moderatedOut: exp.stats.moderatedOut,
    },
    groups: perGroup,
  };
}
