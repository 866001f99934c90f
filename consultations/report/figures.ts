/** Figures in words, shared by the renderings. Pure. */
import { pct } from "./text";
import type { Hidden, ShownCount, ShownSupport } from "./types";

/** "Police: 4 of 5 agree (80%)" or "Police: fewer than 5 voted". */
export function figureText(name: string, s: ShownSupport): string {
  if (s.suppressed) return `${name}: ${hiddenText(s)}`;
  return `${name}: ${s.agree} of ${s.n} agree (${pct(s.agreeShare)})`;
}

/** "20 of 26 agree (77%), 3 disagree, 3 pass". */
export function fullFigureText(s: ShownSupport): string {
  if (s.suppressed) return hiddenText(s);
  return `${s.agree} of ${s.n} agree (${pct(s.agreeShare)}), ${s.disagree} disagree, ${s.pass} pass`;
}

export function countText(c: ShownCount): string {
  if (!c.suppressed) return c.count.toLocaleString("en-GB");
  return c.reason === "fewer" ? `fewer than ${c.minimum}` : "not shown";
}

/** A hidden vote figure in words. */
export function hiddenText(h: Hidden): string {
  return h.reason === "fewer" ? `fewer than ${h.minimum} voted` : "not shown, to protect a smaller group";
}

/** Short form for table cells. */
export function hiddenCell(h: Hidden): string {
  return h.reason === "fewer" ? `fewer than ${h.minimum}` : "not shown";
}

