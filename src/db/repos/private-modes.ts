// Agents in private mode per conversation MUC room (the "private" toggle).
import type { Queryable } from '../pool.js';

export async function privateAgents(db: Queryable, mucNode: string): Promise<string[]> {
  return (await db.query('SELECT agent_id::text AS id FROM private_modes WHERE muc_node = $1', [mucNode])).rows.map((r) => r.id as string);
}

export async function setPrivateMode(db: Queryable, mucNode: string, agentId: string, on: boolean): Promise<void> {
  if (on) await db.query('INSERT INTO private_modes (muc_node, agent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [mucNode, agentId]);
  else await db.query('DELETE FROM private_modes WHERE muc_node = $1 AND agent_id = $2', [mucNode, agentId]);
}
