/**
 * `vote.cast` over the socket: authorised and validated exactly like the HTTP vote (the same domain verb,
 * consultations/votes.ts `castVotes`), applied once per idempotency key (the key's record is written in
 * the vote's own transaction, so a retry with the same key never votes again and gets the first answer
 * back, with the current tally).
 *
 * Group commit. Votes are queued; one batch is written at a time, and the next batch takes everything
 * that arrived meanwhile (up to MAX_BATCH). A lone vote is written at once (no timer, no added wait); a
 * busy room's votes share one session read, one transaction and one tally read per batch instead of a
 * dozen statements each, which is what lets one process acknowledge thousands of votes a second.
 */
import type { Db } from "../consultations/db/client";
import type { DomainError } from "../consultations/errors";
import { castVotes, type Ballot, type VoteOutcome } from "../consultations/votes";
import type { ShownTallyPayload, VoteRequest } from "./event-map";
import { recheckSessions } from "./socket-auth";
import type { RealtimeSocket } from "./types";

/** Most votes written in one transaction (bounds a batch's duration, hence the wait of the votes behind it). */
export const MAX_BATCH = 500;

/** The ack's data: what the vote did and the position's tally as anyone may see it. */
export interface VoteAnswer extends VoteOutcome {
  tally: ShownTallyPayload;
}

/** A vote's fate: applied (or repeated), refused by the domain, or the socket's session has ended. */
export type QueuedVote = { ok: true; data: VoteAnswer } | { ok: false; error: DomainError } | { ok: false; sessionEnded: true };

interface Waiting {
  socket: RealtimeSocket;
  request: VoteRequest;
  settle: (result: QueuedVote) => void;
  fail: (error: unknown) => void;
}

export class VoteQueue {
  private waiting: Waiting[] = [];
  private writing = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: (() => void) | null = null;

  constructor(
    private readonly db: () => Promise<Db>,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  /** Queues a vote; resolves once its batch committed (or it was refused). */
  cast(socket: RealtimeSocket, request: VoteRequest): Promise<QueuedVote> {
    return new Promise((settle, fail) => {
      this.waiting.push({ socket, request, settle, fail });
      if (!this.writing) void this.drain();
    });
  }

  /** Votes queued or being written. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Resolves when every vote queued so far has been written (graceful shutdown). */
  settled(): Promise<void> {
    return this.writing ? this.idle : Promise.resolve();
  }

  private async drain(): Promise<void> {
    this.writing = true;
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    try {
      while (this.waiting.length) {
        // Let the socket reads that are ready run first: SQLite through Prisma completes a batch in one
        // chain of microtasks, during which no message is read, so without this every batch would hold
        // the single vote that started it.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.waiting.splice(0, this.maxBatch);
        try {
          await this.write(batch);
        } catch (error) {
          for (const item of batch) item.fail(error);
        }
      }
    } finally {
      this.writing = false;
      this.markIdle?.();
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    const db = await this.db();
    // Every socket's session is read again (as for any client event): one query for the batch.
    const sessions = await recheckSessions(db, [...new Set(batch.map((item) => item.socket))]);
    const live: Waiting[] = [];
    const ballots: Ballot[] = [];
    for (const item of batch) {
      const info = sessions.get(item.socket);
      if (!info) {
        item.settle({ ok: false, sessionEnded: true });
        continue;
      }
      live.push(item);
      ballots.push({
        viewer: info.viewer,
        key: { slug: item.request.slug },
        positionId: item.request.positionId,
        choice: item.request.choice,
        requestKey: item.request.idempotencyKey,
      });
    }
    if (!live.length) return;
    const results = await castVotes(db, ballots);
    for (const [k, item] of live.entries()) {
      const result = results[k];
      if (!result.ok) item.settle({ ok: false, error: result.error });
      else {
        const { positionId, choice, changed, tally } = result.vote;
        item.settle({ ok: true, data: { positionId, choice, changed, tally } });
      }
    }
  }
}
