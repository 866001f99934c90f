/**
 * User Markdown -> safe HTML: marked, then sanitize-html with a small allow-list.
 * No images, no raw HTML, no inline styles; links only to http(s)/mailto and marked rel="nofollow ugc".
 * Server-only (keeps marked and the sanitizer out of the browser bundle).
 */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: true, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "strong", "em", "del", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td"],
  allowedAttributes: { a: ["href", "rel"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // Headings in user text never outrank the page's own: h1/h2 become h3.
  transformTags: {
    h1: "h3",
    h2: "h3",
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "nofollow ugc noopener noreferrer" } }),
  },
  // Drop the text inside these entirely, not just the tags.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "iframe", "object", "embed", "svg", "math"],
};

/** Renders Markdown to sanitized HTML. Raw HTML in the input is escaped text, never markup. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(escapeRawHtml(markdown)) as string;
  return sanitizeHtml(html, SANITIZE);
}

/** Renders Markdown and returns plain text (for excerpts, titles, CSV). */
export function markdownToText(markdown: string): string {
  return sanitizeHtml(renderMarkdown(markdown), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** People write "<3" and "a < b": treat every "<" as text, so raw HTML never reaches the parser. */
function escapeRawHtml(markdown: string): string {
  return markdown.replace(/</g, "&lt;");
}
