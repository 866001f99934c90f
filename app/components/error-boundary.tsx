import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "../i18n-react";
import { useMessage } from "../i18n";

/** Statuses with their own title and explanation in the locale files (errors.title.<status>). */
const KNOWN = new Set([400, 401, 403, 404, 405, 409, 413, 422, 429]);

/**
 * The error page. Thrown Responses (e.g. from `loaderError`) show their status and message; any
 * other error shows a generic message only (never a stack trace or internal details).
 * Used as the root ErrorBoundary; a route can use it too: `export { GeneralErrorBoundary as ErrorBoundary }`.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const m = useMessage();
  let status = 500;
  let title = t("errors.title.500");
  let message = t("errors.generic");

  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (status < 500) {
      title = KNOWN.has(status) ? t(`errors.title.${status}`) : t("errors.title.other");
      // Messages in thrown Responses come from DomainError texts, written for people; the router's
      // own errors (no route matched, method not allowed) are marked `internal` and read badly.
      const internal = (error as { internal?: boolean }).internal === true;
      const text = typeof error.data === "string" ? error.data.trim() : "";
      const own = !internal && text && text.length < 500 ? text : null;
      message = own ? m(own) : KNOWN.has(status) ? t(`errors.explanation.${status}`) : t("errors.explanation.other");
    }
  }

  return (
    <section className="container stack error-page" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p className="muted">{t("errors.code", { status })}</p>
      <p>{message}</p>
      {status === 401 ? (
        <p>
          <Link to="/">{t("errors.toStart")}</Link> {t("errors.orSignIn")} <Link to="/login" reloadDocument>{t("errors.signInFacilitator")}</Link>
        </p>
      ) : (
        <p>
          <Link to="/">{t("errors.toStart")}</Link>
        </p>
      )}
    </section>
  );
}
