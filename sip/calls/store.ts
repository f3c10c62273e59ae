// SQL for calls: what a customer's INVITE may reach, and the call records.
import type { EligibilityRules } from '../../src/core/eligibility.js';
import { matchUrlRoute } from '../../src/core/url-routing.js';
import type { Queryable } from '../../src/db/pool.js';
import type { Room } from '../../src/db/repos/rooms.js';
import { enabledUrlRoutes } from '../../src/db/repos/url-routes.js';
import { normaliseRoomSettings } from '../../src/core/room-normalise.js';
import { conversationEventKind, transition, type DialogEvent } from './lifecycle.js';

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

const STAMP: Record<DialogEvent, string> = { ringing: 'ringing_at', answered: 'answered_at', ended: 'ended_at', failed: 'ended_at' };

export interface CallEventDone { conversationId: string | null; durationS: number | null; answeredBy: string | null }

/**
 * Applies a dialog event to a call in one statement: the guarded state
 * change (only from a state the event follows), for "answered" the agent
 * whose SIP username answered becomes the callee, and a customer's call gets
 * the event in its conversation's timeline (call_<event>, with the call, the
 * answering agent and the duration when known). With `insert` (a call not
 * stored yet, still "routing"), the row is inserted already in the state the
 * event leads to. Null when the event changed nothing.
 */
export async function recordCallEvent(db: Queryable, callId: string, event: DialogEvent, o: { agent?: string; insert?: CallRecord } = {}): Promise<CallEventDone | null> {
  const t = transition(event);
  const who = event === 'answered' && o.agent ? o.agent : null;
  const kind = conversationEventKind(event);
  if (o.insert) {
    // The first event of a call the store has not seen yet: it was "routing".
    const done = t.from.includes('routing') ? await insertIn(db, o.insert, t.to, STAMP[event], who, kind) : (await insertCall(db, o.insert), null);
    if (done) return done;
  }
  // Stored already (or the insert met a row with that id): the guarded update.
  const r = await db.query(`WITH who AS (SELECT id FROM agents WHERE $4::text IS NOT NULL AND sip_username = $4 AND deleted_at IS NULL),
    u AS (UPDATE sip_calls SET state = $2, ${STAMP[event]} = now(), callee_agent_id = coalesce((SELECT id FROM who), callee_agent_id)
      WHERE id = $1 AND state = ANY($3::text[])
      RETURNING conversation_id, (SELECT id FROM who) AS answered_by,
        CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN round(extract(epoch FROM ended_at - answered_at))::int END AS duration_s),
    e AS (INSERT INTO conversation_events (conversation_id, kind, data)
      SELECT conversation_id, $5, ${EVENT_DATA} FROM u WHERE conversation_id IS NOT NULL)
    SELECT conversation_id AS "conversationId", duration_s AS "durationS", answered_by AS "answeredBy" FROM u`,
  [callId, t.to, t.from, who, kind]);
  return r.rows[0] ?? null;
}

/** The timeline event's data: { call, agentId?, durationS? } (absent keys when null, as before). */
const EVENT_DATA = `jsonb_strip_nulls(jsonb_build_object('call', $1::text, 'agentId', answered_by, 'durationS', duration_s))`;

async function insertIn(db: Queryable, c: CallRecord, state: string, stamp: string, who: string | null, kind: string): Promise<CallEventDone | null> {
  const r = await db.query(`WITH who AS (SELECT id FROM agents WHERE $9::text IS NOT NULL AND sip_username = $9 AND deleted_at IS NULL),
    i AS (INSERT INTO sip_calls (id, sip_call_id, caller_kind, caller_agent_id, callee_agent_id, conversation_id, caller_webrtc, state, ${stamp})
      VALUES ($1, $2, $3, $4, coalesce((SELECT id FROM who), $5::uuid), $6, $7, $8, now()) ON CONFLICT (id) DO NOTHING
      RETURNING conversation_id, (SELECT id FROM who) AS answered_by, NULL::int AS duration_s),
    e AS (INSERT INTO conversation_events (conversation_id, kind, data)
      SELECT conversation_id, $10, ${EVENT_DATA} FROM i WHERE conversation_id IS NOT NULL)
    SELECT conversation_id AS "conversationId", duration_s AS "durationS", answered_by AS "answeredBy" FROM i`,
  [c.id, c.sipCallId, c.callerKind, c.callerAgentId, c.calleeAgentId, c.conversationId, c.callerWebrtc, state, who, kind]);
  return r.rows[0] ?? null;
}

