// SQL for calls: what a customer's INVITE may reach, and the call records.
import type { EligibilityRules } from '../../src/core/eligibility.js';
import { matchUrlRoute } from '../../src/core/url-routing.js';
import type { Queryable } from '../../src/db/pool.js';
import type { Room } from '../../src/db/repos/rooms.js';
import { enabledUrlRoutes } from '../../src/db/repos/url-routes.js';
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

/** The conversation a room-entry call names (its id and the customer token's hash must match). */
export async function conversationForRoomCall(db: Queryable, id: string, tokenHash: string): Promise<{ id: string; roomId: string; status: string; agentId: string | null; createdAt: number } | null> {
  const r = await db.query(`SELECT id, room_id AS "roomId", status, agent_id AS "agentId", created_at AS "createdAt"
    FROM conversations WHERE id = $1 AND customer_token_hash = $2`, [id, tokenHash]);
  const row = r.rows[0];
  return row ? { ...row, createdAt: (row.createdAt as Date).getTime() } : null;
}

export interface CallAgentRow { id: string; username: string; maxChats: number; inCall: boolean; lastCallEnd: number | null; departmentIds: string[] }

/** What calls need of these agents: SIP username, chat limit, whether they are in a call, when their last call ended. */
export async function callAgents(db: Queryable, agentIds: readonly string[]): Promise<CallAgentRow[]> {
  if (!agentIds.length) return [];
  const r = await db.query(`SELECT a.id, a.sip_username AS username, a.max_chats AS "maxChats",
      coalesce(bool_or(c.state = 'answered'), false) AS "inCall", max(c.ended_at) AS "lastCallEnd",
      ARRAY(SELECT m.department_id FROM department_members m WHERE m.agent_id = a.id) AS "departmentIds"
    FROM agents a
    LEFT JOIN sip_calls c ON (c.callee_agent_id = a.id OR c.caller_agent_id = a.id) AND c.created_at > now() - interval '1 day'
    WHERE a.id = ANY($1::uuid[]) AND a.deleted_at IS NULL AND a.sip_username IS NOT NULL
    GROUP BY a.id`, [agentIds]);
  return r.rows.map((x) => ({ ...x, lastCallEnd: x.lastCallEnd ? (x.lastCallEnd as Date).getTime() : null }));
}

/**
 * The chat offers' filters for a call to a room's entry: the conversation's
 * department, the URL rule its page matched, a private room's owner.
 */
export async function callRules(db: Queryable, conversationId: string, room: Room): Promise<EligibilityRules> {
  const r = await db.query('SELECT department_id AS "departmentId", page_url AS "pageUrl" FROM conversations WHERE id = $1', [conversationId]);
  const c = r.rows[0] as { departmentId: string | null; pageUrl: string | null } | undefined;
  return {
    departmentId: c?.departmentId ?? null,
    urlRouteAgents: c?.pageUrl ? matchUrlRoute(await enabledUrlRoutes(db), c.pageUrl)?.agentIds ?? null : null,
    ownerAgentId: room.kind === 'private' ? room.ownerAgentId : null,
  };
}

export async function agentIdByUsername(db: Queryable, username: string): Promise<string | null> {
  const r = await db.query('SELECT id FROM agents WHERE sip_username = $1 AND deleted_at IS NULL', [username]);
  return r.rows[0]?.id ?? null;
}

/** The agent who answered a forked call (the record named the first one tried). */
export async function setCallee(db: Queryable, callId: string, agentId: string): Promise<void> {
  await db.query('UPDATE sip_calls SET callee_agent_id = $2 WHERE id = $1', [callId, agentId]);
}

export async function callConversation(db: Queryable, callId: string): Promise<string | null> {
  const r = await db.query('SELECT conversation_id FROM sip_calls WHERE id = $1', [callId]);
  return r.rows[0]?.conversation_id ?? null;
}
