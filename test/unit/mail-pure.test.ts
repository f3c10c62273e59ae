// The pure pieces of email: retry policy, failure kinds, addresses and the
// profile fallback, SMTP URLs, quota usage, the message built from a row, settings.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';
import { AppError } from '../../src/core/errors.js';
import { normalizeRecipients, resolveSender } from '../../src/mail/addresses.js';
import { usageFrom } from '../../src/mail/quota.js';
import { backoffSeconds, classifyFailure, errorText } from '../../src/mail/retry.js';
import { smtpFromUrl } from '../../src/mail/smtp-settings.js';
import { toMessage } from '../../src/mail/transport.js';
import type { OutboxEmail } from '../../src/mail/types.js';

describe('mail: backoffSeconds', () => {
  const table: Array<[number, number, number, number]> = [
    // attempt, base, max → delay
    [1, 10, 900, 10], [2, 10, 900, 20], [3, 10, 900, 40], [7, 10, 900, 640], [8, 10, 900, 900], [50, 10, 900, 900],
    [0, 10, 900, 10], [1, 1, 1, 1], [5, 1, 1, 1], [1_000_000, 5, 60, 60],
  ];
  for (const [attempt, base, max, want] of table) {
    it(`attempt ${attempt}, base ${base}, max ${max} → ${want} s`, () => expect(backoffSeconds(attempt, base, max)).to.equal(want));
  }
});

