import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";

import { parseCsv } from "../polis/csv";
import { parseCli, SynthesizeArgs, UsageError } from "./args";
import { main, synthesizePolis } from "./synthesize";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** A copy of a real Polis export (CC BY 4.0, The Computational Democracy Project; see its README). */
const LONDON = path.join(ROOT, "consultations", "polis", "fixtures", "london.youth.policing");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "polyphony-synthesize-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const OPTIONS = {
  polis: { type: "string" },
  out: { type: "string" },
  groups: { type: "string" },
  seed: { type: "string" },
  "min-group-size": { type: "string" },
  title: { type: "string" },
  lang: { type: "string" },
} as const;
const parse = (argv: string[]) => parseCli(argv, OPTIONS, SynthesizeArgs, { "min-group-size": "minGroupSize" });

describe("synthesize arguments", () => {
  it("reads the options with defaults", () => {
    expect(parse(["--polis", LONDON, "--out", path.join(TMP, "x")])).toEqual({ polis: LONDON, out: path.join(TMP, "x"), seed: 1, minGroupSize: 5 });
    expect(parse(["--polis", LONDON, "--out", TMP, "--seed", "42", "--min-group-size", "7"])).toMatchObject({ seed: 42, minGroupSize: 7 });
    expect(parse(["--polis", LONDON, "--out", TMP, "--lang", "pt"])).toMatchObject({ lang: "pt" });
  });

  it.each([
    [["--out", TMP], "--polis is required."],
    [["--polis", LONDON], "--out is required."],
    [["--polis", "/no/such/folder", "--out", TMP], "--polis: no such folder."],
    [["--polis", LONDON, "--out", TMP, "--seed", "abc"], "--seed must be a whole number."],
    [["--polis", LONDON, "--out", TMP, "--min-group-size", "2"], "--min-group-size must be at least 3."],
    [["--polis", LONDON, "--out", TMP, "--groups", "/no/such.csv"], "--groups: no such file."],
    [["--polis", LONDON, "--out", path.join(LONDON, "votes.csv")], "--out exists and is not a folder."],
    [["--polis", LONDON, "--out", TMP, "--lang", "xx"], "--lang must be one of: en, el, lt, pl, pt."],
  ])("refuses %j with a clear message", (argv, message) => {
    expect(() => parse(argv as string[])).toThrowError(new UsageError(message));
  });

  it("refuses unknown options and options without a value", () => {
    expect(() => parse(["--polis", LONDON, "--out", TMP, "--sede", "3"])).toThrow(UsageError);
    expect(() => parse(["--polis"])).toThrow(UsageError);
  });

  it("main() exits with code 2 and prints the usage on bad arguments", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const before = process.exitCode;
    try {
      await main(["--polis", "/no/such/folder", "--out", TMP]);
      expect(process.exitCode).toBe(2);
      const written = stderr.mock.calls.map((c) => String(c[0])).join("");
      expect(written).toContain("Error: --polis: no such folder.");
      expect(written).toContain("Usage: npm run synthesize -- --polis <export folder> --out <folder>");
    } finally {
      stderr.mockRestore();
      process.exitCode = before;
    }
  });
});

