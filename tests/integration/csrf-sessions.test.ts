/**
 * CSRF and session lifetime through the real server (realtime/app-server.ts behind realtime-harness.ts
 * `startServer`): the Origin / Fetch-Metadata check sits in Express, before Remix, so the in-process
 * http-harness cannot see it.
 *
 * - Every action of the route inventory (every route of the build with an action, found from the build
 *   itself, so a new action is covered without editing this file) is posted, with a valid session, from
 *   another site: `Origin: https://evil.example`, `Origin: null`, and a same-origin Origin with
 *   `Sec-Fetch-Site: cross-site` / `same-site`. Each answers 403 and no table changes (sessions included).
 *   Controls: the same kind of request from the site itself does take effect.
 * - Sessions end, seen from a browser: sign-out, suspension, a password change, 7 idle days, 30 days in
 *   all (the domain rules themselves are in domain-sessions.test.ts; socket revocation in
 *   realtime-revocation.test.ts).
 */
import type { Db } from "../../consultations/db/client";
import { getDb } from "../../consultations/db/client";
import { suspendParticipant } from "../../consultations/participants";
import { createSession } from "../../consultations/sessions";
import { createConsultation, createFacilitator, invite, joinParticipant, submit, type Facilitator, type Member, type TestConsultation } from "../factories";
import { routeTable, SESSION_COOKIE } from "./http-harness";
import { startServer, type RunningServer } from "./realtime-harness";
import { applicationTables, tableRows } from "../setup/dialect";

vi.setConfig({ testTimeout: 60_000 });

let srv: RunningServer;
let fac: Facilitator;
let c: TestConsultation;
let peer: Member;
let officer: Member;
let positionId: string;
let code: string;

beforeAll(async () => {
  srv = await startServer();
  fac = await createFacilitator();
  c = await createConsultation(fac, { phase: "positions" });
  peer = await joinParticipant(fac, c, "Peers who use drugs");
  officer = await joinParticipant(fac, c, "Police");
  positionId = (await submit(peer, c, "Drug checking should be free and anonymous.")).id;
  code = (await invite(fac, c, "Sex workers"))[0].code;
});

afterAll(async () => {
  await srv?.close();
});

const cookieOf = (token: string) => `${SESSION_COOKIE}=${token}`;

async function postTo(path: string, form: Record<string, string>, headers: Record<string, string>, cookie?: string) {
  const res = await fetch(new URL(path, srv.url), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}), ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

async function getPage(path: string, cookie: string) {
  const res = await fetch(new URL(path, srv.url), { redirect: "manual", headers: { Cookie: cookie, Accept: "text/html" } });
  await res.text();
  return { status: res.status, location: res.headers.get("Location") };
}

