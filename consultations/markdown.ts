/**
 * User Markdown -> safe HTML: marked, then sanitize-html with a small allow-list.
 * No images, no raw HTML, no inline styles; absolute links only to http(s)/mailto (relative links stay on
 * this site), all marked rel="nofollow ugc".
 * Server-only (keeps marked and the sanitizer out of the browser bundle).
 */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// Raw HTML in user Markdown (block or inline) is shown as the text it is, never parsed as markup.
const marked = new Marked({ gfm: true, breaks: true, async: false, renderer: {
    html: (token) => ("block" in token && token.block ? `<p>${escapeHtml(token.text)}</p>\n` : escapeHtml(token.text)),
  },
});

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
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, SANITIZE);
}

/** Renders Markdown and returns plain text (for excerpts, titles, CSV). */
export function markdownToText(markdown: string): string {
  return sanitizeHtml(renderMarkdown(markdown), { allowedTags: [], allowedAttributes: {} })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
