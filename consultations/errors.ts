/**
 * Domain errors. The app maps each kind to one HTTP status (and realtime to a socket ack error):
 * invalid 422, unauthenticated 401, forbidden 403, not_found 404, conflict 409, rate_limited 429.
 */
export type DomainErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited";

export const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

/**
 * Marks a DomainError whichever copy of this module made it: the Remix server build and the realtime
 * server each bundle their own, and share the database client (consultations/db/client.ts), so an error
 * the client raises comes from the other copy's class.
 */
const BRAND = Symbol.for("polyphony.domainError");

export class DomainError extends Error {
  readonly [BRAND] = true;
  readonly kind: DomainErrorKind;
  /** Field-level messages for forms, keyed by input name. */
  readonly fieldErrors: Record<string, string[]>;

  constructor(kind: DomainErrorKind, message: string, fieldErrors: Record<string, string[]> = {}) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.fieldErrors = fieldErrors;
  }

  get status(): number {
    return STATUS_BY_KIND[this.kind];
  }
}

export const notFound = (what = "This page") => new DomainError("not_found", `${what} was not found.`);
export const forbidden = (message = "You are not allowed to do this.") => new DomainError("forbidden", message);
export const conflict = (message: string) => new DomainError("conflict", message);
export const invalid = (message: string, fieldErrors: Record<string, string[]> = {}) =>
  new DomainError("invalid", message, fieldErrors);
export const unauthenticated = (message = "Please sign in first.") =>
  new DomainError("unauthenticated", message);

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError || (error instanceof Error && (error as unknown as Record<symbol, unknown>)[BRAND] === true);
}
