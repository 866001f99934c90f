/**
 * npm run synthesize -- --polis <dir> --out <dir> [--groups mapping.csv] [--seed N] [--min-group-size N] [--title "..."] [--lang pt]
 *
 * Runs the synthesis engine on a Polis openData export and writes, in --out:
 *   report.json  the report (consultations/report) plus, for this public Polis data, `participants`
 *                [{ id (Polis participant id), opinionGroup, polisOpinionGroup }] and a `source` block
 *                with the CC BY 4.0 attribution;
 *   report.md, report.html, report.csv;
 *   ATTRIBUTION.md  the attribution the Polis data requires beside any copy.
 * Progress lines go to stderr; the paths written go to stdout. Exit code 2 on bad arguments.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { CC_BY_4_URL, POLIS_ATTRIBUTION, polisCreditMarkdown } from "../polis/attribution";
import { readPolisExport, type PolisExport } from "../polis/parse";
import { composeReport, reportCsv, reportHtml, reportJsonObject, reportMarkdown, type Report } from "../report/index";
import { adjustedRandIndex, synthesize, type SynthesisResult } from "../synthesis/index";
import { parseCli, progress, runMain, SYNTHESIZE_USAGE, SynthesizeArgs } from "./args";

export interface SynthesizeRun {
  export: PolisExport;
  result: SynthesisResult;
  report: Report;
  files: string[];
  timings: { readMs: number; synthesisMs: number; renderMs: number };
}

/** Agreement (adjusted Rand index) of the engine's opinion groups with Polis's own, on people both clustered. */
export function agreementWithPolis(result: SynthesisResult, polisGroups: Record<string, number | null>): { participants: number; adjustedRandIndex: number } | null {
  const a: number[] = [];
  const b: number[] = [];
  for (const p of result.participants) {
    const polis = polisGroups[p.id];
    if (p.opinionGroup === null || polis === null || polis === undefined) continue;
    a.push(p.opinionGroup);
    b.push(polis);
  }
  if (a.length < 2) return null;
  return { participants: a.length, adjustedRandIndex: adjustedRandIndex(a, b) };
}

/** The JSON written for a Polis export: the report, plus Polis participant ids (public data) and the source. */
export function polisReportJson(run: Pick<SynthesizeRun, "export" | "result" | "report">, folder: string): Record<string, unknown> {
  const { export: exp, result, report } = run;
  const polisGic = new Map(exp.comments.filter((c) => c.groupInformedConsensus !== null).map((c) => [c.id, c.groupInformedConsensus]));
  const json = reportJsonObject(report);
  if (polisGic.size) {
    json.statements = (json.statements as Array<Record<string, unknown>>).map((s) => ({ ...s, polisGroupInformedConsensus: polisGic.get(String(s.id)) ?? null }));
  }
  return {
    ...json,
    source: {
      kind: "polis",
      folder,
      topic: exp.meta.topic,
      url: exp.meta.url,
      attribution: POLIS_ATTRIBUTION,
      licence: CC_BY_4_URL,
      counts: exp.stats,
    },
    participants: result.participants.map((p) => ({
      id: p.id,
      opinionGroup: p.opinionGroup,
      polisOpinionGroup: exp.polisGroups[p.id] ?? null,
    })),
    clusteringDetails: result.clustering,
    agreementWithPolisOpinionGroups: agreementWithPolis(result, exp.polisGroups),
  };
}

export function attributionMarkdown(exp: PolisExport, folder: string): string {
  return [
    `# Attribution`,
    "",
    `These files are derived from the Polis openData export "${folder}" (${exp.meta.topic}${exp.meta.url ? `, ${exp.meta.url}` : ""}).`,
    "",
    POLIS_ATTRIBUTION,
    "",
    `Licence: ${CC_BY_4_URL}`,
    "",
  ].join("\n");
}

