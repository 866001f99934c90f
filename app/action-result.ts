/** The result of a form action, shared by http.server.ts and components. Browser-safe (types only). */
export type ActionResult =
  | { ok: true; message?: string }
  | {
      ok: false;
      message: string;
      fieldErrors: Record<string, string[]>;
      /** What the person typed, to refill the form without JavaScript. Never include secrets. */
      values?: Record<string, string>;
    };

export type ActionFailure = Extract<ActionResult, { ok: false }>;
