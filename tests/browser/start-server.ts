/**
 * Playwright's webServer: a fresh, migrated database at tests/.tmp/browser.db, then the production server
 * (realtime/server.ts, serving the Remix build in ./build) on port 3100. Run from the project root.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
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

// `node --import tsx` (what `npx tsx` ends up running) without the npm-exec / shell / tsx-relay layers:
// SIGTERM from Playwright reaches the server itself, and no orphan keeps port 3100 busy.
const child = spawn(process.execPath, ["--import", "tsx", "realtime/server.ts"], {
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
  console.error("[browser server] could not start realtime/server.ts:", error);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) console.log(`[browser server] server stopped by ${signal}`);
  process.exit(code ?? (signal ? 0 : 1));
});
