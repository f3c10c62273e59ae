// Our process killed (SIGKILL) and started again: a queued email is delivered
// once the SMTP server is back, exactly once; and the one crash window SMTP
// leaves open — the server took the message, the row does not say so yet —
// ends in a second copy with the same Message-ID (at-least-once, by choice).
import { expect } from 'chai';
import type { MailService } from '../../src/mail/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnv } from '../support/env.js';
import { mailDb, mailService, type MailDb } from '../support/mail.js';
import { freePort } from '../support/ports.js';
import { spawnNode, type Spawned } from '../support/processes.js';
import { TestSmtp } from '../support/smtp.js';
import { waitUntil } from '../support/stack.js';

describe('mail: restart of our process', function () {
  this.timeout(90_000);
  const children: Spawned[] = [];
  const open: Array<MailDb | TestSmtp> = [];
  after(async () => {
    for (const c of children) { if (c.proc.exitCode === null && c.proc.signalCode === null) { c.proc.kill('SIGKILL'); await c.exited; } }
    for (const x of open.reverse()) await (x instanceof TestSmtp ? x.stop() : x.close());
  });

  async function child(m: MailDb, smtpPort: number, extra: Record<string, string> = {}): Promise<Spawned> {
    const c = spawnNode('../test/support/mail-child.js', {
      DATABASE_URL: m.url, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, DATA_DIR: m.cfg.dataDir,
      MAIL_RETRY_BASE_SECONDS: '1', MAIL_RETRY_MAX_SECONDS: '1', LOG_LEVEL: 'info', ...extra,
    });
    children.push(c);
    await c.waitForLine(/mail child ready/);
    return c;
  }
  const kill = async (c: Spawned) => { c.proc.kill('SIGKILL'); await c.exited; };

  /** The real worker (worker.js: component, HTTP, mail) on the run's Prosody, as restart.test.ts starts it. */
  async function worker(m: MailDb, smtpPort: number, httpPort: number, dataDir: string): Promise<Spawned> {
    const env = await testEnv();
    const cfg = env.baseConfig;
    const w = spawnNode('worker.js', {
      DATABASE_URL: m.url, XMPP_SERVER: 'external', XMPP_COMPONENT_SECRET: env.prosody.secret,
      XMPP_COMPONENT_PORT: String(cfg.xmppComponentPort), XMPP_WEBSOCKET_URL: cfg.xmppWebsocketUrl, HTTP_PORT: String(httpPort),
      SWITCHBOARD_PROSODY_CONFIG: env.prosody.paths.configFile, LOG_LEVEL: 'info', DATA_DIR: dataDir, VOICE_ENABLED: 'false',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_RETRY_BASE_SECONDS: '1', MAIL_RETRY_MAX_SECONDS: '1', MAIL_LEASE_SECONDS: '2',
    });
    children.push(w);
    await w.waitForLine(/HTTP on http/);
    return w;
  }
  const rowOf = async (mail: MailService, id: string) => (await mail.email(id))!;

  it('SMTP down, process killed, SMTP up, process restarted → delivered exactly once', async () => {
    const m = await mailDb(); open.push(m);
    const port = await freePort();
    const look = await mailService(m, {}, { start: false });
    // A short lease: should the kill land while a failing attempt holds the claim, the restarted process takes it over in 2 s.
    const first = await child(m, port, { MAIL_CHILD_ENQUEUE: 'jane@example.com', MAIL_CHILD_LEASE_SECONDS: '2' });
    const id = (await first.waitForLine(/^enqueued /)).split(' ')[1]!;
    await waitUntil(async () => (await rowOf(look, id)).attempts >= 1 && (await rowOf(look, id)).status === 'queued', 20_000, 'a failed attempt');
    await kill(first);

    const smtp = await TestSmtp.start({ port }); open.push(smtp);
    const second = await child(m, port);
    await waitUntil(async () => (await rowOf(look, id)).status === 'sent', 20_000, 'delivery by the restarted process');
    await kill(second);
    expect(await look.drain()).to.equal(0);
    expect(smtp.received).to.have.length(1);
    expect(smtp.received[0]!.mail.messageId).to.equal((await rowOf(look, id)).messageId);
  });

  it('the worker process: a note left while SMTP is down, worker killed (SIGKILL), SMTP up, worker restarted → each email delivered exactly once', async () => {
    const m = await mailDb(); open.push(m);
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-mail-worker-'));
    try {
      const [smtpPort, httpPort] = [await freePort(), await freePort()];
      const look = await mailService(m, {}, { start: false });
      const first = await worker(m, smtpPort, httpPort, dataDir);
      const password = (await first.waitForLine(/Password: /)).split('Password: ')[1]!.trim();
      const base = `http://127.0.0.1:${httpPort}`;
      const post = (path: string, body: unknown, token?: string, method = 'POST') => fetch(`${base}${path}`, {
        method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
      });
      const login = await post('/api/v1/auth/login', { login: `admin@${(await testEnv()).baseConfig.xmppDomain}`, password });
      const { token } = await login.json() as { token: string };
      expect((await post('/api/v1/rooms/general', { offline: { forwardAddress: 'inbox@example.com' } }, token, 'PATCH')).status).to.equal(200);
      const note = await post('/api/v1/rooms/general/notes', { name: 'Nora', email: 'nora@example.com', message: 'left while the mail server was down' });
      expect(note.status).to.equal(201);
      const noteId = (await note.json() as { id: string }).id;
      const rows = async () => (await look.outbox({ conversationId: noteId })).items;
      await waitUntil(async () => { const r = await rows(); return r.length === 2 && r.every((x) => x.attempts >= 1 && x.status === 'queued'); }, 20_000, 'failed attempts');
      await kill(first);

      const smtp = await TestSmtp.start({ port: smtpPort }); open.push(smtp);
      await worker(m, smtpPort, httpPort, dataDir);
      await waitUntil(async () => (await rows()).every((x) => x.status === 'sent'), 30_000, 'delivered by the restarted worker');
      expect(await look.drain()).to.equal(0);
      expect(smtp.received.map((r) => r.to[0]).sort()).to.deep.equal(['inbox@example.com', 'nora@example.com']);
      expect(new Set(smtp.received.map((r) => r.mail.messageId))).to.deep.equal(new Set((await rows()).map((x) => x.messageId)));
      expect(smtp.received.find((r) => r.to[0] === 'nora@example.com')!.mail.text).to.include('left while the mail server was down');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('killed after the server took the message, before the row said so → sent again after the lease, same Message-ID', async () => {
    const m = await mailDb(); open.push(m);
    let victim: Spawned | null = null;
    // The server has the whole message; the sender dies before hearing 250.
    const smtp = await TestSmtp.start({ onMessage: async () => { if (victim) { const v = victim; victim = null; await kill(v); } } }); open.push(smtp);
    const look = await mailService(m, {}, { start: false });
    const lease = { MAIL_CHILD_LEASE_SECONDS: '2' };
    const first = spawnNode('../test/support/mail-child.js', {
      DATABASE_URL: m.url, SMTP_URL: smtp.url, DATA_DIR: m.cfg.dataDir, MAIL_CHILD_ENQUEUE: 'jane@example.com', ...lease,
    });
    children.push(first);
    victim = first;
    const id = (await first.waitForLine(/^enqueued /)).split(' ')[1]!;
    await first.exited;
    expect(smtp.received).to.have.length(1);
    const orphan = await rowOf(look, id);
    expect([orphan.status, orphan.attempts]).to.deep.equal(['sending', 1]);

    await child(m, smtp.port, lease);
    await waitUntil(async () => (await rowOf(look, id)).status === 'sent', 30_000, 'the orphaned claim sent again');
    expect((await rowOf(look, id)).attempts).to.equal(2);
    expect(smtp.received).to.have.length(2);
    expect(smtp.received.map((r) => r.mail.messageId)).to.deep.equal([orphan.messageId, orphan.messageId]);
    expect(smtp.received[0]!.mail.headers.get('date')).to.equal(smtp.received[1]!.mail.headers.get('date'));
  });
});
