// The core loop on real Prosody + PostgreSQL: customer over /xmpp-websocket,
// agents as XMPP clients, offers, first join wins, messages, typing, close.
import { expect } from 'chai';
import { customer, onlineAgent, startStack, untilAvailable, type Stack } from '../support/stack.js';
import { errorCondition, errorText, groupchat, isBody, isInvite, isPresenceError, isSelfPresence, joinPresence, NS_CHATSTATES, NS_MUC_USER, xml } from '../support/xmpp.js';

describe('chat loop (Prosody + PostgreSQL)', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  it('prints the bootstrap administrator credentials once', () => {
    expect(stack.printed.join('\n')).to.match(/admin@localhost[\s\S]*Password: \S{16}/);
  });

  it('offers to every available agent, the first join wins, the second is refused, messages and typing flow, close ends it', async () => {
    const alice = await onlineAgent(stack, 'Alice');
    const bob = await onlineAgent(stack, 'Bob');
    await untilAvailable(stack, alice.jid);
    await untilAvailable(stack, bob.jid);

    const cust = await customer(stack);
    const inviteA = await alice.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer to Alice');
    const inviteB = await bob.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer to Bob');
    for (const inv of [inviteA, inviteB]) {
      const body = inv.getChildText('body') ?? '';
      expect(body).to.include('Jane Doe').and.include('General').and.include('Hello, I need help').and.include('decline');
      expect(inv.getChild('x', 'jabber:x:conference')?.attrs.jid).to.equal(cust.roomJid);
      expect(inv.getChild('x', NS_MUC_USER)?.getChildText('password')).to.equal(cust.password);
      // Clients that show only the reason (Profanity) still get who, where, what and how.
      const reason = inv.getChild('x', NS_MUC_USER)?.getChild('invite')?.getChildText('reason') ?? '';
      expect(reason).to.include('jane@example.com').and.include('Hello, I need help').and.include('decline').and.include('30 s');
      expect(inv.getChild('x', 'jabber:x:conference')?.attrs.reason).to.equal(reason);
    }

    await alice.client.send(joinPresence(cust.roomJid, 'Alice', cust.password));
    await alice.client.waitFor(isSelfPresence(cust.roomJid), 10_000, 'Alice joined');
    // The form's first message is in the history the agent gets on join.
    await alice.client.waitFor((el) => isBody(`${cust.roomJid}/Jane Doe`, 'Hello, I need help')(el) && !!el.getChild('delay', 'urn:xmpp:delay'));
    const withdrawn = await bob.client.waitFor(isBody(stack.cfg.deskDomain), 10_000, 'withdrawal notice to Bob');
    expect(withdrawn.getChildText('body')).to.include('taken by Alice');
    await alice.client.send(xml('message', { to: stack.cfg.deskDomain, type: 'chat' }, xml('body', {}, 'status')));
    const status = await alice.client.waitFor(isBody(stack.cfg.deskDomain), 10_000, 'desk status');
    expect(status.getChildText('body')).to.include('Chats: 1 of 3').and.include(cust.roomJid).and.include('Jane Doe');

    await bob.client.send(joinPresence(cust.roomJid, 'Bob', cust.password));
    const refused = await bob.client.waitFor(isPresenceError(cust.roomJid), 10_000, 'late join refused');
    expect(errorCondition(refused)).to.equal('registration-required');
    expect(errorText(refused)).to.include('Alice');

    // The customer sees the agent arrive.
    await cust.client.waitFor((el) => el.is('presence') && el.attrs.from === `${cust.roomJid}/Alice` && el.attrs.type === undefined);

    // Messages both ways, in order, each with a stanza-id from the room.
    for (let i = 1; i <= 5; i++) await cust.client.send(groupchat(cust.roomJid, `customer ${i}`));
    for (let i = 1; i <= 5; i++) {
      const m = await alice.client.waitFor(isBody(`${cust.roomJid}/Jane Doe`, `customer ${i}`));
      expect(m.getChild('stanza-id', 'urn:xmpp:sid:0')?.attrs.by).to.equal(cust.roomJid);
    }
    await alice.client.send(groupchat(cust.roomJid, 'Hi Jane, how can I help?'));
    await cust.client.waitFor(isBody(`${cust.roomJid}/Alice`, 'Hi Jane, how can I help?'));

    // Typing indicators both ways (XEP-0085).
    const typing = (from: string) => (el: import('../support/xmpp.js').Element) => el.is('message') && el.attrs.from === from && !!el.getChild('composing', NS_CHATSTATES);
    await cust.client.send(xml('message', { to: cust.roomJid, type: 'groupchat' }, xml('composing', { xmlns: NS_CHATSTATES })));
    await alice.client.waitFor(typing(`${cust.roomJid}/Jane Doe`), 10_000, 'customer typing');
    await alice.client.send(xml('message', { to: cust.roomJid, type: 'groupchat' }, xml('composing', { xmlns: NS_CHATSTATES })));
    await cust.client.waitFor(typing(`${cust.roomJid}/Alice`), 10_000, 'agent typing');

    // /close is a command: the customer never sees it; the room is destroyed.
    await alice.client.send(groupchat(cust.roomJid, '/close'));
    const destroyed = await cust.client.waitFor((el) => el.is('presence') && el.attrs.type === 'unavailable' && !!el.getChild('x', NS_MUC_USER)?.getChild('destroy'));
    expect(destroyed.getChild('x', NS_MUC_USER)?.getChild('destroy')?.getChildText('reason')).to.include('closed');
    expect(cust.client.stanzas.some((el) => el.getChildText('body') === '/close')).to.equal(false);

    const conv = (await stack.sb.db.query('SELECT status, closed_at, accepted_at, disposition, closed_by FROM conversations WHERE id = $1', [cust.id])).rows[0];
    expect(conv.status).to.equal('closed');
    expect(conv.closed_at).to.be.instanceOf(Date);
    expect(conv.accepted_at).to.be.instanceOf(Date);
    expect(conv.disposition).to.equal('served');
    expect(conv.closed_by).to.equal(alice.jid);
    const bodies = (await stack.sb.db.query('SELECT sender_kind, body FROM messages WHERE conversation_id = $1 ORDER BY seq', [cust.id])).rows;
    expect(bodies.filter((m) => m.sender_kind === 'customer').map((m) => m.body)).to.deep.equal(['Hello, I need help', 'customer 1', 'customer 2', 'customer 3', 'customer 4', 'customer 5']);
    expect(bodies.some((m) => m.body === 'Hi Jane, how can I help?')).to.equal(true);
    expect(bodies.some((m) => m.body === '/close')).to.equal(false);

    // The closed room no longer admits the guest.
    await cust.client.send(joinPresence(cust.roomJid, 'Jane Doe', cust.password));
    const gone = await cust.client.waitFor(isPresenceError(cust.roomJid));
    expect(errorCondition(gone)).to.equal('gone');
    await Promise.all([alice.client.stop(), bob.client.stop(), cust.client.stop()]);
  });
});

