import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

import { parseCsv } from "./csv";
import {
  latestVotes,
  parseComments,
  parseGroupMapping,
  parsePolisExport,
  parseSummary,
  parseVotes,
  PolisFormatError,
  readLimitedFile,
  readPolisExport,
  type PolisTexts,
} from "./parse";

/** A copy of a real Polis export (CC BY 4.0, The Computational Democracy Project; see fixtures/README.md). */
export const LONDON = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "london.youth.policing");
const read = (name: string) => fs.readFileSync(path.join(LONDON, name), "utf8");
const londonTexts = (): PolisTexts => ({
  comments: read("comments.csv"),
  votes: read("votes.csv"),
  participantsVotes: read("participants-votes.csv"),
  summary: read("summary.csv"),
});

/** Polis's own participant x comment matrix: an independent record of each person's latest vote. */
function polisMatrix(): Map<string, number> {
  const [header, ...rows] = parseCsv(read("participants-votes.csv")).map((r) => r.fields);
  const cells = new Map<string, number>();
  for (const row of rows) {
    header.forEach((col, i) => {
      if (/^\d+$/.test(col) && row[i] !== "") cells.set(`${col}/${row[0]}`, Number(row[i]));
    });
  }
  return cells;
}

describe("readPolisExport on london.youth.policing", () => {
  const exp = readPolisExport(LONDON);

  it("reads the summary: topic, url and every key", () => {
    expect(exp.meta.topic).toBe("What is the best way to engage more young people in local scrutiny of policing?");
    expect(exp.meta.url).toBe("https://pol.is/9xxwa9jpkm");
    expect(exp.meta.description).toBeNull();
    expect(exp.meta.summary.voters).toBe("26");
  });

  it("counts comments, moderated-out ones and votes as the CSVs hold them", () => {
    expect(exp.stats).toEqual({
      comments: 39,
      moderatedOut: 3,
      notYetModerated: 0,
      voteRows: 640,
      superseded: 2,
      onModeratedOut: 0,
      moderatedOutVoted: 0,
      votes: 638,
      participants: 26,
      mappedParticipants: 0,
    });
  });

  it("leaves the moderated-out comments (0, 2, 3) out of the statements", () => {
    const ids = exp.input.statements.map((s) => s.id);
    expect(ids).toHaveLength(36);
    expect(ids).not.toContain("0");
    expect(ids).not.toContain("2");
    expect(ids).not.toContain("3");
    expect(ids.slice(0, 3)).toEqual(["1", "4", "5"]);
    expect(exp.input.statements.find((s) => s.id === "14")?.text).toBe("I had at least one encounter (good or bad) with the police.");
  });

  it("has participants with Polis ids as strings, no group without a mapping, and the owner as an author", () => {
    expect(exp.input.participants).toHaveLength(26);
    expect(exp.input.participants[0]).toEqual({ id: "1", group: null });
    expect(exp.input.groups).toEqual([]);
    expect(exp.authors).toContain("0"); // the conversation's owner wrote the seed statements and never voted
    expect(exp.input.participants.map((p) => p.id)).not.toContain("0");
    expect(exp.polisGroups["24"]).toBeNull();
    expect(exp.polisGroups["10"]).toBe(0);
  });

  it("keeps the latest vote per (comment, voter): every vote equals Polis's own matrix, and nothing else is there", () => {
    const matrix = polisMatrix();
    expect(exp.input.votes).toHaveLength(matrix.size);
    for (const v of exp.input.votes) expect(matrix.get(`${v.statementId}/${v.participantId}`)).toBe(v.value);
  });
});

describe("latestVotes", () => {
  it("takes the vote with the latest timestamp, whatever the row order", () => {
    const votes = latestVotes([
      { commentId: "1", voterId: "7", value: 1, timestamp: 300 },
      { commentId: "1", voterId: "7", value: -1, timestamp: 100 },
      { commentId: "2", voterId: "7", value: 0, timestamp: 50 },
    ]);
    expect(votes).toEqual([
      { commentId: "1", voterId: "7", value: 1, timestamp: 300 },
      { commentId: "2", voterId: "7", value: 0, timestamp: 50 },
    ]);
  });

  it("lets the later row win a timestamp tie", () => {
    const votes = latestVotes([
      { commentId: "1", voterId: "7", value: 1, timestamp: 100 },
      { commentId: "1", voterId: "7", value: -1, timestamp: 100 },
    ]);
    expect(votes).toEqual([{ commentId: "1", voterId: "7", value: -1, timestamp: 100 }]);
  });
});

describe("moderation", () => {
  it("drops votes on moderated-out comments and keeps not-yet-moderated ones", () => {
    const exp = parsePolisExport({
      summary: "topic,Test\n",
      comments: "timestamp,comment-id,author-id,moderated,comment-body\n1,0,0,1,Kept\n2,1,0,-1,Removed\n3,2,0,0,Waiting\n",
      votes: "timestamp,datetime,comment-id,voter-id,vote\n10,x,0,5,1\n11,x,1,5,1\n12,x,2,5,-1\n",
      participantsVotes: "participant,group-id\n5,\n",
    });
    expect(exp.input.statements.map((s) => s.id)).toEqual(["0", "2"]);
    expect(exp.input.votes).toEqual([
      { participantId: "5", statementId: "0", value: 1 },
      { participantId: "5", statementId: "2", value: -1 },
    ]);
    expect(exp.stats.onModeratedOut).toBe(1);
    expect(exp.stats.notYetModerated).toBe(1);
  });
});

