// Transfers and invitations with an agent who only has a SIP client (issue 5,
// SIP MESSAGE chat): baresip registered for the agent shows what reaches it,
// sipp writes as the same agent to the conversation's address. An XMPP agent's
// "!t" or "!invite" naming the SIP agent arrives as a MESSAGE from the
// conversation's address, and a reply there accepts it; the SIP agent's own
// "!t" to an XMPP agent tells them over SIP when it is accepted. Real
// Kamailio, Prosody, PostgreSQL.
import { expect } from 'chai';
import { commandTexts as T, texts } from '../../src/core/texts.js';
import { Baresip } from '../clients/baresip.js';
import { insertDepartment, setMembers } from '../../src/db/repos/departments.js';
import { agents, fromDesk, roomBody, served, toDesk } from '../support/commands.js';
import { messageScenario } from '../support/sip-message-scenarios.js';
import { sipp } from '../support/sipp.js';
import { freeSipPort as freePort } from '../support/ports.js';
import { clearStack, customer, onlineAgent, waitUntil, type Stack } from '../support/stack.js';
import { groupchat, isInvite, type Element } from '../support/xmpp.js';
import { escapeRegExp, sipAgent, SipOnlyPhones, startVoiceStack } from '../support/voice.js';

type SipUser = { id: string; username: string; password: string };

