/**
 * The live layer as components: <LiveConsultation> wraps a consultation page (it opens the connection
 * and gives the page's tallies and vote forms the store), <LiveStatus> is the line in the page header:
 * connection status in words, people present, and a polite announcement of what changed.
 *
 * Without JavaScript none of this renders: the page is the same server-rendered page with its forms.
 */
import type { ReactNode } from "react";
import { useHydrated } from "../participant/use-hydrated";
import { LiveContext, useLiveView, type LiveStatus as Status, type Presence } from "./store";
import { useLiveConsultation, type RevalidateOn } from "./use-live-consultation";

export { defaultRevalidateOn } from "./use-live-consultation";

export function LiveConsultation({
  slug,
  eventSeq,
  revalidateOn,
  children,
}: {
  slug: string;
  /** The loader's `consultation.eventSeq`. */
  eventSeq: number;
  revalidateOn?: RevalidateOn;
  children: ReactNode;
}) {
  const store = useLiveConsultation(slug, { eventSeq, revalidateOn });
  return <LiveContext.Provider value={store}>{children}</LiveContext.Provider>;
}

const LABELS: Record<Status, string> = {
  connecting: "connecting…",
  connected: "connected",
  reconnecting: "reconnecting…",
  offline: "offline",
  ended: "stopped",
};

const NOTES: Partial<Record<Status, string>> = {
  reconnecting: "The connection dropped and is being restored. The page still works through its buttons and forms; what you missed appears once it is back.",
  offline:
    "Live updates are paused. The page still works through its buttons and forms (they are sent as usual), and what others did meanwhile appears once you are back online.",
};

function presenceText(presence: Presence): string {
  if (presence.suppressed) return `Fewer than ${presence.minimum} people here now`;
  return presence.count === 1 ? "1 person here now" : `${presence.count} people here now`;
}

/**
 * "Live updates: connected · 7 people here now". Rendered only after hydration (without JavaScript
 * there are no live updates to speak of). Status is in words; the dot is decoration.
 */
export function LiveStatus() {
  const hydrated = useHydrated();
  const view = useLiveView();
  if (!hydrated || !view) return null;
  const { status, statusNote, presence, announcement, deferred, store } = view;
  const note = statusNote ?? NOTES[status] ?? null;
  return (
    <section className={`live-status live-${status}`} aria-label="Live updates" data-live-status={status}>
      <p className="live-line small">
        <span className="live-dot" aria-hidden="true" />
        <span>
          Live updates: <strong className="live-state">{LABELS[status]}</strong>
        </span>
        {presence && status === "connected" ? (
          <>
            <span aria-hidden="true"> · </span>
            <span className="live-presence">{presenceText(presence)}</span>
          </>
        ) : null}
      </p>
      {note && status !== "connected" && status !== "connecting" ? <p className="live-note small">{note}</p> : null}
      {deferred ? (
        <p className="live-note small">
          There are new changes on this page.{" "}
          <button type="button" className="button-link" onClick={() => store.applyDeferred?.()}>
            Show the latest changes
          </button>{" "}
          (the message from your last form goes away).
        </p>
      ) : null}
      {/* One summary line per burst of changes, read politely. */}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-live-announcement="">
        {announcement}
      </p>
    </section>
  );
}
