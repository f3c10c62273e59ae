// Kamailio without our process, impostors on evapi, and brute force: a
// Kamailio of this suite's own (a ban of 127.0.0.1 would spoil the shared one).
import { expect } from 'chai';
import { createConnection, type Socket } from 'node:net';
import { encodeNetstring } from '../../sip/evapi/netstring.js';
import { freePort } from '../support/ports.js';
import { registerScenario, type RegisterFlow } from '../support/sip-scenarios.js';
import { header, sipp, type SippResult } from '../support/sipp.js';
import type { Stack } from '../support/stack.js';
import { sipAgent, startVoice, startVoiceStack, type VoiceEnv } from '../support/voice.js';

describe('SIP security (own Kamailio: no client, impostors, bans)', function () {
  this.timeout(60_000);
  let voice: VoiceEnv;
  let stack: Stack | undefined;
  const impostors: Array<{ sock: Socket; heard: Buffer[] }> = [];
  /** A local program that connects to evapi and claims to be us, with the wrong secret. */
  const impostor = async () => {
    const sock = createConnection({ host: '127.0.0.1', port: voice.overrides.sipEvapiPort! });
    const i = { sock, heard: [] as Buffer[] };
    sock.on('data', (d) => i.heard.push(d));
    await new Promise<void>((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
    sock.write(encodeNetstring(JSON.stringify({ type: 'hello', secret: 'not-the-secret-at-all' })));
    impostors.push(i);
    return i;
  };
  before(async () => { voice = await startVoice({ rtpengine: false, overrides: { sipAuthMaxFailures: 3 } }); });
  after(async () => { for (const i of impostors) i.sock.destroy(); await stack?.stop(); await voice?.stop(); });

  const register = async (flow: Omit<RegisterFlow, 'domain'>): Promise<SippResult> =>
    sipp(registerScenario({ domain: 'localhost', ...flow }), { port: voice.overrides.sipPort!, localPort: await freePort() });

  it('with no evapi client connected, a REGISTER is answered 503 with Retry-After at once (not 408 after the transaction timer)', async () => {
    const r = await register({ user: 'anyone', password: 'x', expect: [503] });
    expect(r.exitCode, r.output).to.equal(0);
    expect(header(r.received[0]!, 'Retry-After')).to.equal('5');
  });

  it('an evapi client with the wrong secret does not count as our process', async () => {
    await impostor();
    expect((await register({ user: 'anyone', password: 'x', expect: [503] })).exitCode).to.equal(0);
  });

  it('once our process connects REGISTER works (the impostor hears nothing); when it goes away, 503 again', async () => {
    stack = await startVoiceStack(voice);
    const agent = await sipAgent(stack, 'Grace');
    const ok = await register({ user: agent.username, password: agent.password, expect: [401, 200] });
    expect(ok.exitCode, ok.output).to.equal(0);
    await stack.stop();
    stack = undefined;
    const r = await register({ user: agent.username, password: agent.password, expect: [503] });
    expect(r.exitCode, r.output).to.equal(0);
    expect(Buffer.concat(impostors[0]!.heard).toString(), 'what the impostor received').to.equal('');
    // This one takes the slot our process just left (Kamailio reuses it, with its old tag unless cleared).
    await impostor();
  });

  it('repeated failed digest attempts ban the source: then even the right password gets 403, unchallenged', async () => {
    stack = await startVoiceStack(voice);
    const agent = await sipAgent(stack, 'Heidi');
    // Failures 1 and 2: a re-challenge, then 403 for this Call-ID.
    const first = await register({ user: agent.username, password: 'guess-1', expect: [401, 401, 403] });
    expect(first.exitCode, first.output).to.equal(0);
    // Failure 3 reaches the limit (sipAuthMaxFailures = 3): banned.
    const second = await register({ user: `unknown${process.pid}`, password: 'guess-2', expect: [401, 403] });
    expect(second.exitCode, second.output).to.equal(0);
    const right = await register({ user: agent.username, password: agent.password, expect: [403] });
    expect(right.exitCode, right.output).to.equal(0);
    expect(header(right.received[0]!, 'WWW-Authenticate')).to.equal(undefined);
    expect(stack.sb.sip!.registry.isRegistered(agent.id)).to.equal(false);
    for (const i of impostors) expect(Buffer.concat(i.heard).toString(), 'what an impostor received').to.equal('');
  });
});
