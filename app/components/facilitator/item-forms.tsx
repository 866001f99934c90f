/**
 * The forms of a facilitator's list of items (questions, groups): add one, edit one (in a <details>),
 * remove one (with a confirmation box). The intents are `add-<noun>`, `update-<noun>` and
 * `remove-<noun>`, as `structureHandlers` in facilitator.server.ts answers them. Browser-safe.
 */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "../../i18n-react";
import { useMessage } from "../../i18n";
import type { ActionFailure } from "../../action-result";
import { Field } from "../field";
import { ConfirmBox } from "./confirm-box";
import {
  ActionButton,
  failureFor,
  formAnchor,
  FormMeta,
  FormNotice,
  useResetOnSuccess,
  type FormResult,
} from "./results";

/** One field of an item's form. */
export interface ItemField {
  label: string;
  name: string;
  maxLength: number;
  required?: boolean;
  /** A textarea with this many rows. */
  rows?: number;
  hint?: string;
}

/** The fields, refilled from a failed submission, else from `initial`. */
function ItemFields({
  fields,
  failed,
  initial,
}: {
  fields: ItemField[];
  failed: ActionFailure | null;
  initial: Record<string, string>;
}) {
  const values = failed?.values ?? {};
  return (
    <>
      {fields.map(({ label, name, maxLength, required, rows, hint }) => (
        <Field
          key={name}
          label={label}
          name={name}
          {...(rows ? { multiline: true as const, rows } : {})}
          hint={hint}
          required={required}
          maxLength={maxLength}
          defaultValue={values[name] ?? initial[name] ?? ""}
          errors={failed?.fieldErrors[name]}
        />
      ))}
    </>
  );
}

/** The phase's reason and "You cannot change the <things> below now." */
export function ReadOnlyNote({ reason, things }: { reason: string | null; things: "groups" | "questions" }) {
  const { t } = useTranslation();
  const m = useMessage();
  return (
    <div className="notice" role="note">
      <p>
        {reason ? m(reason) : null}
        {` ${t(`facilitator.items.readOnly.${things}`)}`}
      </p>
    </div>
  );
}

/** The "Add a <noun>" card; its form empties itself after a successful add. */
export function AddItemSection({
  intent,
  title,
  fields,
  result,
  children,
}: {
  intent: string;
  title: string;
  fields: ItemField[];
  result: FormResult | undefined;
  /** The button's text. */
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const ref = useResetOnSuccess(result, intent);
  const failed = failureFor(result, intent);
  return (
    <section className="card stack" aria-labelledby={`${intent}-title`} id={formAnchor(intent)}>
      <h2 id={`${intent}-title`}>{title}</h2>
      <Form method="post" noValidate preventScrollReset ref={ref}>
        <FormMeta intent={intent} />
        <FormNotice result={result} intent={intent} />
        <ItemFields fields={fields} failed={failed} initial={{}} />
        <ActionButton intent={intent} pendingText={t("facilitator.common.adding")}>
          {children}
        </ActionButton>
      </Form>
    </section>
  );
}

/** The edit form of item `id` in a <details>, open after a failed save. */
export function EditItemForm({
  intent,
  id,
  summary,
  fields,
  initial,
  result,
  children,
}: {
  intent: string;
  id: string;
  summary: ReactNode;
  fields: ItemField[];
  initial: Record<string, string>;
  result: FormResult | undefined;
  /** The button's text. */
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const failed = failureFor(result, intent, id);
  return (
    <details open={!!failed || undefined}>
      <summary>{summary}</summary>
      <Form method="post" noValidate preventScrollReset id={formAnchor(intent, id)}>
        <FormMeta intent={intent} id={id} />
        <FormNotice result={result} intent={intent} id={id} />
        <ItemFields fields={fields} failed={failed} initial={initial} />
        <ActionButton intent={intent} id={id} pendingText={t("facilitator.common.saving")}>
          {children}
        </ActionButton>
      </Form>
    </details>
  );
}

/** The remove form of item `id`: an optional warning, the confirmation box and the button. */
export function RemoveItemForm({
  intent,
  id,
  confirmLabel,
  button,
  result,
  children,
}: {
  intent: string;
  id: string;
  confirmLabel: ReactNode;
  button: ReactNode;
  result: FormResult | undefined;
  /** Shown above the confirmation box (a warning). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const failed = failureFor(result, intent, id);
  return (
    <Form method="post" noValidate preventScrollReset className="remove-form" id={formAnchor(intent, id)}>
      <FormMeta intent={intent} id={id} />
      <FormNotice result={result} intent={intent} id={id} />
      {children}
      <ConfirmBox label={confirmLabel} errors={failed?.fieldErrors.confirm} />
      <ActionButton intent={intent} id={id} className="button button-danger button-small" pendingText={t("facilitator.common.removing")}>
        {button}
      </ActionButton>
    </Form>
  );
}
