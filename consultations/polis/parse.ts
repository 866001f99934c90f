/**
 * Reads a Polis openData export folder (comments.csv, votes.csv, participants-votes.csv, summary.csv)
 * into the synthesis engine's input. Every row is checked with zod; a bad row fails with the file, the
 * line and the column. Oversized files are refused before they are read.
 *
 * What goes into the synthesis:
 * - statements: comments not moderated out (moderated 1 "in" and 0 "not yet moderated"; -1 is left out);
 * - participants: everyone in participants-votes.csv or votes.csv, with a declared group from the
 *   optional mapping CSV (`participant,group`) or null;
 * - votes: the latest vote per (comment, voter) by timestamp (a later row wins a tie), on included
 *   comments only.
 * Ids are the Polis ids as strings. The functions named parse* are pure; readPolisExport does the I/O.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

import type { DeclaredGroup, SynthesisInput, SynthesisParticipant, SynthesisStatement, SynthesisVote, VoteValue } from "../synthesis/types";
import { CsvError, parseCsv, type CsvRecord } from "./csv";
import { CONTROL_CHARACTERS } from "../limits";

export const POLIS_FILES = {
  comments: "comments.csv",
  votes: "votes.csv",
  participantsVotes: "participants-votes.csv",
  summary: "summary.csv",
} as const;

/** Largest file read, per file kind (bytes). The three sample exports are at most 1.6 MB. */
export const POLIS_LIMITS = {
  maxFileBytes: 64 * 1024 * 1024,
  maxMappingBytes: 4 * 1024 * 1024,
  maxComments: 20_000,
  maxVoteRows: 2_000_000,
  maxParticipants: 200_000,
  maxCommentLength: 10_000,
  /** Declared groups a consultation may have (LIMITS.groupsMax). */
  maxGroups: 12,
  maxGroupNameLength: 80,
} as const;

export class PolisFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolisFormatError";
  }
}

// ---- row schemas ------------------------------------------------------------------------------

const polisId = z.string().trim().regex(/^\d{1,12}$/, "expected a Polis id (a whole number, 0 or more)");
const wholeNumber = z.string().trim().regex(/^\d{1,16}$/, "expected a whole number").transform(Number);
const moderated = z
  .string()
  .trim()
  .refine((v) => v === "1" || v === "0" || v === "-1", "expected 1 (in), 0 (not yet) or -1 (moderated out)")
  .transform((v) => Number(v) as -1 | 0 | 1);
const voteValue = z
  .string()
  .trim()
  .refine((v) => v === "1" || v === "0" || v === "-1", "expected a vote: 1 (agree), -1 (disagree) or 0 (pass)")
  .transform((v) => Number(v) as VoteValue);

const CommentRow = z.object({
  timestamp: wholeNumber,
  "comment-id": polisId,
  "author-id": polisId,
  moderated,
  "comment-body": z
    .string()
    .max(POLIS_LIMITS.maxCommentLength, `a comment can have at most ${POLIS_LIMITS.maxCommentLength} characters`)
    .refine((v) => !CONTROL_CHARACTERS.test(v), "a comment contains control characters (NUL, ESC, ...): remove them from the export"),
});

const VoteRow = z.object({
  timestamp: wholeNumber,
  "comment-id": polisId,
  "voter-id": polisId,
  vote: voteValue,
});

const ParticipantRow = z.object({
  participant: polisId,
  "group-id": z.union([z.literal(""), z.string().trim().regex(/^\d{1,3}$/, "expected an opinion group number or blank")]),
});

const MappingRow = z.object({
  participant: polisId,
  group: z
    .string()
    .trim()
    .min(1, "the group name is empty")
    .max(POLIS_LIMITS.maxGroupNameLength, `a group name can have at most ${POLIS_LIMITS.maxGroupNameLength} characters`),
});

// ---- helpers ----------------------------------------------------------------------------------

interface Table {
  file: string;
  header: string[];
  rows: CsvRecord[];
}

