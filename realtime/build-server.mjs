/**
 * Builds the production server entry: realtime/server.ts and everything it imports from realtime/ and
 * consultations/ (including the generated Prisma client, which is TypeScript) into ONE file,
 * build/server.js (ESM, Node). Packages stay external: node_modules is imported at run time as installed
 * (better-sqlite3's native addon, Prisma's Wasm engine, socket.io...).
 *
 *   node realtime/build-server.mjs            (part of `npm run build`, after `remix build`)
 *
 * Why: running the server through tsx costs ~50-60 MB of RSS before the first connection (tsx's loader
 * and esbuild's transform of every source file at start-up), and production should not compile at run
 * time. `npm start` runs `node build/server.js`; `npm run dev` still runs the sources through tsx.
 *
 * build/server.js sits one folder below the project root, like realtime/server.ts, so paths that the
 * bundled code derives from import.meta.url keep their meaning (realtime/paths.ts finds the root by
 * looking for package.json anyway). The output is written to a temporary file and renamed, so a server
 * starting at the same moment never reads half a file.
 *
 * `serverBuildIsCurrent()` (used by tests/bench/realtime.ts) says whether build/server.js is newer than
 * every input of its last build and than this script.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ENTRY = path.join(ROOT, "realtime", "server.ts");
export const OUTFILE = path.join(ROOT, "build", "server.js");
const METAFILE = path.join(ROOT, "build", "server.meta.json");
const SELF = fileURLToPath(import.meta.url);

/** Builds build/server.js (+ .map and the esbuild metafile); returns the output's size in bytes. */
export async function buildServer({ quiet = false } = {}) {
  const started = Date.now();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: OUTFILE,
    bundle: true,
    platform: "node",
    format: "esm",
    // Node 20 is the oldest supported runtime (package.json engines); 22 and 24 run the same output.
    target: "node20",
    // Every bare import (node_modules) stays an import: nothing from packages is copied into the bundle.
    packages: "external",
    // Readable stack traces without source maps; the .map is there for `node --enable-source-maps`.
    minify: false,
    sourcemap: "linked",
    sourcesContent: false,
    legalComments: "none",
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  fs.mkdirSync(path.dirname(OUTFILE), { recursive: true });
  let size = 0;
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.contents);
    fs.renameSync(temporary, file.path);
    if (file.path === OUTFILE) size = file.contents.length;
  }
  const temporary = `${METAFILE}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(result.metafile));
  fs.renameSync(temporary, METAFILE);
  if (!quiet) {
    const inputs = Object.keys(result.metafile.inputs).length;
    console.log(`built ${path.relative(ROOT, OUTFILE)} (${(size / 1024).toFixed(0)} KB from ${inputs} files) in ${Date.now() - started} ms`);
  }
  return size;
}

/** True when build/server.js exists and is newer than this script and every input of its last build. */
export function serverBuildIsCurrent() {
  try {
    const built = fs.statSync(OUTFILE).mtimeMs;
    const meta = JSON.parse(fs.readFileSync(METAFILE, "utf8"));
    const inputs = [SELF, ...Object.keys(meta.inputs).map((input) => path.resolve(ROOT, input))];
    return inputs.every((input) => fs.statSync(input).mtimeMs <= built);
  } catch {
    // No build, no metafile, or an input that no longer exists: build again.
    return false;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  try {
    await buildServer();
  } catch (error) {
    // esbuild has already printed the errors (logLevel "warning").
    console.error(`server build failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    process.exit(1);
  }
}
