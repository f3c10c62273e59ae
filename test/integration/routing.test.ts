// Offers and the queue on real servers: decline and timeout go to the next
// agent, away agents and full agents get nothing, nobody → waiting → offered.
import { expect } from 'chai';
import { clearStack, customer, onlineAgent, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { groupchat, isBody, isInvite, isSelfPresence, joinPresence, NS_MUC_USER, xml } from '../support/xmpp.js';

async function setRoom(stack: Stack, patch: Record<string, unknown>): Promise<void> {
  const r = await stack.sb.db.query("UPDATE rooms SET settings = settings || $1::jsonb WHERE slug = 'general' RETURNING id", [JSON.stringify(patch)]);
  stack.sb.routing.forgetRoom(r.rows[0].id);
}

const offerStatuses = async (stack: Stack, convId: string) =>
  (await stack.sb.db.query('SELECT a.jid, o.status FROM offers o JOIN agents a ON a.id = o.agent_id WHERE conversation_id = $1 ORDER BY o.created_at', [convId])).rows as Array<{ jid: string; status: string }>;

describe('routing: offers and the queue', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });
  afterEach(async () => {
    // Leave no client online and nothing queued for the next test, even after a failure.
    await clearStack(stack);
  });

  it('a decline (XEP-0045) sends the chat to the next agent, not back to the one who declined', async () => {
    await setRoom(stack, { offerTimeoutSeconds: 30, reofferAfterSeconds: 600 });
    const a = await onlineAgent(stack, 'Dana');
    await untilAvailable(stack, a.jid);
    const cust = await customer(stack);
    await a.client.waitFor(isInvite(cust.roomJid));
    await cust.client.waitFor(isBody(cust.roomJid), 10_000, 'waiting notice');
    await a.client.send(xml('message', { to: cust.roomJid }, xml('x', { xmlns: NS_MUC_USER }, xml('decline', {}, xml('reason', {}, 'busy')))));
    await waitUntil(async () => (await offerStatuses(stack, cust.id)).some((o) => o.status === 'declined'), 10_000, 'decline recorded');

    const b = await onlineAgent(stack, 'Eve');
    await b.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer to the next agent');
    expect(await a.client.receives(isInvite(cust.roomJid), 1500)).to.equal(false);
    expect(await offerStatuses(stack, cust.id)).to.deep.equal([{ jid: a.jid, status: 'declined' }, { jid: b.jid, status: 'pending' }]);
    await Promise.all([a.client.stop(), b.client.stop(), cust.client.stop()]);
  });

  it('ringLimit 1 offers one agent at a time and moves to the next on decline', async () => {
    await setRoom(stack, { offerTimeoutSeconds: 30, reofferAfterSeconds: 600, ringLimit: 1 });
    const online = [await onlineAgent(stack, 'Ria'), await onlineAgent(stack, 'Sol'), await onlineAgent(stack, 'Tam')];
    for (const a of online) await untilAvailable(stack, a.jid);
    const cust = await customer(stack);
    await waitUntil(async () => (await offerStatuses(stack, cust.id)).length > 0, 10_000, 'the first offer');
    await stack.sb.routing.kick(); // and any dispatch that could add more has finished
    const first = await offerStatuses(stack, cust.id);
    expect(first.map((o) => o.status)).to.deep.equal(['pending']);
    const a = online.find((x) => x.jid === first[0]!.jid)!;
    await a.client.waitFor(isInvite(cust.roomJid));
    await a.client.send(xml('message', { to: cust.roomJid }, xml('x', { xmlns: NS_MUC_USER }, xml('decline'))));
    await waitUntil(async () => (await offerStatuses(stack, cust.id)).length === 2, 10_000, 'the next offer');
    await stack.sb.routing.kick();
    const second = await offerStatuses(stack, cust.id);
    expect(second.map((o) => o.status)).to.deep.equal(['declined', 'pending']);
    expect(second[1]!.jid).to.not.equal(a.jid);
    const b = online.find((x) => x.jid === second[1]!.jid)!;
    await b.client.waitFor(isInvite(cust.roomJid), 10_000, 'invitation to the next agent');
    await b.client.send(joinPresence(cust.roomJid, b.nick, cust.password));
    await b.client.waitFor(isSelfPresence(cust.roomJid));
    expect((await offerStatuses(stack, cust.id)).map((o) => o.status)).to.deep.equal(['declined', 'accepted']);
    const eventsOf = async () => (await stack.sb.db.query('SELECT kind, data FROM conversation_events WHERE conversation_id = $1 ORDER BY id', [cust.id])).rows;
    await waitUntil(async () => (await eventsOf()).some((e) => e.kind === 'accepted'), 10_000, 'the accepted event'); // written after the join is answered
    const events = await eventsOf();
    expect(events.map((e) => e.kind)).to.deep.equal(['created', 'customer_joined', 'offered', 'declined', 'offered', 'accepted']);
    expect(events.filter((e) => e.kind === 'offered').map((e) => e.data.agents)).to.deep.equal([[a.jid], [b.jid]]);
    await Promise.all([...online.map((x) => x.client.stop()), cust.client.stop()]);
    await setRoom(stack, { ringLimit: 0 });
  });

  it('"decline" typed to the desk declines too', async () => {
    const a = await onlineAgent(stack, 'Fay');
    await untilAvailable(stack, a.jid);
    const cust = await customer(stack);
    await a.client.waitFor(isInvite(cust.roomJid));
    await a.client.send(xml('message', { to: stack.cfg.deskDomain, type: 'chat' }, xml('body', {}, 'decline')));
    const reply = await a.client.waitFor(isBody(stack.cfg.deskDomain), 10_000, 'decline confirmation');
    expect(reply.attrs.type).to.equal('chat');
    expect(reply.getChildText('body')).to.match(/^You declined the chat from Jane Doe/);
    expect((await offerStatuses(stack, cust.id))[0]?.status).to.equal('declined');
    await Promise.all([a.client.stop(), cust.client.stop()]);
  });

  it('an offer that times out goes to the next agent; the late agent is told', async () => {
    await setRoom(stack, { offerTimeoutSeconds: 1, reofferAfterSeconds: 600 });
    const a = await onlineAgent(stack, 'Gus');
    await untilAvailable(stack, a.jid);
    const cust = await customer(stack);
    await a.client.waitFor(isInvite(cust.roomJid));
    const expired = await a.client.waitFor(isBody(stack.cfg.deskDomain), 5000, 'expiry notice');
    expect(expired.getChildText('body')).to.include('expired');
    const b = await onlineAgent(stack, 'Hal');
    await b.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer to the next agent');
    expect(await offerStatuses(stack, cust.id)).to.deep.equal([{ jid: a.jid, status: 'timed_out' }, { jid: b.jid, status: 'pending' }]);
    await Promise.all([a.client.stop(), b.client.stop(), cust.client.stop()]);
    await setRoom(stack, { offerTimeoutSeconds: 30 });
  });

  it('when everyone who could take it refused, they get it again after the pause', async () => {
    await setRoom(stack, { offerTimeoutSeconds: 30, reofferAfterSeconds: 1 });
    const a = await onlineAgent(stack, 'Ivy');
    await untilAvailable(stack, a.jid);
    const cust = await customer(stack);
    await a.client.waitFor(isInvite(cust.roomJid));
    await a.client.send(xml('message', { to: cust.roomJid }, xml('x', { xmlns: NS_MUC_USER }, xml('decline'))));
    await a.client.waitFor(isInvite(cust.roomJid), 5000, 're-offer after the pause');
    await Promise.all([a.client.stop(), cust.client.stop()]);
    await setRoom(stack, { reofferAfterSeconds: 30 });
  });

  it('an away agent gets no offer; becoming available brings the waiting chat', async () => {
    const a = await onlineAgent(stack, 'Jon', { show: 'away' });
    const b = await onlineAgent(stack, 'Kim', { show: 'dnd' });
    await waitUntil(() => stack.sb.desk.presence.online(a.jid) && stack.sb.desk.presence.online(b.jid), 10_000, 'presence seen');
    const cust = await customer(stack);
    const notice = await cust.client.waitFor(isBody(cust.roomJid), 10_000, 'no-agent notice');
    expect(notice.getChildText('body')).to.match(/queue/);
    expect(await a.client.receives(isInvite(cust.roomJid), 1000)).to.equal(false);
    expect(await b.client.receives(isInvite(cust.roomJid), 10)).to.equal(false);
    await a.client.send(xml('presence'));
    await a.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer once available');
    await a.client.send(joinPresence(cust.roomJid, a.nick, cust.password));
    await a.client.waitFor(isSelfPresence(cust.roomJid));
    await Promise.all([a.client.stop(), b.client.stop(), cust.client.stop()]);
  });

  it('going away withdraws pending offers', async () => {
    const a = await onlineAgent(stack, 'Lea');
    await untilAvailable(stack, a.jid);
    const cust = await customer(stack);
    await a.client.waitFor(isInvite(cust.roomJid));
    await a.client.send(xml('presence', {}, xml('show', {}, 'xa')));
    await waitUntil(async () => (await offerStatuses(stack, cust.id))[0]?.status === 'withdrawn', 10_000, 'offer withdrawn');
    await Promise.all([a.client.stop(), cust.client.stop()]);
  });

  it('an agent at max concurrent chats gets no offer until a chat closes', async () => {
    const a = await onlineAgent(stack, 'Max', { maxChats: 1 });
    await untilAvailable(stack, a.jid);
    const first = await customer(stack);
    await a.client.waitFor(isInvite(first.roomJid));
    await a.client.send(joinPresence(first.roomJid, a.nick, first.password));
    await a.client.waitFor(isSelfPresence(first.roomJid));
    const second = await customer(stack, { name: 'Second', message: 'me too' });
    expect(await a.client.receives(isInvite(second.roomJid), 1500)).to.equal(false);
    await a.client.send(groupchat(first.roomJid, '!close'));
    await a.client.waitFor(isInvite(second.roomJid), 10_000, 'offer after close');
    await Promise.all([a.client.stop(), first.client.stop(), second.client.stop()]);
  });

  it('no agent at all: the customer waits and is offered the moment an agent signs in', async () => {
    const cust = await customer(stack, { name: 'Early', message: 'anyone?' });
    await cust.client.waitFor(isBody(cust.roomJid), 10_000, 'waiting notice');
    const a = await onlineAgent(stack, 'Ned');
    const inv = await a.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer on sign-in');
    expect(inv.getChildText('body')).to.include('anyone?');
    await Promise.all([a.client.stop(), cust.client.stop()]);
  });
});
