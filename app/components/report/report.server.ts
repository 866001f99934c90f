/**
 * Server-only helpers for the report pages (public report and the facilitator's preview).
 *
 * The report module (consultations/report) renders a report as one self-contained HTML document. To show
 * it inside an app page, `embeddableReport` takes the document's <main> and <style>, sanitizes the markup
 * again with an allow-list that covers the report's own elements (Markdown blocks and its inline SVG
 * charts, the radio buttons of its CSS-only map toggle) and nothing else (no script, no event handler
 * attribute, no style attribute, no foreign link scheme), and scopes the style sheet to one wrapper class
 * so it cannot restyle the rest of the page. The result is what the page passes to
 * dangerouslySetInnerHTML (components/report/report-view.tsx).
 */
import sanitizeHtml from "sanitize-html";
import { countText, figureText, fullFigureText } from "../../../consultations/report/figures";

export { countText, figureText, fullFigureText };

/** The class of the element that holds an embedded report (its CSS is scoped to it). */
export const REPORT_SCOPE = "report-embed";

const SVG_TAGS = ["svg", "g", "defs", "pattern", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text", "tspan", "title", "desc"];
const SVG_ATTRIBUTES = [
  "xmlns", "viewBox", "width", "height", "role", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "d", "points",
  "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "opacity",
  "transform", "patternUnits", "patternTransform", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
];

const EMBED_SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "main", "div", "section", "span", "figure", "figcaption", "label", "input",
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "strong", "em", "del", "ul", "ol", "li", "a", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    ...SVG_TAGS,
  ],
  allowedAttributes: {
    "*": ["class", "id", "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden", "role", "lang"],
    a: ["href", "rel"],
    th: ["align", "scope", "colspan", "rowspan"],
    td: ["align", "colspan", "rowspan"],
    label: ["for"],
    input: ["type", "name", "id", "class", "checked", "aria-label"],
    ...Object.fromEntries(SVG_TAGS.map((tag) => [tag, SVG_ATTRIBUTES])),
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // SVG attribute names are case-sensitive (viewBox, patternUnits).
  parser: { lowerCaseAttributeNames: false, lowerCaseTags: false },
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "nofollow ugc noopener noreferrer" } }),
    // Only the map toggle's radio buttons.
    input: (tagName, attribs) => (attribs.type === "radio" ? { tagName, attribs } : { tagName: "span", attribs: {} }),
  },
  exclusiveFilter: (frame) =>
    // Paint only from the page itself (url(#pattern)), never from elsewhere.
    Object.entries(frame.attribs).some(([name, value]) => /^(fill|stroke)$/i.test(name) && /url\(\s*['"]?(?!#)/i.test(value)),
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "object", "embed", "math"],
};

/** Sanitizes report markup for embedding (see the allow-list above). */
export function sanitizeReportMarkup(html: string): string {
  return sanitizeHtml(html, EMBED_SANITIZE);
}

/**
 * Scopes a style sheet to `.${scope}`: `body`, `html` and `:root` become the wrapper itself, every other
 * selector is prefixed; @media blocks are scoped inside; @page and @font-face are left alone, any other
 * at-rule is dropped. Comments are removed.
 */
export function scopeCss(css: string, scope = REPORT_SCOPE): string {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, "");
  const out: string[] = [];
  let i = 0;
  const block = (from: number): number => {
    // Index just after the "}" matching the "{" at `from`.
    let depth = 0;
    for (let j = from; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}" && --depth === 0) return j + 1;
    }
    return text.length;
  };
  while (i < text.length) {
    const open = text.indexOf("{", i);
    if (open < 0) break;
    const prelude = text.slice(i, open).trim();
    const end = block(open);
    const body = text.slice(open + 1, end - 1);
    if (prelude.startsWith("@media")) out.push(`${prelude} {\n${scopeCss(body, scope)}\n}`);
    else if (prelude.startsWith("@page") || prelude.startsWith("@font-face")) out.push(`${prelude} {${body}}`);
    else if (!prelude.startsWith("@") && prelude) {
      const selectors = prelude
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => {
          const rest = s.replace(/^(html|body|:root)\b/, "").trim();
          if (rest !== s) return rest ? `.${scope} ${rest}` : `.${scope}`;
          return `.${scope} ${s}`;
        });
      out.push(`${selectors.join(", ")} {${body}}`);
    }
    i = end;
  }
  return out.join("\n");
}

export interface EmbeddedReport {
  /** Sanitized markup of the report's <main> (what goes into dangerouslySetInnerHTML). */
  html: string;
  /** The report's style sheet, scoped to `.report-embed`. */
  css: string;
}

