import type { LoaderFunctionArgs } from "@remix-run/node";
import { browserTexts, isSupportedLanguage } from "../i18n.server";

/**
 * One language's interface texts for the browser (entry.client.tsx fetches them before hydrating).
 * Public: the same for everyone. With the current `?v=` the response is cached for a year.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = params.lang ?? "";
  if (!isSupportedLanguage(lang)) return new Response("No such language.", { status: 404 });
  const { body, version } = browserTexts(lang);
  const current = new URL(request.url).searchParams.get("v") === version;
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": current ? "public, max-age=31536000, immutable" : "public, max-age=300",
    },
  });
}
