/**
 * The live layer's state for one consultation, shared by everything on the page that shows live data:
 * connection status, presence, tallies received since the page loaded, and the polite announcement.
 *
 * Browser-safe and tiny: it is in every participant page's bundle. The socket itself (socket.io-client)
 * lives in ./live-socket.ts, loaded only once the page has hydrated (see ./use-live-consultation.ts).
 * Components read it with useSyncExternalStore, each picking its own slice, so a tally update
 * re-renders that tally only.
 */
import { createContext, useContext, useSyncExternalStore } from "react";
import type { ConsultationEventPayload, PresenceUpdate, ShownTallyPayload } from "../../../realtime/event-map";

export type LiveStatus = "connecting" | "connected" | "reconnecting" | "offline" | "ended";
export type Presence = PresenceUpdate["present"];

/** A consultation event as the page sees it; `replayed` when it came in the catch-up after a (re)join. */
export type LiveEventListener = (event: ConsultationEventPayload, replayed: boolean) => void;

interface TallyEntry {
  tally: ShownTallyPayload;
  /** When it arrived, on the store's own clock (see `stamp`). */
  stamp: number;
}

/** How long a burst of updates is gathered before one summary line is announced, ms. */
const ANNOUNCE_QUIET_MS = 1500;
/** The longest a busy burst waits for its announcement, ms. */
const ANNOUNCE_MAX_WAIT_MS = 5000;

/** Words in the page's language: `t` for interface keys, `m` for messages from the server (English). */
export interface LiveTexts {
  t: (key: string, options?: Record<string, unknown>) => string;
  m: (message: string) => string;
  /** The i18next instance they come from. */
  owner?: unknown;
}

export class LiveStore {
  readonly slug: string;
  /**
   * Notes and announcements are written with these (set by the page's hook, useLiveConsultation,
   * before the connection opens). Until then, keys and messages stay as they are.
   */
  texts: LiveTexts = { t: (key) => key, m: (message) => message };
  status: LiveStatus = "connecting";
  /** Why live updates stopped (session ended, refused), shown with the status (already in the page's language). */
  statusNote: string | null = null;
  presence: Presence | null = null;
  /** The one line the aria-live region reads (changes at most once per burst). */
  announcement = "";
  /** Highest event sequence number known to be reflected on the page or received. */
  lastSeq = 0;
  /**
   * Changes arrived while the page holds a form's result (which a data reload would wipe): the page
   * offers a button instead of reloading by itself.
   */
  deferred = false;
  /** Reloads the page's data now (set by the page's hook while it is mounted). */
  applyDeferred: (() => void) | null = null;

  private tallies = new Map<string, TallyEntry>();
  private clock = 0;
  private loadStartedAt = 0;
  private listeners = new Set<() => void>();
  private eventListeners = new Set<LiveEventListener>();
  private burst = { tallies: new Set<string>(), content: 0, moderation: 0, phase: 0, first: 0 };
  private burstTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(slug: string, eventSeq: number) {
    this.slug = slug;
    this.lastSeq = eventSeq;
  }

