import { useEffect, useId, useState, type ReactNode } from "react";
import type { ActionFailure } from "../../action-result";
import { Field } from "../field";

interface CountedTextareaProps {
  label: ReactNode;
  name: string;
  max: number;
  defaultValue?: string;
  errors?: string[] | null;
  hint?: ReactNode;
  rows?: number;
  id?: string;
}

/**
 * A textarea with its limit in words ("up to 600 characters", rendered on the server) and, with
 * JavaScript, a live count. The browser does not cut text at the limit (no maxLength): the server
 * says how much is too much, so nothing typed is silently lost.
 */
export function CountedTextarea({ label, name, max, defaultValue = "", errors, hint, rows = 6, id }: CountedTextareaProps) {
  const [length, setLength] = useState<number | null>(null);
  const generated = useId().replace(/:/g, "");
  const fieldId = id ?? `${name}-${generated}`;
  const counterId = `${fieldId}-count`;
  // When the form is reset (after posting), the count goes with the text.
  useEffect(() => {
    const form = document.getElementById(fieldId)?.closest("form");
    if (!form) return;
    const onReset = () => setLength(null);
    form.addEventListener("reset", onReset);
    return () => form.removeEventListener("reset", onReset);
  }, [fieldId]);
  const over = length !== null && length > max;
  return (
    <div className="counted">
      <Field
        id={fieldId}
        label={label}
        name={name}
        multiline
        rows={rows}
        required
        defaultValue={defaultValue}
        errors={errors}
        hint={
          <>
            {hint ? <>{hint} </> : null}
            Up to {max} characters.
          </>
        }
        onInput={(event) => setLength((event.target as HTMLTextAreaElement).value.length)}
      />
      <p id={counterId} className={`char-count small${over ? " char-count-over" : ""}`}>
        {length === null ? null : over ? `${length} of ${max} characters: ${length - max} too many` : `${length} of ${max} characters`}
      </p>
    </div>
  );
}

/**
 * "Your position" (`body`) in a form that posts or edits one: the form's failure, unless it is about
 * the text itself, above the counted textarea.
 */
export function PositionTextarea({
  id,
  max,
  defaultValue,
  failed,
  hint,
}: {
  id: string;
  max: number;
  defaultValue: string;
  failed: ActionFailure | null;
  hint: ReactNode;
}) {
  return (
    <>
      {failed && !failed.fieldErrors.body ? (
        <p className="field-error" role="alert">
          {failed.message}
        </p>
      ) : null}
      <CountedTextarea
        id={id}
        label="Your position"
        name="body"
        max={max}
        defaultValue={defaultValue}
        errors={failed?.fieldErrors.body}
        hint={hint}
      />
    </>
  );
}
