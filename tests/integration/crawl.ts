/**
 * Shared by leak-crawl.test.ts and security-headers.test.ts:
 *
 * - `buildCrawlWorld()`: one organisation with two consultations, built through the domain services.
 *   A ("live") is in deliberation with participants in every group, positions, comments, votes, flags,
 *   hidden content, a suspended participant, a participant who only voted, unused invitations and an open
 *   live session. B ("published") has five voters per group, a participant who only voted, a suspended
 *   participant, a hidden position and a hidden comment, a finished synthesis (the real engine, in a worker
 *   thread) and a published report.
 * - `crawl()`: a bounded breadth-first crawl, as a browser without JavaScript: every same-origin
 *   href/src/action found in the HTML, GET forms with their hidden fields (and each option of their
 *   selects), resource routes (report .md/.html/.json/.csv) included.
 * - `leaksIn()`: what no viewer may ever receive.
 */
import { postComment } from "../../consultations/comments";
import { getDb } from "../../consultations/db/client";
import { createInvitations } from "../../consultations/invitations";
import { openSession, spotlight } from "../../consultations/live-sessions";
import { flagContent, hideContent } from "../../consultations/moderation";
import { suspendParticipant } from "../../consultations/participants";
import { withdrawPosition } from "../../consultations/positions";
import type { VoteChoice } from "../../consultations/schemas";
import { createSession } from "../../consultations/sessions";
import * as synthesis from "../../consultations/synthesis-runs";
import { castVote } from "../../consultations/votes";
import { normaliseCode } from "../../consultations/crypto";
import {
  createConsultation,
  createFacilitator,
  DEFAULT_GROUPS,
  joinMany,
  joinParticipant,
  moveToPhase,
  submit,
  type Facilitator,
  type Member,
  type TestConsultation,
} from "../factories";
import { decodeEntities } from "../fixtures/xss";

// ---- the world -------------------------------------------------------------------------------------

export interface CrawlWorld {
  fac: Facilitator;
  facToken: string;
  /** Consultation in deliberation, where the police participant takes part. */
  a: TestConsultation;
  /** Consultation with a published report, where the policymaker takes part. */
  b: TestConsultation;
  police: Member;
  policymaker: Member;
  /** Every member of A / of B (the viewers included). */
  aMembers: Member[];
  bMembers: Member[];
  /** People of A / B who only voted (never authored a position or comment). */
  aVoterOnly: Member[];
  bVoterOnly: Member[];
  /** Authors of A's visible positions (they act live). */
  aAuthors: Member[];
  aPositions: string[];
  /** Plaintext invitation codes issued and never used. */
  unusedCodes: string[];
}

const POLICE = "Police";
const POLICYMAKERS = "Policymakers";

