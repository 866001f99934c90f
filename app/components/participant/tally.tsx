import { useTranslation } from "../../i18n-react";
import type { ShownTally } from "../../../consultations/tallies";
import { useFormat } from "../../i18n";
import { useLiveTally } from "../live/store";

/**
 * A position's tally in words ("12 agree · 3 disagree · 2 pass") with a thin bar under it, or the
 * suppression text when too few people voted for any figure to be shown. With `positionId` on a live
 * page, tallies pushed by the server replace the loader's in place.
 */
export function TallyText({ tally: loaded, bar = false, positionId }: { tally: ShownTally; bar?: boolean; positionId?: string }) {
  const tally = useLiveTally(positionId, loaded);
  const { t } = useTranslation();
  const format = useFormat();
  if (tally.suppressed) {
    return <p className="tally-suppressed muted">{t("participant.tally.fewer", { count: tally.minimum })}</p>;
  }
  const pct = (n: number) => `${Math.round((n / tally.total) * 1000) / 10}%`;
  return (
    <div className="tally-block">
      <p className="tally-text">
        <span className="tally-agree">{t("participant.tally.agree", { count: tally.agree, n: format.number(tally.agree) })}</span>
        <span aria-hidden="true"> · </span>
        <span className="tally-disagree">{t("participant.tally.disagree", { count: tally.disagree, n: format.number(tally.disagree) })}</span>
        <span aria-hidden="true"> · </span>
        <span className="tally-pass">{t("participant.tally.pass", { count: tally.pass, n: format.number(tally.pass) })}</span>
      </p>
      {bar ? (
        <div className="tally-bar" aria-hidden="true">
          <span className="tally-agree" style={{ width: pct(tally.agree) }} />
          <span className="tally-disagree" style={{ width: pct(tally.disagree) }} />
          <span className="tally-pass" style={{ width: pct(tally.pass) }} />
        </div>
      ) : null}
    </div>
  );
}
