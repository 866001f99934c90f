/**
 * The SynthesisRun + Report aggregate (consultations/synthesis-runs.ts) on the real SQLite database:
 * what goes into the engine, runs in a worker thread, the facilitator's wording, publishing, the public
 * report and its downloads, and that no report output names anyone.
 *
 * Most runs use the tiny fake engine in tests/fixtures (injected with `engineModule`); one test runs the
 * real engine (consultations/synthesis) end to end. Public pages and downloads go through the real
 * server build (http-harness.ts).
 */
import { getDb } from "../../consultations/db/client";
import * as moderation from "../../consultations/moderation";
import * as synthesis from "../../consultations/synthesis-runs";
import type { SynthesisResult } from "../../consultations/synthesis/types";
import { ANONYMOUS } from "../../consultations/permissions";
import { createFacilitator, createConsultation, domainError, eventsOf, joinParticipant, moveToPhase, submit } from "../factories";
import { get, signedIn } from "./http-harness";
import { FAILING_ENGINE, FAKE_ENGINE, SLOW_ENGINE, synthesisWorld, type SynthesisWorld } from "./synthesis-world";

// Each test builds a consultation of 26 people and runs a worker thread: more than the default 15 s on a slow machine.
vi.setConfig({ testTimeout: 60_000 });

async function runWith(w: SynthesisWorld, engineModule = FAKE_ENGINE) {
  const db = await getDb();
  const { id } = await synthesis.startRun(db, w.fac.viewer, w.c.key);
  const summary = await synthesis.runInWorker(id, { engineModule });
  return { id, summary };
}

async function storedResult(runId: string): Promise<SynthesisResult> {
  const db = await getDb();
  const row = await db.synthesisRun.findUniqueOrThrow({ where: { id: runId } });
  return JSON.parse(row.result!) as SynthesisResult;
}

describe("engine input", () => {
  it("leaves out hidden and withdrawn positions and suspended participants (with their votes); ids are opaque", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const consultation = await db.consultation.findUniqueOrThrow({ where: { id: w.c.id } });
    const { input, digest } = await synthesis.collectInput(db, consultation);

    const statementIds = input.statements.map((s) => s.id);
    expect(statementIds).toHaveLength(4);
    expect(statementIds).toEqual(expect.arrayContaining([w.positionIds.shared, w.positionIds.divides, w.positionIds.fairPay, w.positionIds.mentions]));
    expect(statementIds).not.toContain(w.positionIds.hidden);
    expect(statementIds).not.toContain(w.positionIds.withdrawn);
    expect(input.votes.every((v) => statementIds.includes(v.statementId))).toBe(true);

    // 25 active participants; the suspended one and their votes are gone.
    expect(input.participants).toHaveLength(25);
    expect(new Set(input.participants.map((p) => p.id)).size).toBe(25);
    for (const p of input.participants) expect(p.id).toMatch(/^p\d+$/);
    // Nobody disagreed with the shared position except the suspended participant: no disagreement is left.
    expect(input.votes.filter((v) => v.statementId === w.positionIds.shared && v.value === -1)).toEqual([]);
    // Each active voter voted once per position (authors excepted): 25 people x 4 positions - 4 authors.
    expect(input.votes).toHaveLength(25 * 4 - 4);

    // Declared groups in order, every participant in one of them; questions carried over.
    expect(input.groups.map((g) => g.name)).toEqual(["Peers who use drugs", "Sex workers", "Outreach workers", "Police", "Policymakers"]);
    expect(input.participants.every((p) => input.groups.some((g) => g.id === p.group))).toBe(true);
    expect(new Set(input.statements.map((s) => s.questionId))).toEqual(new Set(w.c.questions));
    expect(input.options?.minVotersPerGroup).toBe(5);

    // Plain text, with pseudonyms and account emails blanked out.
    const fairPay = input.statements.find((s) => s.id === w.positionIds.fairPay)!;
    expect(fairPay.text).toBe("Peer workers deserve fair pay for their work.");
    const mentions = input.statements.find((s) => s.id === w.positionIds.mentions)!;
    expect(mentions.text).toBe("As [a participant] said, services need night hours; write to [email removed] for the rota.");

    // Nothing of people in the whole input.
    const text = JSON.stringify(input);
    for (const id of w.participantIds) expect(text).not.toContain(id);
    for (const pseudonym of w.pseudonyms) expect(text).not.toContain(pseudonym);
    expect(text).not.toContain(w.fac.email);

    // The digest is stable, and moves when moderation changes the input.
    expect((await synthesis.collectInput(db, consultation)).digest).toBe(digest);
    await moderation.hideContent(db, w.fac.viewer, w.c.key, "position", w.positionIds.divides, { reason: "Test." });
    expect((await synthesis.collectInput(db, consultation)).digest).not.toBe(digest);
  });

  it("the engine in the worker receives exactly that input", async () => {
    const w = await synthesisWorld();
    const { id, summary } = await runWith(w);
    expect(summary?.status).toBe("done");
    const result = await storedResult(id);
    // The fake engine echoes counts in meta.
    expect(result.meta).toMatchObject({ participants: 25, statements: 4, votes: 96, engineVersion: "fake-1" });
    const voters = Object.fromEntries(result.declaredGroups.map((g) => [g.name, g.voters]));
    expect(voters).toEqual({ "Peers who use drugs": 5, "Sex workers": 5, "Outreach workers": 5, Police: 5, Policymakers: 5 });
  });
});

