/**
 * Themes: groups of statements a report can present together.
 *
 * - When any statement carries facilitator tags, themes are the tags: each statement goes to the theme of
 *   its first tag (tags compared case- and accent-insensitively); untagged statements go to "Other".
 * - Otherwise keywords: Unicode-aware tokens (\p{L}), lower-cased and folded without locale (accents and
 *   Greek final sigma folded, so "Saúde"/"saude" and "ΑΣΤΥΝΟΜΊΑ"/"αστυνομία" meet), stopwords removed for
 *   the statement's language (given, or guessed from its script and stopwords: en, pt, el, pl, lt, es,
 *   fr, de), a light per-language suffix stripping ("drogas"/"droga", "narkotyków"/"narkotyki"), then
 *   TF-IDF. A deterministic greedy pass takes the keyword shared by the most salient weight among the
 *   statements still without a theme, makes it a theme of those statements, and repeats; statements
 *   left over go to "Other". A theme is labelled by its top keyword (and a second one most of its
 *   statements share, the two in the order the statements put them), each in the form the statements
 *   use most.
 * Every statement is in exactly one theme.
 */
import type { SynthesisStatement, Theme } from "./types";
import {
  THEME_MAX_COUNT,
  THEME_MAX_DOCUMENT_SHARE,
  THEME_MIN_STATEMENTS,
  THEME_MIN_TOKEN_LENGTH,
  THEME_SALIENT_PER_STATEMENT,
  THEME_SECOND_LABEL_SHARE,
} from "./thresholds";

export const OTHER_THEME_ID = "other";
export const OTHER_THEME_LABEL = "Other";

// ---------------------------------------------------------------- folding and tokens

const EXTRA_FOLD: Record<string, string> = {
  ς: "σ",
  ł: "l",
  đ: "d",
  ø: "o",
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ı: "i",
};

/** Lower-case (locale-independent) and strip accents: "Saúde" -> "saude", "Ναρκωτικά" -> "ναρκωτικα". */
export function fold(word: string): string {
  if (/^[a-z]*$/.test(word)) return word;
  const lower = word.toLowerCase().normalize("NFD").replace(/\p{M}+/gu, "");
  let out = "";
  for (const ch of lower) out += EXTRA_FOLD[ch] ?? ch;
  return out;
}

const TOKEN = /\p{L}[\p{L}\p{M}]*/gu;

/** Tokens of a text, lower-cased but not yet folded (the display form of keywords). */
export function tokens(text: string): string[] {
  // Fast path for plain ASCII text (no normalisation or Unicode classes needed): same tokens.
  if (ASCII.test(text)) return (text.match(ASCII_TOKEN) ?? []).map((t) => t.toLowerCase());
  return (text.normalize("NFC").match(TOKEN) ?? []).map((t) => t.toLowerCase());
}
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_TOKEN = /[A-Za-z]+/g;

// ---------------------------------------------------------------- stopwords

