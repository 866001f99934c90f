/**
 * Where the server's CPU time went, from a V8 .cpuprofile (`node --cpu-prof`): self time by package or
 * project file, the hottest functions, and inclusive time of the project's own functions.
 *
 *   node --import tsx tests/bench/realtime-profile.ts <file.cpuprofile> [top]
 *
 * tests/bench/realtime.ts --profile runs the server with --cpu-prof and prints this summary at the end.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A package name (node_modules/...), a project-relative file, or a V8 pseudo-frame. */
function where(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node internals";
  const file = url.startsWith("file://") ? fileURLToPath(url) : url;
  const nm = file.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = file.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.startsWith(ROOT)) return path.relative(ROOT, file);
  return file;
}

export function summariseProfile(file: string, top = 20): string {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0);
  const idleMs = profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").reduce((sum, n) => sum + (self.get(n.id) ?? 0), 0);
  const busyMs = totalMs - idleMs;

  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (!ms || node.callFrame.functionName === "(idle)") continue;
    const place = where(node.callFrame.url, node.callFrame.functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + ms);
    const fn = `${node.callFrame.functionName || "(anonymous)"} ${place}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }

  // Inclusive time of project functions (counted once per stack, even when recursive).
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at)!;
      const place = where(node.callFrame.url, node.callFrame.functionName);
      if (place.startsWith("(") || place.includes("node_modules") || !/^(realtime|consultations|app|build)\//.test(place)) continue;
      const key = `${node.callFrame.functionName || "(anonymous)"} ${place}:${node.callFrame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }

  // Busy stretches: consecutive samples outside "(idle)", i.e. how long the event loop ran without a break
  // (a long one delays every socket's acks and broadcasts behind it).
  const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  const stretches: number[] = [];
  let run = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    if (idleIds.has(id)) {
      if (run > 0) stretches.push(run);
      run = 0;
    } else run += ms;
  });
  if (run > 0) stretches.push(run);
  stretches.sort((a, b) => a - b);
  const at = (p: number) => stretches[Math.min(stretches.length - 1, Math.max(0, Math.ceil((p / 100) * stretches.length) - 1))] ?? NaN;
  const longMs = stretches.filter((x) => x >= 50).reduce((a, b) => a + b, 0);

  const pct = (ms: number) => `${((ms / Math.max(1, busyMs)) * 100).toFixed(1)}%`;
  const rows = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => `| ${name} | ${ms.toFixed(0)} | ${pct(ms)} |`)
      .join("\n");
  const wall = (profile.endTime - profile.startTime) / 1e6;
  return [
    `Server CPU profile ${path.relative(ROOT, file)}: ${wall.toFixed(1)} s profiled, ${(busyMs / 1000).toFixed(1)} s busy (${((busyMs / 1000 / wall) * 100).toFixed(0)}% of one core), ${(idleMs / 1000).toFixed(1)} s idle.`,
    `Event loop busy stretches (between idle samples): ${stretches.length}, p50 ${at(50).toFixed(1)} ms, p90 ${at(90).toFixed(1)} ms, p99 ${at(99).toFixed(1)} ms, longest ${at(100).toFixed(0)} ms; ` +
      `${((longMs / Math.max(1, busyMs)) * 100).toFixed(0)}% of busy time is in stretches of 50 ms or more.`,
    "",
    "Self time by package / file (% of busy time):",
    "",
    "| Where | ms | % |",
    "|---|---:|---:|",
    rows(byPlace, top),
    "",
    "Hottest functions (self time):",
    "",
    "| Function | ms | % |",
    "|---|---:|---:|",
    rows(byFunction, top),
    "",
    "Project functions, inclusive time (what they and everything they call cost):",
    "",
    "| Function | ms | % |",
    "|---|---:|---:|",
    rows(inclusive, top),
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(summariseProfile(process.argv[2], Number(process.argv[3] ?? 20)));
}
