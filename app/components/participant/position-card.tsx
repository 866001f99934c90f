import { Link } from "@remix-run/react";
import type { PositionView } from "../../../consultations/positions";
import { Markdown } from "../markdown";
import { ModerateForm, WithdrawPositionForm } from "./item-forms";
import { paths, plural, VOTE_LABELS } from "./labels";
import { TallyText } from "./tally";
import { VoteForm } from "./vote-form";

export type PositionItem = PositionView;

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
  if (!author) return null;
  return (
    <p className="byline small">
      By <strong>{author.pseudonym}</strong> <span className="muted">({author.groupName})</span>
      {author.enteredByOutreach ? <OutreachMark /> : null}
      {isMine ? <span className="badge badge-mine">yours</span> : null}
      {edited ? <span className="muted"> · edited</span> : null}
    </p>
  );
}

/**
 * The mark on a position an outreach worker entered for its author (with the author's consent). It never
 * says which outreach worker.
 */
export function OutreachMark() {
  return (
    <span className="badge badge-outreach" title="An outreach worker entered this position for this participant, with their consent.">
      Entered by outreach
    </span>
  );
}

/** What stands in place of a hidden or withdrawn text. */
export function RemovedNote({ status, note }: { status: string; note: string | null }) {
  if (status === "withdrawn") return <p className="removed">Withdrawn by participant</p>;
  if (status === "hidden") return <p className="removed">Hidden by moderator: {note || "no reason given"}</p>;
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
}

/**
 * One position in a list: its text (or what replaced it), author pseudonym and group, tally,
 * the viewer's vote, comment count and a link to the position's own page.
 */
export function PositionCard({ slug, position: p, voting, showMyVote, ownerActions, moderation, returnTo }: PositionCardProps) {
  const link = paths.position(slug, p.id);
  const removed = p.status !== "visible";
  return (
    <article id={`p-${p.id}`} className={`position card${removed ? " position-removed" : ""}${p.isMine ? " position-mine" : ""}`}>
      <RemovedNote status={p.status} note={p.moderationNote} />
      {p.bodyHtml ? (
        <>
          {p.status === "hidden" ? <p className="small muted">Only facilitators see this text:</p> : null}
          <Markdown html={p.bodyHtml} className="position-body" />
          <Byline author={p.author} isMine={p.isMine} edited={!!p.editedAt} />
        </>
      ) : p.isMine && p.status === "hidden" ? (
        <p className="small muted">This was your position.</p>
      ) : null}
      {p.status === "visible" ? (
        <>
          <TallyText tally={p.tally} positionId={p.id} />
          {showMyVote && p.myVote ? (
            <p className="small">
              Your vote: <strong>{VOTE_LABELS[p.myVote]}</strong>
            </p>
          ) : null}
          {voting && p.canVote ? <VoteForm positionId={p.id} myVote={p.myVote} returnTo={returnTo} /> : null}
        </>
      ) : null}
      <p className="position-links small">
        <Link to={link}>
          {p.status === "visible" ? `Open · ${plural(p.commentCount, "comment")}` : "Open"}
          {p.status === "visible" ? <span className="visually-hidden"> (position by {p.author?.pseudonym})</span> : null}
        </Link>
        {ownerActions && p.canEdit ? (
          <>
            {" · "}
            <Link to={`${link}?edit=1#edit`}>Edit</Link>
          </>
        ) : null}
      </p>
      {ownerActions && p.canWithdraw ? <WithdrawPositionForm id={p.id} returnTo={returnTo} /> : null}
      {moderation ? <ModerateForm target="position" id={p.id} status={p.status} returnTo={returnTo} /> : null}
    </article>
  );
}
