/**
 * The participant pages in the reader's language (issue 7): with Accept-Language (or the language cookie)
 * the landing page, joining, coming back, the consultation, a question and a position render in that
 * language, counts with the language's plural forms, domain and form messages translated; the texts people
 * wrote stay as written. Expected texts are read from the locale files, so rewording does not break the test.
 * Through the real server build (run `npx remix build` first).
 */
import { createConsultation, createFacilitator, invite, joinParticipant, submit, type Facilitator, type Member, type TestConsultation } from "../factories";
import { escapeHtml, localeFile, localeText } from "../fixtures/locales";
import { visibleText } from "../fixtures/xss";
import { get, post, sessionCookie } from "./http-harness";

const PT = { headers: { "Accept-Language": "pt-PT,pt;q=0.9,en;q=0.5" } };

let fac: Facilitator;
let c: TestConsultation;
let ana: Member;
let positionId: string;
const BODY = "Drug checking should be free at every festival.";

beforeAll(async () => {
  fac = await createFacilitator();
  c = await createConsultation(fac, { title: "Peer work in Lisbon", questions: ["Where should drug checking happen?"], phase: "positions" });
  ana = await joinParticipant(fac, c, "Peers who use drugs", { pseudonym: "Ana Harbour" });
  positionId = (await submit(ana, c, BODY)).id;
});

