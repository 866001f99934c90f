import { getDb } from "../../consultations/db/client";
import {
  addGroup,
  addQuestion,
  createConsultation as createConsultationService,
  getConsultation,
  getSetup,
  listForOrganisation,
  movePhase,
  participationByGroup,
  removeGroup,
  removeQuestion,
  setSchedule,
  updateDetails,
} from "../../consultations/consultations";
import { findConsultation } from "../../consultations/access";
import { ANONYMOUS } from "../../consultations/permissions";
import { submitPosition } from "../../consultations/positions";
import { onEvent, type ConsultationEvent } from "../../consultations/events";
import {
  createColleague,
  createConsultation,
  createFacilitator,
  domainError,
  eventsOf,
  joinMany,
  joinParticipant,
  moveToPhase,
  unique,
  voteAll,
  submit,
} from "../factories";

describe("createConsultation", () => {
  it("creates a draft consultation with its groups, keys and order", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const slug = unique("harm-reduction");
    const created = await createConsultationService(db, fac.viewer, {
      title: "Harm reduction in prisons",
      slug: slug.toUpperCase(), // slugs are lower-cased
      description: "What should change?",
      groups: "Peers who use drugs\nPolice\n\nPolicymakers (national)\nPéers who use drugs!",
    });
    expect(created.slug).toBe(slug);
    const row = await db.consultation.findUniqueOrThrow({ where: { id: created.id }, include: { groups: { orderBy: { sortOrder: "asc" } } } });
    expect(row.phase).toBe("draft");
    expect(row.organisationId).toBe(fac.account.organisationId);
    expect(row.maxPositionLength).toBe(600);
    expect(row.minGroupSize).toBe(5);
    expect(row.groups.map((g) => [g.name, g.key, g.sortOrder])).toEqual([
      ["Peers who use drugs", "peers-who-use-drugs", 0],
      ["Police", "police", 1],
      ["Policymakers (national)", "policymakers-national", 2],
      // accents folded: the same key as the first one, so it gets a suffix
      ["Péers who use drugs!", "peers-who-use-drugs-2", 3],
    ]);
    // one consultation.created event, numbered 1
    const events = await eventsOf(created.id);
    expect(events.map((e) => [e.seq, e.type, e.actorKind])).toEqual([[1, "consultation.created", "facilitator"]]);
  });

  it("slug conflict -> 409 conflict", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const other = await createFacilitator();
    const c = await createConsultation(fac);
    // another organisation tries the same web address
    const error = await domainError(
      createConsultationService(db, other.viewer, { title: "T", slug: c.slug, description: "D", groups: "Peers" }),
    );
    expect(error).toMatchObject({ kind: "conflict", status: 409, message: "This web address is already used by another consultation." });
    expect(await db.consultation.count({ where: { slug: c.slug } })).toBe(1);
  });

  it("refuses invalid input with field errors", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const error = await domainError(createConsultationService(db, fac.viewer, { title: "", slug: "No Spaces", description: "D", groups: "" }));
    expect(error.kind).toBe("invalid");
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["groups", "slug", "title"]);
  });

  it("only facilitators create consultations", async () => {
    const db = await getDb();
    const error = await domainError(createConsultationService(db, ANONYMOUS, { title: "T", slug: unique("s"), description: "D", groups: "A" }));
    expect(error.kind).toBe("forbidden");
  });

  it("lists the organisation's consultations only, with counts", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const colleague = await createColleague(fac);
    const stranger = await createFacilitator();
    const c = await createConsultation(fac, { questions: ["Q1", "Q2"] });
    await createConsultation(stranger);
    const list = await listForOrganisation(db, colleague.viewer);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ slug: c.slug, phase: "draft", questions: 2, participants: 0, positions: 0 });
  });
});

describe("movePhase", () => {
  it("needs a question before opening positions", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { questions: [] });
    const error = await domainError(movePhase(db, fac.viewer, c.key, { to: "positions" }));
    expect(error).toMatchObject({ kind: "conflict", message: "Add at least one question before opening positions." });
    // after adding a question it works
    await addQuestion(db, fac.viewer, c.key, { title: "What works?" });
    expect(await movePhase(db, fac.viewer, c.key, { to: "positions" })).toEqual({ from: "draft", to: "positions" });
  });

  it("moves one step forward or back, never jumps", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    // skipping positions
    const jump = await domainError(movePhase(db, fac.viewer, c.key, { to: "deliberation" }));
    expect(jump).toMatchObject({ kind: "conflict", message: "The phase can only move one step forward or back." });
    await movePhase(db, fac.viewer, c.key, { to: "positions" });
    await movePhase(db, fac.viewer, c.key, { to: "deliberation" });
    // one step back
    await movePhase(db, fac.viewer, c.key, { to: "positions" });
    const row = await db.consultation.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.phase).toBe("positions");
    const events = (await eventsOf(c.id)).filter((e) => e.type === "phase.changed");
    expect(events.map((e) => e.data)).toEqual([
      { from: "draft", to: "positions" },
      { from: "positions", to: "deliberation" },
      { from: "deliberation", to: "positions" },
    ]);
  });

  it("published is final", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "published" });
    const error = await domainError(movePhase(db, fac.viewer, c.key, { to: "synthesis" }));
    expect(error).toMatchObject({ kind: "conflict", message: "The report is published: the consultation is closed for good." });
  });

  it("refuses an unknown phase as invalid", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    expect((await domainError(movePhase(db, fac.viewer, c.key, { to: "archived" }))).kind).toBe("invalid");
  });

  it("participants cannot move phases; other organisations do not see the consultation", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const stranger = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const member = await joinParticipant(fac, c, "Police");
    expect(await domainError(movePhase(db, member.viewer, c.key, { to: "deliberation" }))).toMatchObject({
      kind: "forbidden",
      message: "Only facilitators can do this.",
    });
    expect((await domainError(movePhase(db, stranger.viewer, c.key, { to: "deliberation" }))).kind).toBe("not_found");
    expect((await domainError(movePhase(db, ANONYMOUS, c.key, { to: "deliberation" }))).kind).toBe("unauthenticated");
    // a colleague in the same organisation may
    const colleague = await createColleague(fac);
    expect(await movePhase(db, colleague.viewer, c.key, { to: "deliberation" })).toEqual({ from: "positions", to: "deliberation" });
  });
});

