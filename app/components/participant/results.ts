/**
 * What the participant pages' actions return. Browser-safe (types and pure helpers only).
 *
 * Successes name the form they answer (`intent`, and `id` for an item) so the message shows next to
 * it; failures carry the submitted `values` (never secrets), whose `intent` / `id` / `positionId`
 * say which form failed.
 */
import type { ActionFailure } from "../../action-result";

export type ParticipantSuccess = {
  ok: true;
  message?: string;
  intent?: string;
  id?: string;
  /** intent=preview: the sanitized preview of the text in `values.body`. */
  previewHtml?: string;
  values?: Record<string, string>;
};

export type ParticipantResult = ParticipantSuccess | ActionFailure;

/** The failure answering the form with this intent (and item id, when given), else null. */
export function failureFor(result: ParticipantResult | null | undefined, intent: string, id?: string): ActionFailure | null {
  if (!result || result.ok) return null;
  const values = result.values ?? {};
  if (values.intent !== intent) return null;
  if (id !== undefined && values.id !== id && values.positionId !== id) return null;
  return result;
}

/** The success answering the form with this intent (and item id, when given), else null. */
export function successFor(result: ParticipantResult | null | undefined, intent: string, id?: string): ParticipantSuccess | null {
  if (!result || !result.ok || result.intent !== intent) return null;
  if (id !== undefined && result.id !== id) return null;
  return result;
}
