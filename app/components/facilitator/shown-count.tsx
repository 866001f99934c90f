import { useTranslation } from "../../i18n-react";
import { useFormat } from "../../i18n";

/** Renders a figure that the domain may have suppressed for privacy ("fewer than 5"). */
export type ShownCountValue = { suppressed: false; count: number } | { suppressed: true; minimum: number };

export function ShownCount({ value }: { value: ShownCountValue }) {
  const { t } = useTranslation();
  const f = useFormat();
  return value.suppressed ? (
    <span className="suppressed">{t("facilitator.common.fewerThan", { count: value.minimum, n: f.number(value.minimum) })}</span>
  ) : (
    <>{f.number(value.count)}</>
  );
}
