/**
 * The SynthesisRun + Report aggregate: running the synthesis engine over a consultation's votes, the
 * facilitator's review of its recommendations (their own wording, never other numbers), and publishing
 * the report, which closes the consultation (phase `published`).
 *
 *   startRun        facilitator; deliberation or synthesis phase; at most one run at a time
 *   runInWorker     runs the engine in a worker thread, writes progress (throttled) and the result
 *   latestRun, getRun, getReview, getDraftReport            facilitators of the organisation
 *   saveEdits, resetEdit, saveSummaryNote                    facilitators; before publishing
 *   publishReport   facilitator; moves the phase synthesis -> published (movePhase semantics)
 *   getPublishedReport                                       anyone, once published
 *
 * Privacy: the engine never sees a participant id. Participants go in under opaque per-run ids ("p1",
 * "p2", ... in the order of their random UUIDs), so the stored result and every report made from it
 * cannot name anyone. Statement texts are the positions' plain text with the consultation's pseudonyms
 * and its organisation's account emails blanked out; a facilitator's wording may not contain them either.
 * No report output holds a pseudonym, participant id, account id or email (tests/integration/
 * synthesis-runs.test.ts scans every format).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { access, findConsultation, type Access, type ConsultationKey, type ConsultationRow } from "./access";
import { audit } from "./audit";
import { getDb, type Db, type Tx } from "./db/client";
import { conflict, forbidden, invalid, notFound } from "./errors";
import { recordEvent, publish } from "./events";
import { markdownToText } from "./markdown";
import { canMovePhase } from "./phases";
import { onPublished } from "./publishing";
import type { Viewer } from "./permissions";
import { composeReport, reportCsv, reportHtml, reportJson, reportMarkdown } from "./report";
import type { Report } from "./report/types";
import { noControl, type Phase } from "./schemas";
import type { SynthesisInput, SynthesisResult, VoteValue } from "./synthesis/types";
import { effectiveMinimum } from "./tallies";
import { commit } from "./unit-of-work";
import { parseInput } from "./validate";
import { loggableError } from "./log-safety";

export type { Report } from "./report/types";

// ---- constants ------------------------------------------------------------------------------

export const RUN_STATUSES = ["queued", "running", "done", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Phases in which a synthesis may run (votes may still come in during deliberation: a preview). */
export const SYNTHESIS_PHASES: readonly Phase[] = ["deliberation", "synthesis"];

/** Progress is written to the run row at most this often (ms). */
export const PROGRESS_WRITE_MS = 250;

/** A run is stopped (and marked failed) after this long; an active run older than this was interrupted. */
export const RUN_TIME_LIMIT_MS = 10 * 60 * 1000;

export const WORDING_MIN = 5;
export const WORDING_MAX = 1000;
export const SUMMARY_NOTE_MAX = 5000;

const TOO_EARLY = "The synthesis can run in the deliberation and synthesis phases.";
const CLOSED = "The report is published: nothing can change now.";

// ---- authorization ----------------------------------------------------------------------------

/** A facilitator of the consultation's organisation, in any phase (outsiders: 404; anonymous: 401). */
function asFacilitator(db: Db, viewer: Viewer, key: ConsultationKey): Promise<Access> {
  return access(db, viewer, key, "viewParticipation");
}

/** A facilitator, while the report can still change (deliberation or synthesis). */
async function asEditor(db: Db, viewer: Viewer, key: ConsultationKey): Promise<Access> {
  const a = await asFacilitator(db, viewer, key);
  if (a.consultation.phase === "published") throw forbidden(CLOSED);
  if (!SYNTHESIS_PHASES.includes(a.consultation.phase)) throw forbidden(TOO_EARLY);
  return a;
}

// ---- the engine input -------------------------------------------------------------------------

