/**
 * Identity separation, at the source of the secrets: pseudonyms, invitation codes and recovery codes come
 * from Node's CSPRNG (node:crypto randomInt / randomBytes) and from nothing else: no id, time or counter
 * goes in. node:crypto is wrapped so each test can see (and steer) what the generators draw.
 */
import { vi } from "vitest";

const draws = vi.hoisted(() => ({ randomInt: 0, randomBytes: 0, forcedInt: null as null | ((max: number, min?: number) => number) }));

vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return {
    ...real,
    randomInt: ((a: number, b?: number) => {
      draws.randomInt++;
      if (draws.forcedInt) return b === undefined ? draws.forcedInt(a) : draws.forcedInt(b, a);
      return b === undefined ? real.randomInt(a) : real.randomInt(a, b);
    }) as typeof real.randomInt,
    randomBytes: ((n: number) => {
      draws.randomBytes++;
      return real.randomBytes(n);
    }) as typeof real.randomBytes,
  };
});

const { generatePseudonym } = await import("./pseudonyms");
const { randomCode, TOKEN_BITS, formatCode, normaliseCode } = await import("./crypto");

beforeEach(() => {
  draws.randomInt = 0;
  draws.randomBytes = 0;
  draws.forcedInt = null;
});

describe("pseudonyms come from the CSPRNG only", () => {
  it("each generated pseudonym draws three numbers from crypto.randomInt", () => {
    generatePseudonym();
    expect(draws.randomInt).toBe(3);
  });

  it("with the CSPRNG's draws fixed, the name is fixed: nothing else (id, time, counter) goes in", () => {
    // always the lowest value: first word, first word, the smallest number
    draws.forcedInt = (_max, min) => min ?? 0;
    const a = generatePseudonym();
    const b = generatePseudonym();
    expect(a).toBe("Amber Badger 10");
    expect(b).toBe(a);
    // always the highest value
    draws.forcedInt = (max) => max - 1;
    expect(generatePseudonym()).toBe("Bright Wren 99");
  });

  it("takes no argument a caller could pass an id through", () => {
    expect(generatePseudonym.length).toBe(0);
  });
});

describe("invitation and recovery codes: >= 128 bits from crypto.randomBytes", () => {
  it("the default code carries 140 bits (28 characters x 5 bits), drawn with randomBytes", () => {
    expect(TOKEN_BITS).toBeGreaterThanOrEqual(128);
    const code = randomCode();
    expect(draws.randomBytes).toBe(1);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{28}$/);
    expect(code.length * 5).toBeGreaterThanOrEqual(128);
    // printed as 7 groups of 4 and read back to the same code
    expect(normaliseCode(formatCode(code))).toBe(code);
  });

  it("uses every bit it draws: each character is one byte masked to 5 bits (256 is a multiple of 32, so no bias)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const ch of randomCode()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const expected = (2000 * 28) / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.15);
  });
});
