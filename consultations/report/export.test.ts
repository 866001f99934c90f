import { describe, expect, it } from "vitest";

import { parseCsv } from "../polis/csv";
import { composeReport } from "./compose";
import { reportCsv, reportJson, reportJsonObject } from "./export";
import { FIXTURE_GROUPS, FIXTURE_PEOPLE, fixtureResult } from "./testing/fixture";
import type { Report } from "./types";

function report(mutate?: (r: ReturnType<typeof fixtureResult>) => void, groups = FIXTURE_GROUPS): Report {
  const result = fixtureResult();
  mutate?.(result);
  return composeReport(result, { title: "T", groups, generatedAt: "2026-11-23T10:00:00Z", minGroupSize: 5, edits: { "pos-4": "Police stop confiscating needles" } });
}

describe("reportJson", () => {
  const json = JSON.parse(reportJson(report())) as Record<string, any>;

  it("is structured: sections, statements with suppressed figures, recommendations, opinion groups", () => {
    expect(json.format).toBe("polyphony-report/1");
    expect(json.statements).toHaveLength(6);
    expect(json.statements[0].supportByGroup.police).toEqual({ suppressed: true, minimum: 5, reason: "fewer" });
    expect(json.statements[0].supportByGroup.peers).toMatchObject({ suppressed: false, agree: 7, disagree: 1, pass: 0, n: 8 });
    expect(json.recommendations.map((r: { label: string }) => r.label)).toEqual(["P4", "P5", "P1"]);
    // Opinion group sizes below the minimum are hidden, and so is the one that would give them away.
    expect(json.opinionGroups.map((o: { size: unknown }) => o.size)).toEqual([
      { suppressed: false, count: 14 },
      { suppressed: true, minimum: 5, reason: "complement" },
      { suppressed: true, minimum: 5, reason: "fewer" },
    ]);
  });

  it("carries the map only as anonymous points {x, y, opinionGroup, declaredGroup}", () => {
    for (const p of json.map.points) expect(Object.keys(p).sort()).toEqual(["declaredGroup", "opinionGroup", "x", "y"]);
    const text = JSON.stringify(json);
    for (const p of FIXTURE_PEOPLE) expect(text).not.toContain(p.id);
    expect(text).not.toMatch(/pseudonym|participantId/i);
  });

  it("refuses to write a report that carries a participant id", () => {
    const bad = { ...report(), extra: [{ participantId: "x" }] } as unknown as Report;
    expect(() => reportJsonObject(bad)).toThrow("a report must not carry participantId (at report.extra[0])");
  });
});

describe("reportCsv", () => {
  it("has one row per statement with tallies and per-group rates", () => {
    const rows = parseCsv(reportCsv(report())).map((r) => r.fields);
    const [header, ...body] = rows;
    expect(body).toHaveLength(6);
    const col = (name: string) => header.indexOf(name);
    const p1 = body[0];
    expect(p1[col("statement")]).toBe("P1");
    expect(p1[col("agree")]).toBe("23");
    expect(p1[col("votes")]).toBe("28");
    expect(p1[col("agree %")]).toBe("82.1");
    expect(p1[col("recommendation")]).toBe("yes");
    expect(p1[col("Peers who use drugs: votes")]).toBe("8");
    expect(p1[col("Peers who use drugs: agree %")]).toBe("87.5");
    expect(p1[col("Police: agree %")]).toBe("fewer than 5");
    expect(p1[col("Outreach workers: agree %")]).toBe("not shown");
    expect(p1[col("Opinion group A: votes")]).toBe("14");
    const p4 = body[3];
    expect(p4[col("facilitator wording")]).toBe("Police stop confiscating needles");
    const p6 = body[5];
    expect(p6[col("votes")]).toBe("fewer than 5");
  });

  it("is safe against CSV injection in statement text and group names, and quotes properly", () => {
    const csv = reportCsv(
      report(
        (r) => {
          r.statements[0].text = '=HYPERLINK("http://evil.example","click")';
          r.statements[1].text = "+cmd|' /C calc'!A0";
          r.statements[2].text = "-2+3";
          r.statements[3].text = "@SUM(1+1)";
          r.statements[4].text = "\tindented, with a comma";
          r.statements[5].text = 'line one\r\nline "two"';
        },
        FIXTURE_GROUPS.map((g) => (g.id === "peers" ? { ...g, name: "=1+1" } : g)),
      ),
    );
    const rows = parseCsv(csv).map((r) => r.fields);
    const [header, ...body] = rows;
    const text = body.map((r) => r[header.indexOf("text")]);
    expect(text).toEqual([
      `'=HYPERLINK("http://evil.example","click")`,
      "'+cmd|' /C calc'!A0",
      "'-2+3",
      "'@SUM(1+1)",
      "'\tindented, with a comma",
      'line one\r\nline "two"',
    ]);
    expect(header).toContain("'=1+1: votes");
    // No cell anywhere starts a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  });
});
