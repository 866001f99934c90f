/**
 * Security headers and data minimisation, through the real server (realtime/app-server.ts: Express +
 * the Remix build, started by realtime-harness.ts `startServer`, mode production): the crawl of
 * crawl.ts as a police participant, a policymaker (report files included), the facilitator and an
 * anonymous visitor, then on every response of every page type:
 *
 * - Content-Security-Policy with a per-response nonce: script-src has 'nonce-…' equal to the nonce of
 *   every <script> in the HTML, different on every response; no 'unsafe-inline' for scripts;
 *   frame-ancestors 'none';
 * - X-Content-Type-Options nosniff, Referrer-Policy, Strict-Transport-Security (production mode; absent
 *   otherwise);
 * - Cache-Control: no-store on every Remix response (participant and facilitator pages included);
 * - no third-party reference in any HTML or CSS: every src/href/action/url(...) is relative or
 *   same-origin.
 *
 * And no IP address is stored: after the crawl and sign-ins (facilitator login, a participant coming back
 * with a recovery code, a new participant joining) sent with X-Forwarded-For / X-Real-IP, every text
 * column of every table of the SQLite file is scanned for IP-address patterns.
 */
import { getDb } from "../../consultations/db/client";
import { createInvitations } from "../../consultations/invitations";
import { createRealtimeServer } from "../../realtime/app-server";
import { buildCrawlWorld, crawl, ipAddressesIn, linkTargets, type CrawlWorld, type Visit } from "./crawl";
import { SESSION_COOKIE, serverBuild } from "./http-harness";
import { startServer, type RunningServer } from "./realtime-harness";
import { applicationTables, tableRows } from "../setup/dialect";

vi.setConfig({ testTimeout: 120_000 });

let w: CrawlWorld;
let srv: RunningServer;
let visits: Visit[] = [];

/** A GET through the real server, as a browser without JavaScript. */
async function fetchFrom(base: string, path: string, cookie: string | null, extra: Record<string, string> = {}) {
  const res = await fetch(new URL(path, base), {
    redirect: "manual",
    headers: { Accept: "text/html,*/*", "Accept-Language": "en", ...(cookie ? { Cookie: cookie } : {}), ...extra },
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

const cookieOf = (token: string) => `${SESSION_COOKIE}=${token}`;

beforeAll(async () => {
  w = await buildCrawlWorld();
  srv = await startServer();
  const as = (cookie: string | null, start: string[]) =>
    crawl((path) => fetchFrom(srv.url, path, cookie), start, { skip: [/^\/logout/], limit: 150 });
  visits = [
    ...(await as(cookieOf(w.police.token), ["/", `/c/${w.a.slug}`, `/c/${w.a.slug}/live`, `/c/${w.a.slug}/next`])),
    ...(await as(cookieOf(w.policymaker.token), [`/c/${w.b.slug}`, `/reports/${w.b.slug}`])),
    ...(await as(cookieOf(w.facToken), ["/facilitate", "/account", `/facilitate/${w.a.slug}`, `/facilitate/${w.b.slug}`])),
    ...(await as(null, ["/", "/login", "/signup", "/join", `/reports/${w.b.slug}`])),
  ];
}, 180_000);

afterAll(async () => {
  await srv?.close();
});

/** The route pattern of a path: ids and slugs replaced, so each page type is named once. */
function pageType(path: string): string {
  const { pathname } = new URL(path, "http://x");
  return pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ":id")
    .replace(new RegExp(`${w.a.slug}|${w.b.slug}`, "g"), ":slug");
}

const html = () => visits.filter((v) => v.status === 200 && v.contentType.startsWith("text/html"));
const directive = (csp: string, name: string) => csp.split(";").map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? "";

it("the crawl covered every kind of page (participant, facilitator, report, public) and the report files", () => {
  const types = new Set(html().map((v) => pageType(v.path)));
  console.log(`[security-headers] ${visits.length} responses, ${html().length} HTML pages, ${types.size} page types: ${[...types].sort().join(" ")}`);
  for (const type of ["/", "/c/:slug", "/c/:slug/p/:id", "/c/:slug/q/:id", "/c/:slug/live", "/facilitate", "/facilitate/:slug", "/facilitate/:slug/moderation", "/facilitate/:slug/invitations", "/facilitate/:slug/synthesis", "/reports/:slug", "/login", "/join", "/account"]) {
    expect(types, type).toContain(type);
  }
  expect(types.size).toBeGreaterThanOrEqual(18);
  const paths = visits.filter((v) => v.status === 200).map((v) => v.path);
  for (const ext of ["md", "html", "json", "csv"]) expect(paths).toContain(`/reports/${w.b.slug}.${ext}`);
});

it("CSP: a fresh nonce per response on every <script>; no 'unsafe-inline' scripts; frame-ancestors 'none'", () => {
  const nonces = new Set<string>();
  // Pages with scripts (the public report page has none on purpose).
  let withScripts = 0;
  for (const v of html()) {
    const csp = v.headers.get("Content-Security-Policy") ?? "";
    const scriptSrc = directive(csp, "script-src");
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc)?.[1];
    expect(nonce, `${v.path}: script-src ${scriptSrc}`).toBeTruthy();
    expect(scriptSrc, v.path).not.toContain("unsafe-inline");
    expect(scriptSrc, v.path).not.toContain("unsafe-eval");
    expect(directive(csp, "frame-ancestors"), v.path).toBe("frame-ancestors 'none'");
    expect(directive(csp, "default-src"), v.path).toBe("default-src 'self'");
    expect(directive(csp, "object-src"), v.path).toBe("object-src 'none'");
    // Every script (inline or not) carries this response's nonce.
    const scripts = [...v.body.matchAll(/<script\b([^>]*)>/gi)];
    if (scripts.length) withScripts += 1;
    for (const s of scripts) expect(/\snonce="([^"]*)"/.exec(s[1])?.[1], `${v.path}: ${s[0]}`).toBe(nonce);
    // Inline event handlers would need 'unsafe-inline': there are none.
    expect(v.body, v.path).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
    expect(nonces.has(nonce!), `${v.path}: nonce reused`).toBe(false);
    nonces.add(nonce!);
  }
  expect(nonces.size).toBe(html().length);
  expect(withScripts).toBeGreaterThan(html().length / 2);
});

