/**
 * Speed of the whole synthesis on planted data: `npx tsx consultations/synthesis/benchmark.ts [runs]`.
 * Prints wall time per size and per stage (from the progress callback); asserts nothing.
 * Targets on a 2-core machine: 2,000 x 900 with 225,000 votes <= 1 s; 10,000 x 2,000 at 15% <= 5 s.
 */
import os from "node:os";
import { largePlantedConsultation } from "./planted";
import { synthesize } from "./synthesize";
import type { SynthesisInput } from "./types";

export interface Timing {
  /** Wall time. */
  ms: number;
  /** CPU time of the process (user + system) over the same run: less sensitive to a busy machine. */
  cpuMs: number;
  stages: Array<{ stage: string; ms: number }>;
  votes: number;
  bootstrapSamples: number;
  k: number;
}

/** Runs synthesize once, timing each stage (the time from one stage's start to the next one's). */
export function timeSynthesis(input: SynthesisInput): Timing {
  const marks: Array<{ stage: string; at: number }> = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = synthesize({
    ...input,
    options: {
      ...input.options,
      onProgress: (_fraction, stage) => {
        if (marks.at(-1)?.stage !== stage) marks.push({ stage, at: performance.now() });
      },
    },
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const stages = marks.slice(0, -1).map((m, i) => ({ stage: m.stage, ms: marks[i + 1].at - m.at }));
  return { ms, cpuMs, stages, votes: result.meta.votes, bootstrapSamples: result.meta.bootstrapSamples, k: result.clustering.k };
}

export function formatTiming(label: string, t: Timing): string {
  return `${label}: ${t.ms.toFixed(0)} ms wall, ${t.cpuMs.toFixed(0)} ms CPU (${t.votes} votes, k=${t.k}, bootstrap ${t.bootstrapSamples}) | ${t.stages.map((s) => `${s.stage} ${s.ms.toFixed(0)}`).join(", ")}`;
}

export const BENCHMARK_SIZES: Array<{ label: string; participants: number; statements: number; density: number; targetMs: number }> = [
  { label: "2,000 x 900, 225,000 votes", participants: 2000, statements: 900, density: 0.125, targetMs: 1000 },
  { label: "10,000 x 2,000 at 15%", participants: 10000, statements: 2000, density: 0.15, targetMs: 5000 },
];

function loadAverage(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
}

function main(): void {
  const runs = Number(process.argv[2] ?? 3);
  // Warm the JIT on a small consultation first (a server runs many syntheses; the first is slower).
  timeSynthesis(largePlantedConsultation(300, 80, 0.85).input);
  for (const size of BENCHMARK_SIZES) {
    const input = largePlantedConsultation(size.participants, size.statements, size.density).input;
    const times: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = timeSynthesis(input);
      times.push(t.ms);
      cpu.push(t.cpuMs);
      console.log(formatTiming(`${size.label} run ${r + 1}`, t));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `${size.label}: wall best ${Math.min(...times).toFixed(0)} ms, median ${median(times).toFixed(0)} ms; ` +
        `CPU best ${Math.min(...cpu).toFixed(0)} ms (target ${size.targetMs} ms; load average ${loadAverage()})`,
    );
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) main();
