/**
 * The facilitator's synthesis page, server side: the review as plain strings and numbers for the page
 * (figures already in words, small figures already suppressed by the report module), and the draft
 * downloads. Routes call these from loaders; nothing here reaches the browser bundle.
 */
import type { Viewer } from "../../../consultations/permissions";
import { reportHtml } from "../../../consultations/report";
import type { Report, ReportFormat } from "../../../consultations/synthesis-runs";
import { getDb, type Db } from "../../db.server";
import { auditLog, isDomainError, synthesis } from "../../domain.server";
import { loaderError } from "../../http.server";
import { getSession, requireFacilitator } from "../../session.server";
import { stamp } from "../facilitator/format";
import { PHASE_LABELS } from "../facilitator/rules.server";
import { countText, embeddableReport, figureText, fullFigureText, notFoundDocument, publicReportDocument } from "./report.server";

const pct = (share: number) => (Number.isFinite(share) ? `${Math.round(share * 100)}%` : "–");

function reviewOf(report: Report) {
  const statementText = new Map(report.statements.map((s) => [s.id, s.text]));
  return {
    warnings: report.method.warnings,
    recommendations: report.recommendations.map((r) => ({
      statementId: r.statementId,
      label: r.label,
      wording: r.wording,
      original: statementText.get(r.statementId) ?? "",
      edited: r.edited,
      theme: r.theme?.label ?? null,
      basis: r.basisText,
      overall: fullFigureText(r.overall),
      groups: r.groups.map((g) => figureText(g.name, g.support)),
      consensus: r.declaredGroupConsensus.toFixed(2),
      stability: r.stability.text,
    })),
    disagreements: report.disagreements.map((d) => ({
      statementId: d.statementId,
      label: d.label,
      wording: d.wording,
      theme: d.theme?.label ?? null,
      gap: pct(d.divisiveness),
      mostFor: figureText(d.mostFor.name, d.mostFor.support),
      mostAgainst: figureText(d.mostAgainst.name, d.mostAgainst.support),
    })),
    opinionGroups: report.emphases.opinion.map((e) => ({
      id: e.id,
      name: e.name,
      size: countText(e.size),
      note: e.note,
      items: e.items.map((i) => ({
        label: i.label,
        text: i.text,
        direction: i.direction,
        groupShare: pct(i.groupShare),
        othersShare: i.othersShare === null ? null : pct(i.othersShare),
      })),
    })),
    clustering: {
      k: report.method.clustering.k,
      tooSmallToTrust: report.method.clustering.tooSmallToTrust,
      unstable: report.method.clustering.unstable,
    },
  };
}

/** Everything the synthesis page shows. */
export async function synthesisPage(db: Db, viewer: Viewer, key: { slug: string }) {
  const review = await synthesis.getReview(db, viewer, key);
  const { run, draft } = review;
  return {
    slug: review.consultation.slug,
    phase: review.consultation.phase,
    phaseLabel: PHASE_LABELS[review.consultation.phase],
    minGroupSize: review.consultation.minGroupSize,
    running: review.running,
    canRun: review.canRun,
    canEdit: review.canEdit,
    canPublish: review.canPublish,
    limits: { wordingMin: synthesis.WORDING_MIN, wordingMax: synthesis.WORDING_MAX, summaryMax: synthesis.SUMMARY_NOTE_MAX },
    run: run
      ? {
          id: run.id,
          status: run.status,
          percent: Math.round(Math.min(1, Math.max(0, run.progress)) * 100),
          stage: run.stage,
          error: run.error,
          created: stamp(run.createdAt),
          finished: run.finishedAt ? stamp(run.finishedAt) : null,
        }
      : null,
    draft: draft
      ? {
          runId: draft.runId,
          status: draft.status,
          stale: draft.stale,
          summaryNote: draft.summaryNote ?? "",
          updated: stamp(draft.updatedAt),
          ...reviewOf(draft.report),
          preview: embeddableReport(reportHtml(draft.report)),
        }
      : null,
  };
}

/**
 * The draft report as a download for the consultation's facilitators (signed-in; other organisations
 * 404, anonymous visitors go to the login page). 404 before any run finished.
 */
export async function draftDownload(request: Request, slug: string, format: ReportFormat): Promise<Response> {
  const { info } = await requireFacilitator(request);
  const db = await getDb();
  try {
    const draft = await synthesis.getDraftReport(db, info.viewer, { slug });
    if (!draft) throw new Response("No synthesis has finished yet.", { status: 404 });
    const file = synthesis.reportFile(draft.report, format, { slug, draft: draft.status !== "published" });
    // The facilitator's download goes in the audit log (consultations/audit-log.ts).
    await auditLog.recordDownload(db, info.viewer, { slug }, { format, draft: draft.status !== "published" });
    return fileResponse(file);
  } catch (error) {
    if (error instanceof Response) throw error;
    return loaderError(error);
  }
}

/** A report file as an attachment, never cached by shared caches. */
export function fileResponse(file: { body: string; contentType: string; filename: string }, cache: "private" | "public" = "private"): Response {
  return new Response(file.body, {
    status: 200,
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": cache === "public" ? "public, max-age=300" : "private, no-store",
    },
  });
}

/**
 * The published report as a download, for anyone; 404 until published. A download by one of the
 * consultation's facilitators (signed in) goes in the audit log; anyone else's is not recorded.
 */
export async function publishedDownload(request: Request, slug: string, format: ReportFormat): Promise<Response> {
  const db = await getDb();
  try {
    const published = await synthesis.getPublishedReport(db, slug);
    const file = synthesis.reportFile(published.report, format, { slug: published.slug });
    const { viewer } = await getSession(request);
    const recorded = await auditLog.recordDownload(db, viewer, { slug: published.slug }, { format, draft: false });
    // A facilitator's copy is not shared through public caches (the response differs only in being logged).
    return fileResponse(file, recorded ? "private" : "public");
  } catch (error) {
    return loaderError(error);
  }
}

const PUBLIC_FORMATS = [
  { ext: "html", label: "Download: web page (HTML)" },
  { ext: "md", label: "Download: Markdown" },
  { ext: "csv", label: "Download: figures (CSV)" },
  { ext: "json", label: "Download: data (JSON)" },
] as const;

/**
 * The public report page: one light HTML document (no script), or a small 404 page until the report
 * is published.
 */
export async function publishedPage(slug: string): Promise<Response> {
  const db = await getDb();
  try {
    const published = await synthesis.getPublishedReport(db, slug);
    const base = `/reports/${encodeURIComponent(published.slug)}`;
    const body = publicReportDocument(reportHtml(published.report), {
      title: published.title,
      publishedText: `Published ${stamp(published.publishedAt).text}.`,
      downloads: PUBLIC_FORMATS.map((f) => ({ href: `${base}.${f.ext}`, label: f.label })),
    });
    return new Response(body, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
  } catch (error) {
    if (isDomainError(error) && error.kind === "not_found") {
      return new Response(notFoundDocument("This report was not found, or it has not been published yet."), {
        status: 404,
        headers: { "Content-Type": "text/html; charset=utf-8" },
      });
    }
    return loaderError(error);
  }
}
