// The pure pieces under sign-in: scrypt password hashes, the sliding window
// behind the sign-in limits, the audit log's masking of secrets, and the rule
// that every /api route declares who may call it (checked when it is added).
import { expect } from 'chai';
import Fastify from 'fastify';
import { installAccess, PUBLIC } from '../../src/http/access.js';
import { redact } from '../../src/app/audit.js';
import { hashPassword, verifyPassword } from '../../src/app/secrets.js';
import type { Sessions } from '../../src/app/sessions.js';
import { SlidingWindow } from '../../src/core/rate-limit.js';

describe('passwords: scrypt hashes', () => {
  it('stores scrypt with its parameters and a random salt, never the password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).to.match(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.to.equal(b);
    expect(a).not.to.include('correct');
  });

  it('verifies the right password only; a missing or foreign hash never matches', async () => {
    const h = await hashPassword('s3cret-pass');
    expect(await verifyPassword('s3cret-pass', h)).to.equal(true);
    expect(await verifyPassword('s3cret-pasS', h)).to.equal(false);
    expect(await verifyPassword('', h)).to.equal(false);
    expect(await verifyPassword('', null)).to.equal(false);
    expect(await verifyPassword('anything', null)).to.equal(false);
    expect(await verifyPassword('s3cret-pass', h.replace(/^scrypt/, 'md5'))).to.equal(false);
    expect(await verifyPassword('s3cret-pass', 's3cret-pass')).to.equal(false);
  });
});

describe('sign-in limits: SlidingWindow', () => {
  const MIN = 60_000;

  it('allows `limit` hits per window, then says when the next one is allowed', () => {
    const w = new SlidingWindow(3, 15 * MIN);
    for (const t of [0, MIN, 2 * MIN]) { expect(w.check('k', t).allowed).to.equal(true); w.hit('k', t); }
    expect(w.check('k', 3 * MIN)).to.deep.equal({ allowed: false, retryAfterMs: 12 * MIN });
    expect(w.check('other', 3 * MIN).allowed).to.equal(true);
    // The oldest hit leaves the window at 15 min.
    expect(w.check('k', 15 * MIN - 1).allowed).to.equal(false);
    expect(w.check('k', 15 * MIN).allowed).to.equal(true);
  });

  it('reset forgets a key; sweep drops keys with no recent hit (memory stays bounded)', () => {
    const w = new SlidingWindow(1, MIN);
    w.hit('a', 0);
    w.reset('a');
    expect(w.check('a', 1).allowed).to.equal(true);
    for (let i = 0; i < 1000; i++) w.hit(`spray-${i}`, 0);
    w.hit('recent', MIN);
    expect(w.size).to.equal(1001);
    w.sweep(MIN + 1);
    expect(w.size).to.equal(1);
  });
});

describe('audit: masking secrets', () => {
  it('masks values under keys naming a password, secret, token or HA1, at any depth; booleans and nulls stay', () => {
    const out = redact({
      name: 'Ann', password: 'p', passwordSet: true, smtp: { password: 'x', host: 'h' }, sipHa1: 'abc',
      list: [{ apiToken: 't' }], secret: null, at: new Date('2026-01-01T00:00:00Z'),
    });
    expect(out).to.deep.equal({
      name: 'Ann', password: '***', passwordSet: true, smtp: { password: '***', host: 'h' }, sipHa1: '***',
      list: [{ apiToken: '***' }], secret: null, at: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('access: every /api route declares its level', () => {
  const sessions = {} as Sessions;

  it('refuses an /api route without a level when it is added', async () => {
    const app = Fastify();
    installAccess(app, sessions);
    let error: unknown = null;
    try {
      app.get('/api/v1/forgotten', async () => ({}));
      await app.ready();
    } catch (e) { error = e; }
    expect(String(error)).to.match(/GET \/api\/v1\/forgotten declares no access level/);
    await app.close().catch(() => undefined);
  });

  it('lists declared routes with their level; routes outside /api need none', async () => {
    const app = Fastify();
    installAccess(app, sessions);
    app.get('/api/v1/open', { config: PUBLIC }, async () => ({ ok: true }));
    app.get('/healthz', async () => ({ ok: true }));
    await app.ready();
    expect(app.apiRoutes).to.deep.equal([{ method: 'GET', url: '/api/v1/open', access: 'public' }]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/open' })).statusCode).to.equal(200);
    await app.close();
  });
});
