/**
 * URL helpers shared by routes and components. Browser-safe: no Node imports.
 */

/** Where a participant continues in a consultation. */
export function consultationPath(slug: string): string {
  return `/c/${encodeURIComponent(slug)}`;
}

/** The login page, coming back to `next` afterwards. */
export function loginPath(next?: string | null): string {
  return next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login";
}

/**
 * `to` when it is a path on this site ("/x", not "//evil.example" or "/\\evil"), else `fallback`.
 * Use for every redirect target that comes from the request (`?next=`, hidden inputs).
 */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2000) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // Control characters and backslashes can turn a path into another origin in some browsers.
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  return to;
}
