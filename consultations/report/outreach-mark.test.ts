/** The "entered by outreach" mark on statements an outreach worker entered for their authors (consultations/proxy.ts). */
import { describe, expect, it } from "vitest";

import { composeReport } from "./compose";
import { reportJson } from "./export";
import { reportHtml } from "./html";
import { reportMarkdown } from "./markdown";
import { FIXTURE_GROUPS, fixtureResult } from "./testing/fixture";

const compose = (enteredByOutreach?: string[]) =>
  composeReport(fixtureResult(), { title: "T", groups: FIXTURE_GROUPS, generatedAt: "2026-11-23T10:00:00Z", minGroupSize: 5, ...(enteredByOutreach ? { enteredByOutreach } : {}) });

describe("the outreach mark in reports", () => {
  it("follows every citation of a marked statement, and no other", () => {
    const report = compose(["pos-4"]);
    const marked = report.statements.find((s) => s.id === "pos-4")!;
    expect(marked.enteredByOutreach).toBe(true);
    expect(report.statements.filter((s) => s.enteredByOutreach).map((s) => s.id)).toEqual(["pos-4"]);
    const md = reportMarkdown(report);
    const cites = md.split(`\\[${marked.label}\\]`).length - 1;
    const markedCites = md.split(`\\[${marked.label}\\] _(entered by outreach)_`).length - 1;
    // Cited in the recommendations and the appendix at least: every citation carries the mark.
    expect(cites).toBeGreaterThanOrEqual(2);
    expect(markedCites).toBe(cites);
    expect(md.split("_(entered by outreach)_").length - 1).toBe(cites);
    expect(reportHtml(report)).toContain(`[${marked.label}] <em>(entered by outreach)</em>`);
    expect(JSON.parse(reportJson(report)).statements.find((s: { id: string }) => s.id === "pos-4").enteredByOutreach).toBe(true);
  });

  it("is absent when nothing was entered by outreach", () => {
    const report = compose();
    expect(report.statements.every((s) => s.enteredByOutreach === false)).toBe(true);
    expect(reportMarkdown(report)).not.toContain("entered by outreach");
  });
});
