// Every email of issue 7 produced by its real flow (HTTP API, XMPP agents) and
// delivered to a real SMTP server in this process, set through the admin API
// (PUT /api/v1/settings/smtp): recipients, From/Reply-To from the room's
// public profile falling back to the company's, HTML and text of each.
import { expect } from 'chai';
import { groupchat, joinPresence, isInvite, isSelfPresence } from '../support/xmpp.js';
import { roomBody } from '../support/commands.js';
import { apiClient, bootstrapPassword, signIn, type Api } from '../support/api.js';
import { TestSmtp, type Received } from '../support/smtp.js';
import { customer, onlineAgent, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';

describe('mail: each flow\'s email through the SMTP server set in the admin API', function () {
  this.timeout(120_000);
  let smtp: TestSmtp, stack: Stack, api: Api, admin = '';

  /** The one message delivered to `address` whose subject matches (waits for it). */
  async function one(address: string, subject: RegExp): Promise<Received> {
    const mine = () => smtp.to(address).filter((r) => subject.test(r.mail.subject));
    await waitUntil(() => mine().length > 0, 20_000, `an email to ${address} (${subject})`);
    expect(mine(), `emails to ${address} matching ${subject}`).to.have.length(1);
    expect(mine()[0]!.to, 'one recipient per email').to.deep.equal([address]);
    return mine()[0]!;
  }

  before(async () => {
    smtp = await TestSmtp.start();
    stack = await startStack(); // no SMTP_URL: without the admin API's settings mail would go to .eml files
    api = apiClient(stack);
    admin = await signIn(api, `admin@${stack.cfg.xmppDomain}`, bootstrapPassword(stack));
    const ok = async (r: Promise<{ status: number; body: unknown }>, want = 200) => { const x = await r; expect(x.status, JSON.stringify(x.body)).to.equal(want); return x; };
    await ok(api('PUT', '/api/v1/settings/smtp', { token: admin, body: { host: '127.0.0.1', port: smtp.port, secure: false } }));
    await ok(api('PUT', '/api/v1/settings/company', { token: admin, body: { name: 'Acme Inc', contactEmail: 'help@acme.example' } }));
    for (const [name, email, role, emailAlerts] of [
      ['Olga Offline', 'olga@acme.example', 'normal', false], ['Abe Alert', 'abe@acme.example', 'normal', true],
      ['Ada Admin', 'ada@acme.example', 'administrator', false], ['Rita Replier', 'rita@acme.example', 'normal', false],
    ] as const) await ok(api('POST', '/api/v1/agents', { token: admin, body: { name, email, role, emailAlerts, password: 'agent-password-1' } }), 201);
    const olga = (await api('GET', '/api/v1/agents?q=olga', { token: admin })).body.items[0].id;
    await ok(api('PUT', '/api/v1/offline-recipients', { token: admin, body: { agentIds: [olga] } }));
    // The room names itself but leaves its contact email empty: the company's is used.
    await ok(api('PATCH', '/api/v1/rooms/general', { token: admin, body: {
      offline: { forwardAddress: 'inbox@acme.example' }, interactions: { leaveEmail: true, addAlert: true },
      publicProfile: { companyName: 'Acme Care', contactEmail: null },
      form: { fields: [
        { id: 'name', type: 'text', label: 'Your name', order: 1, hidden: false, mandatory: true },
        { id: 'email', type: 'email', label: 'Email', order: 2, hidden: false, mandatory: false },
        { id: 'message', type: 'textarea', label: 'How can we help?', order: 3, hidden: false, mandatory: true },
        { id: 'order', type: 'text', label: 'Order number', order: 4, hidden: false, mandatory: false },
        { id: 'files', type: 'attachment', label: 'Files', order: 5, hidden: false, mandatory: false },
      ] },
    } }));
  });
  after(async () => { await stack?.stop(); await smtp?.stop(); });

  let noteId = '';

  it('a note: the offline message to the chosen operator and the forward address (fields, files, Reply-To the customer) and the confirmation to the customer', async () => {
    const r = await api('POST', '/api/v1/rooms/general/notes', { body: {
      name: 'Lee <i>Lane</i>', email: 'lee@example.com', message: 'Please call me back.\nAbout invoice & delivery.', order: 'A-77',
      files: [{ url: 'https://files.example.com/u/scan.pdf?a=1&b=2', name: 'scan.pdf', type: 'application/pdf', size: 1234 }],
    } });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    noteId = r.body.id;
    for (const to of ['olga@acme.example', 'inbox@acme.example']) {
      const { mail: e } = await one(to, /^Offline message from/);
      expect(e.subject).to.equal('Offline message from Lee <i>Lane</i> (General)');
      expect(e.from).to.equal('Acme Care <help@acme.example>');
      expect(e.replyTo).to.equal('lee@example.com');
      expect(e.text).to.include('Please call me back.\nAbout invoice & delivery.').and.include('Order number: A-77').and.include('Files: scan.pdf');
      expect(e.text).to.include('- scan.pdf: https://files.example.com/u/scan.pdf?a=1&b=2').and.not.include('[object Object]');
      expect(e.text).to.include(`${stack.cfg.publicUrl}/api/v1/conversations/${noteId}`);
      expect(e.html).to.include('Lee &lt;i&gt;Lane&lt;/i&gt;').and.not.include('<i>Lane</i>');
      expect(e.html).to.include('About invoice &amp; delivery.').and.include('A-77').and.include('Order number');
      expect(e.html).to.include('href="https://files.example.com/u/scan.pdf?a=1&amp;b=2"').and.not.include('[object Object]');
    }
    const { mail: c } = await one('lee@example.com', /^We received your message/);
    expect(c.subject).to.equal('We received your message — Acme Care');
    expect(c.from).to.equal('Acme Care <help@acme.example>');
    expect(c.text).to.include('Please call me back.').and.include('Order number: A-77').and.include('Sent by Acme Care. Questions? Write to help@acme.example.');
    expect(c.html).to.include('Please call me back.').and.include('A-77');
  });

  it('an agent\'s answer to the note, to the customer, quoting it', async () => {
    const rita = await signIn(api, 'rita@acme.example', 'agent-password-1');
    expect((await api('POST', `/api/v1/conversations/${noteId}/replies`, { token: rita, body: { text: 'Hello Lee,\nwe call you at 3 pm.' } })).status).to.equal(201);
    const { mail: e } = await one('lee@example.com', /^Re: your message/);
    expect(e.subject).to.equal('Re: your message to Acme Care');
    expect(e.from).to.equal('Acme Care <help@acme.example>');
    expect(e.headers.has('auto-submitted')).to.equal(false);
    expect(e.text).to.include('Hello Lee,\nwe call you at 3 pm.').and.include('> Please call me back.');
    expect(e.text).to.match(/\n— Rita[^\n]*, Acme Care\n/);
    expect(e.html).to.include('we call you at 3 pm.').and.include('Please call me back.');
  });

  it('Add Alert: the opted-in agent hears a customer waits; the customer hears an agent is available', async () => {
    const c = await customer(stack, { name: 'Wendy Wait', email: 'wendy@example.com', message: 'anyone there?' });
    expect((await api('POST', `/api/v1/conversations/${c.id}/alert`, { token: c.customerToken, body: {} })).status).to.equal(201);
    const { mail: a } = await one('abe@acme.example', /is waiting for an agent/);
    expect(a.subject).to.equal('Wendy Wait is waiting for an agent in General');
    expect(a.text).to.include('Wendy Wait has been waiting in General').and.include('Set yourself Available');
    expect(a.html).to.include('A customer is waiting').and.include('Wendy Wait');
    expect(smtp.to('olga@acme.example').filter((r) => /waiting/.test(r.mail.subject))).to.have.length(0);

    const agent = await onlineAgent(stack, 'Freed');
    await untilAvailable(stack, agent.jid);
    const { mail: w } = await one('wendy@example.com', /^An agent is available now/);
    expect(w.subject).to.equal('An agent is available now — Acme Care');
    expect(w.text).to.include('an agent of Acme Care is available now').and.include(`Return to the chat: ${stack.cfg.publicUrl}/c/general`);
    expect(w.html).to.include(`href="${stack.cfg.publicUrl}/c/general"`).and.include('An agent is available now');
    await agent.client.stop();
    expect((await api('POST', `/api/v1/conversations/${c.id}/end`, { token: c.customerToken })).status).to.be.oneOf([200, 204]);
  });

  it('Add Alert while every available agent is busy: the customer hears it when one closes a chat', async () => {
    const agent = await onlineAgent(stack, 'Bo', { maxChats: 1 });
    await untilAvailable(stack, agent.jid);
    const first = await customer(stack, { name: 'Fay First', email: 'fay@example.com', message: 'first' });
    await agent.client.waitFor(isInvite(first.roomJid), 10_000, 'offer');
    await agent.client.send(joinPresence(first.roomJid, agent.nick, first.password));
    await agent.client.waitFor(isSelfPresence(first.roomJid), 10_000, 'agent joined');
    const second = await customer(stack, { name: 'Sid Second', email: 'sid@example.com', message: 'second' });
    expect((await api('POST', `/api/v1/conversations/${second.id}/alert`, { token: second.customerToken, body: {} })).status).to.equal(201);
    await one('abe@acme.example', /^Sid Second is waiting/);
    expect(smtp.to('sid@example.com'), 'Bo is available but busy: no alert yet').to.have.length(0);
    await agent.client.send(groupchat(first.roomJid, '!close'));
    const { mail: w } = await one('sid@example.com', /^An agent is available now/);
    expect(w.text).to.include('Hello Sid Second,').and.include(`Return to the chat: ${stack.cfg.publicUrl}/c/general`);
    await agent.client.stop();
  });

  it('the transcript a customer asks for after a chat where the agent wrote a private note (!p): the note is in no part of the email', async () => {
    const agent = await onlineAgent(stack, 'Tina');
    await untilAvailable(stack, agent.jid);
    const cust = await customer(stack, { name: 'Tom Trans', email: 'tom@example.com', message: 'my question' });
    await agent.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer');
    await agent.client.send(joinPresence(cust.roomJid, agent.nick, cust.password));
    await agent.client.waitFor(isSelfPresence(cust.roomJid), 10_000, 'agent joined');
    await agent.client.send(groupchat(cust.roomJid, '!p SECRET-NOTE customer seems upset'));
    await roomBody(cust.roomJid, agent.client, '[private] SECRET-NOTE');
    await agent.client.send(groupchat(cust.roomJid, 'the public answer'));
    await roomBody(cust.roomJid, cust.client, 'the public answer');
    await waitUntil(async () => (await stack.sb.db.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND body = $2', [cust.id, 'the public answer'])).rows[0].n === 1, 10_000, 'answer stored');
    expect((await stack.sb.db.query('SELECT private FROM messages WHERE conversation_id = $1 AND body LIKE $2', [cust.id, '%SECRET-NOTE%'])).rows).to.deep.equal([{ private: true }]);

    expect((await api('POST', `/api/v1/conversations/${cust.id}/transcript`, { token: cust.customerToken, body: {} })).status).to.equal(202);
    const { mail: e, raw } = await one('tom@example.com', /^Transcript of your conversation/);
    expect(e.subject).to.equal('Transcript of your conversation with Acme Care');
    expect(e.text).to.include('my question').and.include('the public answer');
    expect(e.html).to.include('my question').and.include('the public answer');
    expect(e.text.indexOf('my question')).to.be.lessThan(e.text.indexOf('the public answer'));
    for (const s of [raw, e.text, e.html]) expect(s).not.to.include('SECRET-NOTE').and.not.include('seems upset');
    await agent.client.stop();
  });

  it('an operator edits their private profile: the administrators are told (field names, never values), the operator is not', async () => {
    const rita = await signIn(api, 'rita@acme.example', 'agent-password-1');
    expect((await api('PATCH', '/api/v1/me', { token: rita, body: { nickname: 'Riri', password: 'brand-new-secret-9', currentPassword: 'agent-password-1' } })).status).to.equal(200);
    const { mail: e, raw } = await one('ada@acme.example', /^Profile of Rita Replier edited/);
    expect(e.from).to.equal('Acme Inc <help@acme.example>');
    expect(e.text).to.include('Changed: nickname, password').and.include('Agent: Rita Replier (');
    expect(e.html).to.include('nickname, password').and.include('Rita Replier');
    expect(raw).not.to.include('brand-new-secret-9');
    expect(smtp.to('rita@acme.example')).to.have.length(0);
    // The bootstrap administrator has no email address: only Ada is told.
    const admins = new Set(smtp.received.filter((r) => /^Profile of/.test(r.mail.subject)).flatMap((r) => r.to));
    expect([...admins]).to.deep.equal(['ada@acme.example']);
  });

  it('every email went through the SMTP server and is recorded sent once', async () => {
    await waitUntil(async () => (await stack.sb.mail.outbox({ status: 'sent', limit: 500 })).total === smtp.received.length, 20_000, 'all recorded sent');
    const all = (await stack.sb.mail.outbox({ limit: 500 })).items;
    expect(all.every((m) => m.status === 'sent' && m.attempts === 1 && m.emlPath === null), JSON.stringify(all.map((m) => [m.template, m.status, m.attempts]))).to.equal(true);
    expect(new Set(smtp.received.map((r) => r.mail.messageId)).size).to.equal(smtp.received.length);
    expect(new Set(all.map((m) => m.template))).to.deep.equal(new Set(['offline-message', 'offline-confirmation', 'note-reply', 'agent-available', 'transcript', 'profile-edited']));
  });
});

describe('mail: the quota through the admin API', function () {
  this.timeout(120_000);
  let smtp: TestSmtp, stack: Stack, api: Api, admin = '';
  before(async () => {
    smtp = await TestSmtp.start();
    stack = await startStack({ smtpUrl: smtp.url, mailQuota: 2 });
    api = apiClient(stack);
    admin = await signIn(api, `admin@${stack.cfg.xmppDomain}`, bootstrapPassword(stack));
    expect((await api('PATCH', '/api/v1/rooms/general', { token: admin, body: { interactions: { leaveEmail: true, addAlert: false } } })).status).to.equal(200);
  });
  after(async () => { await stack?.stop(); await smtp?.stop(); });

  it('past the quota a note\'s emails are not sent; usage and the outbox say why', async () => {
    // No offline recipient: each note emails its customer only.
    for (const who of ['q1', 'q2', 'q3']) {
      expect((await api('POST', '/api/v1/rooms/general/notes', { body: { name: who, email: `${who}@example.com`, message: 'hello' } })).status).to.equal(201);
    }
    await waitUntil(async () => (await stack.sb.mail.outbox({ status: 'sent' })).total === 2, 20_000, 'two sent');
    const usage = (await api('GET', '/api/v1/billing/usage', { token: admin })).body.emails;
    expect(usage).to.deep.include({ quota: 2, sent: 2, pending: 0, remaining: 0, refused: 1 });
    expect(usage.reason).to.include('quota of 2').and.include('MAIL_QUOTA');
    const refused = await api('GET', '/api/v1/emails?status=refused_quota', { token: admin });
    expect(refused.status).to.equal(200);
    expect(refused.body.items.map((e: { recipient: string; lastError: string }) => [e.recipient, e.lastError])).to.deep.equal([['q3@example.com', 'quota of 2 emails reached']]);
    expect(await stack.sb.mail.drain()).to.equal(0);
    expect(smtp.received.map((r) => r.to[0]).sort()).to.deep.equal(['q1@example.com', 'q2@example.com']);
    // The note itself is kept for an agent to answer.
    expect((await api('GET', '/api/v1/conversations?channel=note', { token: admin })).body.total).to.equal(3);
  });
});
