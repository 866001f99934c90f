/**
 * The facilitator's synthesis page, server side: the review as plain strings and numbers for the page
 * (figures already in words, small figures already suppressed by the report module), and the draft
 * downloads. Routes call these from loaders; nothing here reaches the browser bundle.
 */
import { z } from "zod";
import { LANGUAGE_CODE } from "../../../consultations/languages";
import type { Viewer } from "../../../consultations/permissions";
import { reportHtml } from "../../../consultations/report";
import { reportLocale } from "../../../consultations/report/locale";
import type { Report, ReportFormat } from "../../../consultations/synthesis-runs";
import { getDb, type Db } from "../../db.server";
import { auditLog, isDomainError, synthesis } from "../../domain.server";
import { isSupportedLanguage, languageInfo, languages, requestLanguage } from "../../i18n.server";
import { loaderError } from "../../http.server";
import { getSession, requireFacilitator } from "../../session.server";
import { stamp } from "../facilitator/format";
import { PHASE_LABELS } from "../facilitator/rules.server";
import { countText, embeddableReport, figureText, fullFigureText, notFoundDocument, publicReportDocument } from "./report.server";

const pct = (share: number) => (Number.isFinite(share) ? `${Math.round(share * 100)}%` : "–");

function reviewOf(report: Report) {
  const loc = reportLocale(report.language);
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
      overall: fullFigureText(loc, r.overall),
      groups: r.groups.map((g) => figureText(loc, g.name, g.support)),
      consensus: r.declaredGroupConsensus.toFixed(2),
      stability: r.stability.text,
    })),
    disagreements: report.disagreements.map((d) => ({
      statementId: d.statementId,
      label: d.label,
      wording: d.wording,
      theme: d.theme?.label ?? null,
      gap: pct(d.divisiveness),
      mostFor: figureText(loc, d.mostFor.name, d.mostFor.support),
      mostAgainst: figureText(loc, d.mostAgainst.name, d.mostAgainst.support),
    })),
    opinionGroups: report.emphases.opinion.map((e) => ({
      id: e.id,
      name: e.name,
      size: countText(loc, e.size),
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

/** Everything the synthesis page shows; the draft report's fixed texts in `language` (the page's). */
export async function synthesisPage(db: Db, viewer: Viewer, key: { slug: string }, language?: string) {
  const review = await synthesis.getReview(db, viewer, key, language);
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
 * `?lang=` of a public report URL (zod): absent, or a language code with a locale file. A malformed or
 * unknown code answers 400 with the languages there are; the caller checks that the consultation
 * declares it (404 otherwise: that report does not exist).
 */
const LanguageQuery = z.object({ lang: z.string().regex(LANGUAGE_CODE).refine(isSupportedLanguage).optional() });

function plainResponse(text: string, status: number): Response {
  return new Response(`${text}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

/** The language asked for with ?lang= (validated), or a 400 response. */
function askedLanguage(request: Request): { lang: string | undefined } | Response {
  const url = new URL(request.url);
  const raw = url.searchParams.get("lang");
  const parsed = LanguageQuery.safeParse({ lang: raw === null ? undefined : raw });
  if (parsed.success) return { lang: parsed.data.lang };
  const loc = reportLocale(requestLanguage(request));
  const shown = (raw ?? "").slice(0, 20).replace(/[^\p{L}\p{N}_-]/gu, "?");
  return plainResponse(loc.t("page.badLanguage", { lang: shown, list: loc.list(languages().map((l) => l.code)) }), 400);
}

/** 404 for a language the consultation does not declare (that report does not exist). */
function undeclared(request: Request, lang: string, declared: string[]): Response {
  const loc = reportLocale(requestLanguage(request));
  return plainResponse(loc.t("page.undeclaredLanguage", { lang, list: loc.list(declared) }), 404);
}

/**
 * The published report as a download, for anyone; 404 until published. `?lang=pt` gives the fixed texts
 * in one of the consultation's declared languages (400 for an unknown language, 404 for one it does not
 * declare); without it, the request's interface language. A download by one of the consultation's
 * facilitators (signed in) goes in the audit log; anyone else's is not recorded.
 */
export async function publishedDownload(request: Request, slug: string, format: ReportFormat): Promise<Response> {
  const asked = askedLanguage(request);
  if (asked instanceof Response) return asked;
  const db = await getDb();
  try {
    const published = await synthesis.getPublishedReport(db, slug, asked.lang ?? requestLanguage(request));
    if (asked.lang && !published.languages.includes(asked.lang)) return undeclared(request, asked.lang, published.languages);
    const file = synthesis.reportFile(published.report, format, { slug: published.slug });
    const { viewer } = await getSession(request);
    const recorded = await auditLog.recordDownload(db, viewer, { slug: published.slug }, { format, draft: false });
    const response = fileResponse(file, recorded ? "private" : "public");
    // Without ?lang= the language follows the request's cookie and Accept-Language.
    if (!asked.lang) response.headers.set("Vary", "Cookie, Accept-Language");
    response.headers.set("Content-Language", published.report.language);
    return response;
  } catch (error) {
    return loaderError(error);
  }
}

const PUBLIC_FORMATS = [
  { ext: "html", key: "page.downloadHtml" },
  { ext: "md", key: "page.downloadMd" },
  { ext: "csv", key: "page.downloadCsv" },
  { ext: "json", key: "page.downloadJson" },
] as const;

/**
 * The public report page: one light HTML document (no script), or a small 404 page until the report
 * is published. Its fixed texts are in the page's interface language, or in `?lang=` (one of the
 * consultation's declared languages); it links to the report in each declared language.
 */
export async function publishedPage(request: Request, slug: string): Promise<Response> {
  const asked = askedLanguage(request);
  if (asked instanceof Response) return asked;
  const lang = asked.lang ?? requestLanguage(request);
  const db = await getDb();
  try {
    const published = await synthesis.getPublishedReport(db, slug, lang);
    if (asked.lang && !published.languages.includes(asked.lang)) return undeclared(request, asked.lang, published.languages);
    const loc = reportLocale(published.report.language);
    const base = `/reports/${encodeURIComponent(published.slug)}`;
    const query = asked.lang ? `?lang=${asked.lang}` : "";
    const body = publicReportDocument(reportHtml(published.report), {
      lang: loc.lang,
      title: loc.t("page.title", { title: published.title }),
      publishedText: loc.t("page.published", { date: loc.day(published.publishedAt.toISOString()) }),
      texts: { downloads: loc.t("page.downloads"), printHint: loc.t("page.printHint"), otherLanguages: loc.t("page.otherLanguages") },
      downloads: PUBLIC_FORMATS.map((f) => ({ href: `${base}.${f.ext}${query}`, label: loc.t(f.key) })),
      languages: published.languages.map((code) => ({ code, name: languageInfo(code).name, href: `${base}?lang=${code}`, current: code === loc.lang })),
    });
    const headers: Record<string, string> = { "Content-Type": "text/html; charset=utf-8", "Content-Language": loc.lang };
    if (!asked.lang) headers.Vary = "Cookie, Accept-Language";
    return new Response(body, { status: 200, headers });
  } catch (error) {
    if (isDomainError(error) && error.kind === "not_found") {
      const loc = reportLocale(lang);
      return new Response(notFoundDocument(loc.t("page.notFound"), { lang: loc.lang, title: loc.t("page.notFoundTitle"), home: loc.t("page.home") }), {
        status: 404,
        headers: { "Content-Type": "text/html; charset=utf-8" },
      });
    }
    return loaderError(error);
  }
}
