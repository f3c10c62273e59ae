import type { Queryable } from '../pool.js';

export interface OccupantRow { mucNode: string; realJid: string; nick: string; kind: 'customer' | 'agent'; agentId: string | null }

export async function saveOccupant(db: Queryable, o: OccupantRow): Promise<void> {
  await db.query(`INSERT INTO occupants (muc_node, real_jid, nick, kind, agent_id) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (muc_node, real_jid) DO UPDATE SET nick = EXCLUDED.nick`, [o.mucNode, o.realJid, o.nick, o.kind, o.agentId]);
}

export async function removeOccupant(db: Queryable, mucNode: string, realJid: string): Promise<void> {
  await db.query('DELETE FROM occupants WHERE muc_node = $1 AND real_jid = $2', [mucNode, realJid]);
}

export async function removeRoomOccupants(db: Queryable, mucNode: string): Promise<void> {
  await db.query('DELETE FROM occupants WHERE muc_node = $1', [mucNode]);
}

export async function allOccupants(db: Queryable): Promise<OccupantRow[]> {
  return (await db.query('SELECT muc_node AS "mucNode", real_jid AS "realJid", nick, kind, agent_id AS "agentId" FROM occupants')).rows;
}
