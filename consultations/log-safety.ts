/**
 * What may go into a log line. Logs leave the application (to a host's journal, a log service, a
 * support ticket): they must never carry personal data or secrets. So:
 * - paths: the invitation code in /join/<code> is a secret (it lets anyone join): replaced by <code>;
 * - errors: only their name, code and first line. Prisma's messages go on to print the query's
 *   arguments (what someone wrote, a pseudonym); the first line says which call failed, without them.
 *   The stack keeps its "at ..." frames only (file names and lines).
 * Nothing logs addresses, cookies, emails, pseudonyms or request bodies at all.
 */

/** A request path safe to log. */
export function loggablePath(pathname: string): string {
  return pathname.replace(/^\/join\/[^/]+/, "/join/<code>").slice(0, 200);
}

/** The parts of an error safe to log. */
export function loggableError(error: unknown): { error: string; code?: string; stack?: string } {
  if (!(error instanceof Error)) return { error: typeof error };
  const firstLine = error.message.split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? "").split("\n").filter((l) => /^\s*at /.test(l)).slice(0, 8).join("\n");
  return {
    error: `${error.name}: ${firstLine.slice(0, 160)}`,
    ...(typeof code === "string" ? { code } : {}),
    ...(frames ? { stack: frames } : {}),
  };
}
