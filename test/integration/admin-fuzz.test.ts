// Property-based fuzz of the whole HTTP API: thousands of generated and
// mutated bodies, params and query strings across every /api route, without a
// token, as an administrator, as a normal operator and as a customer, with ids
// of rows that exist as well as made-up ones. No input may produce a 5xx.
// Also: the OpenAPI document is valid and lists every route.
import { expect } from 'chai';
import fc from 'fast-check';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ManualClock } from '../../src/core/clock.js';
import { startStack, type Stack } from '../support/stack.js';
import { apiClient, bootstrapPassword, signIn, type Api } from '../support/api.js';

/** Rows made before the fuzz, so that ids in paths and bodies also name things that exist. */
interface Made { agent: string; conversation: string; customer: string; department: string; canned: string; predefined: string; urlRoute: string; tag: string; customerTag: string; apiToken: string }

/** A valid body for routes that take one, as the seed of mutations. */
function examples(m: Made): Record<string, Record<string, unknown>> {
  return {
    'POST /api/v1/auth/login': { login: 'someone@example.com', password: 'secret-password' },
    'PATCH /api/v1/me': { nickname: 'Nick', greeting: 'Hello', emailAlerts: true, location: { lat: 1, lon: 2 } },
    'POST /api/v1/api-tokens': { name: 'fuzz' },
    'PUT /api/v1/settings/auth': { singleSession: true },
    'POST /api/v1/agents': { name: 'Fuzz Agent', email: 'fuzz@example.com', maxChats: 2, location: { lat: 10, lon: 20 }, departmentIds: [m.department] },
    'PATCH /api/v1/agents/:id': { maxChats: 5, nickname: 'F', departmentIds: [m.department] },
    'PATCH /api/v1/rooms/:slug': { name: 'General', offerTimeoutSeconds: 30, form: { theme: { primary: '#123456' } }, hours: { timeZone: 'Europe/Paris' } },
    'POST /api/v1/rooms': { slug: 'fuzz-room', settings: { name: 'Fuzz', ringLimit: 2 } },
    'POST /api/v1/rooms/:slug/conversations': { name: 'Fuzz Customer', email: 'c@example.com', message: 'hello' },
    'POST /api/v1/rooms/:slug/notes': { name: 'Fuzz Note', email: 'n@example.com', message: 'call me' },
    'POST /api/v1/conversations/:id/replies': { text: 'an answer' },
    'POST /api/v1/conversations/:id/transcript': { email: 't@example.com' },
    'POST /api/v1/conversations/:id/alert': { email: 'a@example.com' },
    'POST /api/v1/conversations/:id/rating': { score: 4, comment: 'fine' },
    'POST /api/v1/departments': { name: 'Fuzz dept', description: 'd', agentIds: [m.agent] },
    'PATCH /api/v1/departments/:id': { name: 'Fuzz dept 2', description: '' },
    'PUT /api/v1/departments/:id/members': { agentIds: [m.agent] },
    'POST /api/v1/canned-responses': { shortcut: 'fz', text: 'Hi %VISITOR%', agentId: m.agent },
    'PATCH /api/v1/canned-responses/:id': { shortcut: 'fz2', text: 'Bye %OPERATOR%', agentId: null },
    'POST /api/v1/predefined-messages': { title: 'T', text: 'x' },
    'PATCH /api/v1/predefined-messages/:id': { title: 'T2', text: 'y' },
    'POST /api/v1/url-routes': { pattern: 'fuzz.example.com/x', enabled: true, agentIds: [m.agent] },
    'PATCH /api/v1/url-routes/:id': { pattern: '*.example.com', enabled: true, agentIds: [m.agent] },
    'PUT /api/v1/offline-recipients': { agentIds: [m.agent] },
    'POST /api/v1/tags': { kind: 'customer', name: 'fz', color: '#aabbcc' },
    'PATCH /api/v1/tags/:id': { name: 'fz2', color: '#000000' },
    'PUT /api/v1/conversations/:id/tags': { tagIds: [m.tag] },
    'PUT /api/v1/customers/:id/tags': { tagIds: [m.customerTag] },
    'PUT /api/v1/settings/company': { name: 'C', contactEmail: 'a@b.test', logoUrl: 'https://x.test/l.png' },
    'PUT /api/v1/settings/routing': { departmentRouting: true },
    'PUT /api/v1/settings/smtp': { host: 'smtp.test', port: 25, secure: false, user: 'u', password: 'p', from: 'a@b.test' },
  };
}

