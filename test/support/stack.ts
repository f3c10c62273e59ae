// A whole Switchboard (worker side) for one suite: fresh database, the run's
// Prosody, an HTTP port of its own. Helpers for agents and customers.
import type { Config } from '../../src/config.js';
import type { Clock } from '../../src/core/clock.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { startSwitchboard, type Switchboard } from '../../src/app/switchboard.js';
import { registerAccount, removeAccount } from '../../src/supervisor/prosody.js';
import { freshDatabase, testEnv, type TestEnv } from './env.js';
import { freePort } from './ports.js';
import { joinPresence, TestClient, isSelfPresence } from './xmpp.js';

export interface Stack { env: TestEnv; sb: Switchboard; cfg: Config; printed: string[]; databaseUrl: string; clients: TestClient[]; stop(): Promise<void> }

export async function startStack(overrides: Partial<Config> = {}, databaseUrl?: string, opts: { clock?: Clock; queueStatusThrottleMs?: number } = {}): Promise<Stack> {
  const env = await testEnv();
  const url = databaseUrl ?? (await freshDatabase(env));
  const port = await freePort();
  const cfg: Config = { ...env.baseConfig, httpPort: port, publicUrl: `http://127.0.0.1:${port}`, ...overrides };
  const printed: string[] = [];
  const log = process.env.TEST_LOG ? createLogger('debug', 'worker') : silentLogger;
  const sb = await startSwitchboard({
    cfg, log, databaseUrl: url, componentSecret: env.prosody.secret,
    accounts: { register: (jid, pw) => registerAccount(env.prosody.paths.configFile, jid, pw), remove: (jid) => removeAccount(env.prosody.paths.configFile, jid) },
    print: (t) => printed.push(t), clock: opts.clock, queueStatusThrottleMs: opts.queueStatusThrottleMs,
  });
  const clients: TestClient[] = [];
  return {
    env, sb, cfg, printed, databaseUrl: url, clients,
    async stop() { await Promise.all(clients.splice(0).map((c) => c.stop())); await sb.close(); },
  };
}

let agentSeq = 0;
/** Creates an agent (and its XMPP account) and logs it in, available. */
export async function onlineAgent(stack: Stack, name: string, opts: { maxChats?: number; show?: string } = {}): Promise<{ client: TestClient; jid: string; nick: string; id: string }> {
  const local = `${name.toLowerCase()}${process.pid}x${++agentSeq}`;
  const { agent } = await stack.sb.agents.create({ name, jid: `${local}@${stack.cfg.xmppDomain}`, password: 'agent-password', maxChats: opts.maxChats });
  const client = await TestClient.agent({ port: stack.cfg.xmppC2sPort, jid: agent.jid, password: 'agent-password' });
  stack.clients.push(client);
  const { xml } = await import('./xmpp.js');
  await client.send(xml('presence', {}, opts.show ? xml('show', {}, opts.show) : null));
  return { client, jid: agent.jid, nick: agent.nickname, id: agent.id };
}

/** Between tests sharing a stack: every client offline, nothing left open or on offer. */
export async function clearStack(stack: Stack): Promise<void> {
  await Promise.all(stack.clients.splice(0).map((c) => c.stop()));
  await stack.sb.db.query("UPDATE conversations SET status = 'closed', closed_at = now() WHERE status <> 'closed'");
  await stack.sb.db.query("UPDATE offers SET status = 'withdrawn', ended_at = now() WHERE status = 'pending'");
}

export async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) { if (await cond()) return; await new Promise((r) => setTimeout(r, 25)); }
  throw new Error(`timed out waiting for ${what}`);
}

export interface CustomerSession { client: TestClient; id: string; roomJid: string; password: string; nick: string; customerToken: string }

/** Fills the room's form over HTTP, logs in anonymously over /xmpp-websocket, joins the room. */
export async function customer(stack: Stack, form: Record<string, unknown> = { name: 'Jane Doe', email: 'jane@example.com', message: 'Hello, I need help' }, slug = 'general'): Promise<CustomerSession> {
  const res = await fetch(`${stack.cfg.publicUrl}/api/v1/rooms/${slug}/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(form) });
  if (res.status !== 201) throw new Error(`start conversation: ${res.status} ${await res.text()}`);
  const started = await res.json() as { id: string; roomJid: string; password: string; nick: string; customerToken: string; guestDomain: string };
  const client = await TestClient.guest({ url: `ws://127.0.0.1:${stack.cfg.httpPort}/xmpp-websocket`, domain: started.guestDomain });
  stack.clients.push(client);
  await client.send(joinPresence(started.roomJid, started.nick, started.password));
  await client.waitFor(isSelfPresence(started.roomJid), 10_000, 'customer self-presence');
  return { client, ...started };
}

/** Agents' stanzas arrive on the desk after their presence: wait until it counts them available. */
export async function untilAvailable(stack: Stack, jid: string, available = true): Promise<void> {
  await waitUntil(() => stack.sb.desk.presence.available(jid) === available, 10_000, `${jid} available=${available}`);
}
