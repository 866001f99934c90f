/**
 * The live layer as components: <LiveConsultation> wraps a consultation page (it opens the connection
 * and gives the page's tallies and vote forms the store), <LiveStatus> is the line in the page header:
 * connection status in words, people present, and a polite announcement of what changed.
 *
 * Without JavaScript none of this renders: the page is the same server-rendered page with its forms.
 */
import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { useTranslation } from "../../i18n-react";
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

function presenceText(t: TFunction, presence: Presence): string {
  if (presence.suppressed) return t("live.presence.fewer", { count: presence.minimum });
  return t("live.presence.here", { count: presence.count });
}

/**
 * "Live updates: connected · 7 people here now". Rendered only after hydration (without JavaScript
 * there are no live updates to speak of). Status is in words; the dot is decoration.
 */
export function LiveStatus() {
  const hydrated = useHydrated();
  const view = useLiveView();
  const { t } = useTranslation();
  if (!hydrated || !view) return null;
  const { status, statusNote, presence, announcement, deferred, store } = view;
  const note = statusNote ?? (status === "reconnecting" || status === "offline" ? t(`live.note.${status}`) : null);
  return (
    <section className={`live-status live-${status}`} aria-label={t("live.label")} data-live-status={status}>
      <p className="live-line small">
        <span className="live-dot" aria-hidden="true" />
        <span>
          {t("live.line")} <strong className="live-state">{t(`live.status.${status}`)}</strong>
        </span>
        {presence && status === "connected" ? (
          <>
            <span aria-hidden="true"> · </span>
            <span className="live-presence">{presenceText(t, presence)}</span>
          </>
        ) : null}
      </p>
      {note && status !== "connected" && status !== "connecting" ? <p className="live-note small">{note}</p> : null}
      {deferred ? (
        <p className="live-note small">
          {t("live.deferred.text")}{" "}
          <button type="button" className="button-link" onClick={() => store.applyDeferred?.()}>
            {t("live.deferred.button")}
          </button>{" "}
          {t("live.deferred.after")}
        </p>
      ) : null}
      {/* One summary line per burst of changes, read politely. */}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-live-announcement="">
        {announcement}
      </p>
    </section>
  );
}