function table(text: string, file: string, maxRows: number): Table {
  const records = parseCsv(text, { file, maxRecords: maxRows + 1 });
  if (!records.length) throw new PolisFormatError(`${file} is empty: expected a header line.`);
  const [head, ...rows] = records;
  return { file, header: head.fields.map((h) => h.trim()), rows };
}

function requireColumns(t: Table, columns: string[]): void {
  const missing = columns.filter((c) => !t.header.includes(c));
  if (missing.length) {
    throw new PolisFormatError(
      `${t.file} line 1: missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} (the header is: ${t.header.join(",").slice(0, 200)}).`,
    );
  }
}

/** Validates one record against a zod object schema keyed by header names; errors name line and column. */
function validateRow<S extends z.ZodType>(t: Table, record: CsvRecord, schema: S, columns: readonly string[]): z.output<S> {
  if (record.fields.length !== t.header.length) {
    throw new PolisFormatError(
      `${t.file} line ${record.line}: expected ${t.header.length} fields as in the header, found ${record.fields.length}.`,
    );
  }
  const obj: Record<string, string> = {};
  for (const c of columns) obj[c] = record.fields[t.header.indexOf(c)];
  const parsed = schema.safeParse(obj);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const column = String(issue.path[0] ?? "");
  const index = t.header.indexOf(column);
  const shown = index >= 0 ? JSON.stringify(record.fields[index].slice(0, 60)) : "";
  throw new PolisFormatError(
    `${t.file} line ${record.line}, column ${index + 1} (${column}): ${issue.message}${shown ? `, found ${shown}` : ""}.`,
  );
}

function wrapCsv<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CsvError) throw new PolisFormatError(error.message);
    throw error;
  }
}

const byNumericId = (a: string, b: string) => Number(a) - Number(b) || a.localeCompare(b);

/** A group id from its name: "Peers who use drugs" -> "peers-who-use-drugs" (same rule as the app's keys). */
export function groupIdFromName(name: string): string {
  const key = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return key || "group";
}

// ---- the parsed export ------------------------------------------------------------------------

export interface PolisComment {
  id: string;
  authorId: string;
  timestamp: number;
  moderated: -1 | 0 | 1;
  text: string;
  /** Polis's own group-informed consensus, when the export carries that column (else null). */
  groupInformedConsensus: number | null;
}

export interface PolisVote {
  commentId: string;
  voterId: string;
  value: VoteValue;
  timestamp: number;
}

export interface PolisExportMeta {
  topic: string;
  url: string | null;
  description: string | null;
  /** Every key/value row of summary.csv. */
  summary: Record<string, string>;
}

export interface PolisExport {
  meta: PolisExportMeta;
  /** The engine's input: included comments, participants (group from the mapping or null), latest votes. */
  input: SynthesisInput;
  /** Every comment, moderated out ones included (for the import and for counts). */
  comments: PolisComment[];
  /** Latest vote per (comment, voter), on included comments only, with its timestamp. */
  votes: PolisVote[];
  /** Authors of included comments (some, like a conversation's owner, never vote). */
  authors: string[];
  /** Declared group id by Polis participant id, from the mapping (authors who never voted included). */
  mappedGroups: Record<string, string>;
  /** Polis's own opinion group of each participant (participants-votes.csv group-id), null when not clustered. */
  polisGroups: Record<string, number | null>;
  stats: {
    comments: number;
    moderatedOut: number;
    notYetModerated: number;
    voteRows: number;
    /** Earlier votes replaced by a later one on the same (comment, voter). */
    superseded: number;
    /** Votes on moderated-out comments, left out. */
    onModeratedOut: number;
    /** Moderated-out comments that received votes (Polis keeps them in its map's scaling). */
    moderatedOutVoted: number;
    votes: number;
    participants: number;
    mappedParticipants: number;
  };
  /** Things worth telling the person running the import, none fatal. */
  warnings: string[];
}

export interface PolisTexts {
  comments: string;
  votes: string;
  participantsVotes: string;
  summary: string;
  /** Optional `participant,group` mapping CSV. */
  mapping?: string | null;
  /** The mapping's file name, for error messages. */
  mappingFile?: string;
}

