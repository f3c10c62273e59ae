// The call records: a routed INVITE is remembered here until its first dialog
// event proves Kamailio relayed it (an agent's digest is checked after we
// chose the target), then stored; each event moves it on, one at a time per
// call, and a customer's call shows in the conversation's timeline.
import type { Db } from '../../src/db/pool.js';
import type { Logger } from '../../src/log.js';
import type { DialogEvent } from './lifecycle.js';
import { callConversation, recordCallEvent, type CallRecord } from './store.js';

const FORGET_AFTER_MS = 10 * 60_000;

export class CallLog {
  private planned = new Map<string, { call: CallRecord; at: number }>();
  private chains = new Map<string, Promise<void>>();
  /** Stored calls of a conversation still going on (the ACD's reports name them), oldest first. */
  private known = new Map<string, { conversationId: string; at: number }>();

  /** A customer's call was answered by this agent (room calls: the conversation may still be queued). */
  onAnswered: (conversationId: string, agentId: string) => Promise<void> = async () => {};

  constructor(private readonly db: Db, private readonly log: Logger, private readonly now: () => number = Date.now) {}

  /** The conversation a call belongs to, planned or stored. */
  async conversationOf(callId: string): Promise<string | null> {
    return this.planned.get(callId)?.call.conversationId ?? this.known.get(callId)?.conversationId ?? callConversation(this.db, callId);
  }

  plan(call: CallRecord): void {
    const now = this.now();
    for (const [id, p] of this.planned) if (now - p.at > FORGET_AFTER_MS) this.planned.delete(id);
    for (const [id, k] of this.known) if (now - k.at > FORGET_AFTER_MS) this.known.delete(id); else break;
    this.planned.set(call.id, { call, at: now });
  }

  /** `agent`: the SIP username of the agent whose phone answered (forked calls). */
  event(callId: string, event: DialogEvent, agent?: string): Promise<void> {
    const run = (this.chains.get(callId) ?? Promise.resolve()).then(() => this.apply(callId, event, agent))
      .catch((e: Error) => this.log.error(`sip call ${callId} ${event}: ${e.message}`));
    this.chains.set(callId, run);
    void run.then(() => { if (this.chains.get(callId) === run) this.chains.delete(callId); });
    return run;
  }

  /**
   * One statement per event (store.ts, recordCallEvent): the first stores the
   * planned call in the state the event leads to; each guarded change and
   * its timeline event are written together.
   */
  private async apply(callId: string, event: DialogEvent, agent?: string): Promise<void> {
    const planned = this.planned.get(callId);
    const done = await recordCallEvent(this.db, callId, event, { agent, insert: planned?.call });
    if (planned) {
      this.planned.delete(callId);
      if (planned.call.conversationId) this.known.set(callId, { conversationId: planned.call.conversationId, at: this.now() });
    }
    if (event === 'ended' || event === 'failed') this.known.delete(callId);
    if (!done) return;
    this.log.info(`sip: call ${callId} ${event}${done.durationS !== null ? ` after ${done.durationS} s` : ''}`);
    if (done.conversationId && done.answeredBy) await this.onAnswered(done.conversationId, done.answeredBy);
  }
}
