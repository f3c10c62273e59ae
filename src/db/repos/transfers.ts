// Transfers and invitations of a conversation to other agents (issue 4).
import type { Queryable } from '../pool.js';
import type { Conversation } from './conversations.js';

export type TransferKind = 'transfer' | 'invite';
export interface Transfer {
  id: string; conversationId: string; kind: TransferKind; fromAgentId: string; candidates: string[];
  departmentId: string | null; status: string; acceptedBy: string | null; createdAt: Date; deadline: Date;
}

const COLS = `t.id, t.conversation_id AS "conversationId", t.kind, t.from_agent_id AS "fromAgentId", t.candidates::text[] AS candidates,
  t.department_id AS "departmentId", t.status, t.accepted_by AS "acceptedBy", t.created_at AS "createdAt", t.deadline`;

const CONV = `c.id, c.room_id AS "roomId", c.muc_node AS "mucNode", c.status, c.disposition,
  c.customer_name AS "customerName", c.customer_email AS "customerEmail", c.first_message AS "firstMessage",
  c.room_password AS "roomPassword", c.agent_id AS "agentId", c.customer_id AS "customerId", c.department_id AS "departmentId", c.channel, c.created_at AS "createdAt",
  c.customer_joined_at AS "customerJoinedAt", c.accepted_at AS "acceptedAt", c.closed_at AS "closedAt", c.closed_by AS "closedBy"`;

export interface NewTransfer { conversationId: string; kind: TransferKind; fromAgentId: string; candidates: string[]; departmentId: string | null; deadline: Date }

/** A new pending request, or null when the conversation already has one (one at a time). */
export async function insertTransfer(db: Queryable, t: NewTransfer): Promise<Transfer | null> {
  await db.query(`UPDATE transfers SET status = 'expired', ended_at = now() WHERE conversation_id = $1 AND status = 'pending' AND deadline <= now()`, [t.conversationId]);
  const r = await db.query(`INSERT INTO transfers AS t (conversation_id, kind, from_agent_id, candidates, department_id, deadline)
    VALUES ($1, $2, $3, $4::uuid[], $5, $6) ON CONFLICT (conversation_id) WHERE status = 'pending' DO NOTHING RETURNING ${COLS}`,
  [t.conversationId, t.kind, t.fromAgentId, t.candidates, t.departmentId, t.deadline]);
  return r.rows[0] ?? null;
}

export interface Accepted { conversation: Conversation; transfer: Transfer }

/**
 * The accept, in ONE statement: the pending request (of this conversation,
 * or the agent's oldest) becomes accepted by this agent only if it is still
 * pending, not past its deadline, names the agent among its candidates and its
 * conversation is still active (for a transfer: still the transferring
 * agent's); the conversation's agent switches in the same statement. Of two
 * agents accepting at once, the second waits on the row lock, finds it no
 * longer pending and gets nothing (architecture: no read-then-write claims).
 */
export async function acceptTransfer(db: Queryable, agentId: string, conversationId: string | null): Promise<Accepted | null> {
  const r = await db.query(`WITH won AS (
      UPDATE transfers t SET status = 'accepted', accepted_by = $1, ended_at = now()
      WHERE t.id = (SELECT id FROM transfers WHERE status = 'pending' AND $1 = ANY(candidates) AND deadline > now()
                      AND ($2::uuid IS NULL OR conversation_id = $2) ORDER BY created_at LIMIT 1 FOR UPDATE)
        AND t.status = 'pending' AND t.deadline > now()
        AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = t.conversation_id AND c.status = 'active'
                      AND (t.kind = 'invite' OR c.agent_id = t.from_agent_id))
      RETURNING ${COLS})
    UPDATE conversations c SET agent_id = CASE WHEN won.kind = 'transfer' THEN $1::uuid ELSE c.agent_id END
    FROM won WHERE c.id = won."conversationId"
    RETURNING ${CONV}, row_to_json(won) AS transfer`, [agentId, conversationId]);
  const row = r.rows[0];
  if (!row) return null;
  const { transfer, ...conversation } = row;
  return { conversation, transfer: { ...transfer, createdAt: new Date(transfer.createdAt), deadline: new Date(transfer.deadline) } };
}

