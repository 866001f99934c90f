/**
 * Request/response helpers every route uses: read a form, turn domain errors into responses.
 *
 * Conventions:
 * - actions: `try { ... } catch (error) { return actionError(error, values) }` and read the result
 *   with `useActionData<ActionResult>()`; pages with several forms send an `intent` and dispatch it
 *   with `dispatchIntent` (through `facilitatorAction` / `participantAction`);
 * - loaders: `try { ... } catch (error) { loaderError(error) }` (or `orRedirect(error, "/")` on
 *   participant pages, which sends anonymous visitors to the landing page).
 */
import { data, redirect } from "@remix-run/node";
import { isDomainError, type DomainErrorKind } from "../consultations/errors";
import { retryAfterOf } from "../consultations/rate-limits";
import type { ActionFailure, ActionResult } from "./action-result";

/** What an action returns to its form (`useActionData<ActionResult>()`). */
export type { ActionFailure, ActionResult };

/** Largest form body accepted by default (bytes, as sent). */
export const FORM_MAX_BYTES = 64 * 1024;

/**
 * Reads the body as FormData, refusing bodies over `maxBytes` with a 413 Response.
 * Use `formObject` unless a field repeats (checkbox lists).
 */
export async function readForm(request: Request, { maxBytes = FORM_MAX_BYTES } = {}): Promise<FormData> {
  const tooLarge = () => new Response("This form is too large.", { status: 413 });
  const declared = Number(request.headers.get("Content-Length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!request.body) return new FormData();

  // Read at most maxBytes whatever Content-Length claims (chunked bodies have none).
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Stop reading, but do not cancel: cancelling destroys the socket before the 413 is sent.
      // Node discards the unread rest of the body once the response is finished.
      reader.releaseLock();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    throw new Response("This form could not be read.", { status: 400 });
  }
}

/**
 * The submitted form as a plain object of strings (files are ignored; for a repeated name the first
 * value wins, except for the names in `lists`: checkbox lists, whose values are joined with commas, ""
 * when none is ticked). Bodies over `maxBytes` (default 64 KB) are refused with a 413 Response; pass a
 * larger limit for long Markdown fields (non-Latin text grows up to 9x when url-encoded).
 */
export async function formObject(
  request: Request,
  options: { maxBytes?: number; lists?: readonly string[] } = {},
): Promise<Record<string, string>> {
  const form = await readForm(request, options);
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !(key in out)) out[key] = value;
  }
  for (const key of options.lists ?? []) {
    const values = form.getAll(key).filter((v): v is string => typeof v === "string" && v !== "");
    if (values.length || key in out) out[key] = values.join(",");
  }
  return out;
}

/** `values` without the named keys (passwords, passphrases) for `actionError(error, values)`. */
export function withoutSecrets(values: Record<string, string>, ...keys: string[]): Record<string, string> {
  const out = { ...values };
  for (const key of keys) delete out[key];
  return out;
}

/**
 * A DomainError as the form's result, with the error's status (422, 401, 403, 404, 409, 429).
 * Anything else is rethrown (Responses, redirects and bugs go to Remix as usual).
 */
export function actionError(error: unknown, values?: Record<string, string>) {
  if (!isDomainError(error)) throw error;
  const result: ActionFailure = {
    ok: false,
    message: error.message,
    fieldErrors: error.fieldErrors,
    ...(values ? { values } : {}),
  };
  return data(result, { status: error.status, headers: retryAfterHeaders(error) });
}

/** `Retry-After` (seconds) for a rate-limited error (consultations/rate-limits.ts `RateLimited`). */
export function retryAfterHeaders(error: unknown): Record<string, string> {
  const seconds = retryAfterOf(error);
  return seconds === undefined ? {} : { "Retry-After": String(Math.max(1, Math.ceil(seconds))) };
}

/** A failure result built in the route (e.g. a missing `intent`), as `actionError` would return it. */
export function actionFailure(message: string, status = 422, fieldErrors: Record<string, string[]> = {}) {
  const result: ActionFailure = { ok: false, message, fieldErrors };
  return data(result, { status });
}

/** What an intent handler receives: at least the submitted form. */
export type IntentContext = { form: Record<string, string> };

/**
 * Runs the handler named by `ctx.form.intent` (own keys of `handlers` only), answering `unknown()`
 * when there is none; a DomainError thrown by the handler becomes the form's result (`actionError`
 * with the submitted values), anything else is rethrown.
 */
export async function dispatchIntent<C extends IntentContext, H extends Record<string, (ctx: C) => unknown>, U>(
  handlers: H,
  ctx: C,
  unknown: () => U,
): Promise<Awaited<ReturnType<H[keyof H]>> | U | ReturnType<typeof actionError>> {
  const intent = ctx.form.intent;
  try {
    if (intent === undefined || !Object.hasOwn(handlers, intent)) return unknown();
    return (await handlers[intent](ctx)) as Awaited<ReturnType<H[keyof H]>>;
  } catch (error) {
    return actionError(error, ctx.form);
  }
}

/** Throws a DomainError as a Response for the nearest ErrorBoundary; rethrows anything else. */
export function loaderError(error: unknown): never {
  if (isDomainError(error)) throw new Response(error.message, { status: error.status, headers: retryAfterHeaders(error) });
  throw error;
}

/**
 * Like `loaderError`, but errors of the given kinds (default: unauthenticated) redirect to `to`.
 * Participant pages use `orRedirect(error, "/")`.
 */
export function orRedirect(error: unknown, to: string, kinds: DomainErrorKind[] = ["unauthenticated"]): never {
  if (isDomainError(error) && kinds.includes(error.kind)) throw redirect(to);
  return loaderError(error);
}
