// REGISTER through the real Kamailio, with the HA1 from our store over evapi
// (RFC 3261 §10, §22.4): the registry follows registrations, un-REGISTERs
// and expiries; a wrong password and an unknown user get the same answers.
import { expect } from 'chai';
import type { Change } from '../../sip/registry/core.js';
import { freePort } from '../support/ports.js';
import { registerScenario, type RegisterFlow } from '../support/sip-scenarios.js';
import { header, sipp, type SippResult } from '../support/sipp.js';
import { waitUntil, type Stack } from '../support/stack.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

describe('SIP registration (Kamailio + evapi + our HA1)', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => { stack = await startVoiceStack(); });
  after(async () => { await stack?.stop(); });

  const register = async (flow: Omit<RegisterFlow, 'domain'>, localPort?: number, transport?: 'udp' | 'tcp'): Promise<SippResult> =>
    sipp(registerScenario({ domain: stack.cfg.sipDomain, ...flow }), { port: stack.cfg.sipPort, localPort: localPort ?? (await freePort()), transport });

  const registry = () => stack.sb.sip!.registry;

  it('the right password → 200 with the contact, and the registry shows the agent', async () => {
    const agent = await sipAgent(stack, 'Alice');
    const port = await freePort();
    expect(registry().isRegistered(agent.id)).to.equal(false);
    const r = await register({ user: agent.username, password: agent.password, expect: [401, 200] }, port);
    expect(r.exitCode, r.output).to.equal(0);
    expect(header(r.received[1]!, 'Contact')).to.include(`sip:${agent.username}@127.0.0.1:${port}`);
    await waitUntil(() => registry().isRegistered(agent.id), 10_000, 'registry shows the agent');
    const uri = `sip:${agent.username}@127.0.0.1:${port};transport=UDP`; // sipp's [transport] is upper-case
    expect(registry().contacts(agent.id).map((c) => c.uri)).to.deep.equal([uri]);
    const rows = await stack.sb.db.query('SELECT contact FROM sip_registrations WHERE agent_id = $1', [agent.id]);
    expect(rows.rows.map((x) => x.contact)).to.deep.equal([uri]);
  });

  // sipp closes its connection when the scenario ends, and with usrloc's
  // handle_lost_tcp the contact goes at the next timer run (1 s here): a phone
  // whose TCP connection is gone cannot be reached. So watch the changes
  // rather than poll for a state that may already have passed.
  it('over TCP too; the contact goes when its connection is lost', async () => {
    const agent = await sipAgent(stack, 'Tess');
    const seen: Change[] = [];
    const listener = (c: Change) => { if (c.agentId === agent.id) seen.push(c); };
    registry().on('change', listener);
    try {
      const r = await register({ user: agent.username, password: agent.password, expect: [401, 200] }, await freePort(), 'tcp');
      expect(r.exitCode, r.output).to.equal(0);
      await waitUntil(() => seen.length >= 2, 10_000, 'registered, then dropped with its connection').catch((e: Error) => { throw new Error(`${e.message}; changes: ${JSON.stringify(seen)}`); });
      expect(seen.map((c) => c.registered)).to.deep.equal([true, false]);
      expect(seen[0]!.contacts.map((c) => c.uri)[0]).to.match(/;transport=TCP$/i);
      expect(registry().isRegistered(agent.id)).to.equal(false);
    } finally { registry().off('change', listener); }
  });

  it('a wrong password and an unknown user get the same answers: 401, a fresh 401, then 403', async () => {
    const agent = await sipAgent(stack, 'Bob');
    const wrong = await register({ user: agent.username, password: 'not-the-password', expect: [401, 401, 403] });
    const unknown = await register({ user: `nobody${process.pid}`, password: 'whatever', expect: [401, 401, 403] });
    expect(wrong.exitCode, wrong.output).to.equal(0);
    expect(unknown.exitCode, unknown.output).to.equal(0);
    // Same status lines, same challenge shape (the nonce aside), same headers.
    const shape = (m: string) => m.split('\r\n').filter((l) => !/^(Via|From|To|Call-ID|CSeq|Content-Length):/i.test(l))
      .map((l) => l.replace(/nonce="[^"]*"/, 'nonce="…"'));
    expect(wrong.received.map(shape)).to.deep.equal(unknown.received.map(shape));
    expect(header(wrong.received[1]!, 'WWW-Authenticate')).to.match(/^Digest realm="localhost", nonce="[^"]+", qop="auth"$/);
    expect(registry().isRegistered(agent.id)).to.equal(false);
  });

  it('un-REGISTER (Expires: 0) → the agent is no longer available for calls', async () => {
    const agent = await sipAgent(stack, 'Carol');
    const port = await freePort();
    const changes: Change[] = [];
    registry().on('change', (c) => { if (c.agentId === agent.id) changes.push(c); });
    expect((await register({ user: agent.username, password: agent.password, expect: [401, 200] }, port)).exitCode).to.equal(0);
    await waitUntil(() => registry().isRegistered(agent.id), 10_000, 'registered');
    const r = await register({ user: agent.username, password: agent.password, expires: 0, expect: [401, 200] }, port);
    expect(r.exitCode, r.output).to.equal(0);
    await waitUntil(() => !registry().isRegistered(agent.id), 10_000, 'unregistered');
    expect(changes.map((c) => c.registered)).to.deep.equal([true, false]);
    const rows = await stack.sb.db.query('SELECT 1 FROM sip_registrations WHERE agent_id = $1', [agent.id]);
    expect(rows.rowCount).to.equal(0);
  });

  it('un-REGISTER of every contact (Contact: *) as well', async () => {
    const agent = await sipAgent(stack, 'Dave');
    await register({ user: agent.username, password: agent.password, expect: [401, 200] });
    await register({ user: agent.username, password: agent.password, expect: [401, 200] });
    await waitUntil(() => registry().contacts(agent.id).length === 2, 10_000, 'two contacts');
    const r = await register({ user: agent.username, password: agent.password, expires: 0, wildcard: true, expect: [401, 200] });
    expect(r.exitCode, r.output).to.equal(0);
    await waitUntil(() => !registry().isRegistered(agent.id), 10_000, 'unregistered');
  });

  it('a registration that expires → the agent is no longer available', async () => {
    const agent = await sipAgent(stack, 'Erin');
    const seen: boolean[] = [];
    registry().on('change', (c) => { if (c.agentId === agent.id) seen.push(c.registered); });
    const r = await register({ user: agent.username, password: agent.password, expires: 1, expect: [401, 200] });
    expect(r.exitCode, r.output).to.equal(0);
    expect(header(r.received[1]!, 'Contact')).to.match(/;expires=1\b/);
    await waitUntil(() => seen.length === 2, 15_000, 'registered, then expired');
    expect(seen).to.deep.equal([true, false]);
    expect(registry().isRegistered(agent.id)).to.equal(false);
  });

  it('an agent cannot register another agent\'s address with its own credentials', async () => {
    const mallory = await sipAgent(stack, 'Mallory');
    const victim = await sipAgent(stack, 'Victor');
    const scenario = registerScenario({ domain: stack.cfg.sipDomain, user: victim.username, password: mallory.password, expect: [401, 403] })
      .replace(`[authentication username=${victim.username}`, `[authentication username=${mallory.username}`);
    const r = await sipp(scenario, { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(r.exitCode, r.output).to.equal(0);
    expect(registry().isRegistered(victim.id)).to.equal(false);
    expect(registry().isRegistered(mallory.id)).to.equal(false);
  });
});
