// Departments with their member operators (seed 004). Any operator reads
// them (transfer targets, team rooms); administrators change them. Customers
// pick from departmentsForVisitors() (db/repos/departments.ts) on the room's page.
import type { FastifyInstance } from 'fastify';
import { conflict, notFound } from '../../core/errors.js';
import { inTransaction } from '../../db/pool.js';
import {
  deleteDepartment, departmentById, insertDepartment, listDepartments, setMembers, updateDepartment,
} from '../../db/repos/departments.js';
import { requireLiveAgents, unknownAgent, violation } from '../../db/repos/shared.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN, OPERATOR } from '../access.js';
import { ERRORS, listOf, listQuery, UUID_PARAM, type Page } from '../lists.js';

const Q = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000]*$' } as const;
const ONE = { 200: { $ref: 'Department#' }, ...ERRORS } as const;
const nameTaken = () => conflict('name', 'another department already has this name');
const noSuch = () => notFound('id', 'no such department');

export function departmentRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Querystring: Page & { q?: string } }>('/api/v1/departments', {
    config: OPERATOR,
    schema: { tags: ['departments'], summary: 'List departments with their members and member counts (filter by text)', querystring: listQuery({ q: Q }), response: { 200: listOf('Department'), ...ERRORS } },
  }, async (req) => listDepartments(s.db, req.query));

  app.get<{ Params: { id: string } }>('/api/v1/departments/:id', {
    config: OPERATOR,
    schema: { tags: ['departments'], summary: 'One department', params: UUID_PARAM, response: ONE },
  }, async (req) => {
    const d = await departmentById(s.db, req.params.id);
    if (!d) throw noSuch();
    return d;
  });

  app.post<{ Body: { name: string; description?: string; agentIds?: string[] } }>('/api/v1/departments', {
    config: ADMIN,
    schema: { tags: ['departments'], summary: 'Create a department, optionally with its members', body: { $ref: 'NewDepartment#' }, response: { 201: { $ref: 'Department#' }, ...ERRORS } },
  }, async (req, reply) => {
    const { name, description = '', agentIds = [] } = req.body;
    const created = await inTransaction(s.db, async (tx) => {
      const id = await insertDepartment(tx, { name: name.trim(), description }).catch(violation({ unique: nameTaken }));
      await requireLiveAgents(tx, agentIds);
      await setMembers(tx, id, agentIds).catch(violation({ foreign: unknownAgent() }));
      const after = (await departmentById(tx, id))!;
      await s.audit.record(tx, actorOf(req), { action: 'create', resource: 'department', id, after });
      return after;
    });
    await s.agents.load();
    return reply.code(201).send(created);
  });

  app.patch<{ Params: { id: string }; Body: { name?: string; description?: string } }>('/api/v1/departments/:id', {
    config: ADMIN,
    schema: { tags: ['departments'], summary: "Rename a department or change its description", params: UUID_PARAM, body: { $ref: 'DepartmentChanges#' }, response: ONE },
  }, async (req) => refreshing(s, inTransaction(s.db, async (tx) => {
    const before = await departmentById(tx, req.params.id);
    if (!before) throw noSuch();
    const { name, description } = req.body;
    if (!(await updateDepartment(tx, before.id, { name: name?.trim(), description }).catch(violation({ unique: nameTaken })))) throw noSuch();
    const after = (await departmentById(tx, before.id))!;
    await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'department', id: before.id, before, after });
    return after;
  })));

  app.put<{ Params: { id: string }; Body: { agentIds: string[] } }>('/api/v1/departments/:id/members', {
    config: ADMIN,
    schema: { tags: ['departments'], summary: "Set a department's whole membership", params: UUID_PARAM, body: { $ref: 'AgentIds#' }, response: ONE },
  }, async (req) => refreshing(s, inTransaction(s.db, async (tx) => {
    const before = await departmentById(tx, req.params.id);
    if (!before) throw noSuch();
    await requireLiveAgents(tx, req.body.agentIds);
    // A department deleted meanwhile shows as a foreign-key violation on its id.
    await setMembers(tx, before.id, req.body.agentIds).catch(violation({ foreign: noSuch }));
    const after = (await departmentById(tx, before.id))!;
    await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'department', id: before.id, before, after });
    return after;
  })));

  app.delete<{ Params: { id: string } }>('/api/v1/departments/:id', {
    config: ADMIN,
    schema: { tags: ['departments'], summary: 'Delete a department; its conversations keep their history', params: UUID_PARAM, response: { 204: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => {
    await inTransaction(s.db, async (tx) => {
      const before = await departmentById(tx, req.params.id);
      if (!before || !(await deleteDepartment(tx, before.id))) throw noSuch();
      await s.audit.record(tx, actorOf(req), { action: 'delete', resource: 'department', id: before.id, before });
    });
    await s.agents.load();
    return reply.code(204).send();
  });
}

/** Operators carry their department ids in the directory (routing reads them): reload it after a write. */
async function refreshing<T>(s: Services, write: Promise<T>): Promise<T> {
  const out = await write;
  await s.agents.load();
  return out;
}
