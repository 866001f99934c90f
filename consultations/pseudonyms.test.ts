import { generatePseudonym, pseudonymKey } from "./pseudonyms";
import { Pseudonym } from "./schemas";

describe("generatePseudonym", () => {
  it("is two capitalised words and a two-digit number", () => {
    for (let i = 0; i < 500; i++) {
      const name = generatePseudonym();
      expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ [1-9]\d$/);
    }
  });

  it("always passes the Pseudonym schema a person would have to pass", () => {
    for (let i = 0; i < 500; i++) expect(Pseudonym.safeParse(generatePseudonym()).success).toBe(true);
  });

  it("varies: 1,000 draws give many different names", () => {
    const names = new Set(Array.from({ length: 1000 }, generatePseudonym));
    // ~144,000 possible names: 1,000 draws collide only a few times
    expect(names.size).toBeGreaterThan(980);
  });
});

describe("pseudonymKey", () => {
  it("folds case", () => {
    expect(pseudonymKey("Swift Fox")).toBe("swift fox");
    expect(pseudonymKey("SWIFT FOX")).toBe(pseudonymKey("swift fox"));
  });

  it("folds runs of spaces and trims", () => {
    expect(pseudonymKey("  Swift   Fox  ")).toBe("swift fox");
    expect(pseudonymKey("Swift\tFox")).toBe("swift fox");
  });

  it("folds compatibility characters (fullwidth letters) with NFKC", () => {
    // "Ｓｗｉｆｔ Ｆｏｘ" cannot pose as "Swift Fox"
    expect(pseudonymKey("Ｓｗｉｆｔ Ｆｏｘ")).toBe("swift fox");
  });

  it("composed and decomposed accents give the same key", () => {
    expect(pseudonymKey("Zoe\u0301")).toBe(pseudonymKey("Zo\u00e9"));
  });

  it("keeps what really differs", () => {
    expect(pseudonymKey("Swift Fox")).not.toBe(pseudonymKey("Swift Fox 2"));
    expect(pseudonymKey("SwiftFox")).not.toBe(pseudonymKey("Swift Fox"));
  });
});
