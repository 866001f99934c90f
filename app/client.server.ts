/**
 * What the domain may know of the client sending a request: its address, for the per-network abuse
 * limits (consultations/rate-limits.ts), which keep it in memory only, keyed, never stored or logged.
 * realtime/app-server.ts puts it in the load context (Express `req.ip`).
 */
import type { AppLoadContext } from "@remix-run/node";
import type { ClientInfo } from "../consultations/rate-limits";

export function clientInfo(context: AppLoadContext | undefined): ClientInfo {
  const address = context?.clientAddress;
  return { address: typeof address === "string" && address ? address : null };
}
