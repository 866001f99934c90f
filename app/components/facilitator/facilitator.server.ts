/**
 * Server-only scaffolding of the facilitator routes (app/routes/facilitate.$slug*.tsx): every loader
 * and action signs the facilitator in (or redirects to /login), opens the database and names the
 * consultation by the slug in the URL; the domain authorizes role and phase on every call.
 *
 * - loaders: `facilitatorLoader(request, params, async ({ db, viewer, key }) => ...)`; domain errors
 *   go to the nearest ErrorBoundary as Responses (`loaderError`);
 * - actions: `facilitatorAction(request, params, { intent: handler, ... }, { maxBytes })`; a missing
 *   or unknown intent answers 400 "Unknown action.", domain errors become the form's result.
 */
import type { Viewer } from "../../../consultations/permissions";
import type { Phase } from "../../../consultations/schemas";
import { getDb, type Db } from "../../db.server";
import { DomainError } from "../../domain.server";
import { actionFailure, dispatchIntent, formObject, loaderError } from "../../http.server";
import { requireFacilitator } from "../../session.server";
import { done } from "./results";
import { phaseRefusal } from "./rules.server";

/** The route params facilitator routes read. */
export type FacilitatorParams = { slug?: string };

export interface FacilitatorContext {
  db: Db;
  viewer: Viewer;
  /** The consultation, by the slug in the URL. */
  key: { slug: string };
  request: Request;
}

export interface FacilitatorActionContext extends FacilitatorContext {
  /** The submitted form (`formObject`). */
  form: Record<string, string>;
}

export type FacilitatorHandler = (ctx: FacilitatorActionContext) => unknown;

async function facilitatorContext(request: Request, params: FacilitatorParams) {
  const { info } = await requireFacilitator(request);
  return { viewer: info.viewer, key: { slug: params.slug ?? "" }, request };
}

/** A facilitator page's loader: `load` runs for a signed-in facilitator; domain errors become Responses. */
export async function facilitatorLoader<T>(
  request: Request,
  params: FacilitatorParams,
  load: (ctx: FacilitatorContext) => Promise<T>,
): Promise<T> {
  const ctx = await facilitatorContext(request, params);
  const db = await getDb();
  try {
    return await load({ ...ctx, db });
  } catch (error) {
    return loaderError(error);
  }
}

/**
 * A facilitator page's action: reads the form (up to `options.maxBytes`, default 64 KB) and runs the
 * handler for its `intent`.
 */
export async function facilitatorAction<H extends Record<string, FacilitatorHandler>>(
  request: Request,
  params: FacilitatorParams,
  handlers: H,
  options: { maxBytes?: number; lists?: readonly string[] } = {},
) {
  const ctx = await facilitatorContext(request, params);
  const form = await formObject(request, options);
  const db = await getDb();
  return dispatchIntent(handlers, { ...ctx, db, form }, () => actionFailure("Unknown action.", 400));
}

/** Questions and groups can change only while the consultation is a draft. */
export function structureEditing(phase: Phase) {
  return { editable: phase === "draft", readOnlyReason: phaseRefusal(phase, "editStructure") };
}

type StructureService = {
  add: (db: Db, viewer: Viewer, key: { slug: string }, raw: unknown) => Promise<unknown>;
  update: (db: Db, viewer: Viewer, key: { slug: string }, id: string, raw: unknown) => Promise<unknown>;
  remove: (db: Db, viewer: Viewer, key: { slug: string }, id: string) => Promise<unknown>;
};

/**
 * The handlers `add-<noun>`, `update-<noun>` (id) and `remove-<noun>` (id, confirm=yes) of a list of
 * questions or groups, with their messages.
 */
export function structureHandlers<N extends string>(noun: N, service: StructureService) {
  type Handler = (ctx: FacilitatorActionContext) => Promise<ReturnType<typeof done>>;
  const handlers: Record<string, Handler> = {
    [`add-${noun}`]: async ({ db, viewer, key, form }) => {
      await service.add(db, viewer, key, form);
      return done(`The ${noun} was added.`, `add-${noun}`);
    },
    [`update-${noun}`]: async ({ db, viewer, key, form }) => {
      await service.update(db, viewer, key, form.id ?? "", form);
      return done(`The ${noun} was saved.`, `update-${noun}`, form.id);
    },
    [`remove-${noun}`]: async ({ db, viewer, key, form }) => {
      if (form.confirm !== "yes")
        throw new DomainError("invalid", "Please confirm first.", {
          confirm: [`Tick the box to confirm removing this ${noun}.`],
        });
      await service.remove(db, viewer, key, form.id ?? "");
      return done(`The ${noun} was removed.`, `remove-${noun}`, form.id);
    },
  };
  return handlers as Record<`${"add" | "update" | "remove"}-${N}`, Handler>;
}
