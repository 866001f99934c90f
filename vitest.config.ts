import path from "node:path";
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    // The Remix app's "~/*" import alias (tsconfig paths), for tests of app/ modules.
    alias: { "~": path.join(root, "app") },
  },
  test: {
    root,
    environment: "node",
    globals: true,
    include: [
      "consultations/**/*.test.ts",
      "realtime/**/*.test.ts",
      "app/**/*.test.ts",
      "app/**/*.test.tsx",
      "tests/integration/**/*.test.ts",
    ],
    exclude: [...configDefaults.exclude, "tests/browser/**", "build/**", "public/build/**"],
    // Once per run: migrate tests/.tmp/template.db.
    globalSetup: ["tests/setup/global-setup.ts"],
    // Before each test file: fresh copy of the template, DATABASE_URL + POLYPHONY_FAST_HASH set.
    setupFiles: ["tests/setup/worker-db.ts"],
    // A 2-core CI machine running SQLite + argon2: leave headroom over the 5 s / 10 s defaults.
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
