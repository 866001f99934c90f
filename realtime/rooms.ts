/**
 * Consultation rooms and the fan-out of committed events, tallies and presence.
 *
 * Rooms: `consultation:<id>` holds every socket allowed to read the consultation (its participants,
 * suspended ones too, and its organisation's facilitators); `consultation:<id>:facilitators` holds the
 * facilitators' sockets, for facilitator-only events (realtime/event-policy.ts decides which).
 *
 * Ordering and catch-up. Each consultation with at least one socket has a state whose `lastSeq` is the
 * last event broadcast to its rooms. A committed event is broadcast at once when it is the next one
 * (`lastSeq + 1`); when events arrive out of order or one is missing (published late, or written by
 * another process), the missing range is read back from the database and broadcast in order. A joining
 * socket is replayed everything after its `afterSeq` up to `lastSeq` from the database, then joins the
 * rooms in the same tick as the last check: every event up to `lastSeq` came from the replay, every later
 * one comes from the room, so a client sees each event once, in order, with nothing missing.
 *
 * Tallies: vote, hide, restore and withdraw events mark their position dirty (suspension and
 * reinstatement: all positions); at most once per TALLY_COALESCE_MS per consultation the dirty tallies
 * are recomputed (loadTallies + showTally) and those whose *shown* value changed are sent as
 * `tallies.changed`, with the seq they cover. Votes themselves are not broadcast (event-policy
 * `foldedIntoTallies`): at hundreds of votes a second, one message per vote per socket would swamp a room. A tally that stays "fewer than N" is never re-sent, so the number of updates cannot
 * count the voters of a suppressed tally.
 *
 * Presence: distinct viewers (participants and facilitators, however many tabs) per consultation, sent
 * as `presence.changed` (coalesced, suppressed below the consultation's minimum like any aggregate).
 */
import type { Db, Tx } from "../consultations/db/client";
import { eventsSince, onEvent, type ConsultationEvent } from "../consultations/events";
import { loadCommittedTallies } from "../consultations/positions";
import { EMPTY_TALLY, showCount, showTally } from "../consultations/tallies";
import { PRESENCE_COALESCE_MS, TALLY_COALESCE_MS, type JoinedData, type PresenceUpdate, type TallyUpdate } from "./event-map";
import { ALL_TALLIES_EVENTS, project, ruleFor, TALLY_EVENTS, type Audience } from "./event-policy";
import type { Cluster } from "./cluster";
import type { Logger, Membership, RealtimeServer, RealtimeSocket } from "./types";
import { loggableError } from "../consultations/log-safety";

/** Notices to other processes about committed events wait this long, to cover a burst with one. */
const ANNOUNCE_COALESCE_MS = 5;

export const consultationRoom = (consultationId: string) => `consultation:${consultationId}`;
export const facilitatorsRoom = (consultationId: string) => `consultation:${consultationId}:facilitators`;

export interface HubOptions {
  db: () => Promise<Db>;
  log: Logger;
  /** Tallies are sent at most this often per consultation (ms). */
  tallyCoalesceMs?: number;
  /** Presence is sent at most this often per consultation (ms). */
  presenceCoalesceMs?: number;
  /** Events read from the database per query when replaying or catching up. */
  pageSize?: number;
  /** How often to look for events no publish announced (written by another process), ms; 0: never. */
  syncIntervalMs?: number;
  /** The other app processes (realtime/cluster.ts), when there are any. */
  cluster?: Cluster | null;
}

interface State {
  id: string;
  minGroupSize: number;
  /** The last event broadcast to the rooms (or, before any, the consultation's seq when the state began). */
  lastSeq: number;
  /** Sockets joined or joining. The state ends with the last one. */
  holders: number;
  closed: boolean;
  /** Resolves once lastSeq was read (committed) from the database. */
  ready: Promise<void>;
  // catch-up from the database
  pulling: boolean;
  pullAgain: boolean;
  // tallies
  talliesReady: Promise<void>;
  /** Shown tallies as last sent (or loaded), JSON, by position; absent = suppressed. */
  shownTallies: Map<string, string>;
  dirty: Set<string>;
  dirtyAll: boolean;
  tallyTimer: NodeJS.Timeout | null;
  flushingTallies: boolean;
  lastTallyFlush: number;
  // presence
  viewers: Map<string, number>;
  /** What this process last told the others (realtime/cluster.ts). */
  announcedViewers: number;
  shownPresence: string | null;
  presenceTimer: NodeJS.Timeout | null;
  lastPresenceFlush: number;
}

