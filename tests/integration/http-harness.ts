/**
 * In-process HTTP harness for integration tests: the real Remix server build (build/index.js, written by
 * `npx remix build`; `npm test` builds before vitest) behind `createRequestHandler(build, "production")`,
 * driven like a browser WITHOUT JavaScript: document GETs, and form posts as
 * application/x-www-form-urlencoded. Redirects are never followed (`redirect: "manual"` semantics): the
 * Response is returned as it is, with its status and Location.
 *
 * The build keeps its database client on globalThis (Symbol.for("polyphony.db"), see
 * consultations/db/client.ts), so the test file and the build share the per-file database that
 * tests/setup/worker-db.ts prepared: fixtures made through the domain services are what the routes see.
 *
 * No Express in between: the Origin check, security headers and static files of realtime/server.ts are
 * not exercised here (a browser-like Origin header is still sent on posts).
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import type { Db } from "../../consultations/db/client";
import { createSession } from "../../consultations/sessions";
import { inRequestScope } from "../../consultations/request-scope";
import { PROJECT_ROOT } from "../setup/paths";
import { decodeEntities } from "../fixtures/xss";

export const BUILD_PATH = path.join(PROJECT_ROOT, "build", "index.js");
export const ORIGIN = "http://localhost";

/**
 * The session cookie's name outside production (app/session.server.ts `sessionCookieName()`: tests run
 * without NODE_ENV=production, so it is not the `__Host-` one). authz-matrix.test.ts checks this against
 * the app module and end to end.
 */
export const SESSION_COOKIE = "polyphony_session";

type Handler = (request: Request, loadContext?: Record<string, unknown>) => Promise<Response>;
let build: Promise<ServerBuild> | undefined;
let handler: Promise<Handler> | undefined;

/** Newest modification time under `dir` (files ending in .ts/.tsx/.css), for the stale-build warning. */
function newestSource(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!/\.(tsx?|css)$/.test(name) || name.includes("generated")) continue;
    newest = Math.max(newest, fs.statSync(path.join(dir, name)).mtimeMs);
  }
  return newest;
}

/** The server build (build/index.js), loaded once per test file. */
export function serverBuild(): Promise<ServerBuild> {
  build ??= (async () => {
    if (!fs.existsSync(BUILD_PATH)) {
      throw new Error(`No server build at ${BUILD_PATH}: run \`npx remix build\` first (\`npm test\` does).`);
    }
    const built = fs.statSync(BUILD_PATH).mtimeMs;
    const sources = Math.max(newestSource(path.join(PROJECT_ROOT, "app")), newestSource(path.join(PROJECT_ROOT, "consultations")));
    if (sources > built) {
      console.warn(`[http-harness] ${BUILD_PATH} is older than app/ or consultations/: run \`npx remix build\` to test the current code.`);
    }
    return (await import(/* @vite-ignore */ pathToFileURL(BUILD_PATH).href)) as ServerBuild;
  })();
  return build;
}

/** The request handler of the server build, as `createRequestHandler(build, "production")`. */
export function serverHandler(): Promise<Handler> {
  handler ??= (async () => {
    const handle = createRequestHandler(await serverBuild(), "production");
    // entry.server.tsx reads a CSP nonce from the load context (realtime/server.ts sets one per request).
    return (request: Request) => handle(request, { cspNonce: "test-nonce" });
  })();
  return handler;
}

export interface RouteInfo {
  id: string;
  /** The full URL pattern, e.g. "/c/:slug/p/:positionId". */
  pattern: string;
  index: boolean;
  hasLoader: boolean;
  hasAction: boolean;
}

/** Every route of the build with its full URL pattern (root excluded). */
export async function routeTable(): Promise<RouteInfo[]> {
  const { routes } = await serverBuild();
  const fullPath = (id: string | undefined): string => {
    const route = id ? routes[id] : undefined;
    if (!route) return "";
    const parent = fullPath(route.parentId);
    return route.path ? `${parent}/${route.path}` : parent;
  };
  return Object.values(routes)
    .filter((route): route is NonNullable<typeof route> => !!route && route.id !== "root")
    .map((route) => ({
      id: route.id,
      pattern: fullPath(route.id) || "/",
      index: route.index === true,
      hasLoader: typeof route.module.loader === "function",
      hasAction: typeof route.module.action === "function",
    }));
}

/**
 * The route whose loader (GET: all routes matching the path exactly) or action (POST: the index route
 * with `?index`, else the non-index route) answers a request; simple patterns only (":param" segments).
 */
export function routesFor(table: RouteInfo[], method: string, url: string): RouteInfo[] {
  const { pathname, searchParams } = new URL(url, ORIGIN);
  const matches = table.filter((route) => {
    const regex = new RegExp(`^${route.pattern.replace(/:[^/]+/g, "[^/]+").replace(/\/$/, "")}/?$`);
    return regex.test(pathname);
  });
  if (method.toUpperCase() === "GET") return matches;
  const wantIndex = searchParams.has("index");
  return matches.filter((route) => route.index === wantIndex);
}

