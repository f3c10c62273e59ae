// The audit log of admin changes: who, what, before/after, when.
import type { Queryable } from '../pool.js';

export interface AuditEntry {
  id: string; at: Date; actorKind: 'agent' | 'token' | 'system'; actorId: string | null; actorLabel: string;
  action: 'create' | 'update' | 'delete'; resource: string; resourceId: string; before: unknown; after: unknown;
}

export async function insertAudit(db: Queryable, e: Omit<AuditEntry, 'id' | 'at'> & { at: Date }): Promise<void> {
  await db.query(`INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, action, resource, resource_id, before, after)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  [e.at, e.actorKind, e.actorId, e.actorLabel, e.action, e.resource, e.resourceId, e.before === undefined ? null : JSON.stringify(e.before), e.after === undefined ? null : JSON.stringify(e.after)]);
}

export interface AuditFilter { limit: number; offset: number; resource?: string; resourceId?: string; actorId?: string; since?: string; until?: string }

export async function listAudit(db: Queryable, f: AuditFilter): Promise<{ items: AuditEntry[]; total: number }> {
  const where = `($1::text IS NULL OR resource = $1) AND ($2::text IS NULL OR resource_id = $2) AND ($3::uuid IS NULL OR actor_id = $3)
    AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)`;
  const args = [f.resource ?? null, f.resourceId ?? null, f.actorId ?? null, f.since ?? null, f.until ?? null];
  const [items, total] = await Promise.all([
    db.query(`SELECT id::text, at, actor_kind AS "actorKind", actor_id AS "actorId", actor_label AS "actorLabel", action, resource,
      resource_id AS "resourceId", before, after FROM audit_log WHERE ${where} ORDER BY audit_log.id DESC LIMIT $6 OFFSET $7`, [...args, f.limit, f.offset]),
    db.query(`SELECT count(*)::int AS n FROM audit_log WHERE ${where}`, args),
  ]);
  return { items: items.rows, total: total.rows[0].n };
}
