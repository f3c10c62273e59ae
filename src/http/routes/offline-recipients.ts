// Which operators receive offline messages by email (seed 004): read and
// replaced as a whole by administrators. An operator without an email address
// cannot be one.
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../core/errors.js';
import { inTransaction } from '../../db/pool.js';
import { firstWithoutEmail, offlineRecipientIds, setOfflineRecipients } from '../../db/repos/offline-recipients.js';
import { requireLiveAgents, unknownAgent, violation } from '../../db/repos/shared.js';
import type { Services } from '../app.js';
import { actorOf, ADMIN } from '../access.js';
import { ERRORS } from '../lists.js';

const REPLY = { 200: { type: 'object', properties: { agentIds: { type: 'array', items: { type: 'string', format: 'uuid' } } }, required: ['agentIds'] }, ...ERRORS } as const;

export function offlineRecipientRoutes(app: FastifyInstance, s: Services): void {
  app.get('/api/v1/offline-recipients', {
    config: ADMIN,
    schema: { tags: ['offline messages'], summary: 'The operators who receive offline messages by email', response: REPLY },
  }, async () => ({ agentIds: await offlineRecipientIds(s.db) }));

  app.put<{ Body: { agentIds: string[] } }>('/api/v1/offline-recipients', {
    config: ADMIN,
    schema: { tags: ['offline messages'], summary: 'Set who receives offline messages by email (each needs an email address)', body: { $ref: 'AgentIds#' }, response: REPLY },
  }, async (req) => inTransaction(s.db, async (tx) => {
    const { agentIds } = req.body;
    await requireLiveAgents(tx, agentIds);
    const mute = await firstWithoutEmail(tx, agentIds);
    if (mute) throw invalid('agentIds', `${mute.name} (${mute.id}) has no email address`);
    const before = { agentIds: await offlineRecipientIds(tx) };
    await setOfflineRecipients(tx, agentIds).catch(violation({ foreign: unknownAgent() }));
    const after = { agentIds: await offlineRecipientIds(tx) };
    await s.audit.record(tx, actorOf(req), { action: 'update', resource: 'offline-recipients', id: 'offline-recipients', before, after });
    return after;
  }));
}
