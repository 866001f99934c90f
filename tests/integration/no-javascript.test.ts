/**
 * Every participant page works without JavaScript (issue 7, low-end phones): a participant joins with
 * an invitation, posts a position, votes (inline on the question page and on the vote-next page) and
 * comments, each step a plain form post built only from the <form> the previous GET sent (its action,
 * its hidden inputs, the button a click adds), as a browser with scripts off would. After each post the
 * next GET shows the result. The session cookie comes from the join post's Set-Cookie.
 *
 * The same journey runs in a real browser with JavaScript disabled in tests/browser/journey.spec.ts
 * ("without JavaScript a participant can join, post (with preview), vote and comment"); this one needs
 * no browser and asserts on markup and on the database, not on English wording.
 */
import { getDb } from "../../consultations/db/client";
import { createConsultation, createFacilitator, invite, joinParticipant, submit, type Member, type TestConsultation } from "../factories";
import { get, locationPath, parseForms, post, signedIn, type HtmlForm, type HttpResult } from "./http-harness";

const PEERS = "Peers who use drugs";
const POLICE = "Police";

let c: TestConsultation;
let officer: Member;
let code: string;
let first: { id: string };
let second: { id: string };

beforeAll(async () => {
  const fac = await createFacilitator();
  c = await createConsultation(fac, { phase: "positions", groups: [PEERS, POLICE], questions: ["Where should drug checking happen?"] });
  [{ code }] = await invite(fac, c, PEERS);
  officer = await joinParticipant(fac, c, POLICE, { pseudonym: "Blue Coat" });
  first = await submit(officer, c, "Drug checking should be offered at every festival, without police at the tent.");
  second = await submit(officer, c, "Drug checking results should be published every month, in plain words.");
});

/** The one form on the page that `pick` accepts. */
function formOn(page: HttpResult, pick: (form: HtmlForm) => boolean, what: string): HtmlForm {
  const forms = parseForms(page.body).filter(pick);
  if (forms.length !== 1) throw new Error(`expected one ${what} form, found ${forms.length}`);
  return forms[0];
}

/** Submits a form as a browser without JavaScript: to its action (or the page), its hidden inputs, the typed fields, the clicked button. */
function submitForm(pagePath: string, form: HtmlForm, typed: Record<string, string>, button?: { name: string; value: string }, cookie?: string) {
  expect(form.method).toBe("post");
  for (const name of Object.keys(typed)) expect(form.fields, `the form has a "${name}" field`).toContain(name);
  if (button) expect(form.buttons).toContainEqual(button);
  const target = new URL(form.action ?? pagePath, `http://localhost${pagePath}`);
  const fields: Array<[string, string]> = [...Object.entries(form.hidden), ...Object.entries(typed), ...(button ? [[button.name, button.value] as [string, string]] : [])];
  return post(target.pathname + target.search, fields, { cookie });
}

/** A POST answered as a browser without JavaScript expects: a redirect back (303/302) or the page itself (200). */
async function followed(res: HttpResult, fallback: string, cookie: string): Promise<HttpResult> {
  expect([200, 302, 303], res.body.slice(0, 300)).toContain(res.status);
  if (res.status === 200) return res;
  const next = locationPath(res.location) ?? fallback;
  return get(next.split("#")[0], { cookie });
}

const text = (html: string) => html.replace(/<!-- -->/g, "");