describe("bad input names the file, line and column", () => {
  it("an invalid vote value", () => {
    const votes = "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n2,x,0,6,2\n";
    expect(() => parseVotes(votes)).toThrowError(
      new PolisFormatError('votes.csv line 3, column 5 (vote): expected a vote: 1 (agree), -1 (disagree) or 0 (pass), found "2".'),
    );
  });

  it("a non-numeric id and a bad moderation value", () => {
    const header = "timestamp,comment-id,author-id,moderated,comment-body\n";
    expect(() => parseComments(`${header}1,abc,0,1,Text\n`)).toThrow(/comments\.csv line 2, column 2 \(comment-id\): expected a Polis id/);
    expect(() => parseComments(`${header}1,4,0,2,Text\n`)).toThrow(/comments\.csv line 2, column 4 \(moderated\): expected 1 \(in\), 0 \(not yet\) or -1/);
  });

  it("a record split over lines keeps the line where it starts", () => {
    const text = 'timestamp,comment-id,author-id,moderated,comment-body\n1,4,0,1,"two\nlines"\nx,5,0,1,Text\n';
    expect(() => parseComments(text)).toThrow(/comments\.csv line 4, column 1 \(timestamp\): expected a whole number, found "x"/);
  });

  it("a missing column, a wrong number of fields and a repeated comment id", () => {
    expect(() => parseVotes("timestamp,comment-id,vote\n1,0,1\n")).toThrow(/votes\.csv line 1: missing column "voter-id"/);
    expect(() => parseVotes("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5\n")).toThrow(/votes\.csv line 2: expected 5 fields as in the header, found 4/);
    const header = "timestamp,comment-id,author-id,moderated,comment-body\n";
    expect(() => parseComments(`${header}1,4,0,1,A\n2,4,0,1,B\n`)).toThrow(/comments\.csv line 3, column 2 \(comment-id\): comment 4 appears twice/);
  });

  it("malformed CSV becomes a PolisFormatError", () => {
    expect(() => parseVotes('timestamp,datetime,comment-id,voter-id,vote\n1,"open,0,5,1\n')).toThrow(PolisFormatError);
  });

  it("a summary without a topic", () => {
    expect(() => parseSummary("url,https://pol.is/x\n")).toThrow(/summary\.csv: no "topic" row/);
  });
});

describe("exports of other shapes", () => {
  it("reads comments without a datetime column and with Polis's group-informed-consensus (as in bg2050)", () => {
    const comments = parseComments(
      'timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,group-informed-consensus,comment-body\n1726860676783,2,0,57,0,1,false,true,0.6839080459770114,"I hope\n"\n',
    );
    expect(comments).toEqual([{ id: "2", authorId: "0", timestamp: 1726860676783, moderated: 1, text: "I hope\n", groupInformedConsensus: 0.6839080459770114 }]);
  });
});

describe("group mapping", () => {
  it("gives each mapped participant a declared group with an id from its name", () => {
    const m = parseGroupMapping("participant,group\n1,Police\n2,Youth workers\n3,police\n");
    expect(m.groups).toEqual([
      { id: "police", name: "Police" },
      { id: "youth-workers", name: "Youth workers" },
    ]);
    expect(Object.fromEntries(m.groupOf)).toEqual({ 1: "police", 2: "youth-workers", 3: "police" });
  });

  it("refuses an empty group, two groups for one person, and more than 12 groups", () => {
    expect(() => parseGroupMapping("participant,group\n1,\n", "groups.csv")).toThrow(/groups\.csv line 2, column 2 \(group\): the group name is empty/);
    expect(() => parseGroupMapping("participant,group\n1,A\n1,B\n", "groups.csv")).toThrow(/groups\.csv line 3, column 1 \(participant\): participant 1 is mapped to two different groups/);
    const many = ["participant,group", ...Array.from({ length: 13 }, (_, i) => `${i},Group ${i}`)].join("\n");
    expect(() => parseGroupMapping(many, "groups.csv")).toThrow(/groups\.csv line 14, column 2 \(group\): more than 12 groups/);
  });

  it("applies to the export: mapped people get their group, others null, with warnings", () => {
    const exp = parsePolisExport({ ...londonTexts(), mapping: "participant,group\n1,Police\n2,Police\n3,Youth\n999,Youth\n", mappingFile: "groups.csv" });
    expect(exp.input.groups).toEqual([
      { id: "police", name: "Police" },
      { id: "youth", name: "Youth" },
    ]);
    expect(exp.input.participants.filter((p) => p.group === "police").map((p) => p.id)).toEqual(["1", "2"]);
    expect(exp.input.participants.find((p) => p.id === "4")?.group).toBeNull();
    expect(exp.stats.mappedParticipants).toBe(3);
    expect(exp.warnings).toEqual([
      "1 participant(s) in the groups mapping are not in this export; ignored.",
      "23 participant(s) are not in the groups mapping: they have no declared group.",
    ]);
  });
});

describe("file limits", () => {
  it("refuses a file larger than the limit before reading it", () => {
    expect(() => readPolisExport(LONDON, { maxFileBytes: 10_000 })).toThrow(/votes\.csv is 32 KB: larger than the 10 KB this import accepts/);
    expect(() => readLimitedFile(path.join(LONDON, "votes.csv"), 100)).toThrow(PolisFormatError);
  });

  it("names a missing file and a path that is not a folder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polis-"));
    try {
      expect(() => readPolisExport(dir)).toThrow(/comments\.csv: cannot read .*comments\.csv \(ENOENT\)/);
      expect(() => readPolisExport(path.join(LONDON, "votes.csv"))).toThrow(/is not a folder/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
