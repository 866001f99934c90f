/**
 * The audit log (/facilitate/:slug/audit?page=N): what the consultation's facilitators (and its schedule)
 * did, newest first, 50 a page, with a CSV download. Facilitators appear as "Facilitator 2" (never an
 * email or account id); participants as their pseudonym. Works without JavaScript (links only).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import { metaT, useFormat } from "../i18n";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { facilitatorLoader } from "../components/facilitator/facilitator.server";
import { stamp, When } from "../components/facilitator/format";
import { auditLog } from "../domain.server";
import { consultationPath } from "../paths";

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches);
  return [{ title: `${t("facilitator.audit.title")} · ${t("facilitator.common.title")} · Polyphony` }];
};

/** "Facilitator 2" and "Schedule" in the page's language (the domain names actors in English). */
function useActorName(): (actor: string) => string {
  const { t } = useTranslation();
  return (actor) => {
    const numbered = /^Facilitator (\d+)$/.exec(actor);
    if (numbered) return t("facilitator.audit.facilitatorN", { n: numbered[1] });
    return actor === "Schedule" ? t("facilitator.audit.schedule") : actor;
  };
}

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
  const { t } = useTranslation();
  const f = useFormat();
  const actorName = useActorName();
  const base = `/facilitate/${encodeURIComponent(data.slug)}/audit`;
  const pageLink = (n: number) => (n === 1 ? base : `${base}?page=${n}`);
  return (
    <div className="stack">
      <h2>{t("facilitator.audit.title")}</h2>
      <p>{t("facilitator.audit.intro")}</p>
      <p>
        <a href={`${base}.csv`} download>
          {t("facilitator.audit.download")}
        </a>{" "}
        <span className="small muted">{t("facilitator.audit.entries", { count: data.total, n: f.number(data.total) })}</span>
      </p>
      {data.entries.length === 0 ? (
        <p className="muted">{data.total === 0 ? t("facilitator.audit.nothing") : t("facilitator.audit.emptyPage")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("facilitator.audit.columns.when")}</th>
                <th scope="col">{t("facilitator.audit.columns.who")}</th>
                <th scope="col">{t("facilitator.audit.columns.what")}</th>
                <th scope="col">{t("facilitator.audit.columns.on")}</th>
                <th scope="col">{t("facilitator.audit.columns.details")}</th>
                <th scope="col">{t("facilitator.audit.columns.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.seq}>
                  <td>
                    <When at={e.at} />
                  </td>
                  <td>{actorName(e.actor)}</td>
                  <td>
                    {t(`facilitator.audit.actions.${e.action.replace(/\./g, "_")}`, { defaultValue: e.actionLabel })} <span className="small muted">({e.action})</span>
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
        <nav aria-label={t("facilitator.audit.pages")} className="row">
          {data.page > 1 ? <Link to={pageLink(data.page - 1)}>{t("facilitator.audit.newer")}</Link> : null}
          <span className="small muted">{t("facilitator.audit.pageOf", { page: f.number(data.page), pages: f.number(data.pages) })}</span>
          {data.page < data.pages ? <Link to={pageLink(data.page + 1)}>{t("facilitator.audit.older")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
