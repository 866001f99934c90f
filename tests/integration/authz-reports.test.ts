/**
 * Who may use the synthesis and report routes, through the real server build (http-harness.ts), as a
 * browser without JavaScript:
 *
 *   /facilitate/:slug/synthesis                    page + actions (run, save-wording, reset-wording,
 *                                                  save-note, publish)
 *   /facilitate/:slug/synthesis/download?format=   the draft report as a file
 *   /reports/:slug, /reports/:slug.{md,html,json,csv}   the public report and its files
 *
 * Roles: the consultation's facilitator (F1) and a colleague in the same organisation, a participant of
 * the consultation, a facilitator of another organisation (F2), anonymous. Facilitator routes: F1 and
 * colleague allowed; participants and anonymous visitors are sent to the login page (they have no
 * account); F2 gets 404 (the consultation's existence is not disclosed). Denied actions change nothing.
 * Public report: 404 for everyone until published, then 200 for everyone.
 *
 * The run started through HTTP uses the real engine (consultations/synthesis) in a worker thread.
 */
import { getDb } from "../../consultations/db/client";
import { createColleague, createFacilitator } from "../factories";
import { get, locationPath, parseForms, post, signedIn, type HttpResult } from "./http-harness";
import { synthesisWorld, waitForRuns, type SynthesisWorld } from "./synthesis-world";

// Each test builds a consultation of 26 people and runs a worker thread: more than the default 15 s on a slow machine.
vi.setConfig({ testTimeout: 60_000 });

type RoleName = "F1" | "colleague" | "participant" | "F2" | "anonymous";
const ROLES: RoleName[] = ["F1", "colleague", "participant", "F2", "anonymous"];
const FACILITATORS_OF_A: RoleName[] = ["F1", "colleague"];

let w: SynthesisWorld;
const cookies = {} as Record<RoleName, string | null>;

beforeAll(async () => {
  const db = await getDb();
  w = await synthesisWorld();
  const colleague = await createColleague(w.fac);
  const other = await createFacilitator();
  cookies.F1 = await signedIn(db, { accountId: w.fac.account.id });
  cookies.colleague = await signedIn(db, { accountId: colleague.account.id });
  cookies.participant = await signedIn(db, { participantIds: [w.members.Police[2].me.id] });
  cookies.F2 = await signedIn(db, { accountId: other.account.id });
  cookies.anonymous = null;
}, 120_000);

afterAll(async () => {
  // A run started over HTTP must not outlive the test file's database.
  if (w) await waitForRuns(w.c.id);
});

const synthesisPath = () => `/facilitate/${w.c.slug}/synthesis`;
const downloadPath = (format: string) => `/facilitate/${w.c.slug}/synthesis/download?format=${format}`;
const publicPaths = () => [`/reports/${w.c.slug}`, ...["md", "html", "json", "csv"].map((f) => `/reports/${w.c.slug}.${f}`)];

/** The expected outcome on a facilitator route for a role that may not use it. */
function expectDenied(role: RoleName, res: HttpResult, path: string) {
  if (role === "F2") {
    expect(res.status, `${role} ${path}`).toBe(404);
  } else {
    // No account: sign in first (participants too: their session has no facilitator account).
    expect(res.status, `${role} ${path}`).toBe(302);
    expect(locationPath(res.location), `${role} ${path}`).toBe(`/login?next=${encodeURIComponent(path)}`);
  }
}

/** Everything a denied action could have changed. */
async function snapshot() {
  const db = await getDb();
  const [runs, report, consultation, events] = await Promise.all([
    db.synthesisRun.findMany({ where: { consultationId: w.c.id }, orderBy: { id: "asc" }, select: { id: true, status: true } }),
    db.report.findUnique({ where: { consultationId: w.c.id }, select: { status: true, edits: true, summaryNote: true, runId: true, publishedAt: true } }),
    db.consultation.findUniqueOrThrow({ where: { id: w.c.id }, select: { phase: true, eventSeq: true } }),
    db.consultationEvent.count({ where: { consultationId: w.c.id } }),
  ]);
  return { runs, report, consultation, events };
}

function forms() {
  const shared = w.positionIds.shared;
  return {
    run: { intent: "run" },
    "save-wording": { intent: "save-wording", id: shared, wording: "Words nobody allowed." },
    "reset-wording": { intent: "reset-wording", id: shared },
    "save-note": { intent: "save-note", summaryNote: "An introduction nobody allowed." },
    publish: { intent: "publish", runId: "whatever", confirm: "yes" },
  } as Record<string, Record<string, string>>;
}

