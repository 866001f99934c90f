import {
  GroupLines,
  JoinInput,
  NewConsultationInput,
  Pseudonym,
  ReturnInput,
  ScheduleInput,
  Slug,
  VOTE_VALUE,
  voteChoice,
  fieldErrors,
} from "./schemas";

function messages(result: { success: boolean; error?: { issues: Array<{ message: string }> } }): string[] {
  return result.success ? [] : result.error!.issues.map((i) => i.message);
}

describe("Pseudonym", () => {
  it.each(["Swift Fox", "Agent 007", "Fox 2024", "Zoë Ñandú", "peer_worker.3", "Jo-Ann"])("accepts %j", (name) => {
    expect(Pseudonym.safeParse(name).success).toBe(true);
  });

  it("trims", () => {
    expect(Pseudonym.parse("  Swift Fox  ")).toBe("Swift Fox");
  });

  it.each(["a@b.co", "jane.doe@example.org", "jane@localhost"])("refuses the email address %j", (value) => {
    const result = Pseudonym.safeParse(value);
    expect(result.success).toBe(false);
    expect(messages(result)).toContain("Do not use an email address as a pseudonym.");
  });

  it.each([
    "0612345678", // plain
    "06 12 34 56 78", // spaced
    "06.12.34.56.78", // dotted
    "06-12-34-56-78", // dashed
    "06_12_34_56_78", // underscores
    "+33 6 12 34 56 78", // international
    "Fox 0612345678", // hidden in a name
    "０６１２３４５６７８", // fullwidth digits
    "٠٦١٢٣٤٥٦٧٨", // Arabic-Indic digits
  ])("refuses the phone number %j", (value) => {
    const result = Pseudonym.safeParse(value);
    expect(result.success).toBe(false);
    expect(messages(result)).toContain("Do not use a phone number as a pseudonym.");
  });

  it("refuses too short, too long and odd first characters", () => {
    expect(messages(Pseudonym.safeParse("ab"))).toEqual(["A pseudonym needs at least 3 characters."]);
    expect(messages(Pseudonym.safeParse("x".repeat(33)))).toEqual(["A pseudonym can have at most 32 characters."]);
    expect(messages(Pseudonym.safeParse("-dash"))).toEqual(["Use letters, digits, spaces, dots, dashes or underscores."]);
    expect(Pseudonym.safeParse("<script>").success).toBe(false);
  });
});

describe("JoinInput", () => {
  it("empty pseudonym and passphrase become null (generated pseudonym, recovery code only)", () => {
    expect(JoinInput.parse({ pseudonym: "", passphrase: "" })).toEqual({ pseudonym: null, passphrase: null });
    expect(JoinInput.parse({})).toEqual({ pseudonym: null, passphrase: null });
  });

  it("a short passphrase is refused", () => {
    expect(messages(JoinInput.safeParse({ passphrase: "short" }))).toEqual(["A passphrase needs at least 8 characters."]);
  });
});

describe("ReturnInput", () => {
  it("needs the fields of the chosen method", () => {
    expect(ReturnInput.safeParse({ method: "passphrase", pseudonym: "Fox", passphrase: "x" }).success).toBe(true);
    expect(ReturnInput.safeParse({ method: "passphrase", pseudonym: "", passphrase: "x" }).success).toBe(false);
    expect(ReturnInput.safeParse({ method: "recovery", recoveryCode: "" }).success).toBe(false);
    expect(ReturnInput.safeParse({ method: "other" }).success).toBe(false);
  });
});

describe("Slug", () => {
  it("lower-cases and checks the shape", () => {
    expect(Slug.parse(" Peer-Work-2026 ")).toBe("peer-work-2026");
    expect(Slug.safeParse("peer--work").success).toBe(false);
    expect(Slug.safeParse("-peer").success).toBe(false);
    expect(Slug.safeParse("ab").success).toBe(false);
    expect(Slug.safeParse("peer work").success).toBe(false);
  });
});

describe("GroupLines", () => {
  it("one group per non-empty line, trimmed", () => {
    expect(GroupLines.parse("Peers\r\n\n  Police  \nOutreach workers\n")).toEqual(["Peers", "Police", "Outreach workers"]);
  });

  it("refuses duplicates (case-insensitive), no groups, and more than 12", () => {
    expect(messages(GroupLines.safeParse("Police\npolice"))).toEqual(["Each stakeholder group needs a different name."]);
    expect(messages(GroupLines.safeParse("\n \n"))).toEqual(["Declare at least one stakeholder group."]);
    expect(messages(GroupLines.safeParse(Array.from({ length: 13 }, (_, i) => `G${i}`).join("\n")))).toEqual([
      "At most 12 stakeholder groups.",
    ]);
  });

  it("NewConsultationInput reports group errors under 'groups'", () => {
    const result = NewConsultationInput.safeParse({ title: "T", slug: "slug-1", description: "D", groups: "" });
    expect(result.success).toBe(false);
    expect(Object.keys(fieldErrors(result.error!))).toEqual(["groups"]);
  });
});

describe("ScheduleInput", () => {
  it("'' means no date; dates must follow each other", () => {
    expect(ScheduleInput.parse({ positionsAt: "", deliberationAt: "2026-05-01T10:00" })).toMatchObject({
      positionsAt: null,
      deliberationAt: new Date("2026-05-01T10:00"),
    });
    const result = ScheduleInput.safeParse({ positionsAt: "2026-05-02T10:00", deliberationAt: "2026-05-01T10:00" });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toEqual({ deliberationAt: ["Each phase must start after the one before."] });
  });

  it("refuses an unreadable date", () => {
    expect(messages(ScheduleInput.safeParse({ positionsAt: "next tuesday" }))).toEqual(["Enter a valid date and time."]);
  });
});

describe("votes", () => {
  it("maps choices to values and back", () => {
    expect(VOTE_VALUE).toEqual({ agree: 1, disagree: -1, pass: 0 });
    expect(voteChoice(1)).toBe("agree");
    expect(voteChoice(-1)).toBe("disagree");
    expect(voteChoice(0)).toBe("pass");
  });
});
