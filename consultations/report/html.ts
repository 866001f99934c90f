/**
 * The report as one self-contained HTML page: the Markdown blocks rendered with marked and sanitized
 * with the same rules as consultations/markdown.ts (statement text is user content), and between them
 * inline SVG charts generated in svg.ts from numbers and escaped labels. The charts are added AFTER
 * sanitizing, next to the sanitized blocks, so the sanitizer never has to allow SVG: nothing from a
 * statement or a group name can reach the page as markup.
 *
 * The map has a CSS-only toggle (radio inputs, no JavaScript) between colouring by opinion group and by
 * declared group. A print stylesheet gives page breaks and black-and-white-safe output.
 * Server-only (marked + sanitize-html).
 */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

import { renderMarkdown } from "../markdown";
import { LANGUAGE_CODE } from "../languages";
import { reportLocale } from "./locale";
import { LANG_CLOSE, LANG_MID, LANG_OPEN, reportBlocks } from "./markdown";
import { barsSvg, mapSvg } from "./svg";
import { escapeHtml } from "./text";
import type { Report } from "./types";

// Same Markdown setup as consultations/markdown.ts: raw HTML in the text is shown as text, never parsed.
const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: (token) => ("block" in token && token.block ? `<p>${escapeHtml(token.text)}</p>\n` : escapeHtml(token.text)),
  },
});

/**
 * The allow-list of consultations/markdown.ts, plus h1 and h2 for the report's own headings (user text
 * is escaped before it reaches Markdown, so it cannot make headings). No SVG, no style, no images.
 */
export const REPORT_SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ["h1", "h2", "p", "br", "strong", "em", "del", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td"],
  allowedAttributes: { a: ["href", "rel"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "nofollow ugc noopener noreferrer" } }),
  },
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "iframe", "object", "embed", "svg", "math"],
};

/** Report Markdown (escaped user text inside) -> sanitized HTML. */
export function renderReportMarkdown(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown) as string, REPORT_SANITIZE);
}

const STYLE = `
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; background: #fff; max-width: 54rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 .6rem; border-bottom: 2px solid #111; padding-bottom: .2rem; }
h3 { font-size: 1.2rem; margin: 1.6rem 0 .4rem; }
h4 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .6rem 0; }
th, td { border: 1px solid #888; padding: .25rem .45rem; vertical-align: top; text-align: left; }
th[align="right"], td[align="right"] { text-align: right; }
/* Phones (320 px up): long table headers wrap, so the page never scrolls sideways (WCAG 1.4.10). */
@media (max-width: 30rem) {
  body { margin-top: 1rem; padding: 0 .75rem; }
  table { font-size: .8rem; }
  th, td { padding: .2rem .25rem; overflow-wrap: anywhere; hyphens: auto; }
}
blockquote { margin: .8rem 0; padding: .2rem 0 .2rem 1rem; border-left: 4px solid #444; color: #222; }
.block-recommendation { border-left: 4px solid #0072B2; padding-left: .9rem; margin-top: 1.4rem; }
figure { margin: 1rem 0; }
figcaption { font-size: .9rem; color: #333; }
svg.chart { max-width: 100%; height: auto; display: block; }
.chart-bars-wrap { margin: .4rem 0 1.6rem; }
.map-controls { margin: .6rem .8rem .6rem 0; }
label.map-controls { cursor: pointer; margin-left: .2rem; }
.map-by-declared { display: none; }
#map-colour-declared:checked ~ .map-by-declared { display: block; }
#map-colour-declared:checked ~ .map-by-opinion { display: none; }
@media print {
  @page { margin: 16mm 14mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; color: #000; }
  h2 { break-before: page; border-bottom-color: #000; }
  .block-summary h2 { break-before: auto; }
  h2, h3, h4 { break-after: avoid; }
  .block-recommendation, .chart-bars-wrap, figure, tr, blockquote { break-inside: avoid; }
  thead { display: table-header-group; }
  .block-recommendation { border-left: 2px solid #000; }
  blockquote { border-left-color: #000; color: #000; }
  a { color: #000; text-decoration: underline; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; }
  input.map-toggle, .map-controls { display: none; }
  .map-view, .map-by-declared, .map-by-opinion { display: block !important; }
  figure.map-view { break-before: page; }
}
`;