describe("participant pages in Portuguese (Accept-Language: pt)", () => {
  it("the landing page, joining and coming back", async () => {
    const home = await get("/", PT);
    expect(home.body).toContain('<html lang="pt"');
    expect(visibleText(home.body)).toContain(localeText("pt", "home.joinTitle"));
    expect(visibleText(home.body)).not.toContain("Have an invitation code?");

    const join = await get("/join", PT);
    expect(visibleText(join.body)).toContain(localeText("pt", "join.index.title"));
    const empty = await get("/join?code=", PT);
    expect(empty.status).toBe(422);
    expect(visibleText(empty.body)).toContain(localeFile("pt").messages["Enter your invitation code."]!);

    const [slip] = await invite(fac, c, "Sex workers");
    const invited = await get(`/join/${slip!.code}`, PT);
    expect(invited.status).toBe(200);
    expect(visibleText(invited.body)).toContain(localeText("pt", "join.code.pseudonym"));
    expect(invited.body).toContain(`<title>${escapeHtml(localeText("pt", "join.code.metaTitle").replace("{{title}}", "Peer work in Lisbon"))} · Polyphony</title>`);

    const back = await get(`/c/${c.slug}/return`, PT);
    expect(visibleText(back.body)).toContain(localeText("pt", "participant.return.title"));
  });

  it("the consultation: identity, phase, counts with plural forms, the tally left out below the minimum", async () => {
    const res = await get(`/c/${c.slug}`, { ...PT, cookie: sessionCookie(ana.token) });
    expect(res.status).toBe(200);
    const page = visibleText(res.body);
    expect(res.body).toContain('<html lang="pt"');
    expect(page).toContain(localeText("pt", "participant.identity.youTakePart").replace(/<\/?name>/g, "").replace("{{pseudonym}}", "Ana Harbour").replace("{{group}}", "Peers who use drugs"));
    expect(page).toContain(localeText("pt", "participant.phase.positions.name"));
    expect(page).toContain(localeText("pt", "participant.phase.positions.help"));
    expect(page).toContain(localeText("pt", "participant.consultation.positionCount_one").replace("{{count, number}}", "1"));
    expect(page).toContain(localeText("pt", "participant.tally.fewer_other").replace("{{count, number}}", "5"));
    expect(page).toContain(localeText("pt", "participant.sort.label"));
    // What people wrote stays as written.
    expect(page).toContain(BODY);
    for (const english of ["You take part as", "Positions are open", "Show positions", "votes so far", "No positions yet"]) {
      expect(page, english).not.toContain(english);
    }
  });

  it("a question and a position: forms, buttons and form messages in Portuguese", async () => {
    const question = await get(`/c/${c.slug}/q/${c.questions[0]}`, { ...PT, cookie: sessionCookie(ana.token) });
    const q = visibleText(question.body);
    expect(q).toContain(localeText("pt", "participant.question.postTitle"));
    expect(q).toContain(localeText("pt", "participant.question.post"));
    expect(q).toContain(localeText("pt", "participant.counter.yourPosition"));
    expect(q).not.toContain("Post a position");

    // A form message from the page's action (no JavaScript: the page answers with it).
    const empty = await post(`/c/${c.slug}/q/${c.questions[0]}`, { intent: "preview", body: "" }, { ...PT, cookie: sessionCookie(ana.token) });
    expect(empty.status).toBe(422);
    expect(visibleText(empty.body)).toContain(localeFile("pt").messages["Write something first, then press Preview."]!);

    const position = await get(`/c/${c.slug}/p/${positionId}`, { ...PT, cookie: sessionCookie(ana.token) });
    const p = visibleText(position.body);
    expect(p).toContain(localeText("pt", "participant.position.by").replace("{{pseudonym}}", "Ana Harbour"));
    expect(p).toContain(localeText("pt", "participant.comments.post"));
    expect(p).toContain(localeText("pt", "participant.comments.none"));
    expect(p).toContain(localeText("pt", "participant.stance.against"));
  });

  it("vote next, the live session, the consent code and your data", async () => {
    const cookie = sessionCookie(ana.token);
    const next = await get(`/c/${c.slug}/next`, { ...PT, cookie });
    expect(next.status).toBe(200);
    expect(visibleText(next.body)).toContain(localeText("pt", "participant.next.title"));
    // Ana's own position is the only one: nothing to vote on yet.
    expect(visibleText(next.body)).toContain(localeText("pt", "participant.next.nothingYet"));
    const live = await get(`/c/${c.slug}/live`, { ...PT, cookie });
    expect(live.status).toBe(200);
    expect(visibleText(live.body)).toContain(localeText("pt", "live.session.none"));
    expect(live.body).toContain(`<title>${escapeHtml(localeText("pt", "live.session.title"))} · `);
    const consent = await get(`/c/${c.slug}/consent`, { ...PT, cookie });
    expect(consent.status).toBe(200);
    expect(visibleText(consent.body)).toContain(localeText("pt", "participant.consent.title"));
    const mine = await get(`/c/${c.slug}/my-data`, { ...PT, cookie });
    expect(visibleText(mine.body)).toContain(localeText("pt", "participant.myData.eraseTitle"));
    // None has words of its own (CLDR's "pt" puts 0 with 1: "0 voto").
    expect(visibleText(mine.body)).toContain(localeText("pt", "participant.myData.noVotes"));
    expect(visibleText(mine.body)).toContain(localeText("pt", "participant.myData.positions_one").replace("{{count, number}}", "1"));
  });

  it("the language cookie beats Accept-Language; Polish and Lithuanian get their own plural forms", async () => {
    const pl = await get(`/c/${c.slug}`, { cookie: `${sessionCookie(ana.token)}; polyphony_lang=pl`, headers: { "Accept-Language": "pt" } });
    expect(pl.body).toContain('<html lang="pl"');
    expect(visibleText(pl.body)).toContain(localeText("pl", "participant.consultation.positionCount_one").replace("{{count, number}}", "1"));
    const lt = await get(`/c/${c.slug}/my-data`, { cookie: `${sessionCookie(ana.token)}; polyphony_lang=lt` });
    expect(lt.status).toBe(200);
    expect(visibleText(lt.body)).toContain(localeText("lt", "participant.myData.positions_one").replace("{{count, number}}", "1"));
    expect(visibleText(lt.body)).toContain(localeText("lt", "participant.myData.noComments"));
  });
});