export interface CollectedInput {
  input: SynthesisInput;
  /** SHA-256 of the input: a run whose digest differs from today's input is out of date. */
  digest: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A function that blanks out the given names (whole words, any case, any spacing) and emails in a text.
 * Longest names first, so "Blue Lantern 7" goes before "Blue Lantern".
 */
export function identifierScrubber(names: string[], emails: string[]): (text: string) => string {
  const patterns = [...new Set(names.map((n) => n.trim()).filter((n) => n.length > 0))]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.split(/\s+/).map(escapeRegExp).join("\\s+"));
  const nameRe = patterns.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${patterns.join("|")})(?![\\p{L}\\p{N}])`, "giu") : null;
  const emailList = [...new Set(emails.map((e) => e.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  const emailRe = emailList.length ? new RegExp(emailList.map(escapeRegExp).join("|"), "gi") : null;
  return (text) => {
    let out = text;
    if (emailRe) out = out.replace(emailRe, "[email removed]");
    if (nameRe) out = out.replace(nameRe, "[a participant]");
    return out;
  };
}

/** Names and emails that must never appear in a report of this consultation. */
async function identifiersOf(db: Db | Tx, consultation: Pick<ConsultationRow, "id" | "organisationId">) {
  const [people, accounts] = await Promise.all([
    db.participant.findMany({ where: { consultationId: consultation.id }, select: { pseudonym: true } }),
    db.account.findMany({ where: { organisationId: consultation.organisationId }, select: { email: true } }),
  ]);
  return { pseudonyms: people.map((p) => p.pseudonym), emails: accounts.map((a) => a.email) };
}

/** Deterministic JSON (sorted object keys) for the digest. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && typeof v !== "function")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function inputDigest(input: SynthesisInput): string {
  return createHash("sha256").update(canonical(input)).digest("hex");
}

/**
 * The engine input as the database holds it now: visible positions (hidden and withdrawn ones left out),
 * active participants (suspended ones left out, with their votes), each one's latest vote on visible
 * positions, the declared groups in their order and the question of each position.
 */
export async function collectInput(db: Db, consultation: Pick<ConsultationRow, "id" | "organisationId" | "minGroupSize">): Promise<CollectedInput> {
  // One read transaction: a consistent snapshot of positions, people and votes.
  const rows = await db.$transaction(async (tx) => {
    const groups = await tx.stakeholderGroup.findMany({ where: { consultationId: consultation.id }, orderBy: [{ sortOrder: "asc" }, { id: "asc" }], select: { id: true, name: true } });
    const questions = await tx.question.findMany({ where: { consultationId: consultation.id }, orderBy: [{ sortOrder: "asc" }, { id: "asc" }], select: { id: true } });
    const positions = await tx.position.findMany({
      where: { consultationId: consultation.id, status: "visible" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, body: true, questionId: true },
    });
    const participants = await tx.participant.findMany({
      where: { consultationId: consultation.id, status: "active" },
      orderBy: { id: "asc" },
      select: { id: true, groupId: true },
    });
    const votes = await tx.vote.findMany({
      where: { consultationId: consultation.id, position: { status: "visible" }, participant: { status: "active" } },
      orderBy: [{ positionId: "asc" }, { participantId: "asc" }],
      select: { participantId: true, positionId: true, value: true },
    });
    const ids = await identifiersOf(tx, consultation);
    return { groups, questions, positions, participants, votes, ids };
  });

  const scrub = identifierScrubber(rows.ids.pseudonyms, rows.ids.emails);
  const questionOrder = new Map(rows.questions.map((q, i) => [q.id, i]));
  const statements = rows.positions
    .map((p) => ({ id: p.id, text: scrub(markdownToText(p.body)), questionId: p.questionId }))
    // Questions in their order, positions in the order they were written.
    .sort((a, b) => (questionOrder.get(a.questionId) ?? 0) - (questionOrder.get(b.questionId) ?? 0));
  // Opaque ids: the engine, its result and every report know participants only as p1, p2, ...
  const opaque = new Map(rows.participants.map((p, i) => [p.id, `p${i + 1}`]));
  const votes = rows.votes
    .filter((v) => opaque.has(v.participantId) && (v.value === 1 || v.value === -1 || v.value === 0))
    .map((v) => ({ participantId: opaque.get(v.participantId)!, statementId: v.positionId, value: v.value as VoteValue }));
  const input: SynthesisInput = {
    statements,
    participants: rows.participants.map((p) => ({ id: opaque.get(p.id)!, group: p.groupId })),
    groups: rows.groups.map((g) => ({ id: g.id, name: g.name })),
    votes,
    options: { minVotersPerGroup: effectiveMinimum(consultation.minGroupSize), seed: 1 },
  };
  return { input, digest: inputDigest(input) };
}

// ---- runs ---------------------------------------------------------------------------------------

export interface RunSummary {
  id: string;
  status: RunStatus;
  progress: number;
  stage: string;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  inputDigest: string;
}

const RUN_SELECT = {
  id: true,
  status: true,
  progress: true,
  stage: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  inputDigest: true,
} as const;

type RunRow = { id: string; status: string; progress: number; stage: string; error: string | null; createdAt: Date; startedAt: Date | null; finishedAt: Date | null; inputDigest: string };

function isActive(status: string): boolean {
  return status === "queued" || status === "running";
}

/** An active run older than the time limit was interrupted (the server stopped): it reads as failed. */
function summary(row: RunRow, now = Date.now()): RunSummary {
  const status = (RUN_STATUSES as readonly string[]).includes(row.status) ? (row.status as RunStatus) : "failed";
  if (isActive(status) && now - row.createdAt.getTime() > RUN_TIME_LIMIT_MS + 60_000) {
    return { ...row, status: "failed", error: row.error ?? "The synthesis was interrupted. Run it again." };
  }
  return { ...row, status };
}

/** Inputs collected by startRun, handed to runInWorker in the same process (else collected again). */
const pendingInputs = new Map<string, CollectedInput>();

/**
 * Starts a synthesis run: facilitators only, in the deliberation and synthesis phases, one at a time.
 * Collects the input now (its digest goes on the run) and returns the run's id; call `runInWorker(id)`
 * (or use `startRunInBackground`) to compute it.
 */
export async function startRun(db: Db, viewer: Viewer, key: ConsultationKey): Promise<{ id: string }> {
  const { consultation } = await asEditor(db, viewer, key);
  const collected = await collectInput(db, consultation);
  if (collected.input.statements.length === 0) throw conflict("There are no visible positions to synthesise yet.");
  const run = await commit(db, async (tx, emit) => {
    // Creating the run is the first write: it takes SQLite's write lock, so the check below cannot race.
    const created = await tx.synthesisRun.create({
      data: { consultationId: consultation.id, status: "queued", progress: 0, stage: "queued", inputDigest: collected.digest },
      select: { id: true },
    });
    const interruptedBefore = new Date(Date.now() - RUN_TIME_LIMIT_MS - 60_000);
    await tx.synthesisRun.updateMany({
      where: { consultationId: consultation.id, status: { in: ["queued", "running"] }, createdAt: { lt: interruptedBefore } },
      data: { status: "failed", stage: "failed", error: "The synthesis was interrupted. Run it again.", finishedAt: new Date() },
    });
    const others = await tx.synthesisRun.count({
      where: { consultationId: consultation.id, status: { in: ["queued", "running"] }, NOT: { id: created.id } },
    });
    if (others) throw conflict("A synthesis is already running. Wait for it to finish.");
    await emit(consultation.id, "synthesis.started", "facilitator", { runId: created.id });
    await audit(tx, viewer, consultation.id, "synthesis.started", { target: { kind: "synthesisRun", id: created.id } });
    return created;
  });
  pendingInputs.set(run.id, collected);
  return run;
}

export interface RunOptions {
  db?: Db;
  /** The engine module (a path or file: URL exporting `synthesize`); default consultations/synthesis/index.ts. */
  engineModule?: string | URL;
  /** The worker entry; default realtime/synthesis-worker.ts. */
  workerFile?: string | URL;
  timeLimitMs?: number;
  progressWriteMs?: number;
}

function fileHref(file: string | URL): string {
  return file instanceof URL ? file.href : file.startsWith("file:") ? file : pathToFileURL(path.resolve(file)).href;
}

/**
 * The worker entry. This module runs from consultations/ (tsx, vitest) or bundled into build/index.js
 * (the Remix server build): both are one folder below the project root. The working directory (the
 * project root for `npm start` and the tests) is the fallback.
 */
function defaultWorkerFile(): string {
  const candidates = [new URL("../realtime/synthesis-worker.ts", import.meta.url), pathToFileURL(path.resolve("realtime", "synthesis-worker.ts"))];
  const found = candidates.find((url) => existsSync(fileURLToPath(url)));
  return (found ?? candidates[0]).href;
}

function resolveFrom(specifier: string): string | null {
  for (const base of [import.meta.url, pathToFileURL(path.resolve("package.json")).href]) {
    try {
      return pathToFileURL(createRequire(base).resolve(specifier)).href;
    } catch {
      // try the next base
    }
  }
  return null;
}

/**
 * The worker's bootstrap (CommonJS, eval'd). `execArgv: ["--import", "tsx"]` is enough on Node 24.11+,
 * but on Node 20 and 22 tsx registers its loader in the main thread only (tsx 4 skips worker threads),
 * so a .ts entry fails there with ERR_UNKNOWN_FILE_EXTENSION: the bootstrap then registers tsx's ESM
 * loader inside the worker and imports the entry again.
 */
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
(async () => {
  try {
    await import(workerData.__entry);
  } catch (error) {
    if (!error || error.code !== "ERR_UNKNOWN_FILE_EXTENSION" || !workerData.__tsxApi) throw error;
    const { register } = await import(workerData.__tsxApi);
    register();
    await import(workerData.__entry + "?tsx");
  }
})().catch((error) => {
  require("node:worker_threads").parentPort.postMessage({ type: "error", message: error && error.message ? error.message : String(error) });
});
`;

