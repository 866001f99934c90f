/**
 * The public report (/reports/:slug), for policymakers and anyone with the link: no sign-in. A resource
 * route that answers one light HTML document: the report module's page (its print style sheet gives a
 * clean "Print / Save as PDF"), no script, a download bar in four formats that is not printed. The
 * report's markup is sanitized again on the way (components/report/report.server.ts). 404 until the
 * facilitator publishes the report. Fixed texts in the visitor's interface language, or `?lang=pt` (one of
 * the consultation's declared languages: unknown language 400, undeclared 404), with links to each.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedPage } from "../components/report/synthesis.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return publishedPage(request, params.slug ?? "");
}
