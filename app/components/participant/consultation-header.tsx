import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Trans, useTranslation } from "../../i18n-react";
import type { Role } from "../../../consultations/permissions";
import { useFormat } from "../../i18n";
import { labelKeys, paths, type Phase } from "./labels";

export interface HeaderConsultation {
  slug: string;
  title: string;
  phase: Phase;
  schedule: { positionsAt: Date | null; deliberationAt: Date | null; synthesisAt: Date | null; publishedAt: Date | null };
}

export interface HeaderMe {
  pseudonym: string;
  groupName: string;
  status: "active" | "suspended";
}

const NEXT_DATE_KEY: Partial<Record<Phase, keyof HeaderConsultation["schedule"]>> = {
  draft: "positionsAt",
  positions: "deliberationAt",
  deliberation: "synthesisAt",
  synthesis: "publishedAt",
};

/** "You take part as Swift Fox 42 (Outreach workers)". */
export function Identity({ me, role }: { me: HeaderMe | null; role: Role }) {
  const { t } = useTranslation();
  if (role === "facilitator") {
    return <p className="identity">{t("participant.identity.facilitator")}</p>;
  }
  if (!me) return null;
  return (
    <p className="identity">
      <Trans
        i18nKey="participant.identity.youTakePart"
        values={{ pseudonym: me.pseudonym, group: me.groupName }}
        components={{ name: <strong /> }}
      />
    </p>
  );
}

/** The phase, what the viewer can do now, and when the next phase starts if it is scheduled. */
export function PhaseBanner({ consultation, role }: { consultation: HeaderConsultation; role: Role }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { phase } = consultation;
  const nextEvent = labelKeys.nextPhaseEvent(phase);
  const key = NEXT_DATE_KEY[phase];
  const raw = key ? consultation.schedule[key] : null;
  const next = raw ? new Date(raw) : null;
  return (
    <section className={`phase-banner phase-${phase}`} aria-label={t("participant.banner.label")}>
      <p className="phase-name">
        <span className="visually-hidden">{t("participant.banner.phase")} </span>
        {t(labelKeys.phaseName(phase))}
      </p>
      {role === "suspended" ? (
        <p>{t("participant.banner.suspended")}</p>
      ) : role === "facilitator" ? (
        <p>
          {t("participant.banner.facilitatorView")}{" "}
          <Link to={paths.facilitate(consultation.slug)}>{t("participant.banner.backToFacilitating")}</Link>
        </p>
      ) : (
        <p>{t(labelKeys.phaseHelp(phase))}</p>
      )}
      {next && !Number.isNaN(next.getTime()) && nextEvent ? (
        <p className="small">
          {t(nextEvent)}: <time dateTime={next.toISOString()}>{format.dateTime(next)}</time>
        </p>
      ) : null}
    </section>
  );
}

/**
 * The top of every page inside a consultation except its home: a link back to the consultation,
 * then the page's own heading.
 */
export function ConsultationCrumbs({ slug, title, children }: { slug: string; title: string; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("participant.crumbs")} className="crumbs">
      <Link to={paths.consultation(slug)}>{title}</Link>
      {children}
    </nav>
  );
}
