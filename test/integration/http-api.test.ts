// The HTTP side: contact-form validation (400 naming the field), the minimal
// admin API (sign-in, agents, room settings), roles, the OpenAPI document.
import { expect } from 'chai';
import { startStack, type Stack } from '../support/stack.js';
import { TestClient } from '../support/xmpp.js';

describe('HTTP API', function () {
  this.timeout(60_000);
  let stack: Stack;
  let admin = '';
  const api = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    fetch(`${stack.cfg.publicUrl}${path}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });

  before(async () => {
    stack = await startStack();
    const password = /Password: (\S+)/.exec(stack.printed.join('\n'))![1];
    const r = await api('/api/v1/auth/login', { body: { login: `admin@${stack.cfg.xmppDomain}`, password } });
    expect(r.status).to.equal(200);
    admin = ((await r.json()) as { token: string }).token;
  });
  after(async () => { await stack?.stop(); });

  const bad: Array<[string, unknown, string]> = [
    ['missing name', { message: 'hi' }, 'name'],
    ['blank message', { name: 'A', message: '   ' }, 'message'],
    ['bad email', { name: 'A', email: 'not-an-email', message: 'hi' }, 'email'],
    ['unknown field', { name: 'A', message: 'hi', phone: '123' }, 'phone'],
    ['name too long', { name: 'x'.repeat(101), message: 'hi' }, 'name'],
    ['wrong type', { name: ['A'], message: 'hi' }, 'name'],
  ];
  for (const [what, body, field] of bad) {
    it(`contact form: ${what} → 400 naming "${field}"`, async () => {
      const before = (await stack.sb.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n;
      const r = await api('/api/v1/rooms/general/conversations', { body });
      expect(r.status).to.equal(400);
      const e = await r.json() as { message: string; field: string };
      expect(e.field).to.equal(field);
      expect(e.message).to.include(field);
      expect((await stack.sb.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n).to.equal(before);
    });
  }

  it('unknown room → 404; bad JSON → 400', async () => {
    expect((await api('/api/v1/rooms/nope/conversations', { body: { name: 'A', message: 'hi' } })).status).to.equal(404);
    const r = await fetch(`${stack.cfg.publicUrl}/api/v1/rooms/general/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(r.status).to.equal(400);
    expect((await fetch(`${stack.cfg.publicUrl}/c/nope`)).status).to.equal(404);
  });

  it('creates an agent whose XMPP account works, with a password shown once', async () => {
    const r = await api('/api/v1/agents', { token: admin, body: { name: 'Zoe Zed', email: 'zoe@example.com', maxChats: 2 } });
    expect(r.status).to.equal(201);
    const { agent, password } = await r.json() as { agent: { jid: string; maxChats: number; nickname: string }; password: string };
    expect(agent.jid).to.equal(`zoe@${stack.cfg.xmppDomain}`);
    expect(agent.maxChats).to.equal(2);
    expect(agent.nickname).to.equal('Zoe');
    expect(password).to.have.length(16);
    const c = await TestClient.agent({ port: stack.cfg.xmppC2sPort, jid: agent.jid, password });
    stack.clients.push(c);
    const list = await (await api('/api/v1/agents', { token: admin })).json() as { items: Array<{ jid: string }>; total: number };
    expect(list.items.map((a) => a.jid)).to.include(agent.jid);
    expect(list.total).to.equal(list.items.length);
    const dup = await api('/api/v1/agents', { token: admin, body: { name: 'Zoe Again', jid: agent.jid } });
    expect(dup.status).to.equal(409);
    expect(((await dup.json()) as { field: string }).field).to.equal('jid');
    const badMax = await api('/api/v1/agents', { token: admin, body: { name: 'Neg', maxChats: -1 } });
    expect(badMax.status).to.equal(400);
    expect(((await badMax.json()) as { message: string }).message).to.include('maxChats');
  });

  it('reads and updates room general; a normal agent and no token are refused', async () => {
    const get = await api('/api/v1/rooms/general', { token: admin });
    expect(get.status).to.equal(200);
    type Field = { id: string; hidden: boolean; mandatory: boolean };
    const room = await get.json() as { url: string; settings: { strategy: string; form: { fields: Field[] } } };
    expect(room.settings.strategy).to.equal('quickest-reply');
    expect(room.url).to.match(/\/c\/general$/);
    const email = (rule: Partial<Field>) => room.settings.form.fields.map((f) => (f.id === 'email' ? { ...f, ...rule } : f));
    const upd = await api('/api/v1/rooms/general', { method: 'PATCH', token: admin, body: { name: 'Support', form: { fields: email({ mandatory: true }) } } });
    expect(upd.status).to.equal(200);
    const pub = await (await api('/api/v1/rooms/general/public')).json() as { name: string; form: { fields: Field[] } };
    expect(pub.name).to.equal('Support');
    expect(pub.form.fields.find((f) => f.id === 'email')?.mandatory).to.equal(true);
    const nope = await api('/api/v1/rooms/general', { method: 'PATCH', token: admin, body: { form: { fields: email({ hidden: true, mandatory: true }) } } });
    expect(nope.status).to.equal(400);
    expect(((await nope.json()) as { field: string }).field).to.equal('form.fields.1.mandatory');

    const created = await (await api('/api/v1/agents', { token: admin, body: { name: 'Norm Al', password: 'normal-password' } })).json() as { agent: { jid: string } };
    const login = await (await api('/api/v1/auth/login', { body: { login: created.agent.jid, password: 'normal-password' } })).json() as { token: string };
    expect((await api('/api/v1/rooms/general', { method: 'PATCH', token: login.token, body: { name: 'Hijack' } })).status).to.equal(403);
    expect((await api('/api/v1/agents', { token: login.token, body: { name: 'X' } })).status).to.equal(403);
    expect((await api('/api/v1/agents')).status).to.equal(401);
    expect((await api('/api/v1/agents', { token: 'made-up' })).status).to.equal(401);
    expect((await api('/api/v1/auth/login', { body: { login: created.agent.jid, password: 'wrong' } })).status).to.equal(401);
  });

  it('publishes an OpenAPI document listing the routes, and the docs UI', async () => {
    const doc = await (await api('/openapi.json')).json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).to.match(/^3\./);
    for (const p of ['/api/v1/agents', '/api/v1/rooms/{slug}', '/api/v1/rooms/{slug}/conversations', '/api/v1/conversations/{id}/end', '/api/v1/auth/login']) {
      expect(doc.paths, p).to.have.property(p);
    }
    expect((await api('/docs')).status).to.be.oneOf([200, 302]);
  });
});