describe("participant pages without JavaScript", () => {
  it("join, post a position, vote inline and on the vote-next page, comment: each result shows in the next GET", async () => {
    const db = await getDb();

    // Join: the invitation page's form, a made-up name typed in.
    const joinPath = `/join/${code}`;
    const joinPage = await get(joinPath);
    expect(joinPage.status).toBe(200);
    const joined = await submitForm(joinPath, formOn(joinPage, (f) => f.method === "post" && f.fields.includes("pseudonym"), "join"), { pseudonym: "Quiet Lantern", passphrase: "" });
    expect(joined.status).toBe(200);
    const cookie = joined.setCookies.map((s) => s.split(";")[0]).find((s) => s.startsWith("polyphony_session="));
    expect(cookie, "the join post sets the session cookie").toBeTruthy();
    expect(text(joined.body)).toContain("Quiet Lantern");
    const me = await db.participant.findFirstOrThrow({ where: { consultationId: c.id, pseudonym: "Quiet Lantern" } });

    // The consultation page links to the question.
    const home = await get(`/c/${c.slug}`, { cookie });
    expect(home.status).toBe(200);
    expect(text(home.body)).toContain("Quiet Lantern");
    const questionPath = `/c/${c.slug}/q/${c.questions[0]}`;
    expect(home.body).toContain(questionPath);

    // Post a position on the question page.
    const question = await get(questionPath, { cookie });
    expect(question.status).toBe(200);
    const positionForm = formOn(question, (f) => f.buttons.some((b) => b.name === "intent" && b.value === "submit"), "new position");
    const myText = "Peer-run drop-in spaces need funding, and should stay open at night.";
    const afterPosting = await followed(await submitForm(questionPath, positionForm, { body: myText }, { name: "intent", value: "submit" }, cookie!), questionPath, cookie!);
    expect(afterPosting.status).toBe(200);
    const mine = await db.position.findFirstOrThrow({ where: { consultationId: c.id, authorId: me.id } });
    expect(mine.body).toBe(myText);
    const questionAgain = await get(questionPath, { cookie });
    expect(text(questionAgain.body)).toContain(myText);

    // Vote "agree" on the first position, inline on the question page.
    const voteForm = (page: HttpResult, positionId: string) => formOn(page, (f) => f.hidden.intent === "vote" && f.hidden.positionId === positionId, `vote on ${positionId}`);
    const inline = voteForm(questionAgain, first.id);
    expect(inline.hidden.js, "no js=1 marker without JavaScript").toBeUndefined();
    const voted = await followed(await submitForm(questionPath, inline, {}, { name: "choice", value: "agree" }, cookie!), questionPath, cookie!);
    expect(voted.status).toBe(200);
    expect(await db.vote.findFirst({ where: { participantId: me.id, positionId: first.id } })).toMatchObject({ positionId: first.id });
    const pressed = (page: HttpResult, positionId: string) =>
      voteForm(page, positionId).html.match(/<button\b[^>]*>/g)!.filter((b) => /aria-pressed="true"/.test(b)).map((b) => /value="(\w+)"/.exec(b)?.[1]);
    expect(pressed(await get(questionPath, { cookie }), first.id)).toEqual(["agree"]);

    // Vote-next offers the one position left (not my own, not the one I voted on); vote "disagree" there.
    const nextPath = `/c/${c.slug}/next`;
    const next = await get(nextPath, { cookie });
    expect(next.status).toBe(200);
    const nextVote = formOn(next, (f) => f.hidden.intent === "vote", "vote-next");
    expect(nextVote.hidden.positionId).toBe(second.id);
    const afterNext = await followed(await submitForm(nextPath, nextVote, {}, { name: "choice", value: "disagree" }, cookie!), nextPath, cookie!);
    expect(afterNext.status).toBe(200);
    // Nothing left to vote on: no vote form on the next GET.
    expect(parseForms((await get(nextPath, { cookie })).body).filter((f) => f.hidden.intent === "vote")).toEqual([]);
    expect(pressed(await get(`/c/${c.slug}/p/${second.id}`, { cookie }), second.id)).toEqual(["disagree"]);

    // Comment "for" on the first position, on its page.
    const positionPath = `/c/${c.slug}/p/${first.id}`;
    const positionPage = await get(positionPath, { cookie });
    expect(positionPage.status).toBe(200);
    const commentForm = formOn(positionPage, (f) => f.hidden.intent === "comment" && f.hidden.parentId === undefined, "new comment");
    const myComment = "Yes, and peers should staff the tent.";
    const commented = await followed(await submitForm(positionPath, commentForm, { stance: "for", body: myComment }, undefined, cookie!), positionPath, cookie!);
    expect(commented.status).toBe(200);
    expect(await db.comment.findFirst({ where: { authorId: me.id, positionId: first.id } })).toMatchObject({ body: myComment, stance: "for" });
    const withComment = text((await get(positionPath, { cookie })).body);
    expect(withComment).toContain(myComment);
    expect(withComment).toContain("Quiet Lantern");

    // The other participant sees the new comment and the new position in the server-rendered HTML too.
    const officerCookie = await signedIn(db, { participantIds: [officer.me.id] });
    expect(text((await get(positionPath, { cookie: officerCookie })).body)).toContain(myComment);
    expect(text((await get(questionPath, { cookie: officerCookie })).body)).toContain(myText);
  });
});
