/**
 * Date helpers for facilitator pages. Browser-safe (no Node imports). Loaders pass dates as ISO
 * strings; `When` shows them in the page's language (useFormat, the same on the server and in the
 * browser, so the HTML and the hydrated page agree); every time is shown and typed in UTC.
 */
import { useFormat } from "../../i18n";

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const DAY = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export interface Stamp {
  iso: string;
  /** English text (for files and logs); pages show `iso` through `When`, in the page's language. */
  text: string;
  /** How `When` shows it: date and time (default), the day only, or the time of day. */
  kind?: "when" | "day" | "clock";
}

/** A date as ISO (for <time dateTime>) and as text for people, in UTC. */
export function stamp(date: Date | string): Stamp {
  const d = new Date(date);
  return { iso: d.toISOString(), text: `${WHEN.format(d)} UTC` };
}

/** A date as ISO and as a day only ("3 Mar 2026"). */
export function dayStamp(date: Date | string): Stamp {
  const d = new Date(date);
  return { iso: d.toISOString(), text: DAY.format(d), kind: "day" };
}

/** The value of an <input type="datetime-local"> showing `date` in UTC ("2026-05-01T10:00"); "" for none. */
export function toDateTimeLocal(date: Date | string | null | undefined): string {
  return date ? new Date(date).toISOString().slice(0, 16) : "";
}

/**
 * A datetime-local value read as UTC: "2026-05-01T10:00" -> "2026-05-01T10:00Z". Empty stays empty and
 * anything else is passed on unchanged for the domain to validate.
 */
export function utcFromLocalInput(value: string | undefined): string | undefined {
  if (!value) return value;
  const v = value.trim();
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(v) ? `${v}Z` : v;
}

/** The text of a stamp in the page's language. */
export function useStampText(): (at: Stamp) => string {
  const f = useFormat();
  return (at) => (at.kind === "day" ? f.date(at.iso) : at.kind === "clock" ? `${f.time(at.iso)} UTC` : f.dateTime(at.iso));
}

export function When({ at }: { at: Stamp }) {
  const text = useStampText();
  return <time dateTime={at.iso}>{text(at)}</time>;
}