describe('chat loop with a slixmpp agent (python3-slixmpp, a second XMPP stack)', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  it('the slixmpp agent wins the chat, the @xmpp/client agent is refused, messages/typing/close work', async () => {
    const { SlixAgent } = await import('../clients/slix.js');
    const { agent } = await stack.sb.agents.create({ name: 'Sam Slix', jid: `sam${process.pid}@${stack.cfg.xmppDomain}`, password: 'slix-password' });
    const sam = await SlixAgent.start({ jid: agent.jid, password: 'slix-password', host: '127.0.0.1', port: stack.cfg.xmppC2sPort, mech: 'PLAIN' });
    try {
      const other = await onlineAgent(stack, 'Xena');
      await untilAvailable(stack, agent.jid);
      await untilAvailable(stack, other.jid);
      const cust = await customer(stack, { name: 'Quinn', email: 'quinn@example.com', message: 'Is my order shipped?' });

      const inv = await sam.waitFor((e) => e.event === 'invite' && e.room === cust.roomJid, 10_000);
      expect(String(inv.body)).to.include('Quinn').and.include('Is my order shipped?');
      await other.client.waitFor(isInvite(cust.roomJid));

      await sam.command({ cmd: 'join', room: cust.roomJid, nick: 'Sam', password: inv.password });
      await sam.waitFor((e) => e.event === 'joined' && e.room === cust.roomJid, 10_000);
      await other.client.send(joinPresence(cust.roomJid, 'Xena', cust.password));
      expect(errorCondition(await other.client.waitFor(isPresenceError(cust.roomJid)))).to.equal('registration-required');

      for (let i = 1; i <= 3; i++) await cust.client.send(groupchat(cust.roomJid, `q${i}`));
      const got: string[] = [];
      for (let i = 1; i <= 3; i++) {
        const e = await sam.waitFor((x) => x.event === 'groupchat' && x.room === cust.roomJid && x.nick === 'Quinn' && !x.delayed, 10_000);
        got.push(String(e.body));
        expect(e.stanzaId).to.be.a('string');
      }
      expect(got).to.deep.equal(['q1', 'q2', 'q3']);
      await sam.command({ cmd: 'chatstate', room: cust.roomJid, state: 'composing' });
      await cust.client.waitFor((el) => el.attrs.from === `${cust.roomJid}/Sam` && !!el.getChild('composing', NS_CHATSTATES));
      await sam.command({ cmd: 'say', room: cust.roomJid, body: 'Yes, it left this morning.' });
      await cust.client.waitFor(isBody(`${cust.roomJid}/Sam`, 'Yes, it left this morning.'));
      await cust.client.send(xml('message', { to: cust.roomJid, type: 'groupchat' }, xml('composing', { xmlns: NS_CHATSTATES })));
      await sam.waitFor((e) => e.event === 'chatstate' && e.nick === 'Quinn' && e.state === 'composing', 10_000);

      await sam.command({ cmd: 'say', room: cust.roomJid, body: '!close' });
      await sam.waitFor((e) => e.event === 'presence' && e.room === cust.roomJid && e.type === 'unavailable' && typeof e.destroy === 'string', 10_000);
      await cust.client.waitFor((el) => el.is('presence') && !!el.getChild('x', NS_MUC_USER)?.getChild('destroy'));
      const rows = (await stack.sb.db.query('SELECT sender_kind, body FROM messages WHERE conversation_id = $1 ORDER BY seq', [cust.id])).rows;
      expect(rows.filter((r) => r.sender_kind !== 'system').map((r) => r.body)).to.deep.equal(['Is my order shipped?', 'q1', 'q2', 'q3', 'Yes, it left this morning.']);
      expect((await stack.sb.db.query('SELECT status FROM conversations WHERE id = $1', [cust.id])).rows[0].status).to.equal('closed');
    } finally {
      await sam.stop();
    }
  });
});
