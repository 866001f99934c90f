/**
 * Server-only helpers shared by the participant routes (app/routes/c.*.tsx): the consultation key,
 * the loader and action scaffolding with their error mapping, and the small actions several pages
 * offer (vote, flag, withdraw, moderate). Services come only from app/domain.server.ts; every call
 * passes the viewer, so the domain authorizes role and phase.
 */
import { redirect } from "@remix-run/node";
import type { Viewer } from "../../../consultations/permissions";
import type { Db } from "../../db.server";
import { actionFailure, dispatchIntent, formObject, orRedirect } from "../../http.server";
import { getDb, moderation, positions, votes } from "../../domain.server";
import { safeRedirectPath } from "../../paths";
import { getSession } from "../../session.server";
import { paths } from "./labels";
import type { ParticipantSuccess } from "./results";

export type Values = Record<string, string>;

export interface ParticipantContext {
  db: Db;
  /** ANONYMOUS without a session: the domain decides what they may see. */
  viewer: Viewer;
  /** The consultation, by the slug in the URL. */
  key: { slug: string };
}

export interface ParticipantActionContext extends ParticipantContext {
  /** The submitted form (`formObject`). */
  form: Values;
}

export type ParticipantHandler = (ctx: ParticipantActionContext) => unknown;

/** The slug from route params, as the domain's consultation key. */
export function consultationKey(params: { slug?: string }) {
  return { slug: params.slug ?? "" };
}

/**
 * `to` when it is a page of this consultation (a path under /c/<slug>, with optional query and
 * hash), else `fallback`. Used for hidden `returnTo` inputs.
 */
export function backTo(to: string | undefined, slug: string, fallback: string): string {
  const safe = safeRedirectPath(to, fallback);
  const base = paths.consultation(slug);
  const rest = safe.slice(base.length);
  if (safe.startsWith(base) && (rest === "" || /^[/?#]/.test(rest))) return safe;
  return fallback;
}

/** `path` with its hash replaced by `#anchor`. */
export function withAnchor(path: string, anchor: string): string {
  const i = path.indexOf("#");
  return `${i < 0 ? path : path.slice(0, i)}#${anchor}`;
}

/** Whether the form was sent by a fetcher with JavaScript running (it adds `js=1`). */
export function sentByScript(form: Values): boolean {
  return form.js === "1";
}

/** Success for a form: JSON-ish result for fetchers; a redirect (post/redirect/get) for plain posts. */
export function succeed(form: Values, result: ParticipantSuccess, to: string) {
  return sentByScript(form) ? result : redirect(to);
}

/**
 * A participant page's loader. Domain errors go to the ErrorBoundary, except for visitors without a
 * session, who are sent to the consultation's "come back" page.
 */
export async function participantLoader<T>(
  request: Request,
  params: { slug?: string },
  load: (ctx: ParticipantContext) => Promise<T>,
): Promise<T> {
  const { viewer } = await getSession(request);
  const key = consultationKey(params);
  const db = await getDb();
  try {
    return await load({ db, viewer, key });
  } catch (error) {
    return orRedirect(error, paths.back(key.slug));
  }
}

/**
 * A participant page's action: reads the form (up to `options.maxBytes`, default 64 KB) and runs the
 * handler for its `intent`; without one, `unknownIntent`. Domain errors become the form's result.
 */
export async function participantAction<H extends Record<string, ParticipantHandler>>(
  request: Request,
  params: { slug?: string },
  handlers: H,
  options: { maxBytes?: number } = {},
) {
  const { viewer } = await getSession(request);
  const key = consultationKey(params);
  const form = await formObject(request, options);
  const db = await getDb();
  return dispatchIntent(handlers, { db, viewer, key, form }, () => unknownIntent(form));
}

/** Unknown or missing intent. */
export function unknownIntent(form: Values) {
  return actionFailure(form.intent ? "This action is not available here." : "Something was missing from the form. Please try again.", 400);
}

/** intent=vote (positionId, choice): casts the vote; fetchers get the result, plain posts go back. */
export async function vote({ db, viewer, key, form }: ParticipantActionContext, fallback: string) {
  const { slug } = key;
  const positionId = form.positionId ?? "";
  const cast = await votes.castVote(db, viewer, key, positionId, { choice: form.choice });
  const result: ParticipantSuccess = {
    ok: true,
    intent: "vote",
    id: positionId,
    message: cast.changed ? "Your vote is saved." : "Your vote was already saved.",
  };
  return succeed(form, result, withAnchor(backTo(form.returnTo, slug, fallback), `p-${positionId}`));
}

/** intent=flag (target, id, reason). The message is what the person sees; nothing redirects. */
export async function flag({ db, viewer, key, form }: ParticipantActionContext) {
  await moderation.flagContent(db, viewer, key, form.target, form.id ?? "", { reason: form.reason });
  const result: ParticipantSuccess = {
    ok: true,
    intent: "flag",
    id: form.id,
    values: { target: form.target ?? "" },
    message: "Thank you. The moderators will look at it. Other participants do not see who flagged it.",
  };
  return result;
}

/** intent=withdraw (id): withdraws the viewer's own position. */
export async function withdrawPosition({ db, viewer, key, form }: ParticipantActionContext, fallback: string) {
  const id = form.id ?? "";
  await positions.withdrawPosition(db, viewer, key, id);
  return redirect(withAnchor(backTo(form.returnTo, key.slug, fallback), `p-${id}`));
}

/** intent=hide (target, id, reason) and intent=restore (target, id): facilitators only (the domain checks). */
export async function moderate({ db, viewer, key, form }: ParticipantActionContext, fallback: string) {
  const id = form.id ?? "";
  if (form.intent === "hide") {
    await moderation.hideContent(db, viewer, key, form.target, id, { reason: form.reason });
  } else {
    await moderation.restoreContent(db, viewer, key, form.target, id);
  }
  const anchor = form.target === "comment" ? `c-${id}` : `p-${id}`;
  return redirect(withAnchor(backTo(form.returnTo, key.slug, fallback), anchor));
}

/**
 * Phase rules for loaders (what to offer on a page; the domain still refuses on its own). Re-exported
 * from here, a .server module, so consultations/phases.ts (and zod behind it) never reaches the browser.
 */
export { phaseAllows, phaseRefusal } from "../../../consultations/phases";
export type { Phase } from "../../../consultations/schemas";
