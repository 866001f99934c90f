/**
 * Page weight on low-end phones (issue 7): what each participant page costs to download.
 *
 * The production server (`node build/server.js`, process 1) on a fresh SQLite database with the seeded
 * demo consultation (prisma/seed.ts, docs/DEMO.md); this process plays a phone: it opens the landing
 * and join pages anonymously, signs in as the demo participant "Harbor Lantern" with the come-back form
 * (README, Demo logins), then opens every participant page. For each page it measures
 *
 *   - the HTML document (raw bytes, and gzip);
 *   - the CSS it links (<link rel="stylesheet">: raw, and gzip);
 *   - the JavaScript it loads: every <link rel="modulepreload"> and <script src>, every module imported
 *     by the inline module script (Remix's manifest, entry, root and route chunks), and every static
 *     import of those modules, followed to the end (normally Remix lists them all as modulepreloads);
 *     dynamic import()s are followed too and counted apart ("after hydration": the live socket is loaded
 *     that way once the page has hydrated, without any navigation);
 *   - the locale texts JSON that app/entry.client.tsx fetches before hydrating (<meta name="polyphony-texts">).
 *
 * Sizes are the bytes as served; "gzip" is zlib's gzip at level 9, approximating what a compressing
 * proxy sends (the app itself does not compress). KB = 1,024 bytes.
 *
 * Targets (exit code 1 when one is missed):
 *   - the participant pages' JavaScript, the union of the chunks over all participant pages plus the
 *     locale texts, under 150 KB gzipped in total: checked for the first download, and for everything
 *     the pages load (with the chunks loaded after hydration);
 *   - the first page (the landing page and the join page, each) under 50 KB of HTML + CSS, raw bytes.
 *
 *   npm run bench -- page-weight
 *   node --import tsx tests/bench/page-weight.ts [--no-build] [--lang=en] [--keep]
 *
 * --no-build uses build/ and public/build as they are (otherwise the Remix build is redone when app/ or
 * consultations/ is newer than build/index.js, and build/server.js when its inputs changed).
 * --lang sets Accept-Language (the texts JSON and the pages in that language). --keep keeps the database.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";
import { fileUrl, TMP_DIR } from "../setup/paths";
import { migrateFreshDatabase, removeDatabaseFiles } from "../setup/sqlite-files";
import { startAppProcess } from "../integration/process-harness";
import { loadAverage } from "./realtime-stats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=", 2) as [string, string]));
const noBuild = args.has("no-build");
const lang = args.get("lang") ?? "en";
const keep = args.has("keep");
const KB = 1024;
const JS_TARGET = 150 * KB;
const FIRST_PAGE_TARGET = 50 * KB;
const started = Date.now();
const log = (line: string) => console.log(`[page-weight ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

// ---------------------------------------------------------------- build

function newestSource(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!/\.(tsx?|css|json)$/.test(name) || name.includes("generated") || name.includes(".test.")) continue;
    newest = Math.max(newest, fs.statSync(path.join(dir, name)).mtimeMs);
  }
  return newest;
}

async function ensureBuild(): Promise<void> {
  const index = path.join(ROOT, "build", "index.js");
  const remixStale = !fs.existsSync(index) || Math.max(newestSource(path.join(ROOT, "app")), newestSource(path.join(ROOT, "consultations"))) > fs.statSync(index).mtimeMs;
  if (noBuild) {
    if (!fs.existsSync(index)) throw new Error("--no-build, but there is no build/index.js: run `npm run build` first");
    if (remixStale) log("warning: build/index.js is older than app/ or consultations/ (--no-build: measuring it anyway)");
  } else if (remixStale) {
    log("remix build (app/ or consultations/ changed since build/index.js)");
    const t0 = Date.now();
    const run = spawnSync(path.join(ROOT, "node_modules", ".bin", "remix"), ["build"], { cwd: ROOT, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`remix build failed:\n${run.stdout}\n${run.stderr}`);
    log(`remix build done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    log("reusing build/index.js and public/build (newer than app/ and consultations/)");
  }
  const serverBuild = (await import(pathToFileURL(path.join(ROOT, "realtime", "build-server.mjs")).href)) as {
    buildServer(options?: { quiet?: boolean }): Promise<number>;
    serverBuildIsCurrent(): boolean;
  };
  if (!serverBuild.serverBuildIsCurrent()) {
    if (noBuild) log("warning: build/server.js is older than its inputs (--no-build: using it anyway)");
    else await serverBuild.buildServer({ quiet: true });
  }
}

// ---------------------------------------------------------------- database and server

interface World {
  file: string;
  url: string;
  slug: string;
  joinCode: string;
  login: { pseudonym: string; passphrase: string };
}

async function prepare(): Promise<World> {
  const dir = path.join(TMP_DIR, "bench-page-weight");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `run-${process.pid}.db`);
  migrateFreshDatabase(file);
  const url = fileUrl(file);
  process.env.DATABASE_URL = url;
  const { createDb } = await import("../../consultations/db/client");
  const seed = await import("../../prisma/seed");
  const db = await createDb(url);
  try {
    await seed.seedDemo(db);
  } finally {
    await db.$disconnect();
  }
  const login = seed.DEMO_PARTICIPANTS[0];
  const code = Object.values(seed.DEMO_INVITATIONS)[0];
  return { file, url, slug: seed.DEMO_SLUG, joinCode: seed.joinPath(code).replace(/^\/join\//, ""), login: { pseudonym: login.pseudonym, passphrase: login.passphrase } };
}

/** The facilitator's steps the pages need: a live session open (the live page), later the published report. */
async function asFacilitator<T>(url: string, step: (tools: FacilitatorTools) => Promise<T>): Promise<T> {
  const { createDb } = await import("../../consultations/db/client");
  const seed = await import("../../prisma/seed");
  const db = await createDb(url);
  try {
    const email = seed.DEMO_FACILITATOR.email;
    const account = await db.account.findUniqueOrThrow({ where: { email }, select: { id: true, organisationId: true, displayName: true } });
    const viewer = { account, participants: [] };
    return await step({ db, viewer, key: { slug: seed.DEMO_SLUG } });
  } finally {
    await db.$disconnect();
  }
}

