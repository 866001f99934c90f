import { DomainError } from "./errors";
import {
  addressNetwork,
  addressSubject,
  configureRateLimits,
  consume,
  emailSubject,
  inPlainWords,
  POSITIONS_PER_GROUP_PER_HOUR,
  POSITIONS_PER_PARTICIPANT_PER_HOUR,
  RateLimited,
  rateLimitKeyCount,
  reserve,
  resetRateLimits,
  setRateLimitClock,
  tryConsume,
  VOTES_PER_GROUP_PER_SECOND,
  VOTES_PER_PARTICIPANT_PER_MINUTE,
  withAddress,
  type NamedLimit,
} from "./rate-limits";

let now = 0;
beforeEach(() => {
  resetRateLimits();
  now = 1_000_000;
  setRateLimitClock(() => now);
});
afterAll(() => resetRateLimits());

const TWO_PER_MINUTE: NamedLimit = { name: "test/two", burst: 2, per: 2, everyMs: 60_000, message: "Slow down." };
const FIVE_PER_MINUTE: NamedLimit = { name: "test/five", burst: 5, per: 5, everyMs: 60_000, message: "Your group is busy." };

describe("named limits", () => {
  it("allow a real person and stop a script (the numbers the README states)", () => {
    // Case: positions: 10 at once, 20 an hour per participant; 150 at once, 300 an hour per group.
    expect(POSITIONS_PER_PARTICIPANT_PER_HOUR).toMatchObject({ burst: 10, per: 20, everyMs: 3_600_000 });
    expect(POSITIONS_PER_GROUP_PER_HOUR).toMatchObject({ burst: 150, per: 300, everyMs: 3_600_000 });
    // Case: votes: bursts of 120 (an offline phone's queue), 2 a second sustained; a group 500 a second.
    expect(VOTES_PER_PARTICIPANT_PER_MINUTE.per / (VOTES_PER_PARTICIPANT_PER_MINUTE.everyMs / 1000)).toBe(2);
    expect(VOTES_PER_PARTICIPANT_PER_MINUTE.burst).toBeGreaterThanOrEqual(60);
    expect(VOTES_PER_GROUP_PER_SECOND.per / (VOTES_PER_GROUP_PER_SECOND.everyMs / 1000)).toBe(500);
  });
});

describe("consume", () => {
  it("refuses the third of two-per-minute with a 429 DomainError that says when to try again", () => {
    consume([[TWO_PER_MINUTE, "p1"]]);
    consume([[TWO_PER_MINUTE, "p1"]]);
    let thrown: unknown;
    try {
      consume([[TWO_PER_MINUTE, "p1"]]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RateLimited);
    expect(thrown).toBeInstanceOf(DomainError);
    const error = thrown as RateLimited;
    expect(error.kind).toBe("rate_limited");
    expect(error.status).toBe(429);
    // Case: one token every 30 s -> 30 s.
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.message).toBe("Slow down. Please try again in 30 seconds.");
    expect(error.fieldErrors.form).toEqual([error.message]);
  });

  it("subjects are independent: another participant is not affected", () => {
    consume([[TWO_PER_MINUTE, "p1"]]);
    consume([[TWO_PER_MINUTE, "p1"]]);
    expect(tryConsume([[TWO_PER_MINUTE, "p2"]])).toBeNull();
  });

  it("all or nothing: a refusal by the group's bucket takes nothing from the participant's", () => {
    for (let k = 0; k < 5; k++) consume([[FIVE_PER_MINUTE, `g`]]);
    const refused = tryConsume([
      [TWO_PER_MINUTE, "p1"],
      [FIVE_PER_MINUTE, "g"],
    ]);
    expect(refused?.message).toBe("Your group is busy. Please try again in 12 seconds.");
    // p1 still has both tokens.
    expect(tryConsume([[TWO_PER_MINUTE, "p1"]])).toBeNull();
    expect(tryConsume([[TWO_PER_MINUTE, "p1"]])).toBeNull();
    expect(tryConsume([[TWO_PER_MINUTE, "p1"]])).not.toBeNull();
  });

  it("when both refuse, the one that frees up last speaks", () => {
    consume([[TWO_PER_MINUTE, "p"]]);
    consume([[TWO_PER_MINUTE, "p"]]);
    for (let k = 0; k < 5; k++) consume([[FIVE_PER_MINUTE, "g"]]);
    const refused = tryConsume([
      [FIVE_PER_MINUTE, "g"], // 12 s
      [TWO_PER_MINUTE, "p"], // 30 s
    ]);
    expect(refused?.limit).toBe("test/two");
    expect(refused?.retryAfterSeconds).toBe(30);
  });

  it("after the wait it works again (injected clock, no sleeping)", () => {
    consume([[TWO_PER_MINUTE, "p1"]]);
    consume([[TWO_PER_MINUTE, "p1"]]);
    now += 29_999;
    expect(tryConsume([[TWO_PER_MINUTE, "p1"]])?.retryAfterSeconds).toBe(1);
    now += 1;
    expect(tryConsume([[TWO_PER_MINUTE, "p1"]])).toBeNull();
  });

  it("off: nothing is refused and nothing is kept", () => {
    configureRateLimits({ enabled: false });
    for (let k = 0; k < 50; k++) expect(tryConsume([[TWO_PER_MINUTE, "p1"]])).toBeNull();
    expect(rateLimitKeyCount()).toBe(0);
  });
});

