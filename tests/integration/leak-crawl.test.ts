/**
 * Leak crawl: plays (a) a police participant of consultation A and (b) a policymaker who took part in
 * consultation B (published report), and (c) an anonymous reader of B's report. Each crawls the real
 * Remix build (http-harness.ts) from the pages they can reach, following every same-origin link, GET form
 * and resource route (report .md/.html/.json/.csv) found, and the two participants hold sockets on the
 * real server (realtime-harness.ts): join, replay from 0, then live events while other people act.
 *
 * Nothing collected may contain: an email address, an account / organisation / participant / session id,
 * anyone else's recovery code, invitation code, session token or any stored hash, an IP address pattern
 * (IPv4/IPv6, 127.0.0.1 and ::1 included), a pseudonym of the other consultation, or the pseudonym of a
 * participant who only voted. The counts of pages, resources and payloads are printed and bounded below
 * so the crawl cannot silently shrink.
 */
import { postComment } from "../../consultations/comments";
import { getDb } from "../../consultations/db/client";
import { createInvitations } from "../../consultations/invitations";
import { flagContent, hideContent } from "../../consultations/moderation";
import { suspendParticipant } from "../../consultations/participants";
import { castVote } from "../../consultations/votes";
import { joinParticipant } from "../factories";
import { buildCrawlWorld, crawl, ipAddressesIn, leaksIn, secretsOf, type CrawlWorld, type Visit } from "./crawl";
import { get, sessionCookie } from "./http-harness";
import { joined, requestKey, startServer, type Client, type RunningServer } from "./realtime-harness";

vi.setConfig({ testTimeout: 120_000 });

let w: CrawlWorld;
let srv: RunningServer;
const open: Client[] = [];

beforeAll(async () => {
  w = await buildCrawlWorld();
  srv = await startServer();
}, 180_000);

afterAll(async () => {
  for (const client of open) client.close();
  await srv?.close();
});

/** Crawl as a browser with this cookie (null: anonymous). Never follows sign-out. */
function crawlAs(cookie: string | null, start: string[]) {
  return crawl((path) => get(path, { cookie }), start, { skip: [/^\/logout/] });
}

const pseudonymsOf = (members: CrawlWorld["aMembers"], what: string) => members.map((m) => ({ what: `${what} ${m.pseudonym}`, value: m.pseudonym }));

function report(who: string, visits: Visit[], payloads: number) {
  const pages = visits.filter((v) => v.contentType.startsWith("text/html")).length;
  const resources = visits.length - pages;
  console.log(`[leak-crawl] ${who}: ${visits.length} responses (${pages} HTML pages, ${resources} resources), ${payloads} socket payloads`);
  if (process.env.LEAK_CRAWL_DEBUG) console.log(visits.map((v) => `${v.status} ${v.contentType.split(";")[0]} ${v.path}`).join("\n"));
  return { pages, resources };
}

function assertClean(visits: Visit[], payloads: unknown[], secrets: Awaited<ReturnType<typeof secretsOf>>) {
  const leaks: string[] = [];
  for (const v of visits) {
    const headerText = [...v.headers.entries()].filter(([k]) => k.toLowerCase() !== "set-cookie").map(([k, val]) => `${k}: ${val}`).join("\n");
    for (const leak of leaksIn(`${v.body}\n${headerText}`, secrets)) leaks.push(`${v.path}: ${leak}`);
  }
  for (const [i, payload] of payloads.entries()) for (const leak of leaksIn(JSON.stringify(payload), secrets)) leaks.push(`socket payload ${i}: ${leak}`);
  expect(leaks).toEqual([]);
}

describe("the detectors", () => {
  // Case: the detectors find what they look for (so a clean result means something).
  it("find emails, ids, codes, tokens, pseudonyms and IP addresses", async () => {
    const secrets = await secretsOf(w, { pseudonyms: pseudonymsOf(w.bVoterOnly.slice(0, 1), "voter") });
    const m = w.aMembers[1];
    const text = [w.fac.email, m.me.id, m.recoveryCode, m.token, w.unusedCodes[0], w.bVoterOnly[0].pseudonym].join(" ");
    const found = leaksIn(text, secrets);
    for (const what of ["email", "participant id", "recovery code", "session token", "invitation code", "voter "]) {
      expect(found.some((f) => f.startsWith(what)), what).toBe(true);
    }
    expect(leaksIn("someone@example.net wrote", secrets)).toEqual(["email pattern: someone@example.net"]);
    expect(ipAddressesIn("from 127.0.0.1 and ::1 and ::ffff:10.0.0.2 and 2001:db8::7 and fe80:0:0:0:0:0:0:1")).toEqual(
      expect.arrayContaining(["127.0.0.1", "10.0.0.2", "::1", "2001:db8::7", "fe80:0:0:0:0:0:0:1"]),
    );
    // No false alarms on what pages are full of: times, versions, CSS pseudo-elements, scale labels.
    expect(ipAddressesIn("at 10:30, v1.2.3, a::before, 12:00:00, 3.5 of 5, 2026-11-23")).toEqual([]);
  });
});

