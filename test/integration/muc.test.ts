// The MUC subset we host (XEP-0045): subject, history on join with limits,
// disco#info of a room, self-ping (XEP-0410), rejoin after a customer's new session.
import { expect } from 'chai';
import { customer, onlineAgent, startStack, untilAvailable, type Stack } from '../support/stack.js';
import { errorCondition, errorText, groupchat, isBody, isInvite, isSelfPresence, joinPresence, NS_MUC, TestClient, xml, type Element } from '../support/xmpp.js';

const isSubject = (room: string) => (el: Element) => el.is('message') && (el.attrs.from ?? '').startsWith(room) && el.getChild('subject') !== undefined && el.getChildText('body') === null;

describe('MUC service features', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  it('subject: sent on join; agents may change it, customers may not', async () => {
    const agent = await onlineAgent(stack, 'Una');
    await untilAvailable(stack, agent.jid);
    const cust = await customer(stack, { name: 'Vic', message: 'subject test' });
    expect((await cust.client.waitFor(isSubject(cust.roomJid))).getChildText('subject')).to.equal('Chat with Vic');
    await agent.client.waitFor(isInvite(cust.roomJid));
    await agent.client.send(joinPresence(cust.roomJid, agent.nick, cust.password));
    await agent.client.waitFor(isSelfPresence(cust.roomJid));
    await agent.client.waitFor(isSubject(cust.roomJid));
    await agent.client.send(xml('message', { to: cust.roomJid, type: 'groupchat' }, xml('subject', {}, 'Order #123')));
    expect((await cust.client.waitFor(isSubject(cust.roomJid))).getChildText('subject')).to.equal('Order #123');
    await cust.client.send(xml('message', { to: cust.roomJid, type: 'groupchat', id: 's1' }, xml('subject', {}, 'Mine now')));
    const err = await cust.client.waitFor((el) => el.attrs.id === 's1' && el.attrs.type === 'error');
    expect(errorCondition(err)).to.equal('forbidden');
    expect(errorText(err)).to.include('Only agents');
  });

  it('history on join honours maxstanzas and since, with delay and stanza-id', async () => {
    const cust = await customer(stack, { name: 'Wes', message: 'first' });
    for (const b of ['two', 'three', 'four']) {
      await cust.client.send(groupchat(cust.roomJid, b));
      await cust.client.waitFor(isBody(`${cust.roomJid}/Wes`, b));
    }
    const again = await TestClient.guest({ url: `ws://127.0.0.1:${stack.cfg.httpPort}/xmpp-websocket`, domain: stack.cfg.guestDomain });
    stack.clients.push(again);
    await again.send(xml('presence', { to: `${cust.roomJid}/Wes` }, xml('x', { xmlns: NS_MUC }, xml('password', {}, cust.password), xml('history', { maxstanzas: '2' }))));
    await again.waitFor(isSelfPresence(cust.roomJid));
    await again.waitFor(isSubject(cust.roomJid)); // the subject comes after the history
    const hist = again.stanzas.filter((el) => el.is('message') && el.getChild('delay', 'urn:xmpp:delay'));
    expect(hist.map((el) => el.getChildText('body'))).to.deep.equal(['three', 'four']);
    for (const h of hist) expect(h.getChild('stanza-id', 'urn:xmpp:sid:0')?.attrs.id).to.be.a('string');
    // The old session was taken over by the new one holding the password.
    await cust.client.waitFor((el) => el.is('presence') && el.attrs.type === 'unavailable' && el.attrs.from === `${cust.roomJid}/Wes`);

    const third = await TestClient.guest({ url: `ws://127.0.0.1:${stack.cfg.httpPort}/xmpp-websocket`, domain: stack.cfg.guestDomain });
    stack.clients.push(third);
    await third.send(xml('presence', { to: `${cust.roomJid}/Wes` }, xml('x', { xmlns: NS_MUC }, xml('password', {}, cust.password), xml('history', { since: new Date(Date.now() + 60_000).toISOString() }))));
    await third.waitFor(isSubject(cust.roomJid));
    expect(third.stanzas.filter((el) => el.is('message') && el.getChild('delay', 'urn:xmpp:delay'))).to.have.length(0);
  });

  it('disco#info of a room and of the service; self-ping answers for occupants only', async () => {
    const cust = await customer(stack, { name: 'Xan', message: 'disco' });
    const info = await cust.client.xmpp.iqCaller.request(xml('iq', { type: 'get', to: cust.roomJid }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
    const features = info.getChild('query')!.getChildren('feature').map((f) => f.attrs.var);
    expect(features).to.include.members(['http://jabber.org/protocol/muc', 'muc_passwordprotected', 'muc_hidden', 'urn:xmpp:sid:0']);
    const ping = await cust.client.xmpp.iqCaller.request(xml('iq', { type: 'get', to: `${cust.roomJid}/Xan` }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
    expect(ping.attrs.type).to.equal('result');
    const other = await customer(stack, { name: 'Yul', message: 'x' });
    const err = await other.client.xmpp.iqCaller.request(xml('iq', { type: 'get', to: `${cust.roomJid}/Xan` }, xml('ping', { xmlns: 'urn:xmpp:ping' }))).catch((e: { condition?: string }) => e);
    expect((err as { condition?: string }).condition).to.equal('not-acceptable');
    const missing = await cust.client.xmpp.iqCaller.request(xml('iq', { type: 'get', to: `c-nope@${stack.cfg.roomsDomain}` }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }))).catch((e: { condition?: string }) => e);
    expect((missing as { condition?: string }).condition).to.equal('item-not-found');
  });
  it('a join whose handling fails gets an error with a text instead of no answer; the room works again after', async () => {
    const agent = await onlineAgent(stack, 'Yul', { maxChats: 10 }); // the earlier tests' customers are still offered
    await untilAvailable(stack, agent.jid);
    const cust = await customer(stack, { name: 'Zed', message: 'fault' });
    await agent.client.waitFor(isInvite(cust.roomJid));
    const hooks = stack.sb.muc.hooks;
    const admit = hooks.admit;
    hooks.admit = async () => { throw new Error('injected: the store is unreachable'); };
    try {
      await agent.client.send(joinPresence(cust.roomJid, agent.nick, cust.password));
      const err = await agent.client.waitFor((el) => el.is('presence') && el.attrs.type === 'error' && (el.attrs.from ?? '').startsWith(cust.roomJid));
      expect(errorCondition(err)).to.equal('internal-server-error');
      expect(errorText(err)).to.include('try again');
    } finally { hooks.admit = admit; }
    await agent.client.send(joinPresence(cust.roomJid, agent.nick, cust.password));
    await agent.client.waitFor(isSelfPresence(cust.roomJid));
  });
});
