/**
 * The languages of a consultation and of what people write, over HTTP as a browser without JavaScript:
 * the facilitator's checkboxes (repeated `languages` values) and main language, the refusals shown on the
 * page (422 none chosen, 409 a language in use), the participants' "language of your text" select (only
 * with several languages, starting on the interface language when the consultation has it) and the
 * `lang` attribute on the texts.
 */
import { getDb } from "../../consultations/db/client";
import { postComment } from "../../consultations/comments";
import { submitPosition } from "../../consultations/positions";
import { createConsultation, createFacilitator, joinParticipant, unique } from "../factories";
import { get, post, signedIn } from "./http-harness";
import { escapeHtml } from "../fixtures/locales";


async function languagesOf(slug: string): Promise<string> {
  const db = await getDb();
  return (await db.consultation.findUniqueOrThrow({ where: { slug }, select: { languages: true } })).languages;
}

describe("facilitators declare the languages", () => {
  it("on the new consultation form: the main language and the ticked boxes", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const cookie = await signedIn(db, { accountId: fac.account.id });
    const page = await get("/facilitate/new", { cookie });
    expect(page.body).toContain('name="mainLanguage"');
    expect(page.body).toContain('<input type="checkbox" name="languages" value="pt"');
    const slug = unique("langs");
    const res = await post(
      "/facilitate/new",
      [["title", "Two languages"], ["slug", slug], ["description", "About it."], ["groups", "Peers\nPolice"], ["maxPositionLength", "600"], ["mainLanguage", "pt"], ["languages", "en"], ["languages", "pt"]],
      { cookie },
    );
    expect(res.status).toBe(302);
    expect(await languagesOf(slug)).toBe("pt,en");
  });

  it("in the settings: saved; none chosen is refused (422) and a language in use too (409), with the message on the page", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const c = await createConsultation(fac, { phase: "positions" });
    const cookie = await signedIn(db, { accountId: fac.account.id });
    const path = `/facilitate/${c.slug}?index`;
    const saved = await post(path, [["intent", "languages"], ["mainLanguage", "en"], ["languages", "en"], ["languages", "pt"], ["languages", "pl"]], { cookie });
    expect(saved.status).toBe(200);
    expect(saved.body).toContain("The languages were saved.");
    expect(await languagesOf(c.slug)).toBe("en,pt,pl");

    const none = await post(path, [["intent", "languages"]], { cookie });
    expect(none.status).toBe(422);
    expect(none.body).toContain("Choose at least one language.");
    const unknown = await post(path, [["intent", "languages"], ["mainLanguage", "en"], ["languages", "tlh"]], { cookie });
    expect(unknown.status).toBe(422);

    const author = await joinParticipant(fac, c, "Peers who use drugs");
    await submitPosition(db, author.viewer, c.key, c.questions[0], { body: "Análise de drogas gratuita para todos.", language: "pt" });
    const used = await post(path, [["intent", "languages"], ["mainLanguage", "en"], ["languages", "pl"]], { cookie, headers: { "Accept-Language": "pt" } });
    expect(used.status).toBe(409);
    // The message in the page's language, naming the language in itself.
    expect(used.body).toContain(escapeHtml("Há posições ou comentários escritos nesta língua (Português), por isso não a pode retirar."));
    expect(await languagesOf(c.slug)).toBe("en,pt,pl");
  });
});

describe("participants write in one of the consultation's languages", () => {
  it("the select shows only with several languages, starts on the interface language, and the texts carry lang", async () => {
    const db = await getDb();
    const fac = await createFacilitator();
    const one = await createConsultation(fac, { phase: "positions" });
    const solo = await joinParticipant(fac, one, "Police");
    const soloPage = await get(`/c/${one.slug}/q/${one.questions[0]}`, { cookie: await signedIn(db, { participantIds: [solo.me.id] }) });
    expect(soloPage.status).toBe(200);
    expect(soloPage.body).not.toContain('name="language"');

    const c = await createConsultation(fac, { phase: "positions", languages: ["en", "pt"] });
    const m = await joinParticipant(fac, c, "Peers who use drugs");
    const other = await joinParticipant(fac, c, "Police");
    const cookie = await signedIn(db, { participantIds: [m.me.id] });
    const question = `/c/${c.slug}/q/${c.questions[0]}`;
    const inPortuguese = await get(question, { cookie, headers: { "Accept-Language": "pt" } });
    expect(inPortuguese.body).toMatch(/<select[^>]*name="language"/);
    expect(inPortuguese.body).toMatch(/<option value="pt" lang="pt" selected="">Português<\/option>/);
    const inGreek = await get(question, { cookie, headers: { "Accept-Language": "el" } });
    // Greek is not one of its languages: the main language (English) is chosen.
    expect(inGreek.body).toMatch(/<option value="en" lang="en" selected="">English<\/option>/);

    const posted = await post(question, { intent: "submit", body: "A análise de drogas deve ser perto de casa.", language: "pt" }, { cookie });
    expect(posted.status).toBe(302);
    const position = await db.position.findFirstOrThrow({ where: { consultationId: c.id }, select: { id: true, language: true } });
    expect(position.language).toBe("pt");
    const refused = await post(question, { intent: "submit", body: "Drug checking should be near home.", language: "pl" }, { cookie });
    expect(refused.status).toBe(422);
    expect(refused.body).toContain("This consultation does not take texts in this language. Choose one of its languages.");

    await postComment(db, other.viewer, c.key, position.id, { body: "Agreed: near home.", stance: "for", language: "en" });
    const page = await get(`/c/${c.slug}/p/${position.id}`, { cookie: await signedIn(db, { participantIds: [other.me.id] }) });
    expect(page.body).toMatch(/class="markdown position-body" lang="pt"/);
    expect(page.body).toMatch(/class="markdown comment-body" lang="en"/);
    const list = await get(question, { cookie: await signedIn(db, { participantIds: [other.me.id] }) });
    expect(list.body).toMatch(/lang="pt"[^>]*>\s*<p>A análise de drogas/);
  });
});
