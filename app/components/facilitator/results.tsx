/**
 * Several forms on one page: each form sends a hidden `intent` (and `id` for per-item forms), and an
 * action's result is shown on the form it came from. Browser-safe.
 */
import { useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from "react";
import type { ActionFailure, ActionResult } from "../../action-result";
import { FormErrors } from "../form-errors";
import { useTranslation } from "../../i18n-react";
import { useMessage } from "../../i18n";

/** An action's result tagged with its form. Failures carry it in `values` (what actionError keeps). */
export type FormResult = ActionResult & { intent?: string; id?: string };

/** A success result for the form `intent` (and item `id`). */
export function done(message: string, intent: string, id?: string) {
  return { ok: true as const, message, intent, ...(id ? { id } : {}) };
}

export function formKey(intent: string, id?: string): string {
  return `${intent}:${id ?? ""}`;
}

function keyOf(result: FormResult | null | undefined): string | null {
  if (!result) return null;
  const intent = result.ok ? result.intent : result.values?.intent;
  const id = result.ok ? result.id : result.values?.id;
  return intent ? formKey(intent, id || undefined) : null;
}

/** The element id of a form, for in-page links. */
export function formAnchor(intent: string, id?: string): string {
  return `form-${intent}${id ? `-${id}` : ""}`;
}

/** The result when it came from this form. */
export function resultFor(result: FormResult | null | undefined, intent: string, id?: string): FormResult | null {
  return result && keyOf(result) === formKey(intent, id) ? result : null;
}

/** The failure when it came from this form: its field messages and the values to refill. */
export function failureFor(result: FormResult | null | undefined, intent: string, id?: string): ActionFailure | null {
  const own = resultFor(result, intent, id);
  return own && !own.ok ? own : null;
}

/** True once React runs in the browser (false in the server HTML and without JavaScript). */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/** The hidden fields that tell the action which form was sent. */
export function FormMeta({ intent, id }: { intent: string; id?: string }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      {id ? <input type="hidden" name="id" value={id} /> : null}
    </>
  );
}

/** This form's outcome (inside the form). */
export function FormNotice({
  result,
  intent,
  id,
}: {
  result: FormResult | null | undefined;
  intent: string;
  id?: string;
}) {
  return <FormErrors result={resultFor(result, intent, id)} />;
}

/**
 * The page-level outcome: results of forms that are not on the page (an item that was just removed,
 * a form hidden in this phase) in full; for a form further down, without JavaScript only, a link to it
 * (the browser shows a posted page from its top).
 */
export function PageNotice({ result, forms }: { result: FormResult | null | undefined; forms: string[] }) {
  const hydrated = useHydrated();
  const { t } = useTranslation();
  const m = useMessage();
  const key = keyOf(result);
  if (!result) return null;
  if (key && forms.includes(key)) {
    if (result.ok || hydrated) return null;
    const [intent, id] = key.split(":");
    return (
      <p className="notice notice-error">
        <a href={`#${formAnchor(intent, id || undefined)}`}>{t("facilitator.common.problemBelow", { message: m(result.message) })}</a>
      </p>
    );
  }
  return <FormErrors result={result} />;
}

type ActionButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type" | "name" | "value"> & {
  intent: string;
  id?: string;
  children: ReactNode;
  pendingText?: ReactNode;
};

/** A submit button that shows `pendingText` while its own form (same intent and id) is being sent. */
export function ActionButton({ intent, id, children, pendingText, className, disabled, ...rest }: ActionButtonProps) {
  const navigation = useNavigation();
  const data = navigation.state === "submitting" ? navigation.formData : undefined;
  const mine = !!data && data.get("intent") === intent && (id === undefined || data.get("id") === id);
  return (
    <button
      type="submit"
      className={className ?? "button"}
      disabled={disabled || mine}
      aria-busy={mine || undefined}
      {...rest}
    >
      {mine && pendingText ? pendingText : children}
    </button>
  );
}

/** A ref for a form that empties itself after its own successful submission (with JavaScript). */
export function useResetOnSuccess(result: FormResult | null | undefined, intent: string) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok && result.intent === intent) ref.current?.reset();
  }, [result, intent]);
  return ref;
}
