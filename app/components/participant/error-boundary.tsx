import { isRouteErrorResponse, Link, useParams, useRouteError } from "@remix-run/react";
import { useTranslation } from "../../i18n-react";
import { GeneralErrorBoundary } from "../error-boundary";
import { paths } from "./labels";

/**
 * The app's error page, plus, on a consultation's pages, the way back in: someone who took part on
 * another phone lands here (this session does not know them) and needs the "come back" form.
 * The link shows for every 401/403/404, so it says nothing about whether the consultation exists.
 */
export function ParticipantErrorBoundary() {
  const error = useRouteError();
  const { slug } = useParams();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const { t } = useTranslation();
  return (
    <>
      <GeneralErrorBoundary />
      {slug && (status === 401 || status === 404) ? (
        <div className="container">
          <p className="notice">
            {t("participant.errorBoundary.otherPhone")}{" "}
            <Link to={paths.back(slug)}>{t("participant.errorBoundary.comeBack")}</Link>
          </p>
        </div>
      ) : null}
    </>
  );
}
