import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { hash as argon2Hash, verify as argon2Verify } from "@node-rs/argon2";

/** Crockford base32: no I, L, O, U, so codes read aloud or copied from paper survive. */
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Bits of entropy in invitation codes, recovery codes and session tokens (CSPRNG). */
/** 28 base32 characters: at least 128 bits as the threat model requires, printed as 7 groups of 4. */
export const TOKEN_BITS = 140;

/** A random code of `bits` entropy in Crockford base32, upper case, without separators. */
export function randomCode(bits = TOKEN_BITS): string {
  const chars = Math.ceil(bits / 5);
  const bytes = randomBytes(chars);
  let out = "";
  for (let i = 0; i < chars; i++) out += CROCKFORD[bytes[i] & 31];
  return out;
}

/** Groups of 4 with dashes for people to read and type: 7Q2M-XK4R-... */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}

/** Undo what people do to codes: dashes, spaces, lower case, and O/I/L typed for 0/1/1. */
export function normaliseCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
}

/** SHA-256 hex: enough for high-entropy tokens (codes, session tokens), never for passwords. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * argon2id with 19 MiB and t=2 (OWASP's first recommended setting): memory-hard, ~20-40 ms here.
 * Tests may lower the cost through POLYPHONY_FAST_HASH=1 (never in production: env is validated).
 */
function argonOptions() {
  return process.env.POLYPHONY_FAST_HASH === "1"
    ? { memoryCost: 1024, timeCost: 1, parallelism: 1 }
    : { memoryCost: 19456, timeCost: 2, parallelism: 1 };
}

export async function hashSecret(secret: string): Promise<string> {
  return argon2Hash(secret, { ...argonOptions(), algorithm: 2 /* Argon2id */ });
}

export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  try {
    return await argon2Verify(hash, secret);
  } catch {
    return false;
  }
}

/** A hash to verify against when no account matches, so timing does not reveal which emails exist. */
let dummyHash: Promise<string> | undefined;
export function dummySecretHash(): Promise<string> {
  dummyHash ??= hashSecret("polyphony-dummy-secret");
  return dummyHash;
}