/**
 * The language marks of reportBlocks (user text of a known language) as <span lang="…">, after
 * sanitizing. Only whole marks with a valid code become spans; any stray mark character is dropped.
 */
const LANG_SPAN = new RegExp(`${LANG_OPEN}([a-z]{2,3})${LANG_MID}([^${LANG_OPEN}${LANG_MID}${LANG_CLOSE}]*)${LANG_CLOSE}`, "g");
const STRAY_MARK = new RegExp(`[${LANG_OPEN}${LANG_MID}${LANG_CLOSE}]`, "g");
export function languageSpans(html: string): string {
  return html
    .replace(LANG_SPAN, (whole, code: string, text: string) => (LANGUAGE_CODE.test(code) ? `<span lang="${code}">${text}</span>` : text))
    .replace(STRAY_MARK, "");
}

function mapHtml(report: Report): string {
  const loc = reportLocale(report.language);
  const caption = (what: "opinion" | "declared") =>
    `<figcaption>${escapeHtml(loc.t("doc.mapCaption", { what: loc.t(what === "opinion" ? "chart.opinionGroup" : "chart.declaredGroup") }))}${
      report.map.omittedNote ? ` ${escapeHtml(report.map.omittedNote)}` : ""
    } ${escapeHtml(loc.t(what === "opinion" ? "doc.mapOpinionAlt" : "doc.mapDeclaredAlt"))}</figcaption>`;
  if (!report.map.points.length) return `<p><em>${escapeHtml(loc.t("doc.nobodyOnMap"))}</em></p>`;
  const opinion = `<figure class="map-view map-by-opinion">${mapSvg(report.map, "opinion", "map-opinion", loc)}${caption("opinion")}</figure>`;
  if (!report.declaredGroups.length) {
    return `<div class="map">${opinion}<p><em>${escapeHtml(loc.t("doc.mapOpinionOnly"))}</em></p></div>`;
  }
  const declared = `<figure class="map-view map-by-declared">${mapSvg(report.map, "declared", "map-declared", loc)}${caption("declared")}</figure>`;
  return [
    `<div class="map">`,
    // Inputs, labels and figures are siblings: "#…:checked ~ figure" switches the view without JavaScript.
    `<span class="map-controls">${escapeHtml(loc.t("doc.colourBy"))}</span>`,
    `<input type="radio" name="map-colour" id="map-colour-opinion" class="map-toggle" checked>`,
    `<label for="map-colour-opinion" class="map-controls">${escapeHtml(loc.t("doc.byOpinion"))}</label>`,
    `<input type="radio" name="map-colour" id="map-colour-declared" class="map-toggle">`,
    `<label for="map-colour-declared" class="map-controls">${escapeHtml(loc.t("doc.byDeclared"))}</label>`,
    opinion,
    declared,
    `</div>`,
  ].join("\n");
}

/** The report as a complete HTML document. */
export function reportHtml(report: Report): string {
  const recById = new Map(report.recommendations.map((r) => [r.statementId, r]));
  let barIndex = 0;
  const body: string[] = [];
  const loc = reportLocale(report.language);
  for (const block of reportBlocks(report, { markLanguages: true })) {
    switch (block.kind) {
      case "markdown":
        body.push(`<div class="block block-${block.section}">\n${languageSpans(renderReportMarkdown(block.markdown))}</div>`);
        break;
      case "user-markdown":
        body.push(`<div class="block block-description">\n${renderMarkdown(block.markdown)}</div>`);
        break;
      case "bars": {
        const rec = recById.get(block.statementId);
        if (!rec) break;
        const chart = `<div class="chart-bars-wrap">${barsSvg(rec, `bars-${(barIndex += 1)}`, loc)}</div>`;
        // Inside the recommendation's own block, so it prints with it.
        const last = body.length - 1;
        if (last >= 0 && body[last].startsWith(`<div class="block block-recommendation">`)) body[last] = body[last].replace(/<\/div>$/, `${chart}</div>`);
        else body.push(chart);
        break;
      }
      case "map":
        body.push(mapHtml(report));
        break;
    }
  }
  return [
    "<!doctype html>",
    `<html lang="${escapeHtml(loc.lang)}">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="generator" content="Polyphony">`,
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<main class="report">`,
    ...body,
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
