/**
 * Token buckets, pure: no clock, no storage, no I/O. consultations/rate-limits.ts keeps the buckets (in
 * memory) and names the limits; this module only does the arithmetic, so it can be tested exactly.
 *
 * A bucket holds at most `burst` tokens and gains `per` tokens every `everyMs` milliseconds, continuously
 * (a fraction of a token after a fraction of the period). Each action takes one token; with none left the
 * action is refused and the caller learns how long until one is back. A bucket nobody has touched is full,
 * so a missing state means "full": stores may forget full buckets (and evict quiet ones) without changing
 * any answer but that of a bucket evicted while not yet full.
 */

export interface BucketLimit {
  /** Tokens the bucket holds: how many actions may happen at once after a quiet spell. */
  burst: number;
  /** Tokens regained every `everyMs` (the sustained rate). */
  per: number;
  everyMs: number;
}

export interface BucketState {
  tokens: number;
  /** When `tokens` was computed (ms, the caller's clock). */
  at: number;
}

/** The bucket as it stands at `now` (refilled since `state.at`, capped at `burst`). */
export function refill(state: BucketState | undefined, limit: BucketLimit, now: number): BucketState {
  if (!state) return { tokens: limit.burst, at: now };
  // A clock that went backwards (tests, NTP) adds nothing and does not move `at` back.
  const elapsed = Math.max(0, now - state.at);
  const tokens = Math.min(limit.burst, state.tokens + (elapsed * limit.per) / limit.everyMs);
  return { tokens, at: Math.max(now, state.at) };
}

/** Milliseconds until the refilled bucket holds `cost` tokens (0: now). */
export function waitFor(state: BucketState, limit: BucketLimit, cost = 1): number {
  if (state.tokens >= cost) return 0;
  if (cost > limit.burst) return Infinity;
  return Math.ceil(((cost - state.tokens) * limit.everyMs) / limit.per);
}

export type TakeResult = { ok: true; state: BucketState } | { ok: false; state: BucketState; retryAfterMs: number };

/** Takes `cost` tokens if the bucket has them at `now`; otherwise refuses and says how long to wait. */
export function take(state: BucketState | undefined, limit: BucketLimit, now: number, cost = 1): TakeResult {
  const current = refill(state, limit, now);
  if (current.tokens >= cost) return { ok: true, state: { tokens: current.tokens - cost, at: current.at } };
  return { ok: false, state: current, retryAfterMs: waitFor(current, limit, cost) };
}

/** Gives `cost` tokens back (an attempt that turned out not to count), never above `burst`. */
export function giveBack(state: BucketState | undefined, limit: BucketLimit, now: number, cost = 1): BucketState {
  const current = refill(state, limit, now);
  return { tokens: Math.min(limit.burst, current.tokens + cost), at: current.at };
}

/** Whether a bucket is full at `now` (a store may forget it: a missing bucket is full). */
export function isFull(state: BucketState, limit: BucketLimit, now: number): boolean {
  return refill(state, limit, now).tokens >= limit.burst;
}
