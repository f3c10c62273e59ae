// Departments (seed 004) through the admin API: CRUD, members, roles, 409s, audit.
import { expect } from 'chai';
import { departmentsForVisitors } from '../../src/db/repos/departments.js';
import { adminApi, expectError, type AdminApi } from '../support/admin-api.js';
import { startStack, type Stack } from '../support/stack.js';

describe('admin API: departments', function () {
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

  it('creates, reads, renames, sets members and deletes a department, each change audited', async () => {
    const made = await api.call('POST', '/api/v1/departments', api.admin, { name: '  Sales ', description: 'Pre-sales questions', agentIds: [alice.id] });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    expect(made.body).to.include({ name: 'Sales', description: 'Pre-sales questions', memberCount: 1 });
    expect(made.body.agentIds).to.deep.equal([alice.id]);
    const id = made.body.id as string;

    const one = await api.call('GET', `/api/v1/departments/${id}`, alice.token);
    expect(one.status).to.equal(200);
    expect(one.body.name).to.equal('Sales');
    const agent = await api.call('GET', `/api/v1/agents/${alice.id}`, api.admin);
    expect(agent.body.departmentIds).to.deep.equal([id]);

    const renamed = await api.call('PATCH', `/api/v1/departments/${id}`, api.admin, { name: 'Sales EU' });
    expect(renamed.status).to.equal(200);
    expect(renamed.body).to.include({ name: 'Sales EU', description: 'Pre-sales questions' });

    const members = await api.call('PUT', `/api/v1/departments/${id}/members`, api.admin, { agentIds: [bob.id, alice.id] });
    expect(members.status).to.equal(200);
    expect(members.body.memberCount).to.equal(2);
    expect([...members.body.agentIds].sort()).to.deep.equal([alice.id, bob.id].sort());
    const emptied = await api.call('PUT', `/api/v1/departments/${id}/members`, api.admin, { agentIds: [] });
    expect(emptied.body).to.include({ memberCount: 0 });

    expect((await api.call('DELETE', `/api/v1/departments/${id}`, api.admin)).status).to.equal(204);
    expectError(await api.call('GET', `/api/v1/departments/${id}`, api.admin), 404, 'id');
    expectError(await api.call('DELETE', `/api/v1/departments/${id}`, api.admin), 404, 'id');

    const log = await api.audit('department', id);
    expect(log.map((e) => e.action)).to.deep.equal(['delete', 'update', 'update', 'update', 'create']);
    expect(log[4]!.after.name).to.equal('Sales');
    expect(log[3]!.before.name).to.equal('Sales');
    expect(log[3]!.after.name).to.equal('Sales EU');
    expect(log[1]!.after.memberCount).to.equal(0);
    expect(log[0]!.before.name).to.equal('Sales EU');
    expect(log[0]!.after).to.equal(null);
  });

  it('lists with member counts, text filter and pages; visitors get id and name', async () => {
    for (const name of ['Billing', 'billing-2', 'Support', 'Tech 100%']) {
      expect((await api.call('POST', '/api/v1/departments', api.admin, { name, agentIds: name === 'Support' ? [alice.id, bob.id] : [] })).status).to.equal(201);
    }
    const all = await api.call('GET', '/api/v1/departments', bob.token);
    expect(all.status).to.equal(200);
    expect(all.body.items.map((d: { name: string }) => d.name)).to.deep.equal(['Billing', 'billing-2', 'Support', 'Tech 100%']);
    expect(all.body.total).to.equal(4);
    expect(all.body.items.find((d: { name: string }) => d.name === 'Support').memberCount).to.equal(2);
    const billing = await api.call('GET', '/api/v1/departments?q=BILL', bob.token);
    expect(billing.body.total).to.equal(2);
    const percent = await api.call('GET', '/api/v1/departments?q=%25', bob.token);
    expect(percent.body.items.map((d: { name: string }) => d.name)).to.deep.equal(['Tech 100%']);
    const page = await api.call('GET', '/api/v1/departments?limit=2&offset=1', bob.token);
    expect(page.body.items.map((d: { name: string }) => d.name)).to.deep.equal(['billing-2', 'Support']);
    expect(page.body.total).to.equal(4);
    expect((await departmentsForVisitors(stack.sb.db)).map((d) => Object.keys(d).sort())).to.deep.equal(Array(4).fill(['id', 'name']));
    expectError(await api.call('GET', '/api/v1/departments?limit=0', bob.token), 400, 'limit');
  });

  it('names are unique whatever their case → 409 naming "name"', async () => {
    expectError(await api.call('POST', '/api/v1/departments', api.admin, { name: 'SUPPORT' }), 409, 'name');
    const other = await api.call('POST', '/api/v1/departments', api.admin, { name: 'Returns' });
    expectError(await api.call('PATCH', `/api/v1/departments/${other.body.id}`, api.admin, { name: 'support ' }), 409, 'name');
    const same = await api.call('PATCH', `/api/v1/departments/${other.body.id}`, api.admin, { name: 'RETURNS' });
    expect(same.status).to.equal(200);
  });

  it('refuses bad input with 400 naming the field, unknown ids with 404', async () => {
    const d = (await api.call('POST', '/api/v1/departments', api.admin, { name: 'Input checks' })).body;
    expectError(await api.call('POST', '/api/v1/departments', api.admin, { name: '   ' }), 400, 'name');
    expectError(await api.call('POST', '/api/v1/departments', api.admin, {}), 400, 'name');
    expectError(await api.call('POST', '/api/v1/departments', api.admin, { name: 'x'.repeat(101) }), 400, 'name');
    expectError(await api.call('POST', '/api/v1/departments', api.admin, { name: 'Nul \u0000 here' }), 400, 'name');
    expectError(await api.call('POST', '/api/v1/departments', api.admin, { name: 'A', colour: 'red' }), 400, 'colour');
    expectError(await api.call('POST', '/api/v1/departments', api.admin, { name: 'Ghosts', agentIds: ['00000000-0000-4000-8000-000000000000'] }), 400, 'agentIds');
    expectError(await api.call('PUT', `/api/v1/departments/${d.id}/members`, api.admin, { agentIds: [alice.id, alice.id] }), 400, 'agentIds');
    expectError(await api.call('PUT', `/api/v1/departments/${d.id}/members`, api.admin, { agentIds: ['nope'] }), 400, 'agentIds.0');
    expectError(await api.call('PUT', `/api/v1/departments/${d.id}/members`, api.admin, {}), 400, 'agentIds');
    expectError(await api.call('PATCH', `/api/v1/departments/${d.id}`, api.admin, {}), 400);
    expectError(await api.call('GET', '/api/v1/departments/not-a-uuid', api.admin), 400, 'id');
    expectError(await api.call('PUT', '/api/v1/departments/00000000-0000-4000-8000-000000000000/members', api.admin, { agentIds: [] }), 404, 'id');
    expectError(await api.call('PATCH', '/api/v1/departments/00000000-0000-4000-8000-000000000000', api.admin, { name: 'Z' }), 404, 'id');
    expect((await api.call('GET', '/api/v1/departments?q=Ghosts', api.admin)).body.total).to.equal(0);
  });

  it('a deleted operator leaves the departments', async () => {
    const carl = await api.operator('Carl');
    const d = (await api.call('POST', '/api/v1/departments', api.admin, { name: 'Temporary', agentIds: [carl.id, alice.id] })).body;
    expect((await api.call('DELETE', `/api/v1/agents/${carl.id}`, api.admin)).status).to.equal(204);
    const now = await api.call('GET', `/api/v1/departments/${d.id}`, api.admin);
    expect(now.body).to.include({ memberCount: 1 });
    expectError(await api.call('PUT', `/api/v1/departments/${d.id}/members`, api.admin, { agentIds: [carl.id] }), 400, 'agentIds');
  });

  it('a normal operator reads but cannot change departments; no token → 401', async () => {
    const d = (await api.call('POST', '/api/v1/departments', api.admin, { name: 'Roles' })).body;
    expect((await api.call('GET', '/api/v1/departments', alice.token)).status).to.equal(200);
    expect((await api.call('GET', `/api/v1/departments/${d.id}`, alice.token)).status).to.equal(200);
    expectError(await api.call('POST', '/api/v1/departments', alice.token, { name: 'Mine' }), 403);
    expectError(await api.call('PATCH', `/api/v1/departments/${d.id}`, alice.token, { name: 'Mine' }), 403);
    expectError(await api.call('PUT', `/api/v1/departments/${d.id}/members`, alice.token, { agentIds: [alice.id] }), 403);
    expectError(await api.call('DELETE', `/api/v1/departments/${d.id}`, alice.token), 403);
    expectError(await api.call('GET', '/api/v1/departments'), 401);
    expect((await api.call('GET', `/api/v1/departments/${d.id}`, api.admin)).body.name).to.equal('Roles');
  });
});
