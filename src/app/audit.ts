// Recording admin changes. Secrets never reach the log: any key that names a
// password, secret or token is masked, at any depth (a boolean such as
// passwordSet holds no secret and stays readable).
import type { Clock } from '../core/clock.js';
import type { Queryable } from '../db/pool.js';
import { insertAudit } from '../db/repos/audit.js';
import type { Actor } from './sessions.js';

const SECRET_KEY = /password|secret|token|ha1/i;

export function redact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redact);
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEY.test(k) && x !== null && x !== undefined && typeof x !== 'boolean' ? '***' : redact(x)]));
  }
  return v;
}

export interface Change { action: 'create' | 'update' | 'delete'; resource: string; id: string; before?: unknown; after?: unknown }

export class Audit {
  constructor(private readonly clock: Clock) {}

  async record(db: Queryable, actor: Actor | null, c: Change): Promise<void> {
    await insertAudit(db, {
      at: new Date(this.clock.now()),
      actorKind: actor?.kind ?? 'system', actorId: actor?.id ?? null, actorLabel: actor?.label ?? 'system',
      action: c.action, resource: c.resource, resourceId: c.id,
      before: c.before === undefined ? undefined : redact(c.before), after: c.after === undefined ? undefined : redact(c.after),
    });
  }
}
