/**
 * useLiveConsultation(slug, { eventSeq }): the live layer of a consultation page.
 *
 * - After hydration it loads ./live-socket.ts (and with it socket.io-client) and joins the consultation
 *   from the last sequence number the page knows: the loader's `eventSeq` at first, then every event's.
 *   After any reconnect it joins again from there, so the server replays what was missed.
 * - Events that change what the page shows make Remix reload the page's data (useRevalidator),
 *   coalesced: at most about three reloads a second, none while the tab is hidden (one when it shows).
 * - Tallies pushed by the server go to the store and update <TallyText> in place, without a reload.
 * - Remix already reloads the data after a form post: events the reloaded data reflects (the page's
 *   `eventSeq` is at least theirs, e.g. this tab's own post) cause no second reload.
 * - A data reload clears the result of a form post on the page. A plain confirmation stays a few
 *   seconds first; an error, a preview or codes shown once stay, and the status line offers to show
 *   the changes instead.
 *
 * One connection per consultation per browser tab: pages of the same consultation share it (moving from
 * the consultation to a question keeps the socket), and it closes a few seconds after the last page
 * that used it went away.
 */
import { useActionData, useFetchers, useMatches, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "../../i18n-react";
import type { ConsultationEventPayload } from "../../../realtime/event-map";
import { translateMessage } from "../../i18n";
import { LiveStore } from "./store";

/** The shortest gap between two data reloads caused by live events, ms (~3 a second at most). */
export const REVALIDATE_MIN_GAP_MS = 340;
/** How long the connection outlives the last page that used it (a navigation between pages), ms. */
const LINGER_MS = 4000;

export type RevalidateOn = (event: ConsultationEventPayload, replayed: boolean) => boolean;

const PAGE_EVENTS = /^(position|comment|question|live)\.|^(phase\.changed|consultation\.updated|report\.published|participant\.erased)$/;

/**
 * What makes a consultation page reload its data: new, edited, withdrawn, hidden or restored positions
 * and comments, questions, the phase, the live session, and votes replayed after a disconnect (the
 * tallies they moved were pushed while this page was away). Live votes are not here: tallies come pushed.
 */
export const defaultRevalidateOn: RevalidateOn = (event, replayed) =>
  PAGE_EVENTS.test(event.type) || (replayed && event.type === "vote.cast");

export interface LiveOptions {
  /** The consultation's event sequence number the loader read (`consultation.eventSeq`). */
  eventSeq: number;
  /** Which events reload this page's data (default: defaultRevalidateOn). */
  revalidateOn?: RevalidateOn;
}

interface Entry {
  store: LiveStore;
  refs: number;
  close: (() => void) | null;
  opening: boolean;
  lingering: ReturnType<typeof setTimeout> | null;
}

/** Browser only: the server renders every request with a store of its own. */
const registry = new Map<string, Entry>();

/** The tab's store for this consultation (made on first use). */
function storeFor(slug: string, eventSeq: number): LiveStore {
  let entry = registry.get(slug);
  if (!entry) {
    entry = { store: new LiveStore(slug, eventSeq), refs: 0, close: null, opening: false, lingering: null };
    registry.set(slug, entry);
  }
  return entry.store;
}

/** Keeps the store's connection open while a page uses it; returns the release. */
function retain(slug: string, store: LiveStore): () => void {
  let entry = registry.get(slug);
  if (!entry || entry.store !== store) {
    entry = { store, refs: 0, close: null, opening: false, lingering: null };
    registry.set(slug, entry);
  }
  return hold(slug, entry);
}

function hold(slug: string, entry: Entry): () => void {
  entry.refs += 1;
  if (entry.lingering) clearTimeout(entry.lingering);
  entry.lingering = null;
  if (!entry.close && !entry.opening) {
    entry.opening = true;
    import("./live-socket")
      .then(({ connectLive }) => {
        entry.opening = false;
        if (entry.refs > 0 && !entry.close && registry.get(slug) === entry) entry.close = connectLive(entry.store);
      })
      .catch(() => {
        entry.opening = false;
        entry.store.setStatus("offline", entry.store.texts.t("live.note.loadFailed"));
      });
  }
  return () => {
    entry.refs -= 1;
    if (entry.refs > 0) return;
    entry.lingering = setTimeout(() => {
      if (entry.refs > 0) return;
      entry.close?.();
      entry.close = null;
      entry.store.dispose();
      if (registry.get(slug) === entry) registry.delete(slug);
    }, LINGER_MS);
  };
}

/** A plain confirmation ("The question was added.") stays this long before a live reload may replace it, ms. */
export const CONFIRMATION_MS = 4000;

type Hold = "none" | "brief" | "keep";

/** Every route's action data on the page: Remix's router, else this route's own. */
function pageActionData(own: unknown): unknown[] {
  const router = (window as { __remixRouter?: { state?: { actionData?: Record<string, unknown> | null } } }).__remixRouter;
  const all = router?.state?.actionData;
  if (all) return Object.values(all).filter((value) => value != null);
  return own != null ? [own] : [];
}

/**
 * Whether a data reload may replace the page's form results now. A plain confirmation
 * ({ ok: true, message, intent, id }) may go after a moment; an error, a preview or data shown once
 * (invitation codes) stays until the person moves on or asks for the changes.
 */
function holdFor(results: unknown[]): Hold {
  if (!results.length) return "none";
  const plain = results.every((result) => {
    if (!result || typeof result !== "object") return false;
    const r = result as Record<string, unknown>;
    return r.ok === true && Object.keys(r).every((key) => key === "ok" || key === "message" || key === "intent" || key === "id");
  });
  return plain ? "brief" : "keep";
}

export function useLiveConsultation(slug: string, options: LiveOptions): LiveStore {
  const { eventSeq } = options;
  // Per consultation (a newer eventSeq reaches it through noteSeq below).
  const store = useMemo(() => (typeof window === "undefined" ? new LiveStore(slug, eventSeq) : storeFor(slug, eventSeq)), [slug]);
  // The store's notes and announcements, in the page's language (set before the connection opens).
  const { i18n } = useTranslation();
  if (store.texts.owner !== i18n) {
    const t = i18n.t.bind(i18n) as unknown as (key: string, options?: Record<string, unknown>) => string;
    store.texts = { owner: i18n, t, m: (message) => translateMessage(i18n, message) };
  }

  // The connection: opened after hydration, shared by the consultation's pages.
  useEffect(() => retain(slug, store), [slug, store]);

  // Every loader run tells how far the page's data goes: the next join starts from there, and an event
  // the data already reflects (this tab's own form post, reloaded by Remix after the action) needs no reload.
  useEffect(() => store.noteSeq(eventSeq), [store, eventSeq]);
  const pageSeq = useRef(eventSeq);
  pageSeq.current = eventSeq;

  // Tallies pushed before a data reload started give way to the reloaded ones.
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const fetchers = useFetchers();
  const loading = navigation.state === "loading" || revalidator.state === "loading" || fetchers.some((f) => f.state === "loading");
  useEffect(() => {
    if (loading) store.markLoadStart();
  }, [loading, store]);
  const matches = useMatches();
  const leafData = matches[matches.length - 1]?.data;
  useEffect(() => store.loaderDataChanged(), [leafData, store]);

  // Form posts: Remix reloads the data after them itself; their results are on the page afterwards.
  const busy = navigation.state !== "idle" || fetchers.some((f) => f.state !== "idle");
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const actionData = useActionData();
  const actionDataRef = useRef(actionData);
  actionDataRef.current = actionData;
  const settledAt = useRef(0);
  const kick = useRef<() => void>(() => {});
  useEffect(() => {
    if (navigation.state !== "idle") return;
    settledAt.current = Date.now();
    kick.current(); // changes held for a form's result may go now
  }, [navigation.state]);

  // Coalesced data reloads for the events this page shows.
  const revalidatorRef = useRef(revalidator);
  revalidatorRef.current = revalidator;
  const revalidateOnRef = useRef(options.revalidateOn ?? defaultRevalidateOn);
  revalidateOnRef.current = options.revalidateOn ?? defaultRevalidateOn;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    /** The newest event waiting for a reload (0: none). */
    let wantedSeq = 0;
    let last = 0;
    const later = (ms: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, Math.max(0, ms));
    };
    const reload = () => {
      wantedSeq = 0;
      store.setDeferred(false);
      last = Date.now();
      revalidatorRef.current.revalidate();
    };
    function run() {
      timer = null;
      if (!wantedSeq) return;
      if (busyRef.current || revalidatorRef.current.state !== "idle") {
        // A post or a reload is under way, maybe begun before the event: look again after it.
        later(REVALIDATE_MIN_GAP_MS);
        return;
      }
      if (wantedSeq <= pageSeq.current) {
        // The page's data already goes this far (e.g. the reload after this tab's own post).
        wantedSeq = 0;
        store.setDeferred(false);
        return;
      }
      if (document.visibilityState === "hidden") return; // done when the tab shows again
      const hold = holdFor(pageActionData(actionDataRef.current));
      if (hold === "keep") {
        store.setDeferred(true); // the status line offers "Show the latest changes"
        return;
      }
      if (hold === "brief" && Date.now() < settledAt.current + CONFIRMATION_MS) {
        later(settledAt.current + CONFIRMATION_MS - Date.now());
        return;
      }
      reload();
    }
    const schedule = () => {
      if (timer) return;
      // A short wait even for the first event gathers a burst into one reload.
      later(Math.max(60, last + REVALIDATE_MIN_GAP_MS - Date.now()));
    };
    kick.current = () => {
      if (wantedSeq) schedule();
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible" && wantedSeq) schedule();
    };
    const off = store.onEvent((event, replayed) => {
      if (!revalidateOnRef.current(event, replayed)) return;
      wantedSeq = Math.max(wantedSeq, event.seq);
      schedule();
    });
    // The status line's "Show the latest changes": the person chose to replace the form's result.
    store.applyDeferred = reload;
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      off();
      kick.current = () => {};
      if (store.applyDeferred === reload) store.applyDeferred = null;
      if (timer) clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [store]);

  return store;
}
