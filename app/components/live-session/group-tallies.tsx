/**
 * A position's live tally by stakeholder group (consultations/live-sessions.ts): one row per group, with
 * "fewer than N voted" in place of the numbers of a group too small to show. Browser-safe (types only).
 */
import type { ShownGroupTally, ShownTally } from "../../../consultations/tallies";

function percent(n: number, of: number): string {
  return `${Math.round((n / of) * 100)}%`;
}

function Numbers({ tally }: { tally: Extract<ShownTally, { suppressed: false }> }) {
  return (
    <>
      <td className="num">
        <span className="tally-agree">{tally.agree}</span> <span className="muted small pct">({percent(tally.agree, tally.total)})</span>
      </td>
      <td className="num">
        <span className="tally-disagree">{tally.disagree}</span> <span className="muted small pct">({percent(tally.disagree, tally.total)})</span>
      </td>
      <td className="num">
        <span className="tally-pass">{tally.pass}</span>
      </td>
      <td className="num">{tally.total}</td>
    </>
  );
}

/** The table of one position's tallies by group. Groups are listed even when nobody of them voted yet. */
export function GroupTallies({ groups, caption = "Votes by stakeholder group" }: { groups: ShownGroupTally[]; caption?: string }) {
  if (!groups.length) return null;
  const minimum = groups.find((g) => g.tally.suppressed)?.tally;
  return (
    <div className="table-wrap group-tallies">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col" className="num">Agree</th>
            <th scope="col" className="num">Disagree</th>
            <th scope="col" className="num">Pass</th>
            <th scope="col" className="num">Voted</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.groupId}>
              <th scope="row">{g.name}</th>
              {g.tally.suppressed ? (
                <td colSpan={4} className="suppressed muted">
                  Fewer than {g.tally.minimum} votes: not shown
                </td>
              ) : (
                <Numbers tally={g.tally} />
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {minimum && minimum.suppressed ? (
        <p className="small muted">
          To protect people in small groups, no figure about fewer than {minimum.minimum} people is shown. When hiding one
          group is not enough to keep it from being worked out from the others, another small group is hidden too.
        </p>
      ) : null}
    </div>
  );
}
