import { DomainError } from "./errors";
import {
  ANONYMOUS,
  authorize,
  participantIn,
  roleAllows,
  roleIn,
  type ConsultationAction,
  type ConsultationRef,
  type ParticipantIdentity,
  type Viewer,
} from "./permissions";
import type { Phase } from "./schemas";

const ORG = "org-a";
const OTHER_ORG = "org-b";
const consultation = (phase: Phase = "positions", id = "c-1"): ConsultationRef => ({ id, organisationId: ORG, phase });

const facilitator = (organisationId = ORG): Viewer => ({
  account: { id: `acc-${organisationId}`, organisationId, displayName: "Fac" },
  participants: [],
});
const identity = (consultationId = "c-1", status: "active" | "suspended" = "active"): ParticipantIdentity => ({
  id: `p-${consultationId}-${status}`,
  consultationId,
  groupId: "g-1",
  pseudonym: "Swift Fox",
  status,
});
const participant = (consultationId = "c-1", status: "active" | "suspended" = "active"): Viewer => ({
  account: null,
  participants: [identity(consultationId, status)],
});

/** Runs authorize and returns the DomainError it throws (fails the test if it does not throw one). */
function refusal(viewer: Viewer, ref: ConsultationRef, action: ConsultationAction): DomainError {
  try {
    authorize(viewer, ref, action);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`expected authorize(${action}) to throw`);
}

describe("roleIn", () => {
  it("facilitator of the owning organisation facilitates", () => {
    expect(roleIn(facilitator(), consultation())).toBe("facilitator");
  });

  it("facilitator of another organisation is an outsider", () => {
    expect(roleIn(facilitator(OTHER_ORG), consultation())).toBe("outsider");
  });

  it("active participant identity of this consultation participates", () => {
    expect(roleIn(participant(), consultation())).toBe("participant");
  });

  it("suspended participant identity is 'suspended'", () => {
    expect(roleIn(participant("c-1", "suspended"), consultation())).toBe("suspended");
  });

  it("participant of another consultation is an outsider here", () => {
    expect(roleIn(participant("c-2"), consultation())).toBe("outsider");
  });

  it("anonymous is an outsider", () => {
    expect(roleIn(ANONYMOUS, consultation())).toBe("outsider");
  });

  it("an account of another org that also holds a participant identity here participates", () => {
    // a facilitator of org B taking part in org A's consultation on the same device
    const viewer: Viewer = { account: facilitator(OTHER_ORG).account, participants: [identity("c-1")] };
    expect(roleIn(viewer, consultation())).toBe("participant");
  });

  it("the owning facilitator facilitates even when also holding a participant identity", () => {
    const viewer: Viewer = { account: facilitator().account, participants: [identity("c-1")] };
    expect(roleIn(viewer, consultation())).toBe("facilitator");
  });

  it("participantIn picks the identity of the consultation asked for", () => {
    const viewer: Viewer = { account: null, participants: [identity("c-2"), identity("c-1")] };
    expect(participantIn(viewer, "c-1")?.id).toBe("p-c-1-active");
    expect(participantIn(viewer, "c-3")).toBeNull();
  });
});

describe("roleAllows", () => {
  it("facilitators cannot act as participants", () => {
    for (const action of ["vote", "submitPosition", "comment", "flag", "editPosition"] as const) {
      expect(roleAllows("facilitator", action)).toBe(false);
    }
    for (const action of ["read", "moderate", "editDetails", "editStructure", "invite", "movePhase", "viewParticipation", "runLiveSession"] as const) {
      expect(roleAllows("facilitator", action)).toBe(true);
    }
  });

  it("participants cannot facilitate", () => {
    for (const action of ["moderate", "editDetails", "editStructure", "invite", "movePhase", "viewParticipation", "runLiveSession"] as const) {
      expect(roleAllows("participant", action)).toBe(false);
    }
  });

  it("suspended participants may only read", () => {
    expect(roleAllows("suspended", "read")).toBe(true);
    for (const action of ["vote", "submitPosition", "comment", "flag", "withdrawPosition", "runLiveSession"] as const) {
      expect(roleAllows("suspended", action)).toBe(false);
    }
  });

  it("outsiders may do nothing, not even read", () => {
    expect(roleAllows("outsider", "read")).toBe(false);
  });
});

