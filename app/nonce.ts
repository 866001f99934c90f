import { createContext, useContext } from "react";

/**
 * The per-request CSP nonce, provided by entry.server.tsx (from the load context) and read by root.tsx
 * for <Scripts>/<ScrollRestoration>. Empty in the browser (browsers hide nonces from the DOM anyway).
 */
const NonceContext = createContext<string | undefined>(undefined);
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
