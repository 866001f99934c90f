/**
 * Abuse limits: how often a person, a stakeholder group or a client address may do something, kept in
 * memory only (nothing here is ever written to the database or a log).
 *
 * - The limits are named below, each with its reason. Each is a token bucket (consultations/token-bucket.ts):
 *   `burst` actions at once after a quiet spell, then `per` every `everyMs`.
 * - The domain verbs check them (positions.ts `submitPosition`, comments.ts `postComment`, votes.ts
 *   `castVotes`, accounts.ts `verifyLogin`, participants.ts `returnToConsultation` and
 *   `joinWithInvitation`, invitations.ts `previewInvitation`), so an HTTP form and a socket event are
 *   limited alike. Going over a limit throws `RateLimited` (DomainError kind "rate_limited", 429) whose
 *   message says, in plain words, when to try again; HTTP answers carry `Retry-After`
 *   (app/http.server.ts), socket acks status 429.
 * - Per participant AND per stakeholder group: one group cannot flood a consultation, whatever the
 *   number of its members' identities.
 * - Per client address (sign-in and invitations only): the address is never stored as it is. It is
 *   reduced to its network (IPv4 address, IPv6 /64: one household or phone gets many IPv6 addresses) and
 *   keyed with an HMAC under a random per-process secret, so even a heap dump does not list addresses;
 *   restarting the process forgets everything. Emails and pseudonyms typed at sign-in are keyed the same way.
 * - Failed attempts only, for sign-in and invitations: a bucket is reserved before the attempt and the
 *   token given back when it succeeds, so a busy shared address (a drop-in centre's wifi) is not locked
 *   out by its own successful sign-ins, and concurrent guesses cannot overrun the bucket.
 * - The store is bounded (`maxKeys`, least recently used evicted first) and held on globalThis: the Remix
 *   server build and the realtime server each bundle their own copy of this module and must share one
 *   store (as consultations/events.ts shares its listeners).
 * - `POLYPHONY_RATE_LIMITS=off` (realtime/env.ts, applied by realtime/server.ts) turns every limit off:
 *   load tests only.
 *
 * With several server processes, each keeps its own buckets: the limits then hold per process.
 */
import { createHmac, randomBytes } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import { DomainError } from "./errors";
import { giveBack, isFull, take, type BucketLimit, type BucketState } from "./token-bucket";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export interface NamedLimit extends BucketLimit {
  /** Part of the bucket's key; unique. */
  name: string;
  /** What the person reads, before "Please try again in ...". Plain words, no figures about others. */
  message: string;
}

// ---- the limits --------------------------------------------------------------------------------

/**
 * Failed sign-ins (facilitator or participant) from one network. Guessing passwords or passphrases from
 * one place is slow (one guess every 45 s after 20), while a room of people on one wifi who mistype now
 * and then is never stopped (successful sign-ins do not count).
 */
export const SIGN_IN_FAILURES_PER_ADDRESS_PER_15_MINUTES: NamedLimit = {
  name: "sign-in-failures/address",
  burst: 20,
  per: 20,
  everyMs: 15 * MINUTE,
  message: "There were too many unsuccessful sign-in attempts from your network.",
};

/**
 * Failed sign-ins to one facilitator email, from anywhere: guessing spread over many addresses stays slow.
 * Kept generous because it can also be used to keep the real facilitator out for a while.
 */
export const SIGN_IN_FAILURES_PER_ACCOUNT_PER_HOUR: NamedLimit = {
  name: "sign-in-failures/account",
  burst: 10,
  per: 10,
  everyMs: HOUR,
  message: "There were too many unsuccessful sign-in attempts for this email.",
};

/**
 * Failed passphrases for one pseudonym of one consultation, from anywhere. The recovery code still works
 * while this one is exhausted (the message says so), so nobody can lock a participant out entirely.
 */
