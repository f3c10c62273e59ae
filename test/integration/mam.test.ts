// The conversation archive (XEP-0313, urn:xmpp:mam:2) on our MUC rooms, asked
// by @xmpp/client over the real Prosody: the customer and the room's agent page
// through it (XEP-0059 max/after/before), private notes only reach agents, the
// form's fields filter, and anyone outside the conversation is refused.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { agents, roomBody, served } from '../support/commands.js';
import { startStack, type Stack } from '../support/stack.js';
import { groupchat, isBody, TestClient, xml, type Element } from '../support/xmpp.js';

const NS_MAM = 'urn:xmpp:mam:2';
const NS_RSM = 'http://jabber.org/protocol/rsm';
const NS_FORWARD = 'urn:xmpp:forward:0';
const NS_SID = 'urn:xmpp:sid:0';

interface Query { max?: number; after?: string; before?: string; fields?: Record<string, string | string[]>; flip?: boolean }
interface Answer { results: Element[]; fin: Element; ids: string[]; bodies: string[] }

/** One archive query: the result messages it brought, then its <fin/>. Rejects with the IQ error. */
async function mam(c: TestClient, roomJid: string, q: Query = {}): Promise<Answer> {
  const queryid = randomUUID();
  const fields = Object.entries(q.fields ?? {});
  const iq = xml('iq', { type: 'set', to: roomJid },
    xml('query', { xmlns: NS_MAM, queryid },
      fields.length ? xml('x', { xmlns: 'jabber:x:data', type: 'submit' },
        xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS_MAM)),
        ...fields.map(([k, v]) => xml('field', { var: k }, ...(Array.isArray(v) ? v : [v]).map((x) => xml('value', {}, x))))) : null,
      q.max !== undefined || q.after !== undefined || q.before !== undefined
        ? xml('set', { xmlns: NS_RSM }, q.max !== undefined ? xml('max', {}, String(q.max)) : null,
          q.after !== undefined ? xml('after', {}, q.after) : null, q.before !== undefined ? xml('before', {}, q.before) : null)
        : null,
      q.flip ? xml('flip-page') : null));
  const res = await c.xmpp.iqCaller.request(iq, 10_000);
  // §4.2: every result arrived before the IQ result.
  const results = c.stanzas.filter((el) => el.is('message') && el.getChild('result', NS_MAM)?.attrs.queryid === queryid);
  for (const r of results) c.stanzas.splice(c.stanzas.indexOf(r), 1);
  const inner = (r: Element) => r.getChild('result', NS_MAM)!.getChild('forwarded', NS_FORWARD)!.getChild('message')!;
  return {
    results, fin: res.getChild('fin', NS_MAM)!,
    ids: results.map((r) => r.getChild('result', NS_MAM)!.attrs.id!),
    bodies: results.map((r) => inner(r).getChildText('body') ?? ''),
  };
}

const rsm = (fin: Element) => {
  const set = fin.getChild('set', NS_RSM)!;
  return { first: set.getChildText('first'), last: set.getChildText('last'), count: Number(set.getChildText('count')), index: set.getChild('first')?.attrs.index, complete: fin.attrs.complete === 'true' };
};

/** The IQ error of a query that must fail. */
async function refused(c: TestClient, roomJid: string, q: Query = {}): Promise<{ condition: string | null; text: string | null }> {
  try {
    await mam(c, roomJid, q);
  } catch (e) {
    const err = e as { condition?: string; text?: string };
    if (err.condition === undefined) throw e;
    return { condition: err.condition, text: err.text || null };
  }
  throw new Error('the query was answered');
}

