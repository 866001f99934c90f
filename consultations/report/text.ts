/**
 * Small text helpers for reports: Markdown and HTML escaping of user text, percentages, plurals, labels.
 * Pure and browser-safe.
 */

/**
 * User text (a statement, a group name) as literal Markdown text on one line: whitespace collapsed,
 * and every character that could start Markdown markup backslash-escaped, so the text renders as the
 * words it is: no emphasis, links, autolinks (http://, www., e-mail), HTML, headings, lists or table cells.
 */
export function escapeMarkdown(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
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

/** 0.6666 -> "67%". */
export function pct(share: number): string {
  if (!Number.isFinite(share)) return "–";
  return `${Math.round(share * 100)}%`;
}

/** 0.123456 -> "0.12" (fixed decimals, for tables). */
export function fixed(x: number | null | undefined, digits = 2): string {
  return typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "–";
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}

/** Opinion groups read as letters, as Polis shows them: 0 -> "Opinion group A". */
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

export function opinionGroupName(id: number | string): string {
  return `Opinion group ${opinionGroupLetter(Number(id))}`;
}

/** A list in words: ["a", "b", "c"] -> "a, b and c". */
export function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Shortens a text to at most `max` characters at a word boundary, with an ellipsis. */
export function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
