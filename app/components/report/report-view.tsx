/**
 * An embedded report: markup and scoped style sheet from `embeddableReport` (report.server.ts).
 *
 * SECURITY: `html` MUST come from `embeddableReport` in a loader (the report module's sanitized HTML,
 * sanitized again with the report allow-list); `css` is the report module's own style sheet, scoped.
 * Never pass anything else: both are inserted as they are.
 */
export function ReportView({ html, css, className }: { html: string; css: string; className?: string }) {
  return (
    <>
      <style dangerouslySetInnerHTML={{ __html: css }} />
      <div className={className ? `report-embed ${className}` : "report-embed"} dangerouslySetInnerHTML={{ __html: html }} />
    </>
  );
}