/** Percent-encodes; a lone surrogate becomes the raw bytes of one, which the server must refuse cleanly. */
const encodePart = (x: string) => { try { return encodeURIComponent(x); } catch { return '%ED%A0%80'; } };

/** Date-times JSON Schema allows at the edges of what PostgreSQL holds. */
const EDGE_DATES = ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+14:00', '9999-12-31T23:59:60Z', '9999-12-31T23:59:59-14:00', '2026-02-29T00:00:00Z', '2026-11-22T10:00:00.123456789Z'];

const weird = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.constantFrom('', ' ', '\u0000', '../..', '%00', '%ZZ', "' OR 1=1 --", 'null', '-1', '1e309', 'x'.repeat(5000), '\ud800'),
  fc.uuid().map(String), fc.integer().map(String),
  fc.constantFrom(...EDGE_DATES),
);

/** One mutation of a valid body: drop, retype, blow up or add a key; or something that is not an object at all. */
function mutated(example: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(example);
  const anyValue = fc.oneof(fc.anything(), weird, fc.constant(null), fc.double(), fc.array(fc.anything(), { maxLength: 3 }), fc.constant({}));
  const variants: Array<fc.Arbitrary<unknown>> = [
    fc.anything(), fc.jsonValue(), fc.dictionary(weird, fc.anything(), { maxKeys: 5 }),
    fc.constant(example),
    fc.tuple(fc.constant(example), weird, anyValue).map(([e, k, v]) => ({ ...e, [k]: v })),
  ];
  if (keys.length) {
    variants.push(
      fc.tuple(fc.constantFrom(...keys), anyValue).map(([k, v]) => ({ ...example, [k]: v })),
      fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(example).filter(([x]) => x !== k))),
    );
  }
  return fc.oneof(...variants);
}

