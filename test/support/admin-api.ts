// Calling the admin API in tests: JSON in and out, signed in as the bootstrap
// administrator or as normal operators made through POST /api/v1/agents.
import { expect } from 'chai';
import type { Stack } from './stack.js';
import { apiClient, bootstrapPassword, signIn } from './api.js';

export interface Reply<T = any> { status: number; body: T }

export interface AdminApi {
  call<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<Reply<T>>;
  /** The bootstrap administrator's token. */
  admin: string;
  /** Creates a normal operator (with an email) and signs them in. */
  operator(name: string): Promise<{ id: string; token: string; jid: string }>;
  /** The newest audit entries of one resource id, newest first. */
  audit(resource: string, id: string): Promise<Array<{ action: string; actorId: string | null; before: any; after: any }>>;
}

let seq = 0;

export async function adminApi(stack: Stack): Promise<AdminApi> {
  const api = apiClient(stack);
  const call = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<Reply<T>> => {
    const r = await api(method, path, { token, body });
    return { status: r.status, body: r.body as T };
  };
  const admin = await signIn(api, `admin@${stack.cfg.xmppDomain}`, bootstrapPassword(stack));
  return {
    call, admin,
    async operator(name) {
      const local = `${name.toLowerCase().replace(/[^a-z]/g, '')}${process.pid}x${++seq}`;
      const made = await call<{ agent: { id: string; jid: string } }>('POST', '/api/v1/agents', admin,
        { name, jid: `${local}@${stack.cfg.xmppDomain}`, email: `${local}@example.com`, password: 'operator-password' });
      expect(made.status, JSON.stringify(made.body)).to.equal(201);
      const signed = await call<{ token: string }>('POST', '/api/v1/auth/login', undefined, { login: made.body.agent.jid, password: 'operator-password' });
      expect(signed.status).to.equal(200);
      return { id: made.body.agent.id, jid: made.body.agent.jid, token: signed.body.token };
    },
    async audit(resource, id) {
      const r = await stack.sb.db.query(`SELECT action, actor_id AS "actorId", before, after FROM audit_log
        WHERE resource = $1 AND resource_id = $2 ORDER BY id DESC`, [resource, id]);
      return r.rows;
    },
  };
}

/** Expects an error reply with the status, naming the field. */
export function expectError(r: Reply, status: number, field?: string): void {
  expect(r.status, JSON.stringify(r.body)).to.equal(status);
  if (field !== undefined) {
    expect(r.body.field, JSON.stringify(r.body)).to.equal(field);
    expect(r.body.message).to.include(field);
  }
}
