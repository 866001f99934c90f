/**
 * The audit log is append-only in the application: no code path updates or deletes an AuditEntry (or
 * renumbers an AuditActor). Checked by reading the source tree, so a new code path that does it fails here.
 * Rows go only with their consultation (the foreign key's ON DELETE CASCADE), which is not a code path.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SCANNED = ["app", "consultations", "realtime", "prisma", "tests"];
const SKIP_DIRS = new Set(["node_modules", "generated", "generated-pg", "build", "migrations", "test-results"]);
const THIS_FILE = fileURLToPath(import.meta.url);

/** Prisma calls and SQL that would change or remove audit rows. */
const FORBIDDEN = [
  /\baudit(?:Entry|Actor)\s*\??\.\s*(?:update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)\b/,
  /\b(?:UPDATE|DELETE\s+FROM|REPLACE\s+INTO|INSERT\s+OR\s+REPLACE\s+INTO)\s+[`"']?Audit(?:Entry|Actor)\b/i,
];

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith(".")) sourceFiles(path.join(dir, entry.name), out);
    } else if (/\.(?:[cm]?[jt]sx?|sql)$/.test(entry.name)) {
      out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

function offences(text: string): string[] {
  return text.split("\n").filter((line) => FORBIDDEN.some((re) => re.test(line)));
}

describe("audit log: append-only", () => {
  it("the check finds what it looks for (case: each forbidden form is caught, reads and creates are not)", () => {
    // Caught:
    expect(offences("await tx.auditEntry.update({ where: { id } })")).toHaveLength(1);
    expect(offences("await db.auditEntry.deleteMany({})")).toHaveLength(1);
    expect(offences("db.auditEntry .upsert(x)")).toHaveLength(1);
    expect(offences("await tx.auditActor.updateMany({ data: { number: 1 } })")).toHaveLength(1);
    expect(offences('await db.$executeRawUnsafe(\'DELETE FROM "AuditEntry"\')')).toHaveLength(1);
    expect(offences("UPDATE AuditEntry SET reason = ''")).toHaveLength(1);
    // Allowed:
    expect(offences("await tx.auditEntry.create({ data })")).toEqual([]);
    expect(offences("await db.auditEntry.findMany({})")).toEqual([]);
    expect(offences("await tx.auditActor.create({ data })")).toEqual([]);
  });

  it("no source file updates or deletes audit rows", () => {
    const files = SCANNED.flatMap((d) => (fs.existsSync(path.join(ROOT, d)) ? sourceFiles(path.join(ROOT, d)) : [])).filter((f) => f !== THIS_FILE);
    // The scan really reads the code that writes the log.
    expect(files).toContain(path.join(ROOT, "consultations", "audit.ts"));
    const found = files.flatMap((f) => offences(fs.readFileSync(f, "utf8")).map((line) => `${path.relative(ROOT, f)}: ${line.trim()}`));
    expect(found).toEqual([]);
  });

  it("the migration creates the tables with cascade on consultation deletion only", () => {
    const sql = fs.readFileSync(path.join(ROOT, "prisma", "migrations", "20261123210100_audit_log", "migration.sql"), "utf8");
    expect(sql).toContain('CREATE TABLE "AuditEntry"');
    expect(sql).toContain('CREATE TABLE "AuditActor"');
    expect(sql).toMatch(/"AuditEntry_consultationId_fkey" FOREIGN KEY \("consultationId"\) REFERENCES "Consultation" \("id"\) ON DELETE CASCADE/);
    expect(offences(sql)).toEqual([]);
  });
});