describe("reserve (failed attempts only)", () => {
  it("a success gives the token back, a failure keeps it taken", () => {
    for (let k = 0; k < 10; k++) reserve([[TWO_PER_MINUTE, "addr"]])(); // ten successes
    const failure = reserve([[TWO_PER_MINUTE, "addr"]]); // not given back
    void failure;
    reserve([[TWO_PER_MINUTE, "addr"]]); // second failure
    expect(() => reserve([[TWO_PER_MINUTE, "addr"]])).toThrow(RateLimited);
  });

  it("giving back twice gives back once", () => {
    const succeeded = reserve([[TWO_PER_MINUTE, "a"]]);
    consume([[TWO_PER_MINUTE, "a"]]);
    succeeded();
    succeeded();
    consume([[TWO_PER_MINUTE, "a"]]);
    expect(tryConsume([[TWO_PER_MINUTE, "a"]])).not.toBeNull();
  });
});

describe("bounded store", () => {
  it("keeps at most maxKeys buckets, evicting the least recently used", () => {
    configureRateLimits({ maxKeys: 3 });
    consume([[TWO_PER_MINUTE, "a"]]);
    consume([[TWO_PER_MINUTE, "b"]]);
    consume([[TWO_PER_MINUTE, "c"]]);
    consume([[TWO_PER_MINUTE, "a"]]); // a is now the most recent (and empty)
    consume([[TWO_PER_MINUTE, "d"]]); // evicts b, the least recently used
    expect(rateLimitKeyCount()).toBe(3);
    // a is still remembered (empty): refused.
    expect(tryConsume([[TWO_PER_MINUTE, "a"]])).not.toBeNull();
    // b was forgotten: full again (two allowed).
    expect(tryConsume([[TWO_PER_MINUTE, "b"]])).toBeNull();
    expect(tryConsume([[TWO_PER_MINUTE, "b"]])).toBeNull();
    expect(rateLimitKeyCount()).toBe(3);
  });

  it("forgets buckets that are full again", () => {
    consume([[TWO_PER_MINUTE, "a"]]);
    expect(rateLimitKeyCount()).toBe(1);
    now += 60_000;
    reserve([[TWO_PER_MINUTE, "a"]])(); // touch: refilled, taken, given back -> full -> dropped
    expect(rateLimitKeyCount()).toBe(0);
  });

  it("is one store for every copy of the module in the process (globalThis)", () => {
    consume([[TWO_PER_MINUTE, "shared"]]);
    const store = (globalThis as Record<symbol, { buckets: Map<string, unknown> }>)[Symbol.for("polyphony.rateLimits")];
    expect([...store.buckets.keys()]).toEqual(["test/two|shared"]);
  });
});

describe("client addresses", () => {
  it("reduces an address to its network: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 to its /64", () => {
    // Labelled cases: [input, expected network]
    const cases: Array<[string, string | null]> = [
      ["203.0.113.7", "203.0.113.7"],
      ["::ffff:203.0.113.7", "203.0.113.7"],
      ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
      ["2001:db8:1:2::9", "2001:db8:1:2::/64"],
      ["2001:0db8:0001:0002:ffff::1", "2001:db8:1:2::/64"],
      ["2001:db8::1", "2001:db8:0:0::/64"],
      ["::1", "0:0:0:0::/64"],
      ["fe80::1%eth0", "fe80:0:0:0::/64"],
      ["not an address", null],
      ["", null],
    ];
    for (const [input, expected] of cases) expect([input, addressNetwork(input)]).toEqual([input, expected]);
  });

  it("two addresses of one IPv6 /64 share a bucket; another /64 does not", () => {
    const a = addressSubject({ address: "2001:db8:1:2::1" });
    const b = addressSubject({ address: "2001:db8:1:2:ffff::2" });
    const c = addressSubject({ address: "2001:db8:1:3::1" });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("never keeps an address, email or pseudonym as typed (keyed with a per-process secret)", () => {
    const subject = addressSubject({ address: "198.51.100.23" })!;
    expect(subject).not.toContain("198.51");
    expect(subject).toMatch(/^[A-Za-z0-9_-]{22}$/);
    consume(withAddress([[TWO_PER_MINUTE, emailSubject("Someone@Example.org")]], TWO_PER_MINUTE, { address: "198.51.100.23" }));
    const store = (globalThis as Record<symbol, { buckets: Map<string, unknown> }>)[Symbol.for("polyphony.rateLimits")];
    const keys = [...store.buckets.keys()].join(" ");
    expect(keys).not.toMatch(/198\.51|someone|example/i);
    // The email is case-insensitive.
    expect(emailSubject("Someone@Example.org")).toBe(emailSubject(" someone@example.org"));
  });

  it("unknown address: no per-address check is added", () => {
    expect(withAddress([], TWO_PER_MINUTE, { address: null })).toEqual([]);
    expect(withAddress([], TWO_PER_MINUTE, undefined)).toEqual([]);
    expect(withAddress([], TWO_PER_MINUTE, { address: "10.0.0.1" })).toHaveLength(1);
  });
});

describe("inPlainWords", () => {
  it("says when to try again the way a person would", () => {
    const cases: Array<[number, string]> = [
      [1, "in a second"],
      [12, "in 12 seconds"],
      [60, "in about a minute"],
      [61, "in about 2 minutes"],
      [45 * 60, "in about 45 minutes"],
      [3600, "in about an hour"],
      [3601, "in about 2 hours"],
    ];
    for (const [seconds, words] of cases) expect([seconds, inPlainWords(seconds)]).toEqual([seconds, words]);
  });
});
