// Sign-in, sessions and API tokens, with a clock moved by hand: 5 h idle
// expiry, the single-session rule, rate limits per account and per address.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { ManualClock } from '../../src/core/clock.js';
import { startStack, type Stack } from '../support/stack.js';
import { apiClient, bootstrapPassword, signIn, type Api } from '../support/api.js';

const MIN = 60_000, HOUR = 60 * MIN;

describe('admin API: sign-in, sessions, API tokens', function () {
  this.timeout(60_000);
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  let stack: Stack, api: Api, adminLogin = '', adminPw = '', admin = '';
  const normal = { email: 'nora@example.com', password: 'nora-password-1' };

  before(async () => {
    stack = await startStack({}, undefined, { clock });
    api = apiClient(stack);
    adminLogin = `admin@${stack.cfg.xmppDomain}`;
    adminPw = bootstrapPassword(stack);
    admin = await signIn(api, adminLogin, adminPw);
    expect((await api('POST', '/api/v1/agents', { token: admin, body: { name: 'Nora Normal', ...normal } })).status).to.equal(201);
  });
  after(async () => { await stack?.stop(); });

  it('signs in by email or by JID; a wrong password and an unknown login answer alike', async () => {
    const byEmail = await api('POST', '/api/v1/auth/login', { body: { login: 'NORA@example.com', password: normal.password } });
    expect(byEmail.status).to.equal(200);
    expect(byEmail.body.agent.email).to.equal(normal.email);
    expect(byEmail.body.expiresAfterIdleSeconds).to.equal(5 * 3600);
    // Stored as a scrypt hash only; the session token only as its SHA-256.
    const row = (await stack.sb.db.query('SELECT password_hash FROM agents WHERE email = $1', [normal.email])).rows[0];
    expect(row.password_hash).to.match(/^scrypt\$/).and.not.include(normal.password);
    const stored = (await stack.sb.db.query('SELECT token_hash FROM api_sessions')).rows.map((r) => r.token_hash as string);
    expect(stored).not.to.include(byEmail.body.token);
    expect(stored).to.include(createHash('sha256').update(byEmail.body.token).digest('hex'));
    const wrong = await api('POST', '/api/v1/auth/login', { body: { login: normal.email, password: 'nope-nope' } });
    const unknown = await api('POST', '/api/v1/auth/login', { body: { login: 'ghost@example.com', password: 'nope-nope' } });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.body.message).to.equal(unknown.body.message);
    admin = await signIn(api, adminLogin, adminPw);
  });

  it('401 without a token or with a bad one; 403 for a normal operator on an admin route', async () => {
    expect((await api('GET', '/api/v1/audit-log')).status).to.equal(401);
    expect((await api('GET', '/api/v1/audit-log', { token: 'made-up' })).status).to.equal(401);
    const nora = await signIn(api, normal.email, normal.password);
    const r = await api('GET', '/api/v1/audit-log', { token: nora });
    expect(r.status).to.equal(403);
    expect(r.body.message).to.match(/administrators/);
  });

  it('a session ends after 5 h without activity; activity keeps it alive', async () => {
    const t = await signIn(api, normal.email, normal.password);
    clock.advance(4 * HOUR + 50 * MIN);
    expect((await api('GET', '/api/v1/me', { token: t })).status).to.equal(200);
    clock.advance(4 * HOUR + 50 * MIN); // 9 h 40 min since sign-in, but only 4 h 50 min idle
    expect((await api('GET', '/api/v1/me', { token: t })).status).to.equal(200);
    clock.advance(5 * HOUR + MIN);
    const r = await api('GET', '/api/v1/me', { token: t });
    expect(r.status).to.equal(401);
    expect(r.body.message).to.match(/expired/);
    admin = await signIn(api, adminLogin, adminPw);
  });

  it('signing in on another device ends the older session, unless the rule is off', async () => {
    const first = await signIn(api, normal.email, normal.password);
    const second = await signIn(api, normal.email, normal.password);
    expect((await api('GET', '/api/v1/me', { token: first })).status).to.equal(401);
    expect((await api('GET', '/api/v1/me', { token: second })).status).to.equal(200);

    expect((await api('PUT', '/api/v1/settings/auth', { token: admin, body: { singleSession: false } })).status).to.equal(200);
    const third = await signIn(api, normal.email, normal.password);
    expect((await api('GET', '/api/v1/me', { token: second })).status).to.equal(200);
    expect((await api('GET', '/api/v1/me', { token: third })).status).to.equal(200);
    expect((await api('PUT', '/api/v1/settings/auth', { token: admin, body: { singleSession: true } })).status).to.equal(200);
  });

  it('sessions ended by inactivity are not kept', async () => {
    const sessions = async () => (await stack.sb.db.query('SELECT count(*)::int AS n FROM api_sessions s JOIN agents a ON a.id = s.agent_id WHERE a.email = $1', [normal.email])).rows[0].n as number;
    expect((await api('PUT', '/api/v1/settings/auth', { token: admin, body: { singleSession: false } })).status).to.equal(200);
    const old = await signIn(api, normal.email, normal.password);
    const before = await sessions();
    clock.advance(5 * HOUR + MIN);
    admin = await signIn(api, adminLogin, adminPw);
    const fresh = await signIn(api, normal.email, normal.password);
    expect(await sessions()).to.equal(1);
    expect(before).to.be.at.least(2);
    expect((await api('GET', '/api/v1/me', { token: old })).status).to.equal(401);
    expect((await api('GET', '/api/v1/me', { token: fresh })).status).to.equal(200);
    expect((await api('PUT', '/api/v1/settings/auth', { token: admin, body: { singleSession: true } })).status).to.equal(200);
  });

  it('signing out ends the session', async () => {
    const t = await signIn(api, normal.email, normal.password);
    expect((await api('DELETE', '/api/v1/auth/session', { token: t })).status).to.equal(204);
    expect((await api('GET', '/api/v1/me', { token: t })).status).to.equal(401);
  });

  it('rate limits sign-in per account: the 6th attempt within 15 min is refused even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await api('POST', '/api/v1/auth/login', { body: { login: normal.email, password: `wrong-${i}` } })).status).to.equal(401);
    const blocked = await api('POST', '/api/v1/auth/login', { body: { login: normal.email, password: normal.password } });
    expect(blocked.status).to.equal(429);
    expect(Number(blocked.headers.get('retry-after'))).to.be.within(1, 15 * 60);
    // Another account from the same address is not affected.
    expect((await api('POST', '/api/v1/auth/login', { body: { login: adminLogin, password: adminPw } })).status).to.equal(200);
    clock.advance(15 * MIN + 1000);
    expect((await api('POST', '/api/v1/auth/login', { body: { login: normal.email, password: normal.password } })).status).to.equal(200);
  });

  it('rate limits sign-in per address across accounts', async () => {
    clock.advance(16 * MIN); // a fresh window
    let refused: number | null = null;
    for (let i = 0; i < 40 && refused === null; i++) {
      const r = await api('POST', '/api/v1/auth/login', { body: { login: `nobody${i}@example.com`, password: 'x' } });
      if (r.status === 429) refused = i;
      else expect(r.status).to.equal(401);
    }
    expect(refused).to.equal(30);
    clock.advance(16 * MIN);
    admin = await signIn(api, adminLogin, adminPw);
  });

  it('API tokens: created by an administrator, shown once, act as administrator, revocable', async () => {
    const made = await api('POST', '/api/v1/api-tokens', { token: admin, body: { name: 'CRM sync' } });
    expect(made.status).to.equal(201);
    expect(made.body.token).to.match(/^sbt_/);
    const list = await api('GET', '/api/v1/api-tokens', { token: admin });
    expect(list.body.items.map((t: { name: string }) => t.name)).to.include('CRM sync');
    expect(JSON.stringify(list.body)).not.to.include(made.body.token);
    expect((await api('GET', '/api/v1/audit-log', { token: made.body.token })).status).to.equal(200);

    const nora = await signIn(api, normal.email, normal.password);
    expect((await api('POST', '/api/v1/api-tokens', { token: nora, body: { name: 'mine' } })).status).to.equal(403);

    expect((await api('DELETE', `/api/v1/api-tokens/${made.body.id}`, { token: admin })).status).to.equal(204);
    expect((await api('GET', '/api/v1/audit-log', { token: made.body.token })).status).to.equal(401);
    expect((await api('DELETE', `/api/v1/api-tokens/${made.body.id}`, { token: admin })).status).to.equal(404);
    // The list grows with revoked tokens: pages, and a filter on revoked.
    clock.advance(MIN);
    const other = await api('POST', '/api/v1/api-tokens', { token: admin, body: { name: 'Reporting' } });
    const names = (r: { body: { items: Array<{ name: string }> } }) => r.body.items.map((t) => t.name);
    expect(names(await api('GET', '/api/v1/api-tokens?revoked=false', { token: admin }))).to.deep.equal(['Reporting']);
    expect(names(await api('GET', '/api/v1/api-tokens?revoked=true', { token: admin }))).to.deep.equal(['CRM sync']);
    const page = await api('GET', '/api/v1/api-tokens?limit=1&offset=1', { token: admin });
    expect([names(page), page.body.total]).to.deep.equal([['Reporting'], 2]);
    expect(page.body.items[0]).to.include({ id: other.body.id, revokedAt: null, lastUsedAt: null });
    expect((await api('GET', '/api/v1/api-tokens?revoked=maybe', { token: admin })).body.field).to.equal('revoked');
    const log = await api('GET', `/api/v1/audit-log?resource=api-token&resourceId=${made.body.id}`, { token: admin });
    expect(log.body.items.map((e: { action: string }) => e.action)).to.deep.equal(['delete', 'create']);
    expect(log.body.items[1].actorLabel).to.equal(adminLogin);
  });

  it('bad sign-in bodies get 400 naming the field', async () => {
    const r = await api('POST', '/api/v1/auth/login', { body: { login: 'a' } });
    expect(r.status).to.equal(400);
    expect(r.body.field).to.equal('password');
  });
});
