import { useMessage } from "../i18n";
import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";

interface FieldBase {
  label: ReactNode;
  name: string;
  /** Messages for this field, e.g. `result.fieldErrors.email` from an ActionResult. */
  errors?: string[] | null;
  /** Help text under the label, read out with the input. */
  hint?: ReactNode;
  className?: string;
}

export type FieldProps =
  | (FieldBase & { multiline?: false } & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "className">)
  | (FieldBase & { multiline: true } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "className">);

/**
 * A labelled input (or textarea with `multiline`) with its hint and error messages, wired up with
 * aria-invalid / aria-describedby so screen readers announce them.
 */
export function Field(props: FieldProps) {
  const { label, name, errors, hint, className, multiline, id: givenId, ...rest } = props;
  const generatedId = useId();
  const id = givenId ?? `${name}-${generatedId.replace(/:/g, "")}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name,
    "aria-invalid": errorId ? true : undefined,
    "aria-describedby": describedBy,
  } as const;

  return (
    <div className={["field", errorId ? "field-invalid" : "", className ?? ""].filter(Boolean).join(" ")}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field-hint muted" id={hintId}>
          {hint}
        </p>
      ) : null}
      {multiline ? (
        <textarea rows={6} {...(rest as TextareaHTMLAttributes<HTMLTextAreaElement>)} {...common} />
      ) : (
        <input type="text" {...(rest as InputHTMLAttributes<HTMLInputElement>)} {...common} />
      )}
      {errorId ? <FieldErrorList id={errorId} errors={errors!} /> : null}
    </div>
  );
}

/** A field's error messages (from an ActionResult's fieldErrors), translated, under the id its input's aria-describedby names. */
export function FieldErrorList({ id, errors }: { id: string; errors: string[] }) {
  const m = useMessage();
  return (
    <ul className="field-error" id={id}>
      {errors.map((message) => (
        <li key={message}>{m(message)}</li>
      ))}
    </ul>
  );
}
