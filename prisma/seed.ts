/**
 * The demo consultation "Strengthening and sustaining peer work" (slug `peer-work`), built through the
 * domain services so the data obeys every rule a real consultation obeys: a facilitator signs up,
 * creates the consultation with five stakeholder groups and three questions, invites people, opens
 * positions, people join, post positions and vote, the facilitator moves on to deliberation, people
 * comment, and one comment waits in the moderation queue.
 *
 * Written with Prisma directly, each explained where it happens:
 *   - what the services cannot express: codes known in advance and documented in docs/DEMO.md
 *     (`fixedInvitations`, `fixRecoveryCode`), hashed exactly as the domain hashes them;
 *   - the votes, one ballot per participant (`castVotes`), with castVote's checks and events: castVote
 *     vote by vote made seeding take 7-10 s.
 *
 * Deterministic: votes, authors and pseudonyms come from a seeded PRNG (mulberry32), so every seed gives
 * the same consultation (ids, timestamps and hashes aside).
 *
 *   seedDemo(db)          used by prisma/setup.ts (npm run setup / npm start) and by tests
 *   tsx prisma/seed.ts    seeds the database at DATABASE_URL (default data/polyphony.db) if not there yet
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { signUp } from "../consultations/accounts";
import { postComment } from "../consultations/comments";
import { access, type ConsultationKey } from "../consultations/access";
import { addQuestion, createConsultation, movePhase, updateGroup } from "../consultations/consultations";
import { setGroupOutreach } from "../consultations/proxy";
import { normaliseCode, sha256 } from "../consultations/crypto";
import { createDb, type Db } from "../consultations/db/client";
import { databaseUrl } from "../consultations/db/url";
import { createInvitations } from "../consultations/invitations";
import { flagContent } from "../consultations/moderation";
import { joinWithInvitation } from "../consultations/participants";
import type { ParticipantIdentity, Viewer } from "../consultations/permissions";
import { submitPosition } from "../consultations/positions";
import { VOTE_VALUE, VoteInput, type VoteChoice } from "../consultations/schemas";
import { commit } from "../consultations/unit-of-work";
import { parseInput } from "../consultations/validate";
import {
  COMMENTS,
  CONSULTATION,
  GROUPS,
  ORGANISATION_NAME,
  POSITIONS,
  PSEUDONYM_WORDS,
  QUESTIONS,
  type GroupId,
  type QuestionId,
  type Support,
} from "./demo/content";
import { FACILITATOR, INVITATION_VALID_DAYS, OPEN_INVITATIONS, PARTICIPANT_LOGINS, type DemoParticipantLogin } from "./demo/logins";

export { CONSULTATION as DEMO_CONSULTATION } from "./demo/content";
export { FACILITATOR as DEMO_FACILITATOR, OPEN_INVITATIONS as DEMO_INVITATIONS, PARTICIPANT_LOGINS as DEMO_PARTICIPANTS, joinPath } from "./demo/logins";

export const DEMO_SLUG = CONSULTATION.slug;

/** The PRNG seed: change it to get another (equally deterministic) distribution of votes. */
const SEED = 20261123;
/** Share of the other people's positions a generated participant votes on. */
const VOTE_RATE = 0.85;
/** The demo logins vote on about half, so there is something left to vote on when you sign in as them. */
const DEMO_LOGIN_VOTE_RATE = 0.5;

export interface SeedSummary {
  consultationId: string;
  slug: string;
  participants: number;
  positions: number;
  votes: number;
  comments: number;
  flags: number;
}

