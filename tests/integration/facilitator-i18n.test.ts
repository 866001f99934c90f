/**
 * The facilitators' pages in the reader's language (issue 7): with Accept-Language: pl (or the language
 * cookie) the sign-in page, the consultations list, every tab of a consultation and the account page render
 * in Polish, with Polish plural forms and dates; messages of the actions are translated. Expected texts are
 * read from the locale files, so rewording does not break the test. Through the real server build.
 */
import { getDb } from "../../consultations/db/client";
import { createConsultation, createFacilitator, joinParticipant, submit, type Facilitator, type TestConsultation } from "../factories";
import { localeFile, localeText } from "../fixtures/locales";
import { visibleText } from "../fixtures/xss";
import { get, post, signedIn } from "./http-harness";

const PL = { "Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5" };

let fac: Facilitator;
let c: TestConsultation;
let cookie: string;

beforeAll(async () => {
  fac = await createFacilitator();
  c = await createConsultation(fac, { title: "Praca rówieśnicza", questions: ["Gdzie testować substancje?"], phase: "positions" });
  const ana = await joinParticipant(fac, c, "Peers who use drugs", { pseudonym: "Ana Harbour" });
  await submit(ana, c, "Testowanie substancji powinno być darmowe na każdym festiwalu.");
  cookie = await signedIn(await getDb(), { accountId: fac.account.id });
});

describe("facilitator pages in Polish (Accept-Language: pl)", () => {
  it("the sign-in and sign-up pages", async () => {
    const login = await get("/login", { headers: PL });
    expect(login.body).toContain('<html lang="pl"');
    expect(login.body).toContain(`<title>${localeText("pl", "auth.login.title")} · Polyphony</title>`);
    expect(visibleText(login.body)).toContain(localeText("pl", "auth.password"));
    const signup = await get("/signup", { headers: PL });
    expect(visibleText(signup.body)).toContain(localeText("pl", "auth.signup.organisation"));
  });

  it("the consultations list and every tab of a consultation, with no English heading left", async () => {
    const list = await get("/facilitate", { cookie, headers: PL });
    expect(list.status).toBe(200);
    expect(visibleText(list.body)).toContain(localeText("pl", "facilitator.index.title"));
    expect(visibleText(list.body)).toContain(localeText("pl", "facilitator.phases.positions"));
    const base = `/facilitate/${c.slug}`;
    const pages: Array<[string, string]> = [
      ["", "facilitator.overview.participation"],
      ["/questions", "facilitator.questions.intro"],
      ["/groups", "facilitator.groups.intro"],
      ["/invitations", "facilitator.invitations.createIntro"],
      ["/moderation", "facilitator.moderation.suspendNote"],
      ["/live", "liveSession.noneOpen"],
      ["/synthesis", "facilitator.synthesis.phaseNote.early"],
      ["/audit", "facilitator.audit.download"],
    ];
    for (const [tab, key] of pages) {
      const res = await get(`${base}${tab}`, { cookie, headers: PL });
      expect(res.status, tab).toBe(200);
      const page = visibleText(res.body);
      expect(page, tab).toContain(localeText("pl", key));
      expect(page, tab).toContain(localeText("pl", "facilitator.tabs.overview"));
      for (const english of ["All consultations", "Overview", "Audit log", "Participation per group", "Save", "Stakeholder groups"]) {
        expect(page, `${tab}: ${english}`).not.toContain(english);
      }
    }
  });

  it("counts take Polish plural forms and dates are Polish", async () => {
    const questions = visibleText((await get(`/facilitate/${c.slug}/questions`, { cookie, headers: PL })).body);
    expect(questions).toContain(localeText("pl", "facilitator.questions.positions_one").replace("{{n}}", "1"));
    const overview = visibleText((await get(`/facilitate/${c.slug}`, { cookie, headers: PL })).body);
    const month = new Intl.DateTimeFormat("pl", { dateStyle: "medium", timeZone: "UTC" }).format(new Date()).replace(/^\d+\s*/, "");
    expect(overview).toContain(month.split(" ")[0]!);
  });

  it("an action's message comes back in Polish", async () => {
    const res = await post(`/facilitate/${c.slug}/invitations`, { intent: "create", groupId: "", count: "1", validDays: "30" }, { cookie, headers: PL });
    expect(res.status).toBe(422);
    const ok = await post(`/facilitate/${c.slug}/invitations`, { intent: "create", groupId: c.groups["Police"]!, count: "2", validDays: "30" }, { cookie, headers: PL });
    expect(ok.status).toBe(200);
    expect(visibleText(ok.body)).toContain(localeFile("pl").messages["{{count}} invitations were created."]!.replace("{{count}}", "2"));
  });

  it("the account page", async () => {
    const res = await get("/account", { cookie, headers: PL });
    expect(res.status).toBe(200);
    expect(visibleText(res.body)).toContain(localeText("pl", "account.sessions"));
    expect(visibleText(res.body)).toContain(localeText("pl", "account.signOutEverywhere"));
  });
});