export interface JoinTarget {
  consultationId: string;
  /** From the consultation row just loaded by `access` (a fallback: the state reads its own). */
  eventSeq: number;
  minGroupSize: number;
  audience: Audience;
  viewerKey: string;
}

export class ConsultationHub {
  private readonly states = new Map<string, State>();
  private readonly tallyCoalesceMs: number;
  private readonly presenceCoalesceMs: number;
  private readonly pageSize: number;
  private unsubscribe: (() => void) | null = null;
  /** Committed seqs to tell the other processes about, coalesced (they read the events themselves). */
  private readonly toAnnounce = new Map<string, number>();
  private announceTimer: NodeJS.Timeout | null = null;
  private syncTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: RealtimeServer,
    private readonly options: HubOptions,
  ) {
    this.tallyCoalesceMs = options.tallyCoalesceMs ?? TALLY_COALESCE_MS;
    this.presenceCoalesceMs = options.presenceCoalesceMs ?? PRESENCE_COALESCE_MS;
    this.pageSize = options.pageSize ?? 500;
  }

  /** From now on, tell the other processes and hear them (realtime/cluster.ts). */
  useCluster(cluster: Cluster): void {
    this.options.cluster = cluster;
  }

  /** Subscribes to committed events (once per hub). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = onEvent((event) => this.onEvent(event));
    const every = this.options.syncIntervalMs ?? 5000;
    if (every > 0) {
      this.syncTimer = setInterval(() => void this.sync(), every);
      this.syncTimer.unref();
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.syncTimer = null;
    if (this.announceTimer) clearTimeout(this.announceTimer);
    this.announceTimer = null;
    for (const state of this.states.values()) this.close(state);
    this.states.clear();
  }

  /** Consultations with sockets now (for tests and metrics). */
  activeConsultations(): number {
    return this.states.size;
  }

  /**
   * Reads inside a transaction. The SQLite adapter runs queries outside a transaction on the same
   * connection as an open one, so they would see its uncommitted rows: an event about to be rolled back
   * could be broadcast, and the real event that later takes its seq dropped. A transaction waits for the
   * open one to end, so what it reads is committed. (Tallies: `loadCommittedTallies` does the same.)
   */
  private async committed<T>(read: (tx: Tx) => Promise<T>): Promise<T> {
    return (await this.options.db()).$transaction(read);
  }

  // ---- joining and leaving -----------------------------------------------------------------

  /**
   * Replays the events after `afterSeq` to the socket, then puts it in the consultation's rooms.
   * Without `afterSeq` nothing is replayed (the page was just loaded). Null when the socket left meanwhile.
   */
  async join(socket: RealtimeSocket, target: JoinTarget, afterSeq?: number): Promise<JoinedData | null> {
    this.leave(socket, target.consultationId);
    const state = this.acquire(target);
    let delivered = 0;
    let replayed = 0;
    try {
      await state.ready;
      delivered = afterSeq ?? state.lastSeq;
      while (delivered < state.lastSeq) {
        if (!socket.connected || state.closed) break;
        const from = delivered;
        const { rows, hidden } = await this.committed(async (tx) => {
          const rows = await eventsSince(tx, state.id, from, this.pageSize);
          return { rows, hidden: target.audience === "facilitators" ? new Set<number>() : await hiddenAuthors(tx, rows) };
        });
        if (!rows.length) {
          // Nothing stored up to lastSeq (the consultation was deleted meanwhile): nothing more to replay.
          delivered = state.lastSeq;
          break;
        }
        for (const row of rows) {
          if (row.seq > state.lastSeq) break; // not broadcast yet: the room will bring it
          const payload = project(row, target.audience, hidden.has(row.seq));
          if (payload) {
            socket.emit("consultation.event", payload);
            replayed += 1;
          }
          delivered = row.seq;
        }
      }
    } catch (error) {
      this.release(state);
      throw error;
    }
    if (!socket.connected || state.closed) {
      this.release(state);
      return null;
    }
    // Same tick as the last `delivered < lastSeq` check: no broadcast can fall between replay and room.
    const rooms = target.audience === "facilitators" ? [consultationRoom(state.id), facilitatorsRoom(state.id)] : [consultationRoom(state.id)];
    void socket.join(rooms);
    const membership: Membership = { consultationId: state.id, audience: target.audience, viewerKey: target.viewerKey };
    socket.data.memberships.set(state.id, membership);
    state.viewers.set(target.viewerKey, (state.viewers.get(target.viewerKey) ?? 0) + 1);
    socket.emit("presence.changed", this.presence(state));
    this.schedulePresence(state);
    return { seq: state.lastSeq, replayed };
  }

  /** Takes the socket out of a consultation's rooms (no-op when it is not in them). */
  leave(socket: RealtimeSocket, consultationId: string): void {
    const membership = socket.data.memberships?.get(consultationId);
    if (!membership) return;
    socket.data.memberships.delete(consultationId);
    void socket.leave(consultationRoom(consultationId));
    void socket.leave(facilitatorsRoom(consultationId));
    const state = this.states.get(consultationId);
    if (!state) return;
    const left = (state.viewers.get(membership.viewerKey) ?? 1) - 1;
    if (left > 0) state.viewers.set(membership.viewerKey, left);
    else state.viewers.delete(membership.viewerKey);
    this.schedulePresence(state);
    this.release(state);
  }

  /** On disconnect: leaves every consultation. */
  leaveAll(socket: RealtimeSocket): void {
    for (const consultationId of [...(socket.data.memberships?.keys() ?? [])]) this.leave(socket, consultationId);
  }

  private acquire(target: JoinTarget): State {
    let state = this.states.get(target.consultationId);
    if (!state) {
      state = {
        id: target.consultationId,
        minGroupSize: target.minGroupSize,
        lastSeq: target.eventSeq,
        holders: 0,
        closed: false,
        ready: Promise.resolve(),
        // Until lastSeq is read, published events only ask for a pull (run once it is known).
        pulling: true,
        pullAgain: false,
        talliesReady: Promise.resolve(),
        shownTallies: new Map(),
        dirty: new Set(),
        dirtyAll: false,
        tallyTimer: null,
        flushingTallies: false,
        lastTallyFlush: 0,
        viewers: new Map(),
        announcedViewers: 0,
        shownPresence: null,
        presenceTimer: null,
        lastPresenceFlush: 0,
      };
      this.states.set(state.id, state);
      state.ready = this.readLastSeq(state);
      state.talliesReady = this.loadShownTallies(state);
    }
    state.holders += 1;
    return state;
  }

  /**
   * The consultation's last committed seq. Not the one `access` read: outside a transaction that read can
   * see the seq of an uncommitted transaction, which may still roll back (its seq then goes to another event).
   */
  private async readLastSeq(state: State): Promise<void> {
    try {
      const row = await this.committed((tx) => tx.consultation.findUnique({ where: { id: state.id }, select: { eventSeq: true } }));
      if (row) state.lastSeq = row.eventSeq;
    } catch (error) {
      this.options.log("error", "realtime could not read the last event", { ...loggableError(error) });
    } finally {
      state.pulling = false;
    }
    if (state.pullAgain) this.schedulePull(state);
  }

  private release(state: State): void {
    state.holders -= 1;
    if (state.holders > 0) return;
    this.close(state);
    if (this.states.get(state.id) === state) this.states.delete(state.id);
  }

  private close(state: State): void {
    if (this.options.cluster && state.announcedViewers) this.options.cluster.announcePresence(state.id, 0);
    state.closed = true;
    if (state.tallyTimer) clearTimeout(state.tallyTimer);
    if (state.presenceTimer) clearTimeout(state.presenceTimer);
    state.tallyTimer = state.presenceTimer = null;
  }

  // ---- events ------------------------------------------------------------------------------

  private onEvent(event: ConsultationEvent): void {
    if (this.options.cluster) this.announce(event.consultationId, event.seq);
    const state = this.states.get(event.consultationId);
    if (!state || event.seq <= state.lastSeq) return;
    if (!state.pulling && event.seq === state.lastSeq + 1) this.deliver(state, event);
    else this.schedulePull(state);
  }

  /**
   * Tells the other processes (at most every few ms per consultation, with the latest seq) that events
   * were committed here: a burst of votes is one notice.
   */
  private announce(consultationId: string, seq: number): void {
    this.toAnnounce.set(consultationId, Math.max(seq, this.toAnnounce.get(consultationId) ?? 0));
    this.announceTimer ??= setTimeout(() => {
      this.announceTimer = null;
      const pending = [...this.toAnnounce];
      this.toAnnounce.clear();
      for (const [id, latest] of pending) this.options.cluster?.announceCommitted(id, latest);
    }, ANNOUNCE_COALESCE_MS);
  }

  /** Another process committed events up to `seq`: read and broadcast what this one has not. */
  remoteCommitted(consultationId: string, seq: number): void {
    const state = this.states.get(consultationId);
    if (state && seq > state.lastSeq) this.schedulePull(state);
  }

  /** Another process's presence changed: every consultation's total may have. */
  remotePresence(): void {
    for (const state of this.states.values()) this.schedulePresence(state);
  }

  /** Broadcasts one event (the next in sequence) to its audience's room (this process's sockets). */
  private deliver(state: State, event: ConsultationEvent): void {
    state.lastSeq = event.seq;
    const rule = ruleFor(event.type);
    const payload = rule.foldedIntoTallies ? null : project(event, rule.audience);
    if (payload) this.io.local.to(rule.audience === "everyone" ? consultationRoom(state.id) : facilitatorsRoom(state.id)).emit("consultation.event", payload);
    if (TALLY_EVENTS.has(event.type) && typeof event.payload.positionId === "string") this.markDirty(state, event.payload.positionId);
    else if (ALL_TALLIES_EVENTS.has(event.type)) this.markDirty(state, null);
    else if (event.type === "consultation.updated") void this.refreshMinimum(state);
  }

  /** Reads events after lastSeq from the database and broadcasts them in order (one reader at a time). */
  private schedulePull(state: State): void {
    if (state.pulling) {
      state.pullAgain = true;
      return;
    }
    state.pulling = true;
    void (async () => {
      try {
        do {
          state.pullAgain = false;
          const rows = await this.committed((tx) => eventsSince(tx, state.id, state.lastSeq, this.pageSize));
          if (state.closed) return;
          for (const row of rows) if (row.seq > state.lastSeq) this.deliver(state, row);
          if (rows.length === this.pageSize) state.pullAgain = true;
        } while (state.pullAgain && !state.closed);
      } catch (error) {
        this.options.log("error", "realtime catch-up failed", { ...loggableError(error) });
      } finally {
        state.pulling = false;
      }
    })();
  }

  /** Catches events no publish announced in this process (another process wrote them). */
  private async sync(): Promise<void> {
    if (!this.states.size) return;
    try {
      const db = await this.options.db();
      const rows = await db.consultation.findMany({ where: { id: { in: [...this.states.keys()] } }, select: { id: true, eventSeq: true } });
      for (const row of rows) {
        const state = this.states.get(row.id);
        if (state && row.eventSeq > state.lastSeq) this.schedulePull(state);
      }
    } catch (error) {
      this.options.log("error", "realtime sync failed", { ...loggableError(error) });
    }
  }

  private async refreshMinimum(state: State): Promise<void> {
    try {
      const db = await this.options.db();
      const row = await db.consultation.findUnique({ where: { id: state.id }, select: { minGroupSize: true } });
      if (!row || row.minGroupSize === state.minGroupSize) return;
      state.minGroupSize = row.minGroupSize;
      this.markDirty(state, null);
      this.schedulePresence(state);
    } catch (error) {
      this.options.log("error", "realtime minimum refresh failed", { ...loggableError(error) });
    }
  }

  // ---- tallies -----------------------------------------------------------------------------

  /** What clients were shown when the state began: the page they loaded showed these tallies. */
  private async loadShownTallies(state: State): Promise<void> {
    try {
      const tallies = await loadCommittedTallies(await this.options.db(), state.id);
      for (const [positionId, tally] of tallies) {
        const shown = showTally(tally, state.minGroupSize);
        if (!shown.suppressed) state.shownTallies.set(positionId, JSON.stringify(shown));
      }
    } catch (error) {
      this.options.log("error", "realtime tally load failed", { ...loggableError(error) });
    }
  }

  private markDirty(state: State, positionId: string | null): void {
    if (positionId === null) state.dirtyAll = true;
    else state.dirty.add(positionId);
    this.scheduleTallies(state);
  }

  private scheduleTallies(state: State): void {
    if (state.closed || state.tallyTimer || state.flushingTallies) return;
    const wait = Math.max(0, state.lastTallyFlush + this.tallyCoalesceMs - Date.now());
    state.tallyTimer = setTimeout(() => {
      state.tallyTimer = null;
      void this.flushTallies(state);
    }, wait);
  }

  private async flushTallies(state: State): Promise<void> {
    if (state.closed) return;
    state.flushingTallies = true;
    state.lastTallyFlush = Date.now();
    const all = state.dirtyAll;
    const ids = [...state.dirty];
    // Every event up to here was delivered (or is a vote, counted in what is read next: it committed).
    const seq = state.lastSeq;
    state.dirty.clear();
    state.dirtyAll = false;
    try {
      await state.talliesReady;
      const tallies = await loadCommittedTallies(await this.options.db(), state.id, all ? undefined : ids);
      if (state.closed) return;
      const positions = all ? new Set([...tallies.keys(), ...state.shownTallies.keys(), ...ids]) : ids;
      const updates: TallyUpdate[] = [];
      const suppressed = JSON.stringify(showTally(EMPTY_TALLY, state.minGroupSize));
      for (const positionId of positions) {
        const shown = showTally(tallies.get(positionId) ?? EMPTY_TALLY, state.minGroupSize);
        const now = JSON.stringify(shown);
        if (now === (state.shownTallies.get(positionId) ?? suppressed)) continue;
        if (shown.suppressed) state.shownTallies.delete(positionId);
        else state.shownTallies.set(positionId, now);
        updates.push({ positionId, tally: shown });
      }
      if (updates.length) this.io.local.to(consultationRoom(state.id)).emit("tallies.changed", { seq, updates });
    } catch (error) {
      this.options.log("error", "realtime tallies failed", { ...loggableError(error) });
    } finally {
      state.flushingTallies = false;
      if (state.dirty.size || state.dirtyAll) this.scheduleTallies(state);
    }
  }

  // ---- presence ----------------------------------------------------------------------------

  /** Distinct people here, plus those the other processes report (realtime/cluster.ts). */
  private presence(state: State): PresenceUpdate {
    return { present: showCount(state.viewers.size + (this.options.cluster?.remoteViewers(state.id) ?? 0), state.minGroupSize) };
  }

  private schedulePresence(state: State): void {
    if (state.closed || state.presenceTimer) return;
    const wait = Math.max(0, state.lastPresenceFlush + this.presenceCoalesceMs - Date.now());
    state.presenceTimer = setTimeout(() => {
      state.presenceTimer = null;
      if (state.closed) return;
      state.lastPresenceFlush = Date.now();
      if (this.options.cluster && state.announcedViewers !== state.viewers.size) {
        state.announcedViewers = state.viewers.size;
        this.options.cluster.announcePresence(state.id, state.viewers.size);
      }
      const update = this.presence(state);
      const shown = JSON.stringify(update);
      if (shown === state.shownPresence) return;
      state.shownPresence = shown;
      this.io.local.to(consultationRoom(state.id)).emit("presence.changed", update);
    }, wait);
  }
}