describe("scheduled phases", () => {
  it("a passed date moves the phase forward on the next read, recording phase.changed exactly once", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const positionsAt = new Date(Date.now() + 60 * 60 * 1000);
    await setSchedule(db, fac.viewer, c.key, { positionsAt: positionsAt.toISOString() });
    const published: ConsultationEvent[] = [];
    const stop = onEvent((e) => {
      if (e.consultationId === c.id) published.push(e);
    });
    try {
      // before the date: nothing moves
      expect((await findConsultation(db, c.key, new Date(positionsAt.getTime() - 1)))?.phase).toBe("draft");
      // after: several concurrent reads and a later one
      const later = new Date(positionsAt.getTime() + 1000);
      const reads = await Promise.all([findConsultation(db, c.key, later), findConsultation(db, c.key, later), findConsultation(db, { id: c.id }, later)]);
      expect(reads.map((r) => r?.phase)).toEqual(["positions", "positions", "positions"]);
      expect((await findConsultation(db, c.key, later))?.phase).toBe("positions");
    } finally {
      stop();
    }
    const changes = (await eventsOf(c.id)).filter((e) => e.type === "phase.changed");
    expect(changes).toHaveLength(1);
    expect(changes[0].actorKind).toBe("system");
    expect(changes[0].data).toEqual({ from: "draft", to: "positions", scheduled: true });
    // published to listeners once, after the commit
    expect(published.filter((e) => e.type === "phase.changed")).toHaveLength(1);
    const row = await db.consultation.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.phase).toBe("positions");
  });

  it("several due dates jump straight to the latest phase in one event", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const t = Date.now() + 60_000;
    await setSchedule(db, fac.viewer, c.key, {
      positionsAt: new Date(t).toISOString(),
      deliberationAt: new Date(t + 1000).toISOString(),
      synthesisAt: new Date(t + 10 * 86_400_000).toISOString(),
    });
    const found = await findConsultation(db, c.key, new Date(t + 5000));
    expect(found?.phase).toBe("deliberation");
    const changes = (await eventsOf(c.id)).filter((e) => e.type === "phase.changed");
    expect(changes.map((e) => e.data)).toEqual([{ from: "draft", to: "deliberation", scheduled: true }]);
  });

  it("an old schedule never moves a phase back", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "synthesis" });
    await setSchedule(db, fac.viewer, c.key, { positionsAt: new Date(Date.now() - 86_400_000).toISOString() });
    expect((await findConsultation(db, c.key))?.phase).toBe("synthesis");
  });

  it("refuses an out-of-order schedule", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const error = await domainError(setSchedule(db, fac.viewer, c.key, { positionsAt: "2030-02-01T10:00", deliberationAt: "2030-01-01T10:00" }));
    expect(error.kind).toBe("invalid");
    expect(error.fieldErrors).toEqual({ deliberationAt: ["Each phase must start after the one before."] });
  });
});

