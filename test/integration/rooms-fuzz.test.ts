// Generated and mutated bodies against the rooms routes: never a 5xx, and
// whatever was accepted still passes the settings checks when read back
// (nothing invalid is ever stored).
import { expect } from 'chai';
import fc from 'fast-check';
import { defaultRoomSettings } from '../../src/core/room-settings.js';
import { checkRoomSettings } from '../../src/http/room-schema.js';
import { startStack, type Stack } from '../support/stack.js';

type Path = string[];

/** Every path into a settings document (objects and array elements), root excluded. */
function paths(v: unknown, at: Path = []): Path[] {
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) => [[...at, k], ...paths(x, [...at, k])]);
}

const get = (doc: unknown, path: Path): unknown => path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], doc);

/** A PATCH body that sets `value` at `path`; an array on the way is sent whole, as a PATCH replaces arrays. */
function patchAt(doc: unknown, path: Path, value: unknown): unknown {
  const changed = structuredClone(doc);
  (get(changed, path.slice(0, -1)) as Record<string, unknown>)[path.at(-1)!] = value;
  const into = path.findIndex((_, i) => i < path.length - 1 && Array.isArray(get(doc, path.slice(0, i + 1))));
  const keep = into === -1 ? path : path.slice(0, into + 1);
  return keep.reduceRight<unknown>((inner, k) => ({ [k]: inner }), get(changed, keep));
}

describe('rooms API: generated bodies', function () {
  this.timeout(180_000);
  let stack: Stack;
  let admin = '';
  const call = async (method: string, path: string, body?: unknown) => (await fetch(`${stack.cfg.publicUrl}${path}`, {
    method, headers: { authorization: `Bearer ${admin}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  }));

  before(async () => {
    stack = await startStack();
    const password = /Password: (\S+)/.exec(stack.printed.join('\n'))![1];
    const r = await fetch(`${stack.cfg.publicUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: `admin@${stack.cfg.xmppDomain}`, password }) });
    admin = ((await r.json()) as { token: string }).token;
    expect((await call('POST', '/api/v1/rooms', { slug: 'fuzz', settings: { form: { fields: [
      ...defaultRoomSettings().form.fields,
      { id: 'topic', type: 'checkboxes', label: 'Topic', order: 4, hidden: false, mandatory: false, options: ['a', 'b'] },
      { id: 'ok', type: 'agreement', label: 'OK', order: 5, hidden: false, mandatory: false },
    ] } } })).status).to.equal(201);
  });
  after(async () => { await stack?.stop(); });

  it('answers every generated request below 500 and stores only valid settings', async () => {
    const doc = structuredClone(defaultRoomSettings()) as unknown;
    const all = paths(doc);
    const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.constantFrom('', 'a\u0000', '\ud800', '#fff', '24:00', 'Europe/Paris', 'select', -1, 0, 1e9, true, null, [], {}));
    const mutation = fc.tuple(fc.integer({ min: 0, max: all.length - 1 }), value).map(([i, v]) => patchAt(doc, all[i]!, v));
    const request = fc.oneof(
      mutation.map((body) => ['PATCH', '/api/v1/rooms/fuzz', body] as const),
      fc.jsonValue({ maxDepth: 3 }).map((body) => ['PATCH', '/api/v1/rooms/fuzz', body] as const),
      fc.tuple(fc.string({ maxLength: 70 }), mutation).map(([slug, settings]) => ['POST', '/api/v1/rooms', { slug, settings }] as const),
      fc.dictionary(fc.constantFrom('name', 'email', 'message', 'topic', 'ok', 'x', '__proto__'), fc.oneof(value, fc.array(value, { maxLength: 3 })))
        .map((body) => ['POST', '/api/v1/rooms/fuzz/conversations', body] as const),
      fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 10 })).map(([q, kind]) => ['GET', `/api/v1/rooms?q=${encodeURIComponent(q)}&kind=${encodeURIComponent(kind)}&limit=3`, undefined] as const),
      fc.string({ maxLength: 70 }).map((slug) => ['GET', `/api/v1/rooms/${encodeURIComponent(slug)}/public`, undefined] as const),
    );
    let accepted = 0;
    await fc.assert(fc.asyncProperty(request, async ([method, path, body]) => {
      const r = await call(method, path, body);
      const text = await r.text();
      if (r.status >= 500) throw new Error(`${method} ${path} ${JSON.stringify(body)} → ${r.status} ${text}`);
      if (method === 'PATCH' && r.status === 200) accepted++;
    }), { numRuns: 800, seed: 20261121 });
    expect(accepted, 'some mutations are valid changes').to.be.greaterThan(0);

    const rooms = (await stack.sb.db.query('SELECT slug, settings FROM rooms WHERE deleted_at IS NULL')).rows as Array<{ slug: string; settings: unknown }>;
    for (const room of rooms) {
      expect(() => checkRoomSettings(room.settings), room.slug).not.to.throw();
      expect((await call('GET', `/api/v1/rooms/${room.slug}`)).status, room.slug).to.equal(200);
    }
  });
});