describe("runs", () => {
  it("completes in a worker thread, writes progress while it runs, stores the result and records events", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const { id } = await synthesis.startRun(db, w.fac.viewer, w.c.key);
    const queued = await synthesis.latestRun(db, w.fac.viewer, w.c.key);
    expect(queued).toMatchObject({ id, status: "queued", progress: 0 });

    const seen: Array<{ status: string; progress: number; stage: string }> = [];
    const running = synthesis.runInWorker(id, { engineModule: SLOW_ENGINE });
    let done = false;
    void running.finally(() => (done = true));
    while (!done) {
      const row = await db.synthesisRun.findUniqueOrThrow({ where: { id }, select: { status: true, progress: true, stage: true } });
      seen.push(row);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const summary = await running;
    expect(summary).toMatchObject({ id, status: "done", progress: 1, stage: "done", error: null });
    expect(summary!.startedAt).toBeInstanceOf(Date);
    expect(summary!.finishedAt!.getTime()).toBeGreaterThanOrEqual(summary!.startedAt!.getTime());

    // Progress between 0 and 1 was written while the worker ran, throttled (the engine reported 10 steps
    // in ~1.2 s, so a handful of distinct values), and never went backwards.
    const during = seen.filter((s) => s.status === "running" && s.progress > 0 && s.progress < 1);
    expect(during.length).toBeGreaterThan(0);
    const distinct = [...new Set(during.map((s) => s.progress))];
    expect(distinct.length).toBeGreaterThanOrEqual(2);
    expect(distinct.length).toBeLessThanOrEqual(10);
    expect(distinct).toEqual([...distinct].sort((a, b) => a - b));
    expect(new Set(during.map((s) => s.stage))).toContain("pca");

    const run = await synthesis.getRun(db, w.fac.viewer, w.c.key, id);
    expect(run.result?.statements.map((s) => s.id).sort()).toEqual(
      [w.positionIds.shared, w.positionIds.divides, w.positionIds.fairPay, w.positionIds.mentions].sort(),
    );
    // The draft report points at the run.
    const report = await db.report.findUniqueOrThrow({ where: { consultationId: w.c.id } });
    expect(report).toMatchObject({ runId: id, status: "draft", edits: "{}" });

    const events = (await eventsOf(w.c.id)).filter((e) => e.type.startsWith("synthesis."));
    expect(events.map((e) => [e.type, e.actorKind, e.data])).toEqual([
      ["synthesis.started", "facilitator", { runId: id }],
      ["synthesis.finished", "system", { runId: id, status: "done" }],
    ]);
  });

  it("runs the real engine (consultations/synthesis) in the worker", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const { id } = await synthesis.startRun(db, w.fac.viewer, w.c.key);
    const summary = await synthesis.runInWorker(id);
    expect(summary?.error ?? null).toBeNull();
    expect(summary?.status).toBe("done");
    const result = await storedResult(id);
    expect(result.meta.participants).toBe(25);
    expect(result.statements).toHaveLength(4);
    expect(result.participants.every((p) => /^p\d+$/.test(p.id))).toBe(true);
    const recommended = result.recommendations.map((r) => r.statementId);
    expect(recommended).toContain(w.positionIds.shared);
    expect(recommended).not.toContain(w.positionIds.divides);
  });

  it("allows one active run at a time, and only to the consultation's facilitators in deliberation or synthesis", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const first = await synthesis.startRun(db, w.fac.viewer, w.c.key);
    expect(await domainError(synthesis.startRun(db, w.fac.viewer, w.c.key))).toMatchObject({ kind: "conflict" });
    await synthesis.runInWorker(first.id, { engineModule: FAKE_ENGINE });
    // Running it again is a no-op once it is no longer queued.
    expect(await synthesis.runInWorker(first.id, { engineModule: FAKE_ENGINE })).toBeNull();

    const participant = w.members["Police"][1];
    const other = await createFacilitator();
    expect(await domainError(synthesis.startRun(db, participant.viewer, w.c.key))).toMatchObject({ kind: "forbidden" });
    expect(await domainError(synthesis.startRun(db, other.viewer, w.c.key))).toMatchObject({ kind: "not_found" });
    expect(await domainError(synthesis.startRun(db, ANONYMOUS, w.c.key))).toMatchObject({ kind: "unauthenticated" });
    expect(await domainError(synthesis.latestRun(db, other.viewer, w.c.key))).toMatchObject({ kind: "not_found" });
    expect(await domainError(synthesis.getRun(db, other.viewer, w.c.key, first.id))).toMatchObject({ kind: "not_found" });

    // A run id of another consultation is not found through this one.
    const elsewhere = await synthesisWorld();
    const theirs = await synthesis.startRun(db, elsewhere.fac.viewer, elsewhere.c.key);
    expect(await domainError(synthesis.getRun(db, w.fac.viewer, w.c.key, theirs.id))).toMatchObject({ kind: "not_found" });
    await synthesis.runInWorker(theirs.id, { engineModule: FAKE_ENGINE });

    // Too early: positions phase.
    const early = await createConsultation(w.fac, { phase: "positions" });
    const author = await joinParticipant(w.fac, early, "Police");
    await submit(author, early);
    expect(await domainError(synthesis.startRun(db, w.fac.viewer, early.key))).toMatchObject({ kind: "forbidden" });
    // Nothing to synthesise.
    const empty = await createConsultation(w.fac, { phase: "deliberation" });
    expect(await domainError(synthesis.startRun(db, w.fac.viewer, empty.key))).toMatchObject({ kind: "conflict" });
    expect(await db.synthesisRun.count({ where: { consultationId: { in: [early.id, empty.id] } } })).toBe(0);
  });

  it("stores an engine failure on the run; a new run can start after it", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const { summary } = await runWith(w, FAILING_ENGINE);
    expect(summary).toMatchObject({ status: "failed", error: "The engine could not converge (test)." });
    expect(await db.report.count({ where: { consultationId: w.c.id } })).toBe(0);
    const events = (await eventsOf(w.c.id)).filter((e) => e.type === "synthesis.finished");
    expect(events.map((e) => e.data.status)).toEqual(["failed"]);
    const again = await runWith(w);
    expect(again.summary?.status).toBe("done");
  });

  it("treats a run left active past the time limit as interrupted", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const { id } = await synthesis.startRun(db, w.fac.viewer, w.c.key);
    const longAgo = new Date(Date.now() - synthesis.RUN_TIME_LIMIT_MS - 5 * 60_000);
    await db.synthesisRun.update({ where: { id }, data: { status: "running", createdAt: longAgo } });
    expect(await synthesis.latestRun(db, w.fac.viewer, w.c.key)).toMatchObject({ id, status: "failed" });
    const next = await synthesis.startRun(db, w.fac.viewer, w.c.key);
    expect((await db.synthesisRun.findUniqueOrThrow({ where: { id } })).status).toBe("failed");
    await synthesis.runInWorker(next.id, { engineModule: FAKE_ENGINE });
  });

  // the server restarted during a run: at start-up the run is marked failed, and a new one can start
  it("marks runs of a previous server process failed at start-up", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const { id } = await synthesis.startRun(db, w.fac.viewer, w.c.key);
    await db.synthesisRun.update({ where: { id }, data: { status: "running" } });
    await expect(synthesis.startRun(db, w.fac.viewer, w.c.key)).rejects.toMatchObject({ kind: "conflict" });
    expect(await synthesis.failInterruptedRuns(db)).toBe(1);
    const row = await db.synthesisRun.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/restarted/);
    const next = await synthesis.startRun(db, w.fac.viewer, w.c.key);
    expect((await synthesis.runInWorker(next.id, { engineModule: FAKE_ENGINE }))?.status).toBe("done");
  });
});

