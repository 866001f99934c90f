/**
 * npm run import-polis -- --polis <dir> --facilitator <email> --slug <slug> [--groups mapping.csv] [--languages pt,en]
 *
 * Imports a Polis openData export as a consultation (see consultations/polis/import.ts) into the database
 * DATABASE_URL points to (default data/polyphony.db). Progress on stderr, a summary on stdout.
 * Exit code 2 on bad arguments, 1 when the export or the database refuses.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

import { closeDb, getDb } from "../db/client";
import { importPolisExport, type ImportPolisResult } from "../polis/import";
import { readPolisExport } from "../polis/parse";
import { IMPORT_POLIS_USAGE, ImportPolisArgs, parseCli, progress, runMain } from "./args";

export async function importPolis(args: ImportPolisArgs, log: (message: string) => void = () => {}): Promise<ImportPolisResult> {
  log(`reading Polis export ${args.polis}${args.groups ? ` with groups from ${args.groups}` : ""}`);
  const exp = readPolisExport(args.polis, { groupsFile: args.groups ?? null });
  for (const w of exp.warnings) log(`warning: ${w}`);
  const db = await getDb();
  return importPolisExport(db, exp, { facilitatorEmail: args.facilitator, slug: args.slug, languages: args.languages, onProgress: log });
}

export async function main(argv: string[]): Promise<void> {
  await runMain(IMPORT_POLIS_USAGE, async () => {
    const args = parseCli(
      argv,
      { polis: { type: "string" }, facilitator: { type: "string" }, slug: { type: "string" }, groups: { type: "string" }, languages: { type: "string" } },
      ImportPolisArgs,
    );
    const started = performance.now();
    try {
      const result = await importPolis(args, (m) => progress("import-polis", m));
      const c = result.counts;
      process.stdout.write(
        [
          `Imported consultation "${result.slug}" (deliberation phase) in ${((performance.now() - started) / 1000).toFixed(2)} s:`,
          `  ${c.participants} participants, ${c.positions} positions (${c.moderatedOut} moderated-out comments left out), ${c.votes} votes`,
          ...result.groups.map((g) => `  group "${g.name}": ${g.participants} participants`),
          "",
        ].join("\n"),
      );
    } finally {
      await closeDb();
    }
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main(process.argv.slice(2));
}
