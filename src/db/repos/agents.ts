// Operators (agents): profile, role, capacity, departments, SIP info.
import type { Queryable } from '../pool.js';

export type Role = 'administrator' | 'normal';

export interface Agent {
  id: string; jid: string; name: string; nickname: string; email: string | null;
  role: Role; maxChats: number; avatarUrl: string | null;
  location: { lat: number; lon: number } | null;
  emailAlerts: boolean; greeting: string | null; mobile: boolean;
  departmentIds: string[];
  createdAt: Date; updatedAt: Date; deletedAt: Date | null;
}

export interface SipSecrets { username: string; password: string; ha1: string }

const COLS = `a.id, a.jid, a.name, a.nickname, a.email, a.role, a.max_chats AS "maxChats", a.avatar_url AS "avatarUrl",
  CASE WHEN a.latitude IS NULL THEN NULL ELSE json_build_object('lat', a.latitude, 'lon', a.longitude) END AS location,
  a.email_alerts AS "emailAlerts", a.greeting, a.mobile,
  coalesce((SELECT array_agg(m.department_id ORDER BY m.department_id) FROM department_members m WHERE m.agent_id = a.id), '{}') AS "departmentIds",
  a.created_at AS "createdAt", a.updated_at AS "updatedAt", a.deleted_at AS "deletedAt"`;

/** Profile fields an update may set (column ← value). */
export interface AgentFields {
  name?: string; nickname?: string; email?: string | null; role?: Role; maxChats?: number;
  avatarUrl?: string | null; location?: { lat: number; lon: number } | null;
  emailAlerts?: boolean; greeting?: string | null; mobile?: boolean; passwordHash?: string | null;
}

export interface NewAgent extends AgentFields { jid: string; name: string; nickname: string; role: Role; maxChats: number; sip: SipSecrets }

function columns(f: AgentFields): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const map: Array<[keyof AgentFields, string]> = [['name', 'name'], ['nickname', 'nickname'], ['email', 'email'], ['role', 'role'], ['maxChats', 'max_chats'],
    ['avatarUrl', 'avatar_url'], ['emailAlerts', 'email_alerts'], ['greeting', 'greeting'], ['mobile', 'mobile'], ['passwordHash', 'password_hash']];
  for (const [k, col] of map) if (f[k] !== undefined) out.push([col, f[k]]);
  if (f.location !== undefined) out.push(['latitude', f.location?.lat ?? null], ['longitude', f.location?.lon ?? null]);
  return out;
}

export async function insertAgent(db: Queryable, a: NewAgent): Promise<Agent> {
  const cols: Array<[string, unknown]> = [['jid', a.jid], ...columns(a), ['sip_username', a.sip.username], ['sip_password', a.sip.password], ['sip_ha1', a.sip.ha1]];
  const r = await db.query(`INSERT INTO agents (${cols.map((c) => c[0]).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`, cols.map((c) => c[1]));
  return (await agentById(db, r.rows[0].id))!;
}

export async function updateAgent(db: Queryable, id: string, f: AgentFields): Promise<Agent | null> {
  const cols = columns(f);
  if (cols.length) {
    const r = await db.query(`UPDATE agents SET ${cols.map((c, i) => `${c[0]} = $${i + 2}`).join(', ')}, updated_at = now()
      WHERE id = $1 AND deleted_at IS NULL`, [id, ...cols.map((c) => c[1])]);
    if (r.rowCount === 0) return null;
  }
  return agentById(db, id, { live: true });
}

export async function setDepartments(db: Queryable, agentId: string, departmentIds: string[]): Promise<void> {
  await db.query('DELETE FROM department_members WHERE agent_id = $1 AND NOT (department_id = ANY($2::uuid[]))', [agentId, departmentIds]);
  await db.query('INSERT INTO department_members (department_id, agent_id) SELECT unnest($2::uuid[]), $1 ON CONFLICT DO NOTHING', [agentId, departmentIds]);
}

export interface AgentFilter { limit: number; offset: number; q?: string; role?: Role; departmentId?: string }

export async function listAgents(db: Queryable, f: AgentFilter): Promise<{ items: Agent[]; total: number }> {
  const where = `a.deleted_at IS NULL AND ($1::text IS NULL OR a.name ILIKE '%' || $1 || '%' OR a.email ILIKE '%' || $1 || '%' OR a.jid ILIKE '%' || $1 || '%')
    AND ($2::text IS NULL OR a.role = $2) AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM department_members m WHERE m.agent_id = a.id AND m.department_id = $3))`;
  const args = [f.q ?? null, f.role ?? null, f.departmentId ?? null];
  const [items, total] = await Promise.all([
    db.query(`SELECT ${COLS} FROM agents a WHERE ${where} ORDER BY a.created_at, a.id LIMIT $4 OFFSET $5`, [...args, f.limit, f.offset]),
    db.query(`SELECT count(*)::int AS n FROM agents a WHERE ${where}`, args),
  ]);
  return { items: items.rows, total: total.rows[0].n };
}

export async function allAgents(db: Queryable): Promise<Agent[]> {
  return (await db.query(`SELECT ${COLS} FROM agents a WHERE a.deleted_at IS NULL`)).rows;
}

export async function agentById(db: Queryable, id: string, opts: { live?: boolean } = {}): Promise<Agent | null> {
  return (await db.query(`SELECT ${COLS} FROM agents a WHERE a.id = $1 ${opts.live ? 'AND a.deleted_at IS NULL' : ''}`, [id])).rows[0] ?? null;
}

export async function sipSecrets(db: Queryable, id: string): Promise<SipSecrets | null> {
  const r = await db.query('SELECT sip_username AS username, sip_password AS password, sip_ha1 AS ha1 FROM agents WHERE id = $1 AND deleted_at IS NULL AND sip_username IS NOT NULL', [id]);
  return r.rows[0] ?? null;
}

/** Soft delete: the row stays for the history; logins, sessions, SIP and memberships end. */
export async function deleteAgent(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query(`UPDATE agents SET deleted_at = now(), password_hash = NULL, sip_username = NULL, sip_password = NULL, sip_ha1 = NULL, updated_at = now()
    WHERE id = $1 AND deleted_at IS NULL`, [id]);
  if (r.rowCount === 0) return false;
  await db.query('DELETE FROM api_sessions WHERE agent_id = $1', [id]);
  await db.query('DELETE FROM department_members WHERE agent_id = $1', [id]);
  await db.query('DELETE FROM offline_recipients WHERE agent_id = $1', [id]);
  await db.query('DELETE FROM url_route_agents WHERE agent_id = $1', [id]);
  return true;
}

export async function countAgents(db: Queryable, opts: { role?: Role } = {}): Promise<number> {
  return (await db.query('SELECT count(*)::int AS n FROM agents WHERE ($1::text IS NULL OR role = $1) AND ($1::text IS NULL OR deleted_at IS NULL)', [opts.role ?? null])).rows[0].n;
}
