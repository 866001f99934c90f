import { giveBack, isFull, refill, take, waitFor, type BucketLimit } from "./token-bucket";

// 3 at once, then one every 10 s (3 per 30 s).
const LIMIT: BucketLimit = { burst: 3, per: 3, everyMs: 30_000 };

describe("token bucket", () => {
  it("a bucket never seen is full", () => {
    expect(refill(undefined, LIMIT, 1_000)).toEqual({ tokens: 3, at: 1_000 });
  });

  it("allows the burst at once, refuses the next with the wait until one token is back", () => {
    let state = undefined;
    for (let k = 0; k < 3; k++) {
      const result = take(state, LIMIT, 0);
      expect(result.ok).toBe(true);
      state = result.state;
    }
    expect(state).toEqual({ tokens: 0, at: 0 });
    const fourth = take(state, LIMIT, 0);
    // Case: empty bucket -> refused, 10 s until one token (3 per 30 s).
    expect(fourth).toEqual({ ok: false, state: { tokens: 0, at: 0 }, retryAfterMs: 10_000 });
  });

  it("refills continuously: 4 s into the wait, 6 s remain; after 10 s one more is allowed", () => {
    const empty = { tokens: 0, at: 0 };
    const early = take(empty, LIMIT, 4_000);
    expect(early.ok).toBe(false);
    if (!early.ok) expect(early.retryAfterMs).toBe(6_000);
    const later = take(empty, LIMIT, 10_000);
    expect(later.ok).toBe(true);
    if (later.ok) expect(later.state.tokens).toBeCloseTo(0, 10);
  });

  it("never holds more than the burst, however long it rested", () => {
    expect(refill({ tokens: 1, at: 0 }, LIMIT, 10 * 60_000).tokens).toBe(3);
  });

  it("a clock going backwards adds nothing and does not move the bucket's time back", () => {
    expect(refill({ tokens: 1, at: 50_000 }, LIMIT, 20_000)).toEqual({ tokens: 1, at: 50_000 });
  });

  it("the sustained rate is exactly `per` every `everyMs` after the burst", () => {
    // Case: 60 s of trying every 100 ms from full -> burst 3 + 60 s * (3 / 30 s) = 9 allowed.
    let state = undefined;
    let allowed = 0;
    for (let t = 0; t < 60_000; t += 100) {
      const result = take(state, LIMIT, t);
      state = result.state;
      if (result.ok) allowed += 1;
    }
    expect(allowed).toBe(3 + 5); // t = 10 s, 20 s, 30 s, 40 s, 50 s (60 s is outside the loop)
  });

  it("waitFor: 0 when there are tokens; infinite for a cost above the burst", () => {
    expect(waitFor({ tokens: 2, at: 0 }, LIMIT)).toBe(0);
    expect(waitFor({ tokens: 0.5, at: 0 }, LIMIT)).toBe(5_000);
    expect(waitFor({ tokens: 3, at: 0 }, LIMIT, 4)).toBe(Infinity);
  });

  it("take with a cost of several tokens", () => {
    const result = take({ tokens: 2, at: 0 }, LIMIT, 0, 3);
    // Case: 2 tokens, cost 3 -> refused, one token short = 10 s.
    expect(result).toEqual({ ok: false, state: { tokens: 2, at: 0 }, retryAfterMs: 10_000 });
  });

  it("giveBack returns a token, capped at the burst", () => {
    expect(giveBack({ tokens: 0, at: 0 }, LIMIT, 0)).toEqual({ tokens: 1, at: 0 });
    expect(giveBack({ tokens: 3, at: 0 }, LIMIT, 0)).toEqual({ tokens: 3, at: 0 });
    expect(giveBack(undefined, LIMIT, 5)).toEqual({ tokens: 3, at: 5 });
  });

  it("isFull: a full bucket may be forgotten, a partly used one may not", () => {
    expect(isFull({ tokens: 3, at: 0 }, LIMIT, 0)).toBe(true);
    expect(isFull({ tokens: 2, at: 0 }, LIMIT, 0)).toBe(false);
    expect(isFull({ tokens: 2, at: 0 }, LIMIT, 10_000)).toBe(true);
  });
});