export const PASSPHRASE_FAILURES_PER_PSEUDONYM_PER_HOUR: NamedLimit = {
  name: "passphrase-failures/pseudonym",
  burst: 10,
  per: 10,
  everyMs: HOUR,
  message: "There were too many unsuccessful attempts with this pseudonym. You can still come back with your recovery code.",
};

/**
 * Unknown invitation codes tried from one network (joining and the invitation's preview page). Codes have
 * 140 random bits, so this is not what keeps them safe; it stops a script from hammering the database.
 */
export const INVITATION_FAILURES_PER_ADDRESS_PER_15_MINUTES: NamedLimit = {
  name: "invitation-failures/address",
  burst: 20,
  per: 20,
  everyMs: 15 * MINUTE,
  message: "Too many unknown invitation codes were tried from your network.",
};

/**
 * New positions by one participant. Positions are considered statements that everyone is asked to vote
 * on; nobody writes twenty good ones in an hour, and a script could bury a question in a minute.
 */
export const POSITIONS_PER_PARTICIPANT_PER_HOUR: NamedLimit = {
  name: "positions/participant",
  burst: 10,
  per: 20,
  everyMs: HOUR,
  message: "You have posted many positions in a short time.",
};

/**
 * New positions by all participants of one stakeholder group together: one group (or one person with
 * several invitations of it) cannot drown the others' positions. A workshop where a large group posts at
 * the start still fits in the burst.
 */
export const POSITIONS_PER_GROUP_PER_HOUR: NamedLimit = {
  name: "positions/group",
  burst: 150,
  per: 300,
  everyMs: HOUR,
  message: "Your stakeholder group has posted many positions in a short time. To leave room for every group, new positions from your group wait a little.",
};

/** Comments by one participant: a lively thread is a comment a minute, not ten. */
export const COMMENTS_PER_PARTICIPANT_PER_HOUR: NamedLimit = {
  name: "comments/participant",
  burst: 15,
  per: 60,
  everyMs: HOUR,
  message: "You have posted many comments in a short time.",
};

/** Comments by all participants of one stakeholder group together (as for positions). */
export const COMMENTS_PER_GROUP_PER_HOUR: NamedLimit = {
  name: "comments/group",
  burst: 300,
  per: 600,
  everyMs: HOUR,
  message: "Your stakeholder group has posted many comments in a short time. To leave room for every group, new comments from your group wait a little.",
};

/**
 * Votes by one participant (HTTP and socket alike; retries answered from an idempotency key do not count).
 * A person reads before voting, about one vote every few seconds; the burst covers a phone that queued
 * votes offline and sends them together, and 2 a second sustained is more than anyone clicks. Every vote
 * is a row in the event log, so a script must not vote hundreds of times a second.
 */
export const VOTES_PER_PARTICIPANT_PER_MINUTE: NamedLimit = {
  name: "votes/participant",
  burst: 120,
  per: 120,
  everyMs: MINUTE,
  message: "You have voted very quickly.",
};

/**
 * Votes by all participants of one stakeholder group together. Votes are cheap but not free (a server
 * writes ~2,000 a second): one group cannot take the whole of it. A live session where 2,000 members of one
 * group vote on the spotlighted position within seconds still fits.
 */
export const VOTES_PER_GROUP_PER_SECOND: NamedLimit = {
  name: "votes/group",
  burst: 2000,
  per: 500,
  everyMs: SECOND,
  message: "Your stakeholder group is voting faster than the server can take right now.",
};

// ---- the store (in memory, shared by every bundle of this module in the process) ----------------

interface Store {
  buckets: Map<string, BucketState>;
  enabled: boolean;
  maxKeys: number;
  now: () => number;
  /** Keys addresses, emails and pseudonyms: never kept as typed. */
  secret: Buffer;
}

/** Buckets kept at most (about 100 bytes each): the least recently used go first. */
export const DEFAULT_MAX_KEYS = 100_000;