describe("authorize", () => {
  it("returns the role when allowed", () => {
    expect(authorize(facilitator(), consultation("draft"), "editStructure")).toBe("facilitator");
    expect(authorize(participant(), consultation("positions"), "vote")).toBe("participant");
    expect(authorize(participant("c-1", "suspended"), consultation("positions"), "read")).toBe("suspended");
  });

  it("anonymous -> unauthenticated (401)", () => {
    const error = refusal(ANONYMOUS, consultation(), "read");
    expect(error.kind).toBe("unauthenticated");
    expect(error.status).toBe(401);
    expect(error.message).toBe("Please sign in first.");
  });

  it("facilitator of another organisation -> not_found (existence not disclosed)", () => {
    const error = refusal(facilitator(OTHER_ORG), consultation(), "read");
    expect(error.kind).toBe("not_found");
    expect(error.status).toBe(404);
    expect(error.message).toBe("This consultation was not found.");
    // the same for a write
    expect(refusal(facilitator(OTHER_ORG), consultation("draft"), "moderate").kind).toBe("not_found");
  });

  it("participant of another consultation -> not_found", () => {
    const error = refusal(participant("c-2"), consultation(), "vote");
    expect(error.kind).toBe("not_found");
  });

  it("facilitators cannot vote (forbidden, with the reason)", () => {
    const error = refusal(facilitator(), consultation("positions"), "vote");
    expect(error.kind).toBe("forbidden");
    expect(error.status).toBe(403);
    expect(error.message).toBe("Facilitators cannot do this as a participant.");
  });

  it("participants cannot moderate", () => {
    const error = refusal(participant(), consultation("positions"), "moderate");
    expect(error.kind).toBe("forbidden");
    expect(error.message).toBe("Only facilitators can do this.");
    expect(refusal(participant(), consultation("draft"), "movePhase").message).toBe("Only facilitators can do this.");
  });

  it("suspended participants can read but not vote", () => {
    expect(authorize(participant("c-1", "suspended"), consultation("positions"), "read")).toBe("suspended");
    const error = refusal(participant("c-1", "suspended"), consultation("positions"), "vote");
    expect(error.kind).toBe("forbidden");
    expect(error.message).toBe("Your participation in this consultation is suspended.");
  });

  it("the phase refuses what the role allows", () => {
    // active participant votes during synthesis
    const vote = refusal(participant(), consultation("synthesis"), "vote");
    expect(vote.kind).toBe("forbidden");
    expect(vote.message).toBe("Voting is only open during the positions and deliberation phases.");
    // facilitator changes questions after draft
    const structure = refusal(facilitator(), consultation("positions"), "editStructure");
    expect(structure.message).toBe("Stakeholder groups and questions can only be changed in the draft phase.");
    // facilitator moderates after publication
    expect(refusal(facilitator(), consultation("published"), "moderate").message).toBe("Nothing changes after the report is published.");
  });

  it("role is checked before phase (a facilitator voting in synthesis hears about the role)", () => {
    expect(refusal(facilitator(), consultation("synthesis"), "vote").message).toBe("Facilitators cannot do this as a participant.");
  });

  it("read, viewParticipation and movePhase are not phase-gated", () => {
    for (const phase of ["draft", "positions", "deliberation", "synthesis", "published"] as const) {
      expect(authorize(facilitator(), consultation(phase), "read")).toBe("facilitator");
      expect(authorize(facilitator(), consultation(phase), "viewParticipation")).toBe("facilitator");
      expect(authorize(facilitator(), consultation(phase), "movePhase")).toBe("facilitator");
      expect(authorize(participant(), consultation(phase), "read")).toBe("participant");
    }
  });
});
