// The call records: a routed INVITE is remembered here until its first dialog
// event proves Kamailio relayed it (an agent's digest is checked after we
// chose the target), then stored; each event moves it on, one at a time per
// call, and a customer's call shows in the conversation's timeline.
import type { Db } from '../../src/db/pool.js';
import { addEvent } from '../../src/db/repos/conversations.js';
import type { Logger } from '../../src/log.js';
import { conversationEventKind, type DialogEvent } from './lifecycle.js';
import { applyCallEvent, insertCall, type CallRecord } from './store.js';

const FORGET_AFTER_MS = 10 * 60_000;

export class CallLog {
  private planned = new Map<string, { call: CallRecord; at: number }>();
  private chains = new Map<string, Promise<void>>();

  constructor(private readonly db: Db, private readonly log: Logger, private readonly now: () => number = Date.now) {}

  plan(call: CallRecord): void {
    const now = this.now();
    for (const [id, p] of this.planned) if (now - p.at > FORGET_AFTER_MS) this.planned.delete(id);
    this.planned.set(call.id, { call, at: now });
  }

  event(callId: string, event: DialogEvent): Promise<void> {
    const run = (this.chains.get(callId) ?? Promise.resolve()).then(() => this.apply(callId, event))
      .catch((e: Error) => this.log.error(`sip call ${callId} ${event}: ${e.message}`));
    this.chains.set(callId, run);
    void run.then(() => { if (this.chains.get(callId) === run) this.chains.delete(callId); });
    return run;
  }

  private async apply(callId: string, event: DialogEvent): Promise<void> {
    const planned = this.planned.get(callId);
    if (planned) {
      await insertCall(this.db, planned.call);
      this.planned.delete(callId);
    }
    const done = await applyCallEvent(this.db, callId, event);
    if (!done) return;
    this.log.info(`sip: call ${callId} ${event}${done.durationS !== null ? ` after ${done.durationS} s` : ''}`);
    if (done.conversationId) {
      await addEvent(this.db, done.conversationId, conversationEventKind(event), { call: callId, ...(done.durationS !== null ? { durationS: done.durationS } : {}) });
    }
  }
}
