import type { LoaderFunctionArgs } from "@remix-run/node";
import { browserTexts, isSupportedLanguage } from "../i18n.server";

/**
 * One language's interface texts for the browser (entry.client.tsx fetches them before hydrating).
 * Public: the same for everyone. With the current `?v=` the response is cached for a year.
 * `?for=participant`: without the facilitators' texts (app/i18n.server.ts `textsScopeFor`).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = params.lang ?? "";
  if (!isSupportedLanguage(lang)) return new Response("No such language.", { status: 404 });
  const query = new URL(request.url).searchParams;
  const { body, version } = browserTexts(lang, query.get("for") === "participant" ? "participant" : "all");
  const current = query.get("v") === version;
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": current ? "public, max-age=31536000, immutable" : "public, max-age=300",
    },
  });
}
