/**
 * Revocation closes sockets at once: a suspended participant's sockets (suspended through the domain or
 * the facilitator's HTTP form), sign-out, "sign out everywhere", a password change. Each socket gets
 * `session.ended` and is disconnected; its session cannot reconnect. A session revoked behind the
 * server's back cannot act either (every event re-reads the session), and the sweep closes it.
 */
import { changePassword } from "../../consultations/accounts";
import { getDb } from "../../consultations/db/client";
import { joinWithInvitation, suspendParticipant } from "../../consultations/participants";
import { createSession, readSession, rotateSession } from "../../consultations/sessions";
import { disconnectParticipant } from "../../realtime/revocation";
import { createConsultation, createFacilitator, invite, joinParticipant, PASSWORD } from "../factories";
import { disconnected, formPost, joined, refusal, requestKey, startServer, type Client, type RunningServer } from "./realtime-harness";

let srv: RunningServer;
const open: Client[] = [];
beforeAll(async () => {
  srv = await startServer();
});
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});
afterAll(async () => {
  await srv.close();
});

async function join(token: string, slug: string) {
  const client = await joined(srv.url, token, slug);
  open.push(client);
  return client;
}

async function world() {
  const fac = await createFacilitator();
  const c = await createConsultation(fac, { phase: "positions" });
  const target = await joinParticipant(fac, c, "Police");
  const bystander = await joinParticipant(fac, c, "Peers who use drugs");
  const facSession = await createSession(await getDb(), { accountId: fac.account.id });
  return { fac, c, target, bystander, facToken: facSession.token };
}

const ended = (client: Client) => client.received.all.filter(([name]) => name === "session.ended").map(([, payload]) => payload);

