/**
 * Real app processes for tests: `node build/server.js` (what `npm start` runs), built first when stale,
 * on a free loopback port, against the test file's database (DATABASE_URL), in production mode with
 * plain-http cookies (the cookie is then `polyphony_session`, as realtime-harness.ts sends it).
 * Each line the process prints is kept (they must all be JSON: tests check the logs).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "../setup/paths";

export interface AppProcess {
  url: string;
  child: ChildProcess;
  /** Every line the process wrote to stdout and stderr. */
  lines: string[];
  /** Resolves with the exit code (or the signal's name) once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  stop(): Promise<void>;
}

let built: Promise<void> | undefined;

/** build/server.js, rebuilt when older than its sources (once per test file). */
export function ensureServerBuild(): Promise<void> {
  built ??= (async () => {
    const serverBuild = (await import(pathToFileURL(path.join(PROJECT_ROOT, "realtime", "build-server.mjs")).href)) as {
      buildServer(options?: { quiet?: boolean }): Promise<number>;
      serverBuildIsCurrent(): boolean;
    };
    if (!serverBuild.serverBuildIsCurrent()) await serverBuild.buildServer({ quiet: true });
  })();
  return built;
}

export async function startAppProcess(env: Record<string, string> = {}): Promise<AppProcess> {
  await ensureServerBuild();
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, "build", "server.js")], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL,
      PORT: "0",
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      POLYPHONY_INSECURE_COOKIES: "1",
      POLYPHONY_FAST_HASH: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${lines.join("\n")}`)), 20_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
        lines.push(line);
        try {
          const parsed = JSON.parse(line) as { msg?: string; port?: number };
          if (parsed.msg === "listening" && parsed.port) {
            clearTimeout(timer);
            resolve(parsed.port);
          }
        } catch {
          // not JSON: kept in `lines`, where the log test finds it
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening:\n${lines.join("\n")}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    lines,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
