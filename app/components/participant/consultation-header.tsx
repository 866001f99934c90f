import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Role } from "../../../consultations/permissions";
import { NEXT_PHASE_EVENT, PHASE_HELP, PHASE_NAMES, paths, type Phase } from "./labels";

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

// A fixed locale and time zone: the server and the browser render the same text.
const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "You take part as Swift Fox 42 (Outreach workers)". */
export function Identity({ me, role }: { me: HeaderMe | null; role: Role }) {
  if (role === "facilitator") {
    return <p className="identity">You are viewing this consultation as a facilitator.</p>;
  }
  if (!me) return null;
  return (
    <p className="identity">
      You take part as <strong>{me.pseudonym}</strong> ({me.groupName})
    </p>
  );
}

/** The phase, what the viewer can do now, and when the next phase starts if it is scheduled. */
export function PhaseBanner({ consultation, role }: { consultation: HeaderConsultation; role: Role }) {
  const { phase } = consultation;
  const key = NEXT_DATE_KEY[phase];
  const raw = key ? consultation.schedule[key] : null;
  const next = raw ? new Date(raw) : null;
  return (
    <section className={`phase-banner phase-${phase}`} aria-label="What you can do now">
      <p className="phase-name">
        <span className="visually-hidden">Phase: </span>
        {PHASE_NAMES[phase]}
      </p>
      {role === "suspended" ? (
        <p>Your participation in this consultation is suspended. You can still read everything, but not post, vote or comment.</p>
      ) : role === "facilitator" ? (
        <p>
          This is what participants see. It is read-only for you.{" "}
          <Link to={paths.facilitate(consultation.slug)}>Back to facilitating this consultation</Link>
        </p>
      ) : (
        <p>{PHASE_HELP[phase]}</p>
      )}
      {next && !Number.isNaN(next.getTime()) && NEXT_PHASE_EVENT[phase] ? (
        <p className="small">
          {NEXT_PHASE_EVENT[phase]}: <time dateTime={next.toISOString()}>{DATE.format(next)} UTC</time>
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
  return (
    <nav aria-label="Where you are" className="crumbs">
      <Link to={paths.consultation(slug)}>{title}</Link>
      {children}
    </nav>
  );
}