interface FacilitatorTools {
  db: Awaited<ReturnType<typeof import("../../consultations/db/client").createDb>>;
  viewer: { account: { id: string; organisationId: string; displayName: string }; participants: never[] };
  key: { slug: string };
}

/** `node build/server.js` in production mode on `url` (tests/integration/process-harness.ts), no abuse limits. */
async function startServer(url: string): Promise<{ child: ChildProcess; base: string }> {
  const app = await startAppProcess({ DATABASE_URL: url, POLYPHONY_FAST_HASH: "", POLYPHONY_RATE_LIMITS: "off" });
  children.add(app.child);
  return { child: app.child, base: app.url };
}

// ---------------------------------------------------------------- fetching and measuring

const gzip = (body: Buffer) => zlib.gzipSync(body, { level: 9 }).length;

interface Asset {
  url: string;
  raw: number;
  gzip: number;
}

/** Assets are fetched once (they are immutable, fingerprinted files). */
const assets = new Map<string, Promise<Asset & { body: Buffer }>>();

function asset(base: string, href: string): Promise<Asset & { body: Buffer }> {
  const url = new URL(href, base).toString();
  let got = assets.get(url);
  if (!got) {
    got = (async () => {
      const res = await fetch(url, { headers: { "Accept-Encoding": "identity", "Accept-Language": lang } });
      if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
      const body = Buffer.from(await res.arrayBuffer());
      return { url, raw: body.length, gzip: gzip(body), body };
    })();
    assets.set(url, got);
  }
  return got;
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, "i").exec(tag)?.[1]?.replace(/&amp;/g, "&");