it("nosniff, Referrer-Policy, HSTS on every response; Cache-Control: no-store on every page but the public report files", () => {
  const remix = visits.filter((v) => v.status < 500);
  expect(remix.length).toBeGreaterThan(40);
  for (const v of remix) {
    // Browsers read the first value (Fetch spec); a route that repeats the header gives "nosniff, nosniff".
    expect(v.headers.get("X-Content-Type-Options")?.split(",")[0].trim(), v.path).toBe("nosniff");
    expect(v.headers.get("Referrer-Policy"), v.path).toBe("same-origin");
    expect(v.headers.get("Strict-Transport-Security"), v.path).toMatch(/^max-age=(\d+)/);
    expect(Number(/max-age=(\d+)/.exec(v.headers.get("Strict-Transport-Security")!)![1]), v.path).toBeGreaterThanOrEqual(31_536_000);
    expect(v.headers.get("X-Frame-Options"), v.path).toBe("DENY");
    // The public report's files (the same for everyone, nothing personal) may be cached briefly; every
    // page and the facilitator's draft download never.
    if (/^\/reports\/[^/]+\.(md|html|json|csv)$/.test(v.path)) expect(v.headers.get("Cache-Control"), v.path).toMatch(/^((private, )?no-store|public, max-age=\d+)$/);
    else expect(v.headers.get("Cache-Control"), v.path).toMatch(/^(private, )?no-store$/);
    expect(v.headers.get("X-Powered-By"), v.path).toBeNull();
  }
  // Participant and facilitator pages, explicitly.
  expect(remix.filter((v) => v.path.startsWith("/c/")).length).toBeGreaterThan(5);
  expect(remix.filter((v) => v.path.startsWith("/facilitate")).length).toBeGreaterThan(5);
  expect(remix.filter((v) => v.path.includes("/synthesis/download")).length).toBeGreaterThan(0);
});

it("static files: nosniff and HSTS too; fingerprinted build files cache, and are served from here", async () => {
  const page = html().find((v) => v.path === "/")!;
  const css = linkTargets(page.body).filter((t) => t.endsWith(".css"));
  expect(css.length).toBeGreaterThan(0);
  for (const href of css) {
    const res = await fetchFrom(srv.url, href, null);
    expect(res.status, href).toBe(200);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/^max-age=/);
  }
});

it("without production mode there is no Strict-Transport-Security (plain-http development is not locked out)", async () => {
  const dev = createRealtimeServer({ build: await serverBuild(), mode: "development", sockets: { sessionSweepMs: 0, syncIntervalMs: 0, log: () => {} } });
  const address = await dev.listen(0, "127.0.0.1");
  try {
    const res = await fetch(`http://127.0.0.1:${address.port}/login`, { redirect: "manual" });
    await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get("Strict-Transport-Security")).toBeNull();
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  } finally {
    await dev.close();
  }
});