describe("revocation", () => {
  it("suspending a participant disconnects their sockets within a second (and only theirs)", async () => {
    const { fac, c, target, bystander } = await world();
    const tabs = [await join(target.token, c.slug), await join(target.token, c.slug)];
    const other = await join(bystander.token, c.slug);
    const gone = tabs.map((tab) => disconnected(tab, 1000));
    const started = Date.now();
    await suspendParticipant(await getDb(), fac.viewer, c.key, target.me.id, { reason: "Threats to other participants." });
    const reasons = await Promise.all(gone);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(reasons).toEqual(["io server disconnect", "io server disconnect"]);
    for (const tab of tabs) expect(ended(tab)).toEqual([{ message: "Your participation in this consultation is suspended.", reason: "suspended" }]);
    expect(other.socket.connected).toBe(true);
    expect(ended(other)).toEqual([]);
    // The revoked session cannot come back.
    expect(await refusal(srv.url, { token: target.token })).toBe("unauthenticated");
  });

  it("a suspension through the facilitator's moderation form (the Remix build) disconnects too", async () => {
    const { c, target, facToken } = await world();
    const socket = await join(target.token, c.slug);
    const gone = disconnected(socket, 1000);
    const response = await formPost(srv.url, `/facilitate/${c.slug}/moderation`, { intent: "suspend", id: target.me.id, reason: "Posted someone's address." }, facToken);
    expect(response.status).toBeLessThan(400);
    await gone;
    expect(ended(socket)).toEqual([{ message: "Your participation in this consultation is suspended.", reason: "suspended" }]);
  });

  it("signing out (POST /logout) disconnects that session's sockets", async () => {
    const { c, target, bystander } = await world();
    const socket = await join(target.token, c.slug);
    const other = await join(bystander.token, c.slug);
    const gone = disconnected(socket, 1000);
    const response = await formPost(srv.url, "/logout", {}, target.token);
    expect(response.status).toBe(302);
    await gone;
    expect(ended(socket)).toEqual([{ message: "Your session has ended. Please sign in again.", reason: "signed-out" }]);
    expect(other.socket.connected).toBe(true);
  });

  it("'sign out everywhere' and a password change disconnect every socket of the account", async () => {
    const { fac, c, facToken } = await world();
    const second = (await createSession(await getDb(), { accountId: fac.account.id })).token;
    const sockets = [await join(facToken, c.slug), await join(second, c.slug)];
    let gone = sockets.map((s) => disconnected(s, 1000));
    const response = await formPost(srv.url, "/account", { intent: "revoke-all" }, facToken);
    expect(response.status).toBe(302);
    await Promise.all(gone);

    const third = (await createSession(await getDb(), { accountId: fac.account.id })).token;
    const again = await join(third, c.slug);
    gone = [disconnected(again, 1000)];
    await changePassword(await getDb(), fac.account.id, { current: PASSWORD, next: "another long passphrase 2026" });
    await Promise.all(gone);
    expect(ended(again)).toEqual([{ message: "Your session has ended. Please sign in again.", reason: "signed-out" }]);
  });

  it("revoking one session from the account page disconnects that session only", async () => {
    const { fac, c, facToken } = await world();
    const db = await getDb();
    const other = await createSession(db, { accountId: fac.account.id });
    const mine = await join(facToken, c.slug);
    const theirs = await join(other.token, c.slug);
    const gone = disconnected(theirs, 1000);
    const response = await formPost(srv.url, "/account", { intent: "revoke-session", sessionId: other.sessionId }, facToken);
    expect(response.status).toBeLessThan(400);
    await gone;
    expect(mine.socket.connected).toBe(true);
  });

  it("signing in again on the same device for the same consultation (rotation) ends the replaced session's sockets with reason 'replaced'", async () => {
    const { fac, c, target } = await world();
    const socket = await join(target.token, c.slug);
    const gone = disconnected(socket, 1000);
    const db = await getDb();
    const previous = await readSession(db, target.token);
    const [invitation] = await invite(fac, c, "Police");
    const joinedAgain = await joinWithInvitation(db, invitation.code, {});
    const rotated = await rotateSession(db, previous, { participant: { id: joinedAgain.participant.id, consultationId: c.id } });
    await gone;
    expect(ended(socket)).toEqual([{ message: "You signed in again on this device: reconnecting with the new session.", reason: "replaced" }]);
    // The new cookie reconnects.
    const again = await join(rotated.token, c.slug);
    expect(again.socket.connected).toBe(true);
  });

  it("joining another consultation on the same device leaves the open socket alone; the new cookie reaches both", async () => {
    const { fac, c, target } = await world();
    const socket = await join(target.token, c.slug);
    const db = await getDb();
    const second = await createConsultation(fac, { phase: "positions" });
    const [invitation] = await invite(fac, second, "Police");
    const joinedSecond = await joinWithInvitation(db, invitation.code, {});
    const rotated = await rotateSession(db, await readSession(db, target.token), { participant: { id: joinedSecond.participant.id, consultationId: second.id } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.socket.connected).toBe(true);
    expect(ended(socket)).toEqual([]);
    const again = await join(rotated.token, c.slug);
    expect((await again.request("consultation.join", { slug: second.slug })).ok).toBe(true);
  });

  it("a session revoked behind the server's back cannot act: the next event gets 401 and the socket closes", async () => {
    const { c, target } = await world();
    const socket = await join(target.token, c.slug);
    const db = await getDb();
    await db.session.delete({ where: { id: target.sessionId } });
    const gone = disconnected(socket, 1000);
    const ack = await socket.request("vote.cast", { slug: c.slug, positionId: "00000000-0000-0000-0000-000000000000", choice: "agree", idempotencyKey: requestKey() });
    expect(ack).toEqual({ ok: false, error: { status: 401, message: "Your session has ended. Please sign in again." } });
    await gone;
  });

  it("the session sweep closes sockets whose session ended elsewhere (expired, revoked by another process)", async () => {
    const { c, target } = await world();
    const sweeping = await startServer({ sessionSweepMs: 100 });
    try {
      const socket = await joined(sweeping.url, target.token, c.slug);
      open.push(socket);
      const db = await getDb();
      await db.session.update({ where: { id: target.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await disconnected(socket, 2000);
      expect(ended(socket)).toHaveLength(1);
    } finally {
      await sweeping.close();
    }
  });

  it("disconnectParticipant (realtime/revocation.ts) closes a participant's sockets", async () => {
    const { c, target } = await world();
    const socket = await join(target.token, c.slug);
    const gone = disconnected(socket, 1000);
    expect(disconnectParticipant(target.me.id)).toBe(1);
    await gone;
    expect(ended(socket)).toEqual([{ message: "Your participation in this consultation is suspended.", reason: "suspended" }]);
  });
});
