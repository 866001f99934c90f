/**
 * The synthesis engine in a worker thread (started by consultations/synthesis-runs.ts `runInWorker`).
 *
 * Pure computation: no database, no network. The parent sends the engine input in `workerData`; this
 * thread imports the engine module (`engineModule`, default consultations/synthesis/index.ts), runs
 * `synthesize(input)` and posts back, in order:
 *   { type: "progress", fraction, stage }   (at most every PROGRESS_EVERY_MS, and on every new stage)
 *   { type: "result", json }                (the SynthesisResult as a JSON string: one copy, no clone walk)
 * or { type: "error", message } when the engine throws. The parent writes progress and the result to the
 * database; this thread only computes, so a slow engine never blocks the web server's event loop.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import type { SynthesisInput, SynthesisResult } from "../consultations/synthesis/types";

export interface SynthesisWorkerData {
  input: SynthesisInput;
  /** file: URL of the engine module (must export `synthesize`). */
  engineModule?: string;
}

export type SynthesisWorkerMessage =
  | { type: "progress"; fraction: number; stage: string }
  | { type: "result"; json: string }
  | { type: "error"; message: string };

/** Progress messages are coalesced to this rate (the parent throttles database writes further). */
const PROGRESS_EVERY_MS = 50;

/** The engine: consultations/synthesis/index.ts (its public entry), else synthesize.ts itself. */
function defaultEngine(): string {
  const index = new URL("../consultations/synthesis/index.ts", import.meta.url);
  return existsSync(fileURLToPath(index)) ? index.href : new URL("../consultations/synthesis/synthesize.ts", import.meta.url).href;
}

type Synthesize = (input: SynthesisInput) => SynthesisResult | Promise<SynthesisResult>;

function post(message: SynthesisWorkerMessage): void {
  parentPort?.postMessage(message);
}

async function main(): Promise<void> {
  const data = workerData as SynthesisWorkerData;
  const engine = (await import(data.engineModule ?? defaultEngine())) as { synthesize?: Synthesize; default?: { synthesize?: Synthesize } };
  const synthesize = engine.synthesize ?? engine.default?.synthesize;
  if (typeof synthesize !== "function") throw new Error("The synthesis engine module does not export synthesize().");

  let lastPost = 0;
  let lastStage = "";
  const onProgress = (fraction: number, stage: string) => {
    const now = Date.now();
    if (stage === lastStage && now - lastPost < PROGRESS_EVERY_MS) return;
    lastPost = now;
    lastStage = stage;
    const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
    post({ type: "progress", fraction: f, stage: String(stage).slice(0, 60) });
  };

  const result = await synthesize({ ...data.input, options: { ...data.input.options, onProgress } });
  post({ type: "result", json: JSON.stringify(result) });
}

main().catch((error: unknown) => {
  post({ type: "error", message: error instanceof Error ? error.message : String(error) });
});
