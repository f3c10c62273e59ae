// The read side of the admin API (issue 3): conversations filtered by status,
// room, agent, customer and time with pages; one conversation with its
// messages, agent-private notes flagged; customers with their history. A
// normal operator sees only their own conversations and the customers they
// served.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { insertMessage, recentMessages } from '../../src/db/repos/messages.js';
import { archiveEnds } from '../../src/db/repos/archive.js';
import { served } from '../support/commands.js';
import { adminApi, expectError, type AdminApi } from '../support/admin-api.js';
import { apiClient, signIn } from '../support/api.js';
import { onlineAgent, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { groupchat } from '../support/xmpp.js';
import { roomBody } from '../support/commands.js';

const NO_SUCH = '00000000-0000-4000-8000-000000000000';
type Item = { id: string };
const ids = (r: { body: { items: Item[] } }) => r.body.items.map((c) => c.id);

describe('admin API: read side (conversations, messages, customers)', function () {
  this.timeout(90_000);
  let stack: Stack;
  let api: AdminApi;
  let alice: { id: string; token: string }, bob: { id: string; token: string };
  let salesId = '';
  const conv: Record<string, { id: string; createdAt: string }> = {};

  /** A conversation started on a room's public form; `who` owns it (status active or closed) or it stays queued. */
  const start = async (key: string, slug: string, form: Record<string, unknown>, who?: { id: string }, status: 'active' | 'closed' = 'active') => {
    const r = await api.call('POST', `/api/v1/rooms/${slug}/conversations`, undefined, form);
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    if (who) {
      await stack.sb.db.query(`UPDATE conversations SET agent_id = $2, status = $3, accepted_at = now(),
        closed_at = CASE WHEN $3 = 'closed' THEN now() END, disposition = CASE WHEN $3 = 'closed' THEN 'served' END WHERE id = $1`, [r.body.id, who.id, status]);
    }
    const row = (await stack.sb.db.query('SELECT created_at FROM conversations WHERE id = $1', [r.body.id])).rows[0];
    conv[key] = { id: r.body.id, createdAt: (row.created_at as Date).toISOString() };
    // Distinct creation times, so the time filters have edges to cut at.
    await new Promise((res) => setTimeout(res, 5));
  };

  before(async () => {
    stack = await startStack();
    api = await adminApi(stack);
    alice = await api.operator('Alice');
    bob = await api.operator('Bob');
    salesId = (await api.call('POST', '/api/v1/rooms', api.admin, { slug: 'sales' })).body.id;
    // Nobody is online: these stay as the test puts them.
    await start('carla1', 'general', { name: 'Carla Client', email: 'carla@example.com', message: 'first visit' }, alice, 'closed');
    await start('dan', 'sales', { name: 'Dan Dealer', email: 'dan@example.com', message: 'a price please' }, bob);
    await start('carla2', 'sales', { name: 'Carla Client', email: 'CARLA@example.com', message: 'second visit' }, bob, 'closed');
    await start('eve', 'general', { name: 'Eve Early', email: 'eve@example.com', message: 'still waiting' });
  });
  after(async () => { await stack?.stop(); });

  it('lists every conversation for administrators, newest first, with pages and a total', async () => {
    const all = await api.call('GET', '/api/v1/conversations', api.admin);
    expect(all.status).to.equal(200);
    expect(ids(all)).to.deep.equal([conv.eve!.id, conv.carla2!.id, conv.dan!.id, conv.carla1!.id]);
    expect(all.body.total).to.equal(4);
    const page = await api.call('GET', '/api/v1/conversations?limit=2&offset=1', api.admin);
    expect(ids(page)).to.deep.equal([conv.carla2!.id, conv.dan!.id]);
    expect(page.body.total).to.equal(4);
    expectError(await api.call('GET', '/api/v1/conversations?limit=201', api.admin), 400, 'limit');
  });

  it('filters by status, room, agent, customer and time, alone and together', async () => {
    const list = async (qs: string, token = api.admin) => {
      const r = await api.call('GET', `/api/v1/conversations?${qs}`, token);
      expect(r.status, `${qs}: ${JSON.stringify(r.body)}`).to.equal(200);
      return ids(r);
    };
    expect(await list('status=queued')).to.deep.equal([conv.eve!.id]);
    expect(await list('status=active')).to.deep.equal([conv.dan!.id]);
    expect(await list('status=closed')).to.deep.equal([conv.carla2!.id, conv.carla1!.id]);
    expect(await list(`roomId=${salesId}`)).to.deep.equal([conv.carla2!.id, conv.dan!.id]);
    expect(await list(`agentId=${alice.id}`)).to.deep.equal([conv.carla1!.id]);
    expect(await list(`agentId=${bob.id}&status=closed`)).to.deep.equal([conv.carla2!.id]);
    const carla = (await stack.sb.db.query('SELECT customer_id FROM conversations WHERE id = $1', [conv.carla1!.id])).rows[0].customer_id as string;
    expect(await list(`customerId=${carla}`)).to.deep.equal([conv.carla2!.id, conv.carla1!.id]);
    // from: created at or after; to: created before.
    expect(await list(`from=${encodeURIComponent(conv.dan!.createdAt)}`)).to.deep.equal([conv.eve!.id, conv.carla2!.id, conv.dan!.id]);
    expect(await list(`to=${encodeURIComponent(conv.dan!.createdAt)}`)).to.deep.equal([conv.carla1!.id]);
    expect(await list(`from=${encodeURIComponent(conv.dan!.createdAt)}&to=${encodeURIComponent(conv.eve!.createdAt)}&roomId=${salesId}`)).to.deep.equal([conv.carla2!.id, conv.dan!.id]);
    expect(await list(`roomId=${NO_SUCH}`)).to.deep.equal([]);
    expectError(await api.call('GET', '/api/v1/conversations?status=open', api.admin), 400, 'status');
    expectError(await api.call('GET', '/api/v1/conversations?from=yesterday', api.admin), 400, 'from');
    expectError(await api.call('GET', '/api/v1/conversations?roomId=sales', api.admin), 400, 'roomId');
  });

  it('a normal operator lists only their own conversations, with the same filters', async () => {
    const mine = await api.call('GET', '/api/v1/conversations', bob.token);
    expect(ids(mine)).to.deep.equal([conv.carla2!.id, conv.dan!.id]);
    expect(mine.body.total).to.equal(2);
    expect(ids(await api.call('GET', '/api/v1/conversations?status=closed', bob.token))).to.deep.equal([conv.carla2!.id]);
    expect(ids(await api.call(`GET`, `/api/v1/conversations?agentId=${bob.id}&roomId=${salesId}`, bob.token))).to.deep.equal([conv.carla2!.id, conv.dan!.id]);
    expect(ids(await api.call('GET', '/api/v1/conversations?status=queued', bob.token))).to.deep.equal([]);
    expectError(await api.call('GET', `/api/v1/conversations?agentId=${alice.id}`, bob.token), 403, 'agentId');
    expect((await api.call('GET', `/api/v1/conversations/${conv.dan!.id}`, bob.token)).status).to.equal(200);
    expectError(await api.call('GET', `/api/v1/conversations/${conv.carla1!.id}`, bob.token), 404, 'id');
    expectError(await api.call('GET', `/api/v1/conversations/${conv.eve!.id}`, bob.token), 404, 'id');
    expectError(await api.call('GET', `/api/v1/conversations/${NO_SUCH}`, api.admin), 404, 'id');
    expectError(await api.call('GET', '/api/v1/conversations/nope', api.admin), 400, 'id');
    expectError(await api.call('GET', '/api/v1/conversations'), 401);
  });

  it('customers: matched by email across conversations, listed with filters; a normal operator sees those they served', async () => {
    const all = await api.call('GET', '/api/v1/customers', api.admin);
    expect(all.status).to.equal(200);
    const byName = Object.fromEntries(all.body.items.map((c: { name: string; conversationCount: number; email: string }) => [c.name, c]));
    expect(Object.keys(byName).sort()).to.deep.equal(['Carla Client', 'Dan Dealer', 'Eve Early']);
    expect(byName['Carla Client'].conversationCount).to.equal(2);
    expect(all.body.total).to.equal(3);
    expect((await api.call('GET', '/api/v1/customers?q=DEAL', api.admin)).body.items.map((c: { name: string }) => c.name)).to.deep.equal(['Dan Dealer']);
    expect((await api.call('GET', '/api/v1/customers?q=eve%40example', api.admin)).body.total).to.equal(1);
    expect((await api.call('GET', '/api/v1/customers?limit=1&offset=2', api.admin)).body.items).to.have.length(1);
    const vip = (await api.call('POST', '/api/v1/tags', api.admin, { kind: 'customer', name: 'VIP' })).body.id;
    expect((await api.call('PUT', `/api/v1/customers/${byName['Dan Dealer'].id}/tags`, api.admin, { tagIds: [vip] })).status).to.equal(200);
    expect((await api.call('GET', `/api/v1/customers?tagId=${vip}`, api.admin)).body.items.map((c: { name: string }) => c.name)).to.deep.equal(['Dan Dealer']);

    const alices = await api.call('GET', '/api/v1/customers', alice.token);
    expect(alices.body.items.map((c: { name: string }) => c.name)).to.deep.equal(['Carla Client']);
    // Her count is of the conversations Alice may see.
    expect(alices.body.items[0].conversationCount).to.equal(1);
    expect((await api.call('GET', '/api/v1/customers?q=Dan', alice.token)).body.total).to.equal(0);
    expectError(await api.call('GET', `/api/v1/customers/${byName['Dan Dealer'].id}`, alice.token), 404, 'id');
  });

  it("a customer's history: every conversation for administrators, the operator's own for them", async () => {
    const carla = (await api.call('GET', '/api/v1/customers?q=carla', api.admin)).body.items[0].id as string;
    const full = await api.call('GET', `/api/v1/customers/${carla}`, api.admin);
    expect(full.status).to.equal(200);
    expect(full.body.customer).to.include({ name: 'Carla Client', email: 'carla@example.com' });
    expect(ids({ body: full.body.conversations })).to.deep.equal([conv.carla2!.id, conv.carla1!.id]);
    expect(full.body.conversations.items.map((c: { firstMessage: string }) => c.firstMessage)).to.deep.equal(['second visit', 'first visit']);
    const paged = await api.call('GET', `/api/v1/customers/${carla}?limit=1&offset=1`, api.admin);
    expect(ids({ body: paged.body.conversations })).to.deep.equal([conv.carla1!.id]);
    expect(paged.body.conversations.total).to.equal(2);
    const asAlice = await api.call('GET', `/api/v1/customers/${carla}`, alice.token);
    expect(ids({ body: asAlice.body.conversations })).to.deep.equal([conv.carla1!.id]);
    const asBob = await api.call('GET', `/api/v1/customers/${carla}`, bob.token);
    expect(ids({ body: asBob.body.conversations })).to.deep.equal([conv.carla2!.id]);
    expectError(await api.call('GET', `/api/v1/customers/${NO_SUCH}`, api.admin), 404, 'id');
    expectError(await api.call('GET', '/api/v1/customers/carla', api.admin), 400, 'id');
  });

  it("one conversation's messages in order, the agent's private notes flagged; the owner and administrators read them", async () => {
    const agent = await onlineAgent(stack, 'Paula');
    await untilAvailable(stack, agent.jid);
    const cust = await served(stack, agent, { name: 'Nina Notes', email: 'nina@example.com', message: 'my parcel is late' });
    await agent.client.send(groupchat(cust.roomJid, 'Let me look into it.'));
    await roomBody(cust.roomJid, cust.client, 'Let me look into it.');
    await agent.client.send(groupchat(cust.roomJid, '!p she ordered twice already'));
    await roomBody(cust.roomJid, agent.client, 'she ordered twice already');
    await cust.client.send(groupchat(cust.roomJid, 'thank you'));
    await waitUntil(async () => (await stack.sb.db.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [cust.id])).rows[0].n >= 4, 10_000, 'four messages stored');

    const view = await api.call('GET', `/api/v1/conversations/${cust.id}`, api.admin);
    expect(view.status).to.equal(200);
    expect(view.body.conversation).to.include({ id: cust.id, status: 'active', agentId: agent.id, customerName: 'Nina Notes' });
    const lines = view.body.messages.map((m: { senderKind: string; body: string; private: boolean }) => [m.senderKind, m.body, m.private]);
    expect(lines).to.deep.equal([
      ['customer', 'my parcel is late', false],
      ['agent', 'Let me look into it.', false],
      ['agent', 'she ordered twice already', true],
      ['customer', 'thank you', false],
    ]);
    const paula = await signIn(apiClient(stack), agent.jid, 'agent-password');
    const own = await api.call('GET', `/api/v1/conversations/${cust.id}`, paula);
    expect(own.status).to.equal(200);
    expect(own.body.messages.filter((m: { private: boolean }) => m.private).map((m: { body: string }) => m.body)).to.deep.equal(['she ordered twice already']);
    expectError(await api.call('GET', `/api/v1/conversations/${cust.id}`, alice.token), 404, 'id');
    expect(ids(await api.call('GET', '/api/v1/conversations?status=active', paula))).to.deep.equal([cust.id]);

    // The same messages in pages, for long conversations; private=false leaves the notes out.
    const paged = await api.call('GET', `/api/v1/conversations/${cust.id}/messages?limit=2&offset=1`, paula);
    expect(paged.status).to.equal(200);
    expect([paged.body.items.map((m: { body: string }) => m.body), paged.body.total]).to.deep.equal([['Let me look into it.', 'she ordered twice already'], 4]);
    expect(paged.body.items[1].private).to.equal(true);
    const publicOnly = await api.call('GET', `/api/v1/conversations/${cust.id}/messages?private=false`, api.admin);
    expect([publicOnly.body.items.map((m: { body: string }) => m.body), publicOnly.body.total]).to.deep.equal([['my parcel is late', 'Let me look into it.', 'thank you'], 3]);
    expectError(await api.call('GET', `/api/v1/conversations/${cust.id}/messages`, alice.token), 404, 'id');
    expectError(await api.call('GET', `/api/v1/conversations/${NO_SUCH}/messages`, api.admin), 404, 'id');
    expectError(await api.call('GET', `/api/v1/conversations/${cust.id}/messages?limit=0`, api.admin), 400, 'limit');
  });

  it('messages keep the order they were stored in when their sequence numbers gain a digit (999 → 1000)', async () => {
    const id = conv.dan!.id;
    const before = (await api.call('GET', `/api/v1/conversations/${id}`, api.admin)).body.messages.length as number;
    await stack.sb.db.query("SELECT setval(pg_get_serial_sequence('messages', 'seq'), greatest(998, (SELECT max(seq) FROM messages)))");
    const seqs: string[] = [];
    for (const body of ['line 999', 'line 1000', 'line 1001']) {
      seqs.push((await insertMessage(stack.sb.db, { id: randomUUID(), conversationId: id, senderKind: 'agent', senderNick: 'Bob', senderJid: null, agentId: bob.id, body, originId: null, private: false })).seq);
    }
    expect(seqs).to.deep.equal(['999', '1000', '1001']);
    const view = await api.call('GET', `/api/v1/conversations/${id}`, api.admin);
    expect(view.body.messages.slice(before).map((m: { body: string }) => m.body)).to.deep.equal(['line 999', 'line 1000', 'line 1001']);
    const page = await api.call('GET', `/api/v1/conversations/${id}/messages?offset=${before}`, api.admin);
    expect(page.body.items.map((m: { body: string }) => m.body)).to.deep.equal(['line 999', 'line 1000', 'line 1001']);
    // The replay an agent gets on joining takes the newest lines, oldest first.
    expect((await recentMessages(stack.sb.db, id, { limit: 2, includePrivate: true })).map((m) => m.body)).to.deep.equal(['line 1000', 'line 1001']);
    const ends = await archiveEnds(stack.sb.db, id, true);
    expect([ends?.first.body, ends?.last.body]).to.deep.equal(['a price please', 'line 1001']);
  });

  it('billing usage counts the live operators and this calendar month\'s conversations', async () => {
    const usage = async () => (await api.call('GET', '/api/v1/billing/usage', api.admin)).body;
    const now = new Date();
    const first = await usage();
    expect(first.periodStart).to.equal(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString());
    // Administrator, Alice, Bob and Paula; Carla twice, Dan, Eve and Nina.
    expect([first.activeOperators, first.conversations]).to.deep.equal([4, 5]);
    await stack.sb.db.query("UPDATE conversations SET created_at = created_at - interval '40 days' WHERE id = $1", [conv.eve!.id]);
    const carl = await api.operator('Carl');
    expect((await api.call('DELETE', `/api/v1/agents/${carl.id}`, api.admin)).status).to.equal(204);
    const second = await usage();
    expect([second.activeOperators, second.conversations]).to.deep.equal([4, 4]);
    expectError(await api.call('GET', '/api/v1/billing/usage', alice.token), 403);
  });
});