type WorkerMessage = { type: "progress"; fraction: number; stage: string } | { type: "result"; json: string } | { type: "error"; message: string };

function shortError(message: string): string {
  const line = message.split("\n")[0] ?? "";
  return (line.length > 300 ? `${line.slice(0, 297)}...` : line) || "The synthesis failed.";
}

/** Minimal shape check of what the engine returned before it is stored. */
function checkResult(value: unknown): SynthesisResult {
  const r = value as Partial<SynthesisResult> | null;
  if (!r || typeof r !== "object" || !Array.isArray(r.statements) || !Array.isArray(r.recommendations) || !r.meta) {
    throw new Error("The synthesis engine returned an incomplete result.");
  }
  return r as SynthesisResult;
}

/** Runs the engine over `input` in a worker thread; resolves with the result's JSON. */
function runEngine(
  input: SynthesisInput,
  options: { engineModule?: string | URL; workerFile?: string | URL; timeLimitMs: number; onProgress: (fraction: number, stage: string) => void },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const tsxLoader = resolveFrom("tsx");
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      execArgv: ["--import", tsxLoader ?? "tsx"],
      workerData: {
        __entry: fileHref(options.workerFile ?? defaultWorkerFile()),
        __tsxApi: resolveFrom("tsx/esm/api"),
        input: { ...input, options: { ...input.options } },
        ...(options.engineModule ? { engineModule: fileHref(options.engineModule) } : {}),
      },
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`The synthesis took longer than ${Math.round(options.timeLimitMs / 60000)} minutes and was stopped.`))),
      options.timeLimitMs,
    );
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") options.onProgress(message.fraction, message.stage);
      else if (message.type === "result") finish(() => resolve(message.json));
      else if (message.type === "error") finish(() => reject(new Error(message.message)));
    });
    worker.on("error", (error) => finish(() => reject(error)));
    worker.on("exit", (code) => finish(() => reject(new Error(`The synthesis stopped unexpectedly (exit code ${code}).`))));
  });
}

