/**
 * A tiny reader of Polis exports (participants-votes.csv, votes.csv, comments.csv) for tests.
 * Polis's open data is CC BY 4.0 (The Computational Democracy Project); see ../shared/data/polis/README.md.
 * Files are read in place; nothing is copied into the project.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of the shared Polis samples: POLYPHONY_POLIS_DATA if set, else ../shared/data/polis beside the
 * repository (where CI and every checkout have it), else /work/shared/data/polis. Tests that use the data
 * fail, never skip, when it is missing: the checks against Polis are part of what the suite shows.
 */
function findPolisData(): string {
  const candidates = [
    process.env.POLYPHONY_POLIS_DATA,
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/data/polis"),
    "/work/shared/data/polis",
  ].filter((c): c is string => !!c);
  return candidates.find((c) => fs.existsSync(path.join(c, "README.md"))) ?? candidates[0];
}
export const POLIS_DATA_DIR = findPolisData();

/** RFC 4180: fields separated by commas, optionally quoted with "", "" inside quotes is a quote; CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte order mark
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readTable(file: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = parseCsv(fs.readFileSync(file, "utf8"));
  return { header, rows: rows.filter((r) => r.length > 1 || r[0] !== "") };
}

function column(header: string[], name: string, file: string): number {
  const index = header.indexOf(name);
  if (index < 0) throw new Error(`${file}: no column "${name}"`);
  return index;
}

export interface PolisVote {
  timestamp: number;
  commentId: string;
  voterId: string;
  /** As exported: 1 agree, -1 disagree, 0 pass. */
  vote: -1 | 0 | 1;
}

/** votes.csv, ordered by timestamp (stable): later entries are later votes, so "last one wins" holds. */
export function readVotes(dir: string): PolisVote[] {
  const file = path.join(dir, "votes.csv");
  const { header, rows } = readTable(file);
  const [t, c, v, x] = ["timestamp", "comment-id", "voter-id", "vote"].map((name) => column(header, name, file));
  const votes = rows.map((r) => ({ timestamp: Number(r[t]), commentId: r[c], voterId: r[v], vote: Number(r[x]) as -1 | 0 | 1 }));
  return votes.map((vote, index) => ({ vote, index })).sort((a, b) => a.vote.timestamp - b.vote.timestamp || a.index - b.index).map((e) => e.vote);
}

export interface PolisComment {
  commentId: string;
  authorId: string;
  agrees: number;
  disagrees: number;
  /** 1 in, -1 moderated out, 0 not yet moderated. */
  moderated: number;
  body: string;
  /** Polis's own figure, in exports that carry it (null otherwise). */
  groupInformedConsensus: number | null;
}

export function readComments(dir: string): PolisComment[] {
  const file = path.join(dir, "comments.csv");
  const { header, rows } = readTable(file);
  const gic = header.indexOf("group-informed-consensus");
  const [c, a, ag, dis, mod, body] = ["comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"].map((name) =>
    column(header, name, file),
  );
  return rows.map((r) => ({
    commentId: r[c],
    authorId: r[a],
    agrees: Number(r[ag]),
    disagrees: Number(r[dis]),
    moderated: Number(r[mod]),
    body: r[body],
    groupInformedConsensus: gic >= 0 && r[gic] !== "" ? Number(r[gic]) : null,
  }));
}

export interface PolisParticipant {
  participantId: string;
  /** Polis's opinion group (0-based), or null when Polis did not place the participant. */
  groupId: number | null;
  nVotes: number;
  /** Comment id -> vote (1, -1, 0); comments without a vote are absent. */
  votes: Map<string, -1 | 0 | 1>;
}

/** participants-votes.csv: one row per participant, one column per comment after "n-disagree". */
export function readParticipantsVotes(dir: string): { commentIds: string[]; participants: PolisParticipant[] } {
  const file = path.join(dir, "participants-votes.csv");
  const { header, rows } = readTable(file);
  const p = column(header, "participant", file);
  const g = column(header, "group-id", file);
  const nv = column(header, "n-votes", file);
  const first = column(header, "n-disagree", file) + 1;
  const commentIds = header.slice(first);
  const participants = rows.map((r) => {
    const votes = new Map<string, -1 | 0 | 1>();
    for (let k = 0; k < commentIds.length; k++) {
      const cell = r[first + k];
      if (cell !== undefined && cell !== "") votes.set(commentIds[k], Number(cell) as -1 | 0 | 1);
    }
    return { participantId: r[p], groupId: r[g] === "" ? null : Number(r[g]), nVotes: Number(r[nv]), votes };
  });
  return { commentIds, participants };
}
