/**
 * Importing a real Polis export (london.youth.policing, CC BY 4.0, The Computational Democracy Project:
 * see consultations/polis/fixtures/README.md) into a fresh SQLite database, and checking what landed
 * there against the CSV files themselves.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { getDb } from "../../consultations/db/client";
import { parseCsv } from "../../consultations/polis/csv";
import { DEFAULT_GROUP_NAME, importPolisExport, UNMAPPED_GROUP_NAME } from "../../consultations/polis/import";
import { readPolisExport } from "../../consultations/polis/parse";
import { POLIS_ATTRIBUTION } from "../../consultations/polis/attribution";
import { createFacilitator, unique } from "../factories";
import { PROJECT_ROOT } from "../setup/paths";

const LONDON = path.join(PROJECT_ROOT, "consultations", "polis", "fixtures", "london.youth.policing");
const csv = (name: string) => parseCsv(fs.readFileSync(path.join(LONDON, name), "utf8")).map((r) => r.fields);

/** What the CSVs say, computed here straight from the files (Polis's own vote matrix for the votes). */
function expectedFromCsv() {
  const [cHead, ...comments] = csv("comments.csv");
  const col = (name: string) => cHead.indexOf(name);
  const kept = comments.filter((c) => c[col("moderated")] !== "-1");
  const [pHead, ...people] = csv("participants-votes.csv");
  const keptIds = new Set(kept.map((c) => c[col("comment-id")]));
  const tallies = new Map<string, { agree: number; disagree: number; pass: number }>();
  let votes = 0;
  for (const row of people) {
    pHead.forEach((h, i) => {
      if (!keptIds.has(h) || row[i] === "") return;
      votes += 1;
      const t = tallies.get(h) ?? { agree: 0, disagree: 0, pass: 0 };
      if (row[i] === "1") t.agree += 1;
      else if (row[i] === "-1") t.disagree += 1;
      else t.pass += 1;
      tallies.set(h, t);
    });
  }
  const participantIds = new Set([...people.map((r) => r[0]), ...kept.map((c) => c[col("author-id")])]);
  const textById = new Map(kept.map((c) => [c[col("comment-id")], c[col("comment-body")]]));
  return { positions: kept.length, votes, participants: participantIds.size, tallies, textById, polisIds: participantIds, authors: new Set(kept.map((c) => c[col("author-id")])) };
}

