/**
 * Runtime environment reads for app/ server code.
 *
 * The classic Remix compiler replaces the literal `process.env.NODE_ENV` with the build mode
 * ("production" after `remix build`), so app code must not read it directly when it wants the
 * value the server process was started with. `runtimeEnv(name)` reads by a variable key, which the
 * bundler cannot replace.
 */
export function runtimeEnv(name: string): string | undefined {
  return process.env[name];
}

/** NODE_ENV as the running process sees it. */
export function isProduction(): boolean {
  return runtimeEnv("NODE_ENV") === "production";
}
