/**
 * Hostile input on every form: each form action of the route x role matrix (authz-world.ts `ACTIONS`),
 * sent by a person who may use it, with its fields made oversized, laced with control characters, sent
 * as JSON instead of a form, as a body of several megabytes, or with an unknown intent. Every such
 * request must be refused with a 4xx status and a message a person can read (the form's alert, or the
 * error page), and leave every table exactly as it was. The same form sent as it is must still work,
 * so a refusal is about the input, not about who sent it.
 *
 * And `returnTo` (where a participant form sends the browser back to) never leads off the site.
 */
import { getDb } from "../../consultations/db/client";
import {
  ACTIONS,
  changedTables,
  cookieOf,
  expectedForAction,
  freshWorld,
  markDirty,
  roleByName,
  snapshot,
  type ActionSpec,
  type Role,
  type World,
} from "./authz-world";
import { locationPath, request, type HttpResult } from "./http-harness";

vi.setConfig({ testTimeout: 60_000 });

/** Longer than any field's limit (the longest, a consultation's description, is 20,000). */
const OVERSIZED = "x".repeat(25_000);
/** NUL and ESC: never part of text a person types; PostgreSQL cannot even store NUL in text. */
const CONTROL = "\u0000\u001b[31m";
/** Over every form's body limit (64 KB; 512 KB for long Markdown). */
const HUGE_BODY_BYTES = 3 * 1024 * 1024;
/** Fields that only say where to go back to: a bad one is ignored (and checked below, never followed). */
const NAVIGATION_FIELDS = new Set(["returnTo"]);
const REFUSED = [400, 401, 403, 404, 409, 413, 415, 422];
/**
 * Hidden fields the route takes from its own URL instead (the position page votes on and withdraws the
 * position it shows): whatever they hold is ignored, so the action must work exactly as the plain form.
 */
const SET_BY_ROUTE: Record<string, string[]> = {
  "participant: vote on the position page": ["positionId"],
  "participant: withdraw own position (position page)": ["id"],
};

/** Who sends the form: the role whose page shows it (the matrix checks that page has it), who may use it. */
function actingRole(spec: ActionSpec, w: World): Role {
  const role = roleByName(spec.formOn.role);
  const expected = expectedForAction(role, spec, spec.path(w));
  if (!expected.statuses.includes(200) && !expected.statuses.includes(302)) throw new Error(`${role.name} may not send ${spec.name}`);
  return role;
}

interface Variant {
  name: string;
  send: (spec: ActionSpec, w: World, cookie: string | null) => Promise<HttpResult>;
}

const form = (spec: ActionSpec, w: World, cookie: string | null, fields: Record<string, string>) =>
  request("POST", spec.path(w), { cookie, form: fields });

/** The variants for one form: per field (oversized, control characters), then whole-body ones. */
function variantsOf(spec: ActionSpec, w: World): Variant[] {
  const fields = spec.form(w);
  const names = Object.keys(fields).filter((k) => k !== "intent" && !NAVIGATION_FIELDS.has(k));
  const out: Variant[] = [];
  for (const name of names) {
    out.push({ name: `${name} oversized`, send: (s, world, c) => form(s, world, c, { ...s.form(world), [name]: OVERSIZED }) });
    out.push({ name: `${name} with control characters`, send: (s, world, c) => form(s, world, c, { ...s.form(world), [name]: `${s.form(world)[name]}${CONTROL}` }) });
  }
  if (fields.intent !== undefined) {
    out.push({ name: "unknown intent", send: (s, world, c) => form(s, world, c, { ...s.form(world), intent: "drop-everything" }) });
  }
  out.push({
    name: "JSON instead of a form",
    send: (s, world, c) => request("POST", s.path(world), { cookie: c, raw: { contentType: "application/json", body: JSON.stringify(s.form(world)) } }),
  });
  out.push({
    name: "a body of 3 MB",
    send: (s, world, c) =>
      request("POST", s.path(world), {
        cookie: c,
        raw: { contentType: "application/x-www-form-urlencoded", body: `${new URLSearchParams(s.form(world)).toString()}&padding=${"y".repeat(HUGE_BODY_BYTES)}` },
      }),
  });
  return out;
}

