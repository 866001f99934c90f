/**
 * Small-number suppression for reports. Pure.
 *
 * A figure about fewer people than the minimum is never shown ("fewer than 5"). Hiding it is not enough
 * when a total is shown beside the other groups' figures: total minus the shown figures would give the
 * hidden one back. So after hiding the small figures, while the people left unaccounted for (total minus
 * everything shown) are between 1 and minimum - 1, the next smallest shown figure is hidden too
 * (complementary suppression). Zero is shown: it describes nobody.
 */
import type { GroupSupport } from "../synthesis/types";
import { effectiveMinimum } from "../tallies";
import type { Hidden, ShownCount, ShownSupport, SupportFigure } from "./types";

export { effectiveMinimum };

/**
 * Which items to hide, given each item's head count and the total the items are part of (people outside
 * every item, such as those without a group, count in the total only).
 */
export function suppressedKeys(items: Array<{ key: string; n: number }>, total: number, minimum: number): Set<string> {
  const min = effectiveMinimum(minimum);
  const hidden = new Set(items.filter((i) => i.n > 0 && i.n < min).map((i) => i.key));
  const shownSum = () => items.reduce((s, i) => s + (hidden.has(i.key) ? 0 : i.n), 0);
  let residual = total - shownSum();
  while (residual > 0 && residual < min) {
    const next = items
      .filter((i) => !hidden.has(i.key) && i.n > 0)
      .sort((a, b) => a.n - b.n || a.key.localeCompare(b.key))[0];
    if (!next) break;
    hidden.add(next.key);
    residual = total - shownSum();
  }
  return hidden;
}

export function hiddenCount(minimum: number, reason: Hidden["reason"] = "fewer"): Hidden {
  return { suppressed: true, minimum: effectiveMinimum(minimum), reason };
}

export function shownCount(count: number, minimum: number, hide = false): ShownCount {
  const min = effectiveMinimum(minimum);
  if (count > 0 && count < min) return hiddenCount(min, "fewer");
  if (hide) return hiddenCount(min, "complement");
  return { suppressed: false, count };
}

/** Counts of one group on one statement as a figure, or hidden when fewer than the minimum voted. */
export function shownSupport(
  counts: { agree: number; disagree: number; pass: number; n?: number } | null | undefined,
  minimum: number,
  hide = false,
): ShownSupport {
  const min = effectiveMinimum(minimum);
  const agree = counts?.agree ?? 0;
  const disagree = counts?.disagree ?? 0;
  const pass = counts?.pass ?? 0;
  const n = counts?.n ?? agree + disagree + pass;
  if (n < min || n <= 0) return hiddenCount(min, "fewer");
  if (hide) return hiddenCount(min, "complement");
  const figure: SupportFigure = {
    agree,
    disagree,
    pass,
    n,
    agreeShare: agree / n,
    disagreeShare: disagree / n,
    passShare: pass / n,
    agreeRate: (agree + 1) / (n + 2),
  };
  return { suppressed: false, ...figure };
}

/**
 * Support by group; with `complement`, complementary suppression against the statement's total votes
 * (for declared groups, which are who people are; opinion groups are clusters of votes whose sizes are
 * public, so only their small figures are hidden).
 */
export function shownSupportRecord(
  byGroup: Record<string, GroupSupport>,
  keys: string[],
  totalVotes: number,
  minimum: number,
  complement = true,
): Record<string, ShownSupport> {
  const hidden = complement
    ? suppressedKeys(
        keys.map((key) => ({ key, n: byGroup[key]?.n ?? 0 })),
        totalVotes,
        minimum,
      )
    : new Set<string>();
  const out: Record<string, ShownSupport> = {};
  for (const key of keys) out[key] = shownSupport(byGroup[key], minimum, hidden.has(key));
  return out;
}
