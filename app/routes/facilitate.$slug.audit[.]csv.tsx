/**
 * The audit log as CSV (/facilitate/:slug/audit.csv), for the consultation's facilitators: anonymous
 * visitors and participants go to the login page, facilitators of other organisations get 404. A resource
 * route: only this loader runs. Cells that could start a spreadsheet formula are neutralised.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { facilitatorLoader } from "../components/facilitator/facilitator.server";
import { auditLog } from "../domain.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return facilitatorLoader(request, params, async ({ db, viewer, key }) => {
    const file = await auditLog.auditCsv(db, viewer, key);
    return new Response(file.body, {
      status: 200,
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