/**
 * Seqs of replayed events that name the author of a position or comment that is no longer visible
 * (hidden or withdrawn): their pseudonym is dropped for participants (see realtime/event-policy.ts).
 */
async function hiddenAuthors(db: Pick<Tx, "position" | "comment">, events: ConsultationEvent[]): Promise<Set<number>> {
  const positions = new Map<string, number[]>();
  const comments = new Map<string, number[]>();
  for (const event of events) {
    const rule = ruleFor(event.type);
    if (!rule.authorOf) continue;
    const id = event.payload[rule.authorOf.idField];
    if (typeof id !== "string") continue;
    const into = rule.authorOf.kind === "position" ? positions : comments;
    into.set(id, [...(into.get(id) ?? []), event.seq]);
  }
  const hidden = new Set<number>();
  const mark = (visible: Set<string>, byId: Map<string, number[]>) => {
    for (const [id, seqs] of byId) if (!visible.has(id)) for (const seq of seqs) hidden.add(seq);
  };
  if (positions.size) {
    const rows = await db.position.findMany({ where: { id: { in: [...positions.keys()] }, status: "visible" }, select: { id: true } });
    mark(new Set(rows.map((r) => r.id)), positions);
  }
  if (comments.size) {
    const rows = await db.comment.findMany({ where: { id: { in: [...comments.keys()] }, status: "visible" }, select: { id: true } });
    mark(new Set(rows.map((r) => r.id)), comments);
  }
  return hidden;
}
