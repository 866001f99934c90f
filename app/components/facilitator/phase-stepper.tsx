import { useTranslation } from "../../i18n-react";

/** Browser-safe. Phase names are texts (facilitator.phases.*); `label` is the domain's English name. */
export interface Step {
  phase: string;
  label: string;
}

/** The phases in order, the current one marked (in words, not only colour). */
export function PhaseStepper({ steps, current }: { steps: Step[]; current: string }) {
  const { t } = useTranslation();
  const at = steps.findIndex((s) => s.phase === current);
  return (
    <ol className="stepper" aria-label={t("facilitator.stepper.label")}>
      {steps.map((s, i) => {
        const state = i < at ? "done" : i === at ? "current" : "upcoming";
        return (
          <li key={s.phase} className={`step step-${state}`} aria-current={i === at ? "step" : undefined}>
            <span className="step-number" aria-hidden="true">
              {state === "done" ? "\u2713" : i + 1}
            </span>{" "}
            <span className="step-label">{t(`facilitator.phases.${s.phase}`, { defaultValue: s.label })}</span>
            <span className="visually-hidden">
              {` (${t(`facilitator.stepper.${state}`)})`}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export function PhaseBadge({ phase, label }: { phase: string; label: string }) {
  const { t } = useTranslation();
  return <span className={`badge phase-badge phase-${phase}`}>{t(`facilitator.phases.${phase}`, { defaultValue: label })}</span>;
}
