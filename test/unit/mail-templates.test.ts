// Templates: each renders HTML and text from its data; user data is escaped;
// bad data is refused naming the field; the fill step is single-pass.
import { expect } from 'chai';
import fc from 'fast-check';
import { AppError } from '../../src/core/errors.js';
import { compileTemplates, renderEmail, type CompiledTemplates } from '../../src/mail/render.js';
import { compileMjml, escapeHtml, fill, formatWhen, Raw } from '../../src/mail/templates/engine.js';
import { TEMPLATE_NAMES, type MailTemplates, type TemplateName } from '../../src/mail/templates/index.js';

const profile = { room: { companyName: 'Acme Support', contactEmail: 'support@acme.test' } };
const fallback = { companyName: 'Switchboard', address: 'no-reply@localhost' };

const samples: { [K in TemplateName]: MailTemplates[K] } = {
  'offline-message': { profile, room: { name: 'Sales' }, customer: { name: 'Jane', email: 'jane@example.com' }, message: 'Call me back', fields: [{ label: 'Phone', value: '123' }] },
  'offline-confirmation': { profile, customer: { name: 'Jane' }, message: 'Call me back' },
  'note-reply': { profile, customer: { name: 'Jane' }, agent: { name: 'Alice' }, reply: 'Done.' },
  'agent-available': { profile, audience: 'customer', room: { name: 'Sales' }, customer: { name: 'Jane' }, chatUrl: 'https://chat.acme.test/c/sales' },
  transcript: { profile, customer: { name: 'Jane' }, room: { name: 'Sales' }, startedAt: '2026-11-21T14:00:00Z', closedAt: null, messages: [{ at: '2026-11-21T14:01:00Z', from: 'Jane', kind: 'customer', body: 'Hi' }] },
  'profile-edited': { profile, agent: { name: 'Noe', jid: 'noe@localhost' }, editedBy: { name: 'Ada' }, changed: ['email'], at: '2026-11-21T15:00:00Z' },
};

