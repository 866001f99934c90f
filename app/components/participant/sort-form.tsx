import { Form } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "../../i18n-react";
import { labelKeys, SORT_KEYS, type SortKey } from "./labels";

/** A GET form: choose the order, press "Sort". Works without JavaScript; keeps the page's URL. */
export function SortForm({ action, sort, extra }: { action: string; sort: SortKey; extra?: Record<string, string> }) {
  const id = useId();
  const { t } = useTranslation();
  return (
    <Form method="get" action={action} className="sort-form" key={sort}>
      {Object.entries(extra ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div>
        <label htmlFor={`sort-${id}`}>{t("participant.sort.label")}</label>
        <select id={`sort-${id}`} name="sort" defaultValue={sort}>
          {SORT_KEYS.map((key) => (
            <option key={key} value={key}>
              {t(labelKeys.sort(key))}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-secondary">
        {t("participant.sort.button")}
      </button>
    </Form>
  );
}
