/**
 * The process's write gate: one database write transaction at a time in this process, whichever
 * connection runs it (Prisma's, or the direct SQLite one of consultations/db/direct-sqlite.ts). Prisma
 * already runs its transactions one at a time on its connection; the gate extends that to the direct
 * connection. Held on globalThis: the Remix server bundle and the realtime server each bundle this module.
 */
export class Gate {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after every earlier holder finished (in arrival order). */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const key = Symbol.for("polyphony.writeGate");
export const writeGate: Gate = ((globalThis as { [key]?: Gate })[key] ??= new Gate());
