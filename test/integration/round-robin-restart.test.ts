// Round robin survives a crash of our process: kill the worker with SIGKILL
// between two turns, start it again, and the next chat goes to the next agent
// in the rotation, not back to the first.
import { expect } from 'chai';
import pg from 'pg';
import { freshDatabase, testEnv } from '../support/env.js';
import { freePort } from '../support/ports.js';
import { spawnNode, type Spawned } from '../support/processes.js';
import { waitUntil } from '../support/stack.js';
import { isBody, isInvite, isSelfPresence, joinPresence, TestClient, xml } from '../support/xmpp.js';

describe('round robin across a restart of our process', function () {
  this.timeout(180_000);
  const workers: Spawned[] = [];
  const clients: TestClient[] = [];
  let db: pg.Client | null = null;
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    for (const w of workers) { w.proc.kill('SIGKILL'); await w.exited; }
    await db?.end();
  });

  it('the next turn after SIGKILL and restart goes to the next agent', async () => {
    const env = await testEnv();
    const databaseUrl = await freshDatabase(env);
    const httpPort = await freePort();
    const cfg = env.baseConfig;
    const workerEnv = {
      DATABASE_URL: databaseUrl, XMPP_SERVER: 'external', XMPP_COMPONENT_SECRET: env.prosody.secret,
      XMPP_COMPONENT_PORT: String(cfg.xmppComponentPort), XMPP_WEBSOCKET_URL: cfg.xmppWebsocketUrl, HTTP_PORT: String(httpPort),
      SWITCHBOARD_PROSODY_CONFIG: env.prosody.paths.configFile, LOG_LEVEL: 'info',
    };
    const base = `http://127.0.0.1:${httpPort}`;
    const start = async () => {
      const w = spawnNode('worker.js', workerEnv);
      workers.push(w);
      await w.waitForLine(/HTTP on http/);
      return w;
    };
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${base}${path}`, {
        method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    };
    const first = await start();
    const password = (await first.waitForLine(/Password: /)).split('Password: ')[1]!.trim();
    const { token } = (await call('POST', '/api/v1/auth/login', { login: `admin@${cfg.xmppDomain}`, password })).body as { token: string };
    expect((await call('PATCH', '/api/v1/rooms/general', { strategy: 'round-robin' }, token)).status).to.equal(200);

    const agents: Array<{ id: string; jid: string; client: TestClient }> = [];
    for (const name of ['Ran', 'Rex', 'Ria']) {
      const made = await call('POST', '/api/v1/agents', { name, jid: `${name.toLowerCase()}rr${process.pid}@${cfg.xmppDomain}`, password: 'agent-password' }, token);
      expect(made.status).to.equal(201);
      const client = await TestClient.agent({ port: cfg.xmppC2sPort, jid: made.body.agent.jid, password: 'agent-password' });
      clients.push(client);
      await client.send(xml('presence'));
      agents.push({ id: made.body.agent.id, jid: made.body.agent.jid, client });
    }
    // Every agent counted available by the desk before the first customer (else the first turn goes to whoever is seen first).
    const available = async (a: { client: TestClient }) => waitUntil(async () => {
      await a.client.send(xml('message', { to: cfg.deskDomain, type: 'chat' }, xml('body', {}, 'status')));
      const reply = await a.client.waitFor(isBody(cfg.deskDomain), 10_000, 'status');
      return /^You are available/.test(reply.getChildText('body') ?? '');
    }, 30_000, 'available at the desk');
    for (const a of agents) await available(a);
    const order = agents.map((a) => a.id).sort();
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const offeredTo = async (convId: string) => {
      await waitUntil(async () => (await db!.query('SELECT 1 FROM offers WHERE conversation_id = $1', [convId])).rowCount! > 0, 30_000, 'an offer');
      return (await db!.query('SELECT agent_id::text AS a FROM offers WHERE conversation_id = $1', [convId])).rows.map((r) => r.a as string);
    };
    // A customer talks to Prosody's WebSocket directly, so the session outlives the worker.
    const arrive = async (name: string) => {
      const conv = (await call('POST', '/api/v1/rooms/general/conversations', { name, message: 'hello' })).body as { id: string; roomJid: string; password: string; nick: string; guestDomain: string };
      const c = await TestClient.guest({ url: cfg.xmppWebsocketUrl, domain: conv.guestDomain });
      clients.push(c);
      await c.send(joinPresence(conv.roomJid, conv.nick, conv.password));
      await c.waitFor(isSelfPresence(conv.roomJid), 20_000, 'customer in the room');
      return conv;
    };

    const c1 = await arrive('One');
    expect(await offeredTo(c1.id)).to.deep.equal([order[0]]);
    const c2 = await arrive('Two');
    expect(await offeredTo(c2.id)).to.deep.equal([order[1]]);
    await agents.find((a) => a.id === order[1])!.client.waitFor(isInvite(c2.roomJid), 20_000, 'the second turn');

    first.proc.kill('SIGKILL');
    await first.exited;
    await start();
    for (const a of agents) await available(a);
    const c3 = await arrive('Three');
    expect(await offeredTo(c3.id), 'the third agent, not the first again').to.deep.equal([order[2]]);
    await agents.find((a) => a.id === order[2])!.client.waitFor(isInvite(c3.roomJid), 20_000, 'the third turn');
  });
});
