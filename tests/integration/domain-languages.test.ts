/**
 * The languages of a consultation (consultations/consultation-languages.ts) and of each position and
 * comment: declared at creation and in the settings (at least one, each an interface language: 422),
 * a language in use cannot be removed (409), positions and comments store the language chosen (or the
 * consultation's main one) and refuse one the consultation does not declare (422). On SQLite, and on
 * PostgreSQL in the PostgreSQL run.
 */
import { getDb } from "../../consultations/db/client";
import { editComment, listComments, postComment } from "../../consultations/comments";
import { createConsultation as createConsultationVerb, getConsultation } from "../../consultations/consultations";
import { setLanguages } from "../../consultations/consultation-languages";
import { exportMyData } from "../../consultations/participant-rights";
import { editPosition, getPosition, submitPosition } from "../../consultations/positions";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { importPolisExport } from "../../consultations/polis/import";
import { readPolisExport } from "../../consultations/polis/parse";
import { createConsultation, createFacilitator, domainError, eventsOf, joinParticipant, moveToPhase, unique } from "../factories";
import { PROJECT_ROOT } from "../setup/paths";

const BODY = "Drug checking should be free and anonymous.";
const PT_BODY = "A análise de drogas deve ser gratuita e anónima.";

async function stored(consultationId: string): Promise<string> {
  const db = await getDb();
  return (await db.consultation.findUniqueOrThrow({ where: { id: consultationId }, select: { languages: true } })).languages;
}

describe("declaring a consultation's languages", () => {
  it("defaults to English, keeps the order given (the main language first), and reads back as a list", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const plain = await createConsultation(fac);
    expect(await stored(plain.id)).toBe("en");
    expect((await getConsultation(db, fac.viewer, plain.key)).consultation.languages.map((l) => l.code)).toEqual(["en"]);

    const both = await createConsultation(fac, { languages: ["pt", "en"] });
    expect(await stored(both.id)).toBe("pt,en");
    const view = await getConsultation(db, fac.viewer, both.key);
    expect(view.consultation.languages).toEqual([
      { code: "pt", name: "Português", englishName: "Portuguese", dir: "ltr" },
      { code: "en", name: "English", englishName: "English", dir: "ltr" },
    ]);
  });

  it("takes the form's main language and ticked checkboxes (comma-separated)", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac);
    await setLanguages(db, fac.viewer, c.key, { mainLanguage: "el", languages: "en,el,pl" });
    expect(await stored(c.id)).toBe("el,en,pl");
    // The main language counts even when its box is not ticked.
    await setLanguages(db, fac.viewer, c.key, { mainLanguage: "lt", languages: "" });
    expect(await stored(c.id)).toBe("lt");
    const [event] = (await eventsOf(c.id)).filter((e) => e.type === "consultation.updated").slice(-1);
    expect(event.data).toEqual({ languages: "lt" });
  });

  it("refuses none (422) and an unknown language (422), at creation and in the settings, changing nothing", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { languages: ["en", "pt"] });
    const none = await domainError(setLanguages(db, fac.viewer, c.key, { languages: "" }));
    expect(none).toMatchObject({ kind: "invalid", status: 422, fieldErrors: { languages: ["Choose at least one language."] } });
    expect((await domainError(setLanguages(db, fac.viewer, c.key, { languages: [] }))).fieldErrors.languages).toEqual(["Choose at least one language."]);
    expect((await domainError(setLanguages(db, fac.viewer, c.key, {}))).status).toBe(422);
    for (const bad of ["en,xx", "klingon", "EN-gb", "../en", "en;pt"]) {
      const error = await domainError(setLanguages(db, fac.viewer, c.key, { languages: bad }));
      expect(error, bad).toMatchObject({ status: 422, fieldErrors: { languages: ["Choose languages from the list: one of them is not available."] } });
    }
    expect((await domainError(setLanguages(db, fac.viewer, c.key, { mainLanguage: "fr", languages: "en" }))).status).toBe(422);
    expect(await stored(c.id)).toBe("en,pt");

    const slug = unique("lang");
    const base = { title: "Languages", slug, description: "About languages.", groups: "Police" };
    expect(await domainError(createConsultationVerb(db, fac.viewer, { ...base, languages: "" }))).toMatchObject({ status: 422, fieldErrors: { languages: ["Choose at least one language."] } });
    expect((await domainError(createConsultationVerb(db, fac.viewer, { ...base, mainLanguage: "xx" }))).status).toBe(422);
    expect(await db.consultation.count({ where: { slug } })).toBe(0);
  });

  it("only facilitators of the consultation set them, and not once published", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const other = await createFacilitator();
    const c = await createConsultation(fac);
    const m = await joinParticipant(fac, c, "Police");
    expect((await domainError(setLanguages(db, m.viewer, c.key, { languages: "en,pt" }))).status).toBe(403);
    expect((await domainError(setLanguages(db, other.viewer, c.key, { languages: "en,pt" }))).status).toBe(404);
    await moveToPhase(fac, c, "published");
    expect((await domainError(setLanguages(db, fac.viewer, c.key, { languages: "en,pt" }))).status).toBe(403);
    expect(await stored(c.id)).toBe("en");
  });

  it("refuses to remove a language positions or comments are written in (409); unused ones go", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { languages: ["en", "pt", "pl"], phase: "positions" });
    const a = await joinParticipant(fac, c, "Peers who use drugs");
    const b = await joinParticipant(fac, c, "Police");
    const p = await submitPosition(db, a.viewer, c.key, c.questions[0], { body: PT_BODY, language: "pt" });
    // pl is unused: it can go; the main language can change.
    await setLanguages(db, fac.viewer, c.key, { mainLanguage: "pt", languages: "en,pt" });
    expect(await stored(c.id)).toBe("pt,en");
    const removePt = await domainError(setLanguages(db, fac.viewer, c.key, { languages: "en" }));
    expect(removePt).toMatchObject({
      kind: "conflict",
      status: 409,
      message: "Some positions or comments are written in Português, so this language cannot be removed.",
      fieldErrors: { languages: ["Some positions or comments are written in Português, so this language cannot be removed."] },
    });
    expect(await stored(c.id)).toBe("pt,en");
    // A comment alone keeps its language too.
    await postComment(db, b.viewer, c.key, p.id, { body: "Concordo, e deve ser perto de casa.", stance: "for", language: "pt" });
    await postComment(db, b.viewer, c.key, p.id, { body: "Agreed, and near where people live.", stance: "for", language: "en" });
    await db.position.update({ where: { id: p.id }, data: { language: "en" } });
    expect((await domainError(setLanguages(db, fac.viewer, c.key, { languages: "en" }))).status).toBe(409);
    // Nothing stored changed.
    expect((await db.comment.findMany({ where: { positionId: p.id }, select: { language: true }, orderBy: { createdAt: "asc" } })).map((r) => r.language)).toEqual(["pt", "en"]);
  });
});