export async function insertCall(db: Queryable, c: CallRecord): Promise<void> {
  await db.query(`INSERT INTO sip_calls (id, sip_call_id, caller_kind, caller_agent_id, callee_agent_id, conversation_id, caller_webrtc, state)
    VALUES ($1, $2, $3, $4, $5, $6, $7, 'routing') ON CONFLICT (id) DO NOTHING`,
  [c.id, c.sipCallId, c.callerKind, c.callerAgentId, c.calleeAgentId, c.conversationId, c.callerWebrtc]);
}

export interface RoomCallRow {
  room: Room | null;
  conversation: { id: string; roomId: string; status: string; agentId: string | null; createdAt: number; departmentId: string | null; pageUrl: string | null } | null;
}

/**
 * A call to a room's entry, in one statement: the room (by slug, not
 * deleted) and the conversation the call names (its id and the customer
 * token's hash must match; null id: none), with what the call's filters need.
 */
export async function roomCallRow(db: Queryable, slug: string, conversationId: string | null, tokenHash: string): Promise<RoomCallRow> {
  const r = await db.query(`SELECT r.id, r.slug, r.kind, r.owner_agent_id AS "ownerAgentId", r.settings, r.created_at AS "createdAt",
      r.updated_at AS "updatedAt", r.deleted_at AS "deletedAt",
      c.id AS "cId", c.room_id AS "cRoomId", c.status AS "cStatus", c.agent_id AS "cAgentId", c.created_at AS "cCreatedAt",
      c.department_id AS "cDepartmentId", c.page_url AS "cPageUrl"
    FROM (SELECT 1) one
    LEFT JOIN rooms r ON r.slug = $1 AND r.deleted_at IS NULL
    LEFT JOIN conversations c ON c.id = $2::uuid AND c.customer_token_hash = $3`, [slug, conversationId, tokenHash]);
  const x = r.rows[0];
  return {
    room: x?.id ? { id: x.id, slug: x.slug, kind: x.kind, ownerAgentId: x.ownerAgentId, settings: normaliseRoomSettings(x.settings), createdAt: x.createdAt, updatedAt: x.updatedAt, deletedAt: x.deletedAt } : null,
    conversation: x?.cId ? { id: x.cId, roomId: x.cRoomId, status: x.cStatus, agentId: x.cAgentId, createdAt: (x.cCreatedAt as Date).getTime(), departmentId: x.cDepartmentId, pageUrl: x.cPageUrl } : null,
  };
}

export interface CallAgentRow { id: string; username: string; maxChats: number; inCall: boolean; lastCallEnd: number | null; departmentIds: string[]; active: number; pending: number }

/**
 * What calls need of these agents: SIP username, chat limit, whether they are
 * in a call, when their last call ended, their departments, and their load
 * (active conversations, pending offers: the same counts as chat offers use).
 */
export async function callAgents(db: Queryable, agentIds: readonly string[]): Promise<CallAgentRow[]> {
  if (!agentIds.length) return [];
  const r = await db.query(`SELECT a.id, a.sip_username AS username, a.max_chats AS "maxChats",
      coalesce(bool_or(c.state = 'answered'), false) AS "inCall", max(c.ended_at) AS "lastCallEnd",
      ARRAY(SELECT m.department_id FROM department_members m WHERE m.agent_id = a.id) AS "departmentIds",
      (SELECT count(*)::int FROM conversations v WHERE v.agent_id = a.id AND v.status = 'active') AS active,
      (SELECT count(*)::int FROM offers o WHERE o.agent_id = a.id AND o.status = 'pending') AS pending
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
export async function callRules(db: Queryable, c: { departmentId: string | null; pageUrl: string | null }, room: Room): Promise<EligibilityRules> {
  return {
    departmentId: c.departmentId,
    urlRouteAgents: c.pageUrl ? matchUrlRoute(await enabledUrlRoutes(db), c.pageUrl)?.agentIds ?? null : null,
    ownerAgentId: room.kind === 'private' ? room.ownerAgentId : null,
  };
}

export async function callConversation(db: Queryable, callId: string): Promise<string | null> {
  const r = await db.query('SELECT conversation_id FROM sip_calls WHERE id = $1', [callId]);
  return r.rows[0]?.conversation_id ?? null;
}