/** The visible text of the refusal: every role=alert notice and field error list, or the error page. */
function refusalText(res: HttpResult): string {
  const alerts = [
    ...res.body.matchAll(/<(p|div)\b[^>]*role="alert"[^>]*>([\s\S]*?)<\/\1>/g),
    ...res.body.matchAll(/<(ul|p)\b[^>]*id="[^"]*-error"[^>]*>([\s\S]*?)<\/\1>/g),
  ].map((m) => m[2]);
  const errorPage = /<section[^>]*error-page[^>]*>([\s\S]*?)<\/section>/.exec(res.body)?.[1];
  const plain = res.headers.get("Content-Type")?.startsWith("text/plain") ? res.body : undefined;
  return (alerts.length ? alerts.join(" ") : errorPage ?? plain ?? "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * A form's field names, before any world exists (test names are listed when the file loads): the form
 * built from a stand-in world whose every id reads "id".
 */
function fieldNamesOf(spec: ActionSpec): string[] {
  const standIn: object = new Proxy({}, { get: (_t, key) => (key === Symbol.toPrimitive || key === "toString" ? () => "id" : standIn) });
  return Object.keys(spec.form(standIn as World));
}

// Each spec's cases: the world is restored before each (a refused one leaves nothing to restore).
const cases = ACTIONS.flatMap((spec) => {
  const fieldNames = fieldNamesOf(spec);
  const perField = fieldNames.filter((k) => k !== "intent" && !NAVIGATION_FIELDS.has(k)).flatMap((k) => [`${k} oversized`, `${k} with control characters`]);
  const whole = [...(fieldNames.includes("intent") ? ["unknown intent"] : []), "JSON instead of a form", "a body of 3 MB"];
  return [...perField, ...whole].map((variant) => ({ spec, variant }));
});

describe("hostile input on every form is refused with a message, and changes nothing", () => {
  it("covers every form of the matrix with several variants each", () => {
    expect(ACTIONS.length).toBeGreaterThanOrEqual(35);
    expect(cases.length).toBeGreaterThanOrEqual(ACTIONS.length * 4);
    console.log(`[hostile-forms] ${ACTIONS.length} forms, ${cases.length} hostile requests`);
  });

  it.each(cases.map((c) => [c.spec.name, c.variant, c] as const))("%s: %s", async (_name, variant, { spec }) => {
    const w = await freshWorld();
    const db = await getDb();
    if (spec.prepare) {
      await spec.prepare(db, w);
      markDirty();
    }
    const role = actingRole(spec, w);
    const send = variantsOf(spec, w).find((v) => v.name === variant)!;
    expect(send, variant).toBeDefined();
    const before = await snapshot(db);

    const res = await send.send(spec, w, cookieOf(w, role));

    const changed = changedTables(before, await snapshot(db));
    if (changed.length) markDirty();
    const ignored = SET_BY_ROUTE[spec.name]?.some((field) => variant.startsWith(`${field} `));
    if (ignored) {
      expect(res.status, `${spec.name} (${variant}): the route's own value is used`).toBe(302);
      expect(await spec.effect(db, w)).toBe(true);
      return;
    }
    const text = refusalText(res);
    const context = `${spec.name} (${variant}) as ${role.name}: ${res.status} ${text.slice(0, 200)}`;
    expect(REFUSED, context).toContain(res.status);
    expect(changed, context).toEqual([]);
    expect(await spec.effect(db, w), context).toBe(false);
    // A message for people: not empty, not the generic "something went wrong", no stack trace.
    expect(text.length, context).toBeGreaterThan(10);
    expect(text, context).not.toMatch(/Something went wrong on our side|at \w+ \(|node_modules/);
  });
});

describe("returnTo never leads off the site", () => {
  const withReturn = ACTIONS.filter((spec) => fieldNamesOf(spec).includes("returnTo"));
  const targets = ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example", "javascript:alert(1)", " https://evil.example"];

  it("is on enough forms to matter", () => {
    expect(withReturn.length).toBeGreaterThanOrEqual(5);
  });

  it.each(withReturn.flatMap((spec) => targets.map((t) => [spec.name, t, spec] as const)))("%s with returnTo=%s", async (_name, target, spec) => {
    const w = await freshWorld();
    const db = await getDb();
    if (spec.prepare) await spec.prepare(db, w);
    markDirty();
    const role = actingRole(spec, w);
    const res = await request("POST", spec.path(w), { cookie: cookieOf(w, role), form: { ...spec.form(w), returnTo: target } });
    if (res.status >= 300 && res.status < 400) {
      const to = new URL(res.location!, "http://localhost");
      expect(to.origin, `${spec.name}: Location ${res.location}`).toBe("http://localhost");
      expect(locationPath(res.location)!.startsWith("/"), res.location!).toBe(true);
      expect(res.location!.startsWith("//") || res.location!.includes("\\"), res.location!).toBe(false);
    } else {
      expect(REFUSED.concat([200])).toContain(res.status);
    }
  });
});