describe("editing the structure", () => {
  it("questions and groups change only in draft", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const message = "Stakeholder groups and questions can only be changed in the draft phase.";
    expect(await domainError(addQuestion(db, fac.viewer, c.key, { title: "Late question" }))).toMatchObject({ kind: "forbidden", message });
    expect(await domainError(removeQuestion(db, fac.viewer, c.key, c.questions[0]))).toMatchObject({ kind: "forbidden", message });
    expect(await domainError(addGroup(db, fac.viewer, c.key, { name: "Judges" }))).toMatchObject({ kind: "forbidden", message });
    expect(await db.question.count({ where: { consultationId: c.id } })).toBe(1);
  });

  it("in draft: questions get increasing order; duplicate group names (any case) conflict", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { groups: ["Police"], questions: ["First"] });
    await addQuestion(db, fac.viewer, c.key, { title: "Second" });
    const questions = await db.question.findMany({ where: { consultationId: c.id }, orderBy: { sortOrder: "asc" } });
    expect(questions.map((q) => [q.title, q.sortOrder])).toEqual([["First", 0], ["Second", 1]]);
    expect((await domainError(addGroup(db, fac.viewer, c.key, { name: "POLICE" }))).kind).toBe("conflict");
    // the last group cannot be removed
    expect(await domainError(removeGroup(db, fac.viewer, c.key, c.groups.Police))).toMatchObject({
      kind: "conflict",
      message: "A consultation needs at least one stakeholder group.",
    });
  });

  it("a group people joined cannot be removed", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { groups: ["Police", "Peers"] });
    await joinParticipant(fac, c, "Peers");
    expect((await domainError(removeGroup(db, fac.viewer, c.key, c.groups.Peers))).kind).toBe("conflict");
    await removeGroup(db, fac.viewer, c.key, c.groups.Police);
    expect(await db.stakeholderGroup.count({ where: { consultationId: c.id } })).toBe(1);
  });

  it("the web address changes only in draft", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const error = await domainError(updateDetails(db, fac.viewer, c.key, { title: "New", slug: unique("new"), description: "D" }));
    expect(error.kind).toBe("forbidden");
    // same slug, other details: fine
    await updateDetails(db, fac.viewer, c.key, { title: "New title", slug: c.slug, description: "D", maxPositionLength: 300 });
    const row = await db.consultation.findUniqueOrThrow({ where: { id: c.id } });
    expect([row.title, row.maxPositionLength]).toEqual(["New title", 300]);
  });

  it("a published consultation's set-up can still be viewed, not edited", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "published" });
    const setup = await getSetup(db, fac.viewer, c.key);
    expect(setup.consultation.phase).toBe("published");
    expect(setup.next).toBeNull();
    expect(setup.previous).toBeNull();
    expect((await domainError(updateDetails(db, fac.viewer, c.key, { title: "X", slug: c.slug, description: "D" }))).kind).toBe("forbidden");
  });
});

describe("reading", () => {
  it("renders the description safely and counts visible positions only", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const member = await joinParticipant(fac, c, "Police");
    await submitPosition(db, member.viewer, c.key, c.questions[0], { body: "Drug checking in every festival." });
    const view = await getConsultation(db, member.viewer, c.key);
    expect(view.role).toBe("participant");
    expect(view.me).toEqual({ pseudonym: member.pseudonym, groupName: "Police", status: "active" });
    expect(view.consultation.descriptionHtml).toBe("<p>How should <strong>drug checking</strong> work in our city?</p>\n");
    expect(view.questions.map((q) => q.positionCount)).toEqual([1]);
    // no ids of people anywhere in the view
    expect(JSON.stringify(view)).not.toContain(member.me.id);
  });
});

describe("participationByGroup", () => {
  it("suppresses figures about 1-4 people, shows 0 and 5+", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { groups: ["Peers", "Police", "Policymakers"], phase: "positions" });
    // 5 peers, 4 police, 0 policymakers
    const peers = await joinMany(fac, c, "Peers", 5);
    const police = await joinMany(fac, c, "Police", 4);
    // every peer writes a position; one police officer does; all police vote on a peer's position
    for (const p of peers) await submit(p, c);
    await submit(police[0], c);
    const [firstPeerPosition] = await db.position.findMany({ where: { authorId: peers[0].me.id } });
    await voteAll(police, c, firstPeerPosition.id, "agree");

    const result = await participationByGroup(db, fac.viewer, c.key);
    const byName = Object.fromEntries(result.groups.map((g) => [g.name, g]));
    // peers: 5 joined, 5 wrote -> shown; 0 voted -> shown as 0
    expect(byName.Peers).toMatchObject({
      participants: { suppressed: false, count: 5 },
      positions: { suppressed: false, count: 5 },
      voters: { suppressed: false, count: 0 },
    });
    // police: 4 joined, 1 wrote, 4 voted -> all suppressed
    expect(byName.Police).toMatchObject({
      participants: { suppressed: true, minimum: 5 },
      positions: { suppressed: true, minimum: 5 },
      voters: { suppressed: true, minimum: 5 },
    });
    // policymakers: nobody -> zero shown
    expect(byName.Policymakers.participants).toEqual({ suppressed: false, count: 0 });
    // complementary suppression: one group is hidden, so the total (which would give it away) is too
    expect(result.total).toEqual({ suppressed: true, minimum: 5 });
    // invitations issued per group (one per joined person)
    expect(result.invitationsByGroup[c.groups.Peers]).toBe(5);
    expect(result.invitationsByGroup[c.groups.Police]).toBe(4);
  });

  it("participants cannot see participation figures", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    const member = await joinParticipant(fac, c, "Police");
    expect((await domainError(participationByGroup(db, member.viewer, c.key))).kind).toBe("forbidden");
  });

  it("moving back to draft keeps positions; moving forward again works", async () => {
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const member = await joinParticipant(fac, c, "Police");
    await submit(member, c);
    const db = await getDb();
    await movePhase(db, fac.viewer, c.key, { to: "draft" });
    await moveToPhase(fac, c, "deliberation");
    expect(await db.position.count({ where: { consultationId: c.id } })).toBe(1);
  });
});
