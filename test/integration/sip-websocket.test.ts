// SIP over WebSocket (RFC 7118) through our HTTP origin: sip.js in Node
// registers at /sip-ws, relayed to Kamailio's WebSocket port, with the same
// digest check and the same registry as phones on UDP/TCP.
import { expect } from 'chai';
import { WebSocket } from 'ws';
import { Registerer, RegistererState, UserAgent } from 'sip.js';
import { waitUntil, type Stack } from '../support/stack.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

// sip.js opens its transport with the global WebSocket, which Node 20 lacks.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

describe('SIP over WebSocket at /sip-ws (sip.js)', function () {
  this.timeout(60_000);
  let stack: Stack;
  const agents: UserAgent[] = [];
  before(async () => { stack = await startVoiceStack(); });
  after(async () => {
    await Promise.all(agents.map((ua) => ua.stop().catch(() => {})));
    await stack?.stop();
  });

  const userAgent = async (username: string, password: string): Promise<UserAgent> => {
    const ua = new UserAgent({
      uri: UserAgent.makeURI(`sip:${username}@${stack.cfg.sipDomain}`),
      transportOptions: { server: `ws://127.0.0.1:${stack.cfg.httpPort}/sip-ws` },
      authorizationUsername: username, authorizationPassword: password,
      logLevel: 'error', logBuiltinEnabled: !!process.env.TEST_LOG,
    });
    agents.push(ua);
    await ua.start();
    return ua;
  };

  it('registers with the right password; the registry shows the agent until it un-registers', async () => {
    const agent = await sipAgent(stack, 'Wendy');
    const ua = await userAgent(agent.username, agent.password);
    const registerer = new Registerer(ua, { expires: 300 });
    await registerer.register();
    await waitUntil(() => stack.sb.sip!.registry.isRegistered(agent.id), 10_000, 'registered over WebSocket');
    expect(registerer.state).to.equal(RegistererState.Registered);
    const [contact] = stack.sb.sip!.registry.contacts(agent.id);
    expect(contact!.uri).to.match(/;transport=ws/);
    // The relay told Kamailio who the client is; Kamailio reported it.
    expect(contact!.source).to.equal('127.0.0.1');
    await registerer.unregister();
    await waitUntil(() => !stack.sb.sip!.registry.isRegistered(agent.id), 10_000, 'unregistered');
  });

  it('a wrong password is refused', async () => {
    const agent = await sipAgent(stack, 'Walter');
    const ua = await userAgent(agent.username, 'not-the-password');
    const registerer = new Registerer(ua);
    const states: RegistererState[] = [];
    registerer.stateChange.addListener((s) => states.push(s));
    await registerer.register({ requestDelegate: { onReject: () => {} } });
    await waitUntil(() => states.includes(RegistererState.Unregistered), 10_000, 'registration refused');
    expect(states).to.not.include(RegistererState.Registered);
    expect(stack.sb.sip!.registry.isRegistered(agent.id)).to.equal(false);
  });
});
