/**
 * Who may do what. Pure: combines the viewer's role in a consultation with the phase rules.
 * Every loader, action and socket event goes through `authorize` (or `roleIn` for reading).
 */
import { DomainError, forbidden, unauthenticated } from "./errors";
import { phaseRefusal, type PhaseAction } from "./phases";
import type { Phase } from "./schemas";

/** A participant identity held by a session: one per consultation joined. */
export interface ParticipantIdentity {
  id: string;
  consultationId: string;
  groupId: string;
  pseudonym: string;
  status: "active" | "suspended";
}

export interface FacilitatorIdentity {
  id: string;
  organisationId: string;
  displayName: string;
}

/** Whoever sends a request: nobody, a facilitator, participant identities, or both. */
export interface Viewer {
  account: FacilitatorIdentity | null;
  participants: ParticipantIdentity[];
}

export const ANONYMOUS: Viewer = { account: null, participants: [] };

export interface ConsultationRef {
  id: string;
  organisationId: string;
  phase: Phase;
}

export type Role = "facilitator" | "participant" | "suspended" | "outsider";

/**
 * The viewer's role in a consultation. A facilitator of the owning organisation facilitates;
 * otherwise the session's participant identity for this consultation (if any) decides.
 */
export function roleIn(viewer: Viewer, consultation: ConsultationRef): Role {
  if (viewer.account && viewer.account.organisationId === consultation.organisationId) return "facilitator";
  const me = participantIn(viewer, consultation.id);
  if (!me) return "outsider";
  return me.status === "active" ? "participant" : "suspended";
}

export function participantIn(viewer: Viewer, consultationId: string): ParticipantIdentity | null {
  return viewer.participants.find((p) => p.consultationId === consultationId) ?? null;
}

export type ConsultationAction =
  | "read"
  | "submitPosition"
  | "editPosition"
  | "withdrawPosition"
  | "vote"
  | "comment"
  | "editComment"
  | "withdrawComment"
  | "flag"
  | "moderate"
  | "editDetails"
  | "editStructure"
  | "invite"
  | "movePhase"
  | "viewParticipation"
  | "runLiveSession";

const PARTICIPANT_ACTIONS: ReadonlySet<ConsultationAction> = new Set([
  "read",
  "submitPosition",
  "editPosition",
  "withdrawPosition",
  "vote",
  "comment",
  "editComment",
  "withdrawComment",
  "flag",
]);

const FACILITATOR_ACTIONS: ReadonlySet<ConsultationAction> = new Set([
  "read",
  "moderate",
  "editDetails",
  "editStructure",
  "invite",
  "movePhase",
  "viewParticipation",
  "runLiveSession",
]);

/** Whether the role may take the action at all, before phase rules. */
export function roleAllows(role: Role, action: ConsultationAction): boolean {
  switch (role) {
    case "facilitator":
      return FACILITATOR_ACTIONS.has(action);
    case "participant":
      return PARTICIPANT_ACTIONS.has(action);
    case "suspended":
      return action === "read";
    case "outsider":
      return false;
  }
}

/**
 * Throws unless the viewer may take the action in this consultation now.
 * Outsiders get "not found" (a consultation's existence is not disclosed), anonymous viewers
 * "unauthenticated"; a role or phase that does not allow it gets "forbidden" with the reason.
 */
export function authorize(viewer: Viewer, consultation: ConsultationRef, action: ConsultationAction): Role {
  const role = roleIn(viewer, consultation);
  if (role === "outsider") {
    if (!viewer.account && viewer.participants.length === 0) throw unauthenticated();
    throw new DomainError("not_found", "This consultation was not found.");
  }
  if (!roleAllows(role, action)) {
    throw forbidden(
      role === "suspended"
        ? "Your participation in this consultation is suspended."
        : role === "facilitator"
          ? "Facilitators cannot do this as a participant."
          : "Only facilitators can do this.",
    );
  }
  if (action !== "read" && action !== "viewParticipation" && action !== "movePhase") {
    const refusal = phaseRefusal(consultation.phase, action as PhaseAction);
    if (refusal) throw forbidden(refusal);
  }
  return role;
}
