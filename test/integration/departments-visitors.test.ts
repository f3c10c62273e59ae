// Visitors choose a department (seed 004) when the company routes by department:
// the room's public view lists them, and the choice is stored on the conversation.
import { expect } from 'chai';
import { startStack, type Stack } from '../support/stack.js';
import { apiClient, bootstrapPassword, signIn, type Api } from '../support/api.js';

describe('departments selectable by visitors', function () {
  this.timeout(60_000);
  let stack: Stack, api: Api, admin = '';
  before(async () => {
    stack = await startStack();
    api = apiClient(stack);
    admin = await signIn(api, `admin@${stack.cfg.xmppDomain}`, bootstrapPassword(stack));
  });
  after(async () => { await stack?.stop(); });

  it('are offered only while department routing is on, and the choice is kept', async () => {
    const sales = (await api('POST', '/api/v1/departments', { token: admin, body: { name: 'Sales' } })).body;
    await api('POST', '/api/v1/departments', { token: admin, body: { name: 'Support' } });
    expect((await api('GET', '/api/v1/rooms/general/public')).body.departments).to.deep.equal([]);
    const off = await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Vic', message: 'hi', departmentId: sales.id } });
    expect(off.status).to.equal(400);
    expect(off.body.field).to.equal('departmentId');

    expect((await api('PUT', '/api/v1/settings/routing', { token: admin, body: { departmentRouting: true } })).status).to.equal(200);
    const view = (await api('GET', '/api/v1/rooms/general/public')).body;
    expect(view.departments.map((d: { name: string }) => d.name)).to.deep.equal(['Sales', 'Support']);
    const ok = await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Vic', message: 'hi', departmentId: sales.id } });
    expect(ok.status).to.equal(201);
    expect((await api('GET', `/api/v1/conversations/${ok.body.id}`, { token: admin })).body.conversation.departmentId).to.equal(sales.id);
    for (const bad of ['00000000-0000-4000-8000-000000000000', 'sales', 42]) {
      const r = await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Vic', message: 'hi', departmentId: bad } });
      expect(r.status, String(bad)).to.equal(400);
      expect(r.body.field).to.equal('departmentId');
    }
    // Without a choice the conversation has no department.
    const none = await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Vic', message: 'hi' } });
    expect((await api('GET', `/api/v1/conversations/${none.body.id}`, { token: admin })).body.conversation.departmentId).to.equal(null);
  });
});