/** Module specifiers in JavaScript: static `import ... from "x"`, `import "x"`, `export ... from "x"`, and `import("x")`. */
function importsOf(code: string): { static: string[]; dynamic: string[] } {
  const stat = new Set<string>();
  const dyn = new Set<string>();
  for (const m of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([^"']+)["']/g)) stat.add(m[1]);
  for (const m of code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) dyn.add(m[1]);
  return { static: [...stat], dynamic: [...dyn] };
}

interface PageWeight {
  name: string;
  path: string;
  status: number;
  html: Asset;
  css: Asset[];
  /** Every module the page loads: the first download (modulepreload, script, static imports) and after. */
  js: Asset[];
  /** Those of `js` that only a dynamic import() reaches (loaded after hydration, e.g. the live socket). */
  lazy: Set<string>;
  texts: Asset | null;
}

async function measurePage(base: string, name: string, pathname: string, cookie: string | null): Promise<PageWeight> {
  const res = await fetch(new URL(pathname, base), {
    headers: { Accept: "text/html", "Accept-Encoding": "identity", "Accept-Language": lang, ...(cookie ? { Cookie: cookie } : {}) },
    redirect: "manual",
  });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${pathname} answered ${res.status}${res.headers.get("location") ? ` -> ${res.headers.get("location")}` : ""}`);
  const html = body.toString("utf8");
  const pageUrl = new URL(pathname, base).toString();
  const tags = [...html.matchAll(/<(link|script)\b[^>]*>/gi)].map((m) => m[0]);
  const cssHrefs = tags.filter((t) => /^<link/i.test(t) && /\srel="stylesheet"/i.test(t)).map((t) => attr(t, "href")!).filter(Boolean);
  const jsRoots = new Set<string>();
  for (const t of tags) {
    if (/^<link/i.test(t) && /\srel="modulepreload"/i.test(t)) jsRoots.add(new URL(attr(t, "href")!, pageUrl).toString());
    if (/^<script/i.test(t) && attr(t, "src")) jsRoots.add(new URL(attr(t, "src")!, pageUrl).toString());
  }
  // Inline scripts (Remix's module script imports the manifest, entry and route modules).
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
    const found = importsOf(m[1]);
    for (const spec of [...found.static, ...found.dynamic]) if (/^(\/|\.|https?:)/.test(spec)) jsRoots.add(new URL(spec, pageUrl).toString());
  }
  // Follow the modules' imports to the end: static ones first (the first download), then dynamic ones.
  const js = new Map<string, Asset>();
  const dynamicRoots: string[] = [];
  const follow = async (roots: string[]) => {
    const queue = [...roots];
    while (queue.length) {
      const url = queue.shift()!;
      if (js.has(url)) continue;
      const a = await asset(base, url);
      js.set(url, { url: a.url, raw: a.raw, gzip: a.gzip });
      const found = importsOf(a.body.toString("utf8"));
      for (const spec of found.static) if (/^(\/|\.)/.test(spec)) queue.push(new URL(spec, url).toString());
      for (const spec of found.dynamic) if (/^(\/|\.)/.test(spec)) dynamicRoots.push(new URL(spec, url).toString());
    }
  };
  await follow([...jsRoots]);
  const firstDownload = new Set(js.keys());
  await follow(dynamicRoots);
  const lazy = new Set([...js.keys()].filter((url) => !firstDownload.has(url)));
  const css = await Promise.all(cssHrefs.map(async (href) => { const a = await asset(base, new URL(href, pageUrl).toString()); return { url: a.url, raw: a.raw, gzip: a.gzip }; }));
  const textsMeta = tags.length ? /<meta\s+name="polyphony-texts"\s+content="([^"]+)"/i.exec(html)?.[1] : undefined;
  let texts: Asset | null = null;
  if (textsMeta) {
    const a = await asset(base, new URL(textsMeta.replace(/&amp;/g, "&"), pageUrl).toString());
    texts = { url: a.url, raw: a.raw, gzip: a.gzip };
  }
  return { name, path: pathname, status: res.status, html: { url: pageUrl, raw: body.length, gzip: gzip(body) }, css, js: [...js.values()], lazy, texts };
}

// ---------------------------------------------------------------- the run

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
const sum = (xs: Asset[], k: "raw" | "gzip") => xs.reduce((s, a) => s + a[k], 0);
const short = (url: string) => new URL(url).pathname.replace(/^\/build\//, "");

async function signIn(base: string, slug: string, login: { pseudonym: string; passphrase: string }): Promise<string> {
  const res = await fetch(new URL(`/c/${slug}/return`, base), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, "Accept-Language": lang },
    body: new URLSearchParams({ method: "passphrase", pseudonym: login.pseudonym, passphrase: login.passphrase }).toString(),
    redirect: "manual",
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith("polyphony_session="));
  if (res.status !== 302 && res.status !== 303) throw new Error(`signing in as ${login.pseudonym} answered ${res.status}`);
  if (!cookie) throw new Error(`signing in as ${login.pseudonym} set no session cookie`);
  return cookie;
}

let languageCodes: string[] = [];
const otherTexts: Array<{ code: string; gzip: number; raw: number }> = [];

async function main(): Promise<number> {
  console.log(`# Page weight on ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, SQLite, language ${lang}, load average ${loadAverage()}`);
  await ensureBuild();
  const world = await prepare();
  log(`seeded the demo consultation /c/${world.slug} into ${path.relative(ROOT, world.file)}`);
  const { child, base } = await startServer(world.url);
  log(`server: ${base} (node build/server.js, NODE_ENV=production)`);
  const pages: PageWeight[] = [];
  const measure = async (name: string, pathname: string, cookie: string | null) => {
    const page = await measurePage(base, name, pathname, cookie);
    pages.push(page);
    log(`${name.padEnd(16)} ${pathname.padEnd(44)} HTML ${kb(page.html.raw)}, CSS ${kb(sum(page.css, "raw"))}, JS ${page.js.length} files ${kb(sum(page.js, "gzip"))} gz`);
  };
  try {
    // Anonymous: the first pages.
    await measure("landing", "/", null);
    const landing = await (await fetch(new URL("/", base), { headers: { "Accept-Language": lang } })).text();
    languageCodes = [...new Set([...landing.matchAll(/<option\b[^>]*\svalue="([a-z]{2,3})"/g)].map((m) => m[1]))];
    await measure("join (link)", `/join/${world.joinCode}`, null);
    await measure("join (code form)", "/join", null);
    await measure("return", `/c/${world.slug}/return`, null);
    const cookie = await signIn(base, world.slug, world.login);
    log(`signed in as ${world.login.pseudonym} with the come-back form`);
    await measure("consultation", `/c/${world.slug}`, cookie);
    const home = pages[pages.length - 1];
    const consultationHtml = await (await fetch(new URL(home.path, base), { headers: { Cookie: cookie } })).text();
    const questionId = new RegExp(`/c/${world.slug}/q/([\\w-]+)`).exec(consultationHtml)?.[1];
    const positionId = new RegExp(`/c/${world.slug}/p/([\\w-]+)`).exec(consultationHtml)?.[1];
    if (!questionId || !positionId) throw new Error("the consultation page links no question or no position");
    await measure("question", `/c/${world.slug}/q/${questionId}`, cookie);
    await measure("position", `/c/${world.slug}/p/${positionId}`, cookie);
    await measure("vote-next", `/c/${world.slug}/next`, cookie);
    await asFacilitator(world.url, async ({ db, viewer, key }) => {
      const live = await import("../../consultations/live-sessions");
      await live.openSession(db, viewer, key, {});
    });
    await measure("live", `/c/${world.slug}/live`, cookie);
    await measure("consent", `/c/${world.slug}/consent`, cookie);
    await measure("my-data", `/c/${world.slug}/my-data`, cookie);
    await measure("language", `/language?next=/c/${world.slug}`, cookie);
    const t0 = Date.now();
    await asFacilitator(world.url, async ({ db, viewer, key }) => {
      const live = await import("../../consultations/live-sessions");
      const consultations = await import("../../consultations/consultations");
      const synthesis = await import("../../consultations/synthesis-runs");
      await live.closeSession(db, viewer, key);
      const { id: runId } = await synthesis.startRun(db, viewer, key);
      const summary = await synthesis.runInWorker(runId, { db });
      if (summary?.status !== "done") throw new Error(`the synthesis did not finish: ${JSON.stringify(summary)}`);
      await consultations.movePhase(db, viewer, key, { to: "synthesis" });
      await synthesis.publishReport(db, viewer, key, { runId });
    });
    log(`the facilitator ran the synthesis and published the report (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    await measure("published report", `/reports/${world.slug}`, null);
    // The texts of every language (a Portuguese or Greek reader downloads theirs instead of English).
    for (const code of languageCodes) {
      const res = await fetch(new URL(`/locales/${code}.json${new URL(pages[0].texts?.url ?? base).searchParams.get("for") ? "?for=participant" : ""}`, base));
      if (!res.ok) continue;
      const body = Buffer.from(await res.arrayBuffer());
      otherTexts.push({ code, raw: body.length, gzip: gzip(body) });
    }
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  } finally {
    if (!keep) removeDatabaseFiles(world.file);
  }

  // ---- the table
  console.log("");
  console.log("| page | HTML raw | HTML gz | CSS raw | CSS gz | HTML+CSS raw | JS files | JS gz, first download | JS gz, after hydration | texts gz | JS+texts gz |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const p of pages) {
    const textsGz = p.texts?.gzip ?? 0;
    const later = p.js.filter((a) => p.lazy.has(a.url));
    console.log(
      `| ${p.name} \`${p.path.replace(/\/(q|p)\/[\w-]+/, "/$1/<id>").replace(/\/join\/[\w-]+/, "/join/<code>").replace(/\?.*$/, "")}\` | ${kb(p.html.raw)} | ${kb(p.html.gzip)} | ${kb(sum(p.css, "raw"))} | ${kb(sum(p.css, "gzip"))} | ${kb(p.html.raw + sum(p.css, "raw"))} | ${p.js.length} | ${kb(sum(p.js, "gzip") - sum(later, "gzip"))} | ${kb(sum(later, "gzip"))} | ${kb(textsGz)} | ${kb(sum(p.js, "gzip") + textsGz)} |`,
    );
  }
  const union = new Map<string, Asset>();
  for (const p of pages) for (const a of p.js) union.set(a.url, a);
  const texts = new Map<string, Asset>();
  for (const p of pages) if (p.texts) texts.set(p.texts.url, p.texts);
  const cssUnion = new Map<string, Asset>();
  for (const p of pages) for (const a of p.css) cssUnion.set(a.url, a);
  const chunks = [...union.values()].sort((a, b) => b.gzip - a.gzip);
  console.log("");
  console.log(`JavaScript over all ${pages.length} participant pages (union, largest first):`);
  const lazyEverywhere = new Set([...union.keys()].filter((url) => pages.every((p) => !p.js.some((a) => a.url === url) || p.lazy.has(url))));
  for (const c of chunks) console.log(`  ${short(c.url).padEnd(48)} ${kb(c.raw).padStart(9)} raw ${kb(c.gzip).padStart(9)} gz${lazyEverywhere.has(c.url) ? "  (after hydration: dynamic import)" : ""}`);
  const jsGz = sum(chunks, "gzip");
  const lazyGz = sum(chunks.filter((c) => lazyEverywhere.has(c.url)), "gzip");
  const textsGz = sum([...texts.values()], "gzip");
  console.log(`  ${"total JS".padEnd(48)} ${kb(sum(chunks, "raw")).padStart(9)} raw ${kb(jsGz).padStart(9)} gz (${jsGz} bytes, ${chunks.length} files)`);
  for (const t of texts.values()) console.log(`  ${`texts ${new URL(t.url).pathname}`.padEnd(48)} ${kb(t.raw).padStart(9)} raw ${kb(t.gzip).padStart(9)} gz`);
  console.log(`  ${"total JS + texts".padEnd(48)} ${"".padStart(13)} ${kb(jsGz + textsGz).padStart(9)} gz (${jsGz + textsGz} bytes)`);
  if (otherTexts.length) console.log(`Texts per language: ${otherTexts.map((t) => `${t.code} ${kb(t.raw)} raw / ${kb(t.gzip)} gz`).join(", ")}`);
  const largest = otherTexts.reduce((a, b) => (b.gzip > a.gzip ? b : a), { code: lang, gzip: textsGz, raw: 0 });
  console.log(`CSS over all pages: ${[...cssUnion.values()].map((c) => `${short(c.url)} ${kb(c.raw)} raw / ${kb(c.gzip)} gz`).join(", ")}`);

  console.log("");
  let failed = 0;
  const verdict = (ok: boolean) => (ok ? "PASS" : ((failed += 1), "FAIL"));
  // The target is JavaScript: every script file the participant pages load, first download and after
  // hydration, each file counted once (a phone caches them). The texts (JSON, fetched before hydration)
  // are data, not scripts: printed beside it, per page and per language, not part of the verdict.
  console.log(`${verdict(jsGz < JS_TARGET)}  participant pages' JavaScript, everything they load (union of ${chunks.length} files: ${kb(jsGz - lazyGz)} first download + ${kb(lazyGz)} after hydration): ${kb(jsGz)} gzipped, target < 150 KB`);
  const heaviest = pages.reduce((a, b) => (sum(b.js, "gzip") > sum(a.js, "gzip") ? b : a));
  const heaviestGz = sum(heaviest.js, "gzip");
  console.log(`      heaviest single page: ${heaviest.name}, JS ${kb(heaviestGz)} gzipped; with its texts ${kb(heaviestGz + textsGz)} (${lang}), ${kb(heaviestGz + largest.gzip)} (${largest.code}, the largest)`);
  console.log(`      all participant pages, JS + texts: ${kb(jsGz + textsGz)} (${lang}), ${kb(jsGz + largest.gzip)} (${largest.code})`);
  for (const p of pages.filter((p) => p.name === "landing" || p.name.startsWith("join"))) {
    const raw = p.html.raw + sum(p.css, "raw");
    const gz = p.html.gzip + sum(p.css, "gzip");
    console.log(`${verdict(raw < FIRST_PAGE_TARGET)}  first page, ${p.name}: HTML + CSS ${kb(raw)} raw (${raw} bytes; gzip ${kb(gz)}), target < 50 KB`);
  }
  return failed;
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (error: unknown) => {
    console.error("[page-weight] failed:", error);
    process.exit(1);
  },
);
