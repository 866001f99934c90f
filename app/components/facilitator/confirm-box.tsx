import { useId, type ReactNode } from "react";
import { FieldErrorList } from "../field";

/** A required "I understand" checkbox (value "yes") with its error message; the action checks it. */
export function ConfirmBox({
  name = "confirm",
  label,
  errors,
}: {
  name?: string;
  label: ReactNode;
  errors?: string[] | null;
}) {
  const id = `${name}-${useId().replace(/:/g, "")}`;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className={["field", "confirm-box", errorId ? "field-invalid" : ""].filter(Boolean).join(" ")}>
      <div className="row confirm-row">
        <input
          type="checkbox"
          id={id}
          name={name}
          value="yes"
          required
          aria-invalid={errorId ? true : undefined}
          aria-describedby={errorId}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {errorId ? <FieldErrorList id={errorId} errors={errors!} /> : null}
    </div>
  );
}
