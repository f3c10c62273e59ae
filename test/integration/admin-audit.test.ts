// The audit log (issue 3): every admin change leaves one entry saying who
// (operator or API token), what (resource, id, action, before/after with
// secrets masked) and when (the server's clock, moved by hand here). The table
// of changes below must cover every changing route an administrator has, so a
// new one cannot skip the log. Then the log's own route: filters, pages, roles.
import { expect } from 'chai';
import { ManualClock } from '../../src/core/clock.js';
import { adminApi, expectError, type AdminApi } from '../support/admin-api.js';
import { startStack, type Stack } from '../support/stack.js';

const MIN = 60_000;

interface Entry { at: string; actorKind: string; actorId: string | null; actorLabel: string; action: string; resource: string; resourceId: string; before: any; after: any }

/** One change made through the API and the entry it must leave. */
interface Step {
  route: string;
  path: () => string;
  body?: () => unknown;
  /** Who acts: the administrator's session (default) or the API token. */
  as?: 'admin' | 'token';
  resource: string;
  action: 'create' | 'update' | 'delete';
  /** The audited id; by default the id the reply carries. */
  id?: (reply: any) => string;
  check?: (e: Entry) => void;
}

/** Changing routes that are not admin changes, and why. */
const NOT_ADMIN_CHANGES: Record<string, string> = {
  'DELETE /api/v1/auth/session': 'signing out ends a session; it changes no setting',
  'POST /api/v1/conversations/:id/replies': 'an answer to a note is a message in that conversation\'s history',
};

