// Canned responses (seed 004) and predefined messages (seed 003) through the
// admin API: CRUD, who may touch which, 409s, audit.
import { expect } from 'chai';
import { cannedForShortcut } from '../../src/db/repos/canned.js';
import { adminApi, expectError, type AdminApi } from '../support/admin-api.js';
import { startStack, type Stack } from '../support/stack.js';

const CANNED = '/api/v1/canned-responses';
const PREDEFINED = '/api/v1/predefined-messages';

describe('admin API: canned responses and predefined messages', function () {
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

  const shortcuts = (r: { body: { items: Array<{ shortcut: string }> } }) => r.body.items.map((c) => c.shortcut);

  it('an administrator creates everyone\'s responses and operators\' own; lists, filters, pages; audit', async () => {
    const hello = await api.call('POST', CANNED, api.admin, { shortcut: 'hello', text: 'Hello %VISITOR%, I am %OPERATOR%.' });
    expect(hello.status, JSON.stringify(hello.body)).to.equal(201);
    expect(hello.body).to.include({ agentId: null, shortcut: 'hello' });
    const forAlice = await api.call('POST', CANNED, api.admin, { shortcut: 'bye', text: 'Goodbye!', agentId: alice.id });
    expect(forAlice.status).to.equal(201);
    expect(forAlice.body.agentId).to.equal(alice.id);
    expect((await api.call('POST', CANNED, api.admin, { shortcut: 'price', text: '10 € a month' })).status).to.equal(201);

    const all = await api.call('GET', CANNED, api.admin);
    expect(shortcuts(all)).to.deep.equal(['hello', 'price', 'bye']);
    expect(all.body.total).to.equal(3);
    expect(shortcuts(await api.call('GET', `${CANNED}?owner=global`, api.admin))).to.deep.equal(['hello', 'price']);
    expect(shortcuts(await api.call('GET', `${CANNED}?agentId=${alice.id}`, api.admin))).to.deep.equal(['bye']);
    expect(shortcuts(await api.call('GET', `${CANNED}?q=MONTH`, api.admin))).to.deep.equal(['price']);
    const page = await api.call('GET', `${CANNED}?limit=1&offset=1`, api.admin);
    expect(shortcuts(page)).to.deep.equal(['price']);
    expect(page.body.total).to.equal(3);

    const changed = await api.call('PATCH', `${CANNED}/${hello.body.id}`, api.admin, { text: 'Hi %VISITOR%!' });
    expect(changed.body.text).to.equal('Hi %VISITOR%!');
    const log = await api.audit('canned-response', hello.body.id);
    expect(log.map((e) => e.action)).to.deep.equal(['update', 'create']);
    expect(log[0]!.before.text).to.equal('Hello %VISITOR%, I am %OPERATOR%.');
    expect(log[0]!.after.text).to.equal('Hi %VISITOR%!');
  });

  it('a normal operator reads everyone\'s and their own, never a colleague\'s', async () => {
    const mine = await api.call('POST', CANNED, bob.token, { shortcut: 'thanks', text: 'Thanks, %VISITOR%' });
    expect(mine.status).to.equal(201);
    expect(mine.body.agentId).to.equal(bob.id);
    expect(shortcuts(await api.call('GET', CANNED, bob.token))).to.deep.equal(['hello', 'price', 'thanks']);
    expect(shortcuts(await api.call('GET', `${CANNED}?owner=mine`, bob.token))).to.deep.equal(['thanks']);
    expect(shortcuts(await api.call('GET', `${CANNED}?agentId=${alice.id}`, bob.token))).to.deep.equal([]);
    expect(shortcuts(await api.call('GET', CANNED, alice.token))).to.deep.equal(['hello', 'price', 'bye']);
    expectError(await api.call('GET', `${CANNED}/${mine.body.id}`, alice.token), 404, 'id');
    expect((await api.call('GET', `${CANNED}/${mine.body.id}`, bob.token)).status).to.equal(200);
    expect((await api.call('GET', `${CANNED}/${mine.body.id}`, api.admin)).status).to.equal(200);
  });

  it('a normal operator changes and deletes only their own; everyone\'s are read-only for them (403)', async () => {
    const global = (await api.call('GET', `${CANNED}?owner=global&q=price`, bob.token)).body.items[0];
    const bobs = (await api.call('GET', `${CANNED}?owner=mine`, bob.token)).body.items[0];
    expectError(await api.call('POST', CANNED, bob.token, { shortcut: 'g', text: 'for all', agentId: null }), 403, 'agentId');
    expectError(await api.call('POST', CANNED, bob.token, { shortcut: 'g', text: 'for Alice', agentId: alice.id }), 403, 'agentId');
    expectError(await api.call('PATCH', `${CANNED}/${global.id}`, bob.token, { text: 'free!' }), 403, 'id');
    expectError(await api.call('DELETE', `${CANNED}/${global.id}`, bob.token), 403, 'id');
    expectError(await api.call('PATCH', `${CANNED}/${bobs.id}`, alice.token, { text: 'mine now' }), 404, 'id');
    expectError(await api.call('DELETE', `${CANNED}/${bobs.id}`, alice.token), 404, 'id');
    expectError(await api.call('PATCH', `${CANNED}/${bobs.id}`, bob.token, { agentId: null }), 403, 'agentId');
    const edited = await api.call('PATCH', `${CANNED}/${bobs.id}`, bob.token, { shortcut: 'ty', agentId: bob.id });
    expect(edited.status).to.equal(200);
    expect(edited.body).to.include({ shortcut: 'ty', agentId: bob.id });
    expect((await api.call('DELETE', `${CANNED}/${bobs.id}`, bob.token)).status).to.equal(204);
    expectError(await api.call('GET', `${CANNED}/${bobs.id}`, bob.token), 404, 'id');
    const log = await api.audit('canned-response', bobs.id);
    expect(log.map((e) => e.action)).to.deep.equal(['delete', 'update', 'create']);
    expect(log.every((e) => e.actorId === bob.id)).to.equal(true);
    expect((await api.call('GET', `${CANNED}/${global.id}`, api.admin)).body.text).to.equal('10 € a month');
  });

  it('a shortcut is unique per owner whatever its case → 409; the same shortcut may exist for another owner', async () => {
    expectError(await api.call('POST', CANNED, api.admin, { shortcut: 'HELLO', text: 'again' }), 409, 'shortcut');
    expectError(await api.call('POST', CANNED, alice.token, { shortcut: 'Bye', text: 'again' }), 409, 'shortcut');
    const bobHello = await api.call('POST', CANNED, bob.token, { shortcut: 'hello', text: 'Bob says hi' });
    expect(bobHello.status).to.equal(201);
    const other = await api.call('POST', CANNED, bob.token, { shortcut: 'other', text: 'x' });
    expectError(await api.call('PATCH', `${CANNED}/${other.body.id}`, bob.token, { shortcut: 'Hello' }), 409, 'shortcut');
    expectError(await api.call('PATCH', `${CANNED}/${bobHello.body.id}`, api.admin, { agentId: null }), 409, 'shortcut');
    // Typed in a chat, the operator's own response wins over everyone's.
    expect((await cannedForShortcut(stack.sb.db, bob.id, 'HELLO'))?.text).to.equal('Bob says hi');
    expect((await cannedForShortcut(stack.sb.db, alice.id, 'hello'))?.text).to.equal('Hi %VISITOR%!');
    expect(await cannedForShortcut(stack.sb.db, alice.id, 'thanks')).to.equal(null);
  });

  it('refuses bad input with 400 naming the field; unknown ids → 404', async () => {
    expectError(await api.call('POST', CANNED, api.admin, { text: 'no shortcut' }), 400, 'shortcut');
    expectError(await api.call('POST', CANNED, api.admin, { shortcut: 'two words', text: 'x' }), 400, 'shortcut');
    expectError(await api.call('POST', CANNED, api.admin, { shortcut: 'blank', text: ' \n ' }), 400, 'text');
    expectError(await api.call('POST', CANNED, api.admin, { shortcut: 'long', text: 'x'.repeat(5001) }), 400, 'text');
    expectError(await api.call('POST', CANNED, api.admin, { shortcut: 'nul', text: 'a\u0000b' }), 400, 'text');
    expectError(await api.call('POST', CANNED, api.admin, { shortcut: 'who', text: 'x', agentId: '00000000-0000-4000-8000-000000000000' }), 400, 'agentId');
    expectError(await api.call('POST', CANNED, api.admin, { shortcut: 'who', text: 'x', agentId: 'alice' }), 400, 'agentId');
    expectError(await api.call('PATCH', `${CANNED}/00000000-0000-4000-8000-000000000000`, api.admin, { text: 'x' }), 404, 'id');
    expectError(await api.call('DELETE', `${CANNED}/00000000-0000-4000-8000-000000000000`, api.admin), 404, 'id');
    expectError(await api.call('GET', `${CANNED}?owner=theirs`, api.admin), 400, 'owner');
    expectError(await api.call('GET', `${CANNED}?q=%00`, api.admin), 400, 'q');
    expectError(await api.call('GET', CANNED), 401);
  });

  it('responses of a deleted operator disappear', async () => {
    const carl = await api.operator('Carl');
    const c = await api.call('POST', CANNED, carl.token, { shortcut: 'carl', text: 'Carl here' });
    expect((await api.call('DELETE', `/api/v1/agents/${carl.id}`, api.admin)).status).to.equal(204);
    expectError(await api.call('GET', `${CANNED}/${c.body.id}`, api.admin), 404, 'id');
    expect(shortcuts(await api.call('GET', `${CANNED}?q=carl`, api.admin))).to.deep.equal([]);
  });

  it('predefined messages: operators read, administrators write; CRUD with audit', async () => {
    const made = await api.call('POST', PREDEFINED, api.admin, { title: ' Opening hours ', text: 'We are open 9–17.' });
    expect(made.status).to.equal(201);
    expect(made.body).to.include({ title: 'Opening hours', text: 'We are open 9–17.' });
    await api.call('POST', PREDEFINED, api.admin, { title: 'Address', text: '1 Main St' });
    const list = await api.call('GET', PREDEFINED, alice.token);
    expect(list.body.items.map((m: { title: string }) => m.title)).to.deep.equal(['Address', 'Opening hours']);
    expect((await api.call('GET', `${PREDEFINED}?q=main`, alice.token)).body.total).to.equal(1);
    expect((await api.call('GET', `${PREDEFINED}/${made.body.id}`, alice.token)).status).to.equal(200);
    expectError(await api.call('POST', PREDEFINED, alice.token, { title: 'x', text: 'y' }), 403);
    expectError(await api.call('PATCH', `${PREDEFINED}/${made.body.id}`, alice.token, { text: 'y' }), 403);
    expectError(await api.call('DELETE', `${PREDEFINED}/${made.body.id}`, alice.token), 403);
    expectError(await api.call('POST', PREDEFINED, api.admin, { title: 'x' }), 400, 'text');
    expectError(await api.call('PATCH', `${PREDEFINED}/${made.body.id}`, api.admin, { title: '' }), 400, 'title');
    const edited = await api.call('PATCH', `${PREDEFINED}/${made.body.id}`, api.admin, { text: 'We are open 8–18.' });
    expect(edited.body).to.include({ title: 'Opening hours', text: 'We are open 8–18.' });
    expect((await api.call('DELETE', `${PREDEFINED}/${made.body.id}`, api.admin)).status).to.equal(204);
    expectError(await api.call('GET', `${PREDEFINED}/${made.body.id}`, alice.token), 404, 'id');
    expectError(await api.call('PATCH', `${PREDEFINED}/${made.body.id}`, api.admin, { text: 'z' }), 404, 'id');
    const log = await api.audit('predefined-message', made.body.id);
    expect(log.map((e) => e.action)).to.deep.equal(['delete', 'update', 'create']);
    expect(log[1]!.before.text).to.equal('We are open 9–17.');
    expect(log[0]!.before.text).to.equal('We are open 8–18.');
  });
});
