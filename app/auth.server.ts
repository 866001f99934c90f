/**
 * Facilitator account services for routes (server-only). Re-exports the domain's account and session
 * verbs; each takes the database first: `await signUp(await getDb(), form)`.
 */
import type { Db } from "../consultations/db/client";
import { notifySessionsRevoked } from "../consultations/sessions";

export {
  changePassword,
  getAccount,
  signUp,
  verifyLogin,
  type AccountSummary,
} from "../consultations/accounts";
export { listAccountSessions, revokeAccountSessions } from "../consultations/sessions";

/**
 * Revokes one session of this account; false when no such active session belongs to the account
 * (so a facilitator can never end someone else's session by guessing an id).
 * TODO(domain): move into consultations/sessions.ts as `revokeAccountSession`.
 */
export async function revokeOwnSession(db: Db, accountId: string, sessionId: string, now = new Date()): Promise<boolean> {
  const { count } = await db.session.updateMany({
    where: { id: sessionId, accountId, revokedAt: null },
    data: { revokedAt: now },
  });
  // Its open sockets close at once (realtime listens).
  if (count) notifySessionsRevoked({ sessionIds: [sessionId] });
  return count > 0;
}