describe('conversation archive (XEP-0313 on the MUC room)', function () {
  this.timeout(120_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  it('customer and agent page through it; private notes only for agents; outsiders are forbidden', async () => {
    const [mara, other] = await agents(stack, ['Mara', 'Otto']);
    const cust = await served(stack, mara!, { name: 'Archie Archive', email: 'archie@example.com', message: 'First line' });
    const room = cust.roomJid;
    const custFrom = `${room}/${cust.nick}`;
    const live: Record<string, string> = {}; // body → the stanza-id the customer saw live
    for (let i = 1; i <= 4; i++) {
      await cust.client.send(groupchat(room, `c${i}`));
      await mara!.client.waitFor(isBody(custFrom, `c${i}`), 10_000, `c${i}`);
      await mara!.client.send(groupchat(room, `a${i}`));
      const got = await cust.client.waitFor(isBody(`${room}/${mara!.nick}`, `a${i}`), 10_000, `a${i}`);
      live[`a${i}`] = got.getChild('stanza-id', NS_SID)!.attrs.id!;
    }
    await mara!.client.send(groupchat(room, '!p the customer must never read this'));
    await roomBody(room, mara!.client, '[private] the customer must never read this');
    await mara!.client.send(groupchat(room, 'a5 after the note'));
    await cust.client.waitFor(isBody(`${room}/${mara!.nick}`, 'a5 after the note'), 10_000, 'a5');

    const stored = (await stack.sb.db.query('SELECT id::text, body, private FROM messages WHERE conversation_id = $1 ORDER BY seq', [cust.id])).rows as Array<{ id: string; body: string; private: boolean }>;
    const publicLines = stored.filter((m) => !m.private);
    const note = stored.find((m) => m.private)!;
    expect(note.body).to.equal('the customer must never read this');

    // The room says it keeps an archive (§8).
    const info = await cust.client.xmpp.iqCaller.request(xml('iq', { type: 'get', to: room }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
    expect(info.getChild('query')!.getChildren('feature').map((f) => f.attrs.var)).to.include.members([NS_MAM, `${NS_MAM}#extended`]);

    // Customer, everything at once: the public lines in storage order, never the note.
    const all = await mam(cust.client, room);
    expect(all.ids).to.deep.equal(publicLines.map((m) => m.id));
    expect(all.bodies).to.deep.equal(publicLines.map((m) => m.body));
    expect(all.bodies.join('\n')).not.to.include('never read this');
    expect(rsm(all.fin)).to.deep.include({ count: publicLines.length, complete: true, first: publicLines[0]!.id, last: publicLines.at(-1)!.id });
    // §4.2 and §5.1.2: the result id is the stanza-id seen live; the forwarded message comes from the occupant, to nobody, with its time.
    const a2 = all.results[all.bodies.indexOf('a2')]!;
    expect(a2.attrs.from).to.equal(room);
    expect(a2.getChild('result', NS_MAM)!.attrs.id).to.equal(live.a2);
    const fwd = a2.getChild('result', NS_MAM)!.getChild('forwarded', NS_FORWARD)!;
    expect(fwd.getChild('delay', 'urn:xmpp:delay')!.attrs.stamp).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(fwd.getChild('message')!.attrs).to.deep.include({ from: `${room}/${mara!.nick}`, type: 'groupchat' });
    expect(fwd.getChild('message')!.attrs.to).to.equal(undefined);

    // Customer, three at a time (XEP-0059 <max/> and <after/>): the same lines, page by page.
    const paged: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const p = await mam(cust.client, room, { max: 3, after });
      const s = rsm(p.fin);
      expect(p.ids.length).to.be.at.most(3);
      expect(s.count).to.equal(publicLines.length);
      expect(s.index).to.equal(String(paged.length));
      paged.push(...p.ids);
      pages++;
      if (s.complete) break;
      expect(s.last).to.equal(p.ids.at(-1));
      after = s.last!;
    }
    expect(paged).to.deep.equal(publicLines.map((m) => m.id));
    expect(pages).to.equal(Math.ceil(publicLines.length / 3));
    // The last page (empty <before/>), and the one before it.
    const lastPage = await mam(cust.client, room, { max: 2, before: '' });
    expect(lastPage.ids).to.deep.equal(publicLines.slice(-2).map((m) => m.id));
    expect(rsm(lastPage.fin).complete).to.equal(false);
    const previous = await mam(cust.client, room, { max: 2, before: lastPage.ids[0] });
    expect(previous.ids).to.deep.equal(publicLines.slice(-4, -2).map((m) => m.id));
    // Form fields: after-id, ids, with (an occupant JID), flipped page.
    const afterA2 = await mam(cust.client, room, { fields: { 'after-id': live.a2! } });
    expect(afterA2.bodies).to.deep.equal(publicLines.slice(publicLines.findIndex((m) => m.id === live.a2) + 1).map((m) => m.body));
    expect((await mam(cust.client, room, { fields: { ids: [live.a3!, live.a1!] } })).bodies).to.deep.equal(['a1', 'a3']);
    expect((await mam(cust.client, room, { fields: { with: `${room}/${mara!.nick}` } })).bodies).to.deep.equal(['a1', 'a2', 'a3', 'a4', 'a5 after the note']);
    expect((await mam(cust.client, room, { max: 2, before: '', flip: true })).ids).to.deep.equal(publicLines.slice(-2).map((m) => m.id).reverse());
    // The note's id is not in the customer's archive: as unknown as any other (§4.1.3).
    expect(await refused(cust.client, room, { max: 5, after: note.id })).to.deep.include({ condition: 'item-not-found' });
    expect(await refused(cust.client, room, { fields: { 'after-id': note.id } })).to.deep.include({ condition: 'item-not-found' });
    expect(await refused(cust.client, room, { fields: { colour: 'blue' } })).to.deep.include({ condition: 'feature-not-implemented' });
    expect((await refused(cust.client, room, { fields: { start: 'yesterday' } })).text).to.match(/start must be a date and time/);

    // The room's agent: the note too, marked, in its place.
    const forAgent = await mam(mara!.client, room);
    expect(forAgent.ids).to.deep.equal(stored.map((m) => m.id));
    expect(forAgent.bodies).to.include('[private] the customer must never read this');
    expect(rsm(forAgent.fin).count).to.equal(stored.length);
    const agentPage = await mam(mara!.client, room, { max: 2, after: live.a4 });
    expect(agentPage.bodies).to.deep.equal(['[private] the customer must never read this', 'a5 after the note']);
    expect(rsm(agentPage.fin).complete).to.equal(true);

    // Not in the conversation: another agent, a guest of another session.
    for (const outsider of [other!.client, await TestClient.guest({ url: `ws://127.0.0.1:${stack.cfg.httpPort}/xmpp-websocket`, domain: stack.cfg.guestDomain })]) {
      if (!stack.clients.includes(outsider)) stack.clients.push(outsider);
      const r = await refused(outsider, room);
      expect(r.condition).to.equal('forbidden');
      expect(r.text).to.equal('Only the people in this conversation can read its messages; join it first.');
      expect(outsider.stanzas.some((el) => el.getChild('result', NS_MAM))).to.equal(false);
    }
  });
});
