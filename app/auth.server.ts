/**
 * Facilitator account services for routes (server-only). Re-exports the domain's account and session
 * verbs; each takes the database first: `await signUp(await getDb(), form)`.
 */
export {
  changePassword,
  getAccount,
  signUp,
  verifyLogin,
  type AccountSummary,
} from "../consultations/accounts";
// revokeOwnSession: ends one session of this account, false when no such session belongs to it (a
// facilitator can never end someone else's session by guessing an id); its sockets close at once.
export { listAccountSessions, revokeAccountSession as revokeOwnSession, revokeAccountSessions } from "../consultations/sessions";
