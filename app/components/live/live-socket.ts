/**
 * The socket behind a consultation's live layer. Loaded with a dynamic import() once a page that uses
 * live updates has hydrated, so socket.io-client (~14 KB gzipped) is never in a page's first download and
 * never in pages without live updates.
 *
 * Same origin, path /socket.io, WebSocket first with HTTP long-polling as the fallback. After every
 * (re)connection it joins the consultation with the last sequence number it knows, so the server replays
 * whatever happened in between. The browser's own offline / online events pause and resume it at once
 * (a phone that lost its data connection does not wait for a ping timeout).
 */
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ConsultationEventPayload, JoinedData, ServerToClientEvents } from "../../../realtime/event-map";
// Types only from ./store: a value import would make the page bundle and this chunk share a module,
// which splits React out of the page's main chunk into one more file to download.
import type { LiveStore } from "./store";

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a join waits for its acknowledgement before it counts as failed, ms. */
const ACK_TIMEOUT_MS = 8000;
/** Wait before joining again after a refusal that may pass (busy, server error), ms. */
const JOIN_RETRY_MS = 3000;
/** Remembered sequence numbers, to drop an event that would arrive twice. */
const SEEN_MAX = 2000;

function isEvent(value: unknown): value is ConsultationEventPayload {
  const e = value as ConsultationEventPayload | null;
  return !!e && typeof e.seq === "number" && typeof e.type === "string" && typeof e.data === "object" && e.data !== null;
}

/** Opens the connection; returns the function that closes it. */
export function connectLive(store: LiveStore): () => void {
  const socket: LiveSocket = io({
    path: "/socket.io",
    transports: ["websocket", "polling"],
    // If the WebSocket cannot be opened (a proxy that blocks upgrades), try long-polling.
    tryAllTransports: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 15_000,
    timeout: 15_000,
    autoConnect: false,
  });

  /** Events received while a join waits for its acknowledgement are the replay. */
  let joining = false;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const seen = new Set<number>();

  const remember = (seq: number) => {
    seen.add(seq);
    if (seen.size > SEEN_MAX) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
  };

  const offline = () => typeof navigator !== "undefined" && navigator.onLine === false;

  function join() {
    joining = true;
    const afterSeq = store.lastSeq;
    socket.timeout(ACK_TIMEOUT_MS).emit("consultation.join", { slug: store.slug, afterSeq }, (error: Error | null, result?: Ack<JoinedData>) => {
      joining = false;
      if (closed || !socket.connected) return;
      if (error || !result) {
        // No answer: drop the connection and let socket.io's reconnection try again.
        socket.disconnect().connect();
        return;
      }
      if (!result.ok) {
        const { status, message } = result.error;
        if (status === 401 || status === 403 || status === 404) {
          // Not allowed (signed out, suspended, no such consultation): no point in trying again.
          store.setStatus("offline", store.texts.t("live.note.refusedBecause", { reason: store.texts.m(message) }));
          socket.disconnect();
        } else {
          // Busy (429), a join still running (409), a server error: try again in a moment.
          store.setStatus("reconnecting");
          retryTimer = setTimeout(() => {
            retryTimer = null;
            if (!closed && socket.connected) join();
          }, JOIN_RETRY_MS);
        }
        return;
      }
      // The server replayed everything after afterSeq this viewer may see, up to `seq`, before it put
      // the socket in the room: from here on the room brings each later event once, in order.
      const { seq } = result.data;
      store.noteSeq(seq);
      store.setStatus("connected");
    });
  }

  // Connected counts once joined (the replay is in); until then the status stays connecting / reconnecting.
  socket.on("connect", join);

  socket.on("disconnect", (reason) => {
    joining = false;
    if (closed || store.status === "ended") return;
    if (offline()) store.setStatus("offline");
    else if (reason === "io server disconnect") store.setStatus("offline", store.texts.t("live.note.serverClosed"));
    else if (reason !== "io client disconnect") store.setStatus("reconnecting");
  });

  socket.on("connect_error", () => {
    if (closed) return;
    if (offline()) store.setStatus("offline");
    // socket.active: socket.io keeps retrying. Otherwise the server refused the connection outright.
    else store.setStatus(socket.active ? "reconnecting" : "offline", socket.active ? null : store.texts.t("live.note.refused"));
  });

  socket.on("consultation.event", (event) => {
    if (!isEvent(event) || seen.has(event.seq)) return;
    remember(event.seq);
    store.receiveEvent(event, joining);
  });

  socket.on("tallies.changed", (changed) => {
    if (!changed || !Array.isArray(changed.updates)) return;
    // Votes are folded into tallies (not sent one by one): their seqs are covered by this one.
    if (typeof changed.seq === "number") store.noteSeq(changed.seq);
    store.setTallies(changed.updates.filter((u) => u && typeof u.positionId === "string" && u.tally));
  });

  socket.on("presence.changed", (update) => {
    if (update?.present) store.setPresence(update.present);
  });

  socket.on("session.ended", (reason) => {
    const why = reason?.message ? store.texts.m(reason.message) : store.texts.t("live.note.sessionEnded");
    store.setStatus("ended", store.texts.t("live.note.ended", { reason: why }));
    socket.disconnect();
  });

  const goOffline = () => {
    // The browser knows the network is gone: stop at once rather than wait for a ping timeout.
    store.setStatus("offline");
    socket.disconnect();
  };
  const goOnline = () => {
    if (closed || store.status === "ended" || socket.connected) return;
    store.setStatus("reconnecting");
    socket.connect();
  };
  window.addEventListener("offline", goOffline);
  window.addEventListener("online", goOnline);

  if (offline()) store.setStatus("offline");
  else {
    store.setStatus("connecting");
    socket.connect();
  }

  return () => {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    window.removeEventListener("offline", goOffline);
    window.removeEventListener("online", goOnline);
    socket.removeAllListeners();
    socket.disconnect();
  };
}
