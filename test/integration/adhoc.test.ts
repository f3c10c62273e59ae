// XEP-0050 ad-hoc commands on the desk service, on real Prosody: discovery
// (features, the command list, each command's node), single-stage commands,
// the XEP-0004 form of "accept" and "reject", cancel, expired sessions,
// refusals for non-agents.
import { expect } from 'chai';
import { customer, onlineAgent, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { fromDesk } from '../support/commands.js';
import { groupchat, isInvite, isSelfPresence, joinPresence, TestClient, xml, type Element } from '../support/xmpp.js';

const NS_CMD = 'http://jabber.org/protocol/commands';
const NS_DATA = 'jabber:x:data';
const NS_INFO = 'http://jabber.org/protocol/disco#info';
const NS_ITEMS = 'http://jabber.org/protocol/disco#items';

async function iq(client: TestClient, type: 'get' | 'set', to: string, child: Element): Promise<Element> {
  return client.xmpp.iqCaller.request(xml('iq', { type, to }, child), 10_000);
}

async function iqError(client: TestClient, type: 'get' | 'set', to: string, child: Element): Promise<{ condition: string; specific: string | null; text: string | null }> {
  try {
    await iq(client, type, to, child);
  } catch (e) {
    const el = (e as { element?: Element }).element!;
    const conds = el.getChildElements();
    return {
      condition: (e as { condition: string }).condition,
      specific: conds.find((c) => c.attrs.xmlns === NS_CMD)?.name ?? null,
      text: el.getChildText('text', 'urn:ietf:params:xml:ns:xmpp-stanzas'),
    };
  }
  throw new Error('expected an error');
}

const command = (node: string, attrs: Record<string, string> = {}, ...children: Element[]) => xml('command', { xmlns: NS_CMD, node, ...attrs }, ...children);

describe('XEP-0050 ad-hoc commands on the desk (Prosody)', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  it('disco: the desk has the commands feature; agents get the list; each node is a command node with data forms', async () => {
    const a = await onlineAgent(stack, 'Ada');
    const desk = stack.cfg.deskDomain;
    const info = (await iq(a.client, 'get', desk, xml('query', { xmlns: NS_INFO }))).getChild('query', NS_INFO)!;
    expect(info.getChildren('feature').map((f) => f.attrs.var)).to.include(NS_CMD);
    const items = (await iq(a.client, 'get', desk, xml('query', { xmlns: NS_ITEMS, node: NS_CMD }))).getChild('query', NS_ITEMS)!;
    expect(items.getChildren('item').map((i) => i.attrs.node)).to.deep.equal(['status', 'queue', 'accept', 'reject', 'available', 'away']);
    expect(items.getChildren('item').every((i) => i.attrs.jid === desk && !!i.attrs.name)).to.equal(true);
    const list = (await iq(a.client, 'get', desk, xml('query', { xmlns: NS_INFO, node: NS_CMD }))).getChild('query', NS_INFO)!;
    expect(list.getChild('identity')?.attrs).to.include({ category: 'automation', type: 'command-list' });
    const one = (await iq(a.client, 'get', desk, xml('query', { xmlns: NS_INFO, node: 'accept' }))).getChild('query', NS_INFO)!;
    expect(one.getChild('identity')?.attrs).to.include({ category: 'automation', type: 'command-node' });
    expect(one.getChildren('feature').map((f) => f.attrs.var)).to.include.members([NS_CMD, NS_DATA]);
    expect((await iqError(a.client, 'get', desk, xml('query', { xmlns: NS_INFO, node: 'nope' }))).condition).to.equal('item-not-found');
  });

  it('status, away and available run in one step; away by hand shows in status and stops offers', async () => {
    const a = await onlineAgent(stack, 'Bea');
    await untilAvailable(stack, a.jid);
    const desk = stack.cfg.deskDomain;
    const away = (await iq(a.client, 'set', desk, command('away', { action: 'execute' }))).getChild('command', NS_CMD)!;
    expect(away.attrs.status).to.equal('completed');
    expect(away.attrs.sessionid).to.be.a('string').and.not.equal('');
    expect(away.getChild('note')?.attrs.type).to.equal('info');
    await untilAvailable(stack, a.jid, false);
    const status = (await iq(a.client, 'set', desk, command('status'))).getChild('command', NS_CMD)!;
    expect(status.getChildText('note')).to.include('set by hand: away');
    await iq(a.client, 'set', desk, command('available'));
    await untilAvailable(stack, a.jid, true);
    await iq(a.client, 'set', desk, command('away'));
    await untilAvailable(stack, a.jid, false);
  });

  it('queue answers with a XEP-0004 result table; accept asks with a form, takes the chat on submit; the agent is invited', async () => {
    const a = await onlineAgent(stack, 'Cal');
    const desk = stack.cfg.deskDomain;
    await iq(a.client, 'set', desk, command('away'));
    await untilAvailable(stack, a.jid, false);
    // Nobody else available: the customer waits in the queue.
    const c = await customer(stack, { name: 'Ad Hoc', email: 'adhoc@example.com', message: 'by form please' });
    await waitUntil(async () => (await stack.sb.db.query('SELECT customer_joined_at FROM conversations WHERE id = $1', [c.id])).rows[0].customer_joined_at !== null, 10_000, 'customer in');
    const q = (await iq(a.client, 'set', desk, command('queue'))).getChild('command', NS_CMD)!;
    const table = q.getChild('x', NS_DATA)!;
    expect(table.attrs.type).to.equal('result');
    expect(table.getChild('reported')!.getChildren('field').map((f) => f.attrs.var)).to.deep.equal(['id', 'room', 'customer', 'waiting']);
    const rows = table.getChildren('item').map((it) => Object.fromEntries(it.getChildren('field').map((f) => [f.attrs.var, f.getChildText('value')])));
    expect(rows.find((r) => r.customer === 'Ad Hoc')).to.include({ id: c.id.slice(0, 8), room: 'General' });

    const stage1 = (await iq(a.client, 'set', desk, command('accept', { action: 'execute' }))).getChild('command', NS_CMD)!;
    expect(stage1.attrs.status).to.equal('executing');
    expect(stage1.getChild('actions')?.attrs.execute).to.equal('complete');
    const form = stage1.getChild('x', NS_DATA)!;
    expect(form.attrs.type).to.equal('form');
    const field = form.getChildren('field').find((f) => f.attrs.var === 'id')!;
    expect(field.attrs.type).to.equal('list-single');
    const option = field.getChildren('option').find((o) => (o.attrs.label ?? '').includes('Ad Hoc'))!;
    expect(option.getChildText('value')).to.equal(c.id);
    const done = (await iq(a.client, 'set', desk, command('accept', { sessionid: stage1.attrs.sessionid! },
      xml('x', { xmlns: NS_DATA, type: 'submit' }, xml('field', { var: 'id' }, xml('value', {}, c.id)))))).getChild('command', NS_CMD)!;
    expect(done.attrs.status).to.equal('completed');
    expect(done.attrs.sessionid).to.equal(stage1.attrs.sessionid);
    expect(done.getChild('note')?.attrs.type).to.equal('info');
    expect(done.getChildText('note')).to.include('is yours');
    await a.client.waitFor(isInvite(c.roomJid), 10_000, 'invitation to join');
    expect((await stack.sb.db.query('SELECT status, agent_id FROM conversations WHERE id = $1', [c.id])).rows[0]).to.deep.equal({ status: 'active', agent_id: a.id });

    // The same session cannot be used again (§4.3 session lifetime); a failed accept completes with an error note.
    const again = await iqError(a.client, 'set', desk, command('accept', { sessionid: stage1.attrs.sessionid! },
      xml('x', { xmlns: NS_DATA, type: 'submit' }, xml('field', { var: 'id' }, xml('value', {}, c.id)))));
    expect(again).to.include({ condition: 'not-allowed', specific: 'session-expired' });
    const late = (await iq(a.client, 'set', desk, command('accept', {}, xml('x', { xmlns: NS_DATA, type: 'submit' }, xml('field', { var: 'id' }, xml('value', {}, c.id)))))).getChild('command', NS_CMD)!;
    expect(late.attrs.status).to.equal('completed');
    expect(late.getChild('note')?.attrs.type).to.equal('error');
  });

  it('reject offers the pending offers as a form and declines the chosen one; cancel ends a session', async () => {
    const a = await onlineAgent(stack, 'Dee');
    await untilAvailable(stack, a.jid);
    const desk = stack.cfg.deskDomain;
    const c = await customer(stack, { name: 'Reject Me', email: 'rej@example.com', message: 'x' });
    await a.client.waitFor(isInvite(c.roomJid), 10_000, 'offer');
    const s1 = (await iq(a.client, 'set', desk, command('reject'))).getChild('command', NS_CMD)!;
    expect(s1.attrs.status).to.equal('executing');
    const opt = s1.getChild('x', NS_DATA)!.getChild('field')!.getChildren('option').find((o) => (o.attrs.label ?? '').includes('Reject Me'))!;
    const cancelled = (await iq(a.client, 'set', desk, command('reject', { sessionid: s1.attrs.sessionid!, action: 'cancel' }))).getChild('command', NS_CMD)!;
    expect(cancelled.attrs.status).to.equal('canceled');
    const s2 = (await iq(a.client, 'set', desk, command('reject'))).getChild('command', NS_CMD)!;
    const done = (await iq(a.client, 'set', desk, command('reject', { sessionid: s2.attrs.sessionid! },
      xml('x', { xmlns: NS_DATA, type: 'submit' }, xml('field', { var: 'id' }, xml('value', {}, opt.getChildText('value')!)))))).getChild('command', NS_CMD)!;
    expect(done.attrs.status).to.equal('completed');
    await fromDesk(stack, a.client, 'You declined the chat');
    expect((await stack.sb.db.query('SELECT status FROM offers WHERE conversation_id = $1 AND agent_id = $2', [c.id, a.id])).rows.map((r) => r.status)).to.deep.equal(['declined']);
  });

  it('accept lists a transfer made to the agent and accepts it on submit', async () => {
    const desk = stack.cfg.deskDomain;
    const alice = await onlineAgent(stack, 'Amy');
    const tom = await onlineAgent(stack, 'Tom');
    await untilAvailable(stack, alice.jid);
    await untilAvailable(stack, tom.jid);
    await iq(tom.client, 'set', desk, command('away'));
    await untilAvailable(stack, tom.jid, false);
    const c = await customer(stack, { name: 'Trans Fer', email: 'tf@example.com', message: 'x' });
    await alice.client.waitFor(isInvite(c.roomJid));
    await alice.client.send(joinPresence(c.roomJid, alice.nick, c.password));
    await alice.client.waitFor(isSelfPresence(c.roomJid));
    await alice.client.send(groupchat(c.roomJid, '!t tom'));
    await tom.client.waitFor((el) => isInvite(c.roomJid)(el) && (el.getChildText('body') ?? '').includes('take over'), 10_000, 'transfer invitation');
    const s1 = (await iq(tom.client, 'set', desk, command('accept'))).getChild('command', NS_CMD)!;
    const opt = s1.getChild('x', NS_DATA)!.getChild('field')!.getChildren('option').find((o) => (o.attrs.label ?? '').startsWith('Transfer from Amy'))!;
    expect(opt.getChildText('value')).to.equal(c.id);
    const done = (await iq(tom.client, 'set', desk, command('accept', { sessionid: s1.attrs.sessionid! },
      xml('x', { xmlns: NS_DATA, type: 'submit' }, xml('field', { var: 'id' }, xml('value', {}, c.id)))))).getChild('command', NS_CMD)!;
    expect(done.getChildText('note')).to.include('is yours now');
    expect((await stack.sb.db.query('SELECT agent_id FROM conversations WHERE id = $1', [c.id])).rows[0].agent_id).to.equal(tom.id);
  });

  it('errors: unknown node, bad action, and a customer (not an agent) is forbidden and sees no command', async () => {
    const a = await onlineAgent(stack, 'Eva');
    const desk = stack.cfg.deskDomain;
    expect((await iqError(a.client, 'set', desk, command('nope'))).condition).to.equal('item-not-found');
    expect(await iqError(a.client, 'set', desk, command('status', { action: 'prev' }))).to.include({ condition: 'bad-request', specific: 'malformed-action' });
    const guest = await TestClient.guest({ url: `ws://127.0.0.1:${stack.cfg.httpPort}/xmpp-websocket`, domain: stack.cfg.guestDomain });
    stack.clients.push(guest);
    const items = (await iq(guest, 'get', desk, xml('query', { xmlns: NS_ITEMS, node: NS_CMD }))).getChild('query', NS_ITEMS)!;
    expect(items.getChildren('item')).to.have.length(0);
    const err = await iqError(guest, 'set', desk, command('status'));
    expect(err.condition).to.equal('forbidden');
    expect(err.text).to.include('Only agents');
  });
});
