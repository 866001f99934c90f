/**
 * The participant pages in the reader's language (issue 7): with Accept-Language (or the language cookie)
 * the landing page, joining, coming back, the consultation, a question and a position render in that
 * language, counts with the language's plural forms, domain and form messages translated; the texts people
 * wrote stay as written. Expected texts are read from the locale files, so rewording does not break the test.
 * Through the real server build (run `npx remix build` first).
 */
import { createConsultation, createFacilitator, invite, joinParticipant, submit, type Facilitator, type Member, type TestConsultation } from "../factories";
import { escapeHtml, localeFile, localeText } from "../fixtures/locales";
import { get, post, sessionCookie } from "./http-harness";

const text = (code: string, key: string) => localeText(code, key);
const locale = localeFile;
/** The page's visible text: tags dropped, React's <!-- --> separators gone, entities decoded. */
const visible = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
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
    expect(visible(home.body)).toContain(text("pt", "home.joinTitle"));
    expect(visible(home.body)).not.toContain("Have an invitation code?");

    const join = await get("/join", PT);
    expect(visible(join.body)).toContain(text("pt", "join.index.title"));
    const empty = await get("/join?code=", PT);
    expect(empty.status).toBe(422);
    expect(visible(empty.body)).toContain(locale("pt").messages["Enter your invitation code."]!);

    const [slip] = await invite(fac, c, "Sex workers");
    const invited = await get(`/join/${slip!.code}`, PT);
    expect(invited.status).toBe(200);
    expect(visible(invited.body)).toContain(text("pt", "join.code.pseudonym"));
    expect(invited.body).toContain(`<title>${escapeHtml(text("pt", "join.code.metaTitle").replace("{{title}}", "Peer work in Lisbon"))} · Polyphony</title>`);

    const back = await get(`/c/${c.slug}/return`, PT);
    expect(visible(back.body)).toContain(text("pt", "participant.return.title"));
  });

  it("the consultation: identity, phase, counts with plural forms, the tally left out below the minimum", async () => {
    const res = await get(`/c/${c.slug}`, { ...PT, cookie: sessionCookie(ana.token) });
    expect(res.status).toBe(200);
    const page = visible(res.body);
    expect(res.body).toContain('<html lang="pt"');
    expect(page).toContain(text("pt", "participant.identity.youTakePart").replace(/<\/?name>/g, "").replace("{{pseudonym}}", "Ana Harbour").replace("{{group}}", "Peers who use drugs"));
    expect(page).toContain(text("pt", "participant.phase.positions.name"));
    expect(page).toContain(text("pt", "participant.phase.positions.help"));
    expect(page).toContain(text("pt", "participant.consultation.positionCount_one").replace("{{count, number}}", "1"));
    expect(page).toContain(text("pt", "participant.tally.fewer_other").replace("{{count, number}}", "5"));
    expect(page).toContain(text("pt", "participant.sort.label"));
    // What people wrote stays as written.
    expect(page).toContain(BODY);
    for (const english of ["You take part as", "Positions are open", "Show positions", "votes so far", "No positions yet"]) {
      expect(page, english).not.toContain(english);
    }
  });

  it("a question and a position: forms, buttons and form messages in Portuguese", async () => {
    const question = await get(`/c/${c.slug}/q/${c.questions[0]}`, { ...PT, cookie: sessionCookie(ana.token) });
    const q = visible(question.body);
    expect(q).toContain(text("pt", "participant.question.postTitle"));
    expect(q).toContain(text("pt", "participant.question.post"));
    expect(q).toContain(text("pt", "participant.counter.yourPosition"));
    expect(q).not.toContain("Post a position");

    // A form message from the page's action (no JavaScript: the page answers with it).
    const empty = await post(`/c/${c.slug}/q/${c.questions[0]}`, { intent: "preview", body: "" }, { ...PT, cookie: sessionCookie(ana.token) });
    expect(empty.status).toBe(422);
    expect(visible(empty.body)).toContain(locale("pt").messages["Write something first, then press Preview."]!);

    const position = await get(`/c/${c.slug}/p/${positionId}`, { ...PT, cookie: sessionCookie(ana.token) });
    const p = visible(position.body);
    expect(p).toContain(text("pt", "participant.position.by").replace("{{pseudonym}}", "Ana Harbour"));
    expect(p).toContain(text("pt", "participant.comments.post"));
    expect(p).toContain(text("pt", "participant.comments.none"));
    expect(p).toContain(text("pt", "participant.stance.against"));
  });

  it("vote next, the live session, the consent code and your data", async () => {
    const cookie = sessionCookie(ana.token);
    const next = await get(`/c/${c.slug}/next`, { ...PT, cookie });
    expect(next.status).toBe(200);
    expect(visible(next.body)).toContain(text("pt", "participant.next.title"));
    // Ana's own position is the only one: nothing to vote on yet.
    expect(visible(next.body)).toContain(text("pt", "participant.next.nothingYet"));
    const live = await get(`/c/${c.slug}/live`, { ...PT, cookie });
    expect(live.status).toBe(200);
    expect(visible(live.body)).toContain(text("pt", "live.session.none"));
    expect(live.body).toContain(`<title>${escapeHtml(text("pt", "live.session.title"))} · `);
    const consent = await get(`/c/${c.slug}/consent`, { ...PT, cookie });
    expect(consent.status).toBe(200);
    expect(visible(consent.body)).toContain(text("pt", "participant.consent.title"));
    const mine = await get(`/c/${c.slug}/my-data`, { ...PT, cookie });
    expect(visible(mine.body)).toContain(text("pt", "participant.myData.eraseTitle"));
    // None has words of its own (CLDR's "pt" puts 0 with 1: "0 voto").
    expect(visible(mine.body)).toContain(text("pt", "participant.myData.noVotes"));
    expect(visible(mine.body)).toContain(text("pt", "participant.myData.positions_one").replace("{{count, number}}", "1"));
  });

  it("the language cookie beats Accept-Language; Polish and Lithuanian get their own plural forms", async () => {
    const pl = await get(`/c/${c.slug}`, { cookie: `${sessionCookie(ana.token)}; polyphony_lang=pl`, headers: { "Accept-Language": "pt" } });
    expect(pl.body).toContain('<html lang="pl"');
    expect(visible(pl.body)).toContain(text("pl", "participant.consultation.positionCount_one").replace("{{count, number}}", "1"));
    const lt = await get(`/c/${c.slug}/my-data`, { cookie: `${sessionCookie(ana.token)}; polyphony_lang=lt` });
    expect(lt.status).toBe(200);
    expect(visible(lt.body)).toContain(text("lt", "participant.myData.positions_one").replace("{{count, number}}", "1"));
    expect(visible(lt.body)).toContain(text("lt", "participant.myData.noComments"));
  });
});
