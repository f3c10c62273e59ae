// Guests (anonymous customers) are fenced in: they reach our component
// domains and nothing else, and only their own conversation's room.
import { expect } from 'chai';
import { customer, onlineAgent, startStack, untilAvailable, type Stack } from '../support/stack.js';
import { errorCondition, errorText, isPresenceError, joinPresence, TestClient, xml, type Element } from '../support/xmpp.js';

const isErrorFrom = (from: string) => (el: Element) => el.attrs.type === 'error' && el.attrs.from === from;

describe('guest fence (Prosody module + MUC admission)', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  it('a guest cannot message an agent, another guest, or another server', async () => {
    const agent = await onlineAgent(stack, 'Olga');
    await untilAvailable(stack, agent.jid);
    const a = await customer(stack);
    const b = await customer(stack, { name: 'Other', message: 'hi' });
    for (const to of [agent.jid, `${agent.jid}/test`, b.client.jid, 'someone@example.org', stack.cfg.xmppDomain + '/x']) {
      await a.client.send(xml('message', { to, type: 'chat', id: `m-${to}` }, xml('body', {}, 'psst')));
      const err = await a.client.waitFor((el) => el.is('message') && el.attrs.type === 'error' && el.attrs.id === `m-${to}`, 5000, `error for ${to}`);
      expect(errorCondition(err), to).to.equal('not-allowed');
      expect(errorText(err)).to.include('only talk to');
    }
    // Nothing arrived at the agent or the other guest.
    expect(await agent.client.receives((el) => el.getChildText('body') === 'psst', 500)).to.equal(false);
    expect(b.client.stanzas.some((el) => el.getChildText('body') === 'psst')).to.equal(false);
    // Presence subscriptions and IQs to agents are refused too.
    const iq = xml('iq', { type: 'get', to: agent.jid, id: 'v1' }, xml('query', { xmlns: 'jabber:iq:version' }));
    await a.client.send(iq);
    expect(errorCondition(await a.client.waitFor(isErrorFrom(agent.jid), 5000, 'iq error'))).to.equal('not-allowed');
    // Our services remain reachable.
    const disco = await a.client.xmpp.iqCaller.request(xml('iq', { type: 'get', to: stack.cfg.roomsDomain }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
    expect(disco.getChild('query')?.getChild('identity')?.attrs.category).to.equal('conference');
  });

  it('a guest cannot join another conversation (wrong or no password)', async () => {
    const a = await customer(stack, { name: 'Ann', message: 'one' });
    const b = await customer(stack, { name: 'Ben', message: 'two' });
    await a.client.send(joinPresence(b.roomJid, 'Ann', 'guessed-password'));
    const err = await a.client.waitFor(isPresenceError(b.roomJid), 5000, 'join refused');
    expect(errorCondition(err)).to.equal('not-authorized');
    expect(errorText(err)).to.include('password');
    await a.client.send(joinPresence(b.roomJid, 'Ann'));
    expect(errorCondition(await a.client.waitFor(isPresenceError(b.roomJid), 5000))).to.equal('not-authorized');
    // Nor send into it without joining.
    await a.client.send(xml('message', { to: b.roomJid, type: 'groupchat', id: 'x1' }, xml('body', {}, 'intruder')));
    const merr = await a.client.waitFor((el) => el.attrs.id === 'x1' && el.attrs.type === 'error', 5000);
    expect(errorCondition(merr)).to.equal('not-acceptable');
    expect(b.client.stanzas.some((el) => el.getChildText('body') === 'intruder')).to.equal(false);
  });

  it('unknown rooms, nick-less joins and private messages get errors with a text', async () => {
    const a = await customer(stack, { name: 'Cat', message: 'x' });
    const ghost = `c-doesnotexist@${stack.cfg.roomsDomain}`;
    await a.client.send(joinPresence(ghost, 'Cat', 'x'));
    const e1 = await a.client.waitFor(isPresenceError(ghost));
    expect(errorCondition(e1)).to.equal('item-not-found');
    expect(errorText(e1)).to.be.a('string');
    await a.client.send(xml('message', { to: `${a.roomJid}/Someone`, type: 'chat', id: 'pm' }, xml('body', {}, 'private?')));
    const e2 = await a.client.waitFor((el) => el.attrs.id === 'pm' && el.attrs.type === 'error');
    expect(errorCondition(e2)).to.equal('not-acceptable');
    expect(errorText(e2)).to.include('Private messages');
  });

  it('a non-agent account on the main domain cannot take a conversation', async () => {
    const cust = await customer(stack, { name: 'Dee', message: 'hello' });
    // An account on the agents' server that is not an agent of ours.
    const { registerAccount } = await import('../../src/supervisor/prosody.js');
    await registerAccount(stack.env.prosody.paths.configFile, `stranger${process.pid}@${stack.cfg.xmppDomain}`, 'stranger-pass');
    const stranger = await TestClient.agent({ port: stack.cfg.xmppC2sPort, jid: `stranger${process.pid}@${stack.cfg.xmppDomain}`, password: 'stranger-pass' });
    stack.clients.push(stranger);
    await stranger.send(joinPresence(cust.roomJid, 'Stranger', cust.password));
    const err = await stranger.waitFor(isPresenceError(cust.roomJid));
    expect(errorCondition(err)).to.equal('forbidden');
    expect(errorText(err)).to.include('Only agents');
  });
});
