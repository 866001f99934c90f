/**
 * Browser-safe-looking constants from consultations/ that routes need in loaders and actions only.
 * consultations/schemas.ts builds zod schemas at import time, so importing it from a route module would
 * ship zod (~450 KB) to the browser; through this .server module it stays on the server. Loaders pass
 * the values components need (limits, phase labels) in their data.
 */
import { LIMITS, PHASE_LABELS, PHASES, type Phase } from "../../../consultations/schemas";

export { LIMITS, PHASE_LABELS, PHASES };
export { phaseAllows, phaseRefusal } from "../../../consultations/phases";

export interface PhaseStep {
  phase: Phase;
  label: string;
}

/** The phases in order with their labels, for the stepper. */
export function phaseSteps(): PhaseStep[] {
  return PHASES.map((phase) => ({ phase, label: PHASE_LABELS[phase] }));
}

/**
 * Web addresses that would clash with the facilitator's own pages (/facilitate/new). The domain's Slug
 * schema allows them; until it reserves them, the routes refuse them with this field error.
 */
const RESERVED_SLUGS = new Set(["new"]);

export function reservedSlugError(slug: string | undefined): Record<string, string[]> | null {
  const value = (slug ?? "").trim().toLowerCase();
  return RESERVED_SLUGS.has(value) ? { slug: ["This web address is reserved. Choose another."] } : null;
}
