/**
 * The audit log (/facilitate/:slug/audit?page=N): what the consultation's facilitators (and its schedule)
 * did, newest first, 50 a page, with a CSV download. Facilitators appear as "Facilitator 2" (never an
 * email or account id); participants as their pseudonym. Works without JavaScript (links only).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { facilitatorLoader } from "../components/facilitator/facilitator.server";
import { stamp, When } from "../components/facilitator/format";
import { auditLog } from "../domain.server";
import { consultationPath } from "../paths";

export const meta: MetaFunction = () => [{ title: "Audit log · Facilitate · Polyphony" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const page = await auditLog.listAudit(db, viewer, key, { page: new URL(request.url).searchParams.get("page") });
    return {
      slug: page.consultation.slug,
      page: page.page,
      pages: page.pages,
      total: page.total,
      entries: page.entries.map((e) => ({
        seq: e.seq,
        at: stamp(e.at),
        actor: e.actor,
        action: e.action,
        actionLabel: e.actionLabel,
        target: e.targetLabel,
        positionId: e.positionId,
        detail: e.detail,
        reason: e.reason,
      })),
    };
  });
}

export default function AuditLog() {
  const data = useLoaderData<typeof loader>();
  const base = `/facilitate/${encodeURIComponent(data.slug)}/audit`;
  const pageLink = (n: number) => (n === 1 ? base : `${base}?page=${n}`);
  return (
    <div className="stack">
      <h2>Audit log</h2>
      <p>
        What facilitators did in this consultation, newest first. Each facilitator appears under a number that stays the
        same in this consultation (&ldquo;Facilitator 1&rdquo;); &ldquo;Schedule&rdquo; is a phase change made by the
        scheduled dates. Entries cannot be changed or removed. Times are UTC.
      </p>
      <p>
        <a href={`${base}.csv`} download>
          Download the whole log (CSV)
        </a>{" "}
        <span className="small muted">{`${data.total} ${data.total === 1 ? "entry" : "entries"}`}</span>
      </p>
      {data.entries.length === 0 ? (
        <p className="muted">{data.total === 0 ? "Nothing recorded yet." : "There are no entries on this page."}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">On</th>
                <th scope="col">Details</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.seq}>
                  <td>
                    <When at={e.at} />
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    {e.actionLabel} <span className="small muted">({e.action})</span>
                  </td>
                  <td>
                    {e.positionId ? (
                      <Link to={`${consultationPath(data.slug)}/p/${encodeURIComponent(e.positionId)}`}>{e.target}</Link>
                    ) : (
                      e.target ?? ""
                    )}
                  </td>
                  <td>{e.detail ?? ""}</td>
                  <td>{e.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.pages > 1 ? (
        <nav aria-label="Audit log pages" className="row">
          {data.page > 1 ? <Link to={pageLink(data.page - 1)}>Newer entries</Link> : null}
          <span className="small muted">{`Page ${data.page} of ${data.pages}`}</span>
          {data.page < data.pages ? <Link to={pageLink(data.page + 1)}>Older entries</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
