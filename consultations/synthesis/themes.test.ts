import { OTHER_THEME_ID, findThemes, fold, guessLanguage, keywordTerms, stem } from "./themes";
import type { SynthesisStatement } from "./types";

const st = (id: string, text: string, extra: Partial<SynthesisStatement> = {}): SynthesisStatement => ({ id, text, ...extra });

describe("themes", () => {
  it("folds case and accents without a locale, Greek final sigma and Polish ł included", () => {
    expect(fold("Saúde")).toBe("saude");
    expect(fold("ΑΣΤΥΝΟΜΊΑΣ")).toBe(fold("αστυνομίας"));
    expect(fold("χρήστες")).toBe("χρηστεσ");
    expect(fold("Łódź")).toBe("lodz");
    expect(fold("narkotikų")).toBe("narkotiku");
    expect(fold("İstanbul").startsWith("i")).toBe(true);
  });

  it("strips light suffixes per language so forms of a word meet", () => {
    expect(stem(fold("drogas"), "pt")).toBe(stem(fold("droga"), "pt"));
    expect(stem(fold("ações"), "pt")).toBe(stem(fold("ação"), "pt"));
    expect(stem(fold("narkotyków"), "pl")).toBe(stem(fold("narkotyki"), "pl"));
    expect(stem(fold("narkotikų"), "lt")).toBe(stem(fold("narkotikai"), "lt"));
    expect(stem(fold("ναρκωτικών"), "el")).toBe(stem(fold("ναρκωτικά"), "el"));
    expect(stem("houses", "en")).toBe(stem("housing", "en"));
    expect(stem("policies", "en")).toBe(stem("policy", "en"));
    expect(stem("bus", "en")).toBe("bus");
  });

  it("guesses the language from script, stopwords and letters when none is declared", () => {
    expect(guessLanguage("Η αστυνομία δεν πρέπει")).toBe("el");
    expect(guessLanguage("A polícia não deve revistar as pessoas")).toBe("pt");
    expect(guessLanguage("Pracownicy terenowi rozdają nalokson")).toBe("pl");
    expect(guessLanguage("Narkotikų vartojimas turėtų būti dekriminalizuotas")).toBe("lt");
    expect(guessLanguage("People who use drugs need housing")).toBe("en");
    expect(guessLanguage("anything", "pt-BR")).toBe("pt");
  });

  it("drops stopwords and short tokens", () => {
    expect(keywordTerms("The police should not arrest people who use drugs", "en").map((t) => t.term)).toEqual(["polic", "arrest", "drug"]);
  });

  it("groups statements by a shared salient keyword in several languages, the rest in Other", () => {
    const statements = [
      st("pt1", "As salas de consumo assistido devem abrir em todas as cidades"),
      st("pt2", "Uma sala de consumo assistido salva vidas"),
      st("el1", "Η αστυνομία δεν πρέπει να συλλαμβάνει τους χρήστες"),
      st("el2", "Η ΑΣΤΥΝΟΜΊΑ πρέπει να συνεργάζεται με τους εργαζόμενους στο δρόμο"),
      st("pl1", "Nalokson powinien być dostępny w każdej aptece"),
      st("pl2", "Pracownicy terenowi powinni rozdawać nalokson"),
      st("lt1", "Narkotikų vartojimas turėtų būti dekriminalizuotas"),
      st("lt2", "Už narkotikus nereikia bausti kalėjimu"),
      st("en1", "Housing first should be the default"),
      st("en2", "Affordable housing is the best harm reduction"),
      st("en3", "The weather is nice today"),
    ];
    const { themes, themeOf } = findThemes(statements);
    const byStatement = Object.fromEntries(statements.map((s, i) => [s.id, themeOf[i]]));
    for (const [a, b] of [
      ["pt1", "pt2"],
      ["el1", "el2"],
      ["pl1", "pl2"],
      ["lt1", "lt2"],
      ["en1", "en2"],
    ])
      expect(byStatement[a], `${a} and ${b}`).toBe(byStatement[b]);
    expect(byStatement.en3).toBe(OTHER_THEME_ID);
    expect(new Set(Object.values(byStatement)).size).toBe(6);
    const labels = Object.fromEntries(themes.map((t) => [t.id, t.label]));
    expect(labels[byStatement.el1]).toBe("Αστυνομία");
    expect(labels[byStatement.en1]).toBe("Housing");
    expect(labels[byStatement.pt1]).toBe("Consumo assistido");
    expect(themes.at(-1)).toMatchObject({ id: OTHER_THEME_ID, label: "Other", source: "keywords" });
    // Every statement in exactly one theme.
    expect(themes.flatMap((t) => t.statementIds).sort()).toEqual(statements.map((s) => s.id).sort());
  });

  it("uses facilitator tags when any statement has tags; untagged statements go to Other", () => {
    const { themes, themeOf } = findThemes([
      st("a", "Naloxone in every pharmacy", { tags: ["Harm reduction"] }),
      st("b", "Drug checking at festivals", { tags: ["harm reduction", "Festivals"] }),
      st("c", "Fewer police stops", { tags: ["Policing"] }),
      st("d", "Naloxone for police officers"),
    ]);
    expect(themes.map((t) => [t.label, t.source, t.statementIds])).toEqual([
      ["Harm reduction", "tags", ["a", "b"]],
      ["Policing", "tags", ["c"]],
      ["Other", "tags", ["d"]],
    ]);
    expect(themeOf).toEqual(["tag:harm reduction", "tag:harm reduction", "tag:policing", OTHER_THEME_ID]);
  });

  it("is deterministic and independent of nothing but the statements", () => {
    const statements = Array.from({ length: 60 }, (_, i) => st(`s${i}`, `Statement about ${["housing", "naloxone", "police stops", "drug checking"][i % 4]} number ${i}`));
    expect(findThemes(statements)).toEqual(findThemes(statements.map((s) => ({ ...s }))));
    expect(findThemes([])).toEqual({ themes: [], themeOf: [] });
  });
});