describe("synthesizePolis on london.youth.policing", () => {
  const out = path.join(TMP, "london");
  const lines: string[] = [];
  const run = synthesizePolis({ polis: LONDON, out, seed: 1, minGroupSize: 5 }, (m) => lines.push(m));
  const json = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as Record<string, any>;

  it("writes report.json, report.md, report.html, report.csv and the attribution", () => {
    expect(fs.readdirSync(out).sort()).toEqual(["ATTRIBUTION.md", "report.csv", "report.html", "report.json", "report.md"]);
    expect(fs.readFileSync(path.join(out, "ATTRIBUTION.md"), "utf8")).toContain(
      "Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project.",
    );
    expect(fs.readFileSync(path.join(out, "report.md"), "utf8")).toContain("sub-licensed under CC BY 4.0");
    expect(fs.readFileSync(path.join(out, "report.html"), "utf8")).toMatch(/^<!doctype html>/);
  });

  it("reports progress", () => {
    expect(lines[0]).toBe(`reading Polis export ${LONDON}`);
    expect(lines[1]).toBe("read 39 comments (3 moderated out), 640 vote rows -> 638 latest votes on included comments, 26 participants");
    expect(lines.some((l) => /^synthesis +\d+% bootstrap$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^wrote 5 files in .* total \d+\.\d\d s$/);
  });

  it("lists every participant of participants-votes.csv with an integer opinion group or null", () => {
    const [header, ...rows] = parseCsv(fs.readFileSync(path.join(LONDON, "participants-votes.csv"), "utf8")).map((r) => r.fields);
    expect(header[0]).toBe("participant");
    const ids = rows.map((r) => r[0]);
    expect(json.participants.map((p: { id: string }) => p.id).sort()).toEqual([...ids].sort());
    for (const p of json.participants) expect(p.opinionGroup === null || Number.isInteger(p.opinionGroup)).toBe(true);
    // People with fewer than 7 votes are not clustered (24 and 13 voted twice and once).
    expect(json.participants.find((p: { id: string }) => p.id === "13").opinionGroup).toBeNull();
    expect(json.participants.filter((p: { opinionGroup: number | null }) => p.opinionGroup !== null)).toHaveLength(run.result.clustering.clusteredParticipants);
  });

  it("has statements with group-aware consensus and support by group, opinion groups and recommendations", () => {
    expect(json.statements).toHaveLength(36);
    for (const s of json.statements) {
      expect(typeof s.groupAwareConsensus).toBe("number");
      expect(s.groupAwareConsensus).toBeGreaterThan(0);
      expect(s.groupAwareConsensus).toBeLessThanOrEqual(1);
      expect(s.supportByGroup).toEqual({});
      expect(Object.keys(s.supportByOpinionGroup)).toHaveLength(run.result.clustering.k);
    }
    expect(json.opinionGroups).toHaveLength(run.result.clustering.k);
    expect(json.recommendations.length).toBe(run.result.recommendations.length);
    expect(json.recommendations.length).toBeGreaterThan(0);
    expect(json.source).toMatchObject({ kind: "polis", folder: "london.youth.policing", url: "https://pol.is/9xxwa9jpkm", licence: "https://creativecommons.org/licenses/by/4.0/" });
    expect(json.agreementWithPolisOpinionGroups.participants).toBe(24);
  });

  it("is deterministic for a seed", () => {
    const again = synthesizePolis({ polis: LONDON, out: path.join(TMP, "london-again"), seed: 1, minGroupSize: 5 });
    expect(again.result.recommendations).toEqual(run.result.recommendations);
    expect(again.result.participants).toEqual(run.result.participants);
  });

  it("with a groups mapping, compares declared groups and hides the small one", () => {
    const mapping = path.join(TMP, "groups.csv");
    const rows = ["participant,group"];
    for (let id = 1; id <= 26; id++) rows.push(`${id},${id <= 12 ? "Young people" : id <= 23 ? "Youth workers" : "Police"}`);
    fs.writeFileSync(mapping, rows.join("\n"));
    const mapped = synthesizePolis({ polis: LONDON, out: path.join(TMP, "london-groups"), groups: mapping, seed: 1, minGroupSize: 5 });
    expect(mapped.report.declaredGroups.map((g) => g.name)).toEqual(["Young people", "Youth workers", "Police"]);
    const rowsById = Object.fromEntries(mapped.report.participation.rows.map((r) => [r.id, r.participants]));
    // 26 participants: 12 + 11 + 3 (ids 24, 25, 26).
    expect(rowsById["young-people"]).toEqual({ suppressed: false, count: 12 });
    expect(rowsById.police).toEqual({ suppressed: true, minimum: 5, reason: "fewer" });
    const written = JSON.parse(fs.readFileSync(path.join(TMP, "london-groups", "report.json"), "utf8"));
    for (const s of written.statements) expect(Object.keys(s.supportByGroup).sort()).toEqual(["police", "young-people", "youth-workers"]);
  });
});

describe("npm run synthesize (the command itself)", () => {
  const exec = promisify(execFile);
  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
  const script = path.join(ROOT, "consultations", "cli", "synthesize.ts");

  it("runs on a Polis folder: exit 0, the files on stdout, progress on stderr", async () => {
    const out = path.join(TMP, "cli");
    const { stdout, stderr } = await exec(tsx, [script, "--polis", LONDON, "--out", out, "--seed", "3"], { cwd: ROOT });
    expect(stdout.trim().split("\n")).toEqual(["report.json", "report.md", "report.html", "report.csv", "ATTRIBUTION.md"].map((f) => path.join(out, f)));
    expect(stderr).toContain("[synthesize] synthesis done in");
  }, 60_000);

  it("exits with code 2 on a bad argument", async () => {
    const failure = await exec(tsx, [script, "--polis", LONDON], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain("Error: --out is required.");
  }, 60_000);
});
