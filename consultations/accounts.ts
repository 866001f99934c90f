/**
 * Facilitator accounts (the Account aggregate): sign-up with a new organisation, sign-in, password change.
 */
import type { Db } from "./db/client";
import { dummySecretHash, hashSecret, verifySecret } from "./crypto";
import { conflict, invalid } from "./errors";
import {
  emailSubject,
  reserve,
  SIGN_IN_FAILURES_PER_ACCOUNT_PER_HOUR,
  SIGN_IN_FAILURES_PER_ADDRESS_PER_15_MINUTES,
  withAddress,
  type ClientInfo,
} from "./rate-limits";
import { LoginInput, Password, SignUpInput } from "./schemas";
import { parseInput as parse } from "./validate";
import { revokeAccountSessions } from "./sessions";

export interface AccountSummary {
  id: string;
  email: string;
  displayName: string;
  organisationId: string;
  organisationName: string;
}

/** Creates an organisation and its first facilitator account. */
export async function signUp(db: Db, raw: unknown): Promise<AccountSummary> {
  const input = parse(SignUpInput, raw, "Please correct the form.");
  const existing = await db.account.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) throw conflict("An account with this email already exists. Sign in instead.");
  const passwordHash = await hashSecret(input.password);
  const account = await db.account.create({
    data: {
      email: input.email,
      displayName: input.displayName,
      passwordHash,
      organisation: { create: { name: input.organisationName } },
    },
    include: { organisation: true },
  });
  return summary(account);
}

/** Adds a facilitator to an existing organisation (used by the seed and by organisation owners). */
export async function createFacilitator(
  db: Db,
  organisationId: string,
  raw: { email: string; displayName: string; password: string },
): Promise<AccountSummary> {
  const input = parse(SignUpInput.omit({ organisationName: true }), raw, "Please correct the form.");
  const passwordHash = await hashSecret(input.password);
  const account = await db.account.create({
    data: { email: input.email, displayName: input.displayName, passwordHash, organisationId },
    include: { organisation: true },
  });
  return summary(account);
}

/**
 * Checks email + password; one generic message for every failure, constant-ish timing. Failed attempts
 * are limited per email and per client network (consultations/rate-limits.ts): 429 once either is used up.
 */
export async function verifyLogin(db: Db, raw: unknown, client: ClientInfo = {}): Promise<AccountSummary> {
  const input = parse(LoginInput, raw, "Please correct the form.");
  // Reserved before the (slow) check, so concurrent guesses cannot overrun it; given back on success.
  const succeeded = reserve(
    withAddress([[SIGN_IN_FAILURES_PER_ACCOUNT_PER_HOUR, emailSubject(input.email)]], SIGN_IN_FAILURES_PER_ADDRESS_PER_15_MINUTES, client),
  );
  const account = await db.account.findUnique({ where: { email: input.email }, include: { organisation: true } });
  const ok = await verifySecret(account?.passwordHash ?? (await dummySecretHash()), input.password);
  if (!account || !ok) throw invalid("Email or password is not right.", { form: ["Email or password is not right."] });
  succeeded();
  return summary(account);
}

/** Changes the password and ends every session of the account (the caller signs in again). */
export async function changePassword(db: Db, accountId: string, raw: { current: unknown; next: unknown }): Promise<void> {
  const account = await db.account.findUniqueOrThrow({ where: { id: accountId } });
  if (typeof raw.current !== "string" || !(await verifySecret(account.passwordHash, raw.current))) {
    throw invalid("Your current password is not right.", { current: ["Your current password is not right."] });
  }
  const next = Password.safeParse(raw.next);
  if (!next.success) throw invalid("Please choose another password.", { next: next.error.issues.map((i) => i.message) });
  await db.account.update({
    where: { id: accountId },
    data: { passwordHash: await hashSecret(next.data), passwordChangedAt: new Date() },
  });
  await revokeAccountSessions(db, accountId);
}

export async function getAccount(db: Db, accountId: string): Promise<AccountSummary | null> {
  const account = await db.account.findUnique({ where: { id: accountId }, include: { organisation: true } });
  return account ? summary(account) : null;
}

function summary(account: { id: string; email: string; displayName: string; organisationId: string; organisation: { name: string } }): AccountSummary {
  return {
    id: account.id,
    email: account.email,
    displayName: account.displayName,
    organisationId: account.organisationId,
    organisationName: account.organisation.name,
  };
}