describe("before any run", () => {
  it("the synthesis page: facilitators of the organisation only", async () => {
    for (const role of ROLES) {
      const res = await get(synthesisPath(), { cookie: cookies[role] });
      if (FACILITATORS_OF_A.includes(role)) {
        expect(res.status, role).toBe(200);
        expect(res.body).toContain("Synthesis and report");
        // The run form, as a browser without JavaScript would send it.
        const run = parseForms(res.body).find((f) => f.hidden.intent === "run");
        expect(run, role).toBeDefined();
        expect(run!.method).toBe("post");
      } else {
        expectDenied(role, res, synthesisPath());
      }
    }
  });

  it("downloads of the draft: 404 for everyone while no run finished (login first without an account)", async () => {
    for (const role of ROLES) {
      const res = await get(downloadPath("md"), { cookie: cookies[role] });
      if (role === "participant" || role === "anonymous") expectDenied(role, res, downloadPath("md"));
      else expect(res.status, role).toBe(404);
    }
  });

  it("the public report: 404 for everyone", async () => {
    for (const role of ROLES) for (const path of publicPaths()) expect((await get(path, { cookie: cookies[role] })).status, `${role} ${path}`).toBe(404);
  });
});

describe("actions", () => {
  it("denied to participants, other organisations and anonymous visitors, changing nothing", async () => {
    for (const role of ["participant", "F2", "anonymous"] as RoleName[]) {
      for (const [intent, form] of Object.entries(forms())) {
        const before = await snapshot();
        const res = await post(synthesisPath(), form, { cookie: cookies[role] });
        expectDenied(role, res, synthesisPath());
        expect(await snapshot(), `${role} ${intent}`).toEqual(before);
      }
    }
  });

  it("the facilitator runs the synthesis without JavaScript: redirect, progress page that reloads itself, then the review", async () => {
    const db = await getDb();
    const page = await get(synthesisPath(), { cookie: cookies.F1 });
    const run = parseForms(page.body).find((f) => f.hidden.intent === "run")!;
    const res = await post(run.action ?? synthesisPath(), run.hidden, { cookie: cookies.F1 });
    expect(res.status).toBe(302);
    expect(locationPath(res.location)).toBe(synthesisPath());
    expect(await db.synthesisRun.count({ where: { consultationId: w.c.id } })).toBe(1);
    // A second run while this one is active is refused.
    const again = await post(synthesisPath(), { intent: "run" }, { cookie: cookies.colleague });
    if (again.status !== 302) expect(again.status).toBe(409);
    await waitForRuns(w.c.id);
    const runs = await db.synthesisRun.findMany({ where: { consultationId: w.c.id } });
    expect(runs.map((r) => [r.status, r.error])).toContainEqual(["done", null]);

    const review = await get(synthesisPath(), { cookie: cookies.F1 });
    expect(review.status).toBe(200);
    expect(review.body).not.toContain('http-equiv="refresh"');
    expect(review.body).toContain("Recommendations (");
    expect(review.body).toContain("Preview of the report");
    const wordingForms = parseForms(review.body).filter((f) => f.hidden.intent === "save-wording");
    expect(wordingForms.length).toBeGreaterThan(0);
    expect(wordingForms[0].fields).toContain("wording");
  });

  it("while a run is going the page reloads every 2 seconds (no JavaScript) and offers no second run", async () => {
    const db = await getDb();
    const running = await db.synthesisRun.create({
      data: { consultationId: w.c.id, status: "running", progress: 0.4, stage: "bootstrap", inputDigest: "test", startedAt: new Date() },
    });
    try {
      const res = await get(synthesisPath(), { cookie: cookies.F1 });
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/<noscript><meta http-equiv="refresh" content="2"\/?><\/noscript>/);
      expect(res.body).toContain('<progress max="100" value="40"');
      expect(parseForms(res.body).some((f) => f.hidden.intent === "run")).toBe(false);
    } finally {
      await db.synthesisRun.update({ where: { id: running.id }, data: { status: "failed", error: "test row", finishedAt: new Date() } });
    }
  });

  it("the facilitator's wording, introduction and reset through the forms", async () => {
    const db = await getDb();
    const shared = w.positionIds.shared;
    const saved = await post(synthesisPath(), { intent: "save-wording", id: shared, wording: "Free, anonymous drug checking at every festival." }, { cookie: cookies.colleague });
    expect(saved.status).toBe(200);
    expect(JSON.parse((await db.report.findUniqueOrThrow({ where: { consultationId: w.c.id } })).edits)).toEqual({
      [shared]: "Free, anonymous drug checking at every festival.",
    });
    const bad = await post(synthesisPath(), { intent: "save-wording", id: shared, wording: "abc" }, { cookie: cookies.F1 });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain("Write at least 5 characters.");
    const page = await get(synthesisPath(), { cookie: cookies.F1 });
    expect(parseForms(page.body).some((f) => f.hidden.intent === "reset-wording" && f.hidden.id === shared)).toBe(true);
    expect((await post(synthesisPath(), { intent: "reset-wording", id: shared }, { cookie: cookies.F1 })).status).toBe(200);
    expect((await db.report.findUniqueOrThrow({ where: { consultationId: w.c.id } })).edits).toBe("{}");
    expect((await post(synthesisPath(), { intent: "save-note", summaryNote: "Five groups, one question." }, { cookie: cookies.F1 })).status).toBe(200);
    expect((await db.report.findUniqueOrThrow({ where: { consultationId: w.c.id } })).summaryNote).toBe("Five groups, one question.");
    expect((await post(synthesisPath(), { intent: "nonsense" }, { cookie: cookies.F1 })).status).toBe(400);
  });

  it("draft downloads after the run: facilitators of the organisation only, as attachments", async () => {
    for (const format of ["md", "html", "json", "csv"]) {
      for (const role of ROLES) {
        const res = await get(downloadPath(format), { cookie: cookies[role] });
        if (FACILITATORS_OF_A.includes(role)) {
          expect(res.status, `${role} ${format}`).toBe(200);
          expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="${w.c.slug}-report-draft.${format}"`);
        } else {
          expectDenied(role, res, downloadPath(format));
        }
      }
    }
    // Still not public.
    for (const path of publicPaths()) expect((await get(path)).status, path).toBe(404);
  });
});

describe("publishing", () => {
  it("needs the synthesis phase and the confirmation; then the report is public for everyone", async () => {
    const db = await getDb();
    const page = await get(synthesisPath(), { cookie: cookies.F1 });
    // Deliberation: no publish form yet, and posting is refused.
    expect(parseForms(page.body).some((f) => f.hidden.intent === "publish")).toBe(false);
    const report = await db.report.findUniqueOrThrow({ where: { consultationId: w.c.id } });
    expect((await post(synthesisPath(), { intent: "publish", runId: report.runId, confirm: "yes" }, { cookie: cookies.F1 })).status).toBe(403);

    await post(`/facilitate/${w.c.slug}?index`, { intent: "move-phase", to: "synthesis" }, { cookie: cookies.F1 });
    expect((await db.consultation.findUniqueOrThrow({ where: { id: w.c.id } })).phase).toBe("synthesis");
    const ready = await get(synthesisPath(), { cookie: cookies.F1 });
    const publish = parseForms(ready.body).find((f) => f.hidden.intent === "publish");
    expect(publish?.hidden.runId).toBe(report.runId);
    expect(publish?.fields).toContain("confirm");

    // Others still cannot publish.
    for (const role of ["participant", "F2", "anonymous"] as RoleName[]) {
      const before = await snapshot();
      expectDenied(role, await post(synthesisPath(), { ...publish!.hidden, confirm: "yes" }, { cookie: cookies[role] }), synthesisPath());
      expect(await snapshot()).toEqual(before);
    }
    // Without the box ticked: refused.
    const unconfirmed = await post(synthesisPath(), publish!.hidden, { cookie: cookies.F1 });
    expect(unconfirmed.status).toBe(422);
    expect((await db.report.findUniqueOrThrow({ where: { consultationId: w.c.id } })).status).toBe("draft");

    const published = await post(synthesisPath(), { ...publish!.hidden, confirm: "yes" }, { cookie: cookies.F1 });
    expect(published.status).toBe(200);
    expect((await db.consultation.findUniqueOrThrow({ where: { id: w.c.id } })).phase).toBe("published");

    for (const role of ROLES) {
      for (const path of publicPaths()) {
        const res = await get(path, { cookie: cookies[role] });
        expect(res.status, `${role} ${path}`).toBe(200);
      }
    }
    const pageRes = await get(`/reports/${w.c.slug}`);
    expect(pageRes.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(pageRes.body).not.toContain("<script");
    expect(pageRes.headers.get("Content-Disposition")).toBeNull();
    for (const [ext, type] of [["md", "text/markdown"], ["html", "text/html"], ["json", "application/json"], ["csv", "text/csv"]]) {
      const res = await get(`/reports/${w.c.slug}.${ext}`);
      expect(res.headers.get("Content-Type")).toBe(`${type}; charset=utf-8`);
      expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="${w.c.slug}-report.${ext}"`);
    }

    // After publishing: the facilitator pages are read-only and the actions refused.
    const after = await get(synthesisPath(), { cookie: cookies.F1 });
    expect(after.status).toBe(200);
    expect(parseForms(after.body).filter((f) => ["run", "save-wording", "save-note", "publish"].includes(f.hidden.intent ?? ""))).toEqual([]);
    for (const [intent, form] of Object.entries(forms())) {
      const before = await snapshot();
      const res = await post(synthesisPath(), form, { cookie: cookies.F1 });
      expect([403, 409], `${intent} after publishing`).toContain(res.status);
      expect(await snapshot()).toEqual(before);
    }
    // Other organisations still see nothing of the facilitator side.
    expect((await get(synthesisPath(), { cookie: cookies.F2 })).status).toBe(404);
    expect((await get(downloadPath("md"), { cookie: cookies.F2 })).status).toBe(404);
  });

  it("unknown reports and formats: 404 / 400", async () => {
    expect((await get("/reports/no-such-consultation")).status).toBe(404);
    expect((await get("/reports/no-such-consultation.md")).status).toBe(404);
    expect((await get(downloadPath("pdf"), { cookie: cookies.F1 })).status).toBe(400);
    expect((await get(`/facilitate/${w.c.slug}/synthesis/download`, { cookie: cookies.F1 })).status).toBe(400);
  });
});
