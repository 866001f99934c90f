import { loggableError, loggablePath } from "./log-safety";

describe("loggablePath", () => {
  it("hides the invitation code of a join link; other paths stay", () => {
    expect(loggablePath("/join/DEM0-PEER-S000-0000-0000-0000-0000")).toBe("/join/<code>");
    expect(loggablePath("/join/ABCD/extra")).toBe("/join/<code>/extra");
    expect(loggablePath("/c/peer-work/p/6f1c")).toBe("/c/peer-work/p/6f1c");
  });
});

describe("loggableError", () => {
  it("keeps the name, code and first line; drops what follows (Prisma prints the query's arguments there)", () => {
    const error = Object.assign(new Error('\nInvalid `prisma.position.create()` invocation:\n\n{\n  data: { body: "Harbor Lantern says: my private words" }\n}\n\nUnique constraint failed'), {
      code: "P2002",
    });
    const logged = loggableError(error);
    expect(logged.error).toBe("Error: Invalid `prisma.position.create()` invocation:");
    expect(logged.code).toBe("P2002");
    expect(JSON.stringify(logged)).not.toContain("Harbor Lantern");
    expect(logged.stack).toMatch(/^\s*at /);
  });

  it("says only the type of what is not an Error", () => {
    expect(loggableError("secret text")).toEqual({ error: "string" });
  });
});