describe("the facilitator's wording", () => {
  it("is stored by statement id; the numbers still come from the run, also after running again", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const { id } = await runWith(w);
    const before = (await synthesis.getDraftReport(db, w.fac.viewer, w.c.key))!;
    const rec = before.report.recommendations.find((r) => r.statementId === w.positionIds.shared)!;
    expect(rec).toMatchObject({ edited: false, wording: "Drug checking should be free and anonymous at every festival." });

    const wording = "Offer free, anonymous drug checking at every festival.";
    await synthesis.saveEdits(db, w.fac.viewer, w.c.key, w.positionIds.shared, `  ${wording}  `);
    const after = (await synthesis.getDraftReport(db, w.fac.viewer, w.c.key))!;
    const edited = after.report.recommendations.find((r) => r.statementId === w.positionIds.shared)!;
    expect(edited).toMatchObject({ statementId: w.positionIds.shared, wording, edited: true, label: rec.label });
    // Same numbers as before the edit and as the run says.
    expect(edited.overall).toEqual(rec.overall);
    expect(edited.groups).toEqual(rec.groups);
    const fromRun = (await storedResult(id)).statements.find((s) => s.id === w.positionIds.shared)!;
    expect(edited.declaredGroupConsensus).toBe(fromRun.declaredGroupConsensus);
    expect(after.edits).toEqual({ [w.positionIds.shared]: wording });
    // The participants' own words stay in the report beside the new wording.
    expect(after.report.statements.find((s) => s.id === w.positionIds.shared)!.text).toBe(
      "Drug checking should be free and anonymous at every festival.",
    );

    // A new run: the draft follows it and the wording stays attached to the statement.
    const second = await runWith(w);
    const rerun = (await synthesis.getDraftReport(db, w.fac.viewer, w.c.key))!;
    expect(rerun.runId).toBe(second.id);
    expect(rerun.report.recommendations.find((r) => r.statementId === w.positionIds.shared)).toMatchObject({ wording, edited: true });

    await synthesis.resetEdit(db, w.fac.viewer, w.c.key, w.positionIds.shared);
    const reset = (await synthesis.getDraftReport(db, w.fac.viewer, w.c.key))!;
    expect(reset.edits).toEqual({});
    expect(reset.report.recommendations.find((r) => r.statementId === w.positionIds.shared)).toMatchObject({ edited: false });
  });

  it("is validated: 5 to 1000 characters, a statement of the run, no pseudonyms or emails, facilitators only", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    expect(await domainError(synthesis.saveEdits(db, w.fac.viewer, w.c.key, w.positionIds.shared, "Free drug checking."))).toMatchObject({
      kind: "conflict", // no run yet
    });
    await runWith(w);
    const tooShort = await domainError(synthesis.saveEdits(db, w.fac.viewer, w.c.key, w.positionIds.shared, " abc "));
    expect(tooShort).toMatchObject({ kind: "invalid" });
    expect(tooShort.fieldErrors.wording?.length).toBe(1);
    const tooLong = await domainError(synthesis.saveEdits(db, w.fac.viewer, w.c.key, w.positionIds.shared, "x".repeat(1001)));
    expect(tooLong.fieldErrors.wording?.length).toBe(1);
    await synthesis.saveEdits(db, w.fac.viewer, w.c.key, w.positionIds.shared, "x".repeat(1000));
    expect(await domainError(synthesis.saveEdits(db, w.fac.viewer, w.c.key, w.positionIds.hidden, "Hidden things."))).toMatchObject({ kind: "not_found" });
    const naming = await domainError(synthesis.saveEdits(db, w.fac.viewer, w.c.key, w.positionIds.shared, `As ${w.pseudonyms[3]} wants it.`));
    expect(naming.fieldErrors.wording?.[0]).toMatch(/pseudonyms/);
    const mailing = await domainError(synthesis.saveEdits(db, w.fac.viewer, w.c.key, w.positionIds.shared, `Write to ${w.fac.email.toUpperCase()}.`));
    expect(mailing.kind).toBe("invalid");

    const other = await createFacilitator();
    expect(await domainError(synthesis.saveEdits(db, other.viewer, w.c.key, w.positionIds.shared, "Other words."))).toMatchObject({ kind: "not_found" });
    expect(await domainError(synthesis.saveEdits(db, w.members.Police[0].viewer, w.c.key, w.positionIds.shared, "Other words."))).toMatchObject({
      kind: "forbidden",
    });
    expect(await domainError(synthesis.getDraftReport(db, other.viewer, w.c.key))).toMatchObject({ kind: "not_found" });
    expect(await domainError(synthesis.getDraftReport(db, ANONYMOUS, w.c.key))).toMatchObject({ kind: "unauthenticated" });
  });
});

