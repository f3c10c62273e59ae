// Builds the Fastify app (never listens: see worker.ts). Schemas come from
// schemas/http; OpenAPI at /openapi.json with a browsable UI at /docs.
import { readdirSync, readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Config } from '../config.js';
import type { Db } from '../db/pool.js';
import type { Logger } from '../log.js';
import { repoPath } from '../paths.js';
import type { AgentDirectory } from '../app/agents.js';
import type { Conversations } from '../app/conversations.js';
import type { Routing } from '../app/routing.js';
import type { DeskService } from '../../components/desk/service.js';
import type { Clock } from '../core/clock.js';
import type { Audit } from '../app/audit.js';
import type { AdminEvents, UsageSources } from '../app/events.js';
import type { Sessions } from '../app/sessions.js';
import { installAccess } from './access.js';
import { authRoutes } from './routes/auth.js';
import { agentRoutes } from './routes/agents.js';
import { installErrorHandler } from './errors.js';
import { roomRoutes } from './routes/rooms.js';
import { completeSchema } from './room-schema.js';
import { conversationRoutes } from './routes/conversations.js';
import { customerRoutes } from './routes/customers.js';
import { auditRoutes } from './routes/audit.js';
import { offlineRoutes } from './routes/offline.js';
import type { OfflineDesk } from '../app/offline.js';
import type { MailService } from '../mail/index.js';
import { departmentRoutes } from './routes/departments.js';
import { cannedRoutes } from './routes/canned.js';
import { predefinedRoutes } from './routes/predefined.js';
import { urlRouteRoutes } from './routes/url-routes.js';
import { offlineRecipientRoutes } from './routes/offline-recipients.js';
import { tagRoutes } from './routes/tags.js';
import { companyRoutes } from './routes/company.js';
import { publicRoutes } from './routes/public.js';
import { voiceRoutes } from './routes/voice.js';
import { attachWebsocketRelays, type RelayRoute } from './ws-relay.js';

export interface Services {
  cfg: Config; db: Db; log: Logger; clock: Clock; sessions: Sessions; audit: Audit; events: AdminEvents; usage: UsageSources;
  agents: AgentDirectory; conversations: Conversations; routing: Routing; desk: DeskService;
  mail: MailService; offline: OfflineDesk;
}

export async function buildHttp(s: Services): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  // Query strings and params arrive as text and are coerced; JSON bodies are
  // taken as sent, so ["A"] is not silently accepted where a string is due.
  const shared = readdirSync(repoPath('schemas', 'http')).filter((x) => x.endsWith('.json')).sort()
    .map((f) => completeSchema(JSON.parse(readFileSync(repoPath('schemas', 'http', f), 'utf8')) as { $id: string }));
  const makeAjv = (coerceTypes: boolean | 'array') => {
    const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    // PostgreSQL has no year 0: such a date-time is refused here, naming the field, not by the database.
    const dateTime = ajv.formats['date-time'] as { validate: (x: string) => boolean };
    ajv.addFormat('date-time', { type: 'string', validate: (x: string) => dateTime.validate(x) && !x.startsWith('0000') });
    for (const s of shared) ajv.addSchema(s);
    return ajv;
  };
  const strict = makeAjv(false), coercing = makeAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
  for (const s of shared) app.addSchema(s);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchboard API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installErrorHandler(app);
  installAccess(app, s.sessions);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  authRoutes(app, s);
  agentRoutes(app, s);
  publicRoutes(app, s);
  voiceRoutes(app, s);
  roomRoutes(app, s);
  conversationRoutes(app, s);
  customerRoutes(app, s);
  auditRoutes(app, s);
  offlineRoutes(app, s);
  departmentRoutes(app, s);
  cannedRoutes(app, s);
  predefinedRoutes(app, s);
  urlRouteRoutes(app, s);
  offlineRecipientRoutes(app, s);
  tagRoutes(app, s);
  companyRoutes(app, s);
  const relays: RelayRoute[] = [{ path: '/xmpp-websocket', protocol: 'xmpp', upstream: s.cfg.xmppWebsocketUrl, maxBytes: s.cfg.stanzaMaxBytes }];
  if (s.cfg.voiceEnabled) relays.push({ path: '/sip-ws', protocol: 'sip', upstream: s.cfg.sipWebsocketUrl, maxBytes: s.cfg.stanzaMaxBytes });
  attachWebsocketRelays(app, relays, s.log);
  return app;
}
