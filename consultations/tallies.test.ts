import {
  addVote,
  DEFAULT_MIN_GROUP_SIZE,
  effectiveMinimum,
  EMPTY_TALLY,
  MIN_GROUP_SIZE_FLOOR,
  showCount,
  showTally,
  talliesByPosition,
  total,
} from "./tallies";

describe("effectiveMinimum", () => {
  it("defaults to 5 and never goes below 3", () => {
    expect(DEFAULT_MIN_GROUP_SIZE).toBe(5);
    expect(MIN_GROUP_SIZE_FLOOR).toBe(3);
    expect(effectiveMinimum(undefined)).toBe(5);
    expect(effectiveMinimum(null)).toBe(5);
    expect(effectiveMinimum(7)).toBe(7);
    expect(effectiveMinimum(3)).toBe(3);
    expect(effectiveMinimum(2)).toBe(3);
    expect(effectiveMinimum(0)).toBe(3);
    expect(effectiveMinimum(-10)).toBe(3);
  });
});

describe("addVote / total", () => {
  it("adds agree, disagree and pass without mutating", () => {
    const one = addVote(EMPTY_TALLY, 1);
    const two = addVote(one, -1, 3);
    const three = addVote(two, 0, 2);
    expect(EMPTY_TALLY).toEqual({ agree: 0, disagree: 0, pass: 0 });
    expect(one).toEqual({ agree: 1, disagree: 0, pass: 0 });
    expect(three).toEqual({ agree: 1, disagree: 3, pass: 2 });
    expect(total(three)).toBe(6);
  });
});

describe("showTally", () => {
  it("4 voters: suppressed ('fewer than 5')", () => {
    // four people voted, all agree: showing "4 agree" would tell each of them how the others voted
    expect(showTally({ agree: 4, disagree: 0, pass: 0 }, 5)).toEqual({ suppressed: true, minimum: 5 });
    expect(showTally({ agree: 1, disagree: 2, pass: 1 }, 5)).toEqual({ suppressed: true, minimum: 5 });
  });

  it("5 voters: shown with the numbers and the total", () => {
    expect(showTally({ agree: 3, disagree: 1, pass: 1 }, 5)).toEqual({ suppressed: false, agree: 3, disagree: 1, pass: 1, total: 5 });
  });

  it("nobody voted: suppressed (0 < minimum)", () => {
    expect(showTally(EMPTY_TALLY, 5)).toEqual({ suppressed: true, minimum: 5 });
  });

  it("passes count as voters", () => {
    // everyone passed
    expect(showTally({ agree: 0, disagree: 0, pass: 5 }, 5)).toEqual({ suppressed: false, agree: 0, disagree: 0, pass: 5, total: 5 });
  });

  it("the floor of 3 applies whatever is configured", () => {
    // configured 1: still 2 voters are hidden, 3 shown
    expect(showTally({ agree: 2, disagree: 0, pass: 0 }, 1)).toEqual({ suppressed: true, minimum: 3 });
    expect(showTally({ agree: 2, disagree: 1, pass: 0 }, 1)).toEqual({ suppressed: false, agree: 2, disagree: 1, pass: 0, total: 3 });
    // configured 0 or negative: same floor
    expect(showTally({ agree: 1, disagree: 1, pass: 0 }, 0)).toEqual({ suppressed: true, minimum: 3 });
    expect(showTally({ agree: 1, disagree: 1, pass: 0 }, -5)).toEqual({ suppressed: true, minimum: 3 });
  });

  it("a higher configured minimum is honoured", () => {
    expect(showTally({ agree: 9, disagree: 0, pass: 0 }, 10)).toEqual({ suppressed: true, minimum: 10 });
    expect(showTally({ agree: 9, disagree: 1, pass: 0 }, 10)).toMatchObject({ suppressed: false, total: 10 });
  });
});

describe("showCount", () => {
  it("0 is shown (it describes nobody)", () => {
    expect(showCount(0, 5)).toEqual({ suppressed: false, count: 0 });
  });

  it.each([1, 2, 3, 4])("%i is suppressed with minimum 5", (n) => {
    expect(showCount(n, 5)).toEqual({ suppressed: true, minimum: 5 });
  });

  it("5 and more are shown", () => {
    expect(showCount(5, 5)).toEqual({ suppressed: false, count: 5 });
    expect(showCount(120, 5)).toEqual({ suppressed: false, count: 120 });
  });

  it("floor of 3 whatever is configured", () => {
    expect(showCount(2, 1)).toEqual({ suppressed: true, minimum: 3 });
    expect(showCount(3, 1)).toEqual({ suppressed: false, count: 3 });
  });
});

describe("talliesByPosition", () => {
  it("groups (positionId, value, count) rows into tallies", () => {
    const map = talliesByPosition([
      { positionId: "a", value: 1, count: 4 },
      { positionId: "a", value: -1, count: 2 },
      { positionId: "b", value: 0, count: 1 },
      { positionId: "a", value: 0, count: 3 },
      { positionId: "b", value: -1, count: 7 },
    ]);
    expect([...map.keys()].sort()).toEqual(["a", "b"]);
    expect(map.get("a")).toEqual({ agree: 4, disagree: 2, pass: 3 });
    expect(map.get("b")).toEqual({ agree: 0, disagree: 7, pass: 1 });
    // the shared empty tally was not mutated
    expect(EMPTY_TALLY).toEqual({ agree: 0, disagree: 0, pass: 0 });
  });

  it("sums repeated rows of the same value", () => {
    const map = talliesByPosition([
      { positionId: "a", value: 1, count: 2 },
      { positionId: "a", value: 1, count: 3 },
    ]);
    expect(map.get("a")).toEqual({ agree: 5, disagree: 0, pass: 0 });
  });

  it("no rows: empty map", () => {
    expect(talliesByPosition([]).size).toBe(0);
  });
});
