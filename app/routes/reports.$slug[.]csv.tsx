/**
 * The published report as a file (/reports/:slug.csv), for anyone: no session needed. 404 until the
 * report is published. A resource route: Content-Disposition attachment. `?lang=pt`: fixed texts in one of
 * the consultation's languages (unknown 400, undeclared 404); without it, the interface language.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedDownload } from "../components/report/synthesis.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return publishedDownload(request, params.slug ?? "", "csv");
}