  // ---- subscription (useSyncExternalStore) ------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Page listeners for consultation events (the hook's revalidation). */
  onEvent(listener: LiveEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  // ---- what the connection reports --------------------------------------------------------------

  setStatus(status: LiveStatus, note: string | null = null): void {
    if (this.status === "ended" && status !== "ended") return; // an ended session stays ended
    if (status === this.status && note === this.statusNote) return;
    const was = this.status;
    this.status = status;
    this.statusNote = note;
    const { t } = this.texts;
    if (status === "offline" && was !== "offline") this.say(t("live.announce.offline"));
    if (status === "connected" && (was === "reconnecting" || was === "offline")) this.say(t("live.announce.back"));
    if (status === "ended") this.say(note ?? t("live.announce.stopped"));
    this.changed();
  }

  setDeferred(deferred: boolean): void {
    if (deferred === this.deferred) return;
    this.deferred = deferred;
    this.changed();
  }

  setPresence(presence: Presence): void {
    this.presence = presence;
    this.changed();
  }

  /** The page's loader knew events up to `seq` (first render, and after every revalidation). */
  noteSeq(seq: number): void {
    if (Number.isFinite(seq) && seq > this.lastSeq) this.lastSeq = seq;
  }

  /** A consultation event, live or replayed: remembered, then handed to the page. */
  receiveEvent(event: ConsultationEventPayload, replayed: boolean): void {
    if (event.seq > this.lastSeq) this.lastSeq = event.seq;
    for (const listener of [...this.eventListeners]) listener(event, replayed);
    let announce = true;
    if (event.type === "phase.changed") this.burst.phase += 1;
    else if (/^(position|comment)\.(hidden|restored)$/.test(event.type)) this.burst.moderation += 1;
    else if (/^(position\.(submitted|edited|withdrawn)|comment\.(posted|edited|withdrawn))$/.test(event.type)) this.burst.content += 1;
    else announce = false;
    if (announce) this.scheduleAnnouncement();
  }

  /** Tallies pushed by the server (coalesced there). */
  setTallies(updates: { positionId: string; tally: ShownTallyPayload }[]): void {
    if (!updates.length) return;
    for (const { positionId, tally } of updates) {
      this.tallies.set(positionId, { tally, stamp: ++this.clock });
      this.burst.tallies.add(positionId);
    }
    this.scheduleAnnouncement();
    this.changed();
  }

  // ---- what the page reports --------------------------------------------------------------------

  /** A loader run started (navigation, revalidation, a fetcher's revalidation). */
  markLoadStart(): void {
    this.loadStartedAt = this.clock;
  }

  /**
   * New loader data arrived: tallies received before its load started are no newer than what the
   * loader read, so the page's own figures take over again (a tally missed while offline is not kept
   * over a fresher loader value).
   */
  loaderDataChanged(): void {
    let dropped = false;
    for (const [id, entry] of this.tallies) {
      if (entry.stamp <= this.loadStartedAt) {
        this.tallies.delete(id);
        dropped = true;
      }
    }
    if (dropped) this.changed();
  }

  tallyFor(positionId: string): ShownTallyPayload | undefined {
    return this.tallies.get(positionId)?.tally;
  }

  // ---- the announcement: one polite summary line per burst ---------------------------------------

  private say(text: string): void {
    // The same words twice in a row would not be read again: vary them invisibly.
    this.announcement = text === this.announcement.trim() ? `${text}\u00a0` : text;
    this.changed();
  }

  private scheduleAnnouncement(): void {
    const now = Date.now();
    if (!this.burst.first) this.burst.first = now;
    if (this.burstTimer) clearTimeout(this.burstTimer);
    const wait = Math.max(0, Math.min(ANNOUNCE_QUIET_MS, this.burst.first + ANNOUNCE_MAX_WAIT_MS - now));
    this.burstTimer = setTimeout(() => this.flushAnnouncement(), wait);
  }

  private flushAnnouncement(): void {
    this.burstTimer = null;
    const { tallies, content, moderation, phase } = this.burst;
    // Only positions this page shows count in "votes on N positions".
    const shown = typeof document === "undefined" ? tallies.size : [...tallies].filter((id) => document.getElementById(`p-${id}`)).length;
    this.burst = { tallies: new Set(), content: 0, moderation: 0, phase: 0, first: 0 };
    const { t } = this.texts;
    const parts: string[] = [];
    if (phase) parts.push(t("live.announce.phase"));
    if (content) parts.push(t("live.announce.content", { count: content }));
    if (moderation) parts.push(t("live.announce.moderation", { count: moderation }));
    if (shown) parts.push(t("live.announce.votes", { count: shown }));
    if (!parts.length) return;
    this.say(t("live.announce.updated", { changes: parts.join(t("live.announce.separator")) }));
  }

  /** The connection closed for good (listeners unsubscribe themselves). */
  dispose(): void {
    if (this.burstTimer) clearTimeout(this.burstTimer);
    this.burstTimer = null;
  }
}

// ---- React access ----------------------------------------------------------------------------

export const LiveContext = createContext<LiveStore | null>(null);

const noop = () => () => {};
const nothing = () => undefined;

/** The page's live store, or null when the page has no live layer. */
export function useLiveStore(): LiveStore | null {
  return useContext(LiveContext);
}

/** A position's tally: the latest one pushed live, else the loader's. */
export function useLiveTally<T extends ShownTallyPayload>(positionId: string | undefined, fallback: T): T | ShownTallyPayload {
  const store = useContext(LiveContext);
  const live = useSyncExternalStore(
    store ? store.subscribe : noop,
    store && positionId ? () => store.tallyFor(positionId) : nothing,
    nothing,
  );
  return live ?? fallback;
}

export interface LiveView {
  status: LiveStatus;
  statusNote: string | null;
  presence: Presence | null;
  announcement: string;
  deferred: boolean;
  store: LiveStore;
}

/** Status, presence and announcement (for the header's status line). */
export function useLiveView(): LiveView | null {
  const store = useContext(LiveContext);
  const status = useSyncExternalStore(store ? store.subscribe : noop, () => store?.status, nothing);
  const statusNote = useSyncExternalStore(store ? store.subscribe : noop, () => store?.statusNote ?? null, () => null);
  const presence = useSyncExternalStore(store ? store.subscribe : noop, () => store?.presence ?? null, () => null);
  const announcement = useSyncExternalStore(store ? store.subscribe : noop, () => store?.announcement ?? "", () => "");
  const deferred = useSyncExternalStore(store ? store.subscribe : noop, () => store?.deferred ?? false, () => false);
  if (!store || !status) return null;
  return { status, statusNote, presence, announcement, deferred, store };
}
