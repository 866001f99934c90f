import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const TITLES: Record<number, string> = {
  400: "This request could not be understood",
  401: "Please sign in",
  403: "You cannot do this",
  404: "Page not found",
  405: "This cannot be done here",
  409: "This clashes with something that changed",
  413: "This is too large",
  422: "Something needs correcting",
  429: "Too many attempts",
};

const EXPLANATIONS: Record<number, string> = {
  400: "Please go back and try again.",
  401: "You need to sign in, or use your invitation or recovery code, to see this page.",
  403: "You do not have permission to do this here.",
  404: "We could not find this page. The link may be wrong, or it may have been removed.",
  405: "Please go back and try again.",
  409: "Someone else changed this at the same time. Reload the page and try again.",
  413: "Please shorten what you sent and try again.",
  422: "Please go back and check what you entered.",
  429: "Please wait a few minutes before trying again.",
};

const GENERIC = "Something went wrong on our side. Please try again in a moment.";

/**
 * The error page. Thrown Responses (e.g. from `loaderError`) show their status and message; any
 * other error shows a generic message only (never a stack trace or internal details).
 * Used as the root ErrorBoundary; a route can use it too: `export { GeneralErrorBoundary as ErrorBoundary }`.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let status = 500;
  let title = "Something went wrong";
  let message = GENERIC;

  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (status < 500) {
      title = TITLES[status] ?? "This did not work";
      // Messages in thrown Responses come from DomainError texts, written for people; the router's
      // own errors (no route matched, method not allowed) are marked `internal` and read badly.
      const internal = (error as { internal?: boolean }).internal === true;
      const text = typeof error.data === "string" ? error.data.trim() : "";
      const own = !internal && text && text.length < 500 ? text : null;
      message = own ?? EXPLANATIONS[status] ?? "Please go back and try again.";
    }
  }

  return (
    <section className="container stack error-page" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p className="muted">Error {status}</p>
      <p>{message}</p>
      {status === 401 ? (
        <p>
          <Link to="/">Go to the start page</Link> to use your code, or <Link to="/login">sign in as a facilitator</Link>.
        </p>
      ) : (
        <p>
          <Link to="/">Go to the start page</Link>
        </p>
      )}
    </section>
  );
}