const storeKey = Symbol.for("polyphony.rateLimits");
function store(): Store {
  const holder = globalThis as { [storeKey]?: Store };
  return (holder[storeKey] ??= {
    buckets: new Map(),
    enabled: true,
    maxKeys: DEFAULT_MAX_KEYS,
    now: () => Date.now(),
    secret: randomBytes(32),
  });
}

/** Turns the limits on or off (realtime/server.ts, from POLYPHONY_RATE_LIMITS) and sets the store's bound. */
export function configureRateLimits(options: { enabled?: boolean; maxKeys?: number }): void {
  const s = store();
  if (options.enabled !== undefined) s.enabled = options.enabled;
  if (options.maxKeys !== undefined) s.maxKeys = Math.max(1, options.maxKeys);
}

export function rateLimitsEnabled(): boolean {
  return store().enabled;
}

/** Tests: the clock the buckets read (null: the real one). */
export function setRateLimitClock(now: (() => number) | null): void {
  store().now = now ?? (() => Date.now());
}

/** Tests: forget every bucket, turn the limits on, default bound and clock. */
export function resetRateLimits(): void {
  const s = store();
  s.buckets.clear();
  s.enabled = true;
  s.maxKeys = DEFAULT_MAX_KEYS;
  s.now = () => Date.now();
}

/** Buckets held now (tests, and the bound). */
export function rateLimitKeyCount(): number {
  return store().buckets.size;
}

function read(s: Store, key: string): BucketState | undefined {
  const state = s.buckets.get(key);
  if (state) {
    // Least recently used first: a touched key moves to the end.
    s.buckets.delete(key);
    s.buckets.set(key, state);
  }
  return state;
}

function write(s: Store, key: string, state: BucketState, limit: BucketLimit): void {
  if (isFull(state, limit, state.at)) {
    s.buckets.delete(key); // a missing bucket is a full one
    return;
  }
  s.buckets.delete(key);
  s.buckets.set(key, state);
  while (s.buckets.size > s.maxKeys) {
    const oldest = s.buckets.keys().next().value as string;
    s.buckets.delete(oldest);
  }
}

// ---- refusing --------------------------------------------------------------------------------

/** Going over a limit: 429, with when to try again (`Retry-After` on HTTP). */
export class RateLimited extends DomainError {
  constructor(
    readonly limit: string,
    message: string,
    /** Whole seconds until the action is allowed again (at least 1). */
    readonly retryAfterSeconds: number,
  ) {
    super("rate_limited", message, { form: [message] });
  }
}

/**
 * A rate-limited error's wait in seconds, else undefined. Read off the error, not `instanceof`: the Remix
 * build and the realtime server each bundle this module, so the error may be the other copy's class.
 */
export function retryAfterOf(error: unknown): number | undefined {
  const seconds = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === "number" && Number.isFinite(seconds) ? seconds : undefined;
}

