/**
 * A synthetic consultation with planted structure, for testing that the synthesis finds what was put in.
 *
 * Five declared groups of unequal size (default 120 peers who use drugs, 60 sex workers, 60 outreach
 * workers, 30 police, 30 policymakers) vote on statements of known kinds:
 * - "bridging": every group agrees with its own probability drawn in [0.75, 0.85];
 * - "divisive": police and policymakers agree with p 0.85 while peers and sex workers agree with p 0.15
 *   (or the reverse), outreach workers in between (0.5);
 * - "niche": one group agrees strongly (0.85), every other group is against (0.15);
 * - "police-alone": every group agrees (0.85) except the police (0.15);
 * - "noise": every group agrees with p 0.4.
 * A vote that is not "agree" is "disagree" 75% of the time and "pass" 25%. Cells are missing at random
 * (default 15%). Everything comes from one seeded mulberry32 stream: same options, same consultation.
 */
import { mulberry32 } from "./random";
import type { DeclaredGroup, SynthesisInput, SynthesisStatement, SynthesisVote, VoteValue } from "./types";

export type PlantedKind = "bridging" | "divisive" | "niche" | "police-alone" | "noise";

export const PLANTED_GROUPS: DeclaredGroup[] = [
  { id: "peers", name: "Peers who use drugs" },
  { id: "sexworkers", name: "Sex workers" },
  { id: "outreach", name: "Outreach workers" },
  { id: "police", name: "Police" },
  { id: "policy", name: "Policymakers" },
];

export interface PlantedOptions {
  seed?: number;
  /** Members per group, in the order of PLANTED_GROUPS. Default [120, 60, 60, 30, 30]. */
  groupSizes?: [number, number, number, number, number];
  /** Statements of each kind. Default 30 bridging, 16 divisive, 10 niche, 4 police-alone, 20 noise. */
  counts?: Partial<Record<PlantedKind, number>>;
  /** Share of participant x statement cells without a vote. Default 0.15. */
  missing?: number;
  /** Also give statements a text made of topic words (for themes); default true. */
  texts?: boolean;
}

export interface PlantedConsultation {
  input: SynthesisInput;
  /** Kind of each statement, by statement id. */
  kinds: Record<string, PlantedKind>;
  /** Ids of the statements of one kind, in statement order. */
  ofKind: (kind: PlantedKind) => string[];
}

const TOPICS = [
  "naloxone distribution",
  "drug checking services",
  "housing first",
  "police stops",
  "sex work decriminalisation",
  "outreach funding",
  "safe consumption rooms",
  "health care access",
  "criminal records",
  "peer support",
];

const KIND_ORDER: PlantedKind[] = ["bridging", "divisive", "niche", "police-alone", "noise"];

/** Generates the consultation. Statements are interleaved by kind so that their order says nothing. */
export function plantedConsultation(options: PlantedOptions = {}): PlantedConsultation {
  const random = mulberry32(options.seed ?? 1);
  const sizes = options.groupSizes ?? [120, 60, 60, 30, 30];
  const counts: Record<PlantedKind, number> = {
    bridging: 30,
    divisive: 16,
    niche: 10,
    "police-alone": 4,
    noise: 20,
    ...options.counts,
  };
  const missing = options.missing ?? 0.15;
  const G = PLANTED_GROUPS.length;

  const participants: SynthesisInput["participants"] = [];
  const groupOf: number[] = [];
  for (let g = 0; g < G; g++) {
    for (let i = 0; i < sizes[g]; i++) {
      participants.push({ id: `${PLANTED_GROUPS[g].id}-${i + 1}`, group: PLANTED_GROUPS[g].id });
      groupOf.push(g);
    }
  }

  // Kinds in a shuffled order (Fisher-Yates, seeded).
  const kindList: PlantedKind[] = [];
  for (const kind of KIND_ORDER) for (let i = 0; i < counts[kind]; i++) kindList.push(kind);
  for (let i = kindList.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kindList[i], kindList[j]] = [kindList[j], kindList[i]];
  }

  const statements: SynthesisStatement[] = [];
  const kinds: Record<string, PlantedKind> = {};
  const agreeP: Float64Array[] = [];
  let niche = 0;
  let divisive = 0;
  const police = PLANTED_GROUPS.findIndex((g) => g.id === "police");
  kindList.forEach((kind, s) => {
    const id = `s${s + 1}`;
    const p = new Float64Array(G);
    switch (kind) {
      case "bridging":
        for (let g = 0; g < G; g++) p[g] = 0.75 + 0.1 * random();
        break;
      case "divisive": {
        const forState = divisive++ % 2 === 0;
        // peers, sex workers | outreach | police, policymakers
        const hi = 0.85;
        const lo = 0.15;
        p[0] = p[1] = forState ? lo : hi;
        p[2] = 0.5;
        p[3] = p[4] = forState ? hi : lo;
        break;
      }
      case "niche": {
        const holder = niche++ % G;
        for (let g = 0; g < G; g++) p[g] = g === holder ? 0.85 : 0.15;
        break;
      }
      case "police-alone":
        for (let g = 0; g < G; g++) p[g] = g === police ? 0.15 : 0.85;
        break;
      case "noise":
        for (let g = 0; g < G; g++) p[g] = 0.4;
        break;
    }
    agreeP.push(p);
    kinds[id] = kind;
    const topic = TOPICS[s % TOPICS.length];
    statements.push({
      id,
      text: options.texts === false ? id : `Statement ${s + 1} on ${topic}`,
      questionId: null,
      language: "en",
    });
  });

  const votes: SynthesisVote[] = [];
  for (let i = 0; i < participants.length; i++) {
    const g = groupOf[i];
    for (let s = 0; s < statements.length; s++) {
      if (random() < missing) continue;
      const u = random();
      let value: VoteValue;
      if (u < agreeP[s][g]) value = 1;
      else value = random() < 0.75 ? -1 : 0;
      votes.push({ participantId: participants[i].id, statementId: statements[s].id, value });
    }
  }

  return {
    input: { statements, participants, groups: PLANTED_GROUPS.map((g) => ({ ...g })), votes },
    kinds,
    ofKind: (kind) => statements.filter((s) => kinds[s.id] === kind).map((s) => s.id),
  };
}

/**
 * A large planted consultation for speed measurements: `participants` x `statements` with the given
 * share of cells voted, group sizes in the default proportions (4:2:2:1:1), kinds in the default mix.
 */
export function largePlantedConsultation(participants: number, statements: number, density: number, seed = 1): PlantedConsultation {
  const unit = participants / 10;
  const sizes: [number, number, number, number, number] = [
    participants - 6 * Math.floor(unit),
    2 * Math.floor(unit),
    2 * Math.floor(unit),
    Math.floor(unit),
    Math.floor(unit),
  ];
  const per = statements / 80;
  const bridging = Math.round(30 * per);
  const divisive = Math.round(16 * per);
  const niche = Math.round(10 * per);
  const policeAlone = Math.round(4 * per);
  return plantedConsultation({
    seed,
    groupSizes: sizes,
    counts: { bridging, divisive, niche, "police-alone": policeAlone, noise: statements - bridging - divisive - niche - policeAlone },
    missing: 1 - density,
  });
}
