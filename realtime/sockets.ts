/**
 * socket.io, attached to the HTTP server. For now it only accepts same-origin connections and does
 * nothing else; rooms, session lookup and event fan-out come later.
 */
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { isSameOrigin } from "./origin";

export interface SocketOptions {
  /** See realtime/env.ts PUBLIC_ORIGIN. */
  publicOrigin?: string;
}

export function attachSockets(httpServer: HttpServer, options: SocketOptions = {}): Server {
  const io = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // Browsers always send Origin on WebSocket handshakes and cross-origin requests, so a foreign
    // Origin is refused. No Origin at all is a same-origin polling GET or a non-browser client
    // (which cannot ride on someone's cookies): allowed.
    allowRequest: (req, callback) => callback(null, isSameOrigin(req, options.publicOrigin, true)),
    cors: undefined,
    maxHttpBufferSize: 64 * 1024,
  });
  io.on("connection", (socket) => {
    // Nothing yet: the realtime layer adds authentication, rooms and events.
    socket.on("disconnect", () => {});
  });
  return io;
}