export interface SeedOptions {
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Whether the demo consultation is in the database. */
export async function isDemoSeeded(db: Db): Promise<boolean> {
  return (await db.consultation.count({ where: { slug: DEMO_SLUG } })) > 0;
}

/** mulberry32: a tiny, fast, seedable PRNG (uniform in [0, 1)). Not for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Splits one group's voters on one position by the group's propensity to agree: about 92% of the
 * propensity agree, 85% of the rest disagree, the others pass. Who votes what is shuffled with the
 * seeded PRNG; the counts follow the propensity, so even small groups show the intended structure.
 */
function splitVotes<T>(voters: T[], agreeProbability: number, rng: () => number): Map<T, VoteChoice> {
  const shuffled = [...voters];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const n = shuffled.length;
  const agree = Math.round(n * agreeProbability * 0.92);
  const disagree = Math.min(n - agree, Math.round(n * (1 - agreeProbability) * 0.85));
  return new Map(shuffled.map((v, i): [T, VoteChoice] => [v, i < agree ? "agree" : i < agree + disagree ? "disagree" : "pass"]));
}

const STANCE_VOTE = { for: "agree", against: "disagree", neutral: "pass" } as const satisfies Record<string, VoteChoice>;

interface Member {
  identity: ParticipantIdentity;
  viewer: Viewer;
  group: GroupId;
  login?: DemoParticipantLogin;
}

function participantViewer(identity: ParticipantIdentity): Viewer {
  return { account: null, participants: [identity] };
}

/**
 * Builds the demo consultation. Refuses when the demo slug or the demo facilitator's email is already
 * taken; on any failure removes what it created, so a later run starts clean.
 */
export async function seedDemo(db: Db, options: SeedOptions = {}): Promise<SeedSummary> {
  const log = options.log ?? (() => {});
  if (await isDemoSeeded(db)) throw new Error(`The demo consultation "${DEMO_SLUG}" already exists.`);
  if (await db.account.findUnique({ where: { email: FACILITATOR.email }, select: { id: true } })) {
    throw new Error(`An account with the demo facilitator's email (${FACILITATOR.email}) already exists.`);
  }
  try {
    return await build(db, log);
  } catch (error) {
    await removeDemo(db).catch((cleanupError: unknown) => {
      log(`could not remove the partly built demo: ${String(cleanupError)}`);
    });
    throw error;
  }
}

async function build(db: Db, log: (line: string) => void): Promise<SeedSummary> {
  const rng = mulberry32(SEED);

  // ---- the facilitator and the consultation (draft) ------------------------------------------
  const account = await signUp(db, {
    organisationName: ORGANISATION_NAME,
    displayName: FACILITATOR.displayName,
    email: FACILITATOR.email,
    password: FACILITATOR.password,
  });
  const facilitator: Viewer = {
    account: { id: account.id, organisationId: account.organisationId, displayName: account.displayName },
    participants: [],
  };
  const created = await createConsultation(db, facilitator, {
    slug: CONSULTATION.slug,
    title: CONSULTATION.title,
    description: CONSULTATION.description,
    groups: GROUPS.map((g) => g.name).join("\n"),
    languages: CONSULTATION.languages.join(","),
  });
  const key = { id: created.id };

  const groupRows = await db.stakeholderGroup.findMany({ where: { consultationId: created.id }, select: { id: true, name: true } });
  const groupIds = {} as Record<GroupId, string>;
  for (const group of GROUPS) {
    const row = groupRows.find((r) => r.name === group.name);
    if (!row) throw new Error(`Stakeholder group "${group.name}" was not created.`);
    groupIds[group.id] = row.id;
    await updateGroup(db, facilitator, key, row.id, { name: group.name, description: group.description });
  }
  // Outreach professionals may enter positions for peers who are not online (proxy entry, with consent).
  await setGroupOutreach(db, facilitator, key, groupIds.outreach, { outreach: "on" });

  const questionIds = {} as Record<QuestionId, string>;
  for (const question of QUESTIONS) {
    const { id } = await addQuestion(db, facilitator, key, { title: question.title, context: question.context });
    questionIds[question.id] = id;
  }
  log(`created "${CONSULTATION.title}" (/c/${DEMO_SLUG}) for ${FACILITATOR.email}`);

  // ---- invitations and participants ----------------------------------------------------------
  await fixedInvitations(db, created.id, groupIds);

  const members: Member[] = [];
  const taken = new Set(PARTICIPANT_LOGINS.map((l) => l.pseudonym.toLowerCase()));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
  const nextPseudonym = () => {
    for (;;) {
      const name = `${pick(PSEUDONYM_WORDS.first)} ${pick(PSEUDONYM_WORDS.second)} ${10 + Math.floor(rng() * 90)}`;
      if (!taken.has(name.toLowerCase())) {
        taken.add(name.toLowerCase());
        return name;
      }
    }
  };

  for (const group of GROUPS) {
    const logins = PARTICIPANT_LOGINS.filter((l) => l.group === group.id);
    // Single-use invitations the way a facilitator makes them; each one is redeemed below.
    const issued = await createInvitations(db, facilitator, key, {
      groupId: groupIds[group.id],
      count: group.size,
      validDays: 30,
      label: "Demo participants",
    });
    for (const [i, invitation] of issued.entries()) {
      const login = logins[i];
      // Generated participants join without a passphrase (no argon2 cost); the demo logins with one.
      const joined = await joinWithInvitation(db, invitation.code, {
        pseudonym: login?.pseudonym ?? nextPseudonym(),
        passphrase: login?.passphrase ?? "",
      });
      if (login) await fixRecoveryCode(db, joined.participant.id, login.recoveryCode);
      const identity: ParticipantIdentity = {
        id: joined.participant.id,
        consultationId: created.id,
        groupId: groupIds[group.id],
        pseudonym: joined.participant.pseudonym,
        status: "active",
      };
      members.push({ identity, viewer: participantViewer(identity), group: group.id, login });
    }
  }
  log(`${members.length} participants joined in ${GROUPS.length} groups; ${GROUPS.length} open demo invitations`);

  // ---- positions (phase: positions) ------------------------------------------------------------
  await movePhase(db, facilitator, key, { to: "positions" });

  const byGroup = (group: GroupId) => members.filter((m) => m.group === group && !m.login);
  const nextAuthorIndex = new Map<GroupId, number>();
  const positions: Array<{ key: string; id: string; question: QuestionId; author: Member; support: Support }> = [];
  for (const position of POSITIONS) {
    let author: Member;
    if (position.demoAuthor) {
      author = members.find((m) => m.login?.id === position.demoAuthor)!;
    } else {
      const pool = byGroup(position.group);
      const i = nextAuthorIndex.get(position.group) ?? 0;
      nextAuthorIndex.set(position.group, i + 1);
      author = pool[i % pool.length];
    }
    const { id } = await submitPosition(db, author.viewer, key, questionIds[position.question], { body: position.body, language: position.language ?? "en" });
    positions.push({ key: position.key, id, question: position.question, author, support: position.support });
  }
  log(`${positions.length} positions on ${QUESTIONS.length} questions`);

  // ---- votes: planned first (deterministic), then cast one ballot per participant --------------
  const planned = new Map<string, Map<string, VoteChoice>>(); // participant id -> position key -> choice
  for (const member of members) planned.set(member.identity.id, new Map());
  // Who votes on what: most people vote on most positions of others (the demo logins on about half).
  const voters = new Map(positions.map((p) => [p.key, [] as Member[]]));
  for (const member of members) {
    const rate = member.login ? DEMO_LOGIN_VOTE_RATE : VOTE_RATE;
    for (const position of positions) {
      if (rng() < rate && position.author !== member) voters.get(position.key)!.push(member);
    }
  }
  // How: per position and group, following the group's propensity to agree.
  for (const position of positions) {
    for (const group of GROUPS) {
      const inGroup = voters.get(position.key)!.filter((m) => m.group === group.id);
      for (const [member, choice] of splitVotes(inGroup, position.support[group.id], rng)) {
        planned.get(member.identity.id)!.set(position.key, choice);
      }
    }
  }
  // The demo logins' votes match what they say in their comments.
  for (const comment of COMMENTS) {
    if (!comment.demoAuthor) continue;
    const member = members.find((m) => m.login?.id === comment.demoAuthor)!;
    planned.get(member.identity.id)!.set(comment.position, STANCE_VOTE[comment.stance]);
  }

  let votes = 0;
  const castFor = async (questions: QuestionId[]) => {
    for (const member of members) {
      const mine = planned.get(member.identity.id)!;
      const ballot = positions
        .filter((p) => questions.includes(p.question) && mine.has(p.key))
        .map((p) => ({ positionId: p.id, choice: mine.get(p.key)! }));
      votes += await castVotes(db, member.viewer, key, ballot);
    }
  };
  // Votes on the first question came in while positions were still open; the rest during deliberation.
  await castFor(["pay"]);
  await movePhase(db, facilitator, key, { to: "deliberation" });
  await castFor(["police", "recognition"]);
  log(`${votes} votes; phase moved to deliberation`);

  // ---- comments and the flag (phase: deliberation) ---------------------------------------------
  const commentIds = new Map<string, string>();
  const commented = new Set<string>(); // "participant:position", so one person does not comment twice on a position
  let flags = 0;
  for (const comment of COMMENTS) {
    const position = positions.find((p) => p.key === comment.position);
    if (!position) throw new Error(`Comment ${comment.key}: no position "${comment.position}".`);
    let author: Member;
    if (comment.demoAuthor) {
      author = members.find((m) => m.login?.id === comment.demoAuthor)!;
    } else {
      // Someone of the group who is not the author, preferably whose vote matches the comment's stance.
      const pool = byGroup(comment.group).filter((m) => m !== position.author && !commented.has(`${m.identity.id}:${position.key}`));
      const consistent = pool.filter((m) => planned.get(m.identity.id)!.get(position.key) === STANCE_VOTE[comment.stance]);
      author = pick(consistent.length ? consistent : pool);
    }
    commented.add(`${author.identity.id}:${position.key}`);
    const parentId = comment.replyTo ? commentIds.get(comment.replyTo) : undefined;
    if (comment.replyTo && !parentId) throw new Error(`Comment ${comment.key}: reply to unknown comment "${comment.replyTo}".`);
    const { id } = await postComment(db, author.viewer, key, position.id, { body: comment.body, stance: comment.stance, parentId, language: comment.language ?? "en" });
    commentIds.set(comment.key, id);

    if (comment.flag) {
      const reporter = pick(byGroup(comment.flag.by).filter((m) => m !== author));
      await flagContent(db, reporter.viewer, key, "comment", id, { reason: comment.flag.reason });
      flags++;
    }
  }
  log(`${commentIds.size} comments; ${flags} flagged comment waiting for moderation`);

  return {
    consultationId: created.id,
    slug: created.slug,
    participants: members.length,
    positions: positions.length,
    votes,
    comments: commentIds.size,
    flags,
  };
}

/**
 * One participant's votes, in one unit of work. The rules are those of votes.ts castVote, checked here
 * for the whole ballot: `access(..., "vote")` (an active participant, in a phase that allows voting),
 * VoteInput for each choice, only visible positions of this consultation and never one's own; one
 * "vote.cast" event per vote, with castVote's payload.
 *
 * Why not castVote itself: each call runs about seven Prisma queries (authorisation, the position, the
 * upsert, the event, the fresh tally) at ~1 ms each through Prisma 6's Wasm query compiler, so the
 * demo's ~900 votes took 7-10 s; a ballot per participant takes a fraction of that.
 */
async function castVotes(db: Db, viewer: Viewer, key: ConsultationKey, ballot: Array<{ positionId: string; choice: VoteChoice }>): Promise<number> {
  if (!ballot.length) return 0;
  const ctx = await access(db, viewer, key, "vote");
  const me = ctx.me!;
  const rows = await db.position.findMany({
    where: { id: { in: ballot.map((b) => b.positionId) }, consultationId: ctx.consultation.id },
    select: { id: true, status: true, authorId: true, questionId: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const votes = ballot.map(({ positionId, choice }) => {
    const position = byId.get(positionId);
    if (!position) throw new Error(`Vote on an unknown position ${positionId}.`);
    if (position.status !== "visible") throw new Error(`Vote on a position that is ${position.status}.`);
    if (position.authorId === me.id) throw new Error(`${me.pseudonym} cannot vote on their own position.`);
    const { choice: checked } = parseInput(VoteInput, { choice });
    return { positionId, questionId: position.questionId, value: VOTE_VALUE[checked] };
  });
  await commit(db, async (tx, emit) => {
    await tx.vote.createMany({
      data: votes.map((v) => ({ consultationId: ctx.consultation.id, positionId: v.positionId, participantId: me.id, value: v.value })),
    });
    for (const v of votes) await emit(ctx.consultation.id, "vote.cast", "participant", { positionId: v.positionId, questionId: v.questionId });
  });
  return votes.length;
}

/**
 * One open invitation per group with a fixed, documented code (prisma/demo/logins.ts).
 *
 * Written with Prisma because createInvitations only issues random codes, and rightly so: a known code
 * is exactly what the app must never produce. The row is what createInvitations writes (SHA-256 of the
 * normalised code, the last four characters as hint, a batch id, an expiry) and the same event is
 * recorded, in one unit of work.
 */
async function fixedInvitations(db: Db, consultationId: string, groupIds: Record<GroupId, string>): Promise<void> {
  const expiresAt = new Date(Date.now() + INVITATION_VALID_DAYS * 24 * 60 * 60 * 1000);
  await commit(db, async (tx, emit) => {
    for (const group of GROUPS) {
      const code = OPEN_INVITATIONS[group.id];
      if (normaliseCode(code) !== code) throw new Error(`Demo invitation code for ${group.name} is not normalised.`);
      await tx.invitation.create({
        data: {
          consultationId,
          groupId: groupIds[group.id],
          tokenHash: sha256(code),
          hint: code.slice(-4),
          label: "Open demo link (docs/DEMO.md)",
          batchId: randomUUID(),
          expiresAt,
        },
      });
      await emit(consultationId, "invitations.created", "facilitator", { groupId: groupIds[group.id], count: 1 });
    }
  });
}

/**
 * Replaces the random recovery code joinWithInvitation gave a demo login with the documented one.
 * joinWithInvitation cannot take a chosen code (it must never); the hash is the same as the domain's:
 * SHA-256 of the normalised code, which is what returnToConsultation looks up.
 */
async function fixRecoveryCode(db: Db, participantId: string, recoveryCode: string): Promise<void> {
  const normalised = normaliseCode(recoveryCode);
  if (normalised !== recoveryCode) throw new Error("Demo recovery code is not normalised.");
  await db.participant.update({ where: { id: participantId }, data: { recoveryCodeHash: sha256(normalised) } });
}

/**
 * Deletes the demo: the demo facilitator's organisation, its accounts and its `peer-work` consultation
 * (used after a failed seed; tests may use it too). Touches nothing of any other organisation.
 */
export async function removeDemo(db: Db): Promise<void> {
  const account = await db.account.findUnique({ where: { email: FACILITATOR.email }, select: { organisationId: true } });
  if (!account) return;
  const { organisationId } = account;
  const consultation = await db.consultation.findFirst({ where: { slug: DEMO_SLUG, organisationId }, select: { id: true } });
  if (consultation) {
    // Participants first: their group reference does not cascade; everything they wrote does.
    await db.participant.deleteMany({ where: { consultationId: consultation.id } });
    await db.consultation.delete({ where: { id: consultation.id } });
  }
  if (!(await db.consultation.count({ where: { organisationId } }))) {
    await db.account.deleteMany({ where: { organisationId } });
    await db.organisation.delete({ where: { id: organisationId } });
  }
}

async function main(): Promise<void> {
  databaseUrl();
  const db = await createDb();
  try {
    if (await isDemoSeeded(db)) {
      console.log(`[seed] the demo consultation "${DEMO_SLUG}" is already there: nothing to do.`);
      return;
    }
    const started = Date.now();
    const summary = await seedDemo(db, { log: (line) => console.log(`[seed] ${line}`) });
    console.log(`[seed] done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(summary)}`);
  } finally {
    await db.$disconnect();
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  main().catch((error: unknown) => {
    console.error(`[seed] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
