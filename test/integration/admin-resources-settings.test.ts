// Company settings, SMTP (password never returned), offline-message
// recipients, URL routing rules and their exclusion with department routing.
import { expect } from 'chai';
import { smtpSettings } from '../../src/http/routes/company.js';
import { adminApi, expectError, type AdminApi } from '../support/admin-api.js';
import { startStack, type Stack } from '../support/stack.js';

describe('admin API: settings, offline recipients, URL routing', function () {
  this.timeout(60_000);
  let stack: Stack;
  let api: AdminApi;
  let alice: { id: string; token: string }, bob: { id: string; token: string };

  before(async () => {
    stack = await startStack();
    api = await adminApi(stack);
    alice = await api.operator('Alice');
    bob = await api.operator('Bob');
  });
  after(async () => { await stack?.stop(); });

  it('company profile: defaults, replace, operators read, only administrators write; audited', async () => {
    expect((await api.call('GET', '/api/v1/settings/company', alice.token)).body).to.deep.equal({ name: null, contactEmail: null, logoUrl: null });
    const put = await api.call('PUT', '/api/v1/settings/company', api.admin, { name: ' Acme ', contactEmail: 'help@acme.test', logoUrl: 'https://acme.test/logo.png' });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body).to.deep.equal({ name: 'Acme', contactEmail: 'help@acme.test', logoUrl: 'https://acme.test/logo.png' });
    expect((await api.call('GET', '/api/v1/settings/company', alice.token)).body.name).to.equal('Acme');
    const partial = await api.call('PUT', '/api/v1/settings/company', api.admin, { name: 'Acme Ltd' });
    expect(partial.body).to.deep.equal({ name: 'Acme Ltd', contactEmail: null, logoUrl: null });
    expectError(await api.call('PUT', '/api/v1/settings/company', alice.token, { name: 'Hijack' }), 403);
    expectError(await api.call('PUT', '/api/v1/settings/company', api.admin, { name: 'A', contactEmail: 'nope' }), 400, 'contactEmail');
    expectError(await api.call('PUT', '/api/v1/settings/company', api.admin, { name: 'A', logoUrl: 'javascript:alert(1)' }), 400, 'logoUrl');
    expectError(await api.call('PUT', '/api/v1/settings/company', api.admin, { contactEmail: null }), 400, 'name');
    expectError(await api.call('GET', '/api/v1/settings/company'), 401);
    const log = await api.audit('settings', 'company');
    expect(log.map((e) => e.after.name)).to.deep.equal(['Acme Ltd', 'Acme']);
    expect(log[1]!.before.name).to.equal(null);
  });

  it('SMTP: the password is never returned; PUT without one keeps it, null removes it; DELETE forgets all', async () => {
    expect(await smtpSettings(stack.sb.db)).to.equal(null);
    expect((await api.call('GET', '/api/v1/settings/smtp', api.admin)).body).to.deep.equal({ host: null, port: 587, secure: false, user: null, from: null, passwordSet: false });
    const secret = 'sm7p-S3cret-value';
    const put = await api.call('PUT', '/api/v1/settings/smtp', api.admin, { host: 'smtp.acme.test', port: 465, secure: true, user: 'mailer', password: secret, from: 'desk@acme.test' });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body).to.deep.equal({ host: 'smtp.acme.test', port: 465, secure: true, user: 'mailer', from: 'desk@acme.test', passwordSet: true });
    const got = await api.call('GET', '/api/v1/settings/smtp', api.admin);
    expect(got.body.passwordSet).to.equal(true);
    expect(JSON.stringify(got.body)).not.to.include(secret);
    expect(await smtpSettings(stack.sb.db)).to.deep.equal({ host: 'smtp.acme.test', port: 465, secure: true, user: 'mailer', password: secret, from: 'desk@acme.test' });

    const kept = await api.call('PUT', '/api/v1/settings/smtp', api.admin, { host: '192.0.2.10', user: 'mailer' });
    expect(kept.body).to.deep.equal({ host: '192.0.2.10', port: 587, secure: false, user: 'mailer', from: null, passwordSet: true });
    expect((await smtpSettings(stack.sb.db))?.password).to.equal(secret);
    const cleared = await api.call('PUT', '/api/v1/settings/smtp', api.admin, { host: 'localhost', password: null });
    expect(cleared.body.passwordSet).to.equal(false);
    expect(await smtpSettings(stack.sb.db)).to.deep.equal({ host: 'localhost', port: 587, secure: false });

    const log = await stack.sb.db.query("SELECT before::text || after::text AS t FROM audit_log WHERE resource = 'settings' AND resource_id = 'smtp'");
    expect(log.rows).to.have.length(3);
    for (const r of log.rows) expect(r.t).not.to.include(secret);

    expect((await api.call('DELETE', '/api/v1/settings/smtp', api.admin)).status).to.equal(204);
    expect(await smtpSettings(stack.sb.db)).to.equal(null);
    expect((await api.audit('settings', 'smtp'))[0]!.action).to.equal('delete');
  });

  it('SMTP: administrators only; bad input → 400 naming the field', async () => {
    expectError(await api.call('GET', '/api/v1/settings/smtp', alice.token), 403);
    expectError(await api.call('PUT', '/api/v1/settings/smtp', alice.token, { host: 'evil.test' }), 403);
    expectError(await api.call('DELETE', '/api/v1/settings/smtp', alice.token), 403);
    expectError(await api.call('PUT', '/api/v1/settings/smtp', api.admin, { port: 25 }), 400, 'host');
    expectError(await api.call('PUT', '/api/v1/settings/smtp', api.admin, { host: 'bad host' }), 400, 'host');
    expectError(await api.call('PUT', '/api/v1/settings/smtp', api.admin, { host: 'a.test', port: 70000 }), 400, 'port');
    expectError(await api.call('PUT', '/api/v1/settings/smtp', api.admin, { host: 'a.test', port: '25' }), 400, 'port');
    expectError(await api.call('PUT', '/api/v1/settings/smtp', api.admin, { host: 'a.test', from: 'not an address' }), 400, 'from');
    expectError(await api.call('PUT', '/api/v1/settings/smtp', api.admin, { host: 'a.test', password: '' }), 400, 'password');
    expectError(await api.call('PUT', '/api/v1/settings/smtp', api.admin, { host: 'a.test', tls: true }), 400, 'tls');
  });

  it('offline-message recipients: get and replace; live operators with an email only; administrators only', async () => {
    expect((await api.call('GET', '/api/v1/offline-recipients', api.admin)).body).to.deep.equal({ agentIds: [] });
    const put = await api.call('PUT', '/api/v1/offline-recipients', api.admin, { agentIds: [alice.id, bob.id] });
    expect(put.status).to.equal(200);
    expect(put.body.agentIds).to.deep.equal([alice.id, bob.id].sort());
    const again = await api.call('PUT', '/api/v1/offline-recipients', api.admin, { agentIds: [bob.id] });
    expect(again.body.agentIds).to.deep.equal([bob.id]);
    const adminId = (await api.call('GET', '/api/v1/me', api.admin)).body.agent.id;
    expectError(await api.call('PUT', '/api/v1/offline-recipients', api.admin, { agentIds: [adminId] }), 400, 'agentIds');
    expectError(await api.call('PUT', '/api/v1/offline-recipients', api.admin, { agentIds: ['00000000-0000-4000-8000-000000000000'] }), 400, 'agentIds');
    expectError(await api.call('PUT', '/api/v1/offline-recipients', api.admin, { agentIds: [bob.id, bob.id] }), 400, 'agentIds');
    expectError(await api.call('GET', '/api/v1/offline-recipients', alice.token), 403);
    expectError(await api.call('PUT', '/api/v1/offline-recipients', alice.token, { agentIds: [alice.id] }), 403);
    expect((await api.call('GET', '/api/v1/offline-recipients', api.admin)).body.agentIds).to.deep.equal([bob.id]);
    const log = await api.audit('offline-recipients', 'offline-recipients');
    expect(log.map((e) => e.after.agentIds.length)).to.deep.equal([1, 2]);
    expect(log[0]!.before.agentIds).to.have.length(2);
  });

  it('URL routing rules: CRUD with normalised patterns, filters, match, 409 on a duplicate pattern; audited', async () => {
    const made = await api.call('POST', '/api/v1/url-routes', api.admin, { pattern: 'HTTPS://Shop.Example.com/Checkout/', agentIds: [alice.id] });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    expect(made.body).to.include({ pattern: 'shop.example.com/checkout', enabled: false });
    expect(made.body.agentIds).to.deep.equal([alice.id]);
    const id = made.body.id as string;
    expectError(await api.call('POST', '/api/v1/url-routes', api.admin, { pattern: 'shop.example.com/CHECKOUT' }), 409, 'pattern');
    expectError(await api.call('POST', '/api/v1/url-routes', api.admin, { pattern: 'shop example' }), 400, 'pattern');
    expectError(await api.call('POST', '/api/v1/url-routes', api.admin, { pattern: 'a.test', enabled: true }), 400, 'agentIds');
    const site = await api.call('POST', '/api/v1/url-routes', api.admin, { pattern: '*.example.com', enabled: true, agentIds: [bob.id] });
    expect(site.status).to.equal(201);
    const enabledOn = await api.call('PATCH', `/api/v1/url-routes/${id}`, api.admin, { enabled: true });
    expect(enabledOn.body.enabled).to.equal(true);

    const match = async (url: string) => (await api.call('GET', `/api/v1/url-routes/match?url=${encodeURIComponent(url)}`, api.admin)).body.route?.id ?? null;
    expect(await match('https://shop.example.com/checkout/pay')).to.equal(id);
    expect(await match('https://shop.example.com/')).to.equal(site.body.id);
    expect(await match('https://other.test/')).to.equal(null);

    expect((await api.call('GET', '/api/v1/url-routes?enabled=true', api.admin)).body.total).to.equal(2);
    expect((await api.call('GET', '/api/v1/url-routes?q=checkout', api.admin)).body.items.map((r: { id: string }) => r.id)).to.deep.equal([id]);
    expectError(await api.call('PATCH', `/api/v1/url-routes/${id}`, api.admin, { pattern: '*.EXAMPLE.com' }), 409, 'pattern');
    expectError(await api.call('PATCH', `/api/v1/url-routes/${id}`, api.admin, { agentIds: [] }), 400, 'agentIds');
    const moved = await api.call('PATCH', `/api/v1/url-routes/${id}`, api.admin, { agentIds: [alice.id, bob.id], enabled: false });
    expect(moved.body.agentIds).to.have.length(2);
    expect((await api.call('DELETE', `/api/v1/url-routes/${id}`, api.admin)).status).to.equal(204);
    expectError(await api.call('GET', `/api/v1/url-routes/${id}`, api.admin), 404, 'id');
    expectError(await api.call('PATCH', `/api/v1/url-routes/${id}`, api.admin, { enabled: false }), 404, 'id');
    expectError(await api.call('DELETE', `/api/v1/url-routes/${site.body.id}`, alice.token), 403);
    expectError(await api.call('GET', '/api/v1/url-routes', alice.token), 403);
    expectError(await api.call('POST', '/api/v1/url-routes', alice.token, { pattern: 'x.test' }), 403);
    expect((await api.call('DELETE', `/api/v1/url-routes/${site.body.id}`, api.admin)).status).to.equal(204);
    expect((await api.audit('url-route', id)).map((e) => e.action)).to.deep.equal(['delete', 'update', 'update', 'create']);
  });

  it('URL routing and department routing cannot be on together: 409 both ways', async () => {
    const rule = (await api.call('POST', '/api/v1/url-routes', api.admin, { pattern: 'help.example.org', agentIds: [alice.id] })).body;
    expect((await api.call('GET', '/api/v1/settings/routing', api.admin)).body).to.deep.equal({ departmentRouting: false });
    expect((await api.call('PUT', '/api/v1/settings/routing', api.admin, { departmentRouting: true })).body).to.deep.equal({ departmentRouting: true });

    const enable = await api.call('PATCH', `/api/v1/url-routes/${rule.id}`, api.admin, { enabled: true });
    expectError(enable, 409, 'enabled');
    expect(enable.body.message).to.match(/department routing and URL routing cannot be used together/);
    expectError(await api.call('POST', '/api/v1/url-routes', api.admin, { pattern: 'other.example.org', enabled: true, agentIds: [bob.id] }), 409, 'enabled');
    expect((await api.call('GET', `/api/v1/url-routes/${rule.id}`, api.admin)).body.enabled).to.equal(false);
    expect((await api.call('POST', '/api/v1/url-routes', api.admin, { pattern: 'disabled.example.org', agentIds: [bob.id] })).status).to.equal(201);

    expect((await api.call('PUT', '/api/v1/settings/routing', api.admin, { departmentRouting: false })).status).to.equal(200);
    expect((await api.call('PATCH', `/api/v1/url-routes/${rule.id}`, api.admin, { enabled: true })).body.enabled).to.equal(true);
    const on = await api.call('PUT', '/api/v1/settings/routing', api.admin, { departmentRouting: true });
    expectError(on, 409, 'departmentRouting');
    expect(on.body.message).to.match(/disable the 1 enabled URL routing rule first/);
    expect((await api.call('GET', '/api/v1/settings/routing', api.admin)).body.departmentRouting).to.equal(false);

    expect((await api.call('PATCH', `/api/v1/url-routes/${rule.id}`, api.admin, { enabled: false })).status).to.equal(200);
    expect((await api.call('PUT', '/api/v1/settings/routing', api.admin, { departmentRouting: true })).status).to.equal(200);
    expectError(await api.call('PUT', '/api/v1/settings/routing', alice.token, { departmentRouting: false }), 403);
    expectError(await api.call('PUT', '/api/v1/settings/routing', api.admin, { departmentRouting: 'yes' }), 400, 'departmentRouting');
    expect((await api.audit('settings', 'routing')).map((e) => e.after.departmentRouting)).to.deep.equal([true, false, true]);
    expect((await api.call('PUT', '/api/v1/settings/routing', api.admin, { departmentRouting: false })).status).to.equal(200);
  });

  it('concurrent "enable a rule" and "department routing on" never end with both on', async () => {
    const rule = (await api.call('POST', '/api/v1/url-routes', api.admin, { pattern: 'race.example.org', agentIds: [alice.id] })).body;
    for (let i = 0; i < 10; i++) {
      const [a, b] = await Promise.all([
        api.call('PATCH', `/api/v1/url-routes/${rule.id}`, api.admin, { enabled: true }),
        api.call('PUT', '/api/v1/settings/routing', api.admin, { departmentRouting: true }),
      ]);
      expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
      const dept = (await api.call('GET', '/api/v1/settings/routing', api.admin)).body.departmentRouting;
      const enabled = (await api.call('GET', `/api/v1/url-routes/${rule.id}`, api.admin)).body.enabled;
      expect(dept && enabled).to.equal(false);
      await api.call('PATCH', `/api/v1/url-routes/${rule.id}`, api.admin, { enabled: false });
      await api.call('PUT', '/api/v1/settings/routing', api.admin, { departmentRouting: false });
    }
  });
});
