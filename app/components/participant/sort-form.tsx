import { Form } from "@remix-run/react";
import { useId } from "react";
import { SORT_LABELS, type SortKey } from "./labels";

/** A GET form: choose the order, press "Sort". Works without JavaScript; keeps the page's URL. */
export function SortForm({ action, sort, extra }: { action: string; sort: SortKey; extra?: Record<string, string> }) {
  const id = useId();
  return (
    <Form method="get" action={action} className="sort-form" key={sort}>
      {Object.entries(extra ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div>
        <label htmlFor={`sort-${id}`}>Show positions</label>
        <select id={`sort-${id}`} name="sort" defaultValue={sort}>
          {(Object.keys(SORT_LABELS) as SortKey[]).map((key) => (
            <option key={key} value={key}>
              {SORT_LABELS[key]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-secondary">
        Sort
      </button>
    </Form>
  );
}
