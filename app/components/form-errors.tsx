import type { ActionResult } from "../action-result";

/**
 * The form-level outcome of an action: the failure message (and any `form` field errors) in a
 * role=alert notice, or the success message in a role=status notice. Renders nothing otherwise.
 */
export function FormErrors({ result }: { result: ActionResult | null | undefined }) {
  if (!result) return null;
  if (result.ok) {
    return result.message ? (
      <div className="notice notice-success" role="status">
        <p>{result.message}</p>
      </div>
    ) : null;
  }
  const extra = (result.fieldErrors.form ?? []).filter((m) => m !== result.message);
  return (
    <div className="notice notice-error" role="alert">
      <p>{result.message}</p>
      {extra.length ? (
        <ul>
          {extra.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
