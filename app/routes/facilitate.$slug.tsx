import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import { metaT } from "../i18n";
import type { ConsultationEventPayload } from "../../realtime/event-map";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { PhaseBadge } from "../components/facilitator/phase-stepper";
import { FacilitatorTabs } from "../components/facilitator/tabs";
import { defaultRevalidateOn, LiveConsultation, LiveStatus } from "../components/live/live-consultation";
import { facilitatorLoader } from "../components/facilitator/facilitator.server";
import { consultations, moderation } from "../domain.server";
import { consultationPath } from "../paths";
import { PHASE_LABELS } from "../components/facilitator/rules.server";
import facilitatorStyles from "../styles/facilitator.css";
import liveStyles from "../styles/live.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: facilitatorStyles },
  { rel: "stylesheet", href: liveStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const facilitate = metaT(matches)("facilitator.common.title");
  return [{ title: data ? `${data.title} · ${facilitate} · Polyphony` : `${facilitate} · Polyphony` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const setup = await consultations.getSetup(db, viewer, key);
    const openFlags = await moderation.openFlagCount(db, setup.consultation.id);
    return {
      slug: setup.consultation.slug,
      title: setup.consultation.title,
      phase: setup.consultation.phase,
      phaseLabel: PHASE_LABELS[setup.consultation.phase],
      openFlags,
      eventSeq: setup.consultation.eventSeq,
    };
  });
}

export default function FacilitateConsultation() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <LiveConsultation slug={data.slug} eventSeq={data.eventSeq} revalidateOn={facilitatorRevalidateOn}>
      <div className="container container-wide stack facilitate">
        <header className="stack facilitate-header no-print">
          <p className="small muted">
            <Link to="/facilitate">{t("facilitator.common.allConsultations")}</Link>
          </p>
          <div className="row row-between">
            <h1>{data.title}</h1>
            <PhaseBadge phase={data.phase} label={data.phaseLabel} />
          </div>
          <div className="row row-between">
            <FacilitatorTabs slug={data.slug} openFlags={data.openFlags} />
            <Link to={consultationPath(data.slug)} className="small">
              {t("facilitator.layout.participantView")}
            </Link>
          </div>
          <LiveStatus />
        </header>
        <Outlet />
      </div>
    </LiveConsultation>
  );
}

/** Facilitators' pages also show flags, participation, suspensions and synthesis runs. */
function facilitatorRevalidateOn(event: ConsultationEventPayload, replayed: boolean): boolean {
  return /^(flag|participant|synthesis)\./.test(event.type) || defaultRevalidateOn(event, replayed);
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
