// Team rooms (one per department): their messages and occupants.
import type { Queryable } from '../pool.js';

export interface TeamMessage { id: string; departmentId: string; senderNick: string; agentId: string | null; body: string; createdAt: Date }
export interface TeamOccupantRow { departmentId: string; realJid: string; nick: string; agentId: string }

export async function insertTeamMessage(db: Queryable, m: Omit<TeamMessage, 'createdAt'>): Promise<TeamMessage> {
  return (await db.query(`INSERT INTO team_messages (id, department_id, sender_nick, agent_id, body) VALUES ($1, $2, $3, $4, $5)
    RETURNING id, department_id AS "departmentId", sender_nick AS "senderNick", agent_id AS "agentId", body, created_at AS "createdAt"`,
  [m.id, m.departmentId, m.senderNick, m.agentId, m.body])).rows[0];
}

export async function recentTeamMessages(db: Queryable, departmentId: string, limit: number): Promise<TeamMessage[]> {
  return (await db.query(`SELECT * FROM (SELECT id, department_id AS "departmentId", sender_nick AS "senderNick", agent_id AS "agentId", body, created_at AS "createdAt", seq
    FROM team_messages WHERE department_id = $1 ORDER BY seq DESC LIMIT $2) m ORDER BY seq`, [departmentId, limit])).rows;
}

export async function saveTeamOccupant(db: Queryable, o: TeamOccupantRow): Promise<void> {
  await db.query(`INSERT INTO team_occupants (department_id, real_jid, nick, agent_id) VALUES ($1, $2, $3, $4)
    ON CONFLICT (department_id, real_jid) DO UPDATE SET nick = EXCLUDED.nick`, [o.departmentId, o.realJid, o.nick, o.agentId]);
}

export async function removeTeamOccupant(db: Queryable, departmentId: string, realJid: string): Promise<void> {
  await db.query('DELETE FROM team_occupants WHERE department_id = $1 AND real_jid = $2', [departmentId, realJid]);
}

export async function allTeamOccupants(db: Queryable): Promise<TeamOccupantRow[]> {
  return (await db.query('SELECT department_id AS "departmentId", real_jid AS "realJid", nick, agent_id AS "agentId" FROM team_occupants')).rows;
}

/** Every department with its members' ids (the team rooms and who belongs in each). */
export async function teamMemberships(db: Queryable): Promise<Array<{ id: string; name: string; agentIds: string[] }>> {
  return (await db.query(`SELECT d.id, d.name, coalesce(array_agg(m.agent_id::text) FILTER (WHERE m.agent_id IS NOT NULL), '{}') AS "agentIds"
    FROM departments d LEFT JOIN department_members m ON m.department_id = d.id GROUP BY d.id, d.name`)).rows;
}
