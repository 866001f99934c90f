import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";

const root = path.dirname(fileURLToPath(import.meta.url));
// POLYPHONY_TEST_PORT lets two checkouts run their browser tests at once.
const PORT = Number(process.env.POLYPHONY_TEST_PORT ?? 3100);

/** Flags that make Debian's chromium run headless in a container without reaching the network. */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export default defineConfig({
  testDir: path.join(root, "tests", "browser"),
  testMatch: "**/*.spec.ts",
  // Playwright empties outputDir at the start of a run: no databases live here (they are in tests/.tmp).
  outputDir: path.join(root, "test-results"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json", { outputFile: path.join(root, "tests", ".tmp", "playwright-results.json") }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_FLAGS,
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "npx tsx tests/browser/start-server.ts",
    cwd: root,
    port: PORT,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    // Let the server close its database cleanly before the process group is killed.
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
  },
});