describe("importing london.youth.policing", () => {
  it("creates the consultation in deliberation, with one group, one question, and counts that match the CSVs", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const slug = unique("london");
    const progress: string[] = [];
    const result = await importPolisExport(db, readPolisExport(LONDON), { facilitatorEmail: fac.email, slug, onProgress: (m) => progress.push(m) });
    const expected = expectedFromCsv();
    expect(expected).toMatchObject({ positions: 36, votes: 638, participants: 27 });

    expect(result.counts).toEqual({ groups: 1, participants: 27, positions: 36, votes: 638, moderatedOut: 3 });
    const c = await db.consultation.findUniqueOrThrow({
      where: { slug },
      include: { groups: true, questions: true, _count: { select: { participants: true, positions: true, votes: true } } },
    });
    expect(c.organisationId).toBe(fac.account.organisationId);
    expect(c.phase).toBe("deliberation");
    expect(c.title).toBe("What is the best way to engage more young people in local scrutiny of policing?");
    expect(c.description).toContain("https://pol.is/9xxwa9jpkm");
    expect(c.description).toContain(POLIS_ATTRIBUTION);
    expect(c.description).toContain("CC BY 4.0");
    expect(c.groups.map((g) => [g.name, g.key])).toEqual([[DEFAULT_GROUP_NAME, "polis-participants"]]);
    expect(c.questions.map((q) => q.title)).toEqual([c.title]);
    expect(c._count).toEqual({ participants: expected.participants, positions: expected.positions, votes: expected.votes });
    expect(progress[0]).toMatch(/^importing "What is the best way .*": 1 group\(s\), 27 participants, 36 positions, 638 votes$/);
    expect(progress.at(-1)).toBe(`done: consultation "${slug}" in the deliberation phase`);
  });

  it("stores every position's text and tally as Polis has them, with authors mapped to participants", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const slug = unique("london");
    await importPolisExport(db, readPolisExport(LONDON), { facilitatorEmail: fac.email, slug });
    const expected = expectedFromCsv();
    const positions = await db.position.findMany({
      where: { consultation: { slug } },
      select: { body: true, status: true, authorId: true, votes: { select: { value: true } } },
    });
    const byText = new Map(positions.map((p) => [p.body, p]));
    for (const [commentId, text] of expected.textById) {
      const p = byText.get(text);
      expect(p, `comment ${commentId}`).toBeDefined();
      expect(p!.status).toBe("visible");
      const tally = { agree: 0, disagree: 0, pass: 0 };
      for (const v of p!.votes) tally[v.value > 0 ? "agree" : v.value < 0 ? "disagree" : "pass"] += 1;
      expect(tally, `comment ${commentId}`).toEqual(expected.tallies.get(commentId) ?? { agree: 0, disagree: 0, pass: 0 });
    }
    expect(new Set(positions.map((p) => p.authorId)).size).toBe(expected.authors.size);
    // The moderated-out comments are not there.
    expect(byText.has("Are you between 15 and 19 years old?")).toBe(false);
  });

  it("gives generated pseudonyms and random recovery-code hashes, never the Polis ids", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const slug = unique("london");
    await importPolisExport(db, readPolisExport(LONDON), { facilitatorEmail: fac.email, slug });
    const people = await db.participant.findMany({ where: { consultation: { slug } }, select: { id: true, pseudonym: true, pseudonymKey: true, recoveryCodeHash: true, passphraseHash: true, status: true } });
    expect(people).toHaveLength(27);
    const polisIds = expectedFromCsv().polisIds;
    for (const p of people) {
      expect(p.pseudonym).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
      expect(p.pseudonymKey).toBe(p.pseudonym.toLowerCase());
      expect(polisIds.has(p.pseudonym)).toBe(false);
      expect(polisIds.has(p.id)).toBe(false);
      expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(p.recoveryCodeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(p.passphraseHash).toBeNull();
      expect(p.status).toBe("active");
    }
    expect(new Set(people.map((p) => p.pseudonymKey)).size).toBe(27);
    expect(new Set(people.map((p) => p.recoveryCodeHash)).size).toBe(27);
  });

  it("records one consultation.created event, saying where the data came from and naming nobody", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const slug = unique("london");
    const { consultationId } = await importPolisExport(db, readPolisExport(LONDON), { facilitatorEmail: fac.email, slug });
    const events = await db.consultationEvent.findMany({ where: { consultationId } });
    expect(events.map((e) => [e.seq, e.type, e.actorKind])).toEqual([[1, "consultation.created", "facilitator"]]);
    expect(JSON.parse(events[0].payload)).toEqual({ title: "What is the best way to engage more young people in local scrutiny of policing?", importedFrom: "polis" });
  });

  it("creates the declared groups of a mapping, and a group for people it leaves out", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const slug = unique("london");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polis-map-"));
    const mapping = path.join(dir, "groups.csv");
    const rows = ["participant,group"];
    for (let id = 1; id <= 26; id++) rows.push(`${id},${id <= 12 ? "Young people" : "Youth workers"}`);
    fs.writeFileSync(mapping, rows.join("\n"));
    try {
      const result = await importPolisExport(db, readPolisExport(LONDON, { groupsFile: mapping }), { facilitatorEmail: fac.email, slug });
      // Author 0 (the conversation's owner) never voted and is not in the mapping.
      expect(result.groups).toEqual([
        { name: "Young people", participants: 12 },
        { name: "Youth workers", participants: 14 },
        { name: UNMAPPED_GROUP_NAME, participants: 1 },
      ]);
      const groups = await db.stakeholderGroup.findMany({ where: { consultation: { slug } }, orderBy: { sortOrder: "asc" }, select: { key: true, name: true, _count: { select: { participants: true } } } });
      expect(groups).toEqual([
        { key: "young-people", name: "Young people", _count: { participants: 12 } },
        { key: "youth-workers", name: "Youth workers", _count: { participants: 14 } },
        { key: "no-declared-group", name: UNMAPPED_GROUP_NAME, _count: { participants: 1 } },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an unknown facilitator, a taken web address, and leaves nothing behind when a write fails", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const slug = unique("london");
    const exp = readPolisExport(LONDON);
    await expect(importPolisExport(db, exp, { facilitatorEmail: "nobody@example.org", slug })).rejects.toThrow("A facilitator account with the email nobody@example.org was not found.");
    await importPolisExport(db, exp, { facilitatorEmail: fac.email, slug });
    await expect(importPolisExport(db, exp, { facilitatorEmail: fac.email, slug })).rejects.toThrow(`The web address "${slug}" is already used by another consultation.`);

    // A vote by someone unknown fails inside the transaction: no consultation, group or participant stays.
    const broken = readPolisExport(LONDON);
    broken.votes.push({ commentId: "1", voterId: "999999", value: 1, timestamp: 1 });
    const other = unique("broken");
    const before = await Promise.all([db.participant.count(), db.stakeholderGroup.count(), db.position.count(), db.vote.count()]);
    await expect(importPolisExport(db, broken, { facilitatorEmail: fac.email, slug: other })).rejects.toThrow();
    expect(await db.consultation.findUnique({ where: { slug: other } })).toBeNull();
    expect(await Promise.all([db.participant.count(), db.stakeholderGroup.count(), db.position.count(), db.vote.count()])).toEqual(before);
  });
});

describe("npm run import-polis (the command itself)", () => {
  const exec = promisify(execFile);
  const tsx = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
  const script = path.join(PROJECT_ROOT, "consultations", "cli", "import-polis.ts");

  it("imports into the database DATABASE_URL names, with progress on stderr and a summary on stdout", async () => {
    const fac = await createFacilitator();
    const slug = unique("cli");
    const { stdout, stderr } = await exec(tsx, [script, "--polis", LONDON, "--facilitator", fac.email, "--slug", slug], { cwd: PROJECT_ROOT, env: process.env });
    expect(stdout).toContain(`Imported consultation "${slug}" (deliberation phase)`);
    expect(stdout).toContain("27 participants, 36 positions (3 moderated-out comments left out), 638 votes");
    expect(stderr).toContain("[import-polis] votes 638 of 638");
    const db = await getDb();
    expect(await db.vote.count({ where: { consultation: { slug } } })).toBe(638);
  }, 60_000);

  it("exits with code 2 on bad arguments and 1 when the facilitator does not exist", async () => {
    const bad = await exec(tsx, [script, "--polis", LONDON, "--facilitator", "x@example.org"], { cwd: PROJECT_ROOT, env: process.env }).catch((e) => e);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain("Error: --slug is required.");
    const missing = await exec(tsx, [script, "--polis", LONDON, "--facilitator", "nobody@example.org", "--slug", unique("cli")], { cwd: PROJECT_ROOT, env: process.env }).catch((e) => e);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain("Error: A facilitator account with the email nobody@example.org was not found.");
  }, 60_000);
});