const STOPWORDS_RAW: Record<string, string> = {
  en: `a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can cannot could did do does doing don done down during each either else ever
    every few for from further get gets got had has have having he her here hers herself him himself his how
    however i if in into is isn it its itself just least less let like made make many may me might more most
    much must my myself need needs no nor not now of off often on once one only or other others our ours
    ourselves out over own per rather really same shall she should so some such than that the their theirs
    them themselves then there these they this those though through thus to too under until up upon us use
    used very was we were what when where whether which while who whom whose why will with within without
    would yet you your yours yourself yourselves people think thing things way ways want well even still
    feel good great lot lots see able going know say sure important`,
  pt: `a ao aos aquela aquelas aquele aqueles aquilo as ate até com como da das de dela delas dele deles
    depois do dos e ela elas ele eles em entre era eram essa essas esse esses esta estas este estes eu foi
    foram ha há isso isto ja já lhe lhes mais mas me mesmo meu meus minha minhas muito muitos na nas nao não
    nem no nos nós nossa nossas nosso nossos num numa o os ou para pela pelas pelo pelos por porque qual quando
    que quem se sem ser seu seus so só sua suas tambem também te tem têm ter um uma umas uns voce você vocês
    sao são estar esta está estão deve devem pode podem ser sido seja sobre todo toda todos todas cada
    outro outra outros outras muita pessoas coisa`,
  es: `a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella
    ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos fue fueron ha han hay la las
    le les lo los mas más me mi mis mucho muy nada ni no nos nosotros o os otra otras otro otros para pero poco
    por porque que quien se sea ser si sí sin sobre su sus también tanto te tiene tienen todo todos tu un una
    unas uno unos y ya debe deben puede pueden cada personas`,
  fr: `a au aux avec ce ces cet cette dans de des du elle elles en est et être il ils je la le les leur leurs
    lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sont sur
    ta te tes toi ton tous tout toute toutes tu un une vos votre vous y été sans plus très doit doivent peut
    peuvent faire fait ont avoir aussi comme entre chaque personnes`,
  de: `aber alle allem allen aller als also am an auch auf aus bei bin bis bist da damit dann das dass dem den
    der des dich die dir doch dort du durch ein eine einem einen einer eines er es für hat hatte haben hier
    ich ihm ihn ihr ihre im in ist ja jede jeder jedes kann kein keine können man mehr mich mir mit muss
    müssen nach nicht noch nur ob oder ohne sehr sein seine sich sie sind so soll sollen sollte über um und
    uns unser unter vom von vor war waren was weil wenn werden wie wir wird wo zu zum zur zwischen menschen`,
  el: `ο η το οι τα του της των τον την τους τις ένα ένας μια μία και ή να θα δεν μην με σε για από προς
    ως είναι ήταν είμαι είσαι είμαστε έχει έχουν έχω αυτό αυτά αυτός αυτή αυτοί αυτές που πως πώς ότι όταν
    αν αλλά επίσης στο στη στην στον στα στους στις στου μας σας τους μου σου του της πολύ πιο κάθε όλα όλοι
    όλες μόνο ακόμα ήδη εδώ εκεί τι ποιος ποια ποιο οποίος οποία οποίο πρέπει μπορεί μπορούν γίνει κάτι
    ενώ χωρίς μέσα πάνω κάτω μετά πριν άτομα`,
  pl: `a aby ale bez bo by być był była było były co czy dla do gdy gdzie i ich im jak jako jest jego jej
    jeśli już ją każdy kiedy kto która które który lub ma mają mi może można musi na nad nie nich nim niż o
    od oraz po pod przez przy są się ta tak takie także tam te tego tej ten to tu ty tych tylko w we więc z
    za ze że żeby jednak też oraz powinien powinna powinno powinny powinni należy osoby ludzie bardzo`,
  lt: `ar be bei bet buvo dar del dėl į ir iš yra jau jei jie jis ji jo jos jų kad kai kaip kas kur kuri
    kuris kurie kurios mes man mano mus nei nes nors nuo o per po prie su ta tai taip tas tik to tu už va
    vis visi visos žmonės turi turėtų gali galėtų reikia būti yra būtų apie labai savo šis ši šie šios
    tų tam ten kiti kitų arba`,
};

const STOPWORDS: Record<string, Set<string>> = {};
for (const [lang, raw] of Object.entries(STOPWORDS_RAW)) {
  const set = new Set<string>();
  for (const w of raw.split(/\s+/)) if (w) for (const t of tokens(w)) set.add(fold(t));
  STOPWORDS[lang] = set;
}
const ALL_STOPWORDS = new Set<string>(Object.values(STOPWORDS).flatMap((s) => [...s]));

/** Languages with stopwords and suffix rules. */
export const THEME_LANGUAGES = Object.keys(STOPWORDS_RAW);

// ---------------------------------------------------------------- light stemming

