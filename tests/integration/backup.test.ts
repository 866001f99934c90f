/**
 * `npm run backup` / `npm run restore` (consultations/cli/backup.ts) on the embedded SQLite database: an
 * online backup taken while votes and comments are being written passes the integrity and foreign-key
 * checks and holds a consistent moment (between the rows before and after the writes); a restore puts it
 * in place and the app reads it; a damaged backup is refused and leaves the target as it was. SQLite run
 * only (PostgreSQL: pg_dump, and the command says so).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { postComment } from "../../consultations/comments";
import { checkDatabase } from "../../consultations/cli/backup";
import { createDb, getDb } from "../../consultations/db/client";
import { configureRateLimits } from "../../consultations/rate-limits";
import { castVote } from "../../consultations/votes";
import { createConsultation, createFacilitator, joinMany, submit } from "../factories";
import { onSqlite } from "../setup/dialect";
import { PROJECT_ROOT } from "../setup/paths";

const run = promisify(execFile);
vi.setConfig({ testTimeout: 120_000 });

const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ["--import", "tsx", "consultations/cli/backup.ts", ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });

describe.skipIf(!onSqlite)("backups of the SQLite database", () => {
  // The writer below votes and comments as fast as it can: not what the abuse limits are for.
  beforeAll(() => configureRateLimits({ enabled: false }));
  afterAll(() => configureRateLimits({ enabled: true }));

  it("an online backup taken during writes is whole and consistent; a restore puts it back; a damaged one is refused", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polyphony-backup-"));
    try {
      const db = await getDb();
      const fac = await createFacilitator();
      const c = await createConsultation(fac, { phase: "positions" });
      const people = await joinMany(fac, c, "Peers who use drugs", 20);
      const positions: string[] = [];
      for (const author of people.slice(0, 10)) positions.push((await submit(author, c)).id);
      const before = await db.vote.count();

      // Writes go on while the backup runs (in another process, as an operator would run it).
      let writing = true;
      let written = 0;
      const writer = (async () => {
        for (let round = 0; writing; round++) {
          const voter = people[10 + (round % 10)];
          await castVote(db, voter.viewer, c.key, positions[round % positions.length], { choice: round % 2 ? "agree" : "disagree" });
          if (round % 5 === 0) await postComment(db, voter.viewer, c.key, positions[round % positions.length], { body: `Comment ${round}`, stance: "for" });
          written += 1;
          // Prisma on SQLite settles in microtasks only: let timers and child-process I/O run between writes.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const out = path.join(dir, "backup.db");
      const backup = await cli(["backup", "--out", out]);
      writing = false;
      await writer;
      expect(written).toBeGreaterThan(20);
      expect(backup.stderr).toMatch(/copying a snapshot of [\d.]+ MB/);
      expect(backup.stderr).toMatch(/done: [\d.]+ MB written \(100%\)/);
      expect(backup.stderr).toContain("integrity: ok");
      expect(backup.stdout.trim()).toBe(out);

      const checked = checkDatabase(out);
      expect(checked.integrity).toBe("ok");
      expect(checked.foreignKeyProblems).toBe(0);
      const after = await db.vote.count();
      expect(checked.counts.Vote).toBeGreaterThanOrEqual(before);
      expect(checked.counts.Vote).toBeLessThanOrEqual(after);

      // Restore into a new file: the app opens it and finds what the backup held.
      const target = path.join(dir, "restored.db");
      const restored = await cli(["restore", "--from", out, "--to", target]);
      expect(restored.stderr).toContain("integrity ok");
      const reopened = await createDb(`file:${target}`);
      try {
        expect(await reopened.vote.count()).toBe(checked.counts.Vote);
        expect(await reopened.consultation.count({ where: { slug: c.slug } })).toBe(1);
      } finally {
        await reopened.$disconnect();
      }

      // A damaged backup: refused with a message, the target untouched.
      const damaged = path.join(dir, "damaged.db");
      const bytes = fs.readFileSync(out);
      bytes.fill(0x42, 4096, 4096 * 3);
      fs.writeFileSync(damaged, bytes);
      const targetBefore = fs.readFileSync(target);
      const refused = await cli(["restore", "--from", damaged, "--to", target]).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(refused?.code).toBe(1);
      expect(refused?.stderr).toMatch(/fails the integrity check|not a database|malformed|not a Polyphony database/);
      expect(fs.readFileSync(target).equals(targetBefore)).toBe(true);

      // Bad arguments: exit 2 with the reason.
      const usage = await cli(["backup"]).then(() => null, (error: { code: number; stderr: string }) => error);
      expect(usage?.code).toBe(2);
      expect(usage?.stderr).toContain("--out <file> is required");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("on PostgreSQL the command points to pg_dump instead", async () => {
    const answer = await cli(["backup", "--out", "/tmp/never.db"], { DATABASE_URL: "postgresql://localhost/polyphony" }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(answer?.code).toBe(2);
    expect(answer?.stderr).toContain("pg_dump --format=custom");
  });
});