/** A report HTML document (reportHtml) as markup and scoped CSS for an app page. */
export function embeddableReport(document: string): EmbeddedReport {
  const main = /<main\b[^>]*>([\s\S]*)<\/main>/i.exec(document)?.[1] ?? /<body\b[^>]*>([\s\S]*)<\/body>/i.exec(document)?.[1] ?? "";
  const styles = [...document.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]).join("\n");
  // The sheet goes into a <style> element: it must not be able to close it.
  const css = scopeCss(styles).replace(/<\/?style/gi, "");
  return { html: sanitizeReportMarkup(main), css };
}

const DOWNLOADS_CSS = `
.report-downloads { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 54rem; margin: 1rem auto 1.5rem; padding: .6rem 1rem; border: 1px solid #8a8a8a; border-radius: 6px; }
.report-downloads p { margin: 0 0 .4rem; color: #333; }
.report-downloads ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; }
.report-downloads a { color: #1d3a6e; }
.report-downloads p.report-languages { margin: 0 0 .4rem; }
@media print { .report-downloads { display: none !important; } }
`;

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export interface PublicPageOptions {
  /** The language of the page's fixed texts (the report's). */
  lang?: string;
  /** The whole <title>. */
  title: string;
  /** Shown above the report ("Published 3 March 2026."). */
  publishedText: string;
  downloads: Array<{ href: string; label: string }>;
  /** The bar's fixed texts in the page's language (English when absent). */
  texts?: { downloads: string; printHint: string; otherLanguages: string };
  /** The report in each of the consultation's languages (shown when there are two or more). */
  languages?: Array<{ code: string; name: string; href: string; current: boolean }>;
}

/**
 * The public report page as one light HTML document: no script, the report module's own style sheet
 * (with its print rules, so "Print / Save as PDF" gives a clean document), a download bar that is not
 * printed, and the report's markup sanitized again with the report allow-list.
 */
export function publicReportDocument(document: string, options: PublicPageOptions): string {
  const main = /<main\b[^>]*>([\s\S]*)<\/main>/i.exec(document)?.[1] ?? "";
  const styles = [...document.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]).join("\n").replace(/<\/?style/gi, "");
  const links = options.downloads.map((d) => `<li><a href="${escapeText(d.href)}" download>${escapeText(d.label)}</a></li>`).join("");
  const texts = options.texts ?? { downloads: "Downloads", printHint: "To keep a PDF, use your browser's Print and choose \"Save as PDF\".", otherLanguages: "This report in:" };
  const lang = /^[a-z]{2,3}$/.test(options.lang ?? "") ? options.lang! : "en";
  const languageLinks = (options.languages ?? []).length > 1
    ? `<p class="report-languages">${escapeText(texts.otherLanguages)} ${options
        .languages!.map((l) =>
          l.current
            ? `<strong lang="${escapeText(l.code)}" aria-current="page">${escapeText(l.name)}</strong>`
            : `<a href="${escapeText(l.href)}" hreflang="${escapeText(l.code)}" lang="${escapeText(l.code)}">${escapeText(l.name)}</a>`,
        )
        .join(" · ")}</p>`
    : "";
  return [
    "<!doctype html>",
    `<html lang="${lang}">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="referrer" content="same-origin">`,
    `<title>${escapeText(options.title)}</title>`,
    `<link rel="icon" href="/favicon.svg" type="image/svg+xml">`,
    `<style>${styles}</style>`,
    `<style>${DOWNLOADS_CSS}</style>`,
    "</head>",
    "<body>",
    `<nav class="report-downloads" aria-label="${escapeText(texts.downloads)}">`,
    `<p>${escapeText(options.publishedText)} ${escapeText(texts.printHint)}</p>`,
    languageLinks,
    `<ul>${links}</ul>`,
    "</nav>",
    `<main class="report">`,
    sanitizeReportMarkup(main),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** A small page for "not found" (the public report before it is published). */
export function notFoundDocument(message: string, texts: { lang: string; title: string; home: string } = { lang: "en", title: "Not found", home: "Polyphony home" }): string {
  const lang = /^[a-z]{2,3}$/.test(texts.lang) ? texts.lang : "en";
  return [
    "<!doctype html>",
    `<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeText(texts.title)} · Polyphony</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#111}</style></head>`,
    `<body><main><h1>${escapeText(texts.title)}</h1><p>${escapeText(message)}</p><p><a href="/">${escapeText(texts.home)}</a></p></main></body></html>`,
    "",
  ].join("\n");
}
