import type { ActionResult } from "../action-result";
import { useMessage } from "../i18n";

/**
 * The form-level outcome of an action: the failure message (and any `form` field errors) in a
 * role=alert notice, or the success message in a role=status notice. Renders nothing otherwise.
 */
export function FormErrors({ result }: { result: ActionResult | null | undefined }) {
  const m = useMessage();
  if (!result) return null;
  if (result.ok) {
    return result.message ? (
      <div className="notice notice-success" role="status">
        <p>{m(result.message)}</p>
      </div>
    ) : null;
  }
  const extra = (result.fieldErrors.form ?? []).filter((m) => m !== result.message);
  return (
    <div className="notice notice-error" role="alert">
      <p>{m(result.message)}</p>
      {extra.length ? (
        <ul>
          {extra.map((message) => (
            <li key={message}>{m(message)}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
