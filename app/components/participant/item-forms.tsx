/**
 * Small forms for one position or comment: flag (participants), hide / restore (facilitators),
 * withdraw (authors). Each sits in a <details> so it takes one line until opened, with or without
 * JavaScript.
 */
import { Form, useActionData, useFetcher } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "../../i18n-react";
import { useMessage } from "../../i18n";
import { Field } from "../field";
import { LIMITS } from "./labels";
import type { ParticipantResult } from "./results";
import { failureFor, successFor } from "./results";
import { useHydrated } from "./use-hydrated";
import { useResetOnSuccess } from "./use-reset-on-success";

type Target = "position" | "comment";

const REASON_MAX = LIMITS.reasonMax;

/** "Flag": a reason for the moderators. Sent with a fetcher when JavaScript runs (no reload). */
export function FlagForm({ target, id }: { target: Target; id: string }) {
  const fetcher = useFetcher<ParticipantResult>();
  const hydrated = useHydrated();
  const pageResult = useActionData<ParticipantResult>();
  const result = fetcher.data ?? pageResult;
  const failed = failureFor(result, "flag", id);
  const done = successFor(result, "flag", id);
  const busy = fetcher.state !== "idle";
  const { t } = useTranslation();
  const m = useMessage();
  if (done) {
    return (
      <p className="notice notice-success small" role="status">
        {done.message ? m(done.message) : null}
      </p>
    );
  }
  return (
    <details className="item-action" open={failed ? true : undefined}>
      <summary>{t("participant.flag.summary")}</summary>
      <fetcher.Form method="post" className="stack-tight" preventScrollReset>
        <input type="hidden" name="intent" value="flag" />
        <input type="hidden" name="target" value={target} />
        <input type="hidden" name="id" value={id} />
        {hydrated ? <input type="hidden" name="js" value="1" /> : null}
        <Field
          label={target === "position" ? t("participant.flag.labelPosition") : t("participant.flag.labelComment")}
          hint={t("participant.flag.hint")}
          name="reason"
          maxLength={REASON_MAX}
          required
          defaultValue={failed?.values?.reason ?? ""}
          errors={failed ? (failed.fieldErrors.reason ?? [failed.message]) : null}
        />
        <button type="submit" className="button button-secondary button-small" disabled={busy}>
          {busy ? t("participant.flag.sending") : t("participant.flag.send")}
        </button>
      </fetcher.Form>
    </details>
  );
}

/** Facilitators: "Hide…" with a reason shown in place of the text, or "Restore" for hidden content. */
export function ModerateForm({ target, id, status, returnTo }: { target: Target; id: string; status: string; returnTo: string }) {
  const result = useActionData<ParticipantResult>();
  const hideRef = useResetOnSuccess((data) => data.get("intent") === "hide" && data.get("id") === id);
  const restoreFailed = failureFor(result, "restore", id);
  const hideFailed = failureFor(result, "hide", id);
  const { t } = useTranslation();
  const m = useMessage();
  if (status === "hidden") {
    return (
      <Form method="post" className="inline-form item-action" preventScrollReset>
        <input type="hidden" name="intent" value="restore" />
        <input type="hidden" name="target" value={target} />
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <button type="submit" className="button button-secondary button-small">
          {t("participant.moderate.restore")}
        </button>
        {restoreFailed ? (
          <p className="field-error" role="alert">
            {m(restoreFailed.message)}
          </p>
        ) : null}
      </Form>
    );
  }
  if (status !== "visible") return null;
  return (
    <details className="item-action" open={hideFailed ? true : undefined}>
      <summary>{t("participant.moderate.hide")}</summary>
      <Form method="post" className="stack-tight" preventScrollReset ref={hideRef}>
        <input type="hidden" name="intent" value="hide" />
        <input type="hidden" name="target" value={target} />
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <Field
          label={t("participant.moderate.reason")}
          name="reason"
          maxLength={REASON_MAX}
          required
          defaultValue={hideFailed?.values?.reason ?? ""}
          errors={hideFailed ? (hideFailed.fieldErrors.reason ?? [hideFailed.message]) : null}
        />
        <button type="submit" className="button button-danger button-small">
          {target === "position" ? t("participant.moderate.hidePosition") : t("participant.moderate.hideComment")}
        </button>
      </Form>
    </details>
  );
}

/** Authors: withdraw an own position (asks once more, since it cannot be undone). */
export function WithdrawPositionForm({ id, returnTo }: { id: string; returnTo: string }) {
  const result = useActionData<ParticipantResult>();
  const failed = failureFor(result, "withdraw", id);
  const hintId = useId();
  const { t } = useTranslation();
  const m = useMessage();
  return (
    <details className="item-action" open={failed ? true : undefined}>
      <summary>{t("participant.withdraw.summary")}</summary>
      <Form method="post" className="stack-tight" preventScrollReset>
        <input type="hidden" name="intent" value="withdraw" />
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <p className="small" id={hintId}>
          {t("participant.withdraw.hint")}
        </p>
        <button type="submit" className="button button-danger button-small" aria-describedby={hintId}>
          {t("participant.withdraw.button")}
        </button>
        {failed ? (
          <p className="field-error" role="alert">
            {m(failed.message)}
          </p>
        ) : null}
      </Form>
    </details>
  );
}

/** Above the page, for posts without JavaScript: the outcome and a link down to the form. */
export function PageNotice({ result, anchorFor }: { result: ParticipantResult | null | undefined; anchorFor?: (result: ParticipantResult) => string | null }) {
  const { t } = useTranslation();
  const m = useMessage();
  if (!result || !result.message || (result.ok && result.intent === "preview")) return null;
  const anchor = anchorFor?.(result) ?? null;
  return (
    <div className={result.ok ? "notice notice-success" : "notice notice-error"} role={result.ok ? "status" : "alert"}>
      <p>
        {m(result.message)}
        {anchor ? (
          <>
            {" "}
            <a href={`#${anchor}`}>{result.ok ? t("participant.notice.backToPlace") : t("participant.notice.toForm")}</a>
          </>
        ) : null}
      </p>
    </div>
  );
}