/** summary.csv: key,value rows (no header); values may be quoted and span lines. */
export function parseSummary(text: string, file = POLIS_FILES.summary): PolisExportMeta {
  const records = wrapCsv(() => parseCsv(text, { file, maxRecords: 1000 }));
  const summary: Record<string, string> = {};
  for (const r of records) {
    if (r.fields.length < 2) throw new PolisFormatError(`${file} line ${r.line}: expected key,value, found ${r.fields.length} field.`);
    const key = r.fields[0].trim();
    if (!key) throw new PolisFormatError(`${file} line ${r.line}, column 1: the key is empty.`);
    if (r.fields.some((f) => CONTROL_CHARACTERS.test(f))) throw new PolisFormatError(`${file} line ${r.line}: control characters (NUL, ESC, ...): remove them from the export.`);
    summary[key] = r.fields.slice(1).join(",").trim();
  }
  const topic = summary.topic?.trim();
  if (!topic) throw new PolisFormatError(`${file}: no "topic" row (every Polis export has one).`);
  return {
    topic,
    url: /^https?:\/\//.test(summary.url ?? "") ? summary.url : null,
    description: summary["conversation-description"]?.trim() || null,
    summary,
  };
}

/** comments.csv rows. Duplicate comment ids are an error. */
export function parseComments(text: string, file = POLIS_FILES.comments): PolisComment[] {
  const t = wrapCsv(() => table(text, file, POLIS_LIMITS.maxComments));
  const columns = ["timestamp", "comment-id", "author-id", "moderated", "comment-body"] as const;
  requireColumns(t, [...columns]);
  const seen = new Set<string>();
  const gicIndex = t.header.indexOf("group-informed-consensus");
  return t.rows.map((record) => {
    const row = validateRow(t, record, CommentRow, columns);
    let gic: number | null = null;
    if (gicIndex >= 0 && record.fields[gicIndex].trim() !== "") {
      gic = Number(record.fields[gicIndex]);
      if (!Number.isFinite(gic) || gic < 0 || gic > 1) {
        throw new PolisFormatError(`${file} line ${record.line}, column ${gicIndex + 1} (group-informed-consensus): expected a number from 0 to 1, found ${JSON.stringify(record.fields[gicIndex].slice(0, 30))}.`);
      }
    }
    if (seen.has(row["comment-id"])) {
      throw new PolisFormatError(`${file} line ${record.line}, column ${t.header.indexOf("comment-id") + 1} (comment-id): comment ${row["comment-id"]} appears twice.`);
    }
    seen.add(row["comment-id"]);
    return { id: row["comment-id"], authorId: row["author-id"], timestamp: row.timestamp, moderated: row.moderated, text: row["comment-body"], groupInformedConsensus: gic };
  });
}

/** votes.csv rows, every one (latest-wins is applied by {@link latestVotes}). */
export function parseVotes(text: string, file = POLIS_FILES.votes): PolisVote[] {
  const t = wrapCsv(() => table(text, file, POLIS_LIMITS.maxVoteRows));
  const columns = ["timestamp", "comment-id", "voter-id", "vote"] as const;
  requireColumns(t, [...columns]);
  return t.rows.map((record) => {
    const row = validateRow(t, record, VoteRow, columns);
    return { commentId: row["comment-id"], voterId: row["voter-id"], value: row.vote, timestamp: row.timestamp };
  });
}

/** The latest vote per (comment, voter) by timestamp; on equal timestamps the later row wins. */
export function latestVotes(rows: PolisVote[]): PolisVote[] {
  const latest = new Map<string, PolisVote>();
  for (const v of rows) {
    const key = `${v.commentId}\u0000${v.voterId}`;
    const prev = latest.get(key);
    if (!prev || v.timestamp >= prev.timestamp) latest.set(key, v);
  }
  return [...latest.values()];
}