/**
 * Runs a queued run in a worker thread: claims it (queued -> running), writes its progress at most every
 * 250 ms, then stores the result (done) or the error (failed), records `synthesis.finished` and points the
 * draft report at the new run. Resolves when the run has ended; never rejects for engine failures (they
 * are stored on the run). Returns null when the run was not queued (already taken or unknown).
 */
export async function runInWorker(runId: string, options: RunOptions = {}): Promise<RunSummary | null> {
  const db = options.db ?? (await getDb());
  const claimed = await db.synthesisRun.updateMany({
    where: { id: runId, status: "queued" },
    data: { status: "running", startedAt: new Date(), stage: "starting" },
  });
  if (!claimed.count) {
    pendingInputs.delete(runId);
    return null;
  }
  const run = await db.synthesisRun.findUniqueOrThrow({ where: { id: runId }, select: { consultationId: true, inputDigest: true } });

  // Progress: the latest value, written at most every `progressWriteMs`.
  const every = options.progressWriteMs ?? PROGRESS_WRITE_MS;
  let latest: { fraction: number; stage: string } | null = null;
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  let trailing: ReturnType<typeof setTimeout> | null = null;
  let ended = false;
  const writeProgress = () => {
    trailing = null;
    if (ended || !latest) return;
    const { fraction, stage } = latest;
    latest = null;
    lastWrite = Date.now();
    writing = writing
      .then(() => db.synthesisRun.updateMany({ where: { id: runId, status: "running" }, data: { progress: fraction, stage } }))
      .catch((error) => log("error", "synthesis progress write failed", { runId, ...loggableError(error) }));
  };
  const onProgress = (fraction: number, stage: string) => {
    latest = { fraction: Math.max(latest?.fraction ?? 0, fraction), stage };
    const wait = every - (Date.now() - lastWrite);
    if (wait <= 0) writeProgress();
    else trailing ??= setTimeout(writeProgress, wait);
  };

  let outcome: { json: string; digest: string } | { error: string };
  try {
    const consultation = await findConsultation(db, { id: run.consultationId });
    if (!consultation) throw new Error("The consultation no longer exists.");
    const collected = pendingInputs.get(runId) ?? (await collectInput(db, consultation));
    const json = await runEngine(collected.input, {
      engineModule: options.engineModule,
      workerFile: options.workerFile,
      timeLimitMs: options.timeLimitMs ?? RUN_TIME_LIMIT_MS,
      onProgress,
    });
    checkResult(JSON.parse(json));
    outcome = { json, digest: collected.digest };
  } catch (error) {
    outcome = { error: shortError(error instanceof Error ? error.message : String(error)) };
  } finally {
    pendingInputs.delete(runId);
    ended = true;
    if (trailing) clearTimeout(trailing);
    await writing;
  }

  const finishedAt = new Date();
  await commit(db, async (tx, emit) => {
    if ("json" in outcome) {
      await tx.synthesisRun.update({
        where: { id: runId },
        data: { status: "done", progress: 1, stage: "done", result: outcome.json, inputDigest: outcome.digest, finishedAt, error: null },
      });
      // The draft report follows the newest finished run; edits stay, keyed by statement id.
      const report = await tx.report.findUnique({ where: { consultationId: run.consultationId }, select: { status: true } });
      if (!report) await tx.report.create({ data: { consultationId: run.consultationId, runId, status: "draft", edits: "{}" } });
      else if (report.status === "draft") await tx.report.update({ where: { consultationId: run.consultationId }, data: { runId } });
    } else {
      await tx.synthesisRun.update({ where: { id: runId }, data: { status: "failed", stage: "failed", error: outcome.error, finishedAt } });
    }
    await emit(run.consultationId, "synthesis.finished", "system", { runId, status: "json" in outcome ? "done" : "failed" });
  });
  if ("error" in outcome) log("error", "synthesis failed", { runId, error: outcome.error });
  return summary(await db.synthesisRun.findUniqueOrThrow({ where: { id: runId }, select: RUN_SELECT }));
}

