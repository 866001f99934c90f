import {
  canMovePhase,
  duePhase,
  nextPhase,
  phaseAllows,
  phaseIndex,
  phaseRefusal,
  previousPhase,
  type PhaseAction,
  type PhaseSchedule,
} from "./phases";
import { PHASES, type Phase } from "./schemas";

// The expected table, written out by hand (not derived from the implementation):
// columns draft, positions, deliberation, synthesis, published; "x" allowed, "." refused.
const TABLE: Record<PhaseAction, string> = {
  //               d p d s p
  join:             "x x x . .",
  submitPosition:   ". x . . .",
  editPosition:     ". x . . .",
  withdrawPosition: ". x x . .",
  vote:             ". x x . .",
  comment:          ". x x . .",
  editComment:      ". x x . .",
  withdrawComment:  ". x x . .",
  flag:             ". x x x .",
  moderate:         "x x x x .",
  editDetails:      "x x x x .",
  editStructure:    "x . . . .",
  invite:           "x x x . .",
  runLiveSession:   ". x x . .",
};

const ACTIONS = Object.keys(TABLE) as PhaseAction[];

function expected(action: PhaseAction, phase: Phase): boolean {
  return TABLE[action].split(" ")[phaseIndex(phase)] === "x";
}

describe("phaseAllows: the full action x phase table", () => {
  const cells = ACTIONS.flatMap((action) => PHASES.map((phase) => [action, phase, expected(action, phase)] as const));

  it("covers 14 actions x 5 phases", () => {
    expect(cells).toHaveLength(14 * 5);
  });

  it.each(cells)("%s in %s -> %s", (action, phase, allowed) => {
    expect(phaseAllows(phase, action)).toBe(allowed);
    // phaseRefusal agrees with phaseAllows: null when allowed, a sentence when refused
    const refusal = phaseRefusal(phase, action);
    if (allowed) expect(refusal).toBeNull();
    else expect(refusal).toMatch(/\.$/);
  });

  it("nothing changes after published: every action is refused", () => {
    for (const action of ACTIONS) expect(phaseAllows("published", action)).toBe(false);
  });

  it("no new positions after positions close", () => {
    // positions open only in the positions phase
    expect(PHASES.filter((p) => phaseAllows(p, "submitPosition"))).toEqual(["positions"]);
    expect(PHASES.filter((p) => phaseAllows(p, "editPosition"))).toEqual(["positions"]);
  });

  it("votes only in positions and deliberation", () => {
    expect(PHASES.filter((p) => phaseAllows(p, "vote"))).toEqual(["positions", "deliberation"]);
  });

  it("structure (groups, questions) only changes in draft", () => {
    expect(PHASES.filter((p) => phaseAllows(p, "editStructure"))).toEqual(["draft"]);
  });

  it("gives the specific reason for each refusal", () => {
    expect(phaseRefusal("deliberation", "submitPosition")).toBe("New positions can only be posted while positions are open.");
    expect(phaseRefusal("synthesis", "vote")).toBe("Voting is only open during the positions and deliberation phases.");
    expect(phaseRefusal("positions", "editStructure")).toBe(
      "Stakeholder groups and questions can only be changed in the draft phase.",
    );
    expect(phaseRefusal("published", "moderate")).toBe("Nothing changes after the report is published.");
    expect(phaseRefusal("synthesis", "join")).toBe("This consultation is no longer taking new participants.");
  });
});

describe("nextPhase / previousPhase", () => {
  it("walks the phases in order", () => {
    expect(nextPhase("draft")).toBe("positions");
    expect(nextPhase("positions")).toBe("deliberation");
    expect(nextPhase("deliberation")).toBe("synthesis");
    expect(nextPhase("synthesis")).toBe("published");
    expect(nextPhase("published")).toBeNull();
  });

  it("steps back except from draft (nothing before) and published (final)", () => {
    expect(previousPhase("draft")).toBeNull();
    expect(previousPhase("positions")).toBe("draft");
    expect(previousPhase("deliberation")).toBe("positions");
    expect(previousPhase("synthesis")).toBe("deliberation");
    expect(previousPhase("published")).toBeNull();
  });
});