/** One organisation, two consultations; see the file comment. */
export async function buildCrawlWorld(): Promise<CrawlWorld> {
  const db = await getDb();
  const fac = await createFacilitator({ displayName: "Dana Facilitator" });
  const facToken = (await createSession(db, { accountId: fac.account.id })).token;
  const unusedCodes: string[] = [];

  // ---- B: published report ----
  const b = await createConsultation(fac, {
    title: "Peer work support",
    questions: ["Where should drug checking happen?", "How should peer work be supported?"],
    phase: "positions",
  });
  const byGroup: Record<string, Member[]> = {};
  for (const group of DEFAULT_GROUPS) byGroup[group] = await joinMany(fac, b, group, 5);
  const bQuiet = await joinParticipant(fac, b, "Sex workers");
  const bSuspended = await joinParticipant(fac, b, DEFAULT_GROUPS[0]);
  const policymaker = byGroup[POLICYMAKERS][0];
  const [peerB, swB, outB, polB] = [byGroup[DEFAULT_GROUPS[0]][0], byGroup[DEFAULT_GROUPS[1]][0], byGroup[DEFAULT_GROUPS[2]][0], byGroup[POLICE][0]];
  const bTexts: Array<[Member, string, number]> = [
    [peerB, "Drug checking should be free and anonymous at every festival.", 0],
    [swB, "Police should stay away from drug checking sites.", 0],
    [outB, "Peer workers deserve **fair pay** for their work.", 1],
    [polB, "Services need night hours and a phone line.", 1],
    [swB, "A position the facilitator will hide from everyone.", 1],
    [outB, "A position its author will withdraw before the end.", 0],
  ];
  const bPositions: Array<{ id: string; author: Member }> = [];
  for (const [author, text, q] of bTexts) bPositions.push({ id: (await submit(author, b, text, b.questions[q])).id, author });
  const bMembers = [...Object.values(byGroup).flat(), bQuiet, bSuspended];
  for (const m of bMembers) {
    for (const [i, p] of bPositions.entries()) {
      if (p.author === m) continue;
      const choice: VoteChoice = m === bSuspended ? "disagree" : i === 1 && m.me.groupId === b.groups[POLICE] ? "disagree" : "agree";
      await castVote(db, m.viewer, b.key, p.id, { choice });
    }
  }
  const bComment = await postComment(db, byGroup[DEFAULT_GROUPS[2]][1].viewer, b.key, bPositions[0].id, { body: "Yes, and in the evenings too.", stance: "for" });
  const bHiddenComment = await postComment(db, byGroup[DEFAULT_GROUPS[3]][1].viewer, b.key, bPositions[1].id, { body: "A comment that will be hidden.", stance: "against" });
  await flagContent(db, byGroup[DEFAULT_GROUPS[0]][2].viewer, b.key, "comment", bHiddenComment.id, { reason: "Rude." });
  await hideContent(db, fac.viewer, b.key, "comment", bHiddenComment.id, { reason: "Rude." });
  await withdrawPosition(db, outB.viewer, b.key, bPositions[5].id);
  await hideContent(db, fac.viewer, b.key, "position", bPositions[4].id, { reason: "Off topic." });
  await suspendParticipant(db, fac.viewer, b.key, bSuspended.me.id, { reason: "Harassment." });
  unusedCodes.push(...(await createInvitations(db, fac.viewer, b.key, { groupId: b.groups[POLICYMAKERS], count: 2 })).map((i) => i.code));
  await moveToPhase(fac, b, "deliberation");
  const { id: runId } = await synthesis.startRun(db, fac.viewer, b.key);
  const summary = await synthesis.runInWorker(runId);
  if (summary?.status !== "done") throw new Error(`the synthesis of B did not finish: ${JSON.stringify(summary)}`);
  await moveToPhase(fac, b, "synthesis");
  await synthesis.publishReport(db, fac.viewer, b.key, { runId });
  const bAuthors = new Set([...bPositions.map((p) => p.author), byGroup[DEFAULT_GROUPS[2]][1], byGroup[DEFAULT_GROUPS[3]][1]]);
  const bVoterOnly = bMembers.filter((m) => !bAuthors.has(m));
  void bComment;

  // ---- A: in deliberation, a live session open ----
  const a = await createConsultation(fac, { title: "Drug checking in the city", questions: ["Where should drug checking happen?"], phase: "positions" });
  const police = await joinParticipant(fac, a, POLICE);
  const otherOfficer = await joinParticipant(fac, a, POLICE);
  const peers = await joinMany(fac, a, DEFAULT_GROUPS[0], 2);
  const sexWorkers = await joinMany(fac, a, DEFAULT_GROUPS[1], 2);
  const outreach = await joinMany(fac, a, DEFAULT_GROUPS[2], 2);
  const aPolicymaker = await joinParticipant(fac, a, POLICYMAKERS);
  const aQuiet = await joinParticipant(fac, a, DEFAULT_GROUPS[0]);
  const aSuspended = await joinParticipant(fac, a, DEFAULT_GROUPS[1]);
  const p1 = (await submit(peers[0], a, "Drug checking should be at the harm reduction centre, no names asked.")).id;
  const p2 = (await submit(sexWorkers[0], a, "Mobile drug checking at night, where we work.")).id;
  const p3 = (await submit(outreach[0], a, "Outreach vans should carry test kits.")).id;
  const hiddenP = (await submit(sexWorkers[1], a, "A position the facilitator hides.")).id;
  const aMembers = [police, otherOfficer, ...peers, ...sexWorkers, ...outreach, aPolicymaker, aQuiet, aSuspended];
  for (const m of aMembers) {
    for (const [pid, author] of [[p1, peers[0]], [p2, sexWorkers[0]], [p3, outreach[0]], [hiddenP, sexWorkers[1]]] as const) {
      if (m === author) continue;
      await castVote(db, m.viewer, a.key, pid, { choice: m === otherOfficer ? "disagree" : "agree" });
    }
  }
  await postComment(db, peers[1].viewer, a.key, p2, { body: "Yes, and with peer workers on board.", stance: "for" });
  const aHiddenComment = await postComment(db, aSuspended.viewer, a.key, p1, { body: "A comment that will be hidden.", stance: "against" });
  await flagContent(db, police.viewer, a.key, "position", p2, { reason: "Sounds like advertising." });
  await flagContent(db, peers[0].viewer, a.key, "comment", aHiddenComment.id, { reason: "Abusive." });
  await hideContent(db, fac.viewer, a.key, "comment", aHiddenComment.id, { reason: "Abusive." });
  await hideContent(db, fac.viewer, a.key, "position", hiddenP, { reason: "Off topic." });
  await suspendParticipant(db, fac.viewer, a.key, aSuspended.me.id, { reason: "Abuse." });
  unusedCodes.push(...(await createInvitations(db, fac.viewer, a.key, { groupId: a.groups[POLICE], count: 3, label: "station" })).map((i) => i.code));
  await moveToPhase(fac, a, "deliberation");
  await openSession(db, fac.viewer, a.key, { holdComments: false });
  await spotlight(db, fac.viewer, a.key, p1);

  const aAuthorSet = new Set([peers[0], sexWorkers[0], outreach[0], sexWorkers[1], peers[1], aSuspended]);
  return {
    fac,
    facToken,
    a,
    b,
    police,
    policymaker,
    aMembers,
    bMembers,
    aVoterOnly: aMembers.filter((m) => !aAuthorSet.has(m) && m !== police),
    bVoterOnly: bVoterOnly.filter((m) => m !== policymaker),
    aAuthors: [peers[0], sexWorkers[0], outreach[0]],
    aPositions: [p1, p2, p3],
    unusedCodes,
  };
}

