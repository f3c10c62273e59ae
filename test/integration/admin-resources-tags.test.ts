// Conversation tags and customer tags: CRUD, roles, 409s, audit, and putting
// them on conversations (a normal operator: only their own) and customers.
import { expect } from 'chai';
import { adminApi, expectError, type AdminApi } from '../support/admin-api.js';
import { startStack, type Stack } from '../support/stack.js';

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

describe('admin API: tags', function () {
  this.timeout(60_000);
  let stack: Stack;
  let api: AdminApi;
  let alice: { id: string; token: string }, bob: { id: string; token: string };

  before(async () => {
    stack = await startStack();
    api = await adminApi(stack);
    alice = await api.operator('Alice');
    bob = await api.operator('Bob');
  });
  after(async () => { await stack?.stop(); });

  const tag = async (kind: string, name: string, color?: string) => {
    const r = await api.call('POST', '/api/v1/tags', api.admin, { kind, name, ...(color ? { color } : {}) });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body as { id: string; name: string; kind: string; color: string };
  };
  /** A conversation started on the public form, owned by the given operator. */
  const conversation = async (agentId: string | null) => {
    const r = await api.call('POST', '/api/v1/rooms/general/conversations', undefined, { name: 'Jane', message: 'Hello' });
    expect(r.status).to.equal(201);
    await stack.sb.db.query("UPDATE conversations SET agent_id = $2, status = 'active' WHERE id = $1", [r.body.id, agentId]);
    return r.body.id as string;
  };
  const customer = async () => (await stack.sb.db.query("INSERT INTO customers (name) VALUES ('Jane') RETURNING id")).rows[0].id as string;
  const names = (r: { body: { tags?: Array<{ name: string }>; items?: Array<{ name: string }> } }) => (r.body.tags ?? r.body.items)!.map((t) => t.name);

  it('CRUD: create (colour default and lower-cased), read, rename, recolour, delete; audited', async () => {
    const vip = await tag('customer', ' VIP ', '#FFAA00');
    expect(vip).to.include({ kind: 'customer', name: 'VIP', color: '#ffaa00' });
    const plain = await tag('conversation', 'Billing');
    expect(plain.color).to.equal('#888888');
    expect((await api.call('GET', `/api/v1/tags/${vip.id}`, alice.token)).body.name).to.equal('VIP');
    const changed = await api.call('PATCH', `/api/v1/tags/${vip.id}`, api.admin, { name: 'Very important', color: '#00aa00' });
    expect(changed.body).to.include({ name: 'Very important', color: '#00aa00', kind: 'customer' });
    expect((await api.call('DELETE', `/api/v1/tags/${vip.id}`, api.admin)).status).to.equal(204);
    expectError(await api.call('GET', `/api/v1/tags/${vip.id}`, api.admin), 404, 'id');
    expectError(await api.call('PATCH', `/api/v1/tags/${vip.id}`, api.admin, { name: 'x' }), 404, 'id');
    expectError(await api.call('DELETE', `/api/v1/tags/${vip.id}`, api.admin), 404, 'id');
    const log = await api.audit('tag', vip.id);
    expect(log.map((e) => e.action)).to.deep.equal(['delete', 'update', 'create']);
    expect(log[1]!.before.name).to.equal('VIP');
    expect(log[1]!.after.name).to.equal('Very important');
  });

  it('lists by kind and name with filters and pages', async () => {
    await tag('conversation', 'Sales');
    await tag('customer', 'Sales');
    await tag('customer', 'Reseller');
    const all = await api.call('GET', '/api/v1/tags', bob.token);
    expect(all.body.items.map((t: { kind: string; name: string }) => `${t.kind}:${t.name}`)).to.deep.equal(['conversation:Billing', 'conversation:Sales', 'customer:Reseller', 'customer:Sales']);
    expect(names(await api.call('GET', '/api/v1/tags?kind=customer', bob.token))).to.deep.equal(['Reseller', 'Sales']);
    expect((await api.call('GET', '/api/v1/tags?q=sal', bob.token)).body.total).to.equal(2);
    const page = await api.call('GET', '/api/v1/tags?limit=1&offset=3', bob.token);
    expect(names(page)).to.deep.equal(['Sales']);
    expect(page.body.total).to.equal(4);
    expectError(await api.call('GET', '/api/v1/tags?kind=agent', bob.token), 400, 'kind');
  });

  it('a name is unique within its kind whatever its case → 409; the same name in the other kind is fine', async () => {
    expectError(await api.call('POST', '/api/v1/tags', api.admin, { kind: 'conversation', name: 'BILLING' }), 409, 'name');
    const other = await tag('conversation', 'Refund');
    expectError(await api.call('PATCH', `/api/v1/tags/${other.id}`, api.admin, { name: 'sales' }), 409, 'name');
    expect((await api.call('POST', '/api/v1/tags', api.admin, { kind: 'customer', name: 'billing' })).status).to.equal(201);
  });

  it('bad input → 400 naming the field; operators cannot define tags (403)', async () => {
    expectError(await api.call('POST', '/api/v1/tags', api.admin, { kind: 'agent', name: 'x' }), 400, 'kind');
    expectError(await api.call('POST', '/api/v1/tags', api.admin, { kind: 'customer', name: 'x', color: 'red' }), 400, 'color');
    expectError(await api.call('POST', '/api/v1/tags', api.admin, { kind: 'customer', name: 'x', color: '#12345' }), 400, 'color');
    expectError(await api.call('POST', '/api/v1/tags', api.admin, { kind: 'customer', name: ' ' }), 400, 'name');
    expectError(await api.call('POST', '/api/v1/tags', api.admin, { kind: 'customer' }), 400, 'name');
    const t = (await api.call('GET', '/api/v1/tags?q=refund', api.admin)).body.items[0];
    expectError(await api.call('PATCH', `/api/v1/tags/${t.id}`, api.admin, { kind: 'customer' }), 400, 'kind');
    expectError(await api.call('POST', '/api/v1/tags', alice.token, { kind: 'customer', name: 'Mine' }), 403);
    expectError(await api.call('PATCH', `/api/v1/tags/${t.id}`, alice.token, { name: 'Mine' }), 403);
    expectError(await api.call('DELETE', `/api/v1/tags/${t.id}`, alice.token), 403);
    expectError(await api.call('GET', '/api/v1/tags'), 401);
  });

  it('conversation tags: the owner and administrators set them; another operator gets 404; wrong kind → 400', async () => {
    const mine = await conversation(alice.id);
    const billing = (await api.call('GET', '/api/v1/tags?kind=conversation&q=billing', api.admin)).body.items[0];
    const sales = (await api.call('GET', '/api/v1/tags?kind=conversation&q=sales', api.admin)).body.items[0];
    const customerTag = (await api.call('GET', '/api/v1/tags?kind=customer&q=reseller', api.admin)).body.items[0];

    const set = await api.call('PUT', `/api/v1/conversations/${mine}/tags`, alice.token, { tagIds: [sales.id, billing.id] });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    expect(names(set)).to.deep.equal(['Billing', 'Sales']);
    expect(names(await api.call('GET', `/api/v1/conversations/${mine}/tags`, alice.token))).to.deep.equal(['Billing', 'Sales']);
    expectError(await api.call('PUT', `/api/v1/conversations/${mine}/tags`, bob.token, { tagIds: [] }), 404, 'id');
    expectError(await api.call('GET', `/api/v1/conversations/${mine}/tags`, bob.token), 404, 'id');
    expect(names(await api.call('PUT', `/api/v1/conversations/${mine}/tags`, api.admin, { tagIds: [billing.id] }))).to.deep.equal(['Billing']);
    expectError(await api.call('PUT', `/api/v1/conversations/${mine}/tags`, alice.token, { tagIds: [customerTag.id] }), 400, 'tagIds');
    expectError(await api.call('PUT', `/api/v1/conversations/${mine}/tags`, alice.token, { tagIds: [NO_SUCH] }), 400, 'tagIds');
    expectError(await api.call('PUT', `/api/v1/conversations/${mine}/tags`, alice.token, { tagIds: [billing.id, billing.id] }), 400, 'tagIds');
    expectError(await api.call('PUT', `/api/v1/conversations/${mine}/tags`, alice.token, { tags: [] }), 400, 'tagIds');
    expectError(await api.call('PUT', `/api/v1/conversations/${NO_SUCH}/tags`, api.admin, { tagIds: [] }), 404, 'id');
    const queued = await conversation(null);
    expectError(await api.call('PUT', `/api/v1/conversations/${queued}/tags`, alice.token, { tagIds: [billing.id] }), 404, 'id');

    const log = await api.audit('conversation-tags', mine);
    expect(log.map((e) => e.after.tagIds.length)).to.deep.equal([1, 2]);
    expect(log[0]!.before.tagIds).to.have.length(2);
    expect(log[1]!.actorId).to.equal(alice.id);

    // Deleting a tag takes it off.
    expect((await api.call('DELETE', `/api/v1/tags/${billing.id}`, api.admin)).status).to.equal(204);
    expect(names(await api.call('GET', `/api/v1/conversations/${mine}/tags`, alice.token))).to.deep.equal([]);
  });

  it('customer tags: administrators and the operators who served the customer set them; others get 404; wrong kind → 400', async () => {
    const jane = await customer();
    await stack.sb.db.query('UPDATE conversations SET customer_id = $2 WHERE id = $1', [await conversation(bob.id), jane]);
    const reseller = (await api.call('GET', '/api/v1/tags?kind=customer&q=reseller', api.admin)).body.items[0];
    const convTag = (await api.call('GET', '/api/v1/tags?kind=conversation&q=sales', api.admin)).body.items[0];
    expect(names(await api.call('PUT', `/api/v1/customers/${jane}/tags`, bob.token, { tagIds: [reseller.id] }))).to.deep.equal(['Reseller']);
    expect(names(await api.call('GET', `/api/v1/customers/${jane}/tags`, bob.token))).to.deep.equal(['Reseller']);
    expect(names(await api.call('GET', `/api/v1/customers/${jane}/tags`, api.admin))).to.deep.equal(['Reseller']);
    // Alice never served Jane: as in GET /api/v1/customers/:id, the customer is not there for her.
    expectError(await api.call('GET', `/api/v1/customers/${jane}/tags`, alice.token), 404, 'id');
    expectError(await api.call('PUT', `/api/v1/customers/${jane}/tags`, alice.token, { tagIds: [] }), 404, 'id');
    expectError(await api.call('GET', `/api/v1/customers/${jane}`, alice.token), 404, 'id');
    expect(names(await api.call('PUT', `/api/v1/customers/${jane}/tags`, api.admin, { tagIds: [] }))).to.deep.equal([]);
    const wrong = await api.call('PUT', `/api/v1/customers/${jane}/tags`, bob.token, { tagIds: [convTag.id] });
    expectError(wrong, 400, 'tagIds');
    expect(wrong.body.message).to.include('is not a customer tag');
    expectError(await api.call('PUT', `/api/v1/customers/${NO_SUCH}/tags`, bob.token, { tagIds: [] }), 404, 'id');
    expectError(await api.call('PUT', '/api/v1/customers/nope/tags', bob.token, { tagIds: [] }), 400, 'id');
    expectError(await api.call('PUT', `/api/v1/customers/${jane}/tags`, undefined, { tagIds: [] }), 401);
    expect((await api.audit('customer-tags', jane)).map((e) => e.actorId)).to.deep.equal([(await api.call('GET', '/api/v1/me', api.admin)).body.agent.id, bob.id]);
  });
});
