/**
 * Command-line arguments: node's parseArgs for the syntax, zod for the values. A bad argument is a
 * UsageError, which the commands print with their usage and exit with code 2.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";

import { isSupportedLanguage, languages } from "../languages";
import { Slug } from "../schemas";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit codes: 0 done, 1 failed while working (bad data, database), 2 bad arguments. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const existingDir = (flag: string) =>
  z
    .string({ error: `${flag} is required.` })
    .trim()
    .min(1, `${flag} is required.`)
    .refine((p) => fs.existsSync(p) && fs.statSync(p).isDirectory(), { message: `${flag}: no such folder.` });

const existingFile = (flag: string) =>
  z
    .string()
    .trim()
    .min(1, `${flag} needs a file path.`)
    .refine((p) => fs.existsSync(p) && fs.statSync(p).isFile(), { message: `${flag}: no such file.` });

const wholeNumber = (flag: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${flag} must be a whole number.`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${flag} must be at least ${min}.`).max(max, `${flag} must be at most ${max}.`));

export const SynthesizeArgs = z.object({
  polis: existingDir("--polis"),
  out: z
    .string({ error: "--out is required." })
    .trim()
    .min(1, "--out is required.")
    .refine((p) => !fs.existsSync(p) || fs.statSync(p).isDirectory(), { message: "--out exists and is not a folder." }),
  groups: existingFile("--groups").optional(),
  seed: wholeNumber("--seed", 0, 2 ** 31 - 1).default(1),
  minGroupSize: wholeNumber("--min-group-size", 3, 1000).default(5),
  title: z.string().trim().min(1, "--title is empty.").max(160, "--title can have at most 160 characters.").optional(),
  /** The language of the report's fixed texts (an interface language; English when absent). */
  lang: z
    .string()
    .trim()
    .refine(isSupportedLanguage, { error: () => `--lang must be one of: ${languages().map((l) => l.code).join(", ")}.` })
    .optional(),
});
export type SynthesizeArgs = z.infer<typeof SynthesizeArgs>;

export const SYNTHESIZE_USAGE = `Usage: npm run synthesize -- --polis <export folder> --out <folder> [--groups mapping.csv] [--seed N] [--min-group-size N] [--title "..."] [--lang pt]

Runs the synthesis on a Polis openData export and writes report.json, report.md, report.html and
report.csv (with ATTRIBUTION.md) in --out. --groups is a CSV "participant,group" giving Polis
participants a declared stakeholder group. --lang writes the report's fixed texts (headings, method,
labels) in that language; the statements stay as written.`;

export const ImportPolisArgs = z.object({
  polis: existingDir("--polis"),
  facilitator: z.string({ error: "--facilitator is required." }).trim().toLowerCase().pipe(z.email("--facilitator must be an email address.")),
  slug: z.string({ error: "--slug is required." }).pipe(Slug),
  groups: existingFile("--groups").optional(),
  /** The consultation's languages, the main one first ("pt,en"); imported statements get the first. */
  languages: z
    .string()
    .regex(/^[a-z]{2,3}(,[a-z]{2,3})*$/, "--languages: language codes separated by commas, the main one first, like pt,en.")
    .transform((v) => v.split(","))
    .optional(),
});
export type ImportPolisArgs = z.infer<typeof ImportPolisArgs>;

export const IMPORT_POLIS_USAGE = `Usage: npm run import-polis -- --polis <export folder> --facilitator <email> --slug <web address> [--groups mapping.csv] [--languages pt,en]

Imports a Polis openData export as a consultation (in deliberation) of the facilitator's organisation,
in the database DATABASE_URL points to. --languages: the consultation's languages, the main one first
(default en); every imported statement is taken as written in the first.`;

/** Parses argv (without node and the script) against option names and a zod schema. */
export function parseCli<S extends z.ZodType>(
  argv: string[],
  options: Record<string, { type: "string" | "boolean" }>,
  schema: S,
  rename: Record<string, string> = {},
): z.output<S> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^.*?: /, "") || String(error));
  }
  const renamed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) renamed[rename[k] ?? k] = v;
  const parsed = schema.safeParse(renamed);
  if (!parsed.success) {
    const flagOf = Object.fromEntries(Object.entries(rename).map(([flag, key]) => [key, flag]));
    throw new UsageError(
      parsed.error.issues
        .map((i) => {
          const key = String(i.path[0] ?? "");
          return i.message.startsWith("--") || !key ? i.message : `--${flagOf[key] ?? key}: ${i.message}`;
        })
        .join("\n"),
    );
  }
  return parsed.data;
}

/** Runs a command's main: prints errors, sets the exit code (2 for usage errors). */
export async function runMain(usage: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
    process.exitCode = EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`Error: ${error.message}\n\n${usage}\n`);
      process.exitCode = EXIT.usage;
    } else {
      process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exitCode = EXIT.failed;
    }
  }
}

/** A progress line on stderr. */
export function progress(tag: string, message: string): void {
  process.stderr.write(`[${tag}] ${message}\n`);
}