describe("the language of positions and comments", () => {
  it("is the one chosen, or the consultation's main language, and shows in views, events and the participant's data", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { languages: ["pt", "en"], phase: "positions" });
    const a = await joinParticipant(fac, c, "Peers who use drugs");
    const b = await joinParticipant(fac, c, "Police");
    const chosen = await submitPosition(db, a.viewer, c.key, c.questions[0], { body: BODY, language: "en" });
    const fallback = await submitPosition(db, a.viewer, c.key, c.questions[0], { body: PT_BODY });
    const blank = await submitPosition(db, a.viewer, c.key, c.questions[0], { body: `${PT_BODY} Sempre.`, language: "" });
    const rows = await db.position.findMany({ where: { consultationId: c.id }, select: { id: true, language: true } });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.language]))).toEqual({ [chosen.id]: "en", [fallback.id]: "pt", [blank.id]: "pt" });
    expect((await getPosition(db, b.viewer, c.key, chosen.id)).position.language).toBe("en");
    const submitted = (await eventsOf(c.id)).filter((e) => e.type === "position.submitted").map((e) => e.data.language);
    expect(submitted).toEqual(["en", "pt", "pt"]);

    const comment = await postComment(db, b.viewer, c.key, chosen.id, { body: "Concordo totalmente.", stance: "for", language: "PT" });
    const plain = await postComment(db, b.viewer, c.key, chosen.id, { body: "And near where people live.", stance: "neutral", parentId: comment.id });
    expect((await db.comment.findUniqueOrThrow({ where: { id: comment.id } })).language).toBe("pt");
    expect((await db.comment.findUniqueOrThrow({ where: { id: plain.id } })).language).toBe("pt");
    const [thread] = await listComments(db, a.viewer, c.key, chosen.id);
    expect(thread.language).toBe("pt");
    const posted = (await eventsOf(c.id)).filter((e) => e.type === "comment.posted").map((e) => e.data.language);
    expect(posted).toEqual(["pt", "pt"]);

    // Editing may change the language (to a declared one); without one, it stays.
    await editPosition(db, a.viewer, c.key, fallback.id, { body: `${PT_BODY} Editado.` });
    expect((await db.position.findUniqueOrThrow({ where: { id: fallback.id } })).language).toBe("pt");
    await editPosition(db, a.viewer, c.key, fallback.id, { body: "Drug checking should be free.", language: "en" });
    expect((await db.position.findUniqueOrThrow({ where: { id: fallback.id } })).language).toBe("en");
    await moveToPhase(fac, c, "deliberation");
    await editComment(db, b.viewer, c.key, plain.id, { body: "And near where people live, always.", stance: "neutral", language: "en" });
    expect((await db.comment.findUniqueOrThrow({ where: { id: plain.id } })).language).toBe("en");

    // The participant's own data lists the language of each text.
    const mine = await exportMyData(db, b.viewer, c.key);
    expect(mine.comments.map((x) => [x.id, x.language])).toEqual([
      [comment.id, "pt"],
      [plain.id, "en"],
    ]);
  });

  it("refuses a language the consultation does not declare (422), storing nothing", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const a = await joinParticipant(fac, c, "Peers who use drugs");
    const b = await joinParticipant(fac, c, "Police");
    const refusal = "This consultation does not take texts in this language. Choose one of its languages.";
    for (const language of ["pt", "xx", "english"]) {
      const error = await domainError(submitPosition(db, a.viewer, c.key, c.questions[0], { body: BODY, language }));
      expect(error, language).toMatchObject({ kind: "invalid", status: 422, message: refusal, fieldErrors: { language: [refusal] } });
    }
    expect((await domainError(submitPosition(db, a.viewer, c.key, c.questions[0], { body: BODY, language: "x".repeat(40) }))).status).toBe(422);
    expect(await db.position.count({ where: { consultationId: c.id } })).toBe(0);
    const p = await submitPosition(db, a.viewer, c.key, c.questions[0], { body: BODY });
    expect((await db.position.findUniqueOrThrow({ where: { id: p.id } })).language).toBe("en");
    expect((await domainError(editPosition(db, a.viewer, c.key, p.id, { body: `${BODY} Edited.`, language: "pl" }))).status).toBe(422);
    expect((await db.position.findUniqueOrThrow({ where: { id: p.id } })).body).toBe(BODY);

    expect(await domainError(postComment(db, b.viewer, c.key, p.id, { body: "Não concordo.", stance: "against", language: "pt" }))).toMatchObject({ status: 422, fieldErrors: { language: [refusal] } });
    expect(await db.comment.count({ where: { consultationId: c.id } })).toBe(0);
  });
});

