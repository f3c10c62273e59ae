// SQL for calls: what a customer's INVITE may reach, and the call records.
import type { Queryable } from '../../src/db/pool.js';
import { transition, type DialogEvent } from './lifecycle.js';

export async function conversationForCall(db: Queryable, id: string, tokenHash: string): Promise<{ id: string; status: string; agentId: string | null } | null> {
  const r = await db.query('SELECT id, status, agent_id AS "agentId" FROM conversations WHERE id = $1 AND customer_token_hash = $2', [id, tokenHash]);
  return r.rows[0] ?? null;
}

export async function sipUsernameOf(db: Queryable, agentId: string): Promise<string | null> {
  const r = await db.query('SELECT sip_username FROM agents WHERE id = $1 AND deleted_at IS NULL', [agentId]);
  return r.rows[0]?.sip_username ?? null;
}

export interface CallRecord {
  id: string; sipCallId: string; callerKind: 'agent' | 'customer'; callerAgentId: string | null;
  calleeAgentId: string; conversationId: string | null; callerWebrtc: boolean;
}

export async function insertCall(db: Queryable, c: CallRecord): Promise<void> {
  await db.query(`INSERT INTO sip_calls (id, sip_call_id, caller_kind, caller_agent_id, callee_agent_id, conversation_id, caller_webrtc, state)
    VALUES ($1, $2, $3, $4, $5, $6, $7, 'routing') ON CONFLICT (id) DO NOTHING`,
  [c.id, c.sipCallId, c.callerKind, c.callerAgentId, c.calleeAgentId, c.conversationId, c.callerWebrtc]);
}

const STAMP: Record<DialogEvent, string> = { ringing: 'ringing_at', answered: 'answered_at', ended: 'ended_at', failed: 'ended_at' };

/** Applies a dialog event if the call is in a state it follows; null when it changed nothing. */
export async function applyCallEvent(db: Queryable, id: string, event: DialogEvent): Promise<{ conversationId: string | null; durationS: number | null } | null> {
  const t = transition(event);
  const r = await db.query(`UPDATE sip_calls SET state = $2, ${STAMP[event]} = now() WHERE id = $1 AND state = ANY($3::text[])
    RETURNING conversation_id AS "conversationId",
      CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN round(extract(epoch FROM ended_at - answered_at))::int END AS "durationS"`,
  [id, t.to, t.from]);
  return r.rows[0] ?? null;
}
