/** Renders a figure that the domain may have suppressed for privacy ("fewer than 5"). */
export type ShownCountValue = { suppressed: false; count: number } | { suppressed: true; minimum: number };

export function shownCountText(value: ShownCountValue): string {
  return value.suppressed ? `fewer than ${value.minimum}` : String(value.count);
}

export function ShownCount({ value }: { value: ShownCountValue }) {
  return value.suppressed ? <span className="suppressed">fewer than {value.minimum}</span> : <>{value.count}</>;
}
