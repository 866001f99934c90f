/**
 * The PostgreSQL schema is derived from prisma/schema.prisma, the one schema: same models, same fields;
 * only the datasource provider and the generated client's folder differ. Written to
 * prisma/postgresql/schema.prisma (not committed; `npm install` and `npm run db:generate` write it), and
 * checked by tests/integration/postgres-schema.test.ts.
 *
 *   node prisma/derive-postgresql.mjs [--check]   (--check: exit 1 when the file on disk is stale)
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.join(here, "schema.prisma");
const target = path.join(here, "postgresql", "schema.prisma");

/** The PostgreSQL variant of a schema text. Throws when the expected lines are not there. */
export function derivePostgresql(text) {
  const provider = /(datasource db \{[^}]*?provider\s*=\s*)"sqlite"/;
  const output = /(generator client \{[^}]*?output\s*=\s*)"\.\.\/consultations\/db\/generated"/;
  if (!provider.test(text)) throw new Error('prisma/schema.prisma: no `provider = "sqlite"` in the datasource');
  if (!output.test(text)) throw new Error('prisma/schema.prisma: no `output = "../consultations/db/generated"` in the generator');
  return [
    "// GENERATED from prisma/schema.prisma by prisma/derive-postgresql.mjs: do not edit (edit the source).",
    text.replace(provider, '$1"postgresql"').replace(output, '$1"../../consultations/db/generated-pg"'),
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = derivePostgresql(fs.readFileSync(source, "utf8"));
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
    if (current !== wanted) {
      console.error(`${path.relative(process.cwd(), target)} is stale: run node prisma/derive-postgresql.mjs`);
      process.exit(1);
    }
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, wanted);
  }
}