/** participants-votes.csv: the participant list and Polis's own opinion group per participant. */
export function parseParticipantsVotes(text: string, file = POLIS_FILES.participantsVotes): { participants: string[]; polisGroups: Record<string, number | null> } {
  const t = wrapCsv(() => table(text, file, POLIS_LIMITS.maxParticipants));
  const columns = ["participant", "group-id"] as const;
  requireColumns(t, [...columns]);
  const participants: string[] = [];
  const polisGroups: Record<string, number | null> = {};
  for (const record of t.rows) {
    const row = validateRow(t, record, ParticipantRow, columns);
    if (row.participant in polisGroups) {
      throw new PolisFormatError(`${file} line ${record.line}, column ${t.header.indexOf("participant") + 1} (participant): participant ${row.participant} appears twice.`);
    }
    participants.push(row.participant);
    polisGroups[row.participant] = row["group-id"] === "" ? null : Number(row["group-id"]);
  }
  return { participants, polisGroups };
}

export interface GroupMapping {
  groups: DeclaredGroup[];
  /** Polis participant id -> declared group id. */
  groupOf: Map<string, string>;
}

/** The optional `participant,group` CSV: Polis participant id -> declared group name. */
export function parseGroupMapping(text: string, file = "groups mapping"): GroupMapping {
  const t = wrapCsv(() => table(text, file, POLIS_LIMITS.maxParticipants));
  const columns = ["participant", "group"] as const;
  requireColumns(t, [...columns]);
  const groups: DeclaredGroup[] = [];
  const idByName = new Map<string, string>();
  const groupOf = new Map<string, string>();
  for (const record of t.rows) {
    const row = validateRow(t, record, MappingRow, columns);
    const nameKey = row.group.toLowerCase();
    let id = idByName.get(nameKey);
    if (!id) {
      if (groups.length >= POLIS_LIMITS.maxGroups) {
        throw new PolisFormatError(`${file} line ${record.line}, column ${t.header.indexOf("group") + 1} (group): more than ${POLIS_LIMITS.maxGroups} groups; a consultation can have at most ${POLIS_LIMITS.maxGroups}.`);
      }
      const base = groupIdFromName(row.group);
      id = base;
      for (let k = 2; groups.some((g) => g.id === id); k++) id = `${base}-${k}`;
      idByName.set(nameKey, id);
      groups.push({ id, name: row.group });
    }
    const previous = groupOf.get(row.participant);
    if (previous && previous !== id) {
      throw new PolisFormatError(`${file} line ${record.line}, column ${t.header.indexOf("participant") + 1} (participant): participant ${row.participant} is mapped to two different groups.`);
    }
    groupOf.set(row.participant, id);
  }
  return { groups, groupOf };
}