/**
 * startRun, then runInWorker without waiting (for routes: the page shows the progress). Errors of the
 * background part are logged, never thrown.
 */
export async function startRunInBackground(db: Db, viewer: Viewer, key: ConsultationKey, options: Omit<RunOptions, "db"> = {}): Promise<{ id: string }> {
  const run = await startRun(db, viewer, key);
  runInWorker(run.id, { ...options, db }).catch((error) => log("error", "synthesis run crashed", { runId: run.id, ...loggableError(error) }));
  return run;
}

function log(level: "info" | "error", msg: string, extra: Record<string, unknown>) {
  (level === "info" ? console.log : console.error)(JSON.stringify({ level, msg, ...extra }));
}

/** The newest run of the consultation (facilitators), or null. */
/**
 * At server start no worker is running: runs left queued or running by a previous process (a restart,
 * a crash) can never finish. Marks them failed so facilitators can start again at once.
 */
export async function failInterruptedRuns(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.synthesisRun.updateMany({
    where: { status: { in: ["queued", "running"] } },
    data: { status: "failed", error: "The server restarted while this synthesis was running. Please run it again.", finishedAt: now },
  });
  return count;
}

export async function latestRun(db: Db, viewer: Viewer, key: ConsultationKey): Promise<RunSummary | null> {
  const { consultation } = await asFacilitator(db, viewer, key);
  const row = await db.synthesisRun.findFirst({ where: { consultationId: consultation.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: RUN_SELECT });
  return row ? summary(row) : null;
}

/** One run of the consultation with its result (facilitators); 404 for a run of another consultation. */
export async function getRun(db: Db, viewer: Viewer, key: ConsultationKey, runId: string): Promise<RunSummary & { result: SynthesisResult | null }> {
  const { consultation } = await asFacilitator(db, viewer, key);
  const row = await db.synthesisRun.findFirst({ where: { id: runId, consultationId: consultation.id }, select: { ...RUN_SELECT, result: true } });
  if (!row) throw notFound("This synthesis run");
  const { result, ...rest } = row;
  return { ...summary(rest), result: result ? (JSON.parse(result) as SynthesisResult) : null };
}

// ---- the report -------------------------------------------------------------------------------

const Wording = noControl(
  z
    .string({ error: "Write the recommendation." })
    .trim()
    .min(WORDING_MIN, { error: `Write at least ${WORDING_MIN} characters.` })
    .max(WORDING_MAX, { error: `Write at most ${WORDING_MAX} characters.` }),
  "The recommendation",
);
const EditInput = z.object({ statementId: z.string().min(1).max(100), wording: Wording });
const SummaryNoteInput = z.object({
  summaryNote: noControl(z.string().trim().max(SUMMARY_NOTE_MAX, { error: `Write at most ${SUMMARY_NOTE_MAX} characters.` }), "The note"),
});
const PublishInput = z.object({ runId: z.string({ error: "Choose the run to publish." }).min(1, { error: "Choose the run to publish." }) });

function parseEdits(json: string): Record<string, string> {
  try {
    const value = JSON.parse(json) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

interface ReportRow {
  id: string;
  runId: string;
  status: string;
  edits: string;
  summaryNote: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
}

const REPORT_SELECT = { id: true, runId: true, status: true, edits: true, summaryNote: true, publishedAt: true, updatedAt: true } as const;

async function draftReportRow(db: Db | Tx, consultationId: string): Promise<ReportRow> {
  const report = await db.report.findUnique({ where: { consultationId }, select: REPORT_SELECT });
  if (!report) throw conflict("Run the synthesis first: the report is made from its result.");
  if (report.status !== "draft") throw forbidden(CLOSED);
  return report;
}

async function resultOf(db: Db | Tx, runId: string): Promise<SynthesisResult> {
  const run = await db.synthesisRun.findUnique({ where: { id: runId }, select: { result: true } });
  if (!run?.result) throw notFound("The synthesis result");
  return JSON.parse(run.result) as SynthesisResult;
}

/** Rejects wording that names a participant or carries an account's email. */
async function checkNoIdentifiers(db: Db, consultation: ConsultationRow, field: string, text: string) {
  const ids = await identifiersOf(db, consultation);
  if (identifierScrubber(ids.pseudonyms, ids.emails)(text) !== text) {
    throw invalid("Please correct the form.", { [field]: ["Leave out pseudonyms and email addresses: the report never names anyone."] });
  }
}

/**
 * The facilitator's wording for one statement of the report's run. Stored by statement id: the numbers
 * beside it always come from the run.
 */
export async function saveEdits(db: Db, viewer: Viewer, key: ConsultationKey, statementId: string, wording: unknown): Promise<void> {
  const { consultation } = await asEditor(db, viewer, key);
  const input = parseInput(EditInput, { statementId, wording });
  const report = await draftReportRow(db, consultation.id);
  const result = await resultOf(db, report.runId);
  if (!result.statements.some((s) => s.id === input.statementId)) throw notFound("This statement");
  await checkNoIdentifiers(db, consultation, "wording", input.wording);
  await db.$transaction(async (tx) => {
    const current = await draftReportRow(tx, consultation.id);
    const edits = { ...parseEdits(current.edits), [input.statementId]: input.wording };
    await tx.report.update({ where: { id: current.id }, data: { edits: JSON.stringify(edits) } });
  });
}

/** Back to the participants' own words for one statement. */
export async function resetEdit(db: Db, viewer: Viewer, key: ConsultationKey, statementId: string): Promise<void> {
  const { consultation } = await asEditor(db, viewer, key);
  await db.$transaction(async (tx) => {
    const current = await draftReportRow(tx, consultation.id);
    const edits = parseEdits(current.edits);
    if (!(statementId in edits)) return;
    delete edits[statementId];
    await tx.report.update({ where: { id: current.id }, data: { edits: JSON.stringify(edits) } });
  });
}

/** The facilitator's own introduction to the report (Markdown; empty removes it). */
export async function saveSummaryNote(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown): Promise<void> {
  const { consultation } = await asEditor(db, viewer, key);
  const { summaryNote } = parseInput(SummaryNoteInput, raw);
  await checkNoIdentifiers(db, consultation, "summaryNote", summaryNote);
  const report = await draftReportRow(db, consultation.id);
  await db.report.update({ where: { id: report.id }, data: { summaryNote: summaryNote || null } });
}

/**
 * The report in `language` (its fixed texts; user content stays as written), the consultation's main
 * language when none is given.
 */
async function compose(db: Db, consultation: ConsultationRow, report: ReportRow, generatedAt: Date, language?: string): Promise<Report> {
  const [result, groups, byOutreach, written] = await Promise.all([
    resultOf(db, report.runId),
    db.stakeholderGroup.findMany({ where: { consultationId: consultation.id }, orderBy: [{ sortOrder: "asc" }, { id: "asc" }], select: { id: true, name: true } }),
    // Positions an outreach worker entered (the mark "entered by outreach"; never who entered them).
    db.position.findMany({ where: { consultationId: consultation.id, enteredByProxy: true }, select: { id: true } }),
    // The language each position was written in (its text gets a lang attribute in the HTML report).
    db.position.findMany({ where: { consultationId: consultation.id }, select: { id: true, language: true } }),
  ]);
  return composeReport(result, {
    language: language ?? consultation.languages[0] ?? "en",
    statementLanguages: Object.fromEntries(written.map((p) => [p.id, p.language])),
    enteredByOutreach: byOutreach.map((p) => p.id),
    title: consultation.title,
    description: report.summaryNote,
    groups,
    generatedAt,
    edits: parseEdits(report.edits),
    minGroupSize: effectiveMinimum(consultation.minGroupSize),
  });
}

export interface DraftReport {
  report: Report;
  runId: string;
  status: "draft" | "published";
  edits: Record<string, string>;
  summaryNote: string | null;
  /** The input changed since the run (moderation, votes): run again before publishing. */
  stale: boolean;
  updatedAt: Date;
}

async function draftOf(db: Db, consultation: ConsultationRow, language?: string): Promise<DraftReport | null> {
  const row = await db.report.findUnique({ where: { consultationId: consultation.id }, select: REPORT_SELECT });
  if (!row) return null;
  const run = await db.synthesisRun.findUniqueOrThrow({ where: { id: row.runId }, select: { inputDigest: true } });
  const stale = row.status === "draft" && (await collectInput(db, consultation)).digest !== run.inputDigest;
  return {
    report: await compose(db, consultation, row, row.publishedAt ?? row.updatedAt, language),
    runId: row.runId,
    status: row.status === "published" ? "published" : "draft",
    edits: parseEdits(row.edits),
    summaryNote: row.summaryNote,
    stale,
    updatedAt: row.updatedAt,
  };
}

/** The report as it stands (draft or published), for the consultation's facilitators; null before any run finished. */
export async function getDraftReport(db: Db, viewer: Viewer, key: ConsultationKey, language?: string): Promise<DraftReport | null> {
  const { consultation } = await asFacilitator(db, viewer, key);
  return draftOf(db, consultation, language);
}

/**
 * Publishes the report of the run the facilitator reviewed (`runId`): the consultation moves from
 * synthesis to published (as movePhase would, recorded as `phase.changed`) and `report.published` is
 * recorded. After that nothing changes. Refused while a run is active, when a newer run replaced the
 * reviewed one, or when the input changed since the run (hidden positions must not reach a report).
 * A consultation that reached `published` by its schedule can still publish its draft report.
 */
export async function publishReport(db: Db, viewer: Viewer, key: ConsultationKey, raw: unknown): Promise<void> {
  const { consultation } = await access(db, viewer, key, "movePhase");
  const { runId } = parseInput(PublishInput, raw);
  const moving = consultation.phase !== "published";
  if (moving && !canMovePhase(consultation.phase, "published")) throw forbidden("The report can be published from the synthesis phase.");
  const report = await db.report.findUnique({ where: { consultationId: consultation.id }, select: REPORT_SELECT });
  if (!report) throw conflict("Run the synthesis first: the report is made from its result.");
  if (report.status === "published") throw conflict("The report is already published.");
  if (report.runId !== runId) throw conflict("A newer synthesis finished since you loaded the page. Review it, then publish.");
  const run = await db.synthesisRun.findUniqueOrThrow({ where: { id: runId }, select: { inputDigest: true, status: true } });
  if (run.status !== "done") throw conflict("This synthesis has not finished.");
  if ((await collectInput(db, consultation)).digest !== run.inputDigest) {
    throw conflict("Positions, votes or participants changed since this synthesis (moderation?). Run it again, review, then publish.");
  }
  const now = new Date();
  await commit(db, async (tx, emit) => {
    if (moving) {
      const { count } = await tx.consultation.updateMany({ where: { id: consultation.id, phase: consultation.phase }, data: { phase: "published", phaseChangedAt: now } });
      if (!count) throw conflict("The phase was changed by someone else. Reload and try again.");
      await emit(consultation.id, "phase.changed", "facilitator", { from: consultation.phase, to: "published" });
      await onPublished(tx, consultation.id);
    }
    const active = await tx.synthesisRun.count({ where: { consultationId: consultation.id, status: { in: ["queued", "running"] } } });
    if (active) throw conflict("A synthesis is running. Wait for it to finish, review it, then publish.");
    const { count } = await tx.report.updateMany({ where: { id: report.id, status: "draft", runId }, data: { status: "published", publishedAt: now } });
    if (!count) throw conflict("The report changed meanwhile. Reload and try again.");
    await emit(consultation.id, "report.published", "facilitator", { runId });
    // One entry for the action: publishing moves the phase too, which the detail says.
    await audit(tx, viewer, consultation.id, "report.published", {
      target: { kind: "synthesisRun", id: runId },
      detail: moving ? `phase ${consultation.phase} → published` : "already in the published phase",
    });
  });
}

export interface PublishedReport {
  report: Report;
  slug: string;
  title: string;
  publishedAt: Date;
  /** The consultation's declared languages (the main one first): the report is offered in each. */
  languages: string[];
}

/**
 * The published report of a consultation, for anyone (no session needed); 404 until published. Its
 * fixed texts in `language` (any interface language; the caller decides which it offers), else in the
 * consultation's main language.
 */
export async function getPublishedReport(db: Db, slug: string, language?: string): Promise<PublishedReport> {
  const consultation = await findConsultation(db, { slug });
  if (!consultation || consultation.phase !== "published") throw notFound("This report");
  const row = await db.report.findUnique({ where: { consultationId: consultation.id }, select: REPORT_SELECT });
  if (!row || row.status !== "published" || !row.publishedAt) throw notFound("This report");
  return {
    report: await compose(db, consultation, row, row.publishedAt, language),
    slug: consultation.slug,
    title: consultation.title,
    publishedAt: row.publishedAt,
    languages: consultation.languages,
  };
}

// ---- downloads --------------------------------------------------------------------------------

export const REPORT_FORMATS = ["md", "html", "json", "csv"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === "string" && (REPORT_FORMATS as readonly string[]).includes(value);
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

export interface ReportFile {
  body: string;
  contentType: string;
  filename: string;
}

/** One rendering of a report as a file to download (`<slug>-report[-draft].<ext>`). */
export function reportFile(report: Report, format: ReportFormat, name: { slug: string; draft?: boolean }): ReportFile {
  const body =
    format === "md" ? reportMarkdown(report) : format === "html" ? reportHtml(report) : format === "json" ? reportJson(report) : reportCsv(report);
  const base = name.slug.replace(/[^a-z0-9-]/gi, "").slice(0, 80) || "consultation";
  return { body, contentType: CONTENT_TYPES[format], filename: `${base}-report${name.draft ? "-draft" : ""}.${format}` };
}

// ---- the review page ----------------------------------------------------------------------------

/** What the facilitator's synthesis page shows: the phase, the latest run and the report as it stands. */
export async function getReview(db: Db, viewer: Viewer, key: ConsultationKey, language?: string) {
  const { consultation } = await asFacilitator(db, viewer, key);
  const row = await db.synthesisRun.findFirst({ where: { consultationId: consultation.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: RUN_SELECT });
  const run = row ? summary(row) : null;
  // While a run is going the page only shows its progress (and reloads every second or two).
  const running = !!run && isActive(run.status);
  const draft = running ? null : await draftOf(db, consultation, language);
  return {
    consultation: { slug: consultation.slug, title: consultation.title, phase: consultation.phase, minGroupSize: effectiveMinimum(consultation.minGroupSize) },
    running,
    canRun: SYNTHESIS_PHASES.includes(consultation.phase) && !running,
    canEdit: SYNTHESIS_PHASES.includes(consultation.phase) && draft?.status === "draft",
    canPublish:
      (consultation.phase === "synthesis" || consultation.phase === "published") &&
      draft?.status === "draft" &&
      !draft.stale &&
      !running,
    run,
    draft,
  };
}
