// Every routing strategy and eligibility rule on real servers, with several
// agents online at once: the right agent gets the offer and the others don't.
// Each test uses a room of its own, so no rotation or setting leaks between them.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { defaultRoomSettings, type RoomSettings } from '../../src/core/room-settings.js';
import { insertRoom, privateRoomOf } from '../../src/db/repos/rooms.js';
import { clearStack, customer, startStack, untilAvailable, waitUntil, type CustomerSession, type Stack } from '../support/stack.js';
import { isInvite, isSelfPresence, joinPresence, groupchat, TestClient, xml } from '../support/xmpp.js';
import { launchChromium } from '../support/browser.js';
import { adminApi } from '../support/admin-api.js';
import { signIdentity } from '../../src/core/identity.js';

type Online = { client: TestClient; jid: string; nick: string; id: string };
interface Profile { maxChats?: number; show?: string; location?: { lat: number; lon: number }; mobile?: boolean; departmentIds?: string[] }

const PARIS = { lat: 48.8566, lon: 2.3522 };
const LONDON = { lat: 51.5074, lon: -0.1278 };
const BERLIN = { lat: 52.52, lon: 13.405 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };

let seq = 0;
async function agentOnline(stack: Stack, name: string, p: Profile = {}): Promise<Online> {
  const local = `${name.toLowerCase()}${process.pid}s${++seq}`;
  const { agent } = await stack.sb.agents.create({
    name, jid: `${local}@${stack.cfg.xmppDomain}`, password: 'agent-password', maxChats: p.maxChats,
    location: p.location, mobile: p.mobile, departmentIds: p.departmentIds,
  });
  const client = await TestClient.agent({ port: stack.cfg.xmppC2sPort, jid: agent.jid, password: 'agent-password' });
  stack.clients.push(client);
  await client.send(xml('presence', {}, p.show ? xml('show', {}, p.show) : null));
  if (p.show) await waitUntil(() => stack.sb.desk.presence.online(agent.jid), 10_000, `${agent.jid} online`);
  else await untilAvailable(stack, agent.jid);
  return { client, jid: agent.jid, nick: agent.nickname, id: agent.id };
}

async function room(stack: Stack, patch: Partial<RoomSettings>): Promise<string> {
  const slug = `s-${randomUUID().slice(0, 8)}`;
  await insertRoom(stack.sb.db, { slug, kind: 'public', settings: { ...defaultRoomSettings(), offerTimeoutSeconds: 120, reofferAfterSeconds: 600, ...patch } });
  return slug;
}

const offers = async (stack: Stack, convId: string) =>
  (await stack.sb.db.query('SELECT agent_id::text AS agent, status, created_at FROM offers WHERE conversation_id = $1 ORDER BY created_at, agent_id', [convId])).rows as Array<{ agent: string; status: string; created_at: Date }>;

/** Waits for the conversation's first offer and for any dispatch that could add more, then lists who holds one. */
async function offeredTo(stack: Stack, convId: string, atLeast = 1): Promise<string[]> {
  await waitUntil(async () => (await offers(stack, convId)).length >= atLeast, 20_000, `${atLeast} offer(s) for ${convId}`);
  await stack.sb.routing.kick();
  return (await offers(stack, convId)).map((o) => o.agent).sort();
}

/** A chat that is already the agent's (it counts as active for the strategies). */
async function activeChat(stack: Stack, agentId: string): Promise<void> {
  await stack.sb.db.query(`INSERT INTO conversations (room_id, muc_node, customer_name, room_password, customer_token_hash, status, agent_id, accepted_at)
    SELECT id, $2, 'Earlier', 'x', 'x', 'active', $1, now() FROM rooms WHERE slug = 'general'`, [agentId, `busy-${randomUUID().slice(0, 12)}`]);
}

async function accept(a: Online, cust: CustomerSession): Promise<void> {
  await a.client.waitFor(isInvite(cust.roomJid), 20_000, 'the invitation');
  await a.client.send(joinPresence(cust.roomJid, a.nick, cust.password));
  await a.client.waitFor(isSelfPresence(cust.roomJid), 10_000, 'joined');
}

const sorted = (...xs: Online[]) => xs.map((x) => x.id).sort();
const form = (name: string, extra: Record<string, unknown> = {}) => ({ name, message: `hello from ${name}`, ...extra });

