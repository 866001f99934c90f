import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
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

export const meta: MetaFunction = () => [{ title: "Your consultations · Polyphony" }];

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
  return (
    <div className="container container-wide stack facilitate">
      <div className="row row-between">
        <h1>Your consultations</h1>
        <Link to="/facilitate/new" className="button">
          New consultation
        </Link>
      </div>
      {list.length === 0 ? (
        <div className="card stack">
          <p>Your organisation has no consultations yet.</p>
          <p>
            Start with <Link to="/facilitate/new">a new consultation</Link>: give it a title, a description and the
            stakeholder groups who will take part. It stays a draft until you open it.
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Consultations of your organisation, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Phase</th>
                <th scope="col">Participants</th>
                <th scope="col">Positions</th>
                <th scope="col">Questions</th>
                <th scope="col">Created</th>
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
                  <td>{c.participants}</td>
                  <td>{c.positions}</td>
                  <td>{c.questions}</td>
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
