/**
 * Server rendering: standard Remix 2 Node streaming. Bots get the whole document at once
 * (onAllReady), browsers as soon as the shell is ready. The CSP nonce from the load context goes
 * to React's inline scripts and, through NonceProvider, to <Scripts>/<ScrollRestoration>.
 */
import { PassThrough } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "./i18n-react";
import { requestI18n } from "./i18n.server";
import { NonceProvider } from "./nonce";
import { loggableError, loggablePath } from "./log.server";

/**
 * A 429 page (consultations/rate-limits.ts) says when to try again in `Retry-After`. The action or loader
 * set it (app/http.server.ts `actionError` / `loaderError`), but Remix carries only Set-Cookie from them
 * to the document by itself (other headers need a `headers` export on every route): copied here.
 */
function retryAfterOf(status: number, headers: Headers, context: EntryContext) {
  if (status !== 429 || headers.has("Retry-After")) return;
  const { actionHeaders, loaderHeaders } = context.staticHandlerContext;
  for (const routeHeaders of [...Object.values(actionHeaders ?? {}), ...Object.values(loaderHeaders ?? {})]) {
    const value = routeHeaders?.get("Retry-After");
    if (value) return void headers.set("Retry-After", value);
  }
}

/** How long streaming may take before the render is aborted (ms). */
export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  const nonce = loadContext.cspNonce;
  retryAfterOf(responseStatusCode, responseHeaders, remixContext);

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={requestI18n(request)}>
          <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors in the shell reject above and are logged by handleError.
          if (shellRendered) logError(error, request);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1_000);
  });
}

/** Unexpected errors in loaders, actions and rendering: one JSON log line, no request details. */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  // Aborted requests and 4xx error responses (e.g. no route matched) are not failures of ours.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  logError(error, request);
}

function logError(error: unknown, request: Request) {
  console.error(
    JSON.stringify({ level: "error", msg: "request failed", method: request.method, path: loggablePath(new URL(request.url).pathname), ...loggableError(error) }),
  );
}
