/**
 * Closing sockets when sessions end. Every socket server (realtime/sockets.ts) registers here; anyone in
 * the process may then close the sockets of revoked sessions, of an account, or of a participant:
 * each socket receives `session.ended` and is disconnected.
 *
 * Revocations made through consultations/sessions.ts (sign-out, password change, "sign out everywhere",
 * suspension, rotation at sign-in) reach the sockets on their own (the socket server listens with
 * `onSessionsRevoked`); these functions are for anything else. No socket.io import: safe to re-export
 * from an app/*.server.ts module. The registry is kept on globalThis, because the Remix server build
 * bundles its own copy of this module.
 */

import type { SessionEnded } from "./event-map";

export interface Disconnector {
  sessions(sessionIds: readonly string[], ended: SessionEnded): number;
  account(accountId: string, ended: SessionEnded): number;
  participant(participantId: string, ended: SessionEnded): number;
}

export const SIGNED_OUT: SessionEnded = { message: "Your session has ended. Please sign in again.", reason: "signed-out" };
export const SUSPENDED: SessionEnded = { message: "Your participation in this consultation is suspended.", reason: "suspended" };
export const REPLACED: SessionEnded = { message: "You signed in again on this device: reconnecting with the new session.", reason: "replaced" };

const key = Symbol.for("polyphony.realtimeDisconnectors");
const registry: Set<Disconnector> = ((globalThis as { [key]?: Set<Disconnector> })[key] ??= new Set<Disconnector>());

/** Registers a socket server; returns the function that unregisters it. */
export function registerDisconnector(disconnector: Disconnector): () => void {
  registry.add(disconnector);
  return () => registry.delete(disconnector);
}

function each(run: (d: Disconnector) => number): number {
  let closed = 0;
  for (const d of registry) closed += run(d);
  return closed;
}

/** Closes every socket of these sessions; returns how many were closed. */
export function disconnectSessions(sessionIds: readonly string[], ended: SessionEnded = SIGNED_OUT): number {
  return sessionIds.length ? each((d) => d.sessions(sessionIds, ended)) : 0;
}

/** Closes every socket signed in to this facilitator account. */
export function disconnectAccount(accountId: string, ended: SessionEnded = SIGNED_OUT): number {
  return each((d) => d.account(accountId, ended));
}

/** Closes every socket whose session speaks for this participant (suspension). */
export function disconnectParticipant(participantId: string, ended: SessionEnded = SUSPENDED): number {
  return each((d) => d.participant(participantId, ended));
}
