/**
 * Synthetic consultations with a planted opinion structure, for tests and benchmarks.
 *
 * Participants belong to `groups` planted camps (sizes roughly 45% / 30% / 25% for three; in general
 * decreasing shares). Each statement is either consensual (every camp leans the same way) or divisive
 * (each camp leans its own way, at random). A participant votes on a random set of statements whose
 * size varies from person to person (some vote on a few, some on many), so the matrix is sparse and
 * uneven like real data; the total number of votes is exactly round(density x participants x statements).
 * A vote follows the camp's lean with probability 0.8, the other way with 0.1, passes with 0.1.
 * Deterministic for a given seed.
 */
import { mulberry32 } from "./random";
import type { SynthesisVote, VoteValue } from "./types";

export interface SyntheticOptions {
  participants: number;
  statements: number;
  /** Share of the participant x statement cells that hold a vote (0..1). */
  density: number;
  seed: number;
  /** Planted camps (default 3). */
  groups?: number;
  /** Share of statements on which camps disagree (default 0.5). */
  divisiveShare?: number;
}

export interface SyntheticConsultation {
  participantIds: string[];
  statementIds: string[];
  votes: SynthesisVote[];
  /** Planted camp of every participant (by index). */
  camp: Int32Array;
}

export function syntheticVotes(options: SyntheticOptions): SyntheticConsultation {
  const nP = Math.max(0, Math.floor(options.participants));
  const nS = Math.max(0, Math.floor(options.statements));
  const nG = Math.max(1, Math.floor(options.groups ?? 3));
  const density = Math.min(1, Math.max(0, options.density));
  const divisiveShare = options.divisiveShare ?? 0.5;
  const random = mulberry32(options.seed);

  const participantIds = Array.from({ length: nP }, (_, i) => `p${i}`);
  const statementIds = Array.from({ length: nS }, (_, j) => `s${j}`);

  // Camp shares decreasing: weights nG, nG-1, ..., 1 (+ a floor) -> 3 camps: 40% / 33% / 27%.
  const weights = Array.from({ length: nG }, (_, g) => nG - g + 1);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const camp = new Int32Array(nP);
  for (let i = 0; i < nP; i++) {
    let target = random() * weightSum;
    let g = 0;
    while (g < nG - 1 && (target -= weights[g]) >= 0) g++;
    camp[i] = g;
  }

  // Lean of every camp on every statement: +1 agree, -1 disagree.
  const lean = new Int8Array(nG * nS);
  for (let j = 0; j < nS; j++) {
    const divisive = random() < divisiveShare;
    const common = random() < 0.7 ? 1 : -1;
    for (let g = 0; g < nG; g++) lean[g * nS + j] = divisive ? (random() < 0.5 ? 1 : -1) : common;
  }

  // Votes per participant: uneven activity, scaled to the exact total, capped at nS.
  const total = Math.round(density * nP * nS);
  const activity = new Float64Array(nP);
  let activitySum = 0;
  for (let i = 0; i < nP; i++) {
    activity[i] = 0.15 + random() * random() * 3; // many light voters, a few heavy ones
    activitySum += activity[i];
  }
  const count = new Int32Array(nP);
  let assigned = 0;
  for (let i = 0; i < nP; i++) {
    count[i] = Math.min(nS, Math.floor((total * activity[i]) / activitySum));
    assigned += count[i];
  }
  for (let round = 0; assigned < total && round < nS; round++) {
    for (let i = 0; i < nP && assigned < total; i++) {
      if (count[i] < nS) {
        count[i]++;
        assigned++;
      }
    }
  }

  // Each participant's statements: a partial Fisher-Yates shuffle of one shared permutation.
  const permutation = Int32Array.from({ length: nS }, (_, j) => j);
  const votes: SynthesisVote[] = new Array(assigned);
  let v = 0;
  for (let i = 0; i < nP; i++) {
    const pid = participantIds[i];
    const base = camp[i] * nS;
    for (let t = 0; t < count[i]; t++) {
      const u = t + Math.floor(random() * (nS - t));
      const j = permutation[u];
      permutation[u] = permutation[t];
      permutation[t] = j;
      const r = random();
      const value: VoteValue = r < 0.8 ? (lean[base + j] as VoteValue) : r < 0.9 ? (-lean[base + j] as VoteValue) : 0;
      votes[v++] = { participantId: pid, statementId: statementIds[j], value };
    }
  }
  return { participantIds, statementIds, votes, camp };
}
