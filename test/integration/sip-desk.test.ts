// Desk and conversation commands over SIP MESSAGE (RFC 3428) for an agent who
// only has a SIP client: baresip (a stock client) registered for the agent
// talks to the desk at sip:desk@domain and shows what comes back; sipp writes
// to a conversation's address as the same agent. The answers are the desk's
// and the MUC room's own (same command code). Real Kamailio, Prosody.
import { expect } from 'chai';
import { shortId } from '../../src/core/commands.js';
import { commandTexts as T, texts } from '../../src/core/texts.js';
import { insertCanned } from '../../src/db/repos/canned.js';
import { Baresip } from '../clients/baresip.js';
import { bodies, record } from '../support/commands.js';
import { messageScenario } from '../support/sip-message-scenarios.js';
import { sipp } from '../support/sipp.js';
import { freeSipPort as freePort } from '../support/ports.js';
import { clearStack, customer, onlineAgent, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { isInvite, joinPresence, isSelfPresence, type Element } from '../support/xmpp.js';
import { escapeRegExp, sipAgent, SipOnlyPhones, startVoiceStack } from '../support/voice.js';

type SipUser = { id: string; username: string; password: string };

describe('Desk and room commands over SIP MESSAGE', function () {
  this.timeout(120_000);
  let stack: Stack;
  const phones = new SipOnlyPhones(() => stack);
  before(async () => { stack = await startVoiceStack(); });
  afterEach(async () => {
    await phones.stopAll();
    await clearStack(stack);
  });
  after(async () => { await stack?.stop(); });

  /** A line baresip printed from an address (sip:desk@… or a conversation's), containing `text`. */
  const shown = (phone: Baresip, user: string, text: string) => phone.waitForOutput(new RegExp(`${escapeRegExp(user)}@${escapeRegExp(stack.cfg.sipDomain)}.*${escapeRegExp(text)}|^\\s*${escapeRegExp(text)}`), 20_000);
  const toDesk = async (phone: Baresip, text: string) => { await phone.command('message', text); };
  const write = async (agent: SipUser, node: string, body: string) => {
    const r = await sipp(messageScenario({ from: agent.username, to: node, domain: stack.cfg.sipDomain, body, auth: { user: agent.username, password: agent.password }, final: 202 }), { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(r.exitCode, r.output).to.equal(0);
  };
  const offers = async (convId: string, agentId: string, status = 'pending') =>
    (await stack.sb.db.query('SELECT count(*)::int AS n FROM offers WHERE conversation_id = $1 AND agent_id = $2 AND status = $3', [convId, agentId, status])).rows[0].n as number;
  const conversation = async (id: string) => (await stack.sb.db.query('SELECT status, agent_id FROM conversations WHERE id = $1', [id])).rows[0];
  const roomNotice = (roomJid: string, text: string) => (el: Element) => el.is('message') && el.attrs.from === roomJid && el.getChildText('body') === text;

  it('status, away, queue, accept <id>, auto and decline to sip:desk@… from baresip: away gets no offers, accept takes the queued chat', async () => {
    const sam = await sipAgent(stack, 'Sam');
    const phone = await phones.start(sam);
    const nick = stack.sb.agents.byId(sam.id)!.nickname;

    await toDesk(phone, 'status');
    await shown(phone, 'desk', 'You are available: you get offers');
    await toDesk(phone, 'away');
    await shown(phone, 'desk', T.manual('away'));
    await toDesk(phone, 'status');
    await shown(phone, 'desk', 'You are not available (away, busy or offline): you get no offers (set by hand: away');

    // Away: a customer arrives, Bob (XMPP) is offered the chat in the same dispatch, Sam is not.
    const bob = await onlineAgent(stack, 'Bob');
    await untilAvailable(stack, bob.jid);
    const jane = await customer(stack);
    await bob.client.waitFor(isInvite(jane.roomJid), 10_000, 'the offer to Bob');
    await waitUntil(async () => (await offers(jane.id, bob.id)) === 1, 10_000, 'Bob\'s offer stored');
    expect(await offers(jane.id, sam.id)).to.equal(0);

    await toDesk(phone, 'queue');
    await shown(phone, 'desk', `${shortId(jane.id)} — Jane Doe`);
    await toDesk(phone, `accept ${shortId(jane.id)}`);
    await shown(phone, 'desk', 'The chat with Jane Doe is yours');
    expect(await conversation(jane.id)).to.deep.equal({ status: 'active', agent_id: sam.id });
    await waitUntil(async () => (await offers(jane.id, bob.id, 'withdrawn')) === 1, 10_000, 'Bob\'s offer withdrawn');
    // The customer reads who took it; the agent gets the conversation's address to write to.
    await jane.client.waitFor(roomNotice(jane.roomJid, texts.agentJoined(nick)), 10_000, 'the customer told');
    const node = jane.roomJid.split('@')[0]!;
    await shown(phone, node, texts.sipTaken('Jane Doe'));

    // Back to automatic: offers again, and "decline" at the desk refuses one.
    await toDesk(phone, 'auto');
    await shown(phone, 'desk', T.auto);
    await bob.client.stop();
    const joe = await customer(stack, { name: 'Joe Bloggs', email: 'joe@example.com', message: 'Hi there' });
    await waitUntil(async () => (await offers(joe.id, sam.id)) === 1, 10_000, 'an offer to Sam again');
    await shown(phone, joe.roomJid.split('@')[0]!, 'New chat from Joe Bloggs');
    await toDesk(phone, 'decline');
    await waitUntil(async () => (await offers(joe.id, sam.id, 'declined')) === 1, 10_000, 'Sam\'s offer declined');
    await shown(phone, 'desk', 'You declined the chat from Joe Bloggs');
    expect((await conversation(joe.id)).status).to.equal('queued');
  });

  it('in a conversation: !p stays with agents, a canned response and !help answer, !invite then !leave hands it over', async () => {
    const sam = await sipAgent(stack, 'Sam');
    const phone = await phones.start(sam);
    const jane = await customer(stack);
    const node = jane.roomJid.split('@')[0]!;
    const seen = record(jane.client);
    await waitUntil(async () => (await offers(jane.id, sam.id)) === 1, 10_000, 'an offer to Sam');
    await write(sam, node, 'accept');
    await shown(phone, node, texts.sipTaken('Jane Doe'));

    await write(sam, node, '!p She sounds upset, be gentle');
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND private AND body = 'She sounds upset, be gentle'", [jane.id])).rowCount === 1, 10_000, 'the note stored as private');
    await insertCanned(stack.sb.db, { agentId: sam.id, shortcut: 'hi', text: 'Hello %VISITOR%, how can I help?' });
    await write(sam, node, '!hi');
    await jane.client.waitFor((el) => el.is('message') && el.getChildText('body') === 'Hello Jane Doe, how can I help?', 10_000, 'the canned response at the customer');
    // Lines reach the customer in the order they were said: the note, said before, never came.
    expect(bodies(seen).filter((b) => b.includes('upset'))).to.deep.equal([]);

    await write(sam, node, '!help');
    await shown(phone, node, '!close — end this conversation');

    const bob = await onlineAgent(stack, 'Bob');
    await untilAvailable(stack, bob.jid);
    await write(sam, node, `!invite ${bob.jid}`);
    await shown(phone, node, T.inviteAsked(bob.nick));
    await bob.client.waitFor(isInvite(jane.roomJid), 10_000, 'the invitation to Bob');
    await bob.client.send(joinPresence(jane.roomJid, bob.nick, jane.password));
    await bob.client.waitFor(isSelfPresence(jane.roomJid), 10_000, 'Bob joined');
    await write(sam, node, '!leave');
    await waitUntil(async () => (await conversation(jane.id)).agent_id === bob.id, 10_000, 'handed over to Bob');
    await shown(phone, node, texts.sipNotYours('Jane Doe'));
    await jane.client.waitFor((el) => el.is('message') && (el.getChildText('body') ?? '').includes(`${bob.nick} continues with you`), 10_000, 'the customer told');
    // Written now, it is refused: the chat is Bob's.
    const r = await sipp(messageScenario({ from: sam.username, to: node, domain: stack.cfg.sipDomain, body: 'still there?', auth: { user: sam.username, password: sam.password }, final: 403 }), { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(r.exitCode, r.output).to.equal(0);
  });

  it('!t hands the chat to an XMPP agent, who takes it by joining', async () => {
    const sam = await sipAgent(stack, 'Sam');
    const phone = await phones.start(sam);
    const jane = await customer(stack);
    const node = jane.roomJid.split('@')[0]!;
    await waitUntil(async () => (await offers(jane.id, sam.id)) === 1, 10_000, 'an offer to Sam');
    await write(sam, node, 'Hi Jane, one moment please.');
    await shown(phone, node, texts.sipTaken('Jane Doe'));
    const bob = await onlineAgent(stack, 'Bob', { show: 'away' }); // online for transfers, away for new offers
    await waitUntil(() => stack.sb.desk.presence.online(bob.jid), 10_000, 'Bob online');
    await write(sam, node, `!t ${bob.jid}`);
    await shown(phone, node, T.transferAsked(bob.nick));
    await bob.client.waitFor(isInvite(jane.roomJid), 10_000, 'the transfer invitation to Bob');
    await bob.client.send(joinPresence(jane.roomJid, bob.nick, jane.password));
    await waitUntil(async () => (await conversation(jane.id)).agent_id === bob.id, 10_000, 'transferred to Bob');
    await jane.client.waitFor((el) => el.is('message') && el.getChildText('body') === T.transferredCustomer(bob.nick), 10_000, 'the customer told');
  });
});