/** Per language, steps of [suffix, replacement] rules (folded forms); each step applies its first match. */
const SUFFIX_STEPS: Record<string, Array<Array<[string, string]>>> = {
  en: [
    [["sses", "ss"], ["ies", "y"], ["ss", "ss"], ["us", "us"], ["is", "is"], ["s", ""]],
    [["ingly", ""], ["edly", ""], ["ing", ""], ["ed", ""], ["ly", ""]],
    [["e", ""]],
  ],
  pt: [
    [["coes", "cao"], ["soes", "sao"], ["oes", "ao"], ["aes", "ao"], ["ais", "al"], ["eis", "el"], ["ois", "ol"], ["ns", "m"], ["res", "r"], ["zes", "z"], ["s", ""]],
    [["mente", ""]],
    [["a", ""], ["o", ""], ["e", ""]],
  ],
  es: [
    [["ciones", "cion"], ["siones", "sion"], ["ces", "z"], ["res", "r"], ["les", "l"], ["nes", "n"], ["des", "d"], ["s", ""]],
    [["mente", ""]],
    [["a", ""], ["o", ""], ["e", ""]],
  ],
  fr: [
    [["aux", "al"], ["eaux", "eau"], ["s", ""], ["x", ""]],
    [["ement", ""], ["ment", ""]],
    [["e", ""]],
  ],
  de: [[["ungen", "ung"], ["ern", ""], ["en", ""], ["er", ""], ["es", ""], ["e", ""], ["n", ""], ["s", ""]]],
  el: [
    [
      ["ιεσ", ""], ["ιων", ""], ["ιασ", ""], ["ουσ", ""], ["εων", ""], ["ια", ""], ["ιο", ""], ["ιου", ""],
      ["ησ", ""], ["εσ", ""], ["οσ", ""], ["ων", ""], ["ου", ""], ["ασ", ""], ["ισ", ""], ["υσ", ""],
      ["οι", ""], ["αι", ""], ["ει", ""], ["α", ""], ["ε", ""], ["η", ""], ["ι", ""], ["ο", ""], ["υ", ""], ["ω", ""],
    ],
  ],
  pl: [
    [
      ["owie", ""], ["ami", ""], ["ach", ""], ["ego", ""], ["emu", ""], ["ych", ""], ["ymi", ""], ["ich", ""],
      ["imi", ""], ["iom", ""], ["ow", ""], ["om", ""], ["ie", ""], ["ia", ""], ["y", ""], ["i", ""], ["a", ""], ["e", ""],
      ["u", ""], ["o", ""],
    ],
  ],
  lt: [
    [
      ["iams", ""], ["uose", ""], ["ams", ""], ["oms", ""], ["ems", ""], ["ose", ""], ["ais", ""], ["iai", ""],
      ["ai", ""], ["as", ""], ["is", ""], ["ys", ""], ["us", ""], ["es", ""], ["os", ""], ["ui", ""],
      ["u", ""], ["a", ""], ["e", ""], ["i", ""], ["o", ""],
    ],
  ],
};

/** Shortest word suffix stripping may leave (counting a replacement: "ações" -> "acao" -> "aca"). */
const MIN_STEM = 3;

/** Light suffix stripping of a folded word for a language (unknown language: unchanged). */
export function stem(word: string, lang: string): string {
  const steps = SUFFIX_STEPS[lang];
  if (!steps) return word;
  let w = word;
  for (const rules of steps) {
    for (const [suffix, replacement] of rules) {
      if (w.length > suffix.length && w.endsWith(suffix) && w.length - suffix.length + replacement.length >= MIN_STEM) {
        w = w.slice(0, w.length - suffix.length) + replacement;
        break;
      }
    }
  }
  return w;
}

// ---------------------------------------------------------------- language

/** Letters that point to a language (half a stopword each) when a text has few stopwords. */
const HINT_LETTERS: Record<string, string> = {
  pl: "ąęłńśźżć",
  lt: "ąęėįųūčšž",
  pt: "ãõç",
  es: "ñ¿¡",
  fr: "èêëîïœ",
  de: "äöüß",
};

/** The language of a statement: its declared primary subtag when we know it, else a guess, else "und". */
export function guessLanguage(text: string, declared?: string | null): string {
  if (declared) {
    const primary = declared.toLowerCase().split(/[-_]/)[0];
    if (STOPWORDS[primary]) return primary;
  }
  if (/\p{Script=Greek}/u.test(text)) return "el";
  const words = tokens(text).map(fold);
  const lower = text.toLowerCase();
  let best = "und";
  let bestHits = 0;
  for (const lang of THEME_LANGUAGES) {
    if (lang === "el") continue;
    const set = STOPWORDS[lang];
    let hits = 0;
    for (const w of words) if (set.has(w)) hits++;
    const letters = HINT_LETTERS[lang];
    if (letters) for (const ch of lower) if (letters.includes(ch)) hits += 0.5;
    if (hits > bestHits) {
      best = lang;
      bestHits = hits;
    }
  }
  return best;
}

