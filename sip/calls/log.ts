// The call records: a routed INVITE is remembered here until its first dialog
// event proves Kamailio relayed it (an agent's digest is checked after we
// chose the target), then stored; each event moves it on, one at a time per
// call, and a customer's call shows in the conversation's timeline.
import type { Db } from '../../src/db/pool.js';
import { addEvent } from '../../src/db/repos/conversations.js';
import type { Logger } from '../../src/log.js';
import { conversationEventKind, type DialogEvent } from './lifecycle.js';
import { agentIdByUsername, applyCallEvent, callConversation, insertCall, setCallee, type CallRecord } from './store.js';

const FORGET_AFTER_MS = 10 * 60_000;

export class CallLog {
  private planned = new Map<string, { call: CallRecord; at: number }>();
  private chains = new Map<string, Promise<void>>();

  /** A customer's call was answered by this agent (room calls: the conversation may still be queued). */
  onAnswered: (conversationId: string, agentId: string) => Promise<void> = async () => {};

  constructor(private readonly db: Db, private readonly log: Logger, private readonly now: () => number = Date.now) {}

  /** The conversation a call belongs to, planned or stored. */
  async conversationOf(callId: string): Promise<string | null> {
    return this.planned.get(callId)?.call.conversationId ?? callConversation(this.db, callId);
  }

  plan(call: CallRecord): void {
    const now = this.now();
    for (const [id, p] of this.planned) if (now - p.at > FORGET_AFTER_MS) this.planned.delete(id);
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

  private async apply(callId: string, event: DialogEvent, agent?: string): Promise<void> {
    const planned = this.planned.get(callId);
    if (planned) {
      await insertCall(this.db, planned.call);
      this.planned.delete(callId);
    }
    const answeredBy = event === 'answered' && agent ? await agentIdByUsername(this.db, agent) : null;
    if (answeredBy) await setCallee(this.db, callId, answeredBy);
    const done = await applyCallEvent(this.db, callId, event);
    if (!done) return;
    this.log.info(`sip: call ${callId} ${event}${done.durationS !== null ? ` after ${done.durationS} s` : ''}`);
    if (done.conversationId) {
      await addEvent(this.db, done.conversationId, conversationEventKind(event), { call: callId, ...(answeredBy ? { agentId: answeredBy } : {}), ...(done.durationS !== null ? { durationS: done.durationS } : {}) });
      if (answeredBy) await this.onAnswered(done.conversationId, answeredBy);
    }
  }
}
