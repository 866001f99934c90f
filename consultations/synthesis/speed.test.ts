/**
 * Speed of the whole synthesis, measured and printed (not asserted: a shared 2-core CI machine's
 * timings vary; `npx tsx consultations/synthesis/benchmark.ts` repeats the runs on a quiet machine).
 * Targets: 2,000 x 900 with 225,000 votes <= 1 s; 10,000 x 2,000 at 15% <= 5 s.
 */
import os from "node:os";
import { BENCHMARK_SIZES, formatTiming, timeSynthesis } from "./benchmark";
import { largePlantedConsultation } from "./planted";

describe("synthesis speed (printed, not asserted)", () => {
  it("warms up on a small consultation", () => {
    timeSynthesis(largePlantedConsultation(300, 80, 0.85).input);
  });

  for (const size of BENCHMARK_SIZES) {
    it(`measures ${size.label}`, () => {
      const input = largePlantedConsultation(size.participants, size.statements, size.density).input;
      const timing = timeSynthesis(input);
      console.log(`[speed] ${formatTiming(size.label, timing)} (target ${size.targetMs} ms; load average ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores)`);
      expect(timing.votes).toBeGreaterThan(0.9 * size.participants * size.statements * size.density);
    }, 180_000);
  }
});
