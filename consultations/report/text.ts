/**
 * Small text helpers for reports: Markdown and HTML escaping of user text, opinion-group letters, shortening.
 * Pure and browser-safe. Words, numbers and percentages in the report's language are in locale.ts.
 */

/**
 * User text (a statement, a group name) as literal Markdown text on one line: whitespace collapsed,
 * and every character that could start Markdown markup backslash-escaped, so the text renders as the
 * words it is: no emphasis, links, autolinks (http://, www., e-mail), HTML, headings, lists or table cells.
 */
export function escapeMarkdown(text: string): string {
  // No-break spaces stay (numbers such as "12 345" must not break across lines).
  const oneLine = text.replace(/[^\S\u00a0\u202f]+/g, " ").trim();
  let out = oneLine.replace(/[\\`*_[\]<>#|~&@]/g, (c) => `\\${c}`);
  // GFM autolinks: "http://", "https://", "ftp://" and "www." become links; break them without changing the text.
  out = out.replace(/:\/\//g, "\\://").replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`);
  // Block markers at the start: list bullets, ordered-list numbers, quotes, setext/thematic lines.
  out = out.replace(/^([+\-=])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");
  return out;
}

/** HTML/XML text and attribute escaping (for SVG labels and the page head). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Opinion groups read as letters, as Polis shows them: 0 -> "A" ("Opinion group A"). */
export function opinionGroupLetter(id: number): string {
  if (id < 0) return "?";
  let n = id;
  let out = "";
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/** Shortens a text to at most `max` characters at a word boundary, with an ellipsis. */
export function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
