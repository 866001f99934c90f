/**
 * A small RFC 4180 CSV reader (and a writer for reports). Pure: no I/O.
 *
 * Written here rather than taken from npm because it is ~100 lines, the Polis exports need nothing
 * beyond RFC 4180 (quoted fields, "" for a quote, commas and line breaks inside quotes), and errors
 * must name the file and the physical line where the bad record starts, which is simplest when the
 * parser counts lines itself.
 *
 * Reading rules: fields are separated by commas and records by CRLF or LF (lone CR too); a field that
 * starts with a double quote runs to the matching closing quote, "" inside it is one quote; a closing
 * quote must be followed by a comma, a line break or the end. A quote inside an unquoted field is an
 * error (RFC 4180 does not allow it), as is an unterminated quoted field. A UTF-8 byte order mark is
 * dropped; blank lines between records are skipped; a final line break does not make an empty record.
 */

export class CsvError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number | null,
    readonly detail: string,
  ) {
    super(`${file} line ${line}${column !== null ? `, column ${column}` : ""}: ${detail}`);
    this.name = "CsvError";
  }
}

export interface CsvRecord {
  /** Physical line (1-based) where the record starts. */
  line: number;
  fields: string[];
}

export interface ParseCsvOptions {
  /** Name used in error messages ("votes.csv"). */
  file?: string;
  /** Refuse more records than this (header included). */
  maxRecords?: number;
  /** Refuse a field longer than this many characters. */
  maxFieldLength?: number;
}

const DEFAULT_MAX_FIELD = 100_000;

/** Parses CSV text into records. Throws CsvError naming file, line and column on malformed input. */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvRecord[] {
  const file = options.file ?? "CSV";
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const maxField = options.maxFieldLength ?? DEFAULT_MAX_FIELD;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const n = src.length;
  let i = 0;
  let line = 1;

  while (i < n) {
    // Skip blank lines between records.
    const c0 = src[i];
    if (c0 === "\n" || c0 === "\r") {
      i += c0 === "\r" && src[i + 1] === "\n" ? 2 : 1;
      line += 1;
      continue;
    }
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      // One field.
      let value: string;
      if (src[i] === '"') {
        const openLine = line;
        i += 1;
        let out = "";
        let chunkStart = i;
        for (;;) {
          const q = src.indexOf('"', i);
          if (q === -1) {
            throw new CsvError(file, openLine, fields.length + 1, "a quoted field is never closed (missing closing \").");
          }
          // Count the line breaks inside the quoted part for later line numbers.
          for (let k = i; k < q; k++) {
            const ch = src.charCodeAt(k);
            if (ch === 10) line += 1;
            else if (ch === 13 && src.charCodeAt(k + 1) !== 10) line += 1;
          }
          if (src[q + 1] === '"') {
            out += src.slice(chunkStart, q + 1);
            i = q + 2;
            chunkStart = i;
            continue;
          }
          out += src.slice(chunkStart, q);
          i = q + 1;
          break;
        }
        const next = src[i];
        if (i < n && next !== "," && next !== "\n" && next !== "\r") {
          throw new CsvError(file, line, fields.length + 1, `unexpected character ${JSON.stringify(next)} after a closing quote.`);
        }
        value = out;
      } else {
        let j = i;
        while (j < n) {
          const ch = src[j];
          if (ch === "," || ch === "\n" || ch === "\r") break;
          if (ch === '"') throw new CsvError(file, line, fields.length + 1, "a double quote inside an unquoted field (quote the whole field and double the quote).");
          j += 1;
        }
        value = src.slice(i, j);
        i = j;
      }
      if (value.length > maxField) {
        throw new CsvError(file, startLine, fields.length + 1, `a field is longer than ${maxField} characters.`);
      }
      fields.push(value);
      if (i >= n) break;
      const sep = src[i];
      if (sep === ",") {
        i += 1;
        continue;
      }
      // End of record.
      i += sep === "\r" && src[i + 1] === "\n" ? 2 : 1;
      line += 1;
      break;
    }
    records.push({ line: startLine, fields });
    if (records.length > maxRecords) {
      throw new CsvError(file, startLine, null, `more than ${maxRecords - 1} rows: this file is too large to import.`);
    }
  }
  return records;
}

// ---- writing ----------------------------------------------------------------------------------

/**
 * One CSV cell, safe to open in a spreadsheet: a text that starts with = + - @ tab or CR gets a leading
 * apostrophe (so it is never run as a formula), and a cell holding a comma, quote or line break is
 * quoted with inner quotes doubled. Numbers are written as they are (a negative number stays a number).
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text, CRLF line ends as RFC 4180 says. */
export function toCsv(rows: Array<Array<string | number | boolean | null | undefined>>): string {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