describe("canMovePhase", () => {
  // Every pair, written out: only one step forward, or one step back while not published.
  const allowedMoves = new Set([
    "draft>positions",
    "positions>deliberation",
    "deliberation>synthesis",
    "synthesis>published",
    "positions>draft",
    "deliberation>positions",
    "synthesis>deliberation",
  ]);
  const pairs = PHASES.flatMap((from) => PHASES.map((to) => [from, to, allowedMoves.has(`${from}>${to}`)] as const));

  it.each(pairs)("%s -> %s: %s", (from, to, allowed) => {
    expect(canMovePhase(from, to)).toBe(allowed);
  });

  it("published is final: no move out of it", () => {
    // published back to synthesis: refused
    for (const to of PHASES) expect(canMovePhase("published", to)).toBe(false);
  });

  it("refuses jumps and staying put", () => {
    expect(canMovePhase("draft", "deliberation")).toBe(false); // skipping positions
    expect(canMovePhase("draft", "published")).toBe(false);
    expect(canMovePhase("synthesis", "positions")).toBe(false); // two steps back
    expect(canMovePhase("positions", "positions")).toBe(false); // same phase
  });
});

describe("duePhase", () => {
  const NOW = new Date("2026-06-01T12:00:00Z");
  const past = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
  const future = (days: number) => new Date(NOW.getTime() + days * 86_400_000);
  const schedule = (phase: Phase, dates: Partial<Omit<PhaseSchedule, "phase">> = {}): PhaseSchedule => ({
    phase,
    positionsAt: null,
    deliberationAt: null,
    synthesisAt: null,
    publishedAt: null,
    ...dates,
  });

  it("no schedule: the phase stays", () => {
    for (const phase of PHASES) expect(duePhase(schedule(phase), NOW)).toBe(phase);
  });

  it("a passed start date moves the phase forward", () => {
    // positions were due yesterday
    expect(duePhase(schedule("draft", { positionsAt: past(1) }), NOW)).toBe("positions");
  });

  it("a start date exactly now is due", () => {
    expect(duePhase(schedule("draft", { positionsAt: new Date(NOW) }), NOW)).toBe("positions");
  });

  it("future dates are ignored", () => {
    // positions start tomorrow
    expect(duePhase(schedule("draft", { positionsAt: future(1) }), NOW)).toBe("draft");
    // one millisecond in the future is still the future
    expect(duePhase(schedule("draft", { positionsAt: new Date(NOW.getTime() + 1) }), NOW)).toBe("draft");
    // positions due, deliberation not yet
    expect(duePhase(schedule("draft", { positionsAt: past(2), deliberationAt: future(2) }), NOW)).toBe("positions");
  });

  it("several due dates jump to the latest one", () => {
    // positions, deliberation and synthesis all passed while nobody looked
    expect(
      duePhase(schedule("draft", { positionsAt: past(10), deliberationAt: past(5), synthesisAt: past(1), publishedAt: future(3) }), NOW),
    ).toBe("synthesis");
    // everything passed: published
    expect(
      duePhase(schedule("positions", { positionsAt: past(10), deliberationAt: past(5), synthesisAt: past(2), publishedAt: past(1) }), NOW),
    ).toBe("published");
  });

  it("schedules only move forward, never back", () => {
    // the facilitator already moved to synthesis by hand; an old positions date does not pull it back
    expect(duePhase(schedule("synthesis", { positionsAt: past(10), deliberationAt: past(5) }), NOW)).toBe("synthesis");
    // a published consultation stays published
    expect(duePhase(schedule("published", { positionsAt: past(3) }), NOW)).toBe("published");
    // the current phase's own date passed: no change
    expect(duePhase(schedule("deliberation", { deliberationAt: past(1) }), NOW)).toBe("deliberation");
  });

  it("a due later phase wins even when earlier dates are missing", () => {
    // only a deliberation date, already passed: straight from draft to deliberation
    expect(duePhase(schedule("draft", { deliberationAt: past(1) }), NOW)).toBe("deliberation");
  });
});
