/**
 * Type augmentations for Remix 2 (type-only; nothing here reaches the browser).
 * - Single Fetch typing, matching `future.v3_singleFetch` in remix.config.js.
 * - The load context realtime/server.ts passes to loaders, actions and entry.server.
 */
import "@remix-run/server-runtime";

declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    /** Per-request CSP nonce for inline scripts (set by realtime/server.ts; absent in tests). */
    cspNonce?: string;
    /**
     * The client's address (Express `req.ip`, see POLYPHONY_TRUST_PROXY), for per-network abuse limits
     * kept in memory (consultations/rate-limits.ts). Never stored or logged. Absent: no per-address limit.
     */
    clientAddress?: string | null;
  }
}
