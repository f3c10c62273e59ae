// Which SIP clients get chats as MESSAGE (RFC 3428) when their REGISTER does
// not list methods: an Allow header decides; without one the REGISTER's Accept
// headers do (Linphone Desktop 4.4 sends `Accept: application/sdp`,
// `Accept: text/plain`… and no Allow); with neither, our process asks the
// client with OPTIONS (RFC 3261 §11) through Kamailio and reads the answer's
// Allow. Real Kamailio; sipp plays the phones.
import { expect } from 'chai';
import { answerScenario } from '../support/sip-message-scenarios.js';
import { registerScenario } from '../support/sip-scenarios.js';
import { sipp } from '../support/sipp.js';
import { freeSipPort as freePort } from '../support/ports.js';
import { waitUntil, type Stack } from '../support/stack.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

/** Answers one OPTIONS with 200 OK and the given Allow header (none when null). */
const optionsAnswer = (allow: string | null) => answerScenario('OPTIONS', allow === null ? [] : [`Allow: ${allow}`]);

describe('SIP clients that do not list their methods in REGISTER', function () {
  this.timeout(90_000);
  let stack: Stack;
  before(async () => { stack = await startVoiceStack(); });
  after(async () => { await stack?.stop(); });

  const register = async (agent: { username: string; password: string }, port: number, extra: { accept?: string[]; allow?: string | null }) => {
    const r = await sipp(registerScenario({ user: agent.username, password: agent.password, domain: stack.cfg.sipDomain, expect: [401, 200], ...extra }), { port: stack.cfg.sipPort, localPort: port });
    expect(r.exitCode, r.output).to.equal(0);
  };
  const stored = async (agentId: string) => (await stack.sb.db.query('SELECT accepts_message AS m FROM sip_registrations WHERE agent_id = $1', [agentId])).rows.map((r) => r.m as boolean | null);

  it('Accept: text/plain without Allow (as Linphone registers) → chats as MESSAGE; only application/sdp → calls only', async () => {
    const lin = await sipAgent(stack, 'Lin');
    await register(lin, await freePort(), { allow: null, accept: ['application/sdp', 'text/plain', 'application/vnd.gsma.rcs-ft-http+xml'] });
    await waitUntil(() => stack.sb.sip!.registry.acceptsMessages(lin.id), 10_000, 'Lin takes MESSAGE');
    expect(await stored(lin.id)).to.deep.equal([true]);

    const phone = await sipAgent(stack, 'Deskphone');
    await register(phone, await freePort(), { allow: null, accept: ['application/sdp'] });
    await waitUntil(() => stack.sb.sip!.registry.contacts(phone.id).length === 1, 10_000, 'the phone registered');
    expect(stack.sb.sip!.registry.contacts(phone.id)[0]!.messages).to.equal(false);
    expect(stack.sb.sip!.registry.acceptsMessages(phone.id)).to.equal(false);
    expect(await stored(phone.id)).to.deep.equal([false]);
  });

  it('neither Allow nor Accept → asked with OPTIONS: an answer listing MESSAGE makes it a chat client, one without does not', async () => {
    const cases: Array<[string, string, boolean]> = [['Otto', 'INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE', true], ['Olga', 'INVITE, ACK, CANCEL, BYE, OPTIONS', false]];
    for (const [name, allow, takes] of cases) {
      const agent = await sipAgent(stack, name);
      const port = await freePort();
      await register(agent, port, { allow: null });
      // The query may come before sipp listens again on that port: Kamailio retransmits it over UDP.
      const answer = sipp(optionsAnswer(allow), { port: 0, localPort: port, server: true, calls: 1, timeoutS: 30 });
      const got = await answer;
      expect(got.exitCode, got.output).to.equal(0);
      const options = got.received.find((m) => m.startsWith('OPTIONS'))!;
      expect(options.split('\r\n')[0]).to.match(new RegExp(`^OPTIONS sip:${agent.username}@127\\.0\\.0\\.1:${port}`));
      await waitUntil(() => stack.sb.sip!.registry.contacts(agent.id)[0]?.messages !== undefined, 10_000, `${name}'s answer read`);
      expect(stack.sb.sip!.registry.acceptsMessages(agent.id), name).to.equal(takes);
      expect(await stored(agent.id), name).to.deep.equal([takes]);
    }
  });

  it('an Allow header in REGISTER is taken as said, and no OPTIONS query is sent', async () => {
    const al = await sipAgent(stack, 'Al');
    const port = await freePort();
    await register(al, port, { allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS', accept: ['text/plain'] });
    await waitUntil(() => stack.sb.sip!.registry.contacts(al.id).length === 1, 10_000, 'Al registered');
    expect(stack.sb.sip!.registry.contacts(al.id)[0]!.messages).to.equal(false);
    // Nothing comes to the phone: sipp, listening for an OPTIONS, times out.
    const answer = await sipp(optionsAnswer(null), { port: 0, localPort: port, server: true, calls: 1, timeoutS: 4 });
    expect(answer.received.filter((m) => m.startsWith('OPTIONS'))).to.deep.equal([]);
  });
});
