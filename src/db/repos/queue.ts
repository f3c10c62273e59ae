// Store access for the queue behaviours (issue 4): a room's open chats, its
// recent waits, the guarded re-queue of an abandoned chat, unattended chats'
// message times, recent closes (wrap-up).
import type { Queryable } from '../pool.js';

/**
 * Chats of a room that count against its maxConcurrentSessions: active, or
 * queued with the customer in the room. A form sent without the customer ever
 * joining holds its place for two minutes only, so abandoned pages do not keep
 * the room full. Notes (offline messages) never count.
 */
export async function openSessions(db: Queryable, roomId: string): Promise<number> {
  const r = await db.query(`SELECT count(*)::int AS n FROM conversations WHERE room_id = $1 AND status <> 'closed' AND channel = 'chat'
    AND (status = 'active' OR customer_joined_at IS NOT NULL OR created_at > now() - interval '2 minutes')`, [roomId]);
  return r.rows[0].n;
}

/** Serialises the starts of one room's chats (count then insert) until the transaction ends. */
export async function lockRoomForStart(tx: Queryable, roomId: string): Promise<void> {
  await tx.query('SELECT 1 FROM rooms WHERE id = $1 FOR NO KEY UPDATE', [roomId]);
}

/** Seconds each of the room's last `n` accepted chats waited, newest first. */
export async function recentWaits(db: Queryable, roomIds: string[], n: number): Promise<Map<string, number[]>> {
  const r = await db.query(`SELECT r.id::text AS "roomId", coalesce((SELECT array_agg(w) FROM (
      SELECT extract(epoch FROM c.accepted_at - coalesce(c.customer_joined_at, c.created_at))::float8 AS w FROM conversations c
      WHERE c.room_id = r.id AND c.accepted_at IS NOT NULL ORDER BY c.accepted_at DESC LIMIT $2) x), '{}') AS waits
    FROM unnest($1::uuid[]) AS r(id)`, [roomIds, n]);
  return new Map(r.rows.map((x) => [x.roomId as string, (x.waits as number[]).map((w) => Math.max(0, w))]));
}

/**
 * Puts an active chat back in the queue because its agent left and did not come
 * back: one guarded statement (still active, still that agent's), which also
 * records the agent as having missed it (so it goes to others first) and the
 * event. Returns the conversation's id, or null when nothing changed.
 */
export async function requeueAbandoned(db: Queryable, conversationId: string, agentId: string, agentJid: string | null): Promise<string | null> {
  const r = await db.query(`WITH r AS (UPDATE conversations SET status = 'queued', agent_id = NULL, accepted_at = NULL
      WHERE id = $1 AND status = 'active' AND agent_id = $2 RETURNING id),
    o AS (INSERT INTO offers (conversation_id, agent_id, status, deadline, ended_at) SELECT id, $2, 'timed_out', now(), now() FROM r),
    e AS (INSERT INTO conversation_events (conversation_id, kind, data) SELECT id, 'requeued', jsonb_build_object('agent', $3::text, 'why', 'agent left') FROM r)
    SELECT id FROM r`, [conversationId, agentId, agentJid]);
  return r.rows[0]?.id ?? null;
}

export interface AbsentOwner { conversationId: string; mucNode: string; roomId: string; agentId: string; leftAt: Date | null }

/** Active chats whose agent is in the room from no session (after a restart), with when the agent was last seen leaving. */
export async function activeWithoutOwner(db: Queryable): Promise<AbsentOwner[]> {
  const r = await db.query(`SELECT c.id AS "conversationId", c.muc_node AS "mucNode", c.room_id AS "roomId", c.agent_id AS "agentId",
      (SELECT max(e.at) FROM conversation_events e WHERE e.conversation_id = c.id AND e.kind = 'agent_left') AS "leftAt"
    FROM conversations c WHERE c.status = 'active' AND c.agent_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM occupants o WHERE o.muc_node = c.muc_node AND o.agent_id = c.agent_id)`);
  return r.rows;
}

export interface ActiveTimeline { id: string; roomId: string; acceptedAt: Date; lastAgentAt: Date | null; firstCustomerAt: Date | null }

/** For active chats (all, or one) in rooms that close unattended chats: the agents' last message and the customer's first one since. */
export async function activeTimelines(db: Queryable, conversationId: string | null = null): Promise<ActiveTimeline[]> {
  const r = await db.query(`SELECT c.id, c.room_id AS "roomId", c.accepted_at AS "acceptedAt", la.at AS "lastAgentAt",
      (SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = c.id AND m.sender_kind = 'customer' AND m.created_at > coalesce(la.at, '-infinity')) AS "firstCustomerAt"
    FROM conversations c
    LEFT JOIN LATERAL (SELECT max(m.created_at) AS at FROM messages m WHERE m.conversation_id = c.id AND m.sender_kind = 'agent' AND NOT m.private) la ON true
    WHERE c.status = 'active' AND c.accepted_at IS NOT NULL AND ($1::uuid IS NULL OR c.id = $1)
      AND EXISTS (SELECT 1 FROM rooms r WHERE r.id = c.room_id AND jsonb_typeof(r.settings->'unattendedTimeoutSeconds') = 'number'
        AND (r.settings->>'unattendedTimeoutSeconds')::numeric > 0)`, [conversationId]);
  return r.rows;
}

/** Chats closed in the last hour by agent, with the room's wrap-up (seconds), for rooms that have one. */
export async function recentCloses(db: Queryable): Promise<Array<{ agentId: string; closedAt: Date; wrapUpSeconds: number }>> {
  const r = await db.query(`SELECT c.agent_id AS "agentId", max(c.closed_at) AS "closedAt", (r.settings->>'wrapUpSeconds')::int AS "wrapUpSeconds"
    FROM conversations c JOIN rooms r ON r.id = c.room_id
    WHERE c.status = 'closed' AND c.agent_id IS NOT NULL AND c.closed_at > now() - interval '1 hour'
      AND jsonb_typeof(r.settings->'wrapUpSeconds') = 'number' AND (r.settings->>'wrapUpSeconds')::int > 0
    GROUP BY c.agent_id, r.settings->>'wrapUpSeconds'`);
  return r.rows;
}

/** Whether an unserved chat was left unmanaged: the customer was told nobody could answer, and no agent was ever offered it. */
export async function wasUnmanaged(db: Queryable, conversationId: string): Promise<boolean> {
  const r = await db.query(`SELECT EXISTS (SELECT 1 FROM conversation_events WHERE conversation_id = $1 AND kind = 'unmanaged')
    AND NOT EXISTS (SELECT 1 FROM offers WHERE conversation_id = $1) AS u`, [conversationId]);
  return r.rows[0].u === true;
}
