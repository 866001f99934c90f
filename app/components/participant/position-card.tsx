import { Link } from "@remix-run/react";
import { Trans, useTranslation } from "../../i18n-react";
import type { PositionView } from "../../../consultations/positions";
import { Markdown } from "../markdown";
import { ModerateForm, WithdrawPositionForm } from "./item-forms";
import { labelKeys, paths, type VoteChoice } from "./labels";
import { TallyText } from "./tally";
import { VoteForm } from "./vote-form";

/**
 * A position as the list shows it. `language` (the language its author wrote it in) is optional until
 * the domain carries it on every position: when present, the text gets a `lang` attribute.
 */
export type PositionItem = PositionView & { language?: string | null };

/** The `lang` attribute for a text written in `language`, when it is known. */
export function langOf(item: unknown): string | undefined {
  const language = (item as { language?: unknown } | null)?.language;
  return typeof language === "string" && language ? language : undefined;
}

/** "Your vote: Agree" (read-only). */
export function MyVote({ choice }: { choice: VoteChoice }) {
  const { t } = useTranslation();
  return (
    <p className="small">
      <Trans i18nKey="participant.vote.yours" values={{ choice: t(labelKeys.vote(choice)) }} components={{ b: <strong /> }} />
    </p>
  );
}

/** "By Swift Fox 42 (Outreach workers)", "Entered by outreach", "yours", "edited". */
export function Byline({
  author,
  isMine,
  edited,
}: {
  author: { pseudonym: string; groupName: string; enteredByOutreach?: boolean } | null;
  isMine: boolean;
  edited: boolean;
}) {
  const { t } = useTranslation();
  if (!author) return null;
  return (
    <p className="byline small">
      <Trans
        i18nKey="participant.byline.by"
        values={{ pseudonym: author.pseudonym, group: author.groupName }}
        components={{ name: <strong />, group: <span className="muted" /> }}
      />
      {author.enteredByOutreach ? <OutreachMark /> : null}
      {isMine ? <span className="badge badge-mine">{t("participant.byline.yours")}</span> : null}
      {edited ? <span className="muted"> · {t("participant.byline.edited")}</span> : null}
    </p>
  );
}

/**
 * The mark on a position an outreach worker entered for its author (with the author's consent). It never
 * says which outreach worker.
 */
export function OutreachMark() {
  const { t } = useTranslation();
  return (
    <span className="badge badge-outreach" title={t("participant.byline.outreachTitle")}>
      {t("participant.byline.outreach")}
    </span>
  );
}

/** What stands in place of a hidden or withdrawn text. */
export function RemovedNote({ status, note }: { status: string; note: string | null }) {
  const { t } = useTranslation();
  if (status === "withdrawn") return <p className="removed">{t("participant.removed.withdrawn")}</p>;
  if (status === "hidden") {
    // The moderator's reason is in the moderator's words: it is not translated.
    return <p className="removed">{note ? t("participant.removed.hiddenBecause", { reason: note }) : t("participant.removed.hiddenNoReason")}</p>;
  }
  return null;
}

interface PositionCardProps {
  slug: string;
  position: PositionItem;
  /** Show agree / disagree / pass buttons (when the domain says canVote). */
  voting?: boolean;
  /** Show "Your vote: …" as text (read-only lists). */
  showMyVote?: boolean;
  /** Show withdraw and an edit link for own positions (when the domain allows). */
  ownerActions?: boolean;
  /** Facilitators: hide / restore in place. */
  moderation?: boolean;
  /** Path of the current page (query included), for posts without JavaScript to come back to. */
  returnTo: string;
  /**
   * The language the position is written in (its `lang` attribute). Optional: taken from
   * `position.language` when the domain provides it.
   */
  language?: string;
}

/**
 * One position in a list: its text (or what replaced it), author pseudonym and group, tally,
 * the viewer's vote, comment count and a link to the position's own page.
 */
export function PositionCard({ slug, position: p, voting, showMyVote, ownerActions, moderation, returnTo, language }: PositionCardProps) {
  const { t } = useTranslation();
  const lang = language ?? langOf(p);
  const link = paths.position(slug, p.id);
  const removed = p.status !== "visible";
  return (
    <article id={`p-${p.id}`} className={`position card${removed ? " position-removed" : ""}${p.isMine ? " position-mine" : ""}`}>
      <RemovedNote status={p.status} note={p.moderationNote} />
      {p.bodyHtml ? (
        <>
          {p.status === "hidden" ? <p className="small muted">{t("participant.removed.onlyFacilitators")}</p> : null}
          <Markdown html={p.bodyHtml} className="position-body" lang={lang} />
          <Byline author={p.author} isMine={p.isMine} edited={!!p.editedAt} />
        </>
      ) : p.isMine && p.status === "hidden" ? (
        <p className="small muted">{t("participant.removed.wasYours")}</p>
      ) : null}
      {p.status === "visible" ? (
        <>
          <TallyText tally={p.tally} positionId={p.id} />
          {showMyVote && p.myVote ? <MyVote choice={p.myVote} /> : null}
          {voting && p.canVote ? <VoteForm positionId={p.id} myVote={p.myVote} returnTo={returnTo} /> : null}
        </>
      ) : null}
      <p className="position-links small">
        <Link to={link}>
          {p.status !== "visible"
            ? t("participant.card.open")
            : p.commentCount === 0
              ? t("participant.card.openNoComments")
              : t("participant.card.openWithComments", { count: p.commentCount })}
          {p.status === "visible" && p.author ? (
            <span className="visually-hidden"> {t("participant.card.openWho", { pseudonym: p.author.pseudonym })}</span>
          ) : null}
        </Link>
        {ownerActions && p.canEdit ? (
          <>
            {" · "}
            <Link to={`${link}?edit=1#edit`}>{t("participant.card.edit")}</Link>
          </>
        ) : null}
      </p>
      {ownerActions && p.canWithdraw ? <WithdrawPositionForm id={p.id} returnTo={returnTo} /> : null}
      {moderation ? <ModerateForm target="position" id={p.id} status={p.status} returnTo={returnTo} /> : null}
    </article>
  );
}
