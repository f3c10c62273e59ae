// SIP MESSAGE chat (RFC 3428) with an agent who only has a SIP client (sipp,
// registered with MESSAGE in its Allow header, no XMPP session): the offer,
// the customer's lines and the end reach it as MESSAGEs from the
// conversation's address; its MESSAGEs there take the chat, go to the
// customer, and !close closes the conversation. Real Kamailio, Prosody.
import { expect } from 'chai';
import { texts } from '../../src/core/texts.js';
import { Baresip } from '../clients/baresip.js';
import { messageScenario, messageSinkScenario } from '../support/sip-message-scenarios.js';
import { registerScenario } from '../support/sip-scenarios.js';
import { header, sipp, udpBound } from '../support/sipp.js';
import { freeSipPort as freePort } from '../support/ports.js';
import { customer, waitUntil, type Stack } from '../support/stack.js';
import { groupchat, type Element } from '../support/xmpp.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE';

describe('SIP MESSAGE chat for agents on a SIP client only', function () {
  this.timeout(90_000);
  let stack: Stack;
  before(async () => { stack = await startVoiceStack(); });
  after(async () => { await stack?.stop(); });

  const write = async (agent: { username: string; password: string }, to: string, body: string, final: number) => {
    const r = await sipp(messageScenario({ from: agent.username, to, domain: stack.cfg.sipDomain, body, auth: { user: agent.username, password: agent.password }, final }), { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(r.exitCode, r.output).to.equal(0);
  };
  const bodyOf = (m: string) => m.split(/\r?\n\r?\n/).slice(1).join('\n\n').trim();
  const fromCustomer = (roomJid: string, text: string) => (el: Element) => el.is('message') && !!el.attrs.from?.startsWith(`${roomJid}/`) && el.getChildText('body') === text;

  it('offer, the customer\'s lines and the close arrive as MESSAGE; the agent\'s replies take the chat and reach the customer; !close works', async () => {
    const sam = await sipAgent(stack, 'Sam');
    const port = await freePort();
    const reg = await sipp(registerScenario({ user: sam.username, password: sam.password, domain: stack.cfg.sipDomain, allow: ALLOW, expect: [401, 200] }), { port: stack.cfg.sipPort, localPort: port });
    expect(reg.exitCode, reg.output).to.equal(0);
    await waitUntil(() => stack.sb.sip!.registry.acceptsMessages(sam.id), 10_000, 'registry: Sam takes MESSAGE');
    // The offer, "you have the chat", the customer's line, the close notice.
    const inbox = sipp(messageSinkScenario(), { port: 0, localPort: port, server: true, calls: 4, timeoutS: 60 });
    await udpBound(port);

    const jane = await customer(stack);
    const node = jane.roomJid.split('@')[0]!;
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM offers WHERE conversation_id = $1 AND agent_id = $2 AND status = 'pending'", [jane.id, sam.id])).rowCount === 1, 10_000, 'an offer to Sam');

    await write(sam, node, 'Hello Jane, Sam here. How can I help?', 202);
    await jane.client.waitFor(fromCustomer(jane.roomJid, 'Hello Jane, Sam here. How can I help?'), 10_000, 'the agent\'s line at the customer');
    const conv = (await stack.sb.db.query('SELECT status, agent_id FROM conversations WHERE id = $1', [jane.id])).rows[0];
    expect(conv).to.deep.equal({ status: 'active', agent_id: sam.id });

    await jane.client.send(groupchat(jane.roomJid, 'My parcel has not arrived.'));
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND body = 'My parcel has not arrived.'", [jane.id])).rowCount === 1, 10_000, 'the customer\'s line stored');
    await write(sam, node, '!close', 202);
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM conversations WHERE id = $1 AND status = 'closed'", [jane.id])).rowCount === 1, 10_000, 'closed by the command');

    const got = await inbox;
    expect(got.exitCode, got.output).to.equal(0);
    const messages = got.received.filter((m) => m.startsWith('MESSAGE'));
    expect(messages).to.have.length(4);
    for (const m of messages) expect(header(m, 'From')).to.include(`<sip:${node}@${stack.cfg.sipDomain}>`).and.include('"Jane Doe"');
    const bodies = messages.map(bodyOf);
    expect(bodies[0]).to.include('New chat from Jane Doe').and.include('Hello, I need help');
    expect(bodies[1]).to.equal(texts.sipTaken('Jane Doe'));
    expect(bodies[2]).to.equal(`${jane.nick}: My parcel has not arrived.`);
    expect(bodies[3]).to.equal(texts.closedByAgent(stack.sb.agents.byId(sam.id)!.nickname));
    const stored = (await stack.sb.db.query("SELECT sender_kind, agent_id FROM messages WHERE conversation_id = $1 AND body LIKE 'Hello Jane%'", [jane.id])).rows;
    expect(stored).to.deep.equal([{ sender_kind: 'agent', agent_id: sam.id }]);
    const off = await sipp(registerScenario({ user: sam.username, password: sam.password, domain: stack.cfg.sipDomain, wildcard: true, expires: 0, expect: [401, 200] }), { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(off.exitCode, off.output).to.equal(0);
  });

  it('with baresip, a stock SIP client: the offer shows in it, its reply takes the chat and reaches the customer, and the customer\'s answer comes back', async () => {
    const jane = await customer(stack);
    const node = jane.roomJid.split('@')[0]!;
    const wes = await sipAgent(stack, 'Wes');
    // Its current contact is the conversation's address, as if the agent had saved the offer's sender.
    const phone = await Baresip.start({ username: wes.username, password: wes.password, domain: stack.cfg.sipDomain, proxyPort: stack.cfg.sipPort, contacts: [`sip:${node}@${stack.cfg.sipDomain}`] });
    try {
      await phone.waitForOutput(new RegExp(`${node}@.*New chat from Jane Doe`), 20_000);
      await phone.command('message', 'Hi Jane, Wes here on my SIP phone.');
      await jane.client.waitFor(fromCustomer(jane.roomJid, 'Hi Jane, Wes here on my SIP phone.'), 15_000, 'baresip\'s line at the customer');
      expect((await stack.sb.db.query('SELECT status, agent_id FROM conversations WHERE id = $1', [jane.id])).rows[0]).to.deep.equal({ status: 'active', agent_id: wes.id });
      await jane.client.send(groupchat(jane.roomJid, 'Great, thanks!'));
      await phone.waitForOutput(/Great, thanks!/, 15_000);
    } finally {
      await phone.stop();
    }
  });

  it('refuses what is not the agent\'s: an unknown address (404), a conversation another agent serves (403), a wrong password', async () => {
    const tom = await sipAgent(stack, 'Tom');
    const una = await sipAgent(stack, 'Una');
    const jane = await customer(stack);
    const node = jane.roomJid.split('@')[0]!;
    await stack.sb.db.query("UPDATE conversations SET status = 'active', agent_id = $2, accepted_at = now() WHERE id = $1", [jane.id, una.id]);
    await write(tom, 'c-00000000000000000000', 'hello?', 404);
    await write(tom, 'someone-else', 'hello?', 404);
    await write(tom, node, 'let me in', 403);
    const r = await sipp(messageScenario({ from: tom.username, to: node, domain: stack.cfg.sipDomain, body: 'x', auth: { user: tom.username, password: 'wrong-password-000' }, final: 407 }), { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(r.exitCode, r.output).to.equal(0);
    expect((await stack.sb.db.query("SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND sender_kind = 'agent'", [jane.id])).rows[0].n).to.equal(0);
    // Our own MESSAGEs' marker from anywhere but Kamailio's socket relays nothing: challenged like any other.
    const forged = await sipp(messageScenario({ from: node, to: una.username, domain: stack.cfg.sipDomain, body: 'spoof', headers: ['X-Switchboard-Chat: 1'], final: 407 }), { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(forged.exitCode, forged.output).to.equal(0);
  });
});
