// The queue under concurrency and restarts (issue 4): fifty agents joining the
// same offered room at once; five hundred customers arriving within a second
// for twenty agents of three chats each; our process killed and restarted with
// chats queued, on offer and active.
import { expect } from 'chai';
import pg from 'pg';
import { freshDatabase, testEnv } from '../support/env.js';
import { freePort } from '../support/ports.js';
import { spawnNode, type Spawned } from '../support/processes.js';
import { customer, onlineAgent, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { groupchat, isBody, isInvite, isPresenceError, isSelfPresence, joinPresence, NS_MUC_USER, TestClient, xml, type Element } from '../support/xmpp.js';

/** Runs fn over items with at most `limit` at once. */
async function pool<T, R>(items: T[], limit: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]!, i); }
  }));
  return out;
}

const isSelf = (el: Element) => !!el.getChild('x', NS_MUC_USER)?.getChildren('status').some((s) => s.attrs.code === '110');

describe('queue under load', function () {
  this.timeout(600_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });
  afterEach(async () => {
    await pool(stack.clients.splice(0), 50, (c) => c.stop());
    await stack.sb.db.query("UPDATE conversations SET status = 'closed', closed_at = now() WHERE status <> 'closed'");
    await stack.sb.db.query("UPDATE offers SET status = 'withdrawn' WHERE status = 'pending'");
  });

  it('50 agents join the same offered room at once: exactly one wins, the others get a readable refusal', async () => {
    const agents = await pool(Array.from({ length: 50 }, (_, i) => i), 8, async (i) => {
      const a = await onlineAgent(stack, `Rush${i}`);
      await untilAvailable(stack, a.jid);
      return a;
    });
    const cust = await customer(stack, { name: 'Contested', message: 'who takes me?' });
    await Promise.all(agents.map((a) => a.client.waitFor(isInvite(cust.roomJid), 20_000, 'offer to every agent')));
    await Promise.all(agents.map((a) => a.client.send(joinPresence(cust.roomJid, a.nick, cust.password))));
    const outcomes = await Promise.all(agents.map((a) => a.client.waitFor((el) => isSelfPresence(cust.roomJid)(el) || isPresenceError(cust.roomJid)(el), 30_000, 'join answer')
      .then((el) => ({ a, won: el.attrs.type !== 'error', text: el.getChild('error')?.getChildText('text', 'urn:ietf:params:xml:ns:xmpp-stanzas') ?? '' }))));
    const winners = outcomes.filter((o) => o.won);
    expect(winners).to.have.length(1);
    const winner = winners[0]!.a;
    expect(outcomes.filter((o) => !o.won).every((o) => o.text.includes(winner.nick))).to.equal(true);
    const row = (await stack.sb.db.query('SELECT status, agent_id FROM conversations WHERE id = $1', [cust.id])).rows[0];
    expect(row).to.deep.equal({ status: 'active', agent_id: winner.id });
    const offers = (await stack.sb.db.query('SELECT status, count(*)::int AS n FROM offers WHERE conversation_id = $1 GROUP BY status ORDER BY status', [cust.id])).rows;
    expect(offers).to.deep.equal([{ status: 'accepted', n: 1 }, { status: 'withdrawn', n: 49 }]);
    const inRoom = [...stack.sb.muc.rooms.get(cust.roomJid.split('@')[0]!)!.occupants.values()].map((o) => o.kind).sort();
    expect(inRoom).to.deep.equal(['agent', 'customer']);
  });

  it('500 customers within one second, 20 agents of 3 chats: no agent ever over its limit, every customer served, none lost', async () => {
    const MAX = 3;
    const N = 500;
    const agents = await pool(Array.from({ length: 20 }, (_, i) => i), 8, async (i) => {
      const a = await onlineAgent(stack, `Load${i}`, { maxChats: MAX });
      await untilAvailable(stack, a.jid);
      return { ...a, joined: new Set<string>(), joining: new Set<string>(), deferred: [] as string[] };
    });
    const passwords = new Map<string, string>();
    const problems: string[] = [];
    for (const a of agents) {
      // The invitation for a freed place can arrive before the end of the chat that freed it: keep it until then.
      const tryJoin = (roomJid: string) => {
        const pw = passwords.get(roomJid);
        if (!pw || a.joined.has(roomJid) || a.joining.has(roomJid)) return;
        if (a.joined.size + a.joining.size >= MAX) { a.deferred.push(roomJid); return; }
        a.joining.add(roomJid);
        void a.client.send(joinPresence(roomJid, a.nick, pw));
      };
      a.client.stanzas.push = () => 0; // events only: keep no history of thousands of stanzas
      a.client.xmpp.on('stanza', (el: Element) => {
        const from = el.attrs.from ?? '';
        const roomJid = from.split('/')[0]!;
        if (el.is('message') && el.getChild('x', NS_MUC_USER)?.getChild('invite')) { tryJoin(roomJid); return; }
        if (!el.is('presence') || !a.joining.has(roomJid) && !a.joined.has(roomJid)) return;
        if (el.attrs.type === 'error') { a.joining.delete(roomJid); return; } // another agent was first
        if (el.attrs.type === undefined && isSelf(el) && a.joining.delete(roomJid)) {
          a.joined.add(roomJid);
          // A short chat, then the agent closes it.
          setTimeout(() => void a.client.send(groupchat(roomJid, '!close')), 200 + Math.random() * 600);
          return;
        }
        if (el.attrs.type === 'unavailable' && isSelf(el) && a.joined.delete(roomJid)) {
          for (const r of a.deferred.splice(0)) tryJoin(r);
        }
      });
    }

    // Agents' loads sampled from the store all along.
    let sampling = true;
    let maxActive = 0;
    let samples = 0;
    const sampler = (async () => {
      while (sampling) {
        const r = await stack.sb.db.query("SELECT coalesce(max(n), 0)::int AS m FROM (SELECT count(*) AS n FROM conversations WHERE status = 'active' GROUP BY agent_id) x");
        maxActive = Math.max(maxActive, r.rows[0].m);
        samples++;
        await new Promise((res) => setTimeout(res, 50));
      }
    })();

    // 500 forms within one second, then every customer logs in and joins.
    const started = await Promise.all(Array.from({ length: N }, async (_, i) => {
      const res = await fetch(`${stack.cfg.publicUrl}/api/v1/rooms/general/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `Crowd ${i}`, message: `question ${i}` }) });
      expect(res.status).to.equal(201);
      const s = await res.json() as { id: string; roomJid: string; password: string; nick: string; guestDomain: string };
      passwords.set(s.roomJid, s.password);
      return s;
    }));
    const ended = new Set<string>();
    const dropped = new Set<string>();
    const dropReasons: string[] = [];
    await pool(started, 50, async (s) => {
      const c = await TestClient.guest({ url: `ws://127.0.0.1:${stack.cfg.httpPort}/xmpp-websocket`, domain: s.guestDomain });
      stack.clients.push(c);
      c.stanzas.push = () => 0;
      c.xmpp.on('stanza', (el: Element) => {
        if (el.is('presence') && el.attrs.type === 'unavailable' && el.getChild('x', NS_MUC_USER)?.getChild('destroy') && (el.attrs.from ?? '').startsWith(s.roomJid + '/')) {
          ended.add(s.id);
          void c.stop();
        }
        // A customer back after a dropped connection whose chat ended meanwhile: the room is gone.
        if (el.is('presence') && el.attrs.type === 'error' && dropped.has(s.id) && (el.attrs.from ?? '').startsWith(s.roomJid)) {
          ended.add(s.id);
          void c.stop();
          return;
        }
        if (el.attrs.type === 'error') problems.push(`customer ${s.nick}: ${el.toString().slice(0, 200)}`);
      });
      // As the customer page does after a drop (its resume): back online → join the room again.
      c.xmpp.on('online', () => { if (dropped.has(s.id) && !ended.has(s.id)) void c.send(joinPresence(s.roomJid, s.nick, s.password)).catch(() => {}); });
      // (xmpp.js passes { clean, reason } though its typings say nothing.)
      (c.xmpp as unknown as NodeJS.EventEmitter).on('disconnect', (info: unknown) => {
        if (ended.has(s.id)) return;
        const d = info as { clean?: boolean; reason?: { message?: string; code?: number } } | undefined;
        dropped.add(s.id);
        dropReasons.push(`${s.nick}: clean=${d?.clean} ${d?.reason?.message ?? d?.reason?.code ?? ''}`);
      });
      c.xmpp.on('error', (e: Error) => { if (!ended.has(s.id)) dropReasons.push(`${s.nick}: error ${e.message}`); });
      await c.send(joinPresence(s.roomJid, s.nick, s.password));
    });

    await waitUntil(async () => (await stack.sb.db.query("SELECT count(*)::int AS n FROM conversations WHERE id = ANY($1::uuid[]) AND status = 'closed'", [started.map((s) => s.id)])).rows[0].n === N, 480_000, 'every conversation served and closed');
    sampling = false;
    await sampler;
    const rows = (await stack.sb.db.query("SELECT disposition, count(*)::int AS n, count(accepted_at)::int AS accepted FROM conversations WHERE id = ANY($1::uuid[]) GROUP BY disposition", [started.map((s) => s.id)])).rows;
    expect(rows).to.deep.equal([{ disposition: 'served', n: N, accepted: N }]);
    const doubled = await stack.sb.db.query("SELECT conversation_id FROM offers WHERE status = 'accepted' GROUP BY conversation_id HAVING count(*) > 1");
    expect(doubled.rowCount).to.equal(0);
    await waitUntil(() => ended.size === N, 120_000, 'every customer saw their chat end').catch((e: Error) => {
      const missing = started.filter((s) => !ended.has(s.id));
      throw new Error(`${e.message}: ${missing.length} did not, ${missing.filter((s) => dropped.has(s.id)).length} of them after their connection dropped (${dropped.size} drops in all: ${dropReasons.slice(0, 5).join('; ')})`);
    });
    expect(samples).to.be.greaterThan(10);
    expect(maxActive).to.be.at.most(MAX).and.at.least(1);
    expect(problems).to.deep.equal([]);
    const perAgent = agents.map((a) => a.joined.size);
    expect(perAgent.every((n) => n === 0)).to.equal(true);
  });
});

describe('queue across a restart of our process', function () {
  this.timeout(180_000);
  const workers: Spawned[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    for (const w of workers) { w.proc.kill('SIGKILL'); await w.exited; }
  });

  it('chats queued, on offer and active before a SIGKILL are all there after the restart, and all served', async () => {
    const env = await testEnv();
    const databaseUrl = await freshDatabase(env);
    const httpPort = await freePort();
    const cfg = env.baseConfig;
    const workerEnv = {
      DATABASE_URL: databaseUrl, XMPP_SERVER: 'external', XMPP_COMPONENT_SECRET: env.prosody.secret,
      XMPP_COMPONENT_PORT: String(cfg.xmppComponentPort), XMPP_WEBSOCKET_URL: cfg.xmppWebsocketUrl, HTTP_PORT: String(httpPort),
      SWITCHBOARD_PROSODY_CONFIG: env.prosody.paths.configFile, LOG_LEVEL: 'info', XMPP_ALLOW_PLAIN: 'true', XMPP_REQUIRE_TLS: 'false',
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
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: `admin@${cfg.xmppDomain}`, password }) });
    const { token } = await login.json() as { token: string };
    const api = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      return r.json() as Promise<Record<string, any>>;
    };
    // The administrator account is an agent too: away, so it takes nothing.
    const agent = async (name: string) => {
      const made = await api('POST', '/api/v1/agents', { name, jid: `${name.toLowerCase()}${process.pid}@${cfg.xmppDomain}`, maxChats: 1 });
      const c = await TestClient.agent({ port: cfg.xmppC2sPort, jid: made.agent.jid, password: made.password });
      clients.push(c);
      return { c, jid: made.agent.jid as string, nick: made.agent.nickname as string };
    };
    const [ann, ben, cat] = [await agent('Ann'), await agent('Ben'), await agent('Cat')];
    await cat.c.send(xml('presence', {}, xml('show', {}, 'away')));
    await ann.c.send(xml('presence'));
    const startChat = async (name: string) => {
      const r = await fetch(`${base}/api/v1/rooms/general/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, message: `${name} here` }) });
      const s = await r.json() as { id: string; roomJid: string; password: string; nick: string; guestDomain: string };
      // Straight to Prosody's WebSocket, so the customer's session outlives our process.
      const c = await TestClient.guest({ url: cfg.xmppWebsocketUrl, domain: s.guestDomain });
      clients.push(c);
      await c.send(joinPresence(s.roomJid, s.nick, s.password));
      await c.waitFor(isSelfPresence(s.roomJid), 15_000, `${name} in the room`);
      return { ...s, c };
    };
    // Active: Ann (limit 1) takes the first chat.
    const active = await startChat('Active');
    await ann.c.waitFor(isInvite(active.roomJid), 15_000, 'offer to Ann');
    await ann.c.send(joinPresence(active.roomJid, ann.nick, active.password));
    await ann.c.waitFor(isSelfPresence(active.roomJid));
    // On offer: Ben (limit 1) comes online and is offered the second; he does not answer yet.
    await ben.c.send(xml('presence'));
    const offered = await startChat('Offered');
    await ben.c.waitFor(isInvite(offered.roomJid), 15_000, 'offer to Ben');
    // Queued: nobody has a free place for the third.
    const queued = await startChat('Queued');
    await queued.c.waitFor(isBody(queued.roomJid), 15_000, 'queue notice');
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const state = async () => (await db.query(`SELECT c.customer_name AS name, c.status, (SELECT count(*)::int FROM offers o WHERE o.conversation_id = c.id AND o.status = 'pending') AS pending
        FROM conversations c ORDER BY c.created_at`)).rows;
      expect(await state()).to.deep.equal([{ name: 'Active', status: 'active', pending: 0 }, { name: 'Offered', status: 'queued', pending: 1 }, { name: 'Queued', status: 'queued', pending: 0 }]);

      first.proc.kill('SIGKILL');
      await first.exited;
      await start();
      expect(await state()).to.deep.equal([{ name: 'Active', status: 'active', pending: 0 }, { name: 'Offered', status: 'queued', pending: 1 }, { name: 'Queued', status: 'queued', pending: 0 }]);

      // Active: the chat goes on, both ways.
      await waitUntil(async () => {
        await active.c.send(groupchat(active.roomJid, 'still there?', `s-${Date.now()}`));
        return ann.c.receives(isBody(`${active.roomJid}/${active.nick}`, 'still there?'), 1000);
      }, 30_000, 'active chat after the restart');
      // On offer: Ben accepts the offer he had before the restart.
      await ben.c.send(joinPresence(offered.roomJid, ben.nick, offered.password));
      await ben.c.waitFor(isSelfPresence(offered.roomJid), 15_000, 'Ben takes the offered chat');
      // Queued: Ann closes her chat and is offered the queued one.
      await ann.c.send(groupchat(active.roomJid, '!close'));
      await ann.c.waitFor(isInvite(queued.roomJid), 15_000, 'the queued chat offered to Ann');
      await ann.c.send(joinPresence(queued.roomJid, ann.nick, queued.password));
      await ann.c.waitFor(isSelfPresence(queued.roomJid), 15_000, 'Ann takes the queued chat');
      const after = (await db.query('SELECT customer_name AS name, status, disposition, agent_id IS NOT NULL AS owned FROM conversations ORDER BY created_at')).rows;
      expect(after).to.deep.equal([
        { name: 'Active', status: 'closed', disposition: 'served', owned: true },
        { name: 'Offered', status: 'active', disposition: null, owned: true },
        { name: 'Queued', status: 'active', disposition: null, owned: true },
      ]);
    } finally { await db.end(); }
  });
});

describe('queue timers across a restart (in process)', function () {
  this.timeout(120_000);
  const clients: TestClient[] = [];
  let second: Stack | undefined;
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await second?.stop();
  });

  it('a grace period and an unattended deadline running when our process stops still end after the restart', async () => {
    const first = await startStack({}, undefined, { queueStatusThrottleMs: 100 });
    const { defaultRoomSettings } = await import('../../src/core/room-settings.js');
    const { insertRoom } = await import('../../src/db/repos/rooms.js');
    await insertRoom(first.sb.db, { slug: 'grace', kind: 'public', settings: { ...defaultRoomSettings(), name: 'Grace', disconnectGraceSeconds: 3 } });
    await insertRoom(first.sb.db, { slug: 'quiet', kind: 'public', settings: { ...defaultRoomSettings(), name: 'Quiet', unattendedTimeoutSeconds: 4 } });
    const agents = [];
    for (const name of ['Una', 'Vic', 'Wes']) {
      const a = await onlineAgent(first, name);
      await untilAvailable(first, a.jid);
      agents.push(a);
    }
    clients.push(...first.clients.splice(0)); // agents outlive the first process
    const [una, vic, wes] = agents as [typeof agents[0], typeof agents[0], typeof agents[0]];
    const chat = async (slug: string, name: string) => {
      const r = await fetch(`${first.cfg.publicUrl}/api/v1/rooms/${slug}/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, message: `${name} here` }) });
      const s = await r.json() as { id: string; roomJid: string; password: string; nick: string; guestDomain: string };
      const c = await TestClient.guest({ url: first.cfg.xmppWebsocketUrl, domain: s.guestDomain }); // Prosody's own WebSocket: outlives our process
      clients.push(c);
      await c.send(joinPresence(s.roomJid, s.nick, s.password));
      await c.waitFor(isSelfPresence(s.roomJid), 15_000, `${name} in the room`);
      return { ...s, c };
    };
    const take = async (a: typeof una, s: { roomJid: string; password: string }) => {
      await a.client.waitFor(isInvite(s.roomJid), 15_000, 'offer');
      await a.client.send(joinPresence(s.roomJid, a.nick, s.password));
      await a.client.waitFor(isSelfPresence(s.roomJid));
    };
    const left = await chat('grace', 'Lefty');
    await take(una, left);
    const quiet = await chat('quiet', 'Quinn');
    await take(vic, quiet);
    await una.client.send(xml('presence', { to: `${left.roomJid}/${una.nick}`, type: 'unavailable' }));
    await left.c.waitFor((el) => isBody(left.roomJid)(el) && /lost the connection/.test(el.getChildText('body') ?? ''), 10_000, 'disconnection notice');
    await first.sb.close();

    second = await startStack({}, first.databaseUrl, { queueStatusThrottleMs: 100 });
    const db = second.sb.db;
    await waitUntil(async () => (await db.query("SELECT 1 FROM conversation_events WHERE conversation_id = $1 AND kind = 'requeued'", [left.id])).rowCount === 1, 20_000, 'grace ended: re-queued');
    await left.c.waitFor((el) => isBody(left.roomJid)(el) && /another agent/.test(el.getChildText('body') ?? '') && !/lost/.test(el.getChildText('body') ?? ''), 15_000, 're-queue notice');
    await wes.client.waitFor(isInvite(left.roomJid), 15_000, 'the re-queued chat offered to another agent');
    await quiet.c.waitFor((el) => isBody(quiet.roomJid)(el) && /nobody has answered/.test(el.getChildText('body') ?? ''), 20_000, 'unattended notice');
    expect((await db.query('SELECT disposition FROM conversations WHERE id = $1', [quiet.id])).rows[0].disposition).to.equal('timeout');
  });
});