describe('mail: templates', () => {
  let all: CompiledTemplates;
  before(async () => { all = await compileTemplates(); });
  const render = <T extends TemplateName>(name: T, data: MailTemplates[T]) => renderEmail(all, name, data, { fallback });

  it('compiles every template once per process', async () => {
    expect(await compileTemplates()).to.equal(all);
    expect([...all.keys()].sort()).to.deep.equal([...TEMPLATE_NAMES].sort());
  });

  for (const name of TEMPLATE_NAMES) {
    it(`${name}: HTML and text, sender from the room profile, the footer, no placeholder left`, () => {
      const r = render(name, samples[name] as never);
      expect(r.sender).to.deep.equal({ companyName: 'Acme Support', contactEmail: 'support@acme.test' });
      expect(r.html).to.match(/^<!doctype html>/i);
      expect(r.html).to.include(`<title>${escapeHtml(r.subject)}</title>`);
      expect(r.html).to.include('Sent by Acme Support. Questions? Write to support@acme.test.');
      expect(r.text).to.match(/\n\n-- \nSent by Acme Support\. Questions\? Write to support@acme\.test\.\n$/);
      expect(r.html).not.to.match(/\{\{\w+\}\}/);
      expect(r.subject).not.to.match(/[\r\n]/);
    });
  }

  it('escapes user data in the HTML and keeps it verbatim in the text (property)', () => {
    const name = fc.string({ minLength: 1, maxLength: 60, unit: fc.constantFrom('a', ' ', '<', '>', '&', '"', "'", '{', '}', 'é', '/', 's', 'c', 'r', 'i', 'p', 't') }).filter((s) => /\S/.test(s));
    fc.assert(fc.property(name, (n) => {
      const r = render('offline-confirmation', { ...samples['offline-confirmation'], customer: { name: n } });
      expect(r.html).to.include(`Hello ${escapeHtml(n)},`);
      expect(r.text).to.include(`Hello ${n},`);
    }), { numRuns: 200 });
  });

  it('a value that looks like a placeholder is not substituted again', () => {
    const r = render('offline-confirmation', { ...samples['offline-confirmation'], customer: { name: '{{message}}' } });
    expect(r.html).to.include('Hello {{message}},');
  });

  it('the offline message replies to the customer; the others to the sender', () => {
    expect(render('offline-message', samples['offline-message']).replyTo).to.equal('jane@example.com');
    expect(render('offline-message', { ...samples['offline-message'], customer: { name: 'Jane', email: null } }).replyTo).to.equal(null);
    expect(render('transcript', samples.transcript).replyTo).to.equal(null);
  });

  it('only the agent\'s reply is not automatic', () => {
    expect(TEMPLATE_NAMES.filter((n) => !render(n, samples[n] as never).autoSubmitted)).to.deep.equal(['note-reply']);
  });

  const bad: Array<[string, TemplateName, object, string]> = [
    ['missing profile', 'offline-confirmation', { profile: undefined }, 'data.profile'],
    ['blank customer name', 'offline-confirmation', { customer: { name: '   ' } }, 'data.customer.name'],
    ['unknown field', 'offline-confirmation', { colour: 'red' }, 'data.colour'],
    ['message too long', 'offline-confirmation', { message: 'x'.repeat(10_001) }, 'data.message'],
    ['field value not text', 'offline-confirmation', { fields: [{ label: 'A', value: 3 }] }, 'data.fields[0].value'],
    ['attachment with url and path', 'offline-message', { attachments: [{ filename: 'a', url: 'https://x.test/a', path: '/tmp/a' }] }, 'data.attachments[0]'],
    ['attachment with neither', 'offline-message', { attachments: [{ filename: 'a' }] }, 'data.attachments[0]'],
    ['relative attachment path', 'offline-message', { attachments: [{ filename: 'a', path: 'a.txt' }] }, 'data.attachments[0].path'],
    ['customer audience without chatUrl', 'agent-available', { chatUrl: undefined }, 'data.chatUrl'],
    ['unknown audience', 'agent-available', { audience: 'boss' }, 'data.audience'],
    ['bad date', 'transcript', { startedAt: 'yesterday' }, 'data.startedAt'],
    ['message kind', 'transcript', { messages: [{ at: '2026-11-21T14:01:00Z', from: 'J', kind: 'bot', body: 'x' }] }, 'data.messages[0].kind'],
    ['a private flag on a message', 'transcript', { messages: [{ at: '2026-11-21T14:01:00Z', from: 'J', kind: 'agent', body: 'x', private: false }] }, 'data.messages[0].private'],
    ['changed not a list', 'profile-edited', { changed: 'email' }, 'data.changed'],
    ['data not an object', 'offline-confirmation', null as never, 'data'],
  ];
  for (const [what, name, patch, field] of bad) {
    it(`${name}: ${what} → invalid naming ${field}`, () => {
      const data = patch === null ? null : { ...samples[name], ...patch };
      let err: unknown;
      try { render(name, data as never); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).code).to.equal('invalid');
      expect((err as AppError).field).to.equal(field);
    });
  }
});

describe('mail: template engine', () => {
  it('escapeHtml', () => expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'));

  it('fill: strings escaped, Raw as is, a missing or stray variable is an error', async () => {
    const c = await compileMjml('t', '<mjml><mj-body><mj-section><mj-column><mj-text>{{a}}|{{b}}</mj-text></mj-column></mj-section></mj-body></mjml>');
    expect(fill(c, { a: '<i>', b: new Raw('<i>ok</i>') })).to.include('&lt;i&gt;|<i>ok</i>');
    expect(() => fill(c, { a: 'x' })).to.throw(/no value for \{\{b\}\}/);
    expect(() => fill(c, { a: 'x', b: 'y', c: 'z' })).to.throw(/variable c has no placeholder/);
  });

  it('a broken MJML template stops compilation naming it', async () => {
    const err = await compileMjml('broken', '<mjml><mj-body><mj-column><mj-text>x</mj-text></mj-column></mj-body></mjml>').catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).message).to.include('mail template broken');
  });

  it('formatWhen', () => {
    expect(formatWhen('2026-11-21T14:05:59.999Z')).to.equal('2026-11-21 14:05 UTC');
    expect(formatWhen('2026-11-21T16:05:00+02:00')).to.equal('2026-11-21 14:05 UTC');
  });
});