/** Keyword terms (stems) of a text with the display form of each occurrence. */
export function keywordTerms(text: string, declared?: string | null): Array<{ term: string; display: string }> {
  const lang = guessLanguage(text, declared);
  const stop = STOPWORDS[lang] ?? ALL_STOPWORDS;
  const out: Array<{ term: string; display: string }> = [];
  for (const raw of tokens(text)) {
    const f = fold(raw);
    if (f.length < THEME_MIN_TOKEN_LENGTH || stop.has(f)) continue;
    out.push({ term: stem(f, lang), display: raw });
  }
  return out;
}

// ---------------------------------------------------------------- themes

/** Result of {@link findThemes}: the themes and, per statement index, its theme id. */
export interface ThemeAssignment {
  themes: Theme[];
  themeOf: string[];
}

export function findThemes(statements: readonly SynthesisStatement[]): ThemeAssignment {
  const tagged = statements.some((s) => (s.tags ?? []).some((t) => t.trim() !== ""));
  return tagged ? themesFromTags(statements) : themesFromKeywords(statements);
}

function withOther(themes: Theme[], themeOf: string[], statements: readonly SynthesisStatement[]): ThemeAssignment {
  const rest: string[] = [];
  statements.forEach((s, i) => {
    if (themeOf[i] === OTHER_THEME_ID) rest.push(s.id);
  });
  if (rest.length > 0) themes.push({ id: OTHER_THEME_ID, label: OTHER_THEME_LABEL, source: themes[0]?.source ?? "keywords", statementIds: rest });
  return { themes, themeOf };
}

export function themesFromTags(statements: readonly SynthesisStatement[]): ThemeAssignment {
  const byKey = new Map<string, { label: string; first: number; members: number[] }>();
  const themeOf: string[] = new Array(statements.length).fill(OTHER_THEME_ID);
  statements.forEach((s, i) => {
    const tag = (s.tags ?? []).map((t) => t.trim()).find((t) => t !== "");
    if (!tag) return;
    const key = fold(tag).replace(/\s+/g, " ");
    let entry = byKey.get(key);
    if (!entry) {
      entry = { label: tag, first: i, members: [] };
      byKey.set(key, entry);
    }
    entry.members.push(i);
    themeOf[i] = "tag:" + key;
  });
  const ordered = [...byKey.entries()].sort((a, b) => b[1].members.length - a[1].members.length || a[1].first - b[1].first);
  const themes: Theme[] = ordered.map(([key, e]) => ({
    id: "tag:" + key,
    label: e.label,
    source: "tags",
    statementIds: e.members.map((i) => statements[i].id),
  }));
  const result = withOther(themes, themeOf, statements);
  for (const t of result.themes) t.source = "tags";
  return result;
}