describe("a police participant of A", () => {
  it("pages, resources and socket payloads carry nothing identifying", async () => {
    const db = await getDb();
    // Sockets first: join with a replay from 0, while other participants and the facilitator act.
    const live = await joined(srv.url, w.police.token, w.a.slug, 0);
    open.push(live);
    const [authorA, authorB] = w.aAuthors;
    const voteAck = await live.request("vote.cast", { slug: w.a.slug, positionId: w.aPositions[2], choice: "pass", idempotencyKey: requestKey() });
    expect(voteAck.ok).toBe(true);
    for (const m of w.aVoterOnly) await castVote(db, m.viewer, w.a.key, w.aPositions[0], { choice: "disagree" });
    const comment = await postComment(db, authorA.viewer, w.a.key, w.aPositions[1], { body: "Nights matter most, agreed.", stance: "for" });
    await flagContent(db, authorB.viewer, w.a.key, "comment", comment.id, { reason: "Testing the flag." });
    await hideContent(db, w.fac.viewer, w.a.key, "comment", comment.id, { reason: "Testing." });
    await createInvitations(db, w.fac.viewer, w.a.key, { groupId: w.a.groups["Police"], count: 1 });
    const newcomer = await joinParticipant(w.fac, w.a, "Outreach workers");
    await castVote(db, newcomer.viewer, w.a.key, w.aPositions[0], { choice: "agree" });
    await suspendParticipant(db, w.fac.viewer, w.a.key, w.aVoterOnly[0].me.id, { reason: "Testing." });
    const last = (await db.consultation.findUniqueOrThrow({ where: { id: w.a.id }, select: { eventSeq: true } })).eventSeq;
    // Every participant-visible event up to the last one has arrived (the last ones are facilitator-only).
    await live.until((r) => r.events.some((e) => e.type === "comment.posted") && r.events.some((e) => e.type === "comment.hidden"), 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.seq).toBeGreaterThan(0);
    expect(last).toBeGreaterThan(live.seq);
    // A second socket replays everything from the start, after all of it happened.
    const replay = await joined(srv.url, w.police.token, w.a.slug, 0);
    open.push(replay);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const payloads = [...live.received.all, ...replay.received.all, voteAck];

    // Then the HTTP crawl.
    const cookie = sessionCookie(w.police.token);
    const visits = await crawlAs(cookie, ["/", `/c/${w.a.slug}`, `/c/${w.a.slug}/live`, `/c/${w.a.slug}/next`, `/c/${w.a.slug}/return`, "/join"]);
    const { pages } = report("police participant of A", visits, payloads.length);
    // The crawl reached the participant area: consultation, question, position pages, live, next.
    const paths = visits.map((v) => v.path);
    for (const pid of w.aPositions) expect(paths.some((p) => p.startsWith(`/c/${w.a.slug}/p/${pid}`)), pid).toBe(true);
    expect(paths.some((p) => p.startsWith(`/c/${w.a.slug}/q/`))).toBe(true);
    expect(visits.filter((v) => v.status === 200).length).toBeGreaterThanOrEqual(10);
    expect(pages).toBeGreaterThanOrEqual(10);
    expect(payloads.length).toBeGreaterThanOrEqual(20);
    expect(replay.received.events.length).toBeGreaterThanOrEqual(10);

    const secrets = await secretsOf(w, {
      exceptRecoveryOf: w.police,
      pseudonyms: [
        ...pseudonymsOf(w.bMembers, "pseudonym of B:"),
        ...pseudonymsOf([...w.aVoterOnly, newcomer], "pseudonym of a voter of A:"),
      ],
    });
    assertClean(visits, payloads, secrets);
  });
});

describe("a policymaker of B, and an anonymous reader of B's report", () => {
  it("the policymaker's pages, report files and socket replay carry nothing identifying", async () => {
    const live = await joined(srv.url, w.policymaker.token, w.b.slug, 0);
    open.push(live);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const payloads = [...live.received.all];
    const cookie = sessionCookie(w.policymaker.token);
    const visits = await crawlAs(cookie, ["/", `/c/${w.b.slug}`, `/c/${w.b.slug}/live`, `/c/${w.b.slug}/next`, `/reports/${w.b.slug}`]);
    const { pages, resources } = report("policymaker of B", visits, payloads.length);
    const paths = visits.map((v) => v.path);
    // Every report file was reached from the report page.
    for (const ext of ["md", "html", "json", "csv"]) expect(paths, ext).toContain(`/reports/${w.b.slug}.${ext}`);
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(resources).toBeGreaterThanOrEqual(4);
    expect(payloads.length).toBeGreaterThanOrEqual(10);

    const secrets = await secretsOf(w, {
      exceptRecoveryOf: w.policymaker,
      pseudonyms: [...pseudonymsOf(w.aMembers, "pseudonym of A:"), ...pseudonymsOf(w.bVoterOnly, "pseudonym of a voter of B:")],
    });
    assertClean(visits, payloads, secrets);
  });

  it("an anonymous reader of the report sees no pseudonym at all", async () => {
    const visits = await crawlAs(null, ["/", `/reports/${w.b.slug}`, "/join", `/c/${w.b.slug}`]);
    const { pages, resources } = report("anonymous report reader", visits, 0);
    const ok = visits.filter((v) => v.status === 200).map((v) => v.path);
    for (const ext of ["md", "html", "json", "csv"]) expect(ok, ext).toContain(`/reports/${w.b.slug}.${ext}`);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(resources).toBeGreaterThanOrEqual(4);
    // The report carries real content (it is not an empty page that trivially leaks nothing).
    const json = visits.find((v) => v.path === `/reports/${w.b.slug}.json`)!;
    expect(JSON.parse(json.body).statements.length).toBeGreaterThanOrEqual(4);

    const secrets = await secretsOf(w, {
      pseudonyms: [...pseudonymsOf(w.aMembers, "pseudonym of A:"), ...pseudonymsOf(w.bMembers, "pseudonym of B:")],
    });
    assertClean(visits, [], secrets);
  });
});
