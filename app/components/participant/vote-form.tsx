import { Form, useFetcher } from "@remix-run/react";
import { useTranslation } from "../../i18n-react";
import { useMessage } from "../../i18n";
import { labelKeys, VOTE_CHOICES, type VoteChoice } from "./labels";
import type { ParticipantResult } from "./results";
import { useHydrated } from "./use-hydrated";

interface VoteFormProps {
  positionId: string;
  myVote: VoteChoice | null;
  /** Where a plain (no JavaScript) post comes back to; the position's anchor is added. */
  returnTo: string;
  /** Big thumb-sized buttons (the vote-next page). */
  big?: boolean;
  /**
   * Navigate after voting (the vote-next page: the next position loads). Otherwise the vote is sent
   * with a fetcher, so the page neither reloads nor jumps.
   */
  navigate?: boolean;
  /** Words for the group's legend (read by screen readers); default "Your vote on this position". */
  legend?: string;
}

/**
 * Agree / Disagree / Pass buttons for one position. The current vote is pressed (aria-pressed and a
 * check mark, not only colour). Works as a plain form post without JavaScript.
 */
export function VoteForm({ positionId, myVote, returnTo, big, navigate, legend }: VoteFormProps) {
  const { t } = useTranslation();
  const m = useMessage();
  const fetcher = useFetcher<ParticipantResult>();
  const hydrated = useHydrated();
  const pending = fetcher.formData?.get("choice");
  const current = (typeof pending === "string" ? (pending as VoteChoice) : null) ?? myVote;
  const failed = !navigate && fetcher.data && !fetcher.data.ok ? fetcher.data : null;
  const FormComponent = navigate ? Form : fetcher.Form;

  const body = (
    <>
      <input type="hidden" name="intent" value="vote" />
      <input type="hidden" name="positionId" value={positionId} />
      <input type="hidden" name="returnTo" value={returnTo} />
      {hydrated && !navigate ? <input type="hidden" name="js" value="1" /> : null}
      <fieldset className="vote-group">
        <legend className="visually-hidden">{legend ?? t("participant.vote.legend")}</legend>
        <div className={big ? "vote-buttons vote-buttons-big" : "vote-buttons"}>
          {VOTE_CHOICES.map((choice) => {
            const pressed = current === choice;
            return (
              <button
                key={choice}
                type="submit"
                name="choice"
                value={choice}
                aria-pressed={pressed}
                className={`vote-button vote-${choice}${pressed ? " is-pressed" : ""}`}
              >
                {pressed ? <span aria-hidden="true">✓ </span> : null}
                {choice === "pass" && big ? t("participant.vote.passBig") : t(labelKeys.vote(choice))}
              </button>
            );
          })}
        </div>
      </fieldset>
      {failed ? (
        <p className="field-error" role="alert">
          {m(failed.message)}
        </p>
      ) : null}
    </>
  );

  return (
    <FormComponent method="post" className="vote-form" preventScrollReset={!navigate}>
      {body}
    </FormComponent>
  );
}
