import { NavLink } from "@remix-run/react";

/** The facilitator's tabs for one consultation (links; the current one has aria-current="page"). */
export function FacilitatorTabs({ slug, openFlags }: { slug: string; openFlags: number }) {
  const base = `/facilitate/${encodeURIComponent(slug)}`;
  const tabs = [
    { to: base, label: "Overview", end: true },
    { to: `${base}/questions`, label: "Questions" },
    { to: `${base}/groups`, label: "Groups" },
    { to: `${base}/invitations`, label: "Invitations" },
    { to: `${base}/moderation`, label: "Moderation", count: openFlags },
    { to: `${base}/live`, label: "Live session" },
    { to: `${base}/synthesis`, label: "Synthesis & report" },
    { to: `${base}/audit`, label: "Audit log" },
  ];
  return (
    <nav aria-label="Consultation" className="tabs">
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
                    <span className="visually-hidden"> open {tab.count === 1 ? "flag" : "flags"}</span>
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