/** Builds the export from the four files' texts (and the optional mapping). Pure. */
export function parsePolisExport(texts: PolisTexts): PolisExport {
  const meta = parseSummary(texts.summary);
  const comments = parseComments(texts.comments);
  const voteRows = parseVotes(texts.votes);
  const { participants: listed, polisGroups } = parseParticipantsVotes(texts.participantsVotes);
  const mapping = texts.mapping ? parseGroupMapping(texts.mapping, texts.mappingFile) : null;
  const warnings: string[] = [];

  const commentById = new Map(comments.map((c) => [c.id, c]));
  const included = comments.filter((c) => c.moderated !== -1).sort((a, b) => byNumericId(a.id, b.id));
  const includedIds = new Set(included.map((c) => c.id));

  const latest = latestVotes(voteRows);
  let onModeratedOut = 0;
  let unknown = 0;
  const votedModeratedOut = new Set<string>();
  const votes: PolisVote[] = [];
  for (const v of latest) {
    if (!commentById.has(v.commentId)) unknown += 1;
    else if (!includedIds.has(v.commentId)) {
      onModeratedOut += 1;
      votedModeratedOut.add(v.commentId);
    } else votes.push(v);
  }
  if (unknown) warnings.push(`${unknown} vote(s) on comments missing from comments.csv were left out.`);
  votes.sort((a, b) => byNumericId(a.voterId, b.voterId) || byNumericId(a.commentId, b.commentId));

  const participantSet = new Set(listed);
  let notListed = 0;
  for (const v of latest) {
    if (!participantSet.has(v.voterId)) {
      participantSet.add(v.voterId);
      notListed += 1;
    }
  }
  if (notListed) warnings.push(`${notListed} voter(s) in votes.csv are missing from participants-votes.csv; they are included.`);
  const participantIds = [...participantSet].sort(byNumericId);
  if (participantIds.length > POLIS_LIMITS.maxParticipants) {
    throw new PolisFormatError(`more than ${POLIS_LIMITS.maxParticipants} participants: this export is too large to import.`);
  }

  let mappedParticipants = 0;
  if (mapping) {
    const unknownMapped = [...mapping.groupOf.keys()].filter((id) => !participantSet.has(id)).length;
    if (unknownMapped) warnings.push(`${unknownMapped} participant(s) in the groups mapping are not in this export; ignored.`);
  }
  const participants: SynthesisParticipant[] = participantIds.map((id) => {
    const group = mapping?.groupOf.get(id) ?? null;
    if (group) mappedParticipants += 1;
    return { id, group };
  });
  if (mapping && mappedParticipants < participants.length) {
    warnings.push(`${participants.length - mappedParticipants} participant(s) are not in the groups mapping: they have no declared group.`);
  }

  const authors = [...new Set(included.map((c) => c.authorId))].sort(byNumericId);
  const statements: SynthesisStatement[] = included.map((c) => ({ id: c.id, text: c.text }));
  const synthesisVotes: SynthesisVote[] = votes.map((v) => ({ participantId: v.voterId, statementId: v.commentId, value: v.value }));

  return {
    meta,
    input: {
      statements,
      participants,
      groups: mapping?.groups ?? [],
      votes: synthesisVotes,
    },
    comments,
    votes,
    authors,
    mappedGroups: mapping ? Object.fromEntries(mapping.groupOf) : {},
    polisGroups,
    stats: {
      comments: comments.length,
      moderatedOut: comments.length - included.length,
      notYetModerated: included.filter((c) => c.moderated === 0).length,
      voteRows: voteRows.length,
      superseded: voteRows.length - latest.length,
      onModeratedOut,
      moderatedOutVoted: votedModeratedOut.size,
      votes: votes.length,
      participants: participants.length,
      mappedParticipants,
    },
    warnings,
  };
}

// ---- I/O --------------------------------------------------------------------------------------

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** Reads a UTF-8 file after checking its size; a missing or oversized file is a PolisFormatError. */
export function readLimitedFile(file: string, maxBytes: number, label = path.basename(file)): string {
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new PolisFormatError(`${label}: ${file} is not a file.`);
    size = stat.size;
  } catch (error) {
    if (error instanceof PolisFormatError) throw error;
    throw new PolisFormatError(`${label}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  if (size > maxBytes) {
    throw new PolisFormatError(`${label} is ${formatBytes(size)}: larger than the ${formatBytes(maxBytes)} this import accepts.`);
  }
  return fs.readFileSync(file, "utf8");
}

export interface ReadPolisOptions {
  /** Path of a `participant,group` mapping CSV. */
  groupsFile?: string | null;
  /** Override the per-file size limit (bytes). */
  maxFileBytes?: number;
}

/** Reads and parses a Polis export folder. */
export function readPolisExport(dir: string, options: ReadPolisOptions = {}): PolisExport {
  const max = options.maxFileBytes ?? POLIS_LIMITS.maxFileBytes;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new PolisFormatError(`${dir} is not a folder: pass the folder holding comments.csv, votes.csv, participants-votes.csv and summary.csv.`);
  }
  const read = (name: string) => readLimitedFile(path.join(dir, name), max, name);
  return parsePolisExport({
    comments: read(POLIS_FILES.comments),
    votes: read(POLIS_FILES.votes),
    participantsVotes: read(POLIS_FILES.participantsVotes),
    summary: read(POLIS_FILES.summary),
    mapping: options.groupsFile
      ? readLimitedFile(options.groupsFile, Math.min(max, POLIS_LIMITS.maxMappingBytes), path.basename(options.groupsFile))
      : null,
    mappingFile: options.groupsFile ? path.basename(options.groupsFile) : undefined,
  });
}
