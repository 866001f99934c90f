/**
 * The draft (or published) report as a file, for the consultation's facilitators:
 * /facilitate/:slug/synthesis/download?format=md|html|json|csv. A resource route: only this loader runs.
 * Anonymous visitors go to the login page; facilitators of other organisations get 404.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { draftDownload } from "../components/report/synthesis.server";
import { synthesis } from "../domain.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const format = new URL(request.url).searchParams.get("format");
  if (!synthesis.isReportFormat(format)) {
    throw new Response("Choose a format: md, html, json or csv.", { status: 400 });
  }
  return draftDownload(request, params.slug ?? "", format);
}