describe('mail: classifyFailure', () => {
  const table: Array<[string, unknown, 'transient' | 'permanent']> = [
    ['connection refused', { code: 'ESOCKET', command: 'CONN', message: 'connect ECONNREFUSED' }, 'transient'],
    ['timeout', { code: 'ETIMEDOUT' }, 'transient'],
    ['greylisting 451 at RCPT', { code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }, 'transient'],
    ['mailbox unknown 550 at RCPT', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, 'permanent'],
    ['sender refused 553 at MAIL FROM (settings)', { code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' }, 'transient'],
    ['bad login 535', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, 'transient'],
    ['content refused 554 after DATA', { code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, 'permanent'],
    ['attachment unreadable', { code: 'ESTREAM', command: 'API' }, 'permanent'],
    ['not an object', 'boom', 'transient'],
    ['null', null, 'transient'],
  ];
  for (const [what, err, want] of table) it(`${what} → ${want}`, () => expect(classifyFailure(err)).to.equal(want));

  it('errorText is one bounded line with the code', () => {
    const t = errorText(Object.assign(new Error('line one\nline two'), { code: 'ESOCKET' }));
    expect(t).to.equal('ESOCKET: line one line two');
    expect(errorText(new Error('x'.repeat(2000)))).to.have.length(500);
  });
});

describe('mail: normalizeRecipients', () => {
  it('takes strings and { name, address }, trims, drops repeated addresses (any case)', () => {
    expect(normalizeRecipients([' a@example.com ', { name: '  Bob   B ', address: 'b@example.com' }, 'A@EXAMPLE.COM', { address: 'c@example.com', name: null }]))
      .to.deep.equal([{ name: null, address: 'a@example.com' }, { name: 'Bob B', address: 'b@example.com' }, { name: null, address: 'c@example.com' }]);
  });
  const bad: Array<[string, unknown, string]> = [
    ['not a list', 'a@example.com', 'recipients'],
    ['empty', [], 'recipients'],
    ['no @', ['ok@example.com', 'nope'], 'recipients[1]'],
    ['a display-name form', ['Jane <jane@example.com>'], 'recipients[0]'],
    ['a list in one string', ['a@example.com, b@example.com'], 'recipients[0]'],
    ['a header injection', ['a@example.com\r\nBcc: x@evil.com'], 'recipients[0]'],
    ['no domain dot', ['a@localhost'], 'recipients[0]'],
    ['an object without address', [{ name: 'x' }], 'recipients[0]'],
    ['a bad name', [{ name: 42, address: 'a@example.com' }], 'recipients[0].name'],
    ['too many', Array.from({ length: 101 }, (_, i) => `r${i}@example.com`), 'recipients'],
  ];
  for (const [what, input, field] of bad) {
    it(`${what} → invalid naming ${field}`, () => {
      let err: unknown;
      try { normalizeRecipients(input); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(AppError).with.property('field', field);
      expect((err as AppError).code).to.equal('invalid');
    });
  }
});

describe('mail: resolveSender (room profile, then company, then ours)', () => {
  const fb = { companyName: 'Switchboard', address: 'no-reply@localhost' };
  const table: Array<[string, Parameters<typeof resolveSender>[0], string, string]> = [
    ['room wins', { room: { companyName: 'Room Co', contactEmail: 'room@x.test' }, company: { companyName: 'Co', contactEmail: 'co@x.test' } }, 'Room Co', 'room@x.test'],
    ['empty room fields fall back field by field', { room: { companyName: ' ', contactEmail: 'room@x.test' }, company: { companyName: 'Co', contactEmail: 'co@x.test' } }, 'Co', 'room@x.test'],
    ['null room', { room: null, company: { companyName: 'Co', contactEmail: 'co@x.test' } }, 'Co', 'co@x.test'],
    ['nothing at all', {}, 'Switchboard', 'no-reply@localhost'],
    ['company without email', { company: { companyName: 'Co', contactEmail: '' } }, 'Co', 'no-reply@localhost'],
  ];
  for (const [what, p, name, address] of table) {
    it(what, () => expect(resolveSender(p, fb)).to.deep.equal({ companyName: name, contactEmail: address }));
  }
});

describe('mail: smtpFromUrl', () => {
  const table: Array<[string, string | undefined, object]> = [
    ['smtp://mail.example.com', undefined, { host: 'mail.example.com', port: 587, secure: false }],
    ['smtps://mail.example.com', undefined, { host: 'mail.example.com', port: 465, secure: true }],
    ['smtp://u%40x:p%3Aw%2F@127.0.0.1:2525', 'me@x.test', { host: '127.0.0.1', port: 2525, secure: false, user: 'u@x', password: 'p:w/', from: 'me@x.test' }],
    ['smtp://[::1]:25', undefined, { host: '::1', port: 25, secure: false }],
  ];
  for (const [url, from, want] of table) it(url, () => expect(smtpFromUrl(url, from)).to.deep.equal(want));
  it('refuses another scheme', () => expect(() => smtpFromUrl('http://x')).to.throw(/smtp:\/\//));
});

describe('mail: usageFrom', () => {
  const counts = (o: Partial<Record<'queued' | 'sending' | 'sent' | 'failed' | 'refused_quota', number>>) => ({ queued: 0, sending: 0, sent: 0, failed: 0, refused_quota: 0, ...o });
  it('under quota: remaining, no reason; failed emails hold no share', () => {
    expect(usageFrom(counts({ sent: 10, queued: 2, sending: 1, failed: 4 }), 500)).to.deep.equal({ quota: 500, sent: 10, pending: 3, remaining: 487, refused: 0, failed: 4, reason: null });
  });
  it('at quota: a reason naming the quota and the setting', () => {
    const u = usageFrom(counts({ sent: 499, queued: 1, refused_quota: 7 }), 500);
    expect(u.remaining).to.equal(0);
    expect(u.reason).to.equal('The email quota of 500 is used up (499 sent, 1 waiting): new emails are refused (7 so far). Raise MAIL_QUOTA to send more.');
  });
});

describe('mail: toMessage', () => {
  const row = (o: Partial<OutboxEmail> = {}): OutboxEmail => ({
    id: 'id', messageId: '<id@acme.test>', batchId: 'b', template: 'transcript', conversationId: null, recipient: 'jane@example.com', recipientName: 'Jane',
    fromName: 'Acme', fromAddress: 'help@acme.test', replyTo: null, subject: 'S', status: 'sending', attempts: 1, nextAttemptAt: new Date(),
    lastError: null, emlPath: null, createdAt: new Date('2026-11-21T14:05:00Z'), sentAt: null, html: '<p>h</p>', text: 't', attachments: [], autoSubmitted: true, ...o,
  });
  it('keeps the stored Message-ID and Date, marks automatic emails', () => {
    const m = toMessage(row(), null);
    expect(m.messageId).to.equal('<id@acme.test>');
    expect(m.date).to.deep.equal(new Date('2026-11-21T14:05:00Z'));
    expect(m.headers).to.deep.equal({ 'Auto-Submitted': 'auto-generated' });
    expect(m.from).to.deep.equal({ name: 'Acme', address: 'help@acme.test' });
    expect(m.replyTo).to.equal(undefined);
    expect(m.to).to.deep.equal({ name: 'Jane', address: 'jane@example.com' });
  });
  it('a forced From moves the profile address to Reply-To; an explicit Reply-To stays', () => {
    expect(toMessage(row(), 'mailer@acme.test')).to.deep.include({ from: { name: 'Acme', address: 'mailer@acme.test' }, replyTo: 'help@acme.test' });
    expect(toMessage(row({ replyTo: 'jane@example.com' }), 'mailer@acme.test').replyTo).to.equal('jane@example.com');
  });
  it('a person\'s reply is not marked automatic', () => expect(toMessage(row({ autoSubmitted: false }), null).headers).to.deep.equal({}));
});

describe('mail: settings', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'switchboard-mail-config-')); writeFileSync(join(dir, 'empty.json'), '{}'); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  /** Only these env vars and an empty config file. */
  const base = (env: Record<string, string>) => loadConfig({ SWITCHBOARD_CONFIG: join(dir, 'empty.json'), ...env });
  it('defaults: no SMTP, quota 500, retries 10 s doubling to 15 min, give up after 5 days, claims lease 2 min', () => {
    const c = base({});
    expect([c.smtpUrl, c.smtpFrom, c.mailQuota, c.mailRetryBaseSeconds, c.mailRetryMaxSeconds, c.mailGiveUpHours, c.mailLeaseSeconds]).to.deep.equal(['', '', 500, 10, 900, 120, 120]);
    expect(base({ MAIL_LEASE_SECONDS: '30' }).mailLeaseSeconds).to.equal(30);
  });
  it('reads SMTP_URL, SMTP_FROM, MAIL_QUOTA', () => {
    const c = base({ SMTP_URL: 'smtps://u:p@mail.example.com:465', SMTP_FROM: 'me@example.com', MAIL_QUOTA: '20' });
    expect([c.smtpUrl, c.smtpFrom, c.mailQuota]).to.deep.equal(['smtps://u:p@mail.example.com:465', 'me@example.com', 20]);
  });
  const bad: Array<[Record<string, string>, string]> = [
    [{ SMTP_URL: 'http://mail.example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'mail.example.com:25' }, 'SMTP_URL'],
    [{ SMTP_FROM: 'Me <me@example.com>' }, 'SMTP_FROM'],
    [{ MAIL_QUOTA: '0' }, 'MAIL_QUOTA'],
    [{ MAIL_QUOTA: 'lots' }, 'MAIL_QUOTA'],
    [{ MAIL_RETRY_BASE_SECONDS: '60', MAIL_RETRY_MAX_SECONDS: '30' }, 'MAIL_RETRY_MAX_SECONDS'],
  ];
  for (const [env, name] of bad) {
    it(`${JSON.stringify(env)} stops start-up naming ${name}`, () => {
      expect(() => base(env)).to.throw(ConfigError, name);
    });
  }
  it('never prints the SMTP password in an error', () => {
    expect(() => base({ SMTP_URL: 'ftp://user:s3cret@host' })).to.throw(ConfigError).that.satisfies((e: Error) => !e.message.includes('s3cret'));
  });
});
