// Every email the seeds describe, through the outbox to a real SMTP server in
// this process: recipients, From/Reply-To from the profiles, HTML and text.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../src/core/errors.js';
import type { MailService } from '../../src/mail/index.js';
import { transcriptData } from '../../src/mail/index.js';
import { conversationWith, mailDb, mailService, type MailDb } from '../support/mail.js';
import { TestSmtp, type Received } from '../support/smtp.js';
import { waitUntil } from '../support/stack.js';

const profile = { room: { companyName: 'Acme Support', contactEmail: '' }, company: { companyName: 'Acme Inc', contactEmail: 'help@acme.test' } };

describe('mail: the emails', function () {
  this.timeout(60_000);
  let smtp: TestSmtp;
  let m: MailDb;
  let mail: MailService;

  before(async () => {
    smtp = await TestSmtp.start({ refuse: /^nobody@/ });
    m = await mailDb({ smtpUrl: smtp.url });
    mail = await mailService(m);
  });
  after(async () => { await m?.close(); await smtp?.stop(); });

  /** The one message delivered to `address` (waits for it). */
  async function one(address: string): Promise<Received> {
    await waitUntil(() => smtp.to(address).length > 0, 15_000, `an email to ${address}`);
    expect(smtp.to(address), `emails to ${address}`).to.have.length(1);
    const r = smtp.to(address)[0]!;
    expect(r.to, 'one recipient per email').to.deep.equal([address]);
    return r;
  }

  it('(a) offline message to the offline recipients and the forward address, fields and attachments, replies to the customer', async () => {
    const file = join(m.cfg.dataDir, 'invoice.txt');
    writeFileSync(file, 'INVOICE-CONTENT-42');
    const sent = await mail.enqueue('offline-message', {
      profile, room: { name: 'General' },
      customer: { name: 'Jane <b>Doe</b>', email: 'jane@example.com' },
      message: 'My order did not arrive.\nOrder placed on Monday & paid.',
      fields: [{ label: 'Order number', value: 'A-1234' }, { label: 'Phone', value: '+33 1 23 45 67 89' }],
      attachments: [{ filename: 'photo.jpg', url: 'https://files.example.com/u/photo.jpg?x=1&y=2' }, { filename: 'invoice.txt', path: file, contentType: 'text/plain' }],
      receivedAt: '2026-11-21T14:05:00Z', conversationUrl: 'https://desk.acme.test/conversations/1',
    }, ['offline@acme.test', { name: 'Forward box', address: 'forward@acme.test' }]);
    expect(sent.map((s) => [s.recipient, s.status])).to.deep.equal([['offline@acme.test', 'queued'], ['forward@acme.test', 'queued']]);
    for (const to of ['offline@acme.test', 'forward@acme.test']) {
      const { mail: e } = await one(to);
      expect(e.subject).to.equal('Offline message from Jane <b>Doe</b> (General)');
      expect(e.from).to.equal('Acme Support <help@acme.test>');
      expect(e.replyTo).to.equal('jane@example.com');
      expect(e.headers.get('auto-submitted')).to.equal('auto-generated');
      expect(e.html).to.include('Jane &lt;b&gt;Doe&lt;/b&gt;').and.not.include('<b>Doe</b>');
      expect(e.html).to.include('A-1234').and.include('Order number').and.include('Order placed on Monday &amp; paid.');
      expect(e.html).to.include('href="https://files.example.com/u/photo.jpg?x=1&amp;y=2"');
      expect(e.html).to.include('href="https://desk.acme.test/conversations/1"');
      expect(e.text).to.include('Order number: A-1234').and.include('Phone: +33 1 23 45 67 89');
      expect(e.text).to.include('My order did not arrive.\nOrder placed on Monday & paid.');
      expect(e.text).to.include('- photo.jpg: https://files.example.com/u/photo.jpg?x=1&y=2').and.include('- invoice.txt (attached)');
      expect(e.text).to.include('Received: 2026-11-21 14:05 UTC');
      expect(e.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).to.deep.equal([['invoice.txt', 'text/plain', 'INVOICE-CONTENT-42']]);
    }
    expect(smtp.to('forward@acme.test')[0]!.mail.to).to.equal('Forward box <forward@acme.test>');
  });

  it('(b) confirmation to the customer', async () => {
    await mail.enqueue('offline-confirmation', { profile, customer: { name: 'Jane' }, message: 'My order did not arrive.', fields: [{ label: 'Order number', value: 'A-1234' }] }, ['jane.confirm@example.com']);
    const { mail: e } = await one('jane.confirm@example.com');
    expect(e.subject).to.equal('We received your message — Acme Support');
    expect(e.from).to.equal('Acme Support <help@acme.test>');
    expect(e.replyTo).to.equal(undefined);
    expect(e.html).to.include('Hello Jane,').and.include('My order did not arrive.').and.include('A-1234');
    expect(e.text).to.match(/^Hello Jane,\n\nThank you for your message\./).and.include('Order number: A-1234');
    expect(e.text).to.include('Sent by Acme Support. Questions? Write to help@acme.test.');
  });

  it('(c) an agent\'s reply to a note, to the customer, quoting it, not marked automatic', async () => {
    await mail.enqueue('note-reply', {
      profile: { company: { companyName: 'Acme Inc', contactEmail: 'help@acme.test' } },
      customer: { name: 'Jane' }, agent: { name: 'Alice Martin' },
      reply: 'Your parcel left today.\nTracking: 1Z999', note: { message: 'Where is my order?', receivedAt: '2026-11-20T09:00:00Z' },
    }, ['jane.reply@example.com']);
    const { mail: e } = await one('jane.reply@example.com');
    expect(e.subject).to.equal('Re: your message to Acme Inc');
    expect(e.from).to.equal('Acme Inc <help@acme.test>');
    expect(e.headers.has('auto-submitted')).to.equal(false);
    expect(e.html).to.include('Your parcel left today.<br>Tracking: 1Z999').and.include('Alice Martin').and.include('Where is my order?');
    expect(e.text).to.include('Your parcel left today.\nTracking: 1Z999\n\n— Alice Martin, Acme Inc').and.include('> Where is my order?');
  });

  it('(d) "an agent is available now" to the customer who pressed Add Alert, and to the agents who opted in', async () => {
    await mail.enqueue('agent-available', { profile, audience: 'customer', room: { name: 'General' }, customer: { name: 'Jane' }, chatUrl: 'https://chat.acme.test/c/general' }, ['jane.alert@example.com']);
    await mail.enqueue('agent-available', { profile, audience: 'agent', room: { name: 'General' }, customer: { name: 'Jane' }, waitingSince: '2026-11-21T14:00:00Z' }, ['bob@acme.test', 'carol@acme.test']);
    const { mail: c } = await one('jane.alert@example.com');
    expect(c.subject).to.equal('An agent is available now — Acme Support');
    expect(c.html).to.include('An agent is available now').and.include('href="https://chat.acme.test/c/general"').and.include('Return to the chat');
    expect(c.text).to.include('an agent of Acme Support is available now').and.include('Return to the chat: https://chat.acme.test/c/general');
    for (const to of ['bob@acme.test', 'carol@acme.test']) {
      const { mail: a } = await one(to);
      expect(a.subject).to.equal('Jane is waiting for an agent in General');
      expect(a.text).to.include('Jane has been waiting in General since 2026-11-21 14:00 UTC').and.include('Set yourself Available');
      expect(a.html).to.include('A customer is waiting');
    }
  });

  it('(e) transcript to the customer: public messages in order, never a private note', async () => {
    const id = await conversationWith(m.db, { name: 'Jane', email: 'jane.transcript@example.com' }, [
      { kind: 'customer', nick: 'Jane', body: 'Hello, my order is late' },
      { kind: 'agent', nick: 'Alice', body: 'PRIVATE-NOTE she called twice already', private: true },
      { kind: 'agent', nick: 'Alice', body: 'Sorry! Let me check <that> for you' },
      { kind: 'system', nick: null, body: 'Alice closed the conversation' },
    ]);
    const data = await transcriptData(m.db, id);
    expect(data.messages.map((x) => [x.kind, x.from, x.body])).to.deep.equal([
      ['customer', 'Jane', 'Hello, my order is late'], ['agent', 'Alice', 'Sorry! Let me check <that> for you'], ['system', 'Notice', 'Alice closed the conversation'],
    ]);
    expect(JSON.stringify(data)).not.to.include('PRIVATE-NOTE');
    const [queued] = await mail.sendTranscript(id, { profile });
    const { mail: e, raw } = await one('jane.transcript@example.com');
    expect(e.subject).to.equal('Transcript of your conversation with Acme Support');
    expect(e.text).to.include('Jane:\n  Hello, my order is late').and.include('Alice:\n  Sorry! Let me check <that> for you');
    expect(e.html).to.include('Hello, my order is late').and.include('Let me check &lt;that&gt; for you');
    expect(e.text.indexOf('Hello, my order')).to.be.lessThan(e.text.indexOf('Sorry!'));
    for (const s of [raw, e.html, e.text]) expect(s).not.to.include('PRIVATE-NOTE').and.not.include('called twice');
    const row = await mail.email(queued!.id);
    expect(row!.conversationId).to.equal(id);
    // The SMTP server has the message before the worker records the server's answer.
    await waitUntil(async () => (await mail.email(queued!.id))?.status === 'sent', 10_000, 'the transcript recorded as sent');
    const listed = await mail.outbox({ conversationId: id, template: 'transcript' });
    expect([listed.total, listed.items[0]!.id, listed.items[0]!.status]).to.deep.equal([1, queued!.id, 'sent']);
    expect((await mail.outbox({ conversationId: 'not-a-uuid' })).total).to.equal(0);
    expect(row!.html + row!.text).not.to.include('PRIVATE-NOTE');
    // A stored message row (with its private flag) cannot be passed as transcript data by mistake.
    const { customerEmail: _unused, ...plain } = data;
    const err = await mail.enqueue('transcript', { ...plain, profile, messages: [{ at: '2026-01-01T00:00:00Z', from: 'Alice', kind: 'agent', body: 'x', private: true } as never] }, ['jane@example.com']).catch((x: unknown) => x);
    expect(err).to.be.instanceOf(AppError).with.property('field', 'data.messages[0].private');
  });

  it('(f) notice to the administrators when an agent\'s private profile is edited', async () => {
    await m.db.query(`INSERT INTO agents (jid, name, nickname, email, role, deleted_at) VALUES
      ('ada@localhost', 'Ada Admin', 'Ada', 'ada@acme.test', 'administrator', NULL),
      ('ben@localhost', 'Ben Boss', 'Ben', 'ben@acme.test', 'administrator', NULL),
      ('old@localhost', 'Old Admin', 'Old', 'old@acme.test', 'administrator', now()),
      ('noe@localhost', 'Noe Normal', 'Noe', 'noe@acme.test', 'normal', NULL)`);
    const admins = await mail.administrators();
    expect(admins).to.deep.equal([{ name: 'Ada Admin', address: 'ada@acme.test' }, { name: 'Ben Boss', address: 'ben@acme.test' }]);
    await mail.enqueue('profile-edited', { profile, agent: { name: 'Noe Normal', jid: 'noe@localhost' }, editedBy: { name: 'Noe Normal' }, changed: ['email', 'password'], at: '2026-11-21T15:00:00Z' }, admins);
    for (const to of ['ada@acme.test', 'ben@acme.test']) {
      const { mail: e } = await one(to);
      expect(e.subject).to.equal('Profile of Noe Normal edited by Noe Normal');
      expect(e.text).to.include('Agent: Noe Normal (noe@localhost)').and.include('Changed: email, password').and.include('When: 2026-11-21 15:00 UTC');
      expect(e.html).to.include('Noe Normal (noe@localhost)').and.include('email, password');
    }
    expect(smtp.to('noe@acme.test')).to.have.length(0);
    expect(smtp.to('old@acme.test')).to.have.length(0);
  });

  const bad: Array<[string, () => Promise<unknown>, string]> = [
    ['a malformed recipient', () => mail.enqueue('offline-confirmation', { profile, customer: { name: 'J' }, message: 'x' }, ['ok@example.com', 'not an address']), 'recipients[1]'],
    ['no recipient', () => mail.enqueue('offline-confirmation', { profile, customer: { name: 'J' }, message: 'x' }, []), 'recipients'],
    ['a bad customer email', () => mail.enqueue('offline-message', { profile, room: { name: 'G' }, customer: { name: 'J', email: 'jane@' }, message: 'x' }, ['ok@example.com']), 'data.customer.email'],
    ['a missing message', () => mail.enqueue('offline-confirmation', { profile, customer: { name: 'J' } } as never, ['ok@example.com']), 'data.message'],
    ['a javascript: link', () => mail.enqueue('agent-available', { profile, audience: 'customer', room: { name: 'G' }, customer: { name: 'J' }, chatUrl: 'javascript:alert(1)' }, ['ok@example.com']), 'data.chatUrl'],
    ['a bad profile email', () => mail.enqueue('offline-confirmation', { profile: { room: { contactEmail: 'nope' } }, customer: { name: 'J' }, message: 'x' }, ['ok@example.com']), 'data.profile.room.contactEmail'],
    ['a file outside the data dir', () => mail.enqueue('offline-message', { profile, room: { name: 'G' }, customer: { name: 'J' }, message: 'x', attachments: [{ filename: 'passwd', path: '/etc/passwd' }] }, ['ok@example.com']), 'data.attachments[0].path'],
    ['an unknown template', () => mail.enqueue('nope' as never, { profile } as never, ['ok@example.com']), 'template'],
  ];
  for (const [what, call, field] of bad) {
    it(`refuses ${what} with an 'invalid' error naming ${field}, storing nothing`, async () => {
      const before = (await mail.outbox()).total;
      const err = await call().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).code).to.equal('invalid');
      expect((err as AppError).field).to.equal(field);
      expect((err as AppError).message).to.include(field);
      expect((await mail.outbox()).total).to.equal(before);
    });
  }

  it('one recipient refused by the server does not hold up the others', async () => {
    const sent = await mail.enqueue('offline-confirmation', { profile, customer: { name: 'J' }, message: 'x' }, ['first@example.com', 'nobody@example.com', 'third@example.com']);
    await one('first@example.com');
    await one('third@example.com');
    const refused = sent.find((s) => s.recipient === 'nobody@example.com')!;
    await waitUntil(async () => (await mail.email(refused.id))!.status === 'failed', 15_000, 'the refused recipient marked failed');
    const row = (await mail.email(refused.id))!;
    expect(row.attempts).to.equal(1);
    expect(row.lastError).to.include('550');
    expect(smtp.to('nobody@example.com')).to.have.length(0);
  });

  it('uses SMTP settings from the provider (admin API) before SMTP_URL: login, forced From, profile address as Reply-To', async () => {
    const authed = await TestSmtp.start({ auth: { user: 'mailer', pass: 'p@ss:word' } });
    try {
      const svc = await mailService(m, {}, { smtp: async () => ({ host: '127.0.0.1', port: authed.port, secure: false, user: 'mailer', password: 'p@ss:word', from: 'mailer@acme.test' }) });
      await mail.stop(); // only the new service delivers this one
      await svc.enqueue('offline-confirmation', { profile, customer: { name: 'J' }, message: 'via provider' }, ['provider@example.com']);
      await waitUntil(() => authed.received.length === 1, 15_000, 'delivery through the provider settings');
      const r = authed.received[0]!;
      expect(r.user).to.equal('mailer');
      expect(r.from).to.equal('mailer@acme.test');
      expect(r.mail.from).to.equal('Acme Support <mailer@acme.test>');
      expect(r.mail.replyTo).to.equal('help@acme.test');
      expect(smtp.to('provider@example.com')).to.have.length(0);
    } finally {
      await authed.stop();
      await mail.start();
    }
  });
});
