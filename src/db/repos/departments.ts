// Departments (seed 004): groups of operators a customer may choose, and
// routing targets. Names are unique whatever their case.
import type { Queryable } from '../pool.js';
import { containing } from './shared.js';

export interface Department {
  id: string; name: string; description: string; agentIds: string[]; memberCount: number;
  createdAt: Date; updatedAt: Date;
}

const COLS = `d.id, d.name, d.description,
  coalesce((SELECT array_agg(m.agent_id ORDER BY m.agent_id) FROM department_members m JOIN agents a ON a.id = m.agent_id
    WHERE m.department_id = d.id AND a.deleted_at IS NULL), '{}') AS "agentIds",
  (SELECT count(*)::int FROM department_members m JOIN agents a ON a.id = m.agent_id
    WHERE m.department_id = d.id AND a.deleted_at IS NULL) AS "memberCount",
  d.created_at AS "createdAt", d.updated_at AS "updatedAt"`;

export async function departmentById(db: Queryable, id: string): Promise<Department | null> {
  return (await db.query(`SELECT ${COLS} FROM departments d WHERE d.id = $1`, [id])).rows[0] ?? null;
}

export interface DepartmentFilter { limit: number; offset: number; q?: string }

export async function listDepartments(db: Queryable, f: DepartmentFilter): Promise<{ items: Department[]; total: number }> {
  const where = `($1::text IS NULL OR d.name ILIKE $1 OR d.description ILIKE $1)`;
  const args = [containing(f.q)];
  const [items, total] = await Promise.all([
    db.query(`SELECT ${COLS} FROM departments d WHERE ${where} ORDER BY lower(d.name), d.id LIMIT $2 OFFSET $3`, [...args, f.limit, f.offset]),
    db.query(`SELECT count(*)::int AS n FROM departments d WHERE ${where}`, args),
  ]);
  return { items: items.rows, total: total.rows[0].n };
}

export async function insertDepartment(db: Queryable, d: { name: string; description: string }): Promise<string> {
  return (await db.query('INSERT INTO departments (name, description) VALUES ($1, $2) RETURNING id', [d.name, d.description])).rows[0].id;
}

/** Changes the given fields; false when there is no such department. */
export async function updateDepartment(db: Queryable, id: string, d: { name?: string; description?: string }): Promise<boolean> {
  const r = await db.query(`UPDATE departments SET name = coalesce($2, name), description = coalesce($3, description), updated_at = now()
    WHERE id = $1`, [id, d.name ?? null, d.description ?? null]);
  return r.rowCount === 1;
}

export async function deleteDepartment(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('DELETE FROM departments WHERE id = $1', [id])).rowCount === 1;
}

/** Makes agentIds the department's whole membership. */
export async function setMembers(db: Queryable, id: string, agentIds: readonly string[]): Promise<void> {
  await db.query('DELETE FROM department_members WHERE department_id = $1 AND NOT (agent_id = ANY($2::uuid[]))', [id, agentIds]);
  await db.query('INSERT INTO department_members (department_id, agent_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [id, agentIds]);
  await db.query('UPDATE departments SET updated_at = now() WHERE id = $1', [id]);
}

/** What a customer may pick on the welcome screen ("Choose Department"): every department, by name. */
export async function departmentsForVisitors(db: Queryable): Promise<Array<{ id: string; name: string }>> {
  return (await db.query('SELECT id, name FROM departments ORDER BY lower(name), id')).rows;
}
