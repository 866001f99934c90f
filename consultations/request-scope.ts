/**
 * Reads shared within one HTTP request. A page's loaders run side by side, and each domain verb starts by
 * loading the consultation (access.ts) and the session: the consultation page asked for the same
 * consultation row six times and the session twice. Within a request scope (realtime/app-server.ts wraps
 * every request in one) such reads are made once and shared.
 *
 * Never stale after a write: any write through the database client (consultations/db/client.ts) forgets
 * every read of the scope, so what an action changed is read again by the loaders that follow it in the
 * same request. Outside a scope (tests that call the domain directly, the socket server) nothing is shared.
 *
 * The storage is on globalThis: the Remix server build and the realtime server each bundle this module.
 */
import { AsyncLocalStorage } from "node:async_hooks";

interface Scope {
  reads: Map<string, Promise<unknown>>;
}

const key = Symbol.for("polyphony.requestScope");
const storage: AsyncLocalStorage<Scope> = ((globalThis as { [key]?: AsyncLocalStorage<Scope> })[key] ??= new AsyncLocalStorage<Scope>());

/** Runs `work` (a request's handling) in a scope of its own. */
export function inRequestScope<T>(work: () => T): T {
  return storage.run({ reads: new Map() }, work);
}

/** The read under `name`, made once per request scope (a failed read is not kept). */
export function sharedRead<T>(name: string, read: () => Promise<T>): Promise<T> {
  const scope = storage.getStore();
  if (!scope) return read();
  let pending = scope.reads.get(name) as Promise<T> | undefined;
  if (!pending) {
    pending = read();
    scope.reads.set(name, pending);
    pending.catch(() => {
      if (scope.reads.get(name) === pending) scope.reads.delete(name);
    });
  }
  return pending;
}

/** A write happened: nothing read before it is shared any more. */
export function forgetSharedReads(): void {
  storage.getStore()?.reads.clear();
}