it("no third-party reference in any HTML page or style sheet: every src/href/action/url() is relative or same-origin", async () => {
  const own = new Set([new URL(srv.url).origin, "http://localhost"]);
  const offSite = (ref: string) => {
    if (!ref || ref.startsWith("#") || /^(mailto:|data:)/i.test(ref)) return false;
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith("//")) {
      try {
        return !own.has(new URL(ref, srv.url).origin);
      } catch {
        return true;
      }
    }
    return false;
  };
  const found: string[] = [];
  const sheets = new Set<string>();
  for (const v of html()) {
    for (const ref of linkTargets(v.body)) {
      if (offSite(ref)) found.push(`${v.path}: ${ref}`);
      if (ref.endsWith(".css")) sheets.add(ref);
    }
    for (const m of v.body.matchAll(/url\(\s*['"]?([^'")]*)/gi)) if (offSite(m[1])) found.push(`${v.path}: url(${m[1]})`);
    for (const m of v.body.matchAll(/@import\s+['"]([^'"]+)/gi)) found.push(`${v.path}: @import ${m[1]}`);
  }
  expect(sheets.size).toBeGreaterThan(0);
  for (const sheet of sheets) {
    const css = (await fetchFrom(srv.url, sheet, null)).body;
    expect(css.length, sheet).toBeGreaterThan(100);
    for (const m of css.matchAll(/url\(\s*['"]?([^'")]*)/gi)) if (offSite(m[1])) found.push(`${sheet}: url(${m[1]})`);
    for (const m of css.matchAll(/@import\s+(?:url\()?['"]?([^'")]+)/gi)) if (offSite(m[1])) found.push(`${sheet}: @import ${m[1]}`);
    // No web fonts from elsewhere either (a font-face must point here).
    for (const m of css.matchAll(/@font-face\s*{[^}]*}/gi)) if (/url\(\s*['"]?(https?:)?\/\//i.test(m[0])) found.push(`${sheet}: ${m[0]}`);
  }
  expect(found).toEqual([]);
});

it("no IP address is stored: every text column of every table, after the crawl and sign-ins from forwarded addresses", async () => {
  const db = await getDb();
  const forwarded = { "X-Forwarded-For": "203.0.113.7, 198.51.100.23", "X-Real-IP": "203.0.113.7", Forwarded: "for=\"[2001:db8::17]\"" };
  const postForm = (path: string, form: Record<string, string>) =>
    fetch(new URL(path, srv.url), {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: srv.url, ...forwarded },
      body: new URLSearchParams(form).toString(),
    });
  // A facilitator signs in, a participant comes back with a recovery code, a new participant joins.
  const login = await postForm("/login", { email: w.fac.email, password: w.fac.password, next: "/facilitate" });
  expect(login.status).toBe(302);
  const back = await postForm(`/c/${w.a.slug}/return`, { method: "recovery", recoveryCode: w.aMembers[2].recoveryCode });
  expect(back.status).toBe(302);
  const [invitation] = await createInvitations(db, w.fac.viewer, w.a.key, { groupId: w.a.groups["Outreach workers"], count: 1 });
  const join = await postForm(`/join/${invitation.code}`, { pseudonym: "Forwarded Walker", passphrase: "a long enough passphrase here" });
  // 200 on purpose: the page shows the recovery code to write down (join.$code.tsx).
  expect(join.status).toBe(200);
  expect(join.headers.get("Cache-Control")).toBe("no-store");
  expect(await db.participant.count({ where: { pseudonym: "Forwarded Walker" } })).toBe(1);
  // A failed sign-in is not logged with its address either.
  expect((await postForm("/login", { email: w.fac.email, password: "wrong password entirely" })).status).toBeGreaterThanOrEqual(400);

  const tables = await applicationTables(db);
  expect(tables.length).toBeGreaterThan(10);
  const found: string[] = [];
  let cells = 0;
  for (const name of tables) {
    for (const row of (await tableRows(db, name)) as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== "string") continue;
        cells += 1;
        for (const ip of ipAddressesIn(value)) found.push(`${name}.${column}: ${ip} in ${value.slice(0, 120)}`);
      }
    }
  }
  console.log(`[security-headers] scanned ${cells} text cells in ${tables.length} tables for IP addresses`);
  expect(cells).toBeGreaterThan(500);
  expect(found).toEqual([]);
});

it("every export (public report files and the facilitator's draft downloads) dates the report to the day, with no time", async () => {
  const exports = visits.filter((v) => v.status === 200 && (/^\/reports\/[^/]+\.(md|html|json|csv)$/.test(v.path) || v.path.includes("/synthesis/download")));
  // Public: md, html, json, csv; the facilitator's draft: every format the synthesis page links.
  expect(exports.filter((v) => v.path.startsWith("/reports/")).length).toBeGreaterThanOrEqual(4);
  const downloads = exports.filter((v) => v.path.includes("/synthesis/download"));
  expect(downloads.length).toBeGreaterThanOrEqual(4);
  for (const v of exports) {
    expect(v.body, v.path).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
    expect(v.body, v.path).not.toMatch(/\b(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?\b/);
    if (v.path.endsWith(".json") || v.path.includes("format=json")) expect(JSON.parse(v.body).generatedAt, v.path).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
});
