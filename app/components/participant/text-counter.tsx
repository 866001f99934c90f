import { useEffect, useId, useState, type ReactNode } from "react";
import { useTranslation } from "../../i18n-react";
import type { ActionFailure } from "../../action-result";
import { useFormat, useMessage } from "../../i18n";
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
  const { t } = useTranslation();
  const format = useFormat();
  const n = (value: number) => format.number(value);
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
            {t("participant.counter.upTo", { max: n(max) })}
          </>
        }
        onInput={(event) => setLength((event.target as HTMLTextAreaElement).value.length)}
      />
      <p id={counterId} className={`char-count small${over ? " char-count-over" : ""}`}>
        {length === null
          ? null
          : over
            ? t("participant.counter.over", { length: n(length), max: n(max), count: length - max, extra: n(length - max) })
            : t("participant.counter.count", { length: n(length), max: n(max) })}
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
  const { t } = useTranslation();
  const m = useMessage();
  return (
    <>
      {failed && !failed.fieldErrors.body ? (
        <p className="field-error" role="alert">
          {m(failed.message)}
        </p>
      ) : null}
      <CountedTextarea
        id={id}
        label={t("participant.counter.yourPosition")}
        name="body"
        max={max}
        defaultValue={defaultValue}
        errors={failed?.fieldErrors.body}
        hint={hint}
      />
    </>
  );
}
