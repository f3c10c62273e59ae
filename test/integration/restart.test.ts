// Our process is restart-safe: kill the worker (component + HTTP) mid-chat
// with SIGKILL, start it again, and the conversation goes on — same MUC room,
// no rejoin, nothing stored lost or doubled.
import { expect } from 'chai';
import { freshDatabase, testEnv } from '../support/env.js';
import { freePort } from '../support/ports.js';
import { spawnNode, type Spawned } from '../support/processes.js';
import { waitUntil } from '../support/stack.js';
import { groupchat, isBody, isInvite, isSelfPresence, joinPresence, TestClient, xml, type Element } from '../support/xmpp.js';
import pg from 'pg';

describe('restart of our process mid-chat', function () {
  this.timeout(120_000);
  const workers: Spawned[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    for (const w of workers) { w.proc.kill('SIGKILL'); await w.exited; }
  });

  it('resumes the conversation after SIGKILL and restart', async () => {
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
    const first = await start();
    const password = (await first.waitForLine(/Password: /)).split('Password: ')[1]!.trim();

    // The admin API: sign in with the printed credentials, create an agent.
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: `admin@${cfg.xmppDomain}`, password }) });
    expect(login.status).to.equal(200);
    const { token } = await login.json() as { token: string };
    const created = await fetch(`${base}/api/v1/agents`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'Rita Restart', jid: `rita${process.pid}@${cfg.xmppDomain}` }) });
    expect(created.status).to.equal(201);
    const { agent, password: agentPassword } = await created.json() as { agent: { jid: string }; password: string };

    const rita = await TestClient.agent({ port: cfg.xmppC2sPort, jid: agent.jid, password: agentPassword });
    clients.push(rita);
    await rita.send(xml('presence'));
    const res = await fetch(`${base}/api/v1/rooms/general/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Remy', message: 'before the crash' }) });
    const conv = await res.json() as { id: string; roomJid: string; password: string; nick: string; guestDomain: string };
    // The customer talks to Prosody's WebSocket directly so the session outlives the worker.
    const remy = await TestClient.guest({ url: cfg.xmppWebsocketUrl, domain: conv.guestDomain });
    clients.push(remy);
    await remy.send(joinPresence(conv.roomJid, conv.nick, conv.password));
    await remy.waitFor(isSelfPresence(conv.roomJid));
    await rita.waitFor(isInvite(conv.roomJid), 15_000, 'offer');
    await rita.send(joinPresence(conv.roomJid, 'Rita', conv.password));
    await rita.waitFor(isSelfPresence(conv.roomJid));
    await remy.send(groupchat(conv.roomJid, 'm1'));
    await rita.waitFor(isBody(`${conv.roomJid}/Remy`, 'm1'));
    await rita.send(groupchat(conv.roomJid, 'r1'));
    await remy.waitFor(isBody(`${conv.roomJid}/Rita`, 'r1'));

    first.proc.kill('SIGKILL');
    await first.exited;
    // Once Prosody has seen the component go it bounces stanzas with an error (no
    // queueing): the client must retry. (Stanzas sent in the instant before that are lost.)
    let n = 0;
    let bounce: Element | null = null;
    await waitUntil(async () => {
      const id = `out-${++n}`;
      await remy.send(groupchat(conv.roomJid, 'during the outage', id));
      bounce = await remy.waitFor((el) => el.attrs.id === id && el.attrs.type === 'error', 500).catch(() => null);
      return bounce !== null;
    }, 10_000, 'a bounce while we are down');
    expect(bounce!.getChild('error')).to.not.equal(undefined);

    await start();
    // Same sessions, no rejoin: messages flow both ways again.
    await waitUntil(async () => {
      await remy.send(groupchat(conv.roomJid, 'm2', `m2-${Date.now()}`));
      return rita.receives(isBody(`${conv.roomJid}/Remy`, 'm2'), 1000);
    }, 30_000, 'customer message after restart');
    await rita.send(groupchat(conv.roomJid, 'r2'));
    await remy.waitFor(isBody(`${conv.roomJid}/Rita`, 'r2'), 10_000);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const rows = (await db.query("SELECT body FROM messages WHERE conversation_id = $1 AND sender_kind <> 'system' ORDER BY seq", [conv.id])).rows.map((r) => r.body);
      expect(rows.slice(0, 3)).to.deep.equal(['before the crash', 'm1', 'r1']);
      expect(rows.filter((b) => b === 'r2')).to.have.length(1);
      expect(rows).to.not.include('during the outage');
      const status = (await db.query('SELECT status FROM conversations WHERE id = $1', [conv.id])).rows[0].status;
      expect(status).to.equal('active');
    } finally { await db.end(); }
  });
});
