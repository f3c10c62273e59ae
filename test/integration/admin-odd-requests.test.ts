// Requests a JSON client would not send — other media types, empty, deep or
// oversized bodies, repeated or bracketed query keys, dates PostgreSQL cannot
// hold, odd authorization headers — each answered with the 4xx it deserves,
// never a 5xx. Complements the generated requests of admin-fuzz.
import { expect } from 'chai';
import { startStack, type Stack } from '../support/stack.js';
import { apiClient, bootstrapPassword, signIn } from '../support/api.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const NO_SUCH = '3f0b7c1e-0d5e-4a7b-9a43-5b0c2f4e9d11';

/** method, path, headers, body, the status expected and (for a 400) the field named. */
type Case = [string, string, Record<string, string>, string | undefined, number, string?];

const deepArray = '['.repeat(20_000) + ']'.repeat(20_000);
const deepObject = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);

const CASES: Case[] = [
  ['POST', '/api/v1/agents', { 'content-type': 'text/plain' }, 'hello', 400],
  ['POST', '/api/v1/agents', { 'content-type': 'application/x-www-form-urlencoded' }, 'name=x', 415],
  ['POST', '/api/v1/agents', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--', 415],
  ['POST', '/api/v1/agents', JSON_TYPE, '', 400],
  ['POST', '/api/v1/agents', JSON_TYPE, 'null', 400],
  ['POST', '/api/v1/agents', JSON_TYPE, '{"name":', 400],
  ['POST', '/api/v1/agents', JSON_TYPE, deepArray, 400],
  ['PATCH', '/api/v1/rooms/general', JSON_TYPE, deepObject, 400, 'a'],
  ['PATCH', '/api/v1/rooms/general', JSON_TYPE, `{"form":${deepObject}}`, 400, 'form.a'],
  ['POST', '/api/v1/agents', JSON_TYPE, JSON.stringify({ name: 'x'.repeat(70_000) }), 413],
  ['GET', '/api/v1/agents?limit=1&limit=2', {}, undefined, 400, 'limit'],
  ['GET', '/api/v1/agents?q[a]=1', {}, undefined, 400, 'q[a]'],
  ['GET', '/api/v1/agents?offset=1000000', {}, undefined, 200],
  ['GET', `/api/v1/agents/${'a'.repeat(10_000)}`, {}, undefined, 414],
  // Dates: valid for JSON Schema but not for PostgreSQL (no year 0), or at the edges it does hold.
  ['GET', '/api/v1/audit-log?since=0000-01-01T00:00:00Z', {}, undefined, 400, 'since'],
  ['GET', '/api/v1/audit-log?until=0000-12-31T23:59:59Z', {}, undefined, 400, 'until'],
  ['GET', '/api/v1/conversations?from=0000-06-01T00:00:00Z', {}, undefined, 400, 'from'],
  ['GET', '/api/v1/conversations?to=0000-06-01T00:00:00Z', {}, undefined, 400, 'to'],
  ['GET', '/api/v1/conversations?from=0001-01-01T00:00:00%2B14:00', {}, undefined, 200],
  ['GET', '/api/v1/conversations?to=9999-12-31T23:59:59-14:00', {}, undefined, 200],
  ['GET', '/api/v1/conversations?from=9999-12-31T23:59:60Z', {}, undefined, 200],
  ['GET', '/api/v1/conversations?to=2026-02-30T00:00:00Z', {}, undefined, 400, 'to'],
  ['GET', '/api/v1/customers?q=%5C', {}, undefined, 200],
  ['DELETE', `/api/v1/agents/${NO_SUCH}`, JSON_TYPE, '{"x":1}', 404, 'id'],
  ['OPTIONS', '/api/v1/agents', {}, undefined, 404],
  ['PUT', '/api/v1/agents', {}, undefined, 404],
  ['GET', '/api/v1/me', { authorization: 'Basic abc' }, undefined, 401],
  ['GET', '/api/v1/me', { authorization: 'Bearer sbt_' }, undefined, 401],
  ['GET', '/api/v1/me', { authorization: `Bearer ${'x'.repeat(100_000)}` }, undefined, 431],
];

describe('admin API: odd requests get a 4xx, never a 5xx', function () {
  this.timeout(60_000);
  let stack: Stack, admin = '';
  before(async () => {
    stack = await startStack();
    admin = await signIn(apiClient(stack), `admin@${stack.cfg.xmppDomain}`, bootstrapPassword(stack));
  });
  after(async () => { await stack?.stop(); });

  for (const [method, path, headers, body, status, field] of CASES) {
    it(`${method} ${path.slice(0, 70)} ${body === undefined ? '' : `(${Object.values(headers)[0]}, ${body.length} bytes)`} → ${status}${field ? ` naming ${field}` : ''}`, async () => {
      const res = await fetch(`${stack.cfg.publicUrl}${path}`, { method, headers: { authorization: `Bearer ${admin}`, ...headers }, body });
      const text = await res.text();
      expect(res.status, text.slice(0, 300)).to.equal(status);
      if (field) expect((JSON.parse(text) as { field?: string }).field).to.equal(field);
    });
  }
});
