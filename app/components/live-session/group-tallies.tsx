/**
 * A position's live tally by stakeholder group (consultations/live-sessions.ts): one row per group, with
 * "fewer than N voted" in place of the numbers of a group too small to show. Browser-safe (types only).
 */
import { useTranslation } from "../../i18n-react";
import type { ShownGroupTally, ShownTally } from "../../../consultations/tallies";
import { useFormat } from "../../i18n";

function Numbers({ tally }: { tally: Extract<ShownTally, { suppressed: false }> }) {
  const f = useFormat();
  const share = (n: number) => f.percent(n / tally.total);
  return (
    <>
      <td className="num">
        <span className="tally-agree">{f.number(tally.agree)}</span> <span className="muted small pct">({share(tally.agree)})</span>
      </td>
      <td className="num">
        <span className="tally-disagree">{f.number(tally.disagree)}</span> <span className="muted small pct">({share(tally.disagree)})</span>
      </td>
      <td className="num">
        <span className="tally-pass">{f.number(tally.pass)}</span>
      </td>
      <td className="num">{f.number(tally.total)}</td>
    </>
  );
}

/** The table of one position's tallies by group. Groups are listed even when nobody of them voted yet. */
export function GroupTallies({ groups, caption }: { groups: ShownGroupTally[]; caption?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!groups.length) return null;
  const minimum = groups.find((g) => g.tally.suppressed)?.tally;
  return (
    <div className="table-wrap group-tallies">
      <table>
        <caption>{caption ?? t("liveSession.tallies.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("liveSession.tallies.group")}</th>
            <th scope="col" className="num">{t("liveSession.tallies.agree")}</th>
            <th scope="col" className="num">{t("liveSession.tallies.disagree")}</th>
            <th scope="col" className="num">{t("liveSession.tallies.pass")}</th>
            <th scope="col" className="num">{t("liveSession.tallies.voted")}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.groupId}>
              <th scope="row">{g.name}</th>
              {g.tally.suppressed ? (
                <td colSpan={4} className="suppressed muted">
                  {t("liveSession.tallies.suppressed", { count: g.tally.minimum, n: f.number(g.tally.minimum) })}
                </td>
              ) : (
                <Numbers tally={g.tally} />
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {minimum && minimum.suppressed ? (
        <p className="small muted">{t("liveSession.tallies.note", { count: minimum.minimum, n: f.number(minimum.minimum) })}</p>
      ) : null}
    </div>
  );
}