describe("the Polis import", () => {
  const LONDON = path.join(PROJECT_ROOT, "consultations", "polis", "fixtures", "london.youth.policing");

  it("gives every imported statement the consultation's first language (English unless told otherwise)", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const plain = await importPolisExport(db, readPolisExport(LONDON), { facilitatorEmail: fac.email, slug: unique("polis") });
    expect(await stored(plain.consultationId)).toBe("en");
    expect(await db.position.groupBy({ by: ["language"], where: { consultationId: plain.consultationId }, _count: { _all: true } })).toEqual([{ language: "en", _count: { _all: 36 } }]);

    const pt = await importPolisExport(db, readPolisExport(LONDON), { facilitatorEmail: fac.email, slug: unique("polis"), languages: ["pt", "en"] });
    expect(await stored(pt.consultationId)).toBe("pt,en");
    expect((await db.position.findMany({ where: { consultationId: pt.consultationId }, select: { language: true } })).every((r) => r.language === "pt")).toBe(true);
    const refused = await domainError(importPolisExport(db, readPolisExport(LONDON), { facilitatorEmail: fac.email, slug: unique("polis"), languages: ["xx"] }));
    expect(refused.status).toBe(422);
  });

  it("npm run import-polis -- --languages pt,en (bad lists exit with code 2)", async () => {
    const exec = promisify(execFile);
    const tsx = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
    const script = path.join(PROJECT_ROOT, "consultations", "cli", "import-polis.ts");
    const fac = await createFacilitator();
    const slug = unique("cli");
    await exec(tsx, [script, "--polis", LONDON, "--facilitator", fac.email, "--slug", slug, "--languages", "pt,en"], { cwd: PROJECT_ROOT, env: process.env });
    const db = await getDb();
    const c = await db.consultation.findUniqueOrThrow({ where: { slug }, select: { id: true, languages: true } });
    expect(c.languages).toBe("pt,en");
    expect(await db.position.count({ where: { consultationId: c.id, language: { not: "pt" } } })).toBe(0);
    const bad = await exec(tsx, [script, "--polis", LONDON, "--facilitator", fac.email, "--slug", unique("cli"), "--languages", "PT;x"], { cwd: PROJECT_ROOT, env: process.env }).catch((e) => e);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain("--languages: language codes separated by commas");
  }, 60_000);
});
