/** Browser-safe: phase labels come from the loader (consultations/schemas would ship zod to the browser). */
export interface Step {
  phase: string;
  label: string;
}

/** The phases in order, the current one marked (in words, not only colour). */
export function PhaseStepper({ steps, current }: { steps: Step[]; current: string }) {
  const at = steps.findIndex((s) => s.phase === current);
  return (
    <ol className="stepper" aria-label="Phases">
      {steps.map((s, i) => {
        const state = i < at ? "done" : i === at ? "current" : "upcoming";
        return (
          <li key={s.phase} className={`step step-${state}`} aria-current={i === at ? "step" : undefined}>
            <span className="step-number" aria-hidden="true">
              {state === "done" ? "\u2713" : i + 1}
            </span>{" "}
            <span className="step-label">{s.label}</span>
            <span className="visually-hidden">
              {state === "done" ? " (done)" : state === "current" ? " (current phase)" : " (to come)"}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export function PhaseBadge({ phase, label }: { phase: string; label: string }) {
  return <span className={`badge phase-badge phase-${phase}`}>{label}</span>;
}
