/**
 * Keeping a live-session page current (browser-side hooks). The live layer (app/components/live)
 * reloads the page's data when consultation events arrive (a spotlight, a comment, a moderation) and
 * pushes whole tallies in place; a tally by group has no push of its own, so:
 *
 * - useRefreshOnTally: when the pushed tally of the spotlighted position moves, reload the page's data
 *   (at most once every TALLY_REFRESH_MS, the last change always included), so the groups follow;
 * - usePollWhileDisconnected: while the socket is not connected (or before the live layer is there),
 *   reload every POLL_MS, the way the page reloads itself without JavaScript.
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { ShownTally } from "../../../consultations/tallies";
import { useLiveTally, useLiveView } from "../live/store";
import { useHydrated } from "../participant/use-hydrated";

/** Shortest gap between two reloads caused by a moving tally, ms. */
export const TALLY_REFRESH_MS = 2000;
/** Reload interval while live updates are not connected, ms. */
export const POLL_MS = 2000;

function useLatestRevalidator() {
  const revalidator = useRevalidator();
  const ref = useRef(revalidator);
  ref.current = revalidator;
  return ref;
}

function mayReload(): boolean {
  if (typeof document === "undefined") return false;
  if (document.visibilityState === "hidden") return false;
  return typeof navigator === "undefined" || navigator.onLine !== false;
}

export function useRefreshOnTally(positionId: string | undefined, loaded: ShownTally): void {
  const tally = useLiveTally(positionId, loaded);
  const key = positionId ? `${positionId}:${JSON.stringify(tally)}` : "";
  const revalidator = useLatestRevalidator();
  const seen = useRef(key);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!key || key === seen.current) return;
    seen.current = key;
    if (timer.current) return; // a reload is already due; it will read this change too
    const run = () => {
      timer.current = null;
      if (!mayReload()) return;
      if (revalidator.current.state !== "idle") {
        timer.current = setTimeout(run, 300);
        return;
      }
      last.current = Date.now();
      revalidator.current.revalidate();
    };
    timer.current = setTimeout(run, Math.max(0, last.current + TALLY_REFRESH_MS - Date.now()));
  }, [key, revalidator]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
}

export function usePollWhileDisconnected(enabled = true): void {
  const hydrated = useHydrated();
  const view = useLiveView();
  const connected = view?.status === "connected";
  const revalidator = useLatestRevalidator();
  useEffect(() => {
    if (!hydrated || !enabled || connected) return;
    const id = setInterval(() => {
      if (mayReload() && revalidator.current.state === "idle") revalidator.current.revalidate();
    }, POLL_MS);
    return () => clearInterval(id);
  }, [hydrated, enabled, connected, revalidator]);
}
