// The outbox's promises: an email is a row first; SMTP down → it waits and is
// delivered once the server is back (also after a restart of the service);
// never sent twice, even with two workers; quota; .eml files without SMTP.
import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { join } from 'node:path';
import type { MailService } from '../../src/mail/index.js';
import { testEnv } from '../support/env.js';
import { mailDb, mailService, type MailDb } from '../support/mail.js';
import { parseMail } from '../support/mime.js';
import { freePort } from '../support/ports.js';
import { TestSmtp } from '../support/smtp.js';
import { startStack, waitUntil } from '../support/stack.js';

const profile = { company: { companyName: 'Acme Inc', contactEmail: 'help@acme.test' } };
const confirmation = (message: string) => ({ profile, customer: { name: 'Jane' }, message });

describe('mail: outbox delivery', function () {
  this.timeout(60_000);
  const open: Array<MailDb | TestSmtp> = [];
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) await (x instanceof TestSmtp ? x.stop() : x.close());
  });
  const track = <T extends MailDb | TestSmtp>(x: T): T => { open.push(x); return x; };

  const row = async (mail: MailService, id: string) => (await mail.email(id))!;

  it('SMTP down → the email stays queued with the error; SMTP up → delivered exactly once', async () => {
    const port = await freePort();
    const m = track(await mailDb({ smtpUrl: `smtp://127.0.0.1:${port}` }));
    const mail = await mailService(m);
    const [e] = await mail.enqueue('offline-confirmation', confirmation('down then up'), ['jane@example.com']);
    await waitUntil(async () => (await row(mail, e!.id)).attempts >= 2, 20_000, 'two failed attempts');
    const waiting = await row(mail, e!.id);
    expect(waiting.status).to.be.oneOf(['queued', 'sending']);
    expect(waiting.lastError).to.match(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    expect((await mail.usage()).pending).to.equal(1);

    const smtp = track(await TestSmtp.start({ port }));
    await waitUntil(async () => (await row(mail, e!.id)).status === 'sent', 20_000, 'delivery once SMTP is back');
    expect(await mail.drain()).to.equal(0);
    expect(smtp.received).to.have.length(1);
    expect(smtp.received[0]!.mail.messageId).to.equal(e!.messageId);
    const sent = await row(mail, e!.id);
    expect(sent.sentAt).to.be.instanceOf(Date);
    expect(sent.lastError).to.equal(null);
    expect(await mail.usage()).to.include({ sent: 1, pending: 0 });
  });

  it('delivers what a stopped service left queued once a new one starts (restart)', async () => {
    const port = await freePort();
    const m = track(await mailDb({ smtpUrl: `smtp://127.0.0.1:${port}` }));
    const first = await mailService(m);
    const batch = await first.enqueue('offline-confirmation', confirmation('across a restart'), ['a@example.com', 'b@example.com']);
    await waitUntil(async () => (await Promise.all(batch.map((b) => row(first, b.id)))).every((r) => r.attempts >= 1 && r.status === 'queued'), 20_000, 'failed attempts');
    await first.stop();

    const smtp = track(await TestSmtp.start({ port }));
    const second = await mailService(m);
    await waitUntil(async () => (await second.outbox({ status: 'sent' })).total === 2, 20_000, 'both delivered after the restart');
    expect(await second.drain()).to.equal(0);
    expect(smtp.received.map((r) => r.to[0]).sort()).to.deep.equal(['a@example.com', 'b@example.com']);
    expect(new Set(smtp.received.map((r) => r.mail.messageId))).to.deep.equal(new Set(batch.map((b) => b.messageId)));
  });

  it('two workers on one database send each email once', async () => {
    const smtp = track(await TestSmtp.start());
    const m = track(await mailDb({ smtpUrl: smtp.url }));
    const a = await mailService(m, {}, { start: false });
    const b = await mailService(m, {}, { start: false });
    const to = Array.from({ length: 30 }, (_, i) => `r${i}@example.com`);
    await a.enqueue('offline-confirmation', confirmation('race'), to);
    await Promise.all([a.start(), b.start(), a.drain(), b.drain()]);
    await waitUntil(async () => (await a.outbox({ status: 'sent' })).total === 30, 30_000, 'all 30 sent');
    expect(await a.drain() + await b.drain()).to.equal(0);
    expect(smtp.received).to.have.length(30);
    expect(new Set(smtp.received.map((r) => r.mail.messageId)).size).to.equal(30);
    const attempts = (await m.db.query('SELECT DISTINCT attempts FROM mail_outbox')).rows.map((r) => r.attempts);
    expect(attempts).to.deep.equal([1]);
  });

  it('a claim whose worker died (lease run out) is sent again with the same Message-ID (at-least-once)', async () => {
    const smtp = track(await TestSmtp.start());
    const m = track(await mailDb({ smtpUrl: smtp.url }));
    const mail = await mailService(m, {}, { start: false });
    const [e] = await mail.enqueue('offline-confirmation', confirmation('orphaned claim'), ['jane@example.com']);
    // What a worker killed mid-send leaves behind: status sending, lease over.
    await m.db.query(`UPDATE mail_outbox SET status = 'sending', attempts = 1, next_attempt_at = now() - interval '1 second' WHERE id = $1`, [e!.id]);
    await mail.start();
    await waitUntil(async () => (await row(mail, e!.id)).status === 'sent', 20_000, 'the orphaned email sent');
    expect((await row(mail, e!.id)).attempts).to.equal(2);
    expect(smtp.received.map((r) => r.mail.messageId)).to.deep.equal([e!.messageId]);
  });

  it('a claim still under its lease is left alone', async () => {
    const smtp = track(await TestSmtp.start());
    const m = track(await mailDb({ smtpUrl: smtp.url }));
    const mail = await mailService(m, {}, { start: false });
    const [e] = await mail.enqueue('offline-confirmation', confirmation('claimed elsewhere'), ['jane@example.com']);
    await m.db.query(`UPDATE mail_outbox SET status = 'sending', attempts = 1, next_attempt_at = now() + interval '10 minutes' WHERE id = $1`, [e!.id]);
    expect(await mail.drain()).to.equal(0);
    expect(smtp.received).to.have.length(0);
  });

  it('a send that outlasts its lease keeps its claim (renewed while sending): a second worker does not send it again', async () => {
    let hold = true;
    // The server has the message and takes 7 s to answer, far past the 2 s lease.
    const smtp = track(await TestSmtp.start({ onMessage: async () => { if (hold) { hold = false; await sleep(7_000); } } }));
    const m = track(await mailDb({ smtpUrl: smtp.url }));
    const a = await mailService(m, {}, { start: false, leaseSeconds: 2 });
    const b = await mailService(m, {}, { start: false, leaseSeconds: 2 });
    const [e] = await a.enqueue('offline-confirmation', confirmation('slow server'), ['jane@example.com']);
    await a.start();
    await waitUntil(() => smtp.received.length === 1, 20_000, 'the message at the server');
    await b.start(); // polls every 200 ms: it would take the row as soon as the lease lapsed
    await waitUntil(async () => (await row(a, e!.id)).status === 'sent', 30_000, 'recorded sent');
    expect(smtp.received).to.have.length(1);
    expect((await row(a, e!.id)).attempts).to.equal(1);
  });

  it('a worker that loses its claim mid-send stops sending: the server keeps nothing of it, the new holder sends it once', async () => {
    // A large message whose DATA the server stops reading: the send stalls mid-way, as on a slow link.
    const smtp = track(await TestSmtp.start({ stallFirstDataMs: 8_000 }));
    const m = track(await mailDb({ smtpUrl: smtp.url }));
    const file = join(m.cfg.dataDir, 'big.bin');
    writeFileSync(file, Buffer.alloc(12 * 1024 * 1024, 0x41));
    const a = await mailService(m, {}, { start: false, leaseSeconds: 2 });
    const [e] = await a.enqueue('offline-message', { profile, room: { name: 'General' }, customer: { name: 'Jane' }, message: 'large', attachments: [{ filename: 'big.bin', path: file }] }, ['ops@example.com']);
    await a.start();
    await waitUntil(() => smtp.dataStarted === 1, 20_000, 'the message under way');
    // Another worker takes the row over (a new attempt), as it would after a lapsed lease.
    await m.db.query(`UPDATE mail_outbox SET attempts = attempts + 1, status = 'queued', next_attempt_at = now() WHERE id = $1`, [e!.id]);
    const b = await mailService(m, {}, { leaseSeconds: 2 });
    await waitUntil(async () => (await row(b, e!.id)).status === 'sent', 30_000, 'sent by the new holder');
    await waitUntil(() => smtp.firstDataClosed, 30_000, 'the stalled connection closed');
    expect(smtp.received).to.have.length(1);
    expect(smtp.received[0]!.mail.attachments.map((x) => [x.filename, x.content.length])).to.deep.equal([['big.bin', 12 * 1024 * 1024]]);
    expect((await row(b, e!.id)).attempts).to.equal(3); // the stalled one, the takeover, the delivery
  });

  it('the server took the email while the database was away: recorded once it is back, not sent again', async () => {
    const admin = new pg.Client({ connectionString: (await testEnv()).pgAdminUrl });
    await admin.connect();
    let dbName = '';
    let cut = false;
    const smtp = track(await TestSmtp.start({ onMessage: async () => {
      if (cut) return;
      cut = true; // before the server answers 250: the worker's next statement finds no database
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
    } }));
    const m = track(await mailDb({ smtpUrl: smtp.url }));
    dbName = new URL(m.url).pathname.slice(1);
    try {
      const mail = await mailService(m, {}, { start: false, leaseSeconds: 2 });
      const [e] = await mail.enqueue('offline-confirmation', confirmation('database away'), ['jane@example.com']);
      await mail.start();
      await waitUntil(() => cut && smtp.received.length === 1, 20_000, 'the message at the server');
      await sleep(4_000); // the outage outlasts the 2 s lease
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      await waitUntil(async () => (await row(mail, e!.id)).status === 'sent', 30_000, 'recorded sent');
      expect((await row(mail, e!.id)).attempts).to.equal(1);
      expect(await mail.drain()).to.equal(0);
      expect(smtp.received).to.have.length(1);
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  });

  it('gives up on an email still refused after MAIL_GIVE_UP_HOURS', async () => {
    const m = track(await mailDb({ smtpUrl: `smtp://127.0.0.1:${await freePort()}`, mailGiveUpHours: 1 }));
    const mail = await mailService(m, {}, { start: false });
    const [e] = await mail.enqueue('offline-confirmation', confirmation('too old'), ['jane@example.com']);
    await m.db.query(`UPDATE mail_outbox SET created_at = now() - interval '2 hours' WHERE id = $1`, [e!.id]);
    await mail.drain();
    const r = await row(mail, e!.id);
    expect(r.status).to.equal('failed');
    expect(r.lastError).to.match(/ECONNREFUSED|ESOCKET|ECONNECTION/);
  });

  it('settings that cannot be read leave the email queued with the reason, tried again later', async () => {
    const m = track(await mailDb());
    const mail = await mailService(m, {}, { start: false, smtp: async () => { throw new Error('smtp settings table unreachable'); } });
    const [e] = await mail.enqueue('offline-confirmation', confirmation('no settings'), ['jane@example.com']);
    expect(await mail.drain()).to.equal(1);
    const r = await row(mail, e!.id);
    expect([r.status, r.attempts]).to.deep.equal(['queued', 1]);
    expect(r.lastError).to.equal('smtp settings table unreachable');
    expect(r.nextAttemptAt.getTime()).to.be.greaterThan(r.createdAt.getTime());
  });

  it('quota: past it emails are refused, not sent, and usage says why', async () => {
    const smtp = track(await TestSmtp.start());
    const m = track(await mailDb({ smtpUrl: smtp.url, mailQuota: 3 }));
    const mail = await mailService(m);
    const first = await mail.enqueue('offline-confirmation', confirmation('1'), ['q1@example.com', 'q2@example.com']);
    expect(first.map((e) => e.status)).to.deep.equal(['queued', 'queued']);
    const second = await mail.enqueue('offline-confirmation', confirmation('2'), ['q3@example.com', 'q4@example.com']);
    expect(second.map((e) => e.status)).to.deep.equal(['queued', 'refused_quota']);
    const third = await mail.enqueue('offline-confirmation', confirmation('3'), ['q5@example.com']);
    expect(third.map((e) => e.status)).to.deep.equal(['refused_quota']);
    await waitUntil(async () => (await mail.usage()).sent === 3, 20_000, 'three sent');
    expect(await mail.drain()).to.equal(0);
    expect(smtp.received.map((r) => r.to[0]).sort()).to.deep.equal(['q1@example.com', 'q2@example.com', 'q3@example.com']);
    const usage = await mail.usage();
    expect(usage).to.deep.include({ quota: 3, sent: 3, pending: 0, remaining: 0, refused: 2, failed: 0 });
    expect(usage.reason).to.include('quota of 3').and.include('MAIL_QUOTA');
    const refused = await mail.outbox({ status: 'refused_quota' });
    expect(refused.items.map((r) => r.recipient).sort()).to.deep.equal(['q4@example.com', 'q5@example.com']);
    expect(refused.items[0]!.lastError).to.equal('quota of 3 emails reached');
  });

  it('without SMTP each email is written as an .eml file under <dataDir>/mail/, listed with its path', async () => {
    const m = track(await mailDb({ smtpUrl: '' }));
    const mail = await mailService(m);
    expect(await mail.smtpSettings()).to.equal(null);
    const batch = await mail.enqueue('offline-confirmation', { ...confirmation('to a file & back'), profile: { room: { companyName: 'Acme Support', contactEmail: 'room@acme.test' } } }, ['e1@example.com', 'e2@example.com']);
    await waitUntil(async () => (await mail.outbox({ status: 'sent' })).total === 2, 20_000, 'both written');
    const { items } = await mail.outbox();
    expect(items).to.have.length(2);
    for (const item of items) {
      expect(item.emlPath).to.equal(join(m.cfg.dataDir, 'mail', `${item.id}.eml`));
      expect(existsSync(item.emlPath!)).to.equal(true);
      const raw = readFileSync(item.emlPath!, 'utf8');
      expect(raw).to.include('\r\n');
      const e = parseMail(raw);
      expect(e.to).to.equal(item.recipient);
      expect(e.from).to.equal('Acme Support <room@acme.test>');
      expect(e.subject).to.equal('We received your message — Acme Support');
      expect(e.messageId).to.equal(item.messageId);
      expect(e.text).to.include('to a file & back');
      expect(e.html).to.include('to a file &amp; back');
    }
    expect(items.map((i) => i.id).sort()).to.deep.equal(batch.map((b) => b.id).sort());
  });

  it('the worker starts one (sb.mail): SMTP_URL honoured, stopped with the rest', async () => {
    const smtp = track(await TestSmtp.start());
    const stack = await startStack({ smtpUrl: smtp.url });
    try {
      await stack.sb.mail.enqueue('offline-confirmation', confirmation('from the worker'), ['wired@example.com']);
      await waitUntil(() => smtp.received.length === 1, 20_000, 'delivery by the worker\'s mail service');
      expect(smtp.received[0]!.to).to.deep.equal(['wired@example.com']);
    } finally {
      await stack.stop();
    }
  });
});
