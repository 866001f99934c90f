import { describe, expect, it } from "vitest";

import { composeReport } from "./compose";
import { reportHtml, renderReportMarkdown } from "./html";
import { reportMarkdown } from "./markdown";
import { FIXTURE_GROUPS, fixtureResult } from "./testing/fixture";
import { escapeMarkdown } from "./text";
import type { Report } from "./types";

function report(options: { texts?: Record<string, string>; groupNames?: Record<string, string>; title?: string; description?: string; edits?: Record<string, string> } = {}): Report {
  const result = fixtureResult();
  for (const s of result.statements) if (options.texts?.[s.id]) s.text = options.texts[s.id];
  const groups = FIXTURE_GROUPS.map((g) => ({ ...g, name: options.groupNames?.[g.id] ?? g.name }));
  for (const g of result.declaredGroups) g.name = options.groupNames?.[g.id] ?? g.name;
  result.themes[1].label = options.texts?.theme ?? result.themes[1].label;
  return composeReport(result, {
    title: options.title ?? "Drug policy and policing",
    description: options.description ?? null,
    groups,
    generatedAt: "2026-11-23T10:00:00Z",
    minGroupSize: 5,
    edits: options.edits,
  });
}

const count = (haystack: string, needle: string | RegExp) => haystack.split(needle).length - 1;

describe("escapeMarkdown: user text renders as the words it is", () => {
  const strip = (html: string) =>
    html
      .replace(/<[^>]+>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&")
      .trim();

  it.each([
    "Plain words, nothing special.",
    "**bold** and _italic_ and `code` and ~~gone~~",
    "[a link](https://example.org) and ![img](x.png)",
    "<b>raw html</b> & <script>alert(1)</script>",
    "# not a heading",
    "- not a list",
    "1. not a list either",
    "> not a quote",
    "a | table | row",
    "visit https://evil.example or www.evil.example or mail me@evil.example",
    "back\\slash and &amp; entity",
  ])("%j", (text) => {
    const html = renderReportMarkdown(escapeMarkdown(text));
    expect(strip(html)).toBe(text);
    expect(html).not.toMatch(/<(a|em|strong|code|del|h\d|ul|ol|blockquote|table|img|script)\b/);
  });
});

describe("reportHtml: user text cannot inject markup", () => {
  const evil = {
    "pos-1": `<script>alert("s1")</script><svg onload="alert(1)"><circle r="5"/></svg>`,
    "pos-4": `</svg><img src=x onerror="alert(2)"> [click](javascript:alert(3))`,
    "pos-2": `"><svg/onload=alert(4)> <iframe src="https://evil.example"></iframe>`,
    theme: `<style>body{display:none}</style>Policing`,
  };
  const r = report({
    texts: evil,
    groupNames: { peers: `<script>alert("group")</script>`, sex: `"><svg onload=alert(5)>`, policy: `</text><script>alert(6)</script>` },
    title: `</title><script>alert(7)</script>`,
    description: `Hello <script>alert(8)</script> <svg onload=alert(9)></svg>\n\n# Big heading`,
    edits: { "pos-5": `<svg><script>alert(10)</script></svg>` },
  });
  const html = reportHtml(r);

  // Every "<" of user text is escaped, so each literal "<" starts a real tag: check the tags themselves.
  const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];

  it("has no script, event handler, javascript: URL, iframe, image or extra style tag from user text", () => {
    expect(tags.length).toBeGreaterThan(100);
    expect(tags.filter((t) => /^<(script|iframe|img|object|embed|foreignObject|math)\b/i.test(t))).toEqual([]);
    expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
    expect(tags.filter((t) => /javascript:/i.test(t))).toEqual([]);
    expect(tags.filter((t) => t.startsWith("<style"))).toEqual(["<style>"]); // the report's own stylesheet only
    expect(html).not.toMatch(/<script/i);
  });

  it("has exactly the SVG charts it generates: two maps and one bar chart per recommendation", () => {
    expect(r.recommendations).toHaveLength(3);
    expect(count(html, "<svg")).toBe(2 + 3);
    expect(count(html, "</svg>")).toBe(2 + 3);
  });

  it("shows the user text escaped, as text", () => {
    expect(html).toContain(`&lt;script&gt;alert("s1")&lt;/script&gt;&lt;svg onload="alert(1)"&gt;`);
    expect(html).toContain("<title>&lt;/title&gt;&lt;script&gt;alert(7)&lt;/script&gt;</title>");
    // A group name inside an SVG label is escaped too.
    expect(html).toMatch(/<text x="\d+" y="\d+">&quot;&gt;&lt;svg onload=alert\(5\)&gt;<\/text>/);
  });

  it("renders the facilitator's description with the app's user-Markdown rules (h1 becomes h3)", () => {
    expect(html).toContain("<h3>Big heading</h3>");
    expect(html).toContain("<h1>&lt;/title&gt;&lt;script&gt;alert(7)&lt;/script&gt;</h1>");
  });
});

