// Operators: list and read (any operator: colleagues are transfer targets),
// create, change and delete (administrators). SIP info is shown once on
// create and to its owner at GET /api/v1/me.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { agentById, listAgents, type Role } from '../../db/repos/agents.js';
import type { AgentChanges, NewAgentInput } from '../../app/agents.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN, OPERATOR } from '../access.js';
import { ERRORS, listOf, listQuery, UUID_PARAM, type Page } from '../lists.js';

export function agentRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Querystring: Page & { q?: string; role?: Role; departmentId?: string } }>('/api/v1/agents', {
    config: OPERATOR,
    schema: {
      tags: ['agents'], summary: 'List operators (filter by text, role, department)',
      querystring: listQuery({ q: { type: 'string', minLength: 1, maxLength: 100 }, role: { type: 'string', enum: ['administrator', 'normal'] }, departmentId: { type: 'string', format: 'uuid' } }),
      response: { 200: listOf('Agent'), ...ERRORS },
    },
  }, async (req) => listAgents(s.db, req.query));

  app.get<{ Params: { id: string } }>('/api/v1/agents/:id', {
    config: OPERATOR,
    schema: { tags: ['agents'], summary: 'One operator', params: UUID_PARAM, response: { 200: { $ref: 'Agent#' }, ...ERRORS } },
  }, async (req) => {
    const a = await agentById(s.db, req.params.id, { live: true });
    if (!a) throw new AppError('not_found', 'id: no such agent', 'id');
    return a;
  });

  app.post<{ Body: NewAgentInput }>('/api/v1/agents', {
    config: ADMIN,
    schema: {
      tags: ['agents'], summary: 'Create an operator with an XMPP account, SIP info and a private room. Without a password one is generated and returned once.',
      body: { $ref: 'NewAgent#' },
      response: { 201: { type: 'object', properties: { agent: { $ref: 'Agent#' }, password: { type: ['string', 'null'] }, sipInfo: { $ref: 'SipInfo#' } } }, ...ERRORS },
    },
  }, async (req, reply) => {
    const out = await s.agents.create(req.body, actorOf(req));
    s.desk.probe(out.agent.jid);
    return reply.code(201).send(out);
  });

  app.patch<{ Params: { id: string }; Body: AgentChanges }>('/api/v1/agents/:id', {
    config: ADMIN,
    schema: { tags: ['agents'], summary: "Change an operator's fields", params: UUID_PARAM, body: { $ref: 'AgentChanges#' }, response: { 200: { $ref: 'Agent#' }, ...ERRORS } },
  }, async (req) => {
    const updated = await s.agents.update(req.params.id, req.body, actorOf(req));
    if (req.body.maxChats !== undefined) void s.routing.kick();
    return updated;
  });

  app.post<{ Params: { id: string } }>('/api/v1/agents/:id/sip-password', {
    config: ADMIN,
    schema: {
      tags: ['agents'], summary: "Give an operator a new random SIP password (the old one stops working at once); returns the SIP info with it, shown once",
      params: UUID_PARAM, response: { 200: { type: 'object', properties: { sipInfo: { $ref: 'SipInfo#' } } }, ...ERRORS },
    },
  }, async (req) => ({ sipInfo: await s.agents.renewSipPassword(req.params.id, actorOf(req)) }));

  app.delete<{ Params: { id: string } }>('/api/v1/agents/:id', {
    config: ADMIN,
    schema: { tags: ['agents'], summary: 'Delete an operator; their conversations keep their history', params: UUID_PARAM, response: { 204: { type: 'null' }, ...ERRORS } },
  }, async (req, reply) => {
    await s.agents.remove(req.params.id, actorOf(req));
    return reply.code(204).send();
  });
}