export type FormBody = Record<string, string> | Array<[string, string]>;

export interface RequestOptions {
  /** A Cookie header value, e.g. from `sessionCookie()`; omitted for anonymous requests. */
  cookie?: string | null;
  /** Form fields, sent url-encoded (a browser without JavaScript submitting a <form method="post">). */
  form?: FormBody;
  /** A body sent as it is, with its own Content-Type (hostile-input tests: JSON, a multi-megabyte form). */
  raw?: { contentType: string; body: string };
  headers?: Record<string, string>;
}

export interface HttpResult {
  status: number;
  /** The Location header (redirects), or null. */
  location: string | null;
  body: string;
  headers: Headers;
  /** Set-Cookie header values. */
  setCookies: string[];
}

/**
 * Sends one document request, as a browser without JavaScript would, and returns the response
 * without following redirects. `path` is relative to the site root ("/c/slug?x=1").
 */
export async function request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
  const handle = await serverHandler();
  const upper = method.toUpperCase();
  const headers = new Headers({
    // What a browser sends; Remix compares a post's Origin with Host before running an action.
    Host: new URL(ORIGIN).host,
    Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) polyphony-http-harness (no JavaScript)",
    ...options.headers,
  });
  if (options.cookie) headers.set("Cookie", options.cookie);
  let body: string | undefined;
  if (options.raw) {
    body = options.raw.body;
    headers.set("Content-Type", options.raw.contentType);
    headers.set("Origin", ORIGIN);
  } else if (options.form !== undefined || (upper !== "GET" && upper !== "HEAD")) {
    body = new URLSearchParams(options.form ?? {}).toString();
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    headers.set("Origin", ORIGIN);
  }
  // A request scope of its own, as realtime/app-server.ts gives every request.
  const response = await inRequestScope(() => handle(new Request(new URL(path, ORIGIN), { method: upper, headers, body, redirect: "manual" })));
  const text = upper === "HEAD" ? "" : await response.text();
  return {
    status: response.status,
    location: response.headers.get("Location"),
    body: text,
    headers: response.headers,
    setCookies: typeof response.headers.getSetCookie === "function" ? response.headers.getSetCookie() : [],
  };
}

export const get = (path: string, options: Omit<RequestOptions, "form"> = {}) => request("GET", path, options);
export const post = (path: string, form: FormBody, options: Omit<RequestOptions, "form"> = {}) =>
  request("POST", path, { ...options, form });

/** The Cookie header for a token. */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}`;
}

/** A signed-in browser: a new session for an account and/or participant identities, as a Cookie header. */
export async function signedIn(db: Db, owner: { accountId?: string | null; participantIds?: string[] }): Promise<string> {
  const { token } = await createSession(db, owner);
  return sessionCookie(token);
}

/** The path part (pathname + search) of a Location header, which may be absolute or relative. */
export function locationPath(location: string | null): string | null {
  if (location === null) return null;
  const url = new URL(location, ORIGIN);
  return url.origin === ORIGIN ? url.pathname + url.search : location;
}

// ---- reading HTML forms (what a browser without JavaScript would submit) -------------------------

export interface HtmlForm {
  method: string;
  /** The action attribute as written (entities decoded), or null when absent. */
  action: string | null;
  /** Hidden inputs and named submit buttons (name -> value; buttons are what a click adds). */
  hidden: Record<string, string>;
  buttons: Array<{ name: string; value: string }>;
  /** Names of every input, textarea and select in the form. */
  fields: string[];
  html: string;
}

function attr(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`, "i").exec(tag);
  return match ? decodeEntities(match[1]) : null;
}

/** Every <form> of a page with its method, action, hidden inputs and field names (regex-level parsing). */
export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = `<form${match[1]}>`;
    const inner = match[2];
    const hidden: Record<string, string> = {};
    const buttons: Array<{ name: string; value: string }> = [];
    const fields: string[] = [];
    for (const input of inner.matchAll(/<(input|textarea|select|button)\b([^>]*)>/gi)) {
      const tag = `<${input[1]}${input[2]}>`;
      const name = attr(tag, "name");
      if (!name) continue;
      const kind = input[1].toLowerCase();
      if (kind === "button") {
        buttons.push({ name, value: attr(tag, "value") ?? "" });
        continue;
      }
      fields.push(name);
      if (kind === "input" && (attr(tag, "type") ?? "").toLowerCase() === "hidden") hidden[name] = attr(tag, "value") ?? "";
    }
    forms.push({ method: (attr(open, "method") ?? "get").toLowerCase(), action: attr(open, "action"), hidden, buttons, fields, html: match[0] });
  }
  return forms;
}