export function themesFromKeywords(statements: readonly SynthesisStatement[]): ThemeAssignment {
  const N = statements.length;
  const themeOf: string[] = new Array(N).fill(OTHER_THEME_ID);
  // Term frequencies per statement, display forms per term.
  const tf: Array<Map<string, number>> = [];
  /** Position of each term's first occurrence in each statement (to order a two-word label). */
  const firstPos: Array<Map<string, number>> = [];
  const displays = new Map<string, Map<string, number>>();
  const df = new Map<string, number>();
  for (const s of statements) {
    const m = new Map<string, number>();
    const pos = new Map<string, number>();
    for (const { term, display } of keywordTerms(s.text, s.language)) {
      m.set(term, (m.get(term) ?? 0) + 1);
      if (!pos.has(term)) pos.set(term, pos.size);
      let d = displays.get(term);
      if (!d) displays.set(term, (d = new Map()));
      d.set(display, (d.get(display) ?? 0) + 1);
    }
    for (const term of m.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    tf.push(m);
    firstPos.push(pos);
  }
  const maxDf = Math.max(THEME_MIN_STATEMENTS, Math.floor(THEME_MAX_DOCUMENT_SHARE * N));
  const idf = (term: string): number => Math.log(N / (df.get(term) ?? 1));
  // Each statement's most salient eligible keywords (TF-IDF, ties by term).
  const salient: Array<Array<{ term: string; weight: number }>> = tf.map((m) => {
    const list: Array<{ term: string; weight: number }> = [];
    for (const [term, count] of m) {
      const d = df.get(term) ?? 0;
      if (d < THEME_MIN_STATEMENTS || d > maxDf) continue;
      list.push({ term, weight: (1 + Math.log(count)) * idf(term) });
    }
    list.sort((a, b) => b.weight - a.weight || cmp(a.term, b.term));
    return list.slice(0, THEME_SALIENT_PER_STATEMENT);
  });

  const themes: Theme[] = [];
  const assigned = new Uint8Array(N);
  while (themes.length < THEME_MAX_COUNT) {
    // Score of each keyword over the statements still without a theme.
    const score = new Map<string, { weight: number; members: number[] }>();
    for (let i = 0; i < N; i++) {
      if (assigned[i]) continue;
      for (const { term, weight } of salient[i]) {
        let e = score.get(term);
        if (!e) score.set(term, (e = { weight: 0, members: [] }));
        e.weight += weight;
        e.members.push(i);
      }
    }
    let bestTerm: string | null = null;
    let best: { weight: number; members: number[] } | null = null;
    for (const [term, e] of score) {
      if (e.members.length < THEME_MIN_STATEMENTS) continue;
      if (
        !best ||
        e.members.length > best.members.length ||
        (e.members.length === best.members.length && (e.weight > best.weight || (e.weight === best.weight && cmp(term, bestTerm!) < 0)))
      ) {
        best = e;
        bestTerm = term;
      }
    }
    if (!best || bestTerm === null) break;
    const id = "kw:" + bestTerm;
    for (const i of best.members) {
      assigned[i] = 1;
      themeOf[i] = id;
    }
    themes.push({
      id,
      label: themeLabel(bestTerm, best.members, tf, firstPos, displays, idf),
      source: "keywords",
      statementIds: best.members.map((i) => statements[i].id),
    });
  }
  return withOther(themes, themeOf, statements);
}

function themeLabel(
  top: string,
  members: number[],
  tf: Array<Map<string, number>>,
  firstPos: Array<Map<string, number>>,
  displays: Map<string, Map<string, number>>,
  idf: (term: string) => number,
): string {
  // A second keyword most of the theme's statements share, by summed TF-IDF.
  const share = new Map<string, { count: number; weight: number }>();
  for (const i of members) {
    for (const [term, c] of tf[i]) {
      if (term === top) continue;
      const e = share.get(term) ?? { count: 0, weight: 0 };
      e.count++;
      e.weight += (1 + Math.log(c)) * idf(term);
      share.set(term, e);
    }
  }
  let second: string | null = null;
  let secondWeight = -Infinity;
  for (const [term, e] of share) {
    if (e.count < Math.max(2, THEME_SECOND_LABEL_SHARE * members.length)) continue;
    if (e.weight > secondWeight || (e.weight === secondWeight && second !== null && cmp(term, second) < 0)) {
      second = term;
      secondWeight = e.weight;
    }
  }
  const terms = [top];
  if (second) {
    // The two keywords in the order the statements put them ("housing first", not "first, housing").
    let before = 0;
    for (const i of members) {
      const a = firstPos[i].get(top);
      const b = firstPos[i].get(second);
      if (a !== undefined && b !== undefined) before += a < b ? 1 : -1;
    }
    if (before < 0) terms.unshift(second);
    else terms.push(second);
  }
  const label = terms.map((t) => displayOf(t, displays)).join(" ");
  return label.charAt(0).toUpperCase() + label.slice(1);
}

function displayOf(term: string, displays: Map<string, Map<string, number>>): string {
  const d = displays.get(term);
  if (!d) return term;
  let best = term;
  let bestCount = -1;
  for (const [form, count] of d) {
    if (count > bestCount) {
      best = form;
      bestCount = count;
    }
  }
  return best;
}

/** Code-unit order: deterministic and locale-independent (unlike localeCompare). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