/** "in 12 seconds", "in about 3 minutes", "in about 2 hours". */
export function inPlainWords(seconds: number): string {
  if (seconds <= 1) return "in a second";
  if (seconds < 60) return `in ${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes === 1) return "in about a minute";
  if (minutes < 60) return `in about ${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? "in about an hour" : `in about ${hours} hours`;
}

function refusal(limit: NamedLimit, retryAfterMs: number): RateLimited {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new RateLimited(limit.name, `${limit.message} Please try again ${inPlainWords(seconds)}.`, seconds);
}

/** One bucket to check: a limit and whose it is (see the `*Subject` helpers). */
export type Check = readonly [limit: NamedLimit, subject: string];

/**
 * Takes one token from every bucket, or from none: the refusal of the bucket that frees up last, or null.
 * O(1) per check, no I/O (the vote hot path calls it per ballot).
 */
export function tryConsume(checks: readonly Check[]): RateLimited | null {
  const s = store();
  if (!s.enabled) return null;
  const now = s.now();
  let refused: { limit: NamedLimit; retryAfterMs: number } | null = null;
  const taken: BucketState[] = [];
  for (const [limit, subject] of checks) {
    const result = take(read(s, `${limit.name}|${subject}`), limit, now);
    if (!result.ok) {
      if (!refused || result.retryAfterMs > refused.retryAfterMs) refused = { limit, retryAfterMs: result.retryAfterMs };
    } else taken.push(result.state);
  }
  if (refused) return refusal(refused.limit, refused.retryAfterMs);
  checks.forEach(([limit, subject], k) => write(s, `${limit.name}|${subject}`, taken[k], limit));
  return null;
}

/** `tryConsume`, throwing the refusal. */
export function consume(checks: readonly Check[]): void {
  const refused = tryConsume(checks);
  if (refused) throw refused;
}

/** Gives one token back to each bucket (an attempt that turned out not to count). */
export function refund(checks: readonly Check[]): void {
  const s = store();
  if (!s.enabled) return;
  const now = s.now();
  for (const [limit, subject] of checks) {
    const key = `${limit.name}|${subject}`;
    write(s, key, giveBack(read(s, key), limit, now), limit);
  }
}

/**
 * Failed attempts only: takes a token from each bucket now (throws when one is empty) and returns a
 * function that gives them back, to call when the attempt succeeded.
 */
export function reserve(checks: readonly Check[]): () => void {
  consume(checks);
  let refunded = false;
  return () => {
    if (refunded) return;
    refunded = true;
    refund(checks);
  };
}

// ---- subjects ----------------------------------------------------------------------------------

/** What the domain knows of the client sending a request: its address, in memory only. */
export interface ClientInfo {
  /** Express `req.ip` (or the socket's address); null/undefined when unknown: no per-address limit. */
  address?: string | null;
}

function keyed(kind: string, value: string): string {
  return createHmac("sha256", store().secret).update(`${kind}\u0000${value}`).digest("base64url").slice(0, 22);
}

/** The network an address belongs to: the IPv4 address itself, or an IPv6 address's /64; null if not an IP. */
export function addressNetwork(address: string): string | null {
  let value = address.trim();
  if (/^::ffff:/i.test(value) && isIPv4(value.slice(7))) value = value.slice(7);
  if (isIPv4(value)) return value;
  value = value.split("%")[0]; // zone index (fe80::1%eth0)
  if (!isIPv6(value)) return null;
  return `${ipv6Groups(value).slice(0, 4).join(":")}::/64`;
}

function ipv6Groups(address: string): string[] {
  const parse = (part: string) =>
    part
      ? part.split(":").flatMap((group) => {
          if (!group.includes(".")) return [group];
          const [a, b, c, d] = group.split(".").map(Number);
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        })
      : [];
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const first = parse(head);
  const groups = tail === undefined ? first : [...first, ...new Array(8 - first.length - parse(tail).length).fill("0"), ...parse(tail)];
  return groups.map((g) => parseInt(g, 16).toString(16));
}

/** The bucket subject of a client's network (HMAC-keyed), or null when the address is unknown. */
export function addressSubject(client: ClientInfo | undefined): string | null {
  const network = client?.address ? addressNetwork(client.address) : null;
  return network ? keyed("address", network) : null;
}

/** The bucket subject of an email typed at sign-in (HMAC-keyed, case-insensitive). */
export function emailSubject(email: string): string {
  return keyed("email", email.trim().toLowerCase());
}

/** The bucket subject of a pseudonym typed at sign-in in one consultation (HMAC-keyed). */
export function pseudonymSubject(consultationId: string, pseudonymKey: string): string {
  return keyed("pseudonym", `${consultationId}\u0000${pseudonymKey}`);
}

/** Checks with a per-address one added when the address is known. */
export function withAddress(checks: Check[], limit: NamedLimit, client: ClientInfo | undefined): Check[] {
  const subject = addressSubject(client);
  return subject ? [...checks, [limit, subject]] : checks;
}