describe("reportHtml: charts and print", () => {
  const html = reportHtml(report());

  it("has a CSS-only toggle between opinion and declared groups (radio inputs, no JavaScript)", () => {
    expect(html).toContain(`<input type="radio" name="map-colour" id="map-colour-opinion" class="map-toggle" checked>`);
    expect(html).toContain(`<input type="radio" name="map-colour" id="map-colour-declared" class="map-toggle">`);
    expect(html).toContain("#map-colour-declared:checked ~ .map-by-declared { display: block; }");
    expect(html).toContain("#map-colour-declared:checked ~ .map-by-opinion { display: none; }");
    expect(html).toContain(`<label for="map-colour-declared" class="map-controls">declared group</label>`);
  });

  it("marks groups by shape as well as colour, with a legend, and draws no Police point", () => {
    const declaredMap = html.slice(html.indexOf(`<figure class="map-view map-by-declared">`), html.indexOf("</figure>", html.indexOf("map-by-declared\">")));
    // Peers: circles, Sex workers: squares, Outreach workers: triangles, Policymakers: diamonds (polygons).
    expect(count(declaredMap, "<circle")).toBe(8 + 1); // 8 peers + legend marker
    expect(count(declaredMap, "<rect")).toBe(6 + 1 + 1); // 6 sex workers + legend marker + plot frame
    expect(count(declaredMap, "<polygon")).toBe(5 + 5 + 2); // outreach + policymakers + two legend markers
    for (const name of ["Peers who use drugs", "Sex workers", "Outreach workers", "Policymakers"]) expect(declaredMap).toContain(`>${name}</text>`);
    expect(declaredMap).not.toContain(">Police</text>");
    expect(declaredMap).toContain("are not drawn, in either view");
  });

  it("draws support bars with text labels for every group, and words instead of bars for hidden ones", () => {
    expect(html).toContain(">Peers who use drugs (8 votes): 88% agree, 13% disagree, 0% pass</text>");
    expect(html).toContain(">Police: fewer than 5 voted</text>");
    expect(html).toContain(">Outreach workers: not shown, to protect a smaller group</text>");
    expect(html).toContain(`<pattern id="bars-1-disagree"`);
    expect(html).toContain(`fill="url(#bars-1-pass)"`);
  });

  it("has a print stylesheet with page breaks, black text and both maps shown", () => {
    expect(html).toContain("@media print");
    expect(html).toContain("h2 { break-before: page;");
    expect(html).toContain(".block-recommendation, .chart-bars-wrap, figure, tr, blockquote { break-inside: avoid; }");
    expect(html).toContain(".map-view, .map-by-declared, .map-by-opinion { display: block !important; }");
  });

  it("keeps the report's own structure through the sanitizer", () => {
    expect(count(html, "<h2>")).toBe(count(reportMarkdown(report()), /^## /m));
    expect(html).toContain("<table>");
    expect(html).toContain("<blockquote>");
  });
});