describe('admin API: fuzz (no input produces a 5xx) and the OpenAPI document', function () {
  this.timeout(600_000);
  const clock = new ManualClock();
  let stack: Stack, api: Api, admin = '', adminCreds = { login: '', password: '' };

  let normal = '', customerToken = '', made: Made;
  const normalCreds = { login: 'fuzz-normal@example.com', password: 'fuzz-normal-password' };

  before(async () => {
    stack = await startStack({}, undefined, { clock });
    api = apiClient(stack);
    adminCreds = { login: `admin@${stack.cfg.xmppDomain}`, password: bootstrapPassword(stack) };
    admin = await signIn(api, adminCreds.login, adminCreds.password);
    const post = async (path: string, body: unknown) => {
      const r = await api('POST', path, { token: admin, body });
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    // The normal operator whose token the fuzz uses never appears in the fuzzed ids, so it is never deleted.
    await post('/api/v1/agents', { name: 'Fuzz Normal', ...{ email: normalCreds.login, password: normalCreds.password } });
    normal = await signIn(api, normalCreds.login, normalCreds.password);
    const target = (await post('/api/v1/agents', { name: 'Fuzz Target', email: 'fuzz-target@example.com' })).agent.id as string;
    const started = (await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Fuzz Client', email: 'client@example.com', message: 'hi' } })).body;
    customerToken = started.customerToken;
    made = {
      agent: target, conversation: started.id,
      customer: (await stack.sb.db.query('SELECT customer_id FROM conversations WHERE id = $1', [started.id])).rows[0].customer_id,
      department: (await post('/api/v1/departments', { name: 'Fuzz seed' })).id,
      canned: (await post('/api/v1/canned-responses', { shortcut: 'seed', text: 'x' })).id,
      predefined: (await post('/api/v1/predefined-messages', { title: 'Seed', text: 'x' })).id,
      urlRoute: (await post('/api/v1/url-routes', { pattern: 'seed.example.com', agentIds: [target] })).id,
      tag: (await post('/api/v1/tags', { kind: 'conversation', name: 'seed' })).id,
      customerTag: (await post('/api/v1/tags', { kind: 'customer', name: 'seed' })).id,
      apiToken: (await post('/api/v1/api-tokens', { name: 'seed' })).id,
    };
    await post('/api/v1/rooms', { slug: 'fuzz-seed' });
  });
  after(async () => { await stack?.stop(); });

  it('the OpenAPI document is valid and lists every /api route', async () => {
    const doc = await (await fetch(`${stack.cfg.publicUrl}/openapi.json`)).json() as { paths: Record<string, Record<string, unknown>> };
    await SwaggerParser.validate(structuredClone(doc) as never);
    for (const r of stack.sb.http.apiRoutes) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()] as { responses?: Record<string, unknown>; security?: unknown } | undefined;
      expect(op, `${r.method} ${path} in the OpenAPI document`).to.exist;
      // Every answer is shaped by a schema (what is not in it is never sent), and each route says whether it needs a token.
      expect(Object.keys(op!.responses ?? {}).filter((c) => /^2\d\d$/.test(c)), `${r.method} ${path}: a 2xx response schema`).to.have.length.of.at.least(1);
      expect(op!.security, `${r.method} ${path}: security`).to.deep.equal(r.access === 'public' ? undefined : [{ bearer: [] }]);
    }
    expect((await fetch(`${stack.cfg.publicUrl}/docs/`)).status).to.equal(200);
  });

  it('≥ 2,000 generated requests across all routes: zero 5xx, and stored data survives', async () => {
    const routes = stack.sb.http.apiRoutes;
    const EXAMPLES = examples(made);
    const realIds = Object.values(made);
    const perRoute = new Map<string, number>(routes.map((r) => [`${r.method} ${r.url}`, 0]));
    const agentsBefore = (await stack.sb.db.query('SELECT count(*)::int AS n FROM agents WHERE deleted_at IS NULL')).rows[0].n;
    const failures: string[] = [];
    let sent = 0;
    const byStatus = new Map<number, number>();
    const doc = await (await fetch(`${stack.cfg.publicUrl}/openapi.json`)).json() as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> };
    const queryNames = new Map(routes.map((r) => [`${r.method} ${r.url}`,
      (doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()]?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)]));
    const request = fc.record({
      route: fc.constantFrom(...routes),
      params: fc.record({
        id: fc.oneof(weird, fc.constant('3f0b7c1e-0d5e-4a7b-9a43-5b0c2f4e9d11'), fc.constantFrom(...realIds), fc.constantFrom(...realIds)),
        slug: fc.oneof(weird, fc.constantFrom('general', 'fuzz-seed', 'fuzz-seed')),
      }),
      as: fc.constantFrom('none', 'admin', 'admin', 'normal', 'customer'),
      seed: fc.nat(),
    }).chain((req) => fc.record({
      req: fc.constant(req),
      // Mostly the route's own query parameters (from the OpenAPI document), with values near and far from valid.
      query: fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(queryNames.get(`${req.route.method} ${req.route.url}`)!.length ? queryNames.get(`${req.route.method} ${req.route.url}`)! : ['q'])) }, { weight: 1, arbitrary: fc.constantFrom('limit', 'q', 'x') }),
        fc.oneof(weird, fc.constantFrom(...realIds), fc.constantFrom(...EDGE_DATES), fc.constantFrom('1', '0', '200', 'true', 'false', 'closed', 'note', 'customer', 'normal', 'room')), { maxKeys: 4 }),
      body: mutated(EXAMPLES[`${req.route.method} ${req.route.url}`] ?? {}),
      rawBody: fc.option(fc.string({ maxLength: 200 }), { freq: 8 }),
    }));

    await fc.assert(fc.asyncProperty(request, async ({ req, query, body, rawBody }) => {
      const path = req.route.url.replace(/:(\w+)/g, (_, k: string) => encodePart(req.params[k as 'id' | 'slug']));
      const qs = new URLSearchParams(query).toString();
      const url = `${stack.cfg.publicUrl}${path}${qs ? `?${qs}` : ''}`;
      const hasBody = ['POST', 'PUT', 'PATCH'].includes(req.route.method);
      const token = { none: null, admin, normal, customer: customerToken }[req.as];
      const res = await fetch(url, {
        method: req.route.method,
        headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: hasBody ? (rawBody ?? JSON.stringify(body) ?? 'null') : undefined,
      }).catch((e: Error) => ({ status: 599, text: async () => e.message }));
      sent++;
      const key = `${req.route.method} ${req.route.url}`;
      perRoute.set(key, perRoute.get(key)! + 1);
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${req.route.method} ${url} as ${req.as} ${String(rawBody ?? JSON.stringify(body)).slice(0, 300)} → ${res.status} ${(await res.text()).slice(0, 200)}`);
      if (res.status === 401 && (req.as === 'admin' || req.as === 'normal')) {
        // A fuzzed request may have ended the session (signing out, the single-session rule): sign in again
        // after the sign-in window has passed.
        clock.advance(16 * 60_000);
        if (req.as === 'admin') admin = await signIn(api, adminCreds.login, adminCreds.password);
        else normal = await signIn(api, normalCreds.login, normalCreds.password);
      }
      return true; // 5xx are collected above so the run goes on and lists them all
    }), { numRuns: 2400, seed: Number(process.env.FUZZ_SEED ?? 20261121), endOnFailure: false, interruptAfterTimeLimit: 500_000 }).catch((e: Error) => { failures.push(`property error: ${e.message.slice(0, 1500)}`); });

    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(sent).to.be.at.least(2000);
    // Every route had its share: none was left out of the fuzz.
    const fewest = [...perRoute].sort((a, b) => a[1] - b[1]).slice(0, 3);
    expect(fewest[0]![1], `least fuzzed routes: ${JSON.stringify(fewest)}`).to.be.at.least(5);
    if (process.env.FUZZ_REPORT) console.log(`fuzz: ${sent} requests over ${perRoute.size} routes (fewest per route: ${JSON.stringify(fewest)}); statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}`);
    // The fuzz must reach handlers, not only bounce off validation and auth.
    const count = (lo: number, hi: number) => [...byStatus].filter(([st]) => st >= lo && st < hi).reduce((n, [, c]) => n + c, 0);
    const histogram = JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])));
    expect(count(200, 300), histogram).to.be.at.least(100);
    expect(count(400, 401), histogram).to.be.at.least(300);
    expect(count(404, 405), histogram).to.be.at.least(20);
    // What was stored before is still there: the fuzz may add operators and delete only the one whose id it was given.
    expect((await stack.sb.db.query('SELECT count(*)::int AS n FROM agents WHERE deleted_at IS NULL')).rows[0].n).to.be.at.least(agentsBefore - 1);
    expect((await stack.sb.db.query('SELECT count(*)::int AS n FROM agents WHERE email = $1 AND deleted_at IS NULL', [normalCreds.login])).rows[0].n).to.equal(1);
    expect((await stack.sb.db.query("SELECT count(*)::int AS n FROM agents WHERE jid = $1 AND deleted_at IS NULL", [adminCreds.login])).rows[0].n).to.equal(1);
  });
});
