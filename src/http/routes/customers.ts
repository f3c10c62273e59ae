// Customers with their history. A normal operator sees the customers they
// served and, in a customer's history, only their own conversations.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { customerById, listCustomers } from '../../db/repos/customers.js';
import { listConversations } from '../../db/repos/conversation-list.js';
import type { Services } from '../app.js';
import { actorOf, isAdmin, OPERATOR } from '../access.js';
import { ERRORS, listOf, listQuery, UUID_PARAM, type Page } from '../lists.js';

export function customerRoutes(app: FastifyInstance, s: Services): void {
  app.get<{ Querystring: Page & { q?: string; tagId?: string } }>('/api/v1/customers', {
    config: OPERATOR,
    schema: {
      tags: ['customers'], summary: 'Customers, recently seen first (filter by text or tag)',
      querystring: listQuery({ q: { type: 'string', minLength: 1, maxLength: 100 }, tagId: { type: 'string', format: 'uuid' } }),
      response: { 200: listOf('Customer'), ...ERRORS },
    },
  }, async (req) => {
    const me = actorOf(req);
    return listCustomers(s.db, { ...req.query, servedBy: isAdmin(me) ? undefined : me.agent!.id });
  });

  app.get<{ Params: { id: string }; Querystring: Page }>('/api/v1/customers/:id', {
    config: OPERATOR,
    schema: {
      tags: ['customers'], summary: 'A customer and their conversations, newest first', params: UUID_PARAM, querystring: listQuery({}),
      response: { 200: { type: 'object', properties: { customer: { $ref: 'Customer#' }, conversations: listOf('Conversation') } }, ...ERRORS },
    },
  }, async (req) => {
    const me = actorOf(req);
    const servedBy = isAdmin(me) ? undefined : me.agent!.id;
    const customer = await customerById(s.db, req.params.id, servedBy);
    if (!customer) throw new AppError('not_found', 'id: no such customer', 'id');
    return { customer, conversations: await listConversations(s.db, { ...req.query, customerId: customer.id, agentId: servedBy }) };
  });
}
