// The offline flows of issue 7 through the HTTP API: a note left when nobody
// can answer (emails to the chosen operators, the room's forward address and
// the customer; a conversation matched to the customer by email), an agent's
// emailed answer (first to answer owns the note), Add Alert, the transcript on
// request (never a private note), and the outbox for administrators.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { insertMessage } from '../../src/db/repos/messages.js';
import { customer, onlineAgent, untilAvailable, waitUntil, type Stack, startStack } from '../support/stack.js';
import { apiClient, bootstrapPassword, signIn, type Api } from '../support/api.js';

describe('offline flows: notes, answers by email, alerts, transcripts', function () {
  this.timeout(60_000);
  let stack: Stack, api: Api, admin = '';
  const outbox = async (template: string) => (await stack.sb.mail.outbox({ template: template as never, limit: 100 })).items;
  const body = async (id: string) => { const e = (await stack.sb.mail.email(id))!; return `${e.subject}\n${e.text}`; };

  before(async () => {
    stack = await startStack();
    api = apiClient(stack);
    admin = await signIn(api, `admin@${stack.cfg.xmppDomain}`, bootstrapPassword(stack));
    for (const [name, email, emailAlerts] of [['Olga Offline', 'olga@example.com', false], ['Abe Alert', 'abe@example.com', true], ['Rita Replier', 'rita@example.com', false]] as const) {
      expect((await api('POST', '/api/v1/agents', { token: admin, body: { name, email, emailAlerts, password: 'agent-password-1' } })).status).to.equal(201);
    }
    const olga = (await api('GET', '/api/v1/agents?q=olga', { token: admin })).body.items[0].id;
    expect((await api('PUT', '/api/v1/offline-recipients', { token: admin, body: { agentIds: [olga] } })).status).to.equal(200);
    expect((await api('PATCH', '/api/v1/rooms/general', { token: admin, body: { offline: { forwardAddress: 'inbox@example.com' }, interactions: { leaveEmail: true, addAlert: true }, publicProfile: { companyName: 'Acme Care', contactEmail: 'care@acme.example' } } })).status).to.equal(200);
  });
  after(async () => { await stack?.stop(); });

  let noteId = '';

  it('a note becomes a conversation for the returning customer and is emailed to the offline recipients, the forward address and the customer', async () => {
    // Lee chatted before with the same email: the note joins Lee's history.
    const earlier = await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Lee Lane', email: 'lee@example.com', message: 'first visit' } });
    const r = await api('POST', '/api/v1/rooms/general/notes', { body: { name: 'Lee Lane', email: 'LEE@example.com', message: 'Please call me back about my invoice.' } });
    expect(r.status).to.equal(201);
    noteId = r.body.id;
    const conv = (await api('GET', `/api/v1/conversations/${noteId}`, { token: admin })).body.conversation;
    expect(conv).to.include({ channel: 'note', status: 'queued' });
    const first = (await api('GET', `/api/v1/conversations/${earlier.body.id}`, { token: admin })).body.conversation;
    expect(conv.customerId).to.equal(first.customerId);
    const lee = (await api('GET', `/api/v1/customers/${conv.customerId}`, { token: admin })).body;
    expect(lee.customer.email).to.equal('lee@example.com');
    expect(lee.conversations.items.map((c: { id: string }) => c.id).sort()).to.deep.equal([earlier.body.id, noteId].sort());
    const notes = await api('GET', '/api/v1/conversations?channel=note', { token: admin });
    expect(notes.status, JSON.stringify(notes.body)).to.equal(200);
    expect(notes.body.items.map((c: { id: string }) => c.id)).to.deep.equal([noteId]);

    const toStaff = (await outbox('offline-message')).filter((m) => m.conversationId === noteId);
    expect(toStaff.map((m) => m.recipient).sort()).to.deep.equal(['inbox@example.com', 'olga@example.com']);
    const text = await body(toStaff[0]!.id);
    expect(text).to.include('Please call me back about my invoice.');
    expect(text).to.include('Lee Lane');
    const confirm = (await outbox('offline-confirmation')).filter((m) => m.conversationId === noteId);
    expect(confirm.map((m) => m.recipient.toLowerCase())).to.deep.equal(['lee@example.com']);
    expect(confirm[0]!.fromName).to.equal('Acme Care');
    expect(await body(confirm[0]!.id)).to.include('Please call me back about my invoice.');
  });

  it('a note needs an email and at most 2,000 characters; a refused note stores nothing', async () => {
    const before = (await stack.sb.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n;
    const long = await api('POST', '/api/v1/rooms/general/notes', { body: { name: 'Max', email: 'max@example.com', message: 'x'.repeat(2001) } });
    expect(long.status).to.equal(400);
    expect(long.body.field).to.equal('message');
    const noEmail = await api('POST', '/api/v1/rooms/general/notes', { body: { name: 'Max', message: 'hello' } });
    expect(noEmail.status).to.equal(400);
    expect(noEmail.body.field).to.equal('email');
    // The form takes it as an address; the outbox could not write to it: refused before the note is stored.
    const unwritable = await api('POST', '/api/v1/rooms/general/notes', { body: { name: 'Max', email: 'max,min@example.com', message: 'hello' } });
    expect([unwritable.status, unwritable.body.field]).to.deep.equal([400, 'email']);
    expect((await stack.sb.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n).to.equal(before);
  });

  it('one operator with an address the outbox refuses does not keep the note from the others', async () => {
    const bad = (await stack.sb.db.query(`INSERT INTO agents (jid, name, nickname, email, role) VALUES ('broken@${stack.cfg.xmppDomain}', 'Bea Broken', 'Bea', 'bea@localhost', 'normal') RETURNING id`)).rows[0].id;
    await stack.sb.db.query('INSERT INTO offline_recipients (agent_id) VALUES ($1)', [bad]);
    try {
      const r = await api('POST', '/api/v1/rooms/general/notes', { body: { name: 'Otto', email: 'otto@example.com', message: 'still delivered?' } });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      // A sender never seen before becomes a new customer, the note their first conversation.
      const conv = (await api('GET', `/api/v1/conversations/${r.body.id}`, { token: admin })).body.conversation;
      const otto = (await api('GET', `/api/v1/customers/${conv.customerId}`, { token: admin })).body;
      expect([otto.customer.name, otto.customer.email, otto.conversations.items.map((c: { id: string }) => c.id)]).to.deep.equal(['Otto', 'otto@example.com', [r.body.id]]);
      const toStaff = (await outbox('offline-message')).filter((m) => m.conversationId === r.body.id);
      expect(toStaff.map((m) => m.recipient).sort()).to.deep.equal(['inbox@example.com', 'olga@example.com']);
      expect((await outbox('offline-confirmation')).filter((m) => m.conversationId === r.body.id).map((m) => m.recipient)).to.deep.equal(['otto@example.com']);
    } finally {
      await stack.sb.db.query('DELETE FROM offline_recipients WHERE agent_id = $1', [bad]);
    }
  });

  it('the first agent to answer a note owns it; the answer is emailed to the customer', async () => {
    const rita = await signIn(api, 'rita@example.com', 'agent-password-1');
    const abe = await signIn(api, 'abe@example.com', 'agent-password-1');
    const r = await api('POST', `/api/v1/conversations/${noteId}/replies`, { token: rita, body: { text: 'Hello Lee, we will call you at 3 pm.' } });
    expect(r.status).to.equal(201);
    const late = await api('POST', `/api/v1/conversations/${noteId}/replies`, { token: abe, body: { text: 'Me too' } });
    expect(late.status).to.equal(409);
    expect((await api('POST', `/api/v1/conversations/${noteId}/replies`, { token: rita, body: { text: 'P.S. bring your invoice number.' } })).status).to.equal(201);
    const replies = (await outbox('note-reply')).filter((m) => m.conversationId === noteId);
    expect(replies.map((m) => m.recipient.toLowerCase())).to.deep.equal(['lee@example.com', 'lee@example.com']);
    const texts = await Promise.all(replies.map((m) => body(m.id)));
    expect(texts.join('\n')).to.include('we will call you at 3 pm').and.to.include('bring your invoice number').and.not.to.include('Me too');
    const conv = (await api('GET', `/api/v1/conversations/${noteId}`, { token: rita })).body;
    expect(conv.conversation.status).to.equal('active');
    expect(conv.messages.filter((m: { senderKind: string }) => m.senderKind === 'agent')).to.have.length(2);
    // A chat is answered in its room, not by email.
    const chat = await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Chat Only', message: 'hi' } });
    expect((await api('POST', `/api/v1/conversations/${chat.body.id}/replies`, { token: rita, body: { text: 'x' } })).status).to.equal(409);
  });

  it('Add Alert: opted-in agents hear of the waiting customer; the customer is emailed once when an agent becomes available', async () => {
    const c = await customer(stack, { name: 'Wendy Wait', email: 'wendy@example.com', message: 'anyone there?' });
    const alert = await api('POST', `/api/v1/conversations/${c.id}/alert`, { token: c.customerToken, body: {} });
    expect(alert.status).to.equal(201);
    expect((await api('POST', `/api/v1/conversations/${c.id}/alert`, { token: c.customerToken, body: {} })).status).to.equal(409);
    const toAgents = (await outbox('agent-available')).filter((m) => m.conversationId === c.id);
    expect(toAgents.map((m) => m.recipient)).to.deep.equal(['abe@example.com']);
    expect(await body(toAgents[0]!.id)).to.include('Wendy Wait');

    const a = await onlineAgent(stack, 'Freed');
    await untilAvailable(stack, a.jid);
    await waitUntil(async () => (await outbox('agent-available')).some((m) => m.conversationId === c.id && m.recipient === 'wendy@example.com'), 10_000, 'customer alert');
    const toCustomer = (await outbox('agent-available')).filter((m) => m.conversationId === c.id && m.recipient === 'wendy@example.com');
    expect(toCustomer).to.have.length(1);
    expect(await body(toCustomer[0]!.id)).to.include(`${stack.cfg.publicUrl}/c/general`);
    // Another agent coming online does not send it again.
    const b = await onlineAgent(stack, 'Second');
    await untilAvailable(stack, b.jid);
    expect((await outbox('agent-available')).filter((m) => m.recipient === 'wendy@example.com')).to.have.length(1);
  });

  it('Add Alert is refused where the room does not offer it, and without the customer token', async () => {
    expect((await api('PATCH', '/api/v1/rooms/general', { token: admin, body: { interactions: { leaveEmail: true, addAlert: false } } })).status).to.equal(200);
    const st = await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Nia', email: 'nia@example.com', message: 'hi' } });
    expect((await api('POST', `/api/v1/conversations/${st.body.id}/alert`, { token: st.body.customerToken, body: {} })).status).to.equal(403);
    expect((await api('POST', `/api/v1/conversations/${st.body.id}/alert`, { body: {} })).status).to.equal(401);
    expect((await api('POST', `/api/v1/conversations/${st.body.id}/alert`, { token: 'wrong', body: {} })).status).to.equal(404);
  });

  it('a room that offers neither the Email button nor "leave an email message" refuses notes, storing nothing', async () => {
    expect((await api('PATCH', '/api/v1/rooms/general', { token: admin, body: { buttons: { email: false }, interactions: { leaveEmail: false, addAlert: false } } })).status).to.equal(200);
    const before = (await stack.sb.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n;
    try {
      const r = await api('POST', '/api/v1/rooms/general/notes', { body: { name: 'Ned', email: 'ned@example.com', message: 'hello' } });
      expect([r.status, r.body.field]).to.deep.equal([403, 'slug']);
      expect((await stack.sb.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n).to.equal(before);
      // The Email button alone is enough.
      expect((await api('PATCH', '/api/v1/rooms/general', { token: admin, body: { buttons: { email: true } } })).status).to.equal(200);
      expect((await api('POST', '/api/v1/rooms/general/notes', { body: { name: 'Ned', email: 'ned@example.com', message: 'hello' } })).status).to.equal(201);
    } finally {
      expect((await api('PATCH', '/api/v1/rooms/general', { token: admin, body: { buttons: { email: false }, interactions: { leaveEmail: true, addAlert: false } } })).status).to.equal(200);
    }
  });

  it('the transcript on request never contains a private note', async () => {
    const st = await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Tom Trans', email: 'tom@example.com', message: 'my question' } });
    const id = st.body.id as string;
    await insertMessage(stack.sb.db, { id: randomUUID(), conversationId: id, senderKind: 'agent', senderNick: 'Rita', senderJid: null, agentId: null, body: 'the public answer', originId: null, private: false });
    await insertMessage(stack.sb.db, { id: randomUUID(), conversationId: id, senderKind: 'agent', senderNick: 'Rita', senderJid: null, agentId: null, body: 'PRIVATE: customer seems upset', originId: null, private: true });
    const r = await api('POST', `/api/v1/conversations/${id}/transcript`, { token: st.body.customerToken, body: {} });
    expect(r.status).to.equal(202);
    const mails = (await outbox('transcript')).filter((m) => m.conversationId === id);
    expect(mails.map((m) => m.recipient)).to.deep.equal(['tom@example.com']);
    const e = (await stack.sb.mail.email(mails[0]!.id))!;
    expect(e.text).to.include('my question').and.to.include('the public answer');
    expect(e.text + e.html).not.to.include('PRIVATE');
    // To another address on request.
    expect((await api('POST', `/api/v1/conversations/${id}/transcript`, { token: st.body.customerToken, body: { email: 'tom.work@example.com' } })).status).to.equal(202);
    expect((await api('POST', `/api/v1/conversations/${id}/transcript`, { token: st.body.customerToken, body: { email: 'not-an-address' } })).body.field).to.equal('email');
  });

  it('administrators read the outbox, with the .eml file of each email when no SMTP server is set', async () => {
    const list = await api('GET', '/api/v1/emails?template=note-reply', { token: admin });
    expect(list.status).to.equal(200);
    expect(list.body.total).to.equal(2);
    const item = list.body.items[0];
    await waitUntil(async () => !!(await stack.sb.mail.email(item.id))?.emlPath, 15_000, '.eml written');
    const one = await api('GET', `/api/v1/emails/${item.id}`, { token: admin });
    expect(one.body.text).to.include('Lee');
    expect(existsSync(one.body.emlPath)).to.equal(true);
    expect(readFileSync(one.body.emlPath, 'utf8')).to.match(/^To: .*lee@example.com/mi);
    const rita = await signIn(api, 'rita@example.com', 'agent-password-1');
    expect((await api('GET', '/api/v1/emails', { token: rita })).status).to.equal(403);
    const usage = await api('GET', '/api/v1/billing/usage', { token: admin });
    expect(usage.body.emails.quota).to.equal(500);
    expect(usage.body.emails.sent + usage.body.emails.pending).to.be.at.least(8);
  });
});