/** Every row of every table (sessions included: a refused request must not even touch them). */
async function snapshot(db: Db): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const name of await applicationTables(db)) out[name] = await tableRows(db, name);
  return JSON.stringify(out, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** A concrete path for a route pattern, and who posts there (a form that would do something real). */
function target(pattern: string, index: boolean): { path: string; who: "facilitator" | "participant" | "anonymous"; form: Record<string, string> } {
  const path =
    pattern
      .replace(":slug", c.slug)
      .replace(":positionId", positionId)
      .replace(":questionId", c.questions[0])
      .replace(":code", code)
      .replace(/:[A-Za-z]+/g, "x") + (index ? "?index" : "");
  if (path.startsWith("/facilitate") || path.startsWith("/account") || path.startsWith("/logout")) {
    return { path, who: "facilitator", form: { intent: "create", groupId: c.groups["Police"], count: "2", validDays: "30", label: "csrf" } };
  }
  if (path.startsWith("/c/")) {
    return { path, who: "participant", form: { intent: "comment", stance: "for", body: "Posted from another site.", positionId, choice: "agree" } };
  }
  return { path, who: "anonymous", form: { email: fac.email, password: fac.password, pseudonym: "Evil Visitor", organisationName: "Evil", displayName: "Evil", next: "/" } };
}

const CROSS_SITE: Array<{ name: string; headers: () => Record<string, string> }> = [
  { name: "Origin: https://evil.example", headers: () => ({ Origin: "https://evil.example" }) },
  { name: "Origin: null", headers: () => ({ Origin: "null" }) },
  { name: "Sec-Fetch-Site: cross-site (Origin claims this site)", headers: () => ({ Origin: srv.url, "Sec-Fetch-Site": "cross-site" }) },
  { name: "Sec-Fetch-Site: same-site (a sibling subdomain)", headers: () => ({ Origin: srv.url, "Sec-Fetch-Site": "same-site" }) },
  { name: "Sec-Fetch-Site: cross-site, no Origin", headers: () => ({ "Sec-Fetch-Site": "cross-site" }) },
];

describe("CSRF: every action refuses other sites", () => {
  it("every action of the build answers 403 to a cross-site post and changes no table", async () => {
    const db = await getDb();
    const facToken = (await createSession(db, { accountId: fac.account.id })).token;
    const actions = (await routeTable()).filter((r) => r.hasAction);
    // The inventory is what the build has (at least the 18 actions of the matrix's time).
    expect(actions.length).toBeGreaterThanOrEqual(18);
    let checked = 0;
    for (const route of actions) {
      const { path, who, form } = target(route.pattern, route.index);
      const cookie = who === "facilitator" ? cookieOf(facToken) : who === "participant" ? cookieOf(officer.token) : undefined;
      for (const attack of CROSS_SITE) {
        const before = await snapshot(db);
        const res = await postTo(path, form, attack.headers(), cookie);
        expect(res.status, `${route.id} ${path} with ${attack.name}`).toBe(403);
        expect(res.body).toBe("Requests from other sites are not accepted.");
        expect(await snapshot(db), `${route.id} with ${attack.name}: a table changed`).toBe(before);
        checked += 1;
      }
    }
    console.log(`[csrf] ${actions.length} actions x ${CROSS_SITE.length} cross-site variants = ${checked} refused posts`);
  });

  it("controls: the same posts from the site itself take effect (Origin and Sec-Fetch-Site: same-origin)", async () => {
    const db = await getDb();
    const facToken = (await createSession(db, { accountId: fac.account.id })).token;
    const same = { Origin: srv.url, "Sec-Fetch-Site": "same-origin" };
    // A facilitator creates invitations.
    const inv = target(`/facilitate/:slug/invitations`, false);
    const created = await postTo(inv.path, inv.form, same, cookieOf(facToken));
    expect(created.status).toBe(200);
    expect(await db.invitation.count({ where: { consultationId: c.id, label: "csrf" } })).toBe(2);
    // A participant comments.
    const comment = target(`/c/:slug/p/:positionId`, false);
    const posted = await postTo(comment.path, comment.form, same, cookieOf(officer.token));
    expect([200, 302]).toContain(posted.status);
    expect(await db.comment.count({ where: { positionId, body: "Posted from another site." } })).toBe(1);
    // A facilitator signs in (no Origin at all: not a browser, let through; the form decides).
    const login = await postTo("/login", { email: fac.email, password: fac.password, next: "/facilitate" }, {});
    expect(login.status).toBe(302);
    expect(login.headers.get("Set-Cookie")).toContain(SESSION_COOKIE);
    // A user-initiated navigation ("none") is not another site.
    const typed = await postTo("/login", { email: fac.email, password: fac.password, next: "/facilitate" }, { "Sec-Fetch-Site": "none" });
    expect(typed.status).toBe(302);
  });
});

describe("sessions end, as a browser sees them", () => {
  it("sign-out: the old cookie no longer opens anything", async () => {
    const db = await getDb();
    const token = (await createSession(db, { accountId: fac.account.id })).token;
    expect((await getPage("/facilitate", cookieOf(token))).status).toBe(200);
    const out = await postTo("/logout", {}, { Origin: srv.url }, cookieOf(token));
    expect(out.status).toBe(302);
    const after = await getPage("/facilitate", cookieOf(token));
    expect(after.status).toBe(302);
    expect(after.location).toMatch(/^\/login/);
  });

  it("suspension: the participant's sessions end (their cookie reads as a stranger's)", async () => {
    const db = await getDb();
    const member = await joinParticipant(fac, c, "Outreach workers");
    expect((await getPage(`/c/${c.slug}`, cookieOf(member.token))).status).toBe(200);
    await suspendParticipant(db, fac.viewer, c.key, member.me.id, { reason: "Testing." });
    const after = await getPage(`/c/${c.slug}`, cookieOf(member.token));
    expect(after.status).toBe(302);
    expect(after.location).toBe(`/c/${c.slug}/return`);
    // Other participants are untouched.
    expect((await getPage(`/c/${c.slug}`, cookieOf(officer.token))).status).toBe(200);
  });

  it("password change: every other session of the account ends; this device gets a new one", async () => {
    const db = await getDb();
    const other = await createFacilitator();
    const elsewhere = (await createSession(db, { accountId: other.account.id })).token;
    const here = (await createSession(db, { accountId: other.account.id })).token;
    const res = await postTo("/account", { intent: "change-password", current: other.password, next: "a brand new long password" }, { Origin: srv.url }, cookieOf(here));
    expect(res.status).toBe(302);
    const fresh = /polyphony_session=([^;]+)/.exec(res.headers.get("Set-Cookie") ?? "")?.[1];
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(here);
    for (const dead of [elsewhere, here]) {
      const after = await getPage("/account", cookieOf(dead));
      expect(after.status, "old session").toBe(302);
      expect(after.location).toMatch(/^\/login/);
    }
    expect((await getPage("/account", cookieOf(fresh!))).status).toBe(200);
  });

  it("7 idle days end a session; 30 days in all end it even when used every day", async () => {
    const db = await getDb();
    const DAY = 86_400_000;
    const now = Date.now();
    // An account whose password was set 40 days ago (else backdated sessions would end for that reason).
    const veteran = await createFacilitator();
    await db.account.update({ where: { id: veteran.account.id }, data: { passwordChangedAt: new Date(now - 40 * DAY) } });
    const idle = await createSession(db, { accountId: veteran.account.id });
    const old = await createSession(db, { accountId: veteran.account.id });
    const alive = await createSession(db, { accountId: veteran.account.id });
    // Idle: last request 7 days and a minute ago.
    await db.session.update({ where: { id: idle.sessionId }, data: { lastSeenAt: new Date(now - 7 * DAY - 60_000) } });
    // Absolute: created 30 days and a minute ago, used a minute ago.
    await db.session.update({
      where: { id: old.sessionId },
      data: { createdAt: new Date(now - 30 * DAY - 60_000), expiresAt: new Date(now - 60_000), lastSeenAt: new Date(now - 60_000) },
    });
    // Just inside both limits: alive.
    await db.session.update({ where: { id: alive.sessionId }, data: { createdAt: new Date(now - 29 * DAY), lastSeenAt: new Date(now - 6 * DAY) } });
    for (const dead of [idle.token, old.token]) {
      const res = await getPage("/facilitate", cookieOf(dead));
      expect(res.status).toBe(302);
      expect(res.location).toMatch(/^\/login/);
    }
    expect((await getPage("/facilitate", cookieOf(alive.token))).status).toBe(200);
  });
});