/** Reads the export, runs the engine, writes the four renderings. `log` gets progress lines. */
export function synthesizePolis(args: SynthesizeArgs, log: (message: string) => void = () => {}): SynthesizeRun {
  const folder = path.basename(path.resolve(args.polis));
  const t0 = performance.now();
  log(`reading Polis export ${args.polis}${args.groups ? ` with groups from ${args.groups}` : ""}`);
  const exp = readPolisExport(args.polis, { groupsFile: args.groups ?? null });
  const s = exp.stats;
  log(
    `read ${s.comments} comments (${s.moderatedOut} moderated out), ${s.voteRows} vote rows -> ${s.votes} latest votes on included comments, ${s.participants} participants${
      args.groups ? ` (${s.mappedParticipants} with a declared group, ${exp.input.groups.length} groups)` : ""
    }`,
  );
  for (const w of exp.warnings) log(`warning: ${w}`);
  const t1 = performance.now();

  let lastStage = "";
  let lastFraction = -1;
  const result = synthesize({
    ...exp.input,
    options: {
      seed: args.seed,
      minVotersPerGroup: args.minGroupSize,
      // Reproduce Polis's map scaling of a moderated conversation (see SynthesisOptions).
      polisModeratedOutStatements: exp.stats.moderatedOutVoted,
      onProgress: (fraction, stage) => {
        if (stage !== lastStage || fraction - lastFraction >= 0.1 || fraction === 1) {
          log(`synthesis ${String(Math.round(fraction * 100)).padStart(3)}% ${stage}`);
          lastStage = stage;
          lastFraction = fraction;
        }
      },
    },
  });
  const t2 = performance.now();
  log(
    `synthesis done in ${((t2 - t1) / 1000).toFixed(2)} s: ${result.clustering.k} opinion groups, ${result.recommendations.length} recommendations, ${result.disagreements.length} disagreements`,
  );

  const description = [exp.meta.description ?? "", polisCreditMarkdown(exp.meta)].filter(Boolean).join("\n\n");
  const report = composeReport(result, {
    title: args.title ?? exp.meta.topic,
    description,
    groups: exp.input.groups,
    generatedAt: new Date(),
    minGroupSize: args.minGroupSize,
    ...(args.lang ? { language: args.lang } : {}),
  });
  fs.mkdirSync(args.out, { recursive: true });
  const outputs: Array<[string, string]> = [
    ["report.json", `${JSON.stringify(polisReportJson({ export: exp, result, report }, folder), null, 2)}\n`],
    ["report.md", reportMarkdown(report)],
    ["report.html", reportHtml(report)],
    ["report.csv", reportCsv(report)],
    ["ATTRIBUTION.md", attributionMarkdown(exp, folder)],
  ];
  const files: string[] = [];
  for (const [name, content] of outputs) {
    const file = path.join(args.out, name);
    fs.writeFileSync(file, content);
    files.push(file);
  }
  const t3 = performance.now();
  log(`wrote ${files.length} files in ${args.out} (${((t3 - t2) / 1000).toFixed(2)} s); total ${((t3 - t0) / 1000).toFixed(2)} s`);
  return { export: exp, result, report, files, timings: { readMs: t1 - t0, synthesisMs: t2 - t1, renderMs: t3 - t2 } };
}

export async function main(argv: string[]): Promise<void> {
  await runMain(SYNTHESIZE_USAGE, async () => {
    const args = parseCli(
      argv,
      {
        polis: { type: "string" },
        out: { type: "string" },
        groups: { type: "string" },
        seed: { type: "string" },
        "min-group-size": { type: "string" },
        title: { type: "string" },
        lang: { type: "string" },
      },
      SynthesizeArgs,
      { "min-group-size": "minGroupSize" },
    );
    const run = synthesizePolis(args, (m) => progress("synthesize", m));
    for (const f of run.files) process.stdout.write(`${f}\n`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main(process.argv.slice(2));
}
