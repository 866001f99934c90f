/**
 * Playwright's webServer: a fresh, migrated database at tests/.tmp/browser.db, then the production server
 * (build/server.js, what `npm start` runs: realtime/server.ts bundled by realtime/build-server.mjs, serving
 * the Remix build in ./build) on port 3100. build/server.js is built first when missing or older than its
 * sources, so a test run never exercises a stale server. Run from the project root.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT, TMP_DIR, fileUrl } from "../setup/paths";
import { migrateFreshDatabase } from "../setup/sqlite-files";

const PORT = process.env.POLYPHONY_TEST_PORT ?? "3100";
const dbPath = path.join(TMP_DIR, "browser.db");

const required: Record<string, string> = {
  "realtime/server.ts": "the server entry point is missing",
  "build/index.js": "no Remix build: run `npx remix build` first (npm test does)",
};
for (const [file, problem] of Object.entries(required)) {
  if (!fs.existsSync(path.join(PROJECT_ROOT, file))) {
    console.error(`[browser server] ${file}: ${problem}.`);
    process.exit(1);
  }
}

const serverBuild = (await import(pathToFileURL(path.join(PROJECT_ROOT, "realtime", "build-server.mjs")).href)) as {
  buildServer(options?: { quiet?: boolean }): Promise<number>;
  serverBuildIsCurrent(): boolean;
  OUTFILE: string;
};
if (!serverBuild.serverBuildIsCurrent()) {
  try {
    await serverBuild.buildServer();
  } catch (error) {
    console.error(`[browser server] building build/server.js failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

fs.mkdirSync(TMP_DIR, { recursive: true });
migrateFreshDatabase(dbPath);
console.log(`[browser server] migrated ${dbPath}`);

const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT,
  DATABASE_URL: fileUrl(dbPath),
  NODE_ENV: "production",
  POLYPHONY_FAST_HASH: "1",
  POLYPHONY_SEED: "none",
};

// Plain `node` without the npm-exec / shell layers: SIGTERM from Playwright reaches the server itself, and
// no orphan keeps port 3100 busy.
const child = spawn(process.execPath, [path.relative(PROJECT_ROOT, serverBuild.OUTFILE)], {
  cwd: PROJECT_ROOT,
  env,
  stdio: "inherit",
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on("error", (error) => {
  console.error("[browser server] could not start build/server.js:", error);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) console.log(`[browser server] server stopped by ${signal}`);
  process.exit(code ?? (signal ? 0 : 1));
});
