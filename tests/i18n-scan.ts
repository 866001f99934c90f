/**
 * Finds the English messages the domain and the servers can show to a person, by reading the source:
 * string literals passed to the domain's error helpers, zod messages, rate-limit and socket messages,
 * HTTP error texts. Used by consultations/messages-coverage.test.ts to check that each one has a
 * translation (the `messages` namespace of consultations/locales/en.json, directly or via a template).
 *
 * Deliberately simple: regular expressions find the call shapes, a small reader takes the call's
 * arguments (balanced brackets, strings skipped) and keeps the sentence-like string literals in them.
 * A template literal's `${...}` parts become "{{}}" (matched by any {{placeholder}} of a catalogue key).
 */
import fs from "node:fs";
import path from "node:path";

export interface FoundMessage {
  /** The English text, "{{}}" where the source has `${...}`. */
  text: string;
  /** file:line */
  where: string;
  /** A label (a value put into a template, such as a field name), not a sentence. */
  label?: boolean;
}

/** Calls whose arguments are messages. */
const CALLS: RegExp[] = [
  /(?<![\w.])(invalid|conflict|forbidden|unauthenticated)\(/g,
  /\bnew (DomainError|HttpError|RateLimited)\(/g,
  /(?<![\w.])(fail|handshakeError|parseInput|done)\(/g,
  /\bnew Response\(/g,
  /\.send\(/g,
  // zod
  /\.(min|max|int|regex|refine|length|email|url)\(/g,
  /\bz\.(email|string|number|enum|union|discriminatedUnion|object|literal)\(/g,
];
/** `message: "..."` / `error: "..."` properties (zod, rate limits, socket notices, action results). */
const PROPERTIES = /(?<![\w.])(message|error)\s*:\s*/g;
/** The first argument is a label put into the schema's message templates (consultations/schemas.ts). */
const LABEL_CALLS = /(?<![\w.])(text|optionalText)\(/g;
/** noControl(schema, label): the last argument is a label. */
const NO_CONTROL = /(?<![\w.])noControl\(/g;
/** Default parameters that are messages: `(message = "You are not allowed to do this.")`. */
const DEFAULTS = /\(\s*\w+\s*=\s*(?=["`])/g;
/** notFound("This position") reads "This position was not found.". */
const NOT_FOUND = /(?<![\w.])notFound\(/g;
/** Tables of messages: every sentence-like string literal in the block after the marker. */
const TABLES: Array<{ file: RegExp; marker: RegExp }> = [
  { file: /consultations\/phases\.ts$/, marker: /const WHY_NOT\b[^=]*=\s*/ },
  { file: /consultations\/rate-limits\.ts$/, marker: /function inPlainWords\([^)]*\)[^{]*/ },
  { file: /realtime\/sockets\.ts$/, marker: /function invalidMessage\([^)]*\)[^{]*/ },
];

interface Literal {
  text: string;
  index: number;
}

/** Reads a quoted string or template literal starting at `start`; returns its text and the index after it. */
function readString(source: string, start: number): { text: string; end: number } {
  const quote = source[start]!;
  let text = "";
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      text += next === "n" ? "\n" : next === "u" ? String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16)) : next;
      i += next === "u" ? 6 : 2;
      continue;
    }
    if (c === quote) return { text, end: i + 1 };
    if (quote === "`" && c === "$" && source[i + 1] === "{") {
      i = skipBalanced(source, i + 1);
      text += "{{}}";
      continue;
    }
    text += c;
    i++;
  }
  return { text, end: i };
}

/** From an opening bracket at `start`, the index after its closing one (strings skipped). */
function skipBalanced(source: string, start: number, literals?: Literal[]): number {
  let depth = 0;
  let i = start;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '"' || c === "'" || c === "`") {
      const s = readString(source, i);
      literals?.push({ text: s.text, index: i });
      i = s.end;
      continue;
    }
    if (c === "/" && source[i + 1] === "/") {
      i = source.indexOf("\n", i);
      if (i < 0) return source.length;
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      i = source.indexOf("*/", i) + 2;
      if (i < 2) return source.length;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** Looks like a sentence or a label someone reads: starts with a capital or a placeholder, has a space or ends with a stop. */
export function isSentence(text: string): boolean {
  return /^(\{\{\}\}|[A-Z])/.test(text) && /[a-z]/.test(text) && (/\s/.test(text) || /[.!?]$/.test(text));
}

function lineOf(source: string, index: number): number {
  return source.slice(0, index).split("\n").length;
}

/** Source with comments blanked (same length, so indexes and lines stay). */
function withoutComments(source: string): string {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '"' || c === "'" || c === "`") {
      const { end } = readString(source, i);
      out += source.slice(i, end);
      i = end;
    } else if (c === "/" && source[i + 1] === "/") {
      const end = source.indexOf("\n", i);
      const stop = end < 0 ? source.length : end;
      out += " ".repeat(stop - i);
      i = stop;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else if (c === "/" && /[(,=:[!&|?{};]\s*$/.test(out)) {
      // A regular expression literal: copy it through its closing slash.
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== "\n") {
        if (source[j] === "\\") j += 2;
        else {
          if (source[j] === "[") inClass = true;
          else if (source[j] === "]") inClass = false;
          else if (source[j] === "/" && !inClass) break;
          j++;
        }
      }
      out += source.slice(i, j + 1).replace(/["'`]/g, " ");
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** String constants of a file: `const NAME = "..."`. */
function constantsOf(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(/\bconst ([A-Z][A-Z0-9_]*)\s*(?::\s*string\s*)?=\s*(?=["`])/g)) {
    out.set(m[1]!, readString(source, m.index! + m[0].length).text);
  }
  return out;
}

export function scanSource(source: string, file: string): FoundMessage[] {
  const code = withoutComments(source);
  const constants = constantsOf(code);
  const found: FoundMessage[] = [];
  const add = (text: string, index: number, label = false) => found.push({ text, where: `${file}:${lineOf(code, index)}`, ...(label ? { label } : {}) });

  /** The literals in a call's arguments, the call's `(` at `open`; bare UPPER_CASE constants resolved. */
  const argumentsAt = (open: number): Literal[] => {
    const literals: Literal[] = [];
    const end = skipBalanced(code, open, literals);
    for (const m of code.slice(open, end).matchAll(/(?<![\w."'`.])([A-Z][A-Z0-9_]{2,})(?![\w(.])/g)) {
      const value = constants.get(m[1]!);
      if (value !== undefined) literals.push({ text: value, index: open + m.index! });
    }
    return literals;
  };

  for (const pattern of CALLS) {
    for (const m of code.matchAll(pattern)) {
      for (const literal of argumentsAt(m.index! + m[0].length - 1)) if (isSentence(literal.text)) add(literal.text, literal.index);
    }
  }
  for (const m of code.matchAll(PROPERTIES)) {
    // The property's value: up to the next top-level `,` `;` or closing bracket (a ternary's literals too).
    let i = m.index! + m[0].length;
    while (i < code.length && !/[,;)\]}]/.test(code[i]!)) {
      const c = code[i]!;
      if (c === '"' || c === "'" || c === "`") {
        const s = readString(code, i);
        if (isSentence(s.text)) add(s.text, i);
        i = s.end;
      } else if (c === "(" || c === "[" || c === "{") {
        const literals: Literal[] = [];
        i = skipBalanced(code, i, literals);
        for (const literal of literals) if (isSentence(literal.text)) add(literal.text, literal.index);
      } else i++;
    }
  }
  for (const m of code.matchAll(DEFAULTS)) {
    const at = m.index! + m[0].length;
    const { text } = readString(code, at);
    if (isSentence(text) || /^[A-Z][a-z]+ [a-z]+$/.test(text)) add(text, at);
  }
  for (const m of code.matchAll(NO_CONTROL)) {
    const open = m.index! + m[0].length - 1;
    const end = skipBalanced(code, open);
    const last = /,\s*(["`])((?:(?!\1).)*)\1\s*,?\s*\)$/s.exec(code.slice(open, end));
    if (last) add(last[2]!, open + last.index, true);
  }
  if (/consultations\/schemas\.ts$/.test(file)) {
    for (const m of code.matchAll(LABEL_CALLS)) {
      const first = argumentsAt(m.index! + m[0].length - 1)[0];
      if (first && /^["`]/.test(code[first.index] ?? "") && /^[A-Z][\w ]*$/.test(first.text)) add(first.text, first.index, true);
    }
  }
  for (const m of code.matchAll(NOT_FOUND)) {
    const open = m.index! + m[0].length - 1;
    const literals = argumentsAt(open);
    for (const literal of literals) if (isSentence(literal.text)) add(`${literal.text} was not found.`, literal.index);
  }
  for (const table of TABLES) {
    if (!table.file.test(file)) continue;
    const m = table.marker.exec(code);
    if (!m) throw new Error(`${file}: the message table ${table.marker} is gone; update tests/i18n-scan.ts`);
    const literals: Literal[] = [];
    skipBalanced(code, m.index + m[0].length, literals);
    for (const literal of literals) if (/\w \S/.test(literal.text)) add(literal.text, literal.index);
  }
  return found;
}

/** The files whose messages people can read: the domain, the realtime server, the app's server modules. */
export function messageSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        // consultations/cli: the command-line tools write to an operator's terminal, in English.
        if (entry.name !== "node_modules" && entry.name !== "locales" && rel !== "consultations/cli") walk(rel);
      } else if (/\.tsx?$/.test(entry.name) && !/\.(test|spec|bench)\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        if (dir.startsWith("app") && !/\.server\.ts$/.test(entry.name)) continue;
        out.push(rel);
      }
    }
  };
  for (const dir of ["consultations", "realtime", "app"]) walk(dir);
  return out.sort();
}

export function scanMessages(root: string): FoundMessage[] {
  return messageSourceFiles(root).flatMap((file) => scanSource(fs.readFileSync(path.join(root, file), "utf8"), file));
}

// ---- matching against the catalogue -----------------------------------------------------------------

const PLACEHOLDER = /\{\{\s*\w*\s*\}\}/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** How a found message is covered by the catalogue: the key, and the values its placeholders take. */
export function coverage(text: string, catalogue: Record<string, string>): { key: string; values: string[] } | null {
  const canonical = (s: string) => s.replace(PLACEHOLDER, "{{}}");
  const wanted = canonical(text);
  const exact = Object.keys(catalogue).find((key) => canonical(key) === wanted);
  if (exact !== undefined) return { key: exact, values: [] };
  const candidates = Object.keys(catalogue)
    .filter((key) => /\{\{\s*\w*\s*\}\}/.test(key))
    .sort((a, b) => b.replace(PLACEHOLDER, "").length - a.replace(PLACEHOLDER, "").length);
  for (const key of candidates) {
    const source = key.split(/(\{\{\s*\w*\s*\}\})/).map((part, i) => (i % 2 ? "(.+?)" : escape(part))).join("");
    const m = new RegExp(`^${source}$`, "s").exec(wanted);
    if (m) return { key, values: m.slice(1) };
  }
  return null;
}
