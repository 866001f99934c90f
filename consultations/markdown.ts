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

/**
 * Rendered texts, by source: rendering is a pure function of the text, and a consultation page renders
 * the same fifty positions for every reader (marked + sanitize-html cost ~1.5 ms for them). Least recently
 * used out first; a text longer than CACHE_MAX_CHARS is rendered every time.
 */
const CACHE_ENTRIES = 5000;
const CACHE_MAX_CHARS = 4000;
const rendered = new Map<string, string>();

/** Renders Markdown to sanitized HTML. Raw HTML in the input is escaped text, never markup. */
export function renderMarkdown(markdown: string): string {
  const cached = rendered.get(markdown);
  if (cached !== undefined) {
    // Most recently used goes to the end.
    rendered.delete(markdown);
    rendered.set(markdown, cached);
    return cached;
  }
  const html = sanitizeHtml(marked.parse(markdown) as string, SANITIZE);
  if (markdown.length <= CACHE_MAX_CHARS) {
    rendered.set(markdown, html);
    if (rendered.size > CACHE_ENTRIES) rendered.delete(rendered.keys().next().value!);
  }
  return html;
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

/** An HTML attribute value as a browser reads it: numeric and the few named references that matter. */
function decodeReferences(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16) || 0xfffd))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number.parseInt(dec, 10) || 0xfffd))
    .replace(/&colon;/gi, ":")
    .replace(/&tab;/gi, "\t")
    .replace(/&newline;/gi, "\n")
    .replace(/&amp;/gi, "&");
}

/** A link target a viewer may follow: relative (not protocol-relative), http(s) or mailto. */
function isSafeLink(href: string): boolean {
  // eslint-disable-next-line no-control-regex
  const cleaned = decodeReferences(href).replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  if (cleaned.startsWith("//") || cleaned.startsWith("\\")) return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === "http" || scheme === "https" || scheme === "mailto";
}

/** How many passes `inertMarkdownSource` makes at most (a pass can uncover Markdown inside escaped HTML). */
const INERT_PASSES = 5;

/**
 * User Markdown made safe to hand out AS Markdown (the report's .md file), for whatever viewer opens it,
 * one that renders raw HTML and follows any link included: raw HTML becomes the text it is, images become
 * their description, and links to anything but http(s), mailto or this site become their text. What
 * renderMarkdown would show stays as it is.
 */
export function inertMarkdownSource(markdown: string): string {
  let source = markdown;
  for (let pass = 0; pass < INERT_PASSES; pass++) {
    const swaps: Array<[string, string]> = [];
    marked.walkTokens(marked.lexer(source), (token) => {
      if (token.type === "html") swaps.push([token.raw, escapeHtml(token.raw)]);
      else if (token.type === "image") swaps.push([token.raw, escapeHtml(token.text)]);
      else if (token.type === "link" && !isSafeLink(token.href)) swaps.push([token.raw, escapeHtml(token.text)]);
    });
    if (!swaps.length) return source;
    // Tokens come in document order: replace each at or after the end of the previous one.
    let out = "";
    let rest = source;
    for (const [raw, safe] of swaps) {
      const at = rest.indexOf(raw);
      if (at < 0) continue;
      out += rest.slice(0, at) + safe;
      rest = rest.slice(at + raw.length);
    }
    source = out + rest;
  }
  // Still changing after every pass: give up on Markdown and hand out the text escaped as a whole.
  return escapeHtml(source);
}