describe("publishing", () => {
  it("moves the phase to published, records the events, and makes the public report reachable (and nothing else changes)", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const { id } = await runWith(w);

    // Not from deliberation.
    expect(await domainError(synthesis.publishReport(db, w.fac.viewer, w.c.key, { runId: id }))).toMatchObject({ kind: "forbidden" });
    await moveToPhase(w.fac, w.c, "synthesis");
    // Not by others; not a run that is not the report's.
    const other = await createFacilitator();
    expect(await domainError(synthesis.publishReport(db, other.viewer, w.c.key, { runId: id }))).toMatchObject({ kind: "not_found" });
    expect(await domainError(synthesis.publishReport(db, w.members.Police[0].viewer, w.c.key, { runId: id }))).toMatchObject({ kind: "forbidden" });
    expect(await domainError(synthesis.publishReport(db, w.fac.viewer, w.c.key, { runId: "another-run" }))).toMatchObject({ kind: "conflict" });
    expect(await domainError(synthesis.publishReport(db, w.fac.viewer, w.c.key, {}))).toMatchObject({ kind: "invalid" });

    // Before publishing: 404 for everyone on the public page and downloads.
    await expect(synthesis.getPublishedReport(db, w.c.slug)).rejects.toMatchObject({ kind: "not_found" });
    const owner = await signedIn(db, { accountId: w.fac.account.id });
    for (const path of [`/reports/${w.c.slug}`, `/reports/${w.c.slug}.md`, `/reports/${w.c.slug}.html`, `/reports/${w.c.slug}.json`, `/reports/${w.c.slug}.csv`]) {
      expect((await get(path)).status, `anonymous ${path}`).toBe(404);
      expect((await get(path, { cookie: owner })).status, `facilitator ${path}`).toBe(404);
    }

    await synthesis.saveEdits(db, w.fac.viewer, w.c.key, w.positionIds.fairPay, "Pay peer workers fairly for their work.");
    await synthesis.saveSummaryNote(db, w.fac.viewer, w.c.key, { summaryNote: "We asked **five groups** what drug checking should look like." });
    await synthesis.publishReport(db, w.fac.viewer, w.c.key, { runId: id });

    const consultation = await db.consultation.findUniqueOrThrow({ where: { id: w.c.id } });
    expect(consultation.phase).toBe("published");
    const report = await db.report.findUniqueOrThrow({ where: { consultationId: w.c.id } });
    expect(report.status).toBe("published");
    expect(report.publishedAt).toBeInstanceOf(Date);
    const events = (await eventsOf(w.c.id)).slice(-2);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ["phase.changed", { from: "synthesis", to: "published" }],
      ["report.published", { runId: id }],
    ]);

    const published = await synthesis.getPublishedReport(db, w.c.slug);
    expect(published.report.title).toBe("Drug checking services");
    expect(published.report.description).toContain("five groups");
    expect(published.report.recommendations.find((r) => r.statementId === w.positionIds.fairPay)).toMatchObject({
      wording: "Pay peer workers fairly for their work.",
      edited: true,
    });

    // The public page and the downloads, with no session.
    const page = await get(`/reports/${w.c.slug}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Drug checking services");
    expect(page.body).toContain("Pay peer workers fairly for their work.");
    expect(page.body).toContain(`href="/reports/${w.c.slug}.csv"`);
    expect(page.body).toContain("@media print");
    const types = { md: "text/markdown", html: "text/html", json: "application/json", csv: "text/csv" } as const;
    for (const [ext, type] of Object.entries(types)) {
      const file = await get(`/reports/${w.c.slug}.${ext}`);
      expect(file.status, ext).toBe(200);
      expect(file.headers.get("Content-Type"), ext).toBe(`${type}; charset=utf-8`);
      expect(file.headers.get("Content-Disposition"), ext).toBe(`attachment; filename="${w.c.slug}-report.${ext}"`);
      expect(file.body.length, ext).toBeGreaterThan(100);
    }
    expect(JSON.parse((await get(`/reports/${w.c.slug}.json`)).body)).toMatchObject({ format: "polyphony-report/1", title: "Drug checking services" });

    // After publishing nothing changes.
    expect(await domainError(synthesis.saveEdits(db, w.fac.viewer, w.c.key, w.positionIds.shared, "Something else entirely."))).toMatchObject({ kind: "forbidden" });
    expect(await domainError(synthesis.resetEdit(db, w.fac.viewer, w.c.key, w.positionIds.fairPay))).toMatchObject({ kind: "forbidden" });
    expect(await domainError(synthesis.saveSummaryNote(db, w.fac.viewer, w.c.key, { summaryNote: "" }))).toMatchObject({ kind: "forbidden" });
    expect(await domainError(synthesis.startRun(db, w.fac.viewer, w.c.key))).toMatchObject({ kind: "forbidden" });
    expect(await domainError(synthesis.publishReport(db, w.fac.viewer, w.c.key, { runId: id }))).toMatchObject({ kind: "conflict" });
  });

  it("is refused when moderation changed the input after the run (a hidden position must not reach the report)", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    await moveToPhase(w.fac, w.c, "synthesis");
    const { id } = await runWith(w);
    await moderation.hideContent(db, w.fac.viewer, w.c.key, "position", w.positionIds.divides, { reason: "Names a person." });
    expect((await synthesis.getDraftReport(db, w.fac.viewer, w.c.key))!.stale).toBe(true);
    expect(await domainError(synthesis.publishReport(db, w.fac.viewer, w.c.key, { runId: id }))).toMatchObject({ kind: "conflict" });

    const second = await runWith(w);
    const draft = (await synthesis.getDraftReport(db, w.fac.viewer, w.c.key))!;
    expect(draft.stale).toBe(false);
    expect(draft.report.statements.map((s) => s.id)).not.toContain(w.positionIds.divides);
    await synthesis.publishReport(db, w.fac.viewer, w.c.key, { runId: second.id });
    const published = await synthesis.getPublishedReport(db, w.c.slug);
    expect(JSON.stringify(published.report)).not.toContain("Police should stay away");
  });

  it("draft downloads: the consultation's facilitators only", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const owner = await signedIn(db, { accountId: w.fac.account.id });
    // No run yet: 404.
    expect((await get(`/facilitate/${w.c.slug}/synthesis/download?format=md`, { cookie: owner })).status).toBe(404);
    await runWith(w);
    const md = await get(`/facilitate/${w.c.slug}/synthesis/download?format=md`, { cookie: owner });
    expect(md.status).toBe(200);
    expect(md.headers.get("Content-Disposition")).toBe(`attachment; filename="${w.c.slug}-report-draft.md"`);
    expect((await get(`/facilitate/${w.c.slug}/synthesis/download?format=pdf`, { cookie: owner })).status).toBe(400);

    const other = await createFacilitator();
    const otherCookie = await signedIn(db, { accountId: other.account.id });
    expect((await get(`/facilitate/${w.c.slug}/synthesis/download?format=md`, { cookie: otherCookie })).status).toBe(404);
    const anonymous = await get(`/facilitate/${w.c.slug}/synthesis/download?format=md`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?next=/);
    // The draft is not public.
    expect((await get(`/reports/${w.c.slug}.md`)).status).toBe(404);
  });
});

describe("privacy", () => {
  it("no report output, in any format, draft or published, carries a pseudonym, participant id, account id or email", async () => {
    const w = await synthesisWorld();
    const db = await getDb();
    const colleague = await createFacilitator(); // another organisation: its email must not appear either
    await moveToPhase(w.fac, w.c, "synthesis");
    const { id } = await runWith(w);
    await synthesis.saveSummaryNote(db, w.fac.viewer, w.c.key, { summaryNote: "Thanks to everyone who took part." });

    const forbiddenStrings = [
      ...w.pseudonyms,
      ...w.participantIds,
      w.fac.account.id,
      w.fac.email,
      w.fac.account.organisationId,
      colleague.account.id,
      colleague.email,
    ];
    // Pseudonyms also in other cases (a report must not shout them either).
    const lowered = forbiddenStrings.map((s) => s.toLowerCase());
    const scan = (label: string, text: string) => {
      const haystack = text.toLowerCase();
      const found = lowered.filter((s) => haystack.includes(s));
      expect(found, `${label} leaks`).toEqual([]);
    };

    const owner = await signedIn(db, { accountId: w.fac.account.id });
    const draft = (await synthesis.getDraftReport(db, w.fac.viewer, w.c.key))!;
    for (const format of synthesis.REPORT_FORMATS) {
      scan(`draft ${format} (domain)`, synthesis.reportFile(draft.report, format, { slug: w.c.slug, draft: true }).body);
      const http = await get(`/facilitate/${w.c.slug}/synthesis/download?format=${format}`, { cookie: owner });
      expect(http.status).toBe(200);
      scan(`draft ${format} (download)`, http.body);
    }
    // The stored run result and the review page too.
    scan("stored run result", (await db.synthesisRun.findUniqueOrThrow({ where: { id } })).result!);
    const review = await get(`/facilitate/${w.c.slug}/synthesis`, { cookie: owner });
    expect(review.status).toBe(200);
    // The page header names the signed-in facilitator's display name, not their email: scan it all.
    scan("synthesis page", review.body);

    await synthesis.publishReport(db, w.fac.viewer, w.c.key, { runId: id });
    const published = await synthesis.getPublishedReport(db, w.c.slug);
    for (const format of synthesis.REPORT_FORMATS) {
      scan(`published ${format} (domain)`, synthesis.reportFile(published.report, format, { slug: w.c.slug }).body);
      const http = await get(`/reports/${w.c.slug}.${format}`);
      expect(http.status).toBe(200);
      scan(`published ${format} (download)`, http.body);
    }
    const page = await get(`/reports/${w.c.slug}`);
    expect(page.status).toBe(200);
    scan("public report page", page.body);
    // The statement that named someone is in the report, with the name blanked out.
    expect(page.body).toContain("[a participant]");
  });
});
