/**
 * Server-only helpers shared by the participant routes (app/routes/c.*.tsx): the consultation key,
 * error mapping, and the small actions several pages offer (vote, flag, withdraw, moderate).
 * Services come only from app/domain.server.ts; every call passes the viewer, so the domain
 * authorizes role and phase.
 */
import { redirect } from "@remix-run/node";
import type { Viewer } from "../../../consultations/permissions";
import { actionFailure } from "../../http.server";
import { getDb, moderation, positions, votes } from "../../domain.server";
import { safeRedirectPath } from "../../paths";
import { paths } from "./labels";
import type { ParticipantSuccess } from "./results";

export type Values = Record<string, string>;

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

/** Unknown or missing intent. */
export function unknownIntent(form: Values) {
  return actionFailure(form.intent ? "This action is not available here." : "Something was missing from the form. Please try again.", 400);
}

/** intent=vote (positionId, choice): casts the vote; fetchers get the result, plain posts go back. */
export async function vote(viewer: Viewer, slug: string, form: Values, fallback: string) {
  const positionId = form.positionId ?? "";
  const cast = await votes.castVote(await getDb(), viewer, { slug }, positionId, { choice: form.choice });
  const result: ParticipantSuccess = {
    ok: true,
    intent: "vote",
    id: positionId,
    message: cast.changed ? "Your vote is saved." : "Your vote was already saved.",
  };
  return succeed(form, result, withAnchor(backTo(form.returnTo, slug, fallback), `p-${positionId}`));
}

/** intent=flag (target, id, reason). The message is what the person sees; nothing redirects. */
export async function flag(viewer: Viewer, slug: string, form: Values) {
  await moderation.flagContent(await getDb(), viewer, { slug }, form.target, form.id ?? "", { reason: form.reason });
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
export async function withdrawPosition(viewer: Viewer, slug: string, form: Values, fallback: string) {
  const id = form.id ?? "";
  await positions.withdrawPosition(await getDb(), viewer, { slug }, id);
  return redirect(withAnchor(backTo(form.returnTo, slug, fallback), `p-${id}`));
}

/** intent=hide (target, id, reason) and intent=restore (target, id): facilitators only (the domain checks). */
export async function moderate(viewer: Viewer, slug: string, form: Values, fallback: string) {
  const id = form.id ?? "";
  if (form.intent === "hide") {
    await moderation.hideContent(await getDb(), viewer, { slug }, form.target, id, { reason: form.reason });
  } else {
    await moderation.restoreContent(await getDb(), viewer, { slug }, form.target, id);
  }
  const anchor = form.target === "comment" ? `c-${id}` : `p-${id}`;
  return redirect(withAnchor(backTo(form.returnTo, slug, fallback), anchor));
}

/**
 * Phase rules for loaders (what to offer on a page; the domain still refuses on its own). Re-exported
 * from here, a .server module, so consultations/phases.ts (and zod behind it) never reaches the browser.
 */
export { phaseAllows, phaseRefusal } from "../../../consultations/phases";
export type { Phase } from "../../../consultations/schemas";