describe('Transfers and invitations with agents on SIP MESSAGE only', function () {
  this.timeout(120_000);
  let stack: Stack;
  const phones = new SipOnlyPhones(() => stack);
  before(async () => { stack = await startVoiceStack(); });
  afterEach(async () => {
    await phones.stopAll();
    await clearStack(stack);
  });
  after(async () => { await stack?.stop(); });

  /** A line baresip printed from sip:<user>@domain containing `text`. */
  const shown = (phone: Baresip, user: string, text: string) => phone.waitForOutput(new RegExp(`${escapeRegExp(user)}@${escapeRegExp(stack.cfg.sipDomain)}.*${escapeRegExp(text)}`), 20_000);
  const write = async (agent: SipUser, node: string, body: string, final = 202) => {
    const r = await sipp(messageScenario({ from: agent.username, to: node, domain: stack.cfg.sipDomain, body, auth: { user: agent.username, password: agent.password }, final }), { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(r.exitCode, r.output).to.equal(0);
  };
  const conversation = async (id: string) => (await stack.sb.db.query('SELECT status, agent_id FROM conversations WHERE id = $1', [id])).rows[0];
  const transfer = async (id: string) => (await stack.sb.db.query('SELECT kind, status, accepted_by FROM transfers WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1', [id])).rows[0];
  const fromOccupant = (roomJid: string, nick: string, text: string) => (el: Element) =>
    el.is('message') && el.attrs.from === `${roomJid}/${nick}` && el.getChildText('body') === text;
  const jidOf = (id: string) => stack.sb.agents.byId(id)!.jid;
  const nickOf = (id: string) => stack.sb.agents.byId(id)!.nickname;

  it('XMPP agent "!t <SIP agent>": the request arrives as MESSAGE from the conversation, a reply takes the chat and reaches the customer', async () => {
    const [alice] = await agents(stack, ['Alice']);
    const jane = await served(stack, alice!);
    const node = jane.roomJid.split('@')[0]!;
    const sam = await sipAgent(stack, 'Sam');
    const phone = await phones.start(sam);

    await alice!.client.send(groupchat(jane.roomJid, `!t ${jidOf(sam.id)}`));
    await roomBody(jane.roomJid, alice!.client, T.transferAsked(nickOf(sam.id)), 'transfer asked');
    await shown(phone, node, `${alice!.nick} asks you to take over the chat with Jane Doe`);
    expect(await conversation(jane.id)).to.deep.equal({ status: 'active', agent_id: alice!.id });

    await write(sam, node, 'Hello Jane, Sam here, I take it from now.');
    await waitUntil(async () => (await conversation(jane.id)).agent_id === sam.id, 10_000, 'the chat is Sam\'s');
    expect(await transfer(jane.id)).to.deep.equal({ kind: 'transfer', status: 'accepted', accepted_by: sam.id });
    await jane.client.waitFor((el) => el.is('message') && el.getChildText('body') === T.transferredCustomer(nickOf(sam.id)), 10_000, 'the customer told of the transfer');
    await jane.client.waitFor(fromOccupant(jane.roomJid, nickOf(sam.id), 'Hello Jane, Sam here, I take it from now.'), 10_000, 'Sam\'s line at the customer');
    await shown(phone, node, texts.sipTaken('Jane Doe'));
    // Alice is out; the customer's next line reaches Sam's SIP client.
    await fromDesk(stack, alice!.client, T.transferredAway(nickOf(sam.id)), 'Alice told');
    await jane.client.send(groupchat(jane.roomJid, 'Thanks Sam, my parcel is late.'));
    await shown(phone, node, 'Thanks Sam, my parcel is late.');
  });

  it('XMPP agent "!invite <SIP agent>": "a" accepts without writing, then the room\'s lines reach the SIP agent and theirs reach the customer', async () => {
    const [alice] = await agents(stack, ['Alice']);
    const jane = await served(stack, alice!);
    const node = jane.roomJid.split('@')[0]!;
    const sam = await sipAgent(stack, 'Sam');
    const phone = await phones.start(sam);

    await alice!.client.send(groupchat(jane.roomJid, `!invite ${jidOf(sam.id)}`));
    await shown(phone, node, `${alice!.nick} invites you to join the chat with Jane Doe`);
    await write(sam, node, 'a');
    await waitUntil(async () => (await transfer(jane.id))?.status === 'accepted', 10_000, 'invitation accepted');
    expect(await transfer(jane.id)).to.deep.equal({ kind: 'invite', status: 'accepted', accepted_by: sam.id });
    expect(await conversation(jane.id)).to.deep.equal({ status: 'active', agent_id: alice!.id });
    await shown(phone, node, texts.sipTaken('Jane Doe'));
    // "a" was not said to the customer.
    expect((await stack.sb.db.query("SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND body = 'a'", [jane.id])).rows[0].n).to.equal(0);

    await jane.client.send(groupchat(jane.roomJid, 'Is anyone from billing here?'));
    await shown(phone, node, 'Is anyone from billing here?');
    await write(sam, node, 'Yes, billing here.');
    await jane.client.waitFor(fromOccupant(jane.roomJid, nickOf(sam.id), 'Yes, billing here.'), 10_000, 'Sam\'s line at the customer');
  });

  it('SIP agent "!t <XMPP agent>": told over SIP once it is accepted; writing there afterwards gets "no longer yours"', async () => {
    const sam = await sipAgent(stack, 'Sam');
    const phone = await phones.start(sam);
    const jane = await customer(stack);
    const node = jane.roomJid.split('@')[0]!;
    await shown(phone, node, 'New chat from Jane Doe');
    await write(sam, node, 'accept');
    await shown(phone, node, texts.sipTaken('Jane Doe'));
    expect(await conversation(jane.id)).to.deep.equal({ status: 'active', agent_id: sam.id });

    const bob = await onlineAgent(stack, 'Bob', { show: 'away' }); // online for transfers, away for new offers
    await waitUntil(() => stack.sb.desk.presence.online(bob.jid), 10_000, 'Bob online');
    await write(sam, node, `!t ${bob.jid}`);
    await shown(phone, node, T.transferAsked(bob.nick));
    await bob.client.waitFor(isInvite(jane.roomJid), 10_000, 'the transfer invitation to Bob');
    await toDesk(stack, bob.client, 'a');
    await fromDesk(stack, bob.client, 'is yours now', 'Bob\'s accept answered');
    expect(await conversation(jane.id)).to.deep.equal({ status: 'active', agent_id: bob.id });
    await shown(phone, node, texts.sipTransferredAway('Jane Doe', bob.nick));

    await write(sam, node, 'are you still there, Jane?');
    await shown(phone, node, texts.sipNotYours('Jane Doe'));
    expect((await stack.sb.db.query("SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND body LIKE 'are you still there%'", [jane.id])).rows[0].n).to.equal(0);
  });

  it('"!t @department" counts a member on SIP MESSAGE only as available: both members are asked, the SIP reply wins, the XMPP member is too late', async () => {
    const [alice, dan] = await agents(stack, ['Alice', 'Dan']);
    const jane = await served(stack, alice!);
    const node = jane.roomJid.split('@')[0]!;
    const sam = await sipAgent(stack, 'Sam');
    const phone = await phones.start(sam);
    const dept = await insertDepartment(stack.sb.db, { name: `Sipdesk${process.pid}`, description: '' });
    await setMembers(stack.sb.db, dept, [dan!.id, sam.id]);

    await alice!.client.send(groupchat(jane.roomJid, `!t @sipdesk${process.pid}`));
    await roomBody(jane.roomJid, alice!.client, T.transferAsked(`Sipdesk${process.pid}`), 'transfer asked');
    await dan!.client.waitFor(isInvite(jane.roomJid), 10_000, 'the request to Dan');
    await shown(phone, node, `${alice!.nick} asks you to take over the chat with Jane Doe`);
    await write(sam, node, 'accept');
    await waitUntil(async () => (await conversation(jane.id)).agent_id === sam.id, 10_000, 'the chat is Sam\'s');
    await fromDesk(stack, dan!.client, T.taken(nickOf(sam.id)), 'Dan told');
    await toDesk(stack, dan!.client, 'a');
    await fromDesk(stack, dan!.client, T.nothingToAccept, 'Dan\'s late accept');
    expect(await conversation(jane.id)).to.deep.equal({ status: 'active', agent_id: sam.id });
  });

  it('a SIP agent named by a transfer replies "decline": the asking agent is told, the chat stays theirs; another agent writing there gets 403', async () => {
    const [alice] = await agents(stack, ['Alice']);
    const jane = await served(stack, alice!);
    const node = jane.roomJid.split('@')[0]!;
    const sam = await sipAgent(stack, 'Sam');
    const tom = await sipAgent(stack, 'Tom');
    const phone = await phones.start(sam);

    await alice!.client.send(groupchat(jane.roomJid, `!t ${jidOf(sam.id)}`));
    await shown(phone, node, `${alice!.nick} asks you to take over the chat with Jane Doe`);
    await write(tom, node, 'let me in', 403);
    await write(sam, node, 'decline');
    await fromDesk(stack, alice!.client, T.declinedBy(nickOf(sam.id), 'transfer'), 'Alice told of the decline');
    expect(await transfer(jane.id)).to.deep.equal({ kind: 'transfer', status: 'declined', accepted_by: null });
    expect(await conversation(jane.id)).to.deep.equal({ status: 'active', agent_id: alice!.id });
  });
});
