// /xmpp-websocket on our origin, relayed to Prosody's WebSocket (RFC 7395).
// One origin for the page and XMPP; frames above the size cap close the socket
// (the XML parser under xmpp.js has no cap of its own).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../log.js';

export function attachXmppWebsocket(app: FastifyInstance, opts: { upstream: string; maxBytes: number; log: Logger }): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxBytes, handleProtocols: (p) => (p.has('xmpp') ? 'xmpp' : false) });
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? '').split('?')[0] !== '/xmpp-websocket') { socket.destroy(); return; }
    wss.handleUpgrade(req, socket, head, (client) => relay(client, opts));
  });
  // Upgraded sockets are not Fastify's: end them before the server waits on them.
  app.addHook('preClose', async () => { for (const c of wss.clients) c.terminate(); wss.close(); });
}

function relay(client: WebSocket, opts: { upstream: string; maxBytes: number; log: Logger }): void {
  const up = new WebSocket(opts.upstream, 'xmpp', { maxPayload: opts.maxBytes * 4 });
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
  up.on('error', (e) => { opts.log.warn(`xmpp-websocket upstream: ${e.message}`); closeBoth(1011); });
}
