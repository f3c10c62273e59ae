// Operators through the admin API: create (XMPP account, SIP info, private
// room, generated password shown once), read, change, delete (history kept),
// the own-profile routes, and what a normal operator may not do.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { startStack, customer, onlineAgent, waitUntil, type Stack } from '../support/stack.js';
import { apiClient, bootstrapPassword, signIn, type Api } from '../support/api.js';
import { groupchat, joinPresence, TestClient } from '../support/xmpp.js';

describe('admin API: operators', function () {
  this.timeout(60_000);
  let stack: Stack, api: Api, admin = '';

  before(async () => {
    stack = await startStack();
    api = apiClient(stack);
    admin = await signIn(api, `admin@${stack.cfg.xmppDomain}`, bootstrapPassword(stack));
  });
  after(async () => { await stack?.stop(); });

  it('creates an operator with every profile field, a generated password, SIP info and a private room', async () => {
    const r = await api('POST', '/api/v1/agents', { token: admin, body: {
      name: 'Dora Doctor', email: 'dora@example.com', nickname: 'Dr Dora', role: 'normal', maxChats: 4,
      avatarUrl: 'https://example.com/dora.png', location: { lat: 48.85, lon: 2.35 }, emailAlerts: true, greeting: 'Hello, I am Dora.', mobile: true,
    } });
    expect(r.status).to.equal(201);
    const { agent, password, sipInfo } = r.body;
    expect(agent).to.include({ jid: `dora@${stack.cfg.xmppDomain}`, nickname: 'Dr Dora', maxChats: 4, emailAlerts: true, mobile: true, greeting: 'Hello, I am Dora.' });
    expect(agent.location).to.deep.equal({ lat: 48.85, lon: 2.35 });
    expect(password).to.be.a('string').with.length.of.at.least(16);
    expect(sipInfo.password).to.have.length.of.at.least(16);
    expect(sipInfo.username).to.equal('dora');
    expect(sipInfo.registrar).to.match(/^sip:/);
    expect(sipInfo.transports).to.include('udp');
    // The store keeps HA1 for digest; it matches the password shown.
    const row = (await stack.sb.db.query('SELECT sip_ha1 FROM agents WHERE id = $1', [agent.id])).rows[0];
    expect(row.sip_ha1).to.equal(createHash('md5').update(`${sipInfo.username}:${sipInfo.domain}:${sipInfo.password}`).digest('hex'));
    // The generated password works for XMPP and for the API.
    const c = await TestClient.agent({ port: stack.cfg.xmppC2sPort, jid: agent.jid, password });
    await c.stop();
    const dora = await signIn(api, 'dora@example.com', password);
    const me = await api('GET', '/api/v1/me', { token: dora });
    expect(me.body.sipInfo).to.deep.equal(sipInfo);
    // A private room was made for her.
    const room = (await stack.sb.db.query("SELECT slug, kind FROM rooms WHERE owner_agent_id = $1", [agent.id])).rows[0];
    expect(room).to.deep.equal({ slug: 'agent-dora', kind: 'private' });
    // Not shown again in lists.
    const list = await api('GET', '/api/v1/agents?q=dora', { token: dora });
    expect(list.body.total).to.equal(1);
    expect(JSON.stringify(list.body)).not.to.include(sipInfo.password);
  });

  it('lists operators with pages and filters by text, role and department; departments can be given on create', async () => {
    const dep = (await api('POST', '/api/v1/departments', { token: admin, body: { name: 'Night shift' } })).body.id as string;
    const made = await api('POST', '/api/v1/agents', { token: admin, body: { name: 'Nils Night', email: 'nils@example.com', departmentIds: [dep] } });
    expect(made.status).to.equal(201);
    expect(made.body.agent.departmentIds).to.deep.equal([dep]);
    const names = (r: { body: { items: Array<{ name: string }> } }) => r.body.items.map((a) => a.name);
    expect(names(await api('GET', `/api/v1/agents?departmentId=${dep}`, { token: admin }))).to.deep.equal(['Nils Night']);
    expect(names(await api('GET', '/api/v1/agents?role=administrator', { token: admin }))).to.deep.equal(['Administrator']);
    expect(names(await api('GET', '/api/v1/agents?role=normal&q=example.com', { token: admin }))).to.deep.equal(['Dora Doctor', 'Nils Night']);
    const all = await api('GET', '/api/v1/agents', { token: admin });
    expect(all.body.total).to.equal(3);
    const page = await api('GET', '/api/v1/agents?limit=1&offset=1', { token: admin });
    expect(names(page)).to.deep.equal([all.body.items[1].name]);
    expect(page.body.total).to.equal(3);
    expect((await api('GET', '/api/v1/agents?role=root', { token: admin })).body.field).to.equal('role');
    expect((await api('GET', '/api/v1/agents?departmentId=night', { token: admin })).body.field).to.equal('departmentId');
    expect((await api('GET', '/api/v1/agents?limit=500', { token: admin })).body.field).to.equal('limit');
  });

  it('rejects bad operator input with 400 naming the field, and conflicts with 409; nothing is stored', async () => {
    const before = (await stack.sb.db.query('SELECT count(*)::int AS n FROM agents')).rows[0].n;
    const cases: Array<[unknown, number, string]> = [
      [{ name: 'X', email: 'nope' }, 400, 'email'],
      [{ name: 'X', maxChats: -1 }, 400, 'maxChats'],
      [{ name: 'X', location: { lat: 91, lon: 0 } }, 400, 'location.lat'],
      [{ name: 'X', avatarUrl: 'javascript:alert(1)' }, 400, 'avatarUrl'],
      [{ name: 'X', role: 'root' }, 400, 'role'],
      [{ name: 'X', departmentIds: ['00000000-0000-4000-8000-000000000000'] }, 400, 'departmentIds'],
      [{ name: 'X', jid: 'x@elsewhere.org' }, 400, 'jid'],
      [{ name: 'Another Dora', jid: `another@${stack.cfg.xmppDomain}`, email: 'DORA@example.com' }, 409, 'email'],
      [{ name: 'Dora Again', jid: `dora@${stack.cfg.xmppDomain}` }, 409, 'jid'],
    ];
    for (const [body, status, field] of cases) {
      const r = await api('POST', '/api/v1/agents', { token: admin, body });
      expect(r.status, JSON.stringify(body)).to.equal(status);
      expect(r.body.field, JSON.stringify(r.body)).to.equal(field);
      expect(r.body.message).to.include(field.split('.')[0]);
    }
    expect((await stack.sb.db.query('SELECT count(*)::int AS n FROM agents')).rows[0].n).to.equal(before);
  });

  it('changes an operator; the change is audited with before and after, secrets masked', async () => {
    const made = await api('POST', '/api/v1/agents', { token: admin, body: { name: 'Ed Edit', email: 'ed@example.com', password: 'ed-password-1' } });
    expect(made.body.password, 'a password given is not echoed').to.equal(null);
    const id = made.body.agent.id;
    const r = await api('PATCH', `/api/v1/agents/${id}`, { token: admin, body: { maxChats: 7, role: 'administrator', password: 'ed-password-2' } });
    expect(r.status).to.equal(200);
    expect(r.body).to.include({ maxChats: 7, role: 'administrator' });
    await signIn(api, 'ed@example.com', 'ed-password-2');
    const c = await TestClient.agent({ port: stack.cfg.xmppC2sPort, jid: made.body.agent.jid, password: 'ed-password-2' });
    await c.stop();
    const log = await api('GET', `/api/v1/audit-log?resource=agent&resourceId=${id}`, { token: admin });
    const upd = log.body.items.find((e: { action: string }) => e.action === 'update');
    expect(upd.before.maxChats).to.equal(3);
    expect(upd.after.maxChats).to.equal(7);
    expect(JSON.stringify(log.body)).not.to.include('ed-password');
    expect((await api('PATCH', `/api/v1/agents/${id}`, { token: admin, body: {} })).status).to.equal(400);
    expect((await api('PATCH', '/api/v1/agents/00000000-0000-4000-8000-000000000000', { token: admin, body: { maxChats: 1 } })).status).to.equal(404);
  });

  it('an operator edits their own profile; a new password needs the current one; role is not theirs to change', async () => {
    await api('POST', '/api/v1/agents', { token: admin, body: { name: 'Ada Admin', email: 'ada@example.com', role: 'administrator', password: 'ada-password-1' } });
    await api('POST', '/api/v1/agents', { token: admin, body: { name: 'Pat Profile', email: 'pat@example.com', password: 'pat-password-1' } });
    const pat = await signIn(api, 'pat@example.com', 'pat-password-1');
    const ok = await api('PATCH', '/api/v1/me', { token: pat, body: { nickname: 'Patty', greeting: 'Hi!', emailAlerts: true, location: { lat: 1, lon: 2 } } });
    expect(ok.status).to.equal(200);
    expect(ok.body).to.include({ nickname: 'Patty', greeting: 'Hi!', emailAlerts: true });
    expect((await api('PATCH', '/api/v1/me', { token: pat, body: { role: 'administrator' } })).body.field).to.equal('role');
    expect((await api('PATCH', '/api/v1/me', { token: pat, body: { password: 'new-password-9' } })).body.field).to.equal('currentPassword');
    expect((await api('PATCH', '/api/v1/me', { token: pat, body: { password: 'new-password-9', currentPassword: 'wrong' } })).status).to.equal(403);
    expect((await api('PATCH', '/api/v1/me', { token: pat, body: { password: 'new-password-9', currentPassword: 'pat-password-1' } })).status).to.equal(200);
    await signIn(api, 'pat@example.com', 'new-password-9');
    // Administrators with an email are told, by field name only (seed 000).
    const mails = (await stack.sb.mail.outbox({ template: 'profile-edited' })).items.filter((m) => m.subject.includes('Pat Profile') && m.recipient === 'ada@example.com');
    expect(mails.map((m) => m.recipient)).to.deep.equal(['ada@example.com', 'ada@example.com']);
    const first = await stack.sb.mail.email(mails[1]!.id);
    expect(first!.text).to.match(/Changed: nickname, greeting, emailAlerts, location/);
    const second = await stack.sb.mail.email(mails[0]!.id);
    expect(second!.text).to.include('password');
    expect(second!.text + second!.html).not.to.include('new-password-9');
  });

  it("an operator's departments follow department membership changes at once", async () => {
    const pat = await signIn(api, 'pat@example.com', 'new-password-9');
    const patId = (await api('GET', '/api/v1/me', { token: pat })).body.agent.id;
    const dep = await api('POST', '/api/v1/departments', { token: admin, body: { name: 'Billing' } });
    expect(dep.status).to.equal(201);
    expect((await api('PUT', `/api/v1/departments/${dep.body.id}/members`, { token: admin, body: { agentIds: [patId] } })).status).to.equal(200);
    expect((await api('GET', '/api/v1/me', { token: pat })).body.agent.departmentIds).to.deep.equal([dep.body.id]);
    expect(stack.sb.agents.byId(patId)!.departmentIds).to.deep.equal([dep.body.id]);
    expect((await api('DELETE', `/api/v1/departments/${dep.body.id}`, { token: admin })).status).to.equal(204);
    expect((await api('GET', '/api/v1/me', { token: pat })).body.agent.departmentIds).to.deep.equal([]);
  });

  it('a normal operator cannot add, change or delete operators', async () => {
    await api('POST', '/api/v1/agents', { token: admin, body: { name: 'Norm Al', email: 'norm@example.com', password: 'norm-password-1' } });
    const norm = await signIn(api, 'norm@example.com', 'norm-password-1');
    const someone = (await api('GET', '/api/v1/agents?q=dora', { token: norm })).body.items[0].id;
    expect((await api('POST', '/api/v1/agents', { token: norm, body: { name: 'Sneaky' } })).status).to.equal(403);
    expect((await api('PATCH', `/api/v1/agents/${someone}`, { token: norm, body: { maxChats: 1 } })).status).to.equal(403);
    expect((await api('DELETE', `/api/v1/agents/${someone}`, { token: norm })).status).to.equal(403);
  });

  it('the last administrator cannot be deleted or demoted; nobody deletes themselves', async () => {
    const me = (await api('GET', '/api/v1/me', { token: admin })).body.agent.id;
    expect((await api('DELETE', `/api/v1/agents/${me}`, { token: admin })).status).to.equal(409);
    // Ed and Ada were made administrators above; demote them, then the bootstrap admin is the last one.
    for (const email of ['ed@example.com', 'ada@example.com']) {
      const other = (await api('GET', `/api/v1/agents?q=${encodeURIComponent(email)}`, { token: admin })).body.items[0].id;
      expect((await api('PATCH', `/api/v1/agents/${other}`, { token: admin, body: { role: 'normal' } })).status).to.equal(200);
    }
    const r = await api('PATCH', `/api/v1/agents/${me}`, { token: admin, body: { role: 'normal' } });
    expect(r.status).to.equal(409);
    expect(r.body.field).to.equal('role');
  });

  it('deleting an operator keeps their conversations and history; their logins stop working', async () => {
    const o = await onlineAgent(stack, 'Leaver');
    const cust = await customer(stack, { name: 'Kim Keep', message: 'Please remember this' });
    const invite = await o.client.waitFor((el) => el.is('message') && el.attrs.from === cust.roomJid, 10_000, 'offer');
    expect(invite).to.exist;
    await o.client.send(joinPresence(cust.roomJid, o.nick, cust.password));
    await waitUntil(async () => (await stack.sb.db.query("SELECT status FROM conversations WHERE id = $1", [cust.id])).rows[0].status === 'active', 10_000, 'claimed');
    await o.client.send(groupchat(cust.roomJid, 'I will note it.'));
    await waitUntil(async () => (await stack.sb.db.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [cust.id])).rows[0].n >= 2, 10_000, 'stored');

    expect((await api('DELETE', `/api/v1/agents/${o.id}`, { token: admin })).status).to.equal(204);
    expect((await api('GET', `/api/v1/agents/${o.id}`, { token: admin })).status).to.equal(404);
    const conv = await api('GET', `/api/v1/conversations/${cust.id}`, { token: admin });
    expect(conv.status).to.equal(200);
    expect(conv.body.conversation.agentId).to.equal(o.id);
    expect(conv.body.messages.map((m: { body: string }) => m.body)).to.include.members(['Please remember this', 'I will note it.']);
    let refused = false;
    try { await TestClient.agent({ port: stack.cfg.xmppC2sPort, jid: o.jid, password: 'agent-password' }); } catch { refused = true; }
    expect(refused, 'XMPP login after delete').to.equal(true);
    expect((await stack.sb.db.query('SELECT sip_username FROM agents WHERE id = $1', [o.id])).rows[0].sip_username).to.equal(null);
    // The JID and email are free again.
    expect((await api('POST', '/api/v1/agents', { token: admin, body: { name: 'Leaver Two', jid: o.jid } })).status).to.equal(201);
  });
});
