// A stock SIP phone as the agent: baresip registers through Kamailio with the
// SIP info from its agent profile, answers a call by itself and sends real
// audio, which rtpengine relays; hanging up and quitting are seen too.
import { expect } from 'chai';
import { ngRequest } from '../../sip/rtpengine/ng.js';
import { Baresip } from '../clients/baresip.js';
import { sippCall } from '../support/sip-phone.js';
import { header } from '../support/sipp.js';
import { waitUntil, type Stack } from '../support/stack.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

describe('SIP with baresip as the agent\'s phone', function () {
  this.timeout(60_000);
  let stack: Stack;
  let phone: Baresip | undefined;
  before(async () => { stack = await startVoiceStack(); });
  after(async () => { await phone?.stop(); await stack?.stop(); });

  it('registers, answers a call with audio through rtpengine, hangs up, and un-registers when it quits', async () => {
    const agent = await sipAgent(stack, 'Zoe');
    phone = await Baresip.start({ username: agent.username, password: agent.password, domain: stack.cfg.sipDomain, proxyPort: stack.cfg.sipPort });
    // (Its REGISTER_OK event may come before our ctrl_tcp connection: the registry is the witness.)
    await waitUntil(() => stack.sb.sip!.registry.isRegistered(agent.id), 10_000, 'registry shows the phone');
    expect(stack.sb.sip!.registry.contacts(agent.id)[0]!.userAgent).to.match(/baresip/i);

    const caller = await sipAgent(stack, 'Yann');
    const calling = sippCall(stack, { to: agent.username, from: caller.username, auth: { user: caller.username, password: caller.password }, final: 200, calleeHangsUp: true });
    // A call that ends before baresip answers says why (sipp's trace), instead of a bare timeout.
    await Promise.race([
      phone.waitForEvent('CALL_ESTABLISHED', 30_000),
      calling.then((r) => { throw new Error(`the call ended before baresip answered it: ${r.output.slice(-2000)}`); }),
    ]);
    // baresip's sine reaches rtpengine (its leg's packet counter grows).
    const callId = await callIdTo(stack, agent.id);
    await waitUntil(async () => rtpPackets(await ngRequest('127.0.0.1', stack.cfg.rtpengineNgPort, { command: 'query', 'call-id': callId })) > 0, 15_000, 'RTP from baresip in rtpengine');
    await phone.command('hangup');
    const r = await calling;
    expect(r.exitCode, r.output).to.equal(0);
    expect(header(r.received.find((m) => m.startsWith('BYE'))!, 'Call-ID')).to.equal(callId);
    await phone.waitForEvent('CALL_CLOSED');
    await waitUntil(async () => !((await ngRequest('127.0.0.1', stack.cfg.rtpengineNgPort, { command: 'list' })).calls as string[]).includes(callId), 10_000, 'rtpengine session deleted');

    await phone.stop();
    phone = undefined;
    await waitUntil(() => !stack.sb.sip!.registry.isRegistered(agent.id), 10_000, 'un-registered on quit');
  });
});

/** The Call-ID of the call to this agent (its record is written when it rings). */
async function callIdTo(stack: Stack, agentId: string): Promise<string> {
  let id = '';
  await waitUntil(async () => {
    id = (await stack.sb.db.query('SELECT sip_call_id FROM sip_calls WHERE callee_agent_id = $1', [agentId])).rows[0]?.sip_call_id ?? '';
    return id !== '';
  }, 10_000, 'the call record');
  return id;
}

/** Packets rtpengine received on any stream of a call (ng "query"). */
function rtpPackets(q: Record<string, unknown>): number {
  const totals = q.totals as { RTP?: { packets?: number } } | undefined;
  return Number(totals?.RTP?.packets ?? 0);
}
