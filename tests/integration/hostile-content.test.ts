/**
 * The XSS corpus (tests/fixtures/xss.ts) through every place people type text, then everywhere it is
 * shown: a facilitator sets up a consultation whose title, description, group names, question, invitation
 * label, moderation and suspension reasons, recommendation wording and summary note carry payloads;
 * participants post every payload of the corpus as positions and comments and flag with payloads; the
 * synthesis runs and the report is published; a Polis export whose comments are payloads is imported.
 *
 * Then the facilitator, a participant and an anonymous reader crawl every page, resource and report file
 * they can reach (tests/integration/crawl.ts), and:
 *  - no HTML page holds active content (`activeContentIn`: a script without the nonce, an event handler,
 *    a javascript:/data: URL, an embedding element, a script body a payload could close);
 *  - the Markdown report, rendered as it is by a Markdown viewer that sanitizes nothing (marked), is inert
 *    too;
 *  - no cell of the CSV report is a formula;
 *  - the JSON report is served as JSON and nosniff, and carries the texts exactly as typed;
 *  - the payloads did reach the pages (as text): a clean result is not an empty one.
 * And what cannot be stored is refused with a message, changing nothing: pseudonyms with markup or
 * control characters, texts with control characters, a Polis export with them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { marked } from "marked";
import { postComment } from "../../consultations/comments";
import { CONTROL_CHARACTERS } from "../../consultations/limits";
import * as consultations from "../../consultations/consultations";
import { getDb } from "../../consultations/db/client";
import { openSession, spotlight } from "../../consultations/live-sessions";
import { flagContent, hideContent } from "../../consultations/moderation";
import { suspendParticipant } from "../../consultations/participants";
import { parseCsv } from "../../consultations/polis/csv";
import { importPolisExport } from "../../consultations/polis/import";
import { PolisFormatError, readPolisExport } from "../../consultations/polis/parse";
import { submitPosition } from "../../consultations/positions";
import { createSession } from "../../consultations/sessions";
import * as synthesis from "../../consultations/synthesis-runs";
import { castVote } from "../../consultations/votes";
import { activeContentIn, FORMULA_CORPUS, isFormulaCell, XSS_CORPUS } from "../fixtures/xss";
import { createConsultation, createFacilitator, DEFAULT_GROUPS, domainError, invite, joinMany, moveToPhase, type Facilitator, type Member, type TestConsultation } from "../factories";
import { PROJECT_ROOT } from "../setup/paths";
import { crawl, type Visit } from "./crawl";
import { get, post, sessionCookie } from "./http-harness";

vi.setConfig({ testTimeout: 180_000 });

const NONCE = "test-nonce"; // what http-harness.ts puts in the load context
/** The corpus entries that can be stored (those with control characters are refused, tested below). */
const STORABLE = XSS_CORPUS.filter(([, input]) => !CONTROL_CHARACTERS.test(input));
const payloadText = (label: string, input: string) => `Position on ${label}: ${input}`;

/** Stakeholder groups and a consultation whose every text carries markup. */
const GROUPS = ['Peers <script>alert("g1")</script>', 'Police <img src=x onerror=alert("g2")>', 'Outreach " onmouseover="alert(3)'];
const TITLE = 'Drug checking <svg onload=alert("title")> & "quotes"';
const DESCRIPTION = STORABLE.map(([, input]) => input).join("\n\n");
const QUESTION = 'Where should drug checking happen? </textarea><script>alert("q")</script>';
const REASON = '<img src=x onerror=alert("reason")> [x](javascript:alert(1))';
const WORDING = 'Offer drug checking <script>alert("wording")</script> [here](javascript:alert(1))';
const SUMMARY_NOTE = 'A note <iframe src="https://evil.example"></iframe> [x](javascript:alert(1))';

interface World {
  fac: Facilitator;
  facCookie: string;
  c: TestConsultation;
  members: Member[];
  positionIds: string[];
  polisSlug: string;
}

let w: World;

