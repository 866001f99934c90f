import { describe, expect, it } from "vitest";

import { CsvError, csvCell, parseCsv, toCsv } from "./csv";

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe("parseCsv (RFC 4180)", () => {
  it("reads plain records, with or without a final line break", () => {
    expect(fields("a,b\n1,2\n")).toEqual([["a", "b"], ["1", "2"]]);
    expect(fields("a,b\r\n1,2")).toEqual([["a", "b"], ["1", "2"]]);
  });

  it("keeps empty fields, a trailing empty field included", () => {
    expect(fields("a,,c\n,,\nx,y,\n")).toEqual([["a", "", "c"], ["", "", ""], ["x", "y", ""]]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks (LF and CRLF)", () => {
    const text = 'id,body\n1,"Hello, ""world"""\n2,"line one\nline two"\r\n3,"crlf\r\ninside"\r\n4,""\n';
    expect(fields(text)).toEqual([
      ["id", "body"],
      ["1", 'Hello, "world"'],
      ["2", "line one\nline two"],
      ["3", "crlf\r\ninside"],
      ["4", ""],
    ]);
  });

  it("numbers each record by the physical line where it starts, counting line breaks inside quotes", () => {
    const records = parseCsv('h\n"a\nb\nc"\nnext\n\n"x\r\ny"\nlast\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5, 7, 9]);
  });

  it("drops a byte order mark and skips blank lines between records", () => {
    expect(fields("\uFEFFa,b\n\n\n1,2\n")).toEqual([["a", "b"], ["1", "2"]]);
  });

  it("reports an unterminated quoted field with file, line and column", () => {
    expect(() => parseCsv('a,b\n1,"never closed\nmore', { file: "comments.csv" })).toThrowError(
      new CsvError("comments.csv", 2, 2, 'a quoted field is never closed (missing closing ").'),
    );
  });

  it("refuses a quote inside an unquoted field, and text after a closing quote", () => {
    expect(() => parseCsv('a,b\n1,he said "hi"\n', { file: "x.csv" })).toThrow(/x\.csv line 2, column 2: a double quote inside an unquoted field/);
    expect(() => parseCsv('a,b\n"1"x,2\n', { file: "x.csv" })).toThrow(/x\.csv line 2, column 1: unexpected character "x" after a closing quote/);
  });

  it("refuses more records than allowed and over-long fields", () => {
    expect(() => parseCsv("h\n1\n2\n3\n", { file: "votes.csv", maxRecords: 3 })).toThrow(/votes\.csv line 4: more than 2 rows/);
    expect(() => parseCsv(`h\n${"x".repeat(20)}\n`, { file: "c.csv", maxFieldLength: 10 })).toThrow(/c\.csv line 2, column 1: a field is longer than 10/);
  });
});

describe("csvCell / toCsv (spreadsheet-safe writing)", () => {
  it.each([
    ["=HYPERLINK(\"http://x\")", `"'=HYPERLINK(""http://x"")"`],
    ["+1 555", "'+1 555"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tTAB", "'\tTAB"],
    ["\rCR", `"'\rCR"`],
  ])("puts an apostrophe before a formula start: %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("quotes commas, quotes and line breaks, and leaves plain text and numbers alone", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("plain text")).toBe("plain text");
    expect(csvCell(-1.5)).toBe("-1.5");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell(true)).toBe("yes");
  });

  it("round-trips through parseCsv (CRLF line ends)", () => {
    const rows = [["id", "text"], ["1", 'He said, "fine"\nthen left'], ["2", "=1+1"]];
    const text = toCsv(rows);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(fields(text)).toEqual([["id", "text"], ["1", 'He said, "fine"\nthen left'], ["2", "'=1+1"]]);
  });
});
