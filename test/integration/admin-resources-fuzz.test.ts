// No input to the admin resource routes may produce a 5xx: generated and
// mutated bodies, ids and query strings, as an administrator and as an operator.
import { expect } from 'chai';
import fc from 'fast-check';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { startStack, type Stack } from '../support/stack.js';

interface Route { method: string; path: string; body?: Record<string, unknown> }

describe('admin API: resources fuzz (no 5xx)', function () {
  this.timeout(120_000);
  let stack: Stack;
  let api: AdminApi;
  let op: { id: string; token: string };
  let routes: Route[] = [];
  const ids: Record<string, string> = {};

  before(async () => {
    stack = await startStack();
    api = await adminApi(stack);
    op = await api.operator('Fuzz');
    const make = async (path: string, body: unknown) => (await api.call('POST', path, api.admin, body)).body.id as string;
    ids.department = await make('/api/v1/departments', { name: 'Fuzz dept' });
    ids.canned = await make('/api/v1/canned-responses', { shortcut: 'fz', text: 'Hi %VISITOR%' });
    ids.predefined = await make('/api/v1/predefined-messages', { title: 'T', text: 'x' });
    ids.urlRoute = await make('/api/v1/url-routes', { pattern: 'fuzz.example.com', agentIds: [op.id] });
    ids.tag = await make('/api/v1/tags', { kind: 'conversation', name: 'fz' });
    ids.customerTag = await make('/api/v1/tags', { kind: 'customer', name: 'fz' });
    ids.customer = (await stack.sb.db.query("INSERT INTO customers (name) VALUES ('F') RETURNING id")).rows[0].id;
    ids.conversation = (await api.call('POST', '/api/v1/rooms/general/conversations', undefined, { name: 'F', message: 'hi' })).body.id;
    routes = [
      { method: 'GET', path: '/api/v1/departments' }, { method: 'GET', path: '/api/v1/departments/:department' },
      { method: 'POST', path: '/api/v1/departments', body: { name: 'D', description: 'd', agentIds: [op.id] } },
      { method: 'PATCH', path: '/api/v1/departments/:department', body: { name: 'D2', description: '' } },
      { method: 'PUT', path: '/api/v1/departments/:department/members', body: { agentIds: [op.id] } },
      { method: 'GET', path: '/api/v1/canned-responses' },
      { method: 'POST', path: '/api/v1/canned-responses', body: { shortcut: 's', text: 't', agentId: op.id } },
      { method: 'PATCH', path: '/api/v1/canned-responses/:canned', body: { shortcut: 's2', text: 't2', agentId: null } },
      { method: 'GET', path: '/api/v1/predefined-messages' },
      { method: 'POST', path: '/api/v1/predefined-messages', body: { title: 't', text: 'x' } },
      { method: 'PATCH', path: '/api/v1/predefined-messages/:predefined', body: { title: 't', text: 'x' } },
      { method: 'GET', path: '/api/v1/url-routes' }, { method: 'GET', path: '/api/v1/url-routes/match' },
      { method: 'POST', path: '/api/v1/url-routes', body: { pattern: 'a.example.com/x', enabled: true, agentIds: [op.id] } },
      { method: 'PATCH', path: '/api/v1/url-routes/:urlRoute', body: { pattern: '*.example.com', enabled: true, agentIds: [op.id] } },
      { method: 'PUT', path: '/api/v1/offline-recipients', body: { agentIds: [op.id] } },
      { method: 'PUT', path: '/api/v1/settings/company', body: { name: 'C', contactEmail: 'a@b.test', logoUrl: 'https://x.test/l.png' } },
      { method: 'PUT', path: '/api/v1/settings/routing', body: { departmentRouting: true } },
      { method: 'PUT', path: '/api/v1/settings/smtp', body: { host: 'smtp.test', port: 25, secure: false, user: 'u', password: 'p', from: 'a@b.test' } },
      { method: 'GET', path: '/api/v1/tags' },
      { method: 'POST', path: '/api/v1/tags', body: { kind: 'customer', name: 'n', color: '#aabbcc' } },
      { method: 'PATCH', path: '/api/v1/tags/:tag', body: { name: 'n2', color: '#000000' } },
      { method: 'PUT', path: '/api/v1/conversations/:conversation/tags', body: { tagIds: [ids.tag] } },
      { method: 'PUT', path: '/api/v1/customers/:customer/tags', body: { tagIds: [ids.customerTag] } },
    ];
  });
  after(async () => { await stack?.stop(); });

  const weird = fc.oneof(
    fc.jsonValue(), fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('\u0000', 'a\u0000b', '%00', '\uD800', '😀'.repeat(3000), ' ', '', '#GGGGGG', 'x'.repeat(6000)),
    fc.integer(), fc.double(), fc.constantFrom(null, true, [], {}, ['a'], 1e308, -1, 0),
    fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
  );
  // Values that often pass the schemas, so the handlers and SQL get exercised too.
  const plausible = fc.oneof(
    fc.string({ minLength: 1, maxLength: 20 }), fc.boolean(), fc.array(fc.uuid(), { maxLength: 3 }),
    fc.constantFrom('example.com/*', '*.x.test:8080/a*b', 'fz', 'FZ', 'Fuzz dept', '#ABCDEF', 'a@b.test', null, 'customer', 'conversation', '%_\\'),
    fc.constant(null).map(() => [op.id]), fc.constant(null).map(() => [ids.tag, ids.tag]), fc.constant(null).map(() => op.id),
  );
  const body = (valid: Record<string, unknown> | undefined) => fc.oneof(
    fc.jsonValue(), fc.constant(valid),
    fc.record({ key: fc.constantFrom(...Object.keys(valid ?? { x: 1 })), value: plausible }).map(({ key, value }) => ({ ...valid, [key]: value })),
    fc.record({ key: fc.constantFrom(...Object.keys(valid ?? { x: 1 })), value: plausible }).map(({ key, value }) => ({ ...valid, [key]: value })),
    fc.record({ key: fc.constantFrom(...Object.keys(valid ?? { x: 1 })), value: weird }).map(({ key, value }) => ({ ...valid, [key]: value })),
    fc.record({ key: fc.string({ maxLength: 8 }), value: weird }).map(({ key, value }) => ({ ...valid, [key]: value })),
    fc.constantFrom(...Object.keys(valid ?? { x: 1 })).map((drop) => Object.fromEntries(Object.entries(valid ?? {}).filter(([k]) => k !== drop))),
  );
  const idText = fc.oneof({ weight: 4, arbitrary: fc.constant('VALID') }, { weight: 1, arbitrary: fc.oneof( fc.uuid(), fc.string({ maxLength: 40 }).map(encodeURIComponent), fc.constantFrom('%00', '..', 'null', '%F0%9F%98%80')) });
  const query = fc.dictionary(fc.constantFrom('q', 'limit', 'offset', 'kind', 'owner', 'agentId', 'enabled', 'url', 'x'), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('%00', '-1', '1e9', '201', 'true', 'customer', 'mine')), { maxKeys: 4 });

  it('≥ 1,500 generated requests across the resource routes: every answer below 500', async () => {
    let sent = 0;
    await fc.assert(fc.asyncProperty(
      fc.boolean(), idText, query, fc.nat({ max: 1000 }).chain((n) => body(routes[n % routes.length]!.body).map((b) => ({ n, b }))),
      async (asAdmin, id, q, { n, b }) => {
        const r = routes[n % routes.length]!;
        const path = r.path.replace(/:(\w+)/, (_m, k: string) => (id === 'VALID' ? ids[k]! : id));
        const qs = Object.entries(q).map(([k, v]) => `${k}=${v.includes('%') ? v : encodeURIComponent(v)}`).join('&');
        const res = await api.call(r.method, `${path}${qs ? `?${qs}` : ''}`, asAdmin ? api.admin : op.token, r.method === 'GET' ? undefined : b);
        sent++;
        if (res.status >= 500) throw new Error(`${r.method} ${path}?${qs} ${JSON.stringify(b)?.slice(0, 300)} → ${res.status} ${JSON.stringify(res.body)}`);
        if (res.status >= 400) expect(res.body.statusCode).to.equal(res.status);
      },
    ), { numRuns: 1500 });
    expect(sent).to.be.at.least(1500);
  });

  it('the OpenAPI document lists every resource route, with bearer security', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const extra: Route[] = [
      { method: 'DELETE', path: '/api/v1/departments/:id' }, { method: 'GET', path: '/api/v1/canned-responses/:id' }, { method: 'DELETE', path: '/api/v1/canned-responses/:id' },
      { method: 'GET', path: '/api/v1/predefined-messages/:id' }, { method: 'DELETE', path: '/api/v1/predefined-messages/:id' },
      { method: 'GET', path: '/api/v1/url-routes/:id' }, { method: 'DELETE', path: '/api/v1/url-routes/:id' },
      { method: 'GET', path: '/api/v1/offline-recipients' }, { method: 'GET', path: '/api/v1/settings/company' }, { method: 'GET', path: '/api/v1/settings/routing' },
      { method: 'GET', path: '/api/v1/settings/smtp' }, { method: 'DELETE', path: '/api/v1/settings/smtp' },
      { method: 'GET', path: '/api/v1/tags/:id' }, { method: 'DELETE', path: '/api/v1/tags/:id' },
      { method: 'GET', path: '/api/v1/conversations/:id/tags' }, { method: 'GET', path: '/api/v1/customers/:id/tags' },
    ];
    for (const r of [...routes, ...extra]) {
      const path = r.path.replace(/:\w+/, '{id}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${path}`).to.be.an('object');
      expect(op!.security, `${r.method} ${path}`).to.deep.equal([{ bearer: [] }]);
    }
  });
});
