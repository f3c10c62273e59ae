// Queue behaviour on real servers (issue 4), each with three agents: offline
// mode when a room is full or closed, unmanaged chats, queue position and
// estimated wait pushed to waiting customers, an agent's disconnection with its
// grace period, unattended chats closed as timeout, wrap-up time.
import { expect } from 'chai';
import { defaultHours, defaultRoomSettings, type RoomSettings } from '../../src/core/room-settings.js';
import { insertRoom } from '../../src/db/repos/rooms.js';
import { adminApi } from '../support/admin-api.js';
import { customer, onlineAgent, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { groupchat, isBody, isInvite, isSelfPresence, joinPresence, NS_MUC_USER, xml, type Element } from '../support/xmpp.js';

const NS_QUEUE = 'urn:switchboard:queue';
const queueOf = (el: Element) => (el.is('message') ? el.getChild('queue', NS_QUEUE) : undefined);
const isQueue = (roomJid: string, attrs: Record<string, string> = {}) => (el: Element) => {
  const q = queueOf(el);
  return el.attrs.from === roomJid && !!q && Object.entries(attrs).every(([k, v]) => q.attrs[k] === v);
};
const isDestroyed = (roomJid: string) => (el: Element) =>
  el.is('presence') && el.attrs.type === 'unavailable' && (el.attrs.from ?? '').startsWith(roomJid + '/') && !!el.getChild('x', NS_MUC_USER)?.getChild('destroy');

let roomSeq = 0;

describe('queue behaviour', function () {
  this.timeout(90_000);
  let stack: Stack;
  before(async () => { stack = await startStack({}, undefined, { queueStatusThrottleMs: 100 }); });
  after(async () => { await stack?.stop(); });
  afterEach(async () => {
    await Promise.all(stack.clients.splice(0).map((c) => c.stop()));
    await stack.sb.db.query("UPDATE conversations SET status = 'closed', closed_at = now() WHERE status <> 'closed'");
    await stack.sb.db.query("UPDATE offers SET status = 'withdrawn' WHERE status = 'pending'");
    await waitUntil(() => stack.sb.queue.availableAgents() === 0, 10_000, 'every agent gone');
  });

  async function newRoom(patch: Partial<RoomSettings>): Promise<string> {
    const slug = `queue-${++roomSeq}`;
    await insertRoom(stack.sb.db, { slug, kind: 'public', settings: { ...defaultRoomSettings(), name: `Queue ${roomSeq}`, ...patch } });
    return slug;
  }

  async function threeAgents(opts: { maxChats?: number; shows?: Array<string | undefined> } = {}) {
    const shows = opts.shows ?? [undefined, undefined, undefined];
    const list = await Promise.all(shows.map((show, i) => onlineAgent(stack, ['Ada', 'Bo', 'Cy'][i]!, { maxChats: opts.maxChats, show })));
    await waitUntil(() => list.every((a) => stack.sb.desk.presence.online(a.jid)), 10_000, 'agents\' presence');
    return list;
  }

  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${stack.cfg.publicUrl}${path}`, { method: 'POST', headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: res.status === 204 ? null : await res.json() as Record<string, unknown> };
  };
  const publicView = async (slug: string) => (await (await fetch(`${stack.cfg.publicUrl}/api/v1/rooms/${slug}/public`)).json()) as Record<string, unknown>;
  const form = (name: string) => ({ name, email: `${name.toLowerCase()}@example.com`, message: `Hello from ${name}` });
  const convRow = async (id: string) => (await stack.sb.db.query('SELECT status, disposition, agent_id AS "agentId", closed_by AS "closedBy", closed_at AS "closedAt" FROM conversations WHERE id = $1', [id])).rows[0];
  const eventsOf = async (id: string) => (await stack.sb.db.query('SELECT kind FROM conversation_events WHERE conversation_id = $1 ORDER BY id', [id])).rows.map((r) => r.kind as string);

  it('the settings: wrapUpSeconds and disconnectGraceSeconds default to 0 and 60, are checked, and are stored', async () => {
    const api = await adminApi(stack);
    const slug = await newRoom({});
    const got = await api.call('GET', `/api/v1/rooms/${slug}`, api.admin);
    expect(got.body.settings).to.include({ wrapUpSeconds: 0, disconnectGraceSeconds: 60, unattendedTimeoutSeconds: 0, maxConcurrentSessions: 0 });
    for (const [body, field] of [[{ wrapUpSeconds: -1 }, 'wrapUpSeconds'], [{ disconnectGraceSeconds: 1.5 }, 'disconnectGraceSeconds'], [{ wrapUpSeconds: 3601 }, 'wrapUpSeconds']] as const) {
      const r = await api.call('PATCH', `/api/v1/rooms/${slug}`, api.admin, body);
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(r.body.field).to.match(new RegExp(field));
    }
    const ok = await api.call('PATCH', `/api/v1/rooms/${slug}`, api.admin, { wrapUpSeconds: 20, disconnectGraceSeconds: 0 });
    expect(ok.status).to.equal(200);
    expect(ok.body.settings).to.include({ wrapUpSeconds: 20, disconnectGraceSeconds: 0 });
  });

  it('room full: a start is refused (409, reason "full"), the public view says offline, a note is still taken; a freed place reopens it', async () => {
    const slug = await newRoom({ maxConcurrentSessions: 2 });
    await threeAgents({ shows: ['away', 'away', 'away'] });
    expect(await publicView(slug)).to.include({ mode: 'unmanaged', reason: 'no_agents' });
    const first = await customer(stack, form('One'), slug);
    await customer(stack, form('Two'), slug);
    const third = await post(`/api/v1/rooms/${slug}/conversations`, form('Three'));
    expect(third.status).to.equal(409);
    expect(third.json).to.include({ reason: 'full', field: 'room' });
    expect(third.json!.message).to.match(/limit of 2 chats/);
    expect(await publicView(slug)).to.include({ open: true, mode: 'offline', reason: 'full' });
    expect((await post(`/api/v1/rooms/${slug}/notes`, form('Three'))).status).to.equal(201);
    expect((await post(`/api/v1/conversations/${first.id}/end`, undefined, first.customerToken)).status).to.equal(204);
    expect((await publicView(slug)).reason).to.not.equal('full');
    expect((await post(`/api/v1/rooms/${slug}/conversations`, form('Four'))).status).to.equal(201);
  });

  it('room full under concurrency: of 12 starts at once into a room of 3, exactly 3 get in', async () => {
    const slug = await newRoom({ maxConcurrentSessions: 3 });
    await threeAgents();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => post(`/api/v1/rooms/${slug}/conversations`, form(`Racer${i}`))));
    expect(results.filter((r) => r.status === 201)).to.have.length(3);
    expect(results.filter((r) => r.status === 409 && r.json!.reason === 'full')).to.have.length(9);
    const open = await stack.sb.db.query("SELECT count(*)::int AS n FROM conversations c JOIN rooms r ON r.id = c.room_id WHERE r.slug = $1 AND c.status <> 'closed'", [slug]);
    expect(open.rows[0].n).to.equal(3);
  });

  it('outside working hours: a start is refused (409, reason "closed"), the public view says offline; a note is still taken', async () => {
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const slug = await newRoom({ hours: { ...defaultHours(), enabled: true, timeZone: 'UTC', exceptions: [-1, 0, 1].map((d) => ({ date: day(d), closed: true, intervals: [] })) } });
    await threeAgents();
    const r = await post(`/api/v1/rooms/${slug}/conversations`, form('Late'));
    expect(r.status).to.equal(409);
    expect(r.json).to.include({ reason: 'closed', field: 'room' });
    expect(await publicView(slug)).to.include({ open: false, mode: 'offline', reason: 'closed' });
    expect((await post(`/api/v1/rooms/${slug}/notes`, form('Late'))).status).to.equal(201);
  });

  it('unmanaged: nobody available → the customer is told what to do and ends as "unmanaged"; the next is routed once an agent is available', async () => {
    const slug = await newRoom({ publicProfile: { companyName: null, contactEmail: 'help@example.com' } });
    const [a] = await threeAgents({ shows: ['dnd', 'away', 'xa'] });
    expect(await publicView(slug)).to.include({ mode: 'unmanaged', reason: 'no_agents' });
    const lone = await customer(stack, form('Lone'), slug);
    const told = await lone.client.waitFor(isBody(lone.roomJid), 10_000, 'unmanaged notice');
    expect(told.getChildText('body')).to.match(/No agent is available right now.*queue.*leave us a message.*help@example\.com/s);
    expect(queueOf(told)?.attrs).to.include({ position: '1', state: 'unmanaged' });
    expect((await post(`/api/v1/conversations/${lone.id}/end`, undefined, lone.customerToken)).status).to.equal(204);
    expect(await convRow(lone.id)).to.include({ status: 'closed', disposition: 'unmanaged' });
    expect(await eventsOf(lone.id)).to.include('unmanaged');

    const next = await customer(stack, form('Next'), slug);
    await next.client.waitFor(isQueue(next.roomJid, { state: 'unmanaged' }), 10_000, 'unmanaged status');
    await a!.client.send(xml('presence')); // available
    const inv = await a!.client.waitFor(isInvite(next.roomJid), 10_000, 'offer once an agent is available');
    expect(inv.getChildText('body')).to.include('Hello from Next');
    await a!.client.send(joinPresence(next.roomJid, a!.nick, next.password));
    await a!.client.waitFor(isSelfPresence(next.roomJid));
    expect(await publicView(slug)).to.include({ mode: 'online', reason: null });
  });

  it('queue position and estimated wait are pushed to every waiting customer on each change, never stored', async () => {
    const slug = await newRoom({});
    const roomId = (await stack.sb.db.query('SELECT id FROM rooms WHERE slug = $1', [slug])).rows[0].id;
    // History: seven chats of this room that each waited 30 s.
    await stack.sb.db.query(`INSERT INTO conversations (room_id, muc_node, status, disposition, customer_name, room_password, customer_token_hash, created_at, customer_joined_at, accepted_at, closed_at)
      SELECT $1, 'hist-' || $2 || '-' || i, 'closed', 'served', 'Past', 'x', 'x', now() - interval '2 hours', now() - interval '2 hours', now() - interval '2 hours' + interval '30 seconds', now() - interval '1 hour'
      FROM generate_series(1, 7) i`, [roomId, slug]);
    const agents = await threeAgents({ maxChats: 1 });
    for (const a of agents) await untilAvailable(stack, a.jid);
    const busy = [];
    for (const a of agents) { // each agent takes one chat: all three are then full
      const c = await customer(stack, form(`Busy${busy.length}`), slug);
      await a.client.waitFor(isInvite(c.roomJid), 10_000, 'offer');
      await a.client.send(joinPresence(c.roomJid, a.nick, c.password));
      await a.client.waitFor(isSelfPresence(c.roomJid));
      busy.push(c);
    }
    const [d, e, f] = [await customer(stack, form('Dee'), slug), await customer(stack, form('Eve'), slug), await customer(stack, form('Fay'), slug)];
    // Median wait 30 s × position / 3 available agents.
    await d.client.waitFor(isQueue(d.roomJid, { position: '1', eta: '10', state: 'waiting' }), 10_000, 'Dee: 1st, 10 s');
    await e.client.waitFor(isQueue(e.roomJid, { position: '2', eta: '20' }), 10_000, 'Eve: 2nd, 20 s');
    const fay = await f.client.waitFor(isQueue(f.roomJid, { position: '3', eta: '30' }), 10_000, 'Fay: 3rd, 30 s');
    // The first status may ride on the joining notice; a later one has its own text.
    expect(fay.getChildText('body')).to.match(/^(You are number 3 in the queue\. Estimated wait: under a minute\.|Thanks, Fay\. .*queue.*)$/);
    expect(fay.attrs.type).to.equal('groupchat');
    expect(fay.getChild('no-store', 'urn:xmpp:hints')).to.not.equal(undefined);

    // The first agent closes a chat and takes Dee's: Eve and Fay move up.
    await agents[0]!.client.send(groupchat(busy[0]!.roomJid, '!close'));
    await agents[0]!.client.waitFor(isInvite(d.roomJid), 10_000, 'offer of the first in line');
    await agents[0]!.client.send(joinPresence(d.roomJid, agents[0]!.nick, d.password));
    await agents[0]!.client.waitFor(isSelfPresence(d.roomJid));
    await e.client.waitFor(isQueue(e.roomJid, { position: '1', eta: '10' }), 10_000, 'Eve moves up');
    await f.client.waitFor(isQueue(f.roomJid, { position: '2', eta: '20' }), 10_000, 'Fay moves up');
    const stored = await stack.sb.db.query("SELECT count(*)::int AS n FROM messages WHERE body LIKE 'You are number%'");
    expect(stored.rows[0].n).to.equal(0);
  });

  it('an agent disconnecting mid-chat: the customer is told; after the grace period the chat is queued again with its history and served by another agent', async () => {
    const slug = await newRoom({ disconnectGraceSeconds: 2 });
    const [a, b, c] = await threeAgents();
    for (const x of [a, b, c]) await untilAvailable(stack, x!.jid);
    const cust = await customer(stack, form('Gil'), slug);
    await a!.client.waitFor(isInvite(cust.roomJid));
    await a!.client.send(joinPresence(cust.roomJid, a!.nick, cust.password));
    await a!.client.waitFor(isSelfPresence(cust.roomJid));
    await cust.client.send(groupchat(cust.roomJid, 'm1'));
    await a!.client.waitFor(isBody(`${cust.roomJid}/${cust.nick}`, 'm1'));
    await a!.client.send(groupchat(cust.roomJid, 'r1'));
    await cust.client.waitFor(isBody(`${cust.roomJid}/${a!.nick}`, 'r1'));

    await a!.client.stop(); // the connection goes: Prosody tells the room
    const lost = await cust.client.waitFor((el) => isBody(cust.roomJid)(el) && /lost the connection/.test(el.getChildText('body') ?? ''), 10_000, 'disconnection notice');
    expect(lost.getChildText('body')).to.include('2 s');
    await cust.client.waitFor((el) => isBody(cust.roomJid)(el) && /another agent/.test(el.getChildText('body') ?? '') && !/lost/.test(el.getChildText('body') ?? ''), 15_000, 're-queue notice');
    const row = await convRow(cust.id);
    expect(row).to.include({ status: 'queued', agentId: null });
    await b!.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer to another agent');
    await c!.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer to the third agent');
    await b!.client.send(joinPresence(cust.roomJid, b!.nick, cust.password));
    await b!.client.waitFor(isSelfPresence(cust.roomJid));
    // History intact: what was said before reaches the new agent.
    await b!.client.waitFor(isBody(`${cust.roomJid}/${cust.nick}`, 'm1'), 10_000, 'history m1');
    await b!.client.waitFor(isBody(`${cust.roomJid}/${a!.nick}`, 'r1'), 10_000, 'history r1');
    expect(await convRow(cust.id)).to.include({ status: 'active', agentId: b!.id });
    expect(await eventsOf(cust.id)).to.include.members(['agent_left', 'requeued']);
  });

  it('an agent who leaves and comes back within the grace period keeps the chat; nothing is re-queued', async () => {
    const slug = await newRoom({ disconnectGraceSeconds: 3 });
    const [a, b, c] = await threeAgents();
    for (const x of [a, b, c]) await untilAvailable(stack, x!.jid);
    const cust = await customer(stack, form('Hal'), slug);
    await Promise.all([a, b, c].map((x) => x!.client.waitFor(isInvite(cust.roomJid)))); // ring-all: everyone's first offer
    await a!.client.send(joinPresence(cust.roomJid, a!.nick, cust.password));
    await a!.client.waitFor(isSelfPresence(cust.roomJid));
    await a!.client.send(xml('presence', { to: `${cust.roomJid}/${a!.nick}`, type: 'unavailable' }));
    await cust.client.waitFor((el) => isBody(cust.roomJid)(el) && /lost the connection/.test(el.getChildText('body') ?? ''), 10_000, 'disconnection notice');
    await a!.client.send(joinPresence(cust.roomJid, a!.nick, cust.password));
    await a!.client.waitFor(isSelfPresence(cust.roomJid));
    await cust.client.waitFor((el) => isBody(cust.roomJid)(el) && /is back/.test(el.getChildText('body') ?? ''), 10_000, 'back notice');
    const left = (await stack.sb.db.query("SELECT max(at) AS at FROM conversation_events WHERE conversation_id = $1 AND kind = 'agent_left'", [cust.id])).rows[0].at as Date;
    await waitUntil(async () => (await stack.sb.db.query('SELECT now() > $1::timestamptz + interval \'5 seconds\' AS past', [left])).rows[0].past, 20_000, 'the grace period long past');
    expect(await convRow(cust.id)).to.include({ status: 'active', agentId: a!.id });
    expect(await eventsOf(cust.id)).to.not.include('requeued');
    expect(await b!.client.receives(isInvite(cust.roomJid), 10)).to.equal(false);
    expect(await c!.client.receives(isInvite(cust.roomJid), 10)).to.equal(false);
  });

  it('a customer who leaves while waiting and is not back within the grace period: the chat closes as abandoned and its offers are withdrawn; one back in time waits on', async () => {
    const slug = await newRoom({ disconnectGraceSeconds: 2 });
    const [a] = await threeAgents({ shows: [undefined] });
    await untilAvailable(stack, a!.jid);
    const gone = await customer(stack, form('Ivy'), slug);
    await a!.client.waitFor(isInvite(gone.roomJid), 10_000, 'the offer to Ada');
    await gone.client.send(xml('presence', { to: `${gone.roomJid}/${gone.nick}`, type: 'unavailable' }));
    await waitUntil(async () => (await convRow(gone.id)).status === 'closed', 15_000, 'the abandoned chat closed');
    expect(await convRow(gone.id)).to.include({ status: 'closed', disposition: 'abandoned', closedBy: 'customer' });
    expect((await stack.sb.db.query("SELECT 1 FROM offers WHERE conversation_id = $1 AND status = 'pending'", [gone.id])).rowCount).to.equal(0);
    expect(await eventsOf(gone.id)).to.include.members(['customer_left', 'closed']);

    const back = await customer(stack, form('Jo'), slug);
    await a!.client.waitFor(isInvite(back.roomJid), 10_000, 'the offer to Ada');
    await back.client.send(xml('presence', { to: `${back.roomJid}/${back.nick}`, type: 'unavailable' }));
    await back.client.send(joinPresence(back.roomJid, back.nick, back.password));
    await back.client.waitFor(isSelfPresence(back.roomJid), 10_000, 'Jo back in the room');
    const left = (await stack.sb.db.query("SELECT max(at) AS at FROM conversation_events WHERE conversation_id = $1 AND kind = 'customer_left'", [back.id])).rows[0].at as Date;
    await waitUntil(async () => (await stack.sb.db.query('SELECT now() > $1::timestamptz + interval \'4 seconds\' AS past', [left])).rows[0].past, 20_000, 'the grace period long past');
    expect(await convRow(back.id)).to.include({ status: 'queued' });
    await a!.client.send(joinPresence(back.roomJid, a!.nick, back.password));
    await a!.client.waitFor(isSelfPresence(back.roomJid), 10_000, 'Ada takes the chat');
    expect(await convRow(back.id)).to.include({ status: 'active', agentId: a!.id });
  });

  it('unattended: a customer left without an answer for unattendedTimeoutSeconds is told and the chat closes as "timeout"; an answered one stays open', async () => {
    const slug = await newRoom({ unattendedTimeoutSeconds: 3 });
    const [a, b, c] = await threeAgents();
    for (const x of [a, b, c]) await untilAvailable(stack, x!.jid);
    // Answered: the agent greets at once, the customer has nothing more to say.
    const calm = await customer(stack, form('Calm'), slug);
    await a!.client.waitFor(isInvite(calm.roomJid));
    await a!.client.send(joinPresence(calm.roomJid, a!.nick, calm.password));
    await a!.client.waitFor(isSelfPresence(calm.roomJid));
    await a!.client.send(groupchat(calm.roomJid, 'Hello, how can I help?'));
    await calm.client.waitFor(isBody(`${calm.roomJid}/${a!.nick}`, 'Hello, how can I help?'));
    // Unanswered: the form's message, then nothing from the agent.
    const ignored = await customer(stack, form('Ignored'), slug);
    await b!.client.waitFor(isInvite(ignored.roomJid));
    await b!.client.send(joinPresence(ignored.roomJid, b!.nick, ignored.password));
    await b!.client.waitFor(isSelfPresence(ignored.roomJid));
    const told = await ignored.client.waitFor((el) => isBody(ignored.roomJid)(el) && /nobody has answered/.test(el.getChildText('body') ?? ''), 15_000, 'unattended notice');
    expect(told.getChildText('body')).to.match(/closed/);
    await ignored.client.waitFor(isDestroyed(ignored.roomJid), 10_000, 'room ends');
    expect(await convRow(ignored.id)).to.include({ status: 'closed', disposition: 'timeout', closedBy: 'system' });
    expect(await convRow(calm.id)).to.include({ status: 'active' });
    // Now Calm asks again and nobody answers: the same rule closes it.
    await calm.client.send(groupchat(calm.roomJid, 'Are you there?'));
    await calm.client.waitFor(isDestroyed(calm.roomJid), 15_000, 'room ends after the unanswered question');
    expect(await convRow(calm.id)).to.include({ disposition: 'timeout' });
  });

  it('wrap-up: after closing a chat the agent gets no offer until wrapUpSeconds have passed, then the waiting chat is offered without any other event', async () => {
    const slug = await newRoom({ wrapUpSeconds: 3 });
    const [a] = await threeAgents({ shows: [undefined, 'away', 'away'] });
    await untilAvailable(stack, a!.jid);
    const first = await customer(stack, form('Ivy'), slug);
    await a!.client.waitFor(isInvite(first.roomJid));
    await a!.client.send(joinPresence(first.roomJid, a!.nick, first.password));
    await a!.client.waitFor(isSelfPresence(first.roomJid));
    await a!.client.send(groupchat(first.roomJid, '!close'));
    await waitUntil(async () => (await convRow(first.id)).status === 'closed', 10_000, 'closed');
    const second = await customer(stack, form('Jay'), slug);
    await a!.client.waitFor(isInvite(second.roomJid), 15_000, 'offer after the wrap-up');
    const gap = await stack.sb.db.query(`SELECT extract(epoch FROM o.created_at - c.closed_at)::float8 AS s FROM offers o, conversations c
      WHERE o.conversation_id = $1 AND c.id = $2 ORDER BY o.created_at LIMIT 1`, [second.id, first.id]);
    expect(gap.rows[0].s).to.be.at.least(3);
  });
});