/** Pending requests naming an agent (for "status"). */
export async function pendingFor(db: Queryable, agentId: string): Promise<Array<Transfer & { customerName: string; mucNode: string }>> {
  return (await db.query(`SELECT ${COLS}, c.customer_name AS "customerName", c.muc_node AS "mucNode" FROM transfers t JOIN conversations c ON c.id = t.conversation_id
    WHERE t.status = 'pending' AND t.deadline > now() AND c.status = 'active' AND $1 = ANY(t.candidates) ORDER BY t.created_at`, [agentId])).rows;
}

/** Conversations still open that have had a transfer or an invitation. */
export async function conversationsWithRequests(db: Queryable): Promise<string[]> {
  return (await db.query(`SELECT DISTINCT t.conversation_id::text AS id FROM transfers t JOIN conversations c ON c.id = t.conversation_id
    WHERE c.status <> 'closed'`)).rows.map((r) => r.id as string);
}

/** Has this agent accepted an invitation to this conversation (and not left)? Lets them rejoin. */
export async function invitedMember(db: Queryable, conversationId: string, agentId: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM transfers WHERE conversation_id = $1 AND kind = 'invite' AND status = 'accepted' AND accepted_by = $2`,
    [conversationId, agentId])).rowCount! > 0;
}

/** Ends a pending request (cancelled or expired); returns it if this call ended it. */
export async function endTransfer(db: Queryable, where: { id?: string; conversationId?: string }, status: 'cancelled' | 'expired'): Promise<Transfer | null> {
  const r = await db.query(`UPDATE transfers t SET status = $3, ended_at = now()
    WHERE t.status = 'pending' AND ($1::uuid IS NULL OR t.id = $1) AND ($2::uuid IS NULL OR t.conversation_id = $2) RETURNING ${COLS}`,
  [where.id ?? null, where.conversationId ?? null, status]);
  return r.rows[0] ?? null;
}

/** A candidate declines: they leave the candidates; with none left the request is declined. */
export async function declineTransfer(db: Queryable, agentId: string, conversationId: string | null): Promise<Transfer | null> {
  const r = await db.query(`UPDATE transfers t SET candidates = array_remove(t.candidates, $1::uuid),
      status = CASE WHEN cardinality(array_remove(t.candidates, $1::uuid)) = 0 THEN 'declined' ELSE 'pending' END,
      ended_at = CASE WHEN cardinality(array_remove(t.candidates, $1::uuid)) = 0 THEN now() END
    WHERE t.id = (SELECT id FROM transfers WHERE status = 'pending' AND $1 = ANY(candidates) AND ($2::uuid IS NULL OR conversation_id = $2)
                  ORDER BY created_at LIMIT 1 FOR UPDATE)
      AND t.status = 'pending' AND $1 = ANY(t.candidates)
    RETURNING ${COLS}`, [agentId, conversationId]);
  return r.rows[0] ?? null;
}

/** An invited agent left: they may not come back without a new invitation. */
export async function leaveInvitation(db: Queryable, conversationId: string, agentId: string): Promise<void> {
  await db.query(`UPDATE transfers SET status = 'left' WHERE conversation_id = $1 AND kind = 'invite' AND status = 'accepted' AND accepted_by = $2`, [conversationId, agentId]);
}

/** The serving agent leaves to an invited agent: guarded by who serves it now. */
export async function handOver(db: Queryable, conversationId: string, fromAgentId: string, toAgentId: string): Promise<Conversation | null> {
  const r = await db.query(`UPDATE conversations c SET agent_id = $3 WHERE c.id = $1 AND c.agent_id = $2 AND c.status = 'active' RETURNING ${CONV}`,
    [conversationId, fromAgentId, toAgentId]);
  return r.rows[0] ?? null;
}

export async function allPending(db: Queryable): Promise<Transfer[]> {
  return (await db.query(`SELECT ${COLS} FROM transfers t WHERE t.status = 'pending'`)).rows;
}
