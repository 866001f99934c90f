import { useNavigation } from "@remix-run/react";
import type { ButtonHTMLAttributes, ReactNode } from "react";

type SubmitButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type"> & {
  children: ReactNode;
  /** Label while the form is being sent (with JavaScript only). */
  pendingText?: ReactNode;
};

/**
 * A plain submit button. With JavaScript it shows `pendingText` and is disabled while its own
 * submission is in flight (matched by `name`/`value` when given, else any non-GET submission).
 * Give it `name="intent" value="..."` when one page has several forms.
 */
export function SubmitButton({ children, pendingText, className, name, value, disabled, ...rest }: SubmitButtonProps) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formMethod !== "GET" && navigation.formMethod !== "get";
  const mine =
    submitting && (name === undefined || value === undefined || navigation.formData?.get(name) === String(value));
  return (
    <button
      type="submit"
      className={className ?? "button"}
      name={name}
      value={value}
      disabled={disabled || mine}
      aria-busy={mine || undefined}
      {...rest}
    >
      {mine && pendingText ? pendingText : children}
    </button>
  );
}
