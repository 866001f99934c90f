import { NavLink } from "@remix-run/react";
import { useTranslation } from "../../i18n-react";

/** The facilitator's tabs for one consultation (links; the current one has aria-current="page"). */
export function FacilitatorTabs({ slug, openFlags }: { slug: string; openFlags: number }) {
  const { t } = useTranslation();
  const base = `/facilitate/${encodeURIComponent(slug)}`;
  const tabs = [
    { to: base, label: t("facilitator.tabs.overview"), end: true },
    { to: `${base}/questions`, label: t("facilitator.tabs.questions") },
    { to: `${base}/groups`, label: t("facilitator.tabs.groups") },
    { to: `${base}/invitations`, label: t("facilitator.tabs.invitations") },
    { to: `${base}/moderation`, label: t("facilitator.tabs.moderation"), count: openFlags },
    { to: `${base}/live`, label: t("facilitator.tabs.live") },
    { to: `${base}/synthesis`, label: t("facilitator.tabs.synthesis") },
    { to: `${base}/audit`, label: t("facilitator.tabs.audit") },
  ];
  return (
    <nav aria-label={t("facilitator.tabs.label")} className="tabs">
      <ul>
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink to={tab.to} end={tab.end} prefetch="intent">
              {tab.label}
              {tab.count ? (
                <>
                  {" "}
                  <span className="tab-count">
                    {tab.count}
                    <span className="visually-hidden"> {t("facilitator.tabs.openFlags", { count: tab.count })}</span>
                  </span>
                </>
              ) : null}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
