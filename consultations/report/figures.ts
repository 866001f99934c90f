/** Figures in words, shared by the renderings, in the report's language (see locale.ts). */
import type { ReportLocale } from "./locale";
import type { Hidden, ShownCount, ShownSupport } from "./types";

/** "Police: 4 of 5 agree (80%)" or "Police: fewer than 5 voted". */
export function figureText(loc: ReportLocale, name: string, s: ShownSupport): string {
  if (s.suppressed) return loc.t("figure.named", { name, figure: hiddenText(loc, s) });
  return loc.t("figure.named", { name, figure: loc.t("figure.agree", { agree: loc.number(s.agree), n: loc.number(s.n), share: loc.percent(s.agreeShare) }) });
}

/** "20 of 26 agree (77%), 3 disagree, 3 pass". */
export function fullFigureText(loc: ReportLocale, s: ShownSupport): string {
  if (s.suppressed) return hiddenText(loc, s);
  return loc.t("figure.full", {
    agree: loc.number(s.agree),
    n: loc.number(s.n),
    share: loc.percent(s.agreeShare),
    disagree: loc.number(s.disagree),
    pass: loc.number(s.pass),
  });
}

/** "1,234", or "fewer than 5" / "not shown". */
export function countText(loc: ReportLocale, c: ShownCount): string {
  if (!c.suppressed) return loc.number(c.count);
  return c.reason === "fewer" ? loc.t("count.fewerThan", { min: loc.number(c.minimum) }) : loc.t("count.notShown");
}

/** A hidden vote figure in words. */
export function hiddenText(loc: ReportLocale, h: Hidden): string {
  return h.reason === "fewer" ? loc.t("figure.fewerVoted", { min: loc.number(h.minimum) }) : loc.t("figure.protected");
}

/** Short form for table cells. */
export function hiddenCell(loc: ReportLocale, h: Hidden): string {
  return h.reason === "fewer" ? loc.t("count.fewerThan", { min: loc.number(h.minimum) }) : loc.t("count.notShown");
}
