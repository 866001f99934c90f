import { loadEnv as load } from "./env";

const loadEnv = (vars: Record<string, string>) => load(vars as NodeJS.ProcessEnv);

describe("loadEnv: abuse limits and proxies", () => {
  it("POLYPHONY_RATE_LIMITS: on by default; 'off' turns them off (and warns); anything else stops the process", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const exit = vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    try {
      // Case: unset and empty mean "on".
      expect(loadEnv({}).POLYPHONY_RATE_LIMITS).toBe("on");
      expect(loadEnv({ POLYPHONY_RATE_LIMITS: "" }).POLYPHONY_RATE_LIMITS).toBe("on");
      expect(warn).not.toHaveBeenCalled();
      // Case: off, with a warning naming it.
      expect(loadEnv({ POLYPHONY_RATE_LIMITS: "off" }).POLYPHONY_RATE_LIMITS).toBe("off");
      expect(String(warn.mock.calls[0]?.[0])).toContain("POLYPHONY_RATE_LIMITS=off");
      // Case: a typo is refused, not read as "on" or "off".
      expect(() => loadEnv({ POLYPHONY_RATE_LIMITS: "false" })).toThrow("exit 1");
      expect(String(error.mock.calls[0]?.[0])).toContain("POLYPHONY_RATE_LIMITS");
    } finally {
      warn.mockRestore();
      error.mockRestore();
      exit.mockRestore();
    }
  });

  it("POLYPHONY_TRUST_PROXY: unset, a hop count, true/false, or addresses as Express takes them", () => {
    const cases: Array<[string | undefined, unknown]> = [
      [undefined, undefined],
      ["1", 1],
      ["true", true],
      ["false", false],
      ["loopback", "loopback"],
      ["10.0.0.1, 10.0.0.2", "10.0.0.1, 10.0.0.2"],
    ];
    for (const [value, expected] of cases) {
      const env = loadEnv(value === undefined ? {} : { POLYPHONY_TRUST_PROXY: value });
      expect([value, env.POLYPHONY_TRUST_PROXY]).toEqual([value, expected]);
    }
  });
});

describe("loadEnv: the database", () => {
  it("DATABASE_URL is an SQLite file or a PostgreSQL URL; the pool and the cluster adapter have sane defaults", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const exit = vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    try {
      // Case: unset (the embedded default), a file, PostgreSQL under both schemes.
      expect(loadEnv({}).DATABASE_URL).toBeUndefined();
      expect(loadEnv({ DATABASE_URL: "file:/srv/polyphony/data.db" }).DATABASE_URL).toBe("file:/srv/polyphony/data.db");
      expect(loadEnv({ DATABASE_URL: "postgresql://app:secret@db.internal:5432/polyphony" }).DATABASE_URL).toContain("postgresql://");
      expect(loadEnv({ DATABASE_URL: "postgres://app@localhost/polyphony" }).DATABASE_URL).toContain("postgres://");
      expect(loadEnv({}).POLYPHONY_DB_POOL).toBe(10);
      expect(loadEnv({}).POLYPHONY_REALTIME_ADAPTER).toBe("auto");
      expect(loadEnv({}).POLYPHONY_REALTIME_SYNC_MS).toBe(5000);
      // Case: another database, a pool of 0, an unknown adapter setting: refused at start, naming the variable.
      const bads: Array<Record<string, string>> = [{ DATABASE_URL: "mysql://localhost/polyphony" }, { POLYPHONY_DB_POOL: "0" }, { POLYPHONY_REALTIME_ADAPTER: "redis" }];
      for (const bad of bads) {
        error.mockClear();
        expect(() => loadEnv(bad), JSON.stringify(bad)).toThrow("exit 1");
        expect(String(error.mock.calls[0]?.[0])).toContain(Object.keys(bad)[0]);
      }
    } finally {
      error.mockRestore();
      exit.mockRestore();
    }
  });
});
