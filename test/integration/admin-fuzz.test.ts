// Property-based fuzz of the whole HTTP API: thousands of generated and
// mutated bodies, params and query strings across every /api route, as an
// administrator and without a token. No input may produce a 5xx. Also: the
// OpenAPI document is valid and lists every route.
import { expect } from 'chai';
import fc from 'fast-check';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ManualClock } from '../../src/core/clock.js';
import { startStack, type Stack } from '../support/stack.js';
import { apiClient, bootstrapPassword, signIn, type Api } from '../support/api.js';

/** A valid body for routes that take one, as the seed of mutations. */
const EXAMPLES: Record<string, Record<string, unknown>> = {
  'POST /api/v1/auth/login': { login: 'someone@example.com', password: 'secret-password' },
  'PATCH /api/v1/me': { nickname: 'Nick', greeting: 'Hello', emailAlerts: true, location: { lat: 1, lon: 2 } },
  'POST /api/v1/api-tokens': { name: 'fuzz' },
  'PUT /api/v1/settings/auth': { singleSession: true },
  'POST /api/v1/agents': { name: 'Fuzz Agent', email: 'fuzz@example.com', maxChats: 2, location: { lat: 10, lon: 20 } },
  'PATCH /api/v1/agents/:id': { maxChats: 5, nickname: 'F' },
  'PATCH /api/v1/rooms/:slug': { name: 'General', offerTimeoutSeconds: 30, form: { theme: { primary: '#123456' } }, hours: { timeZone: 'Europe/Paris' } },
  'POST /api/v1/rooms': { slug: 'fuzz-room', settings: { name: 'Fuzz', ringLimit: 2 } },
  'POST /api/v1/rooms/:slug/conversations': { name: 'Fuzz Customer', email: 'c@example.com', message: 'hello' },
  'POST /api/v1/rooms/:slug/notes': { name: 'Fuzz Note', email: 'n@example.com', message: 'call me' },
  'POST /api/v1/conversations/:id/replies': { text: 'an answer' },
  'POST /api/v1/conversations/:id/transcript': { email: 't@example.com' },
  'POST /api/v1/conversations/:id/alert': { email: 'a@example.com' },
};

/** Percent-encodes; a lone surrogate becomes the raw bytes of one, which the server must refuse cleanly. */
const encodePart = (x: string) => { try { return encodeURIComponent(x); } catch { return '%ED%A0%80'; } };

const weird = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.constantFrom('', ' ', '\u0000', '../..', '%00', '%ZZ', "' OR 1=1 --", 'null', '-1', '1e309', 'x'.repeat(5000), '\ud800'),
  fc.uuid().map(String), fc.integer().map(String),
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

  before(async () => {
    stack = await startStack({}, undefined, { clock });
    api = apiClient(stack);
    adminCreds = { login: `admin@${stack.cfg.xmppDomain}`, password: bootstrapPassword(stack) };
    admin = await signIn(api, adminCreds.login, adminCreds.password);
  });
  after(async () => { await stack?.stop(); });

  it('the OpenAPI document is valid and lists every /api route', async () => {
    const doc = await (await fetch(`${stack.cfg.publicUrl}/openapi.json`)).json() as { paths: Record<string, Record<string, unknown>> };
    await SwaggerParser.validate(structuredClone(doc) as never);
    for (const r of stack.sb.http.apiRoutes) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path} in the OpenAPI document`).to.exist;
    }
    expect((await fetch(`${stack.cfg.publicUrl}/docs/`)).status).to.equal(200);
  });

  it('≥ 2,000 generated requests across all routes: zero 5xx, and stored data survives', async () => {
    const routes = stack.sb.http.apiRoutes.filter((r) => r.url !== '/api/v1/auth/session');
    const agentsBefore = (await stack.sb.db.query('SELECT count(*)::int AS n FROM agents WHERE deleted_at IS NULL')).rows[0].n;
    const failures: string[] = [];
    let sent = 0;
    const byStatus = new Map<number, number>();
    const request = fc.record({
      route: fc.constantFrom(...routes),
      params: fc.dictionary(fc.constantFrom('id', 'slug'), fc.oneof(weird, fc.constantFrom('general', '3f0b7c1e-0d5e-4a7b-9a43-5b0c2f4e9d11'))),
      query: fc.dictionary(fc.constantFrom('limit', 'offset', 'q', 'status', 'role', 'roomId', 'agentId', 'from', 'to', 'resource', 'since', 'tagId', 'departmentId', 'x'), weird, { maxKeys: 4 }),
      asAdmin: fc.boolean(),
      seed: fc.nat(),
    }).chain((req) => fc.record({
      req: fc.constant(req),
      body: mutated(EXAMPLES[`${req.route.method} ${req.route.url}`] ?? {}),
      rawBody: fc.option(fc.string({ maxLength: 200 }), { freq: 8 }),
    }));

    await fc.assert(fc.asyncProperty(request, async ({ req, body, rawBody }) => {
      const path = req.route.url.replace(/:(\w+)/g, (_, k: string) => encodePart(req.params[k] ?? 'general'));
      const qs = new URLSearchParams(req.query).toString();
      const url = `${stack.cfg.publicUrl}${path}${qs ? `?${qs}` : ''}`;
      const hasBody = ['POST', 'PUT', 'PATCH'].includes(req.route.method);
      const res = await fetch(url, {
        method: req.route.method,
        headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...(req.asAdmin ? { authorization: `Bearer ${admin}` } : {}) },
        body: hasBody ? (rawBody ?? JSON.stringify(body) ?? 'null') : undefined,
      }).catch((e: Error) => ({ status: 599, text: async () => e.message }));
      sent++;
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${req.route.method} ${url} ${String(rawBody ?? JSON.stringify(body)).slice(0, 300)} → ${res.status} ${(await res.text()).slice(0, 200)}`);
      if (res.status === 401 && req.asAdmin) {
        // A fuzzed request may have ended the admin session (single-session rule): sign in again.
        clock.advance(16 * 60_000);
        admin = await signIn(api, adminCreds.login, adminCreds.password);
      }
      return true; // 5xx are collected above so the run goes on and lists them all
    }), { numRuns: 2400, seed: Number(process.env.FUZZ_SEED ?? 20261121), endOnFailure: false, interruptAfterTimeLimit: 500_000 }).catch((e: Error) => { failures.push(`property error: ${e.message.slice(0, 1500)}`); });

    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(sent).to.be.at.least(2000);
    // The fuzz must reach handlers, not only bounce off validation and auth.
    const count = (lo: number, hi: number) => [...byStatus].filter(([st]) => st >= lo && st < hi).reduce((n, [, c]) => n + c, 0);
    const histogram = JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])));
    expect(count(200, 300), histogram).to.be.at.least(100);
    expect(count(400, 401), histogram).to.be.at.least(300);
    expect(count(404, 405), histogram).to.be.at.least(20);
    // What was stored before is still there (the fuzz may only have added operators).
    expect((await stack.sb.db.query('SELECT count(*)::int AS n FROM agents WHERE deleted_at IS NULL')).rows[0].n).to.be.at.least(agentsBefore);
    expect((await stack.sb.db.query("SELECT count(*)::int AS n FROM agents WHERE jid = $1 AND deleted_at IS NULL", [adminCreds.login])).rows[0].n).to.equal(1);
  });
});
