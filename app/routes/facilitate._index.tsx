import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "../i18n-react";
import { metaT, useFormat } from "../i18n";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { stamp, When } from "../components/facilitator/format";
import { PhaseBadge } from "../components/facilitator/phase-stepper";
import { getDb } from "../db.server";
import { consultations } from "../domain.server";
import { loaderError } from "../http.server";
import { PHASE_LABELS } from "../components/facilitator/rules.server";
import { requireFacilitator } from "../session.server";
import facilitatorStyles from "../styles/facilitator.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: facilitatorStyles }];

export const meta: MetaFunction = ({ matches }) => [{ title: `${metaT(matches)("facilitator.index.title")} · Polyphony` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { info } = await requireFacilitator(request);
  try {
    const rows = await consultations.listForOrganisation(await getDb(), info.viewer);
    return {
      consultations: rows.map((c) => ({
        slug: c.slug,
        title: c.title,
        phase: c.phase,
        phaseLabel: PHASE_LABELS[c.phase],
        created: stamp(c.createdAt),
        participants: c.participants,
        positions: c.positions,
        questions: c.questions,
      })),
    };
  } catch (error) {
    return loaderError(error);
  }
}

export default function FacilitateIndex() {
  const { consultations: list } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="container container-wide stack facilitate">
      <div className="row row-between">
        <h1>{t("facilitator.index.title")}</h1>
        <Link to="/facilitate/new" className="button">
          {t("facilitator.index.new")}
        </Link>
      </div>
      {list.length === 0 ? (
        <div className="card stack">
          <p>{t("facilitator.index.empty")}</p>
          <p>
            <Trans i18nKey="facilitator.index.startWith" components={{ link: <Link to="/facilitate/new" /> }} />
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("facilitator.index.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("facilitator.index.columns.title")}</th>
                <th scope="col">{t("facilitator.index.columns.phase")}</th>
                <th scope="col">{t("facilitator.index.columns.participants")}</th>
                <th scope="col">{t("facilitator.index.columns.positions")}</th>
                <th scope="col">{t("facilitator.index.columns.questions")}</th>
                <th scope="col">{t("facilitator.index.columns.created")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.slug}>
                  <td>
                    <Link to={`/facilitate/${encodeURIComponent(c.slug)}`}>{c.title}</Link>
                  </td>
                  <td>
                    <PhaseBadge phase={c.phase} label={c.phaseLabel} />
                  </td>
                  <td>{f.number(c.participants)}</td>
                  <td>{f.number(c.positions)}</td>
                  <td>{f.number(c.questions)}</td>
                  <td>
                    <When at={c.created} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
