import { createHash } from "node:crypto";
import {
  dummySecretHash,
  formatCode,
  hashSecret,
  normaliseCode,
  randomCode,
  safeEqual,
  sha256,
  TOKEN_BITS,
  verifySecret,
} from "./crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

describe("randomCode", () => {
  it("has at least 128 bits: 28 characters x 5 bits by default, 7 groups of 4 when printed", () => {
    expect(TOKEN_BITS).toBeGreaterThanOrEqual(128);
    const code = randomCode();
    expect(code).toHaveLength(28);
    expect(formatCode(code)).toMatch(/^(?:[0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
    expect(code.length * Math.log2(CROCKFORD.length)).toBeGreaterThanOrEqual(128);
  });

  it("rounds the length up to whole characters for other sizes", () => {
    expect(randomCode(256)).toHaveLength(52); // session tokens
    expect(randomCode(5)).toHaveLength(1);
    expect(randomCode(6)).toHaveLength(2);
  });

  it("uses only Crockford base32 (no I, L, O, U, no lower case, no separators)", () => {
    for (let i = 0; i < 200; i++) expect(randomCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{28}$/);
  });

  it("10,000 codes are all distinct", () => {
    const codes = new Set(Array.from({ length: 10_000 }, () => randomCode()));
    expect(codes.size).toBe(10_000);
  });

  it("spreads evenly over all 32 characters (each drawn with probability 1/32)", () => {
    const counts = new Map<string, number>();
    const N = 4_000;
    for (let i = 0; i < N; i++) for (const ch of randomCode()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    // every character of the alphabet occurs
    expect([...counts.keys()].sort().join("")).toBe([...CROCKFORD].sort().join(""));
    // 112,000 draws: 3,500 expected per character; a biased generator (e.g. modulo of 36) is far off
    const expected = (N * 28) / 32;
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(expected * 0.9);
      expect(count).toBeLessThan(expected * 1.1);
    }
  });
});

describe("formatCode / normaliseCode", () => {
  it("formats into dash-separated groups of four", () => {
    expect(formatCode("ABCDEFGHJK")).toBe("ABCD-EFGH-JK");
    expect(formatCode("ABCD")).toBe("ABCD");
    const formatted = formatCode(randomCode());
    expect(formatted).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
  });

  it("round-trips: normaliseCode(formatCode(code)) === code", () => {
    for (let i = 0; i < 200; i++) {
      const code = randomCode();
      expect(normaliseCode(formatCode(code))).toBe(code);
    }
  });

  it("accepts what people type: lower case, spaces instead of dashes, surrounding blanks", () => {
    const code = randomCode();
    const typed = `  ${formatCode(code).toLowerCase().replaceAll("-", " ")}  `;
    expect(normaliseCode(typed)).toBe(code);
    expect(normaliseCode(formatCode(code).toLowerCase())).toBe(code);
    expect(normaliseCode(code.toLowerCase())).toBe(code);
  });

  it("reads O as 0 and I/L as 1 (in either case)", () => {
    expect(normaliseCode("O0oI1iL1l")).toBe("000111111");
    // a code containing 0 and 1, copied from paper as O and l
    expect(normaliseCode("7Q1M-X04R".replace("1", "l").replace("0", "O"))).toBe("7Q1MX04R");
  });

  it("never produces characters outside the alphabet from a real code", () => {
    const code = randomCode();
    expect(normaliseCode(formatCode(code))).toMatch(/^[0-9A-HJKMNP-TV-Z]+$/);
  });
});

describe("sha256 / safeEqual", () => {
  it("sha256 is the hex SHA-256", () => {
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256("x")).toBe(createHash("sha256").update("x").digest("hex"));
    expect(sha256("x")).toHaveLength(64);
  });

  it("safeEqual compares exactly, including different lengths", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});

describe("hashSecret / verifySecret", () => {
  it("hashes with argon2id and a salt (never the secret itself)", async () => {
    const a = await hashSecret("correct horse battery");
    const b = await hashSecret("correct horse battery");
    expect(a.startsWith("$argon2id$")).toBe(true);
    expect(a).not.toContain("correct horse battery");
    expect(a).not.toBe(b); // salted
  });

  it("verifies the right secret and refuses a wrong one", async () => {
    const hash = await hashSecret("correct horse battery");
    expect(await verifySecret(hash, "correct horse battery")).toBe(true);
    expect(await verifySecret(hash, "correct horse batterY")).toBe(false);
    expect(await verifySecret(hash, "")).toBe(false);
  });

  it("a malformed hash verifies as false instead of throwing", async () => {
    expect(await verifySecret("not-a-hash", "anything")).toBe(false);
    expect(await verifySecret("", "anything")).toBe(false);
  });

  it("the dummy hash is stable and matches no ordinary secret", async () => {
    const dummy = await dummySecretHash();
    expect(await dummySecretHash()).toBe(dummy);
    expect(await verifySecret(dummy, "password123456")).toBe(false);
  });

  it("uses the cheap parameters only under POLYPHONY_FAST_HASH=1", async () => {
    expect(process.env.POLYPHONY_FAST_HASH).toBe("1");
    expect(await hashSecret("x")).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    const previous = process.env.POLYPHONY_FAST_HASH;
    delete process.env.POLYPHONY_FAST_HASH;
    try {
      const strong = await hashSecret("x");
      expect(strong).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifySecret(strong, "x")).toBe(true);
    } finally {
      process.env.POLYPHONY_FAST_HASH = previous;
    }
  });
});
