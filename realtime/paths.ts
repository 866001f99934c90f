/**
 * The project root (the folder of package.json: build/, public/ and data/ are found from it).
 *
 * Not `new URL("..", import.meta.url)` alone: this module runs from realtime/ (tsx, vitest) and bundled
 * into build/server.js (`npm start`, realtime/build-server.mjs), so the root is found by walking up from
 * wherever the code is to the first folder with a package.json. The working directory is the fallback.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
