/**
 * The one gateway from Remix routes to the domain. Routes import services from here (a .server.ts
 * module), so Prisma, argon2, marked and the sanitizer never reach the browser bundle.
 */
export { getDb } from "../consultations/db/client";
export * as accounts from "../consultations/accounts";
export * as consultations from "../consultations/consultations";
export * as invitations from "../consultations/invitations";
export * as participants from "../consultations/participants";
export * as positions from "../consultations/positions";
export * as votes from "../consultations/votes";
export * as comments from "../consultations/comments";
export * as moderation from "../consultations/moderation";
export * as sessions from "../consultations/sessions";
export * as synthesis from "../consultations/synthesis-runs";
export * as live from "../consultations/live-sessions";
export * as auditLog from "../consultations/audit-log";
export * as rights from "../consultations/participant-rights";
export * as proxy from "../consultations/proxy";
export * as languages from "../consultations/consultation-languages";
export { renderMarkdown } from "../consultations/markdown";
export { isDomainError, DomainError } from "../consultations/errors";