/** A Polis export (london.youth.policing) whose included comments are payloads, in a temporary folder. */
function hostilePolisExport(payloads: string[]): string {
  const source = path.join(PROJECT_ROOT, "consultations", "polis", "fixtures", "london.youth.policing");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polyphony-hostile-polis-"));
  for (const name of fs.readdirSync(source)) fs.copyFileSync(path.join(source, name), path.join(dir, name));
  const [head, ...rows] = parseCsv(fs.readFileSync(path.join(dir, "comments.csv"), "utf8")).map((r) => r.fields);
  const body = head.indexOf("comment-body");
  const moderated = head.indexOf("moderated");
  let next = 0;
  for (const row of rows) if (row[moderated] !== "-1" && next < payloads.length) row[body] = payloads[next++];
  // Written as Polis writes it (no apostrophe before formulas: csv.ts `toCsv` is for spreadsheets).
  const raw = [head, ...rows].map((r) => r.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(",")).join("\r\n");
  fs.writeFileSync(path.join(dir, "comments.csv"), `${raw}\r\n`);
  return dir;
}

async function buildWorld(): Promise<World> {
  const db = await getDb();
  const fac = await createFacilitator({ displayName: "Hostile Test Facilitator" });
  const facCookie = sessionCookie((await createSession(db, { accountId: fac.account.id })).token);
  const c = await createConsultation(fac, { groups: GROUPS, title: "Set below", questions: [] });
  await consultations.updateDetails(db, fac.viewer, c.key, { title: TITLE, slug: c.slug, description: DESCRIPTION, maxPositionLength: 600 });
  const question = await consultations.addQuestion(db, fac.viewer, c.key, { title: QUESTION, context: DESCRIPTION.slice(0, 10_000) });
  c.questions.push(question.id);
  await invite(fac, c, GROUPS[1], 2, { label: '<b onmouseover="alert(1)">station</b>' });
  await moveToPhase(fac, c, "positions");

  const members = (await Promise.all(GROUPS.map((g) => joinMany(fac, c, g, 6)))).flat();
  const positionIds: string[] = [];
  const texts = [...STORABLE.map(([label, input]) => payloadText(label, input)), ...FORMULA_CORPUS];
  for (const [i, text] of texts.entries()) {
    const author = members[i % members.length];
    positionIds.push((await submitPosition(db, author.viewer, c.key, question.id, { body: text })).id);
  }
  // Everyone votes on everything (agree, some disagree), so every figure of the report is shown.
  for (const [m, member] of members.entries()) {
    for (const [i, id] of positionIds.entries()) {
      if (i % members.length === m) continue;
      await castVote(db, member.viewer, c.key, id, { choice: (i + m) % 7 === 0 ? "disagree" : "agree" });
    }
  }
  for (const [i, [, input]] of STORABLE.slice(0, 12).entries()) {
    await postComment(db, members[(i + 1) % members.length].viewer, c.key, positionIds[i], { body: `Comment: ${input}`, stance: "for" });
  }
  const flagged = await postComment(db, members[3].viewer, c.key, positionIds[0], { body: "A comment to hide <script>alert(1)</script>", stance: "against" });
  await flagContent(db, members[4].viewer, c.key, "comment", flagged.id, { reason: REASON });
  await hideContent(db, fac.viewer, c.key, "comment", flagged.id, { reason: REASON });
  await flagContent(db, members[5].viewer, c.key, "position", positionIds[1], { reason: REASON });
  await openSession(db, fac.viewer, c.key, { holdComments: false });
  await spotlight(db, fac.viewer, c.key, positionIds[3]);

  await moveToPhase(fac, c, "deliberation");
  const { id: runId } = await synthesis.startRun(db, fac.viewer, c.key);
  const summary = await synthesis.runInWorker(runId);
  if (summary?.status !== "done") throw new Error(`the synthesis did not finish: ${JSON.stringify(summary)}`);
  await synthesis.saveEdits(db, fac.viewer, c.key, positionIds[0], WORDING);
  await synthesis.saveSummaryNote(db, fac.viewer, c.key, { summaryNote: SUMMARY_NOTE });
  // A suspension after the run would change its input: the suspended one is a spare member.
  await moveToPhase(fac, c, "synthesis");
  await synthesis.publishReport(db, fac.viewer, c.key, { runId });

  const polisSlug = "hostile-polis";
  const dir = hostilePolisExport(STORABLE.map(([, input]) => input).filter((t) => t.length <= 1000));
  try {
    await importPolisExport(db, readPolisExport(dir), { facilitatorEmail: fac.email, slug: polisSlug });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { fac, facCookie, c, members, positionIds, polisSlug };
}

beforeAll(async () => {
  w = await buildWorld();
}, 300_000);

function crawlAs(cookie: string | null, start: string[], limit = 250): Promise<Visit[]> {
  return crawl((p) => get(p, { cookie }), start, { skip: [/^\/logout/], limit });
}

function activeIn(visits: Visit[]): string[] {
  return visits.filter((v) => v.contentType.startsWith("text/html")).flatMap((v) => activeContentIn(v.body, NONCE).map((f) => `${v.path}: ${f}`));
}

/** How many corpus payloads show up, escaped as text, in these pages. */
function payloadsShown(visits: Visit[]): number {
  const all = visits.map((v) => v.body).join("\n");
  return STORABLE.filter(([, input]) => input.includes("<") && all.includes(input.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").split("\n")[0])).length;
}

describe("the checker", () => {
  // Case: active content is found (so an empty result means something).
  it("finds scripts without the nonce, handlers, dangerous URLs, embeds and script breakouts", () => {
    const page = [
      `<script nonce="${NONCE}">ok()</script>`,
      "<script>alert(1)</script>",
      '<img src="x" onerror="alert(1)">',
      '<a href=" jav&#x09;ascript:alert(1)">x</a>',
      '<iframe src="https://evil.example"></iframe>',
      `<script nonce="${NONCE}">var x = "</scr" + "ipt>"; var y = "<!--";</script>`,
      '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
      '<p style="background:url(javascript:alert(1))">x</p>',
    ].join("\n");
    expect(activeContentIn(page, NONCE)).toHaveLength(7);
    // Escaped text and our own markup are not findings.
    expect(activeContentIn(`<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=alert(1)</p><a href="/c/x">x</a><input value="&quot; onfocus=&quot;alert(1)">`, NONCE)).toEqual([]);
  });
});

describe("what people typed is shown as text everywhere", () => {
  it("the facilitator's pages (set-up, groups, invitations, moderation, live, synthesis, audit; the Polis import too)", async () => {
    const start = ["/facilitate", `/facilitate/${w.c.slug}`, `/facilitate/${w.polisSlug}`];
    const visits = await crawlAs(w.facCookie, start, 300);
    const pages = visits.filter((v) => v.contentType.startsWith("text/html"));
    console.log(`[hostile-content] facilitator: ${visits.length} responses, ${pages.length} HTML pages`);
    for (const tab of ["", "/groups", "/questions", "/invitations", "/moderation", "/live", "/synthesis", "/audit"]) {
      expect(visits.map((v) => v.path), tab).toContain(`/facilitate/${w.c.slug}${tab}`);
    }
    expect(activeIn(visits)).toEqual([]);
    expect(payloadsShown(visits)).toBeGreaterThanOrEqual(20);
  });

  it("a participant's pages (consultation, question, every position, live session, vote-next, own data)", async () => {
    const member = w.members[0];
    const visits = await crawlAs(sessionCookie(member.token), [`/c/${w.c.slug}`, `/c/${w.c.slug}/live`, `/c/${w.c.slug}/next`, `/c/${w.c.slug}/my-data`], 300);
    const pages = visits.filter((v) => v.contentType.startsWith("text/html"));
    console.log(`[hostile-content] participant: ${visits.length} responses, ${pages.length} HTML pages`);
    for (const id of w.positionIds) expect(visits.some((v) => v.path.startsWith(`/c/${w.c.slug}/p/${id}`)), id).toBe(true);
    expect(activeIn(visits)).toEqual([]);
    expect(payloadsShown(visits)).toBeGreaterThanOrEqual(20);
    // A position page shows its payload as text: the escaped script tag is there, no script of it.
    const page = visits.find((v) => v.path === `/c/${w.c.slug}/p/${w.positionIds[0]}`)!;
    expect(page.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("the published report: page, HTML, Markdown (even through a viewer that sanitizes nothing), CSV and JSON", async () => {
    const visits = await crawlAs(null, [`/reports/${w.c.slug}`], 50);
    const file = (ext: string) => visits.find((v) => v.path === `/reports/${w.c.slug}.${ext}`)!;
    for (const ext of ["html", "md", "csv", "json"]) expect(file(ext)?.status, ext).toBe(200);
    expect(activeIn(visits)).toEqual([]);
    expect(activeContentIn(file("html").body)).toEqual([]);

    // Markdown: what a naive viewer makes of it.
    const md = file("md").body;
    expect(md).toContain("alert"); // the payloads are in it, as text
    expect(activeContentIn(await marked.parse(md))).toEqual([]);

    // CSV: no cell is a formula, though formula payloads are statements.
    const cells = parseCsv(file("csv").body).flatMap((r) => r.fields);
    expect(cells.filter(isFormulaCell)).toEqual([]);
    for (const formula of FORMULA_CORPUS) expect(cells).toContain(`'${formula}`);

    // JSON: data, served as data.
    const json = file("json");
    expect(json.headers.get("Content-Type")).toMatch(/^application\/json/);
    const report = JSON.parse(json.body) as { title: string; statements: Array<{ text: string; wording: string }> };
    expect(report.title).toBe(TITLE);
    expect(report.statements.map((s) => s.text)).toEqual(expect.arrayContaining(STORABLE.slice(0, 10).map(([label, input]) => payloadText(label, input).trim())));
    expect(report.statements.find((s) => s.wording === WORDING.trim())).toBeDefined();
  });
});

describe("what cannot be stored is refused, with a message, and changes nothing", () => {
  /** A consultation open for positions, with one participant (the published one takes no new text). */
  async function openConsultation() {
    const c = await createConsultation(w.fac, { phase: "positions" });
    const [member] = await joinMany(w.fac, c, DEFAULT_GROUPS[0], 1);
    const position = await submitPosition(await getDb(), (await joinMany(w.fac, c, DEFAULT_GROUPS[1], 1))[0].viewer, c.key, c.questions[0], { body: "Drug checking should be free at festivals." });
    return { c, member, positionId: position.id };
  }

  it("pseudonyms with markup, quotes or control characters (joining through the form)", async () => {
    const db = await getDb();
    const { c } = await openConsultation();
    const [invitation] = await invite(w.fac, c, DEFAULT_GROUPS[0], 1);
    const before = await db.participant.count();
    for (const pseudonym of ["<script>alert(1)</script>", '" onfocus="alert(1)', "Night\u0000Owl", "Night\u202EOwl", "javascript:alert(1)", "＜img src=x＞"]) {
      const res = await post(`/join/${invitation.code}`, { pseudonym, passphrase: "" });
      expect(res.status, pseudonym).toBe(422);
      expect(res.body, pseudonym).toContain("Use letters, digits, spaces, dots, dashes or underscores.");
      expect(activeContentIn(res.body, NONCE), pseudonym).toEqual([]);
    }
    expect(await db.participant.count()).toBe(before);
  });

  it("texts with control characters: positions, comments, reasons", async () => {
    const db = await getDb();
    const { c, member, positionId } = await openConsultation();
    const counts = async () => Promise.all([db.position.count(), db.comment.count(), db.flag.count(), db.participant.count({ where: { status: "suspended" } })]);
    const before = await counts();
    const refusals = [
      await domainError(submitPosition(db, member.viewer, c.key, c.questions[0], { body: "A position with a NUL \u0000 inside it." })),
      await domainError(postComment(db, member.viewer, c.key, positionId, { body: "An escape \u001b[31m in red", stance: "for" })),
      await domainError(flagContent(db, member.viewer, c.key, "position", positionId, { reason: "Bell \u0007" })),
      await domainError(suspendParticipant(db, w.fac.viewer, c.key, member.me.id, { reason: "Backspace \u0008" })),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(422);
      expect(Object.values(r.fieldErrors).flat().join(" ")).toContain("control characters");
    }
    expect(await counts()).toEqual(before);
  });

  it("a Polis export with a control character in a comment names the file and line, and imports nothing", async () => {
    const db = await getDb();
    const dir = hostilePolisExport(["A comment with a NUL \u0000 in it"]);
    try {
      const before = await db.consultation.count();
      expect(() => readPolisExport(dir)).toThrow(PolisFormatError);
      expect(() => readPolisExport(dir)).toThrow(/comments\.csv.*line \d+.*control characters/);
      expect(await db.consultation.count()).toBe(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
