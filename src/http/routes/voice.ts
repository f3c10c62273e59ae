// What the customer page needs to place a call: whether voice is on, the SIP
// domain its Request-URIs name, and the WebSocket path on this origin
// (/sip-ws, RFC 7118). The room's buttons say which calls a room allows.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { PUBLIC } from '../access.js';

export function voiceRoutes(app: FastifyInstance, s: Services): void {
  app.get('/api/v1/voice', {
    config: PUBLIC,
    schema: {
      tags: ['customer'], summary: 'Voice and video calls from the customer page: on or off, the SIP domain, the WebSocket path',
      response: {
        200: {
          type: 'object', additionalProperties: false, required: ['enabled', 'domain', 'websocketPath'],
          properties: { enabled: { type: 'boolean' }, domain: { type: 'string' }, websocketPath: { type: 'string' } },
        },
      },
    },
  }, async () => ({ enabled: s.cfg.voiceEnabled, domain: s.cfg.sipDomain, websocketPath: '/sip-ws' }));
}