// ---- the crawler -----------------------------------------------------------------------------------

export interface Fetched {
  status: number;
  body: string;
  headers: Headers;
}

export interface Visit extends Fetched {
  path: string;
  contentType: string;
}

export const SITE = "http://localhost";

/** Every attribute value of href/src/action/formaction/poster in the HTML (entities decoded). */
export function linkTargets(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\s(?:href|src|action|formaction|poster|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    out.push(decodeEntities(m[1] ?? m[2] ?? m[3] ?? ""));
  }
  return out;
}

/** GET forms as URLs: action (or the page) + hidden fields, once per option of each select. */
export function getFormTargets(html: string, page: string): string[] {
  const out: string[] = [];
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = form[1];
    const method = /\smethod\s*=\s*"([^"]*)"/i.exec(open)?.[1]?.toLowerCase() ?? "get";
    if (method !== "get") continue;
    const action = decodeEntities(/\saction\s*=\s*"([^"]*)"/i.exec(open)?.[1] ?? page);
    const base = new URL(action, new URL(page, SITE));
    for (const input of form[2].matchAll(/<input\b([^>]*)>/gi)) {
      const name = /\sname="([^"]*)"/i.exec(input[1])?.[1];
      const type = (/\stype="([^"]*)"/i.exec(input[1])?.[1] ?? "text").toLowerCase();
      const value = decodeEntities(/\svalue="([^"]*)"/i.exec(input[1])?.[1] ?? "");
      if (!name) continue;
      if (type === "hidden") base.searchParams.set(name, value);
      else if (type === "search" || type === "text") base.searchParams.set(name, value || "drug");
    }
    out.push(base.pathname + base.search);
    for (const select of form[2].matchAll(/<select\b[^>]*\sname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/gi)) {
      for (const option of select[2].matchAll(/<option\b[^>]*\svalue="([^"]*)"/gi)) {
        const url = new URL(base);
        url.searchParams.set(select[1], decodeEntities(option[1]));
        out.push(url.pathname + url.search);
      }
    }
  }
  return out;
}

/** Static files (served by Express, not by Remix): not crawled as pages. */
const STATIC = /^\/(build\/|favicon|robots\.txt|.*\.(css|js|png|ico|svg|woff2?)$)/;

/**
 * Breadth-first crawl from `start`, following same-origin links and GET forms (at most `limit` fetches).
 * Redirects are followed to their target (as a new page). Paths under `skip` are not fetched.
 */