describe('admin API: the audit log', function () {
  this.timeout(90_000);
  const clock = new ManualClock(Date.parse('2026-05-04T08:00:00Z'));
  let stack: Stack;
  let api: AdminApi;
  let adminId = '', apiToken = '', apiTokenId = '';
  let op: { id: string; token: string };
  const made: Record<string, string> = {};

  before(async () => {
    stack = await startStack({}, undefined, { clock });
    api = await adminApi(stack);
    adminId = (await api.call('GET', '/api/v1/me', api.admin)).body.agent.id;
    op = await api.operator('Olga');
  });
  after(async () => { await stack?.stop(); });

  const newest = async (): Promise<Entry & { id: string }> => (await api.call('GET', '/api/v1/audit-log?limit=1', api.admin)).body.items[0];

  const steps: Step[] = [
    { route: 'POST /api/v1/api-tokens', path: () => '/api/v1/api-tokens', body: () => ({ name: 'Audit bot' }), resource: 'api-token', action: 'create',
      check: (e) => expect(e.after).to.deep.equal({ name: 'Audit bot' }) },
    { route: 'PUT /api/v1/settings/auth', path: () => '/api/v1/settings/auth', body: () => ({ singleSession: false }), as: 'token', resource: 'settings', action: 'update', id: () => 'auth',
      check: (e) => expect([e.before.singleSession, e.after.singleSession, e.actorKind, e.actorId]).to.deep.equal([true, false, 'token', apiTokenId]) },
    { route: 'POST /api/v1/agents', path: () => '/api/v1/agents', body: () => ({ name: 'Tom Temp', email: 'tom@example.com', password: 'tom-secret-pw' }), resource: 'agent', action: 'create', id: (r) => r.agent.id,
      check: (e) => { expect(e.before).to.equal(null); expect(e.after.email).to.equal('tom@example.com'); expect(JSON.stringify(e)).not.to.include('tom-secret-pw'); } },
    { route: 'PATCH /api/v1/agents/:id', path: () => `/api/v1/agents/${made.agent}`, body: () => ({ maxChats: 9, password: 'tom-other-pw' }), resource: 'agent', action: 'update', id: () => made.agent!,
      check: (e) => { expect([e.before.maxChats, e.after.maxChats]).to.deep.equal([3, 9]); expect(JSON.stringify(e)).not.to.include('tom-other-pw'); } },
    { route: 'POST /api/v1/agents/:id/sip-password', path: () => `/api/v1/agents/${made.agent}/sip-password`, resource: 'agent', action: 'update', id: () => made.agent!,
      check: (e) => expect(e.after).to.deep.equal({ sipPassword: '***' }) }, // that it changed, never what it is
    { route: 'POST /api/v1/departments', path: () => '/api/v1/departments', body: () => ({ name: 'Audit dept' }), resource: 'department', action: 'create' },
    { route: 'PATCH /api/v1/departments/:id', path: () => `/api/v1/departments/${made.department}`, body: () => ({ name: 'Audited dept' }), resource: 'department', action: 'update', id: () => made.department!,
      check: (e) => expect([e.before.name, e.after.name]).to.deep.equal(['Audit dept', 'Audited dept']) },
    { route: 'PUT /api/v1/departments/:id/members', path: () => `/api/v1/departments/${made.department}/members`, body: () => ({ agentIds: [made.agent] }), resource: 'department', action: 'update', id: () => made.department!,
      check: (e) => expect([e.before.memberCount, e.after.memberCount]).to.deep.equal([0, 1]) },
    { route: 'DELETE /api/v1/agents/:id', path: () => `/api/v1/agents/${made.agent}`, resource: 'agent', action: 'delete', id: () => made.agent!,
      check: (e) => { expect(e.before.name).to.equal('Tom Temp'); expect(e.after).to.equal(null); } },
    { route: 'DELETE /api/v1/departments/:id', path: () => `/api/v1/departments/${made.department}`, resource: 'department', action: 'delete', id: () => made.department! },
    { route: 'POST /api/v1/rooms', path: () => '/api/v1/rooms', body: () => ({ slug: 'audit-room' }), resource: 'room', action: 'create' },
    { route: 'PATCH /api/v1/rooms/:slug', path: () => '/api/v1/rooms/audit-room', body: () => ({ agentLabel: 'Doctor' }), resource: 'room', action: 'update', id: () => made.room!,
      check: (e) => expect([e.before.settings.agentLabel, e.after.settings.agentLabel]).to.deep.equal(['Agent', 'Doctor']) },
    { route: 'POST /api/v1/rooms/:slug/secret', path: () => '/api/v1/rooms/audit-room/secret', resource: 'room', action: 'update', id: () => made.room!,
      check: (e) => expect(JSON.stringify(e.after)).to.equal('{"secret":"***"}') },
    { route: 'DELETE /api/v1/rooms/:slug', path: () => '/api/v1/rooms/audit-room', resource: 'room', action: 'delete', id: () => made.room! },
    { route: 'POST /api/v1/predefined-messages', path: () => '/api/v1/predefined-messages', body: () => ({ title: 'Hours', text: '9 to 5' }), resource: 'predefined-message', action: 'create' },
    { route: 'PATCH /api/v1/predefined-messages/:id', path: () => `/api/v1/predefined-messages/${made['predefined-message']}`, body: () => ({ text: '8 to 6' }), resource: 'predefined-message', action: 'update', id: () => made['predefined-message']!,
      check: (e) => expect([e.before.text, e.after.text]).to.deep.equal(['9 to 5', '8 to 6']) },
    { route: 'DELETE /api/v1/predefined-messages/:id', path: () => `/api/v1/predefined-messages/${made['predefined-message']}`, resource: 'predefined-message', action: 'delete', id: () => made['predefined-message']! },
    { route: 'POST /api/v1/url-routes', path: () => '/api/v1/url-routes', body: () => ({ pattern: 'audit.example.com', agentIds: [op.id] }), resource: 'url-route', action: 'create' },
    { route: 'PATCH /api/v1/url-routes/:id', path: () => `/api/v1/url-routes/${made['url-route']}`, body: () => ({ enabled: true }), resource: 'url-route', action: 'update', id: () => made['url-route']!,
      check: (e) => expect([e.before.enabled, e.after.enabled]).to.deep.equal([false, true]) },
    { route: 'DELETE /api/v1/url-routes/:id', path: () => `/api/v1/url-routes/${made['url-route']}`, resource: 'url-route', action: 'delete', id: () => made['url-route']! },
    { route: 'PUT /api/v1/offline-recipients', path: () => '/api/v1/offline-recipients', body: () => ({ agentIds: [op.id] }), resource: 'offline-recipients', action: 'update', id: () => 'offline-recipients',
      check: (e) => expect([e.before.agentIds, e.after.agentIds]).to.deep.equal([[], [op.id]]) },
    { route: 'POST /api/v1/tags', path: () => '/api/v1/tags', body: () => ({ kind: 'customer', name: 'Gold' }), resource: 'tag', action: 'create' },
    { route: 'PATCH /api/v1/tags/:id', path: () => `/api/v1/tags/${made.tag}`, body: () => ({ name: 'Platinum' }), resource: 'tag', action: 'update', id: () => made.tag!,
      check: (e) => expect([e.before.name, e.after.name]).to.deep.equal(['Gold', 'Platinum']) },
    { route: 'DELETE /api/v1/tags/:id', path: () => `/api/v1/tags/${made.tag}`, resource: 'tag', action: 'delete', id: () => made.tag! },
    { route: 'PUT /api/v1/settings/company', path: () => '/api/v1/settings/company', body: () => ({ name: 'Acme' }), resource: 'settings', action: 'update', id: () => 'company',
      check: (e) => expect([e.before.name, e.after.name]).to.deep.equal([null, 'Acme']) },
    { route: 'PUT /api/v1/settings/routing', path: () => '/api/v1/settings/routing', body: () => ({ departmentRouting: true }), resource: 'settings', action: 'update', id: () => 'routing',
      check: (e) => expect([e.before.departmentRouting, e.after.departmentRouting]).to.deep.equal([false, true]) },
    { route: 'PUT /api/v1/settings/smtp', path: () => '/api/v1/settings/smtp', body: () => ({ host: 'smtp.acme.test', user: 'desk', password: 'smtp-audit-secret' }), resource: 'settings', action: 'update', id: () => 'smtp',
      check: (e) => { expect(e.after).to.include({ host: 'smtp.acme.test', passwordSet: true }); expect(JSON.stringify(e)).not.to.include('smtp-audit-secret'); } },
    { route: 'DELETE /api/v1/settings/smtp', path: () => '/api/v1/settings/smtp', resource: 'settings', action: 'delete', id: () => 'smtp',
      check: (e) => expect(e.before.host).to.equal('smtp.acme.test') },
    { route: 'DELETE /api/v1/api-tokens/:id', path: () => `/api/v1/api-tokens/${apiTokenId}`, resource: 'api-token', action: 'delete', id: () => apiTokenId },
  ];

  it('the table covers every changing route an administrator has', () => {
    const changing = stack.sb.http.apiRoutes.filter((r) => r.access === 'admin' && r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
    const covered = new Set(steps.map((s) => s.route));
    expect(changing.filter((r) => !covered.has(r)), 'admin routes with no audit check').to.deep.equal([]);
    const operatorChanges = stack.sb.http.apiRoutes.filter((r) => r.access === 'operator' && r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
    // Operators' own changes are checked in the next test; these two are not admin changes at all.
    expect(operatorChanges.filter((r) => !(r in NOT_ADMIN_CHANGES)).sort()).to.deep.equal([
      'DELETE /api/v1/canned-responses/:id', 'PATCH /api/v1/canned-responses/:id', 'PATCH /api/v1/me', 'POST /api/v1/canned-responses',
      'PUT /api/v1/conversations/:id/tags', 'PUT /api/v1/customers/:id/tags',
    ]);
  });

  it('every admin change leaves one entry: who, what, before/after (secrets masked), when', async () => {
    for (const step of steps) {
      clock.advance(MIN);
      const before = (await api.call('GET', '/api/v1/audit-log?limit=1', api.admin)).body.total as number;
      const token = step.as === 'token' ? apiToken : api.admin;
      const [method] = step.route.split(' ');
      const r = await api.call(method!, step.path(), token, step.body?.() ?? (method === 'DELETE' ? undefined : method === 'POST' ? {} : undefined));
      expect(r.status, `${step.route}: ${JSON.stringify(r.body)}`).to.be.within(200, 299);
      if (step.route === 'POST /api/v1/api-tokens') { apiToken = r.body.token; apiTokenId = r.body.id; }
      const id = step.id ? step.id(r.body) : (r.body.id as string);
      if (step.action === 'create') made[step.resource] = id;
      const page = await api.call('GET', '/api/v1/audit-log?limit=1', api.admin);
      expect(page.body.total, `${step.route} adds one entry`).to.equal(before + 1);
      const e = page.body.items[0] as Entry;
      expect({ resource: e.resource, resourceId: e.resourceId, action: e.action }, step.route).to.deep.equal({ resource: step.resource, resourceId: id, action: step.action });
      expect(e.at, `${step.route}: when`).to.equal(new Date(clock.now()).toISOString());
      if (step.as === 'token') expect([e.actorKind, e.actorId, e.actorLabel]).to.deep.equal(['token', apiTokenId, 'token Audit bot']);
      else expect([e.actorKind, e.actorId, e.actorLabel], step.route).to.deep.equal(['agent', adminId, `admin@${stack.cfg.xmppDomain}`]);
      if (step.action === 'update') expect(e.after, `${step.route}: after`).to.be.an('object');
      if (step.action === 'delete') expect(e.after, `${step.route}: nothing after a delete`).to.equal(null);
      step.check?.(e);
    }
    expect((await api.call('PUT', '/api/v1/settings/auth', api.admin, { singleSession: true })).status).to.equal(200);
  });

  it("an operator's own changes are logged under their name", async () => {
    clock.advance(MIN);
    const at = new Date(clock.now()).toISOString();
    const canned = await api.call('POST', '/api/v1/canned-responses', op.token, { shortcut: 'hi', text: 'Hello %VISITOR%' });
    expect(canned.status).to.equal(201);
    expect((await api.call('PATCH', '/api/v1/me', op.token, { greeting: 'Olga here' })).status).to.equal(200);
    const mine = await api.call('GET', `/api/v1/audit-log?actorId=${op.id}`, api.admin);
    expect(mine.body.items.map((e: Entry) => `${e.action} ${e.resource}`)).to.deep.equal(['update agent', 'create canned-response']);
    expect(mine.body.items.every((e: Entry) => e.actorKind === 'agent' && e.at === at)).to.equal(true);
    expect(mine.body.items[0].before.greeting).to.equal(null);
    expect(mine.body.items[0].after.greeting).to.equal('Olga here');
  });

  it('reads filtered by resource, id, actor and time, newest first, in pages', async () => {
    const all = await api.call('GET', '/api/v1/audit-log?limit=200', api.admin);
    expect(all.status).to.equal(200);
    const seq = all.body.items.map((e: { id: string }) => Number(e.id));
    expect(seq).to.deep.equal([...seq].sort((a, b) => b - a));
    expect(all.body.total).to.equal(all.body.items.length);
    const page = await api.call('GET', '/api/v1/audit-log?limit=3&offset=2', api.admin);
    expect(page.body.items.map((e: { id: string }) => e.id)).to.deep.equal(all.body.items.slice(2, 5).map((e: { id: string }) => e.id));
    expect(page.body.total).to.equal(all.body.total);

    const rooms = await api.call('GET', '/api/v1/audit-log?resource=room', api.admin);
    expect(rooms.body.items.map((e: Entry) => e.action)).to.deep.equal(['delete', 'update', 'update', 'create']);
    const tag = await api.call('GET', `/api/v1/audit-log?resource=tag&resourceId=${made.tag}`, api.admin);
    expect(tag.body.total).to.equal(3);
    const byToken = await api.call('GET', `/api/v1/audit-log?actorId=${apiTokenId}`, api.admin);
    expect(byToken.body.items.map((e: Entry) => e.resourceId)).to.deep.equal(['auth']);
    // The clock moved one minute per step from 08:00: steps 2..4 happened at 08:02, 08:03, 08:04.
    const window = await api.call('GET', `/api/v1/audit-log?since=${encodeURIComponent('2026-05-04T08:02:00Z')}&until=${encodeURIComponent('2026-05-04T08:05:00Z')}`, api.admin);
    expect(window.body.items.map((e: Entry) => `${e.at} ${e.action} ${e.resource}`)).to.deep.equal([
      '2026-05-04T08:04:00.000Z update agent', '2026-05-04T08:03:00.000Z create agent', '2026-05-04T08:02:00.000Z update settings',
    ]);
    expectError(await api.call('GET', '/api/v1/audit-log?since=monday', api.admin), 400, 'since');
    expectError(await api.call('GET', '/api/v1/audit-log?actorId=admin', api.admin), 400, 'actorId');
    expectError(await api.call('GET', '/api/v1/audit-log?limit=0', api.admin), 400, 'limit');
  });

  it('is for administrators only', async () => {
    expectError(await api.call('GET', '/api/v1/audit-log', op.token), 403);
    expectError(await api.call('GET', '/api/v1/audit-log'), 401);
  });
});
