// WebSocket relays on our origin, one path each: /xmpp-websocket to Prosody
// (RFC 7395) and /sip-ws to Kamailio (RFC 7118). One origin for the page, XMPP
// and SIP; frames above the size cap close the socket (the parsers behind have
// no cap of their own). The upstream is told the client's address, which
// Kamailio uses for its per-source limits and bans.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../log.js';

export interface RelayRoute { path: string; protocol: string; upstream: string; maxBytes: number }

export function attachWebsocketRelays(app: FastifyInstance, routes: RelayRoute[], log: Logger): void {
  const servers = new Map(routes.map((r) => [r.path, {
    route: r,
    wss: new WebSocketServer({ noServer: true, maxPayload: r.maxBytes, handleProtocols: (p: Set<string>) => (p.has(r.protocol) ? r.protocol : false) }),
  }]));
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const s = servers.get((req.url ?? '').split('?')[0] ?? '');
    if (!s) { socket.destroy(); return; }
    s.wss.handleUpgrade(req, socket, head, (client) => relay(client, s.route, req.socket.remoteAddress ?? '', log));
  });
  // Upgraded sockets are not Fastify's: end them before the server waits on them.
  app.addHook('preClose', async () => {
    for (const { wss } of servers.values()) { for (const c of wss.clients) c.terminate(); wss.close(); }
  });
}

function relay(client: WebSocket, route: RelayRoute, clientAddress: string, log: Logger): void {
  const address = clientAddress.replace(/^::ffff:/, '');
  const up = new WebSocket(route.upstream, route.protocol, { maxPayload: route.maxBytes * 4, headers: { 'X-Forwarded-For': address } });
  const queue: Array<{ data: WebSocket.RawData; binary: boolean }> = [];
  client.on('message', (data, binary) => {
    if (up.readyState === WebSocket.OPEN) up.send(data, { binary });
    else queue.push({ data, binary });
  });
  up.on('open', () => { for (const m of queue.splice(0)) up.send(m.data, { binary: m.binary }); });
  up.on('message', (data, binary) => { if (client.readyState === WebSocket.OPEN) client.send(data, { binary }); });
  const closeBoth = (code?: number) => {
    const c = code && code >= 1000 && code < 5000 && code !== 1005 && code !== 1006 ? code : 1000;
    if (client.readyState === WebSocket.OPEN) client.close(c);
    if (up.readyState === WebSocket.OPEN) up.close(c);
    if (up.readyState === WebSocket.CONNECTING) up.terminate();
  };
  client.on('close', (code) => closeBoth(code));
  up.on('close', (code) => closeBoth(code));
  client.on('error', () => closeBoth(1009));
  up.on('error', (e) => { log.warn(`${route.path} upstream: ${e.message}`); closeBoth(1011); });
}