export async function crawl(
  fetchPage: (path: string) => Promise<Fetched>,
  start: string[],
  { limit = 250, skip = [] as RegExp[] } = {},
): Promise<Visit[]> {
  const seen = new Set<string>();
  const queue = [...start];
  const visits: Visit[] = [];
  const enqueue = (raw: string, from: string) => {
    if (!raw || raw.startsWith("#") || /^(mailto|tel|javascript|data):/i.test(raw)) return;
    let url: URL;
    try {
      url = new URL(raw, new URL(from, SITE));
    } catch {
      return; // not a URL a browser could follow (a user's link text such as "http://")
    }
    if (url.origin !== SITE) return;
    const path = url.pathname + url.search;
    if (STATIC.test(url.pathname) || skip.some((s) => s.test(path))) return;
    if (!seen.has(path)) queue.push(path);
  };
  while (queue.length && visits.length < limit) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const res = await fetchPage(path);
    const visit: Visit = { ...res, path, contentType: res.headers.get("Content-Type") ?? "" };
    visits.push(visit);
    const location = res.headers.get("Location");
    if (location) enqueue(location, path);
    if (visit.contentType.startsWith("text/html")) {
      for (const target of linkTargets(res.body)) enqueue(target, path);
      for (const target of getFormTargets(res.body, path)) enqueue(target, path);
    }
  }
  return visits;
}

// ---- what must never leak --------------------------------------------------------------------------

const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.])/;
const IPV6 = new RegExp(
  [
    /(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])/.source,
    /(?<![\w:])(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?(?![\w:])/.source,
    /(?<![\w:])::(?:ffff:)?[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}(?![\w:.])/.source,
  ].join("|"),
  "i",
);
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

/** IP addresses in a text (IPv4 incl. 127.0.0.1; IPv6 incl. ::1 and ::ffff:...). */
export function ipAddressesIn(text: string): string[] {
  const found: string[] = [];
  for (const re of [IPV4, IPV6]) {
    const global = new RegExp(re.source, "gi");
    for (const m of text.matchAll(global)) found.push(m[0]);
  }
  return found;
}

export interface Secrets {
  /** Exact strings (case-insensitive) with what they are. */
  exact: Array<{ what: string; value: string }>;
}

/**
 * Everything of the database a viewer must never receive: emails, account and organisation ids,
 * participant and session ids, session tokens, invitation and recovery codes (plain and normalised) and
 * every stored hash; plus the given pseudonyms.
 */
export async function secretsOf(
  w: CrawlWorld,
  { pseudonyms, exceptRecoveryOf }: { pseudonyms: Array<{ what: string; value: string }>; exceptRecoveryOf?: Member },
): Promise<Secrets> {
  const db = await getDb();
  const exact: Secrets["exact"] = [];
  for (const a of await db.account.findMany()) exact.push({ what: "email", value: a.email }, { what: "account id", value: a.id }, { what: "password hash", value: a.passwordHash });
  for (const o of await db.organisation.findMany()) exact.push({ what: "organisation id", value: o.id });
  for (const p of await db.participant.findMany()) {
    exact.push({ what: `participant id of ${p.pseudonym}`, value: p.id }, { what: "recovery code hash", value: p.recoveryCodeHash });
    if (p.passphraseHash) exact.push({ what: "passphrase hash", value: p.passphraseHash });
  }
  for (const s of await db.session.findMany()) exact.push({ what: "session id", value: s.id }, { what: "session token hash", value: s.tokenHash });
  for (const i of await db.invitation.findMany()) exact.push({ what: "invitation code hash", value: i.tokenHash });
  for (const m of [...w.aMembers, ...w.bMembers]) {
    exact.push({ what: `session token of ${m.pseudonym}`, value: m.token });
    if (m !== exceptRecoveryOf) {
      exact.push({ what: `recovery code of ${m.pseudonym}`, value: m.recoveryCode }, { what: `recovery code of ${m.pseudonym}`, value: normaliseCode(m.recoveryCode) });
    }
  }
  exact.push({ what: "facilitator session token", value: w.facToken });
  for (const code of w.unusedCodes) exact.push({ what: "invitation code", value: code }, { what: "invitation code", value: normaliseCode(code) });
  exact.push(...pseudonyms);
  return { exact: exact.filter((e) => e.value.length >= 4) };
}

/** What of `secrets` (and any email or IP address pattern) the text contains. */
export function leaksIn(text: string, secrets: Secrets): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  for (const { what, value } of secrets.exact) if (lower.includes(value.toLowerCase())) found.push(`${what}: ${value}`);
  const email = EMAIL.exec(text);
  if (email) found.push(`email pattern: ${email[0]}`);
  for (const ip of ipAddressesIn(text)) found.push(`IP address pattern: ${ip}`);
  return found;
}