describe('routing strategies and eligibility rules (real servers, 3+ agents)', function () {
  this.timeout(90_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });
  afterEach(async () => {
    await clearStack(stack);
    await stack.sb.db.query('UPDATE url_routes SET enabled = false');
    await stack.sb.db.query("DELETE FROM settings WHERE key = 'routing'");
  });

  it('a strategy chosen through the admin API is the one routing uses; an unknown one is refused', async () => {
    const api = await adminApi(stack);
    const slug = await room(stack, {});
    const [a, b, c] = [await agentOnline(stack, 'Abe'), await agentOnline(stack, 'Amy'), await agentOnline(stack, 'Ari')];
    await activeChat(stack, a.id);
    await activeChat(stack, c.id);
    const ring = await customer(stack, form('Ring all'), slug);
    expect(await offeredTo(stack, ring.id, 3)).to.deep.equal(sorted(a, b, c));
    const bad = await api.call('PATCH', `/api/v1/rooms/${slug}`, api.admin, { strategy: 'sticky' });
    expect([bad.status, bad.body.field]).to.deep.equal([400, 'strategy']);
    const ok = await api.call('PATCH', `/api/v1/rooms/${slug}`, api.admin, { strategy: 'least-busy' });
    expect(ok.status).to.equal(200);
    expect(ok.body.settings.strategy).to.equal('least-busy');
    const one = await customer(stack, form('One'), slug);
    expect(await offeredTo(stack, one.id)).to.deep.equal([b.id]);
  });

  it('least-busy: the agent with the fewest chats gets it, and only them', async () => {
    const slug = await room(stack, { strategy: 'least-busy' });
    const [a, b, c] = [await agentOnline(stack, 'Lena'), await agentOnline(stack, 'Lars'), await agentOnline(stack, 'Liv')];
    await activeChat(stack, a.id);
    await activeChat(stack, c.id);
    await activeChat(stack, c.id);
    const cust = await customer(stack, form('Least'), slug);
    expect(await offeredTo(stack, cust.id)).to.deep.equal([b.id]);
    await b.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer to the least busy');
    expect(await a.client.receives(isInvite(cust.roomJid), 500)).to.equal(false);
    expect(await c.client.receives(isInvite(cust.roomJid), 10)).to.equal(false);
    // A decline passes it to the next least busy (a, one chat), not to c (two).
    await b.client.send(xml('message', { to: stack.cfg.deskDomain, type: 'chat' }, xml('body', {}, 'decline')));
    await waitUntil(async () => (await offers(stack, cust.id)).some((o) => o.status === 'pending' && o.agent === a.id), 20_000, 'offer to the next');
    await stack.sb.routing.kick();
    expect((await offers(stack, cust.id)).map((o) => [o.agent, o.status])).to.deep.equal([[b.id, 'declined'], [a.id, 'pending']]);
  });

  it('longest-idle: the agent idle the longest gets it', async () => {
    const slug = await room(stack, { strategy: 'longest-idle' });
    const first = await agentOnline(stack, 'Ida');
    const second = await agentOnline(stack, 'Ivo');
    const third = await agentOnline(stack, 'Ines');
    const cust = await customer(stack, form('Idle'), slug);
    expect(await offeredTo(stack, cust.id)).to.deep.equal([first.id]);
    await accept(first, cust);
    // The first is busy now; the next longest idle is the second.
    const next = await customer(stack, form('Idle two'), slug);
    expect(await offeredTo(stack, next.id)).to.deep.equal([second.id]);
    expect(await third.client.receives(isInvite(next.roomJid), 300)).to.equal(false);
  });

  it('round robin: agents take turns, and the rotation continues after a restart of our process', async () => {
    const slug = await room(stack, { strategy: 'round-robin' });
    const agents = [await agentOnline(stack, 'Rob'), await agentOnline(stack, 'Rae'), await agentOnline(stack, 'Roy')];
    const order = sorted(...agents); // the rotation's order
    const got: string[] = [];
    for (const n of [1, 2]) {
      const cust = await customer(stack, form(`Turn ${n}`), slug);
      const to = await offeredTo(stack, cust.id);
      expect(to).to.have.length(1);
      got.push(to[0]!);
    }
    expect(got).to.deep.equal(order.slice(0, 2));
    const stored = (await stack.sb.db.query('SELECT last_agent_id::text AS a FROM routing_rotation r JOIN rooms ON rooms.id = r.room_id WHERE slug = $1', [slug])).rows[0].a;
    expect(stored).to.equal(order[1]);

    // A new process: nothing in memory; the rotation is read back from the database.
    await stack.sb.close();
    const restarted = await startStack({ httpPort: stack.cfg.httpPort, publicUrl: stack.cfg.publicUrl }, stack.databaseUrl);
    restarted.clients.push(...stack.clients.splice(0));
    const old = stack;
    stack = restarted;
    old.clients.length = 0;
    for (const a of agents) await untilAvailable(stack, a.jid);
    const third = await customer(stack, form('Turn 3'), slug);
    expect(await offeredTo(stack, third.id)).to.deep.equal([order[2]]);
    const fourth = await customer(stack, form('Turn 4'), slug);
    expect(await offeredTo(stack, fourth.id), 'wraps around').to.deep.equal([order[0]]);
  });

  it('nearest-agent: the closest agent by great-circle distance; agents without a location last', async () => {
    const slug = await room(stack, { strategy: 'nearest-agent' });
    const ny = await agentOnline(stack, 'Nia', { location: NEW_YORK });
    const nowhere = await agentOnline(stack, 'Ned');
    const berlin = await agentOnline(stack, 'Nils', { location: BERLIN });
    const london = await agentOnline(stack, 'Nora', { location: LONDON });
    const cust = await customer(stack, form('Near', { context: { location: PARIS } }), slug);
    expect(await offeredTo(stack, cust.id)).to.deep.equal([london.id]);
    await london.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer to the nearest');
    expect(await berlin.client.receives(isInvite(cust.roomJid), 300)).to.equal(false);
    // Declines walk outwards: Berlin, New York, then the agent with no location.
    const next = async (by: Online, want: Online) => {
      await by.client.send(xml('message', { to: stack.cfg.deskDomain, type: 'chat' }, xml('body', {}, 'decline')));
      await waitUntil(async () => (await offers(stack, cust.id)).some((o) => o.status === 'pending' && o.agent === want.id), 20_000, `offer to ${want.nick}`);
    };
    await next(london, berlin);
    await next(berlin, ny);
    await next(ny, nowhere);
    expect(await stack.sb.db.query('SELECT latitude, longitude FROM conversations WHERE id = $1', [cust.id]).then((r) => r.rows[0])).to.deep.equal({ latitude: PARIS.lat, longitude: PARIS.lon });
  });

  it('department: only its members are offered the chat', async () => {
    const dept = (await stack.sb.db.query("INSERT INTO departments (name) VALUES ($1) RETURNING id::text", [`Billing ${randomUUID().slice(0, 6)}`])).rows[0].id as string;
    await stack.sb.db.query(`INSERT INTO settings (key, value) VALUES ('routing', '{"departmentRouting": true}') ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    const slug = await room(stack, {});
    const m1 = await agentOnline(stack, 'Dora', { departmentIds: [dept] });
    const out = await agentOnline(stack, 'Dirk');
    const m2 = await agentOnline(stack, 'Dean', { departmentIds: [dept] });
    const cust = await customer(stack, form('Dept', { departmentId: dept }), slug);
    expect(await offeredTo(stack, cust.id, 2)).to.deep.equal(sorted(m1, m2));
    expect(await out.client.receives(isInvite(cust.roomJid), 500)).to.equal(false);
    // Without a department: everyone.
    const any = await customer(stack, form('No dept'), slug);
    expect(await offeredTo(stack, any.id, 3)).to.deep.equal(sorted(m1, out, m2));
  });

  it('URL routing: a page matching an enabled rule goes to its operators only; other pages to everyone', async () => {
    const slug = await room(stack, {});
    const [a, b, c] = [await agentOnline(stack, 'Uma'), await agentOnline(stack, 'Uli'), await agentOnline(stack, 'Ugo')];
    const rule = (await stack.sb.db.query("INSERT INTO url_routes (pattern, enabled) VALUES ($1, true) RETURNING id::text", [`shop${seq}.example.com/cart`])).rows[0].id as string;
    await stack.sb.db.query('INSERT INTO url_route_agents (url_route_id, agent_id) VALUES ($1, $2), ($1, $3)', [rule, b.id, c.id]);
    const cust = await customer(stack, form('Cart', { context: { pageUrl: `https://shop${seq}.example.com/cart/checkout?step=2` } }), slug);
    expect(await offeredTo(stack, cust.id, 2)).to.deep.equal(sorted(b, c));
    expect(await a.client.receives(isInvite(cust.roomJid), 500)).to.equal(false);
    expect((await stack.sb.db.query('SELECT page_url FROM conversations WHERE id = $1', [cust.id])).rows[0].page_url).to.equal(`https://shop${seq}.example.com/cart/checkout?step=2`);
    const other = await customer(stack, form('Home', { context: { pageUrl: `https://shop${seq}.example.com/` } }), slug);
    expect(await offeredTo(stack, other.id, 3)).to.deep.equal(sorted(a, b, c));
  });

  it("private room: only the owner is offered its chats, even when busier than the others", async () => {
    const owner = await agentOnline(stack, 'Pia');
    const [x, y] = [await agentOnline(stack, 'Pat'), await agentOnline(stack, 'Pol')];
    await activeChat(stack, owner.id);
    const priv = (await privateRoomOf(stack.sb.db, owner.id))!;
    const cust = await customer(stack, form('Private'), priv.slug);
    expect(await offeredTo(stack, cust.id)).to.deep.equal([owner.id]);
    await owner.client.waitFor(isInvite(cust.roomJid), 10_000, "the owner's offer");
    expect(await x.client.receives(isInvite(cust.roomJid), 500)).to.equal(false);
    expect(await y.client.receives(isInvite(cust.roomJid), 10)).to.equal(false);
    // A decline does not open it to anyone else.
    await owner.client.send(xml('message', { to: stack.cfg.deskDomain, type: 'chat' }, xml('body', {}, 'decline')));
    await waitUntil(async () => (await offers(stack, cust.id))[0]?.status === 'declined', 10_000, 'declined');
    await stack.sb.routing.kick();
    expect((await offers(stack, cust.id)).map((o) => o.agent)).to.deep.equal([owner.id]);
  });

  it('tiers: available desktop agents first; mobile and away-but-mobile agents after the delay; away desktop agents never', async () => {
    const slug = await room(stack, { tierDelaySeconds: 3, includeMobileAgents: true });
    const desk = await agentOnline(stack, 'Tess');
    const phone = await agentOnline(stack, 'Tom', { mobile: true });
    const awayPhone = await agentOnline(stack, 'Tia', { mobile: true, show: 'away' });
    const awayDesk = await agentOnline(stack, 'Ted', { show: 'xa' });
    const cust = await customer(stack, form('Tiered'), slug);
    expect(await offeredTo(stack, cust.id)).to.deep.equal([desk.id]);
    await waitUntil(async () => (await offers(stack, cust.id)).length === 3, 30_000, 'the mobile tier');
    const rows = await offers(stack, cust.id);
    expect(rows.map((o) => o.agent).sort()).to.deep.equal(sorted(desk, phone, awayPhone));
    const joined = (await stack.sb.db.query('SELECT customer_joined_at FROM conversations WHERE id = $1', [cust.id])).rows[0].customer_joined_at as Date;
    for (const o of rows.filter((r) => r.agent !== desk.id)) expect(o.created_at.getTime() - joined.getTime()).to.be.at.least(3000 - 5);
    await awayPhone.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer to the away-but-mobile agent');
    expect(await awayDesk.client.receives(isInvite(cust.roomJid), 300)).to.equal(false);
  });

  it('tiers: a mobile agent signing in away gets a chat already past the delay; signing out withdraws it', async () => {
    const slug = await room(stack, { tierDelaySeconds: 1, includeMobileAgents: true });
    const cust = await customer(stack, form('Late phone'), slug);
    await waitUntil(async () => (await stack.sb.db.query("SELECT now() - customer_joined_at > interval '1.5 seconds' AS past FROM conversations WHERE id = $1", [cust.id])).rows[0].past, 20_000, 'past the delay');
    expect(await offers(stack, cust.id)).to.deep.equal([]);
    const phone = await agentOnline(stack, 'Pam', { mobile: true, show: 'xa' });
    expect(await offeredTo(stack, cust.id)).to.deep.equal([phone.id]);
    await phone.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer to the phone');
    await phone.client.send(xml('presence', { type: 'unavailable' }));
    await waitUntil(async () => (await offers(stack, cust.id))[0]?.status === 'withdrawn', 20_000, 'offer withdrawn');
  });

  it('tiers: a room without mobile agents never offers them', async () => {
    const slug = await room(stack, { tierDelaySeconds: 1, includeMobileAgents: false, reofferAfterSeconds: 1 });
    const phone = await agentOnline(stack, 'Mo', { mobile: true });
    const desk = await agentOnline(stack, 'Meg');
    const cust = await customer(stack, form('No phones'), slug);
    expect(await offeredTo(stack, cust.id)).to.deep.equal([desk.id]);
    // Long past the delay, after a decline and the re-offer pause: still only the desktop agent.
    await desk.client.send(xml('message', { to: stack.cfg.deskDomain, type: 'chat' }, xml('body', {}, 'decline')));
    await waitUntil(async () => (await offers(stack, cust.id)).length === 2, 20_000, 're-offer to the desktop agent');
    expect((await offers(stack, cust.id)).map((o) => o.agent)).to.deep.equal([desk.id, desk.id]);
    expect(await phone.client.receives(isInvite(cust.roomJid), 10)).to.equal(false);
  });

  describe('sticky agent', () => {
    it('a returning customer (same email) is offered only to the agent who served them; "Ask all agents" widens it at once', async () => {
      const slug = await room(stack, { stickyAgent: true, askAllAllowed: true, tierDelaySeconds: 600 });
      const [a, b, c] = [await agentOnline(stack, 'Sam'), await agentOnline(stack, 'Sue'), await agentOnline(stack, 'Sid')];
      const email = `back${seq}@example.com`;
      const first = await customer(stack, form('Back', { email }), slug);
      expect(await offeredTo(stack, first.id, 3)).to.deep.equal(sorted(a, b, c), 'a first-time customer: everyone');
      await accept(b, first);
      await b.client.send(groupchat(first.roomJid, '!close'));
      await waitUntil(async () => (await stack.sb.db.query('SELECT status FROM conversations WHERE id = $1', [first.id])).rows[0].status === 'closed', 10_000, 'closed');

      const again = await customer(stack, form('Back again', { email: email.toUpperCase() }), slug);
      expect(await offeredTo(stack, again.id)).to.deep.equal([b.id]);
      expect([(first as unknown as { askAll: boolean }).askAll, (again as unknown as { askAll: boolean }).askAll], 'the start tells who may ask all').to.deep.equal([false, true]);
      expect(await a.client.receives(isInvite(again.roomJid), 500)).to.equal(false);

      const askAll = (token: string, id = again.id) => fetch(`${stack.cfg.publicUrl}/api/v1/conversations/${id}/ask-all`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect((await askAll('wrong-token')).status).to.equal(404);
      expect((await fetch(`${stack.cfg.publicUrl}/api/v1/conversations/${again.id}/ask-all`, { method: 'POST' })).status).to.equal(401);
      expect((await askAll(again.customerToken)).status).to.equal(204);
      expect(await offeredTo(stack, again.id, 3)).to.deep.equal(sorted(a, b, c));
      await a.client.waitFor(isInvite(again.roomJid), 10_000, 'offer after ask-all');
      await accept(c, again);
      const late = await askAll(again.customerToken);
      expect(late.status, 'not waiting any more').to.equal(409);
      expect((await late.json()).message).to.match(/not waiting/);
    });

    it('by visitor cookie id; after the tier delay everyone is offered too', async () => {
      const slug = await room(stack, { stickyAgent: true, tierDelaySeconds: 2 });
      const [a, b, c] = [await agentOnline(stack, 'Vic'), await agentOnline(stack, 'Val'), await agentOnline(stack, 'Vin')];
      const visitorId = `v_${randomUUID().slice(0, 8)}`;
      const first = await customer(stack, form('Cookie', { context: { visitorId } }), slug);
      await offeredTo(stack, first.id, 3);
      await accept(c, first);
      await c.client.send(groupchat(first.roomJid, '!close'));
      await waitUntil(async () => (await stack.sb.db.query('SELECT status FROM conversations WHERE id = $1', [first.id])).rows[0].status === 'closed', 10_000, 'closed');

      const again = await customer(stack, form('Cookie again', { context: { visitorId } }), slug);
      expect(await offeredTo(stack, again.id)).to.deep.equal([c.id]);
      await waitUntil(async () => (await offers(stack, again.id)).length === 3, 30_000, 'everyone after the delay');
      const rows = await offers(stack, again.id);
      expect(rows.map((o) => o.agent).sort()).to.deep.equal(sorted(a, b, c));
      expect(rows[0]!.agent).to.equal(c.id);
      const joined = (await stack.sb.db.query('SELECT customer_joined_at FROM conversations WHERE id = $1', [again.id])).rows[0].customer_joined_at as Date;
      for (const o of rows.slice(1)) expect(o.created_at.getTime() - joined.getTime()).to.be.at.least(2000 - 5);
    });

    it('by verified identity: the id the company\'s site signed, whatever email or browser', async () => {
      const slug = await room(stack, { stickyAgent: true, tierDelaySeconds: 600 });
      const [a, b, c] = [await agentOnline(stack, 'Ivy'), await agentOnline(stack, 'Ian'), await agentOnline(stack, 'Ike')];
      const key = (await stack.sb.db.query('SELECT secret FROM rooms WHERE slug = $1', [slug])).rows[0].secret as string;
      const id = `member-${randomUUID().slice(0, 8)}`;
      const identity = (email: string) => {
        const attrs = { id, email, ts: Math.floor(Date.now() / 1000) };
        return { ...attrs, signature: signIdentity(key, slug, attrs) };
      };
      const first = await customer(stack, form('Known', { email: 'home@example.com', identity: identity('home@example.com') }), slug);
      expect(await offeredTo(stack, first.id, 3)).to.deep.equal(sorted(a, b, c));
      await accept(a, first);
      await a.client.send(groupchat(first.roomJid, '!close'));
      await waitUntil(async () => (await stack.sb.db.query('SELECT status FROM conversations WHERE id = $1', [first.id])).rows[0].status === 'closed', 10_000, 'closed');

      const again = await customer(stack, form('Known at work', { email: 'work@example.com', identity: identity('work@example.com') }), slug);
      expect(await offeredTo(stack, again.id)).to.deep.equal([a.id]);
      // A forged signature with the same id is not trusted: a first-time customer, offered to everyone.
      const forged = await customer(stack, form('Impostor', { email: 'x@example.com', identity: { ...identity('x@example.com'), signature: '0'.repeat(64) } }), slug);
      expect(await offeredTo(stack, forged.id, 3)).to.deep.equal(sorted(a, b, c));
    });

    it('ask-all is refused (409) where the room does not allow it', async () => {
      const slug = await room(stack, { stickyAgent: true, askAllAllowed: false });
      await agentOnline(stack, 'Ada');
      const cust = await customer(stack, form('Nope'), slug);
      const res = await fetch(`${stack.cfg.publicUrl}/api/v1/conversations/${cust.id}/ask-all`, { method: 'POST', headers: { authorization: `Bearer ${cust.customerToken}` } });
      expect(res.status).to.equal(409);
      expect((await res.json()).message).to.match(/does not let customers ask all agents/);
    });
  });

  describe('context at conversation start', () => {
    const post = (body: unknown) => fetch(`${stack.cfg.publicUrl}/api/v1/rooms/general/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const cases: Array<[string, unknown, string]> = [
      ['latitude out of range', { location: { lat: 91, lon: 0 } }, 'context.location.lat'],
      ['longitude not a number', { location: { lat: 1, lon: '2' } }, 'context.location.lon'],
      ['page URL not http(s)', { pageUrl: 'ftp://example.com/x' }, 'context.pageUrl'],
      ['page URL too long', { pageUrl: `https://example.com/${'a'.repeat(2040)}` }, 'context.pageUrl'],
      ['visitor id with a bad character', { visitorId: 'abc def' }, 'context.visitorId'],
      ['an unknown key', { referrer: 'x' }, 'context.referrer'],
      ['not an object', 'https://example.com', 'context'],
    ];
    for (const [what, context, field] of cases) {
      it(`${what} → 400 naming ${field}, nothing stored`, async () => {
        const before = (await stack.sb.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n;
        const res = await post({ name: 'Ctx', message: 'hi', context });
        expect(res.status).to.equal(400);
        const body = await res.json() as { field: string; message: string };
        expect(body.field).to.equal(field);
        expect(body.message.startsWith(`${field}:`)).to.equal(true);
        expect((await stack.sb.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n).to.equal(before);
      });
    }

    it('a valid context is stored on the conversation', async () => {
      const res = await post({ name: 'Ctx', message: 'hi', context: { pageUrl: 'https://example.com/a?b=c', visitorId: 'Ab_9-z', location: { lat: -33.9, lon: 151.2 } } });
      expect(res.status).to.equal(201);
      const { id } = await res.json() as { id: string };
      const row = (await stack.sb.db.query('SELECT page_url, visitor_id, latitude, longitude FROM conversations WHERE id = $1', [id])).rows[0];
      expect(row).to.deep.equal({ page_url: 'https://example.com/a?b=c', visitor_id: 'Ab_9-z', latitude: -33.9, longitude: 151.2 });
    });
  });

  it('the customer page sends its context: the embedding page routes by URL, the same browser returns to its agent', async () => {
    const slug = await room(stack, { stickyAgent: true, tierDelaySeconds: 600 });
    const [a, b, c] = [await agentOnline(stack, 'Wes'), await agentOnline(stack, 'Wim'), await agentOnline(stack, 'Wyn')];
    const rule = (await stack.sb.db.query("INSERT INTO url_routes (pattern, enabled) VALUES ($1, true) RETURNING id::text", [`web${seq}.example.com/help`])).rows[0].id as string;
    await stack.sb.db.query('INSERT INTO url_route_agents (url_route_id, agent_id) VALUES ($1, $2), ($1, $3)', [rule, a.id, b.id]);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const jidOf = async (id: string) => `${(await stack.sb.db.query('SELECT muc_node FROM conversations WHERE id = $1', [id])).rows[0].muc_node}@${stack.cfg.roomsDomain}`;
      // A new tab each time (the page keeps its conversation per tab); the browser's storage is shared.
      const start = async (name: string, pageUrl: string) => {
        const page = await context.newPage();
        await page.goto(`${stack.cfg.publicUrl}/c/${slug}?page=${encodeURIComponent(pageUrl)}`);
        await page.fill('input[name="name"]', name);
        await page.fill('[name="message"]', 'hello');
        await page.click('#start');
        let row: { id: string; page_url: string; visitor_id: string } | undefined;
        await waitUntil(async () => {
          row = (await stack.sb.db.query('SELECT id::text, page_url, visitor_id FROM conversations WHERE customer_name = $1', [name])).rows[0];
          return !!row?.visitor_id; // the context is stored just after the row
        }, 20_000, `${name}'s conversation`);
        return { ...row!, page };
      };
      const first = await start(`Web ${seq}`, `https://web${seq}.example.com/help/faq`);
      expect(first.page_url).to.equal(`https://web${seq}.example.com/help/faq`);
      expect(first.visitor_id).to.match(/^[A-Za-z0-9_-]{1,64}$/);
      expect(await offeredTo(stack, first.id, 2)).to.deep.equal(sorted(a, b));
      await first.page.waitForSelector('#status:has-text("Waiting")');
      expect(await first.page.isHidden('#ask-all'), 'a first-time customer has nobody to wait for').to.equal(true);
      const roomJid = await jidOf(first.id);
      const password = (await stack.sb.db.query('SELECT room_password FROM conversations WHERE id = $1', [first.id])).rows[0].room_password as string;
      await accept(b, { roomJid, password } as CustomerSession);
      await waitUntil(async () => (await stack.sb.db.query('SELECT status FROM conversations WHERE id = $1', [first.id])).rows[0].status === 'active', 10_000, 'accepted');
      await stack.sb.db.query("UPDATE conversations SET status = 'closed', closed_at = now() WHERE id = $1", [first.id]);

      // The same browser again, from a page no rule matches: the cookie id brings it to b first.
      const again = await start(`Web again ${seq}`, 'https://elsewhere.example.org/');
      expect(again.visitor_id).to.equal(first.visitor_id);
      expect(await offeredTo(stack, again.id)).to.deep.equal([b.id]);
      expect(await c.client.receives(isInvite(await jidOf(again.id)), 300)).to.equal(false);
      // The page offers "Ask all agents" while the customer waits for b; pressing it offers everyone.
      await again.page.click('#ask-all');
      expect(await offeredTo(stack, again.id, 3)).to.deep.equal(sorted(a, b, c));
      await again.page.waitForSelector('#ask-all', { state: 'hidden' });
      await again.page.waitForSelector('text=Every available agent has been asked too.');
    } finally { await browser.close(); }
  });
});
