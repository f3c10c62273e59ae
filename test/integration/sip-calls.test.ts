// Calls through the real Kamailio and rtpengine, decided by our process:
// agent to agent with digest, a customer (conversation token, no account) to
// the agent serving the conversation and nowhere else, CANCEL; media always
// through rtpengine, whose session ends with the call.
import { expect } from 'chai';
import type { CallFlow } from '../support/sip-call-scenarios.js';
import { inRtpengineRange, newConversation, phone, rtpengineCalls, serve, sippCall } from '../support/sip-phone.js';
import { header } from '../support/sipp.js';
import { waitUntil, type Stack } from '../support/stack.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

describe('SIP calls (INVITE routing, rtpengine, dialog events)', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => { stack = await startVoiceStack(); });
  after(async () => { await stack?.stop(); });

  const call = (flow: Omit<CallFlow, 'domain'>) => sippCall(stack, flow);
  const inRange = (m: string) => inRtpengineRange(stack, m);

  it('agent to agent: digest-authenticated INVITE, answered, media anchored in rtpengine, BYE ends it there too', async () => {
    const ann = await sipAgent(stack, 'Ann');
    const ben = await sipAgent(stack, 'Ben');
    const answering = await phone(stack, ben);
    const caller = await call({ to: ben.username, from: ann.username, auth: { user: ann.username, password: ann.password }, final: 200 });
    const callee = await answering.done;
    expect(caller.exitCode, caller.output).to.equal(0);
    expect(callee.exitCode, callee.output).to.equal(0);
    const offer = callee.received.find((m) => m.startsWith('INVITE'))!;
    const answer = caller.received.find((m) => m.startsWith('SIP/2.0 200') && m.includes('m=audio'))!;
    // Both sides see rtpengine's ports, plain RTP for phones (no ICE, no DTLS).
    expect(inRange(offer), offer).to.equal(true);
    expect(inRange(answer), answer).to.equal(true);
    expect(offer).to.match(/^m=audio \d+ RTP\/AVP/m).and.not.match(/a=ice-ufrag|a=fingerprint/);
    expect(header(offer, 'Record-Route')).to.include(`127.0.0.1:${stack.cfg.sipPort}`);
    expect(header(offer, 'Proxy-Authorization'), 'credentials consumed').to.equal(undefined);
    const callId = header(answer, 'Call-ID')!;
    await waitUntil(async () => !(await rtpengineCalls(stack)).includes(callId), 10_000, 'rtpengine session deleted');
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM sip_calls WHERE sip_call_id = $1 AND state = 'ended'", [callId])).rowCount === 1, 10_000, 'call record ended');
    const row = (await stack.sb.db.query('SELECT caller_kind, caller_agent_id, callee_agent_id, ringing_at IS NOT NULL AS rang FROM sip_calls WHERE sip_call_id = $1', [callId])).rows[0];
    expect(row).to.deep.equal({ caller_kind: 'agent', caller_agent_id: ann.id, callee_agent_id: ben.id, rang: true });
  });

  it('a customer calls their conversation with its token (no account): it rings the serving agent; the timeline shows the call', async () => {
    const cleo = await sipAgent(stack, 'Cleo');
    const conv = await newConversation(stack);
    await serve(stack, conv.id, cleo.id);
    const answering = await phone(stack, cleo);
    const customer = await call({ to: conv.id, from: 'customer', headers: [`X-Conversation-Token: ${conv.token}`], final: 200 });
    const agent = await answering.done;
    expect(customer.exitCode, customer.output).to.equal(0);
    expect(agent.exitCode, agent.output).to.equal(0);
    const offer = agent.received.find((m) => m.startsWith('INVITE'))!;
    expect(header(offer, 'X-Conversation-Token'), 'the token stays with us').to.equal(undefined);
    expect(inRange(offer)).to.equal(true);
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM conversation_events WHERE conversation_id = $1 AND kind = 'call_ended'", [conv.id])).rowCount === 1, 10_000, 'call_ended in the timeline');
    const events = (await stack.sb.db.query("SELECT kind, data FROM conversation_events WHERE conversation_id = $1 AND kind LIKE 'call_%' ORDER BY id", [conv.id])).rows;
    expect(events.map((e) => e.kind)).to.deep.equal(['call_ringing', 'call_answered', 'call_ended']);
    expect(events[2].data.durationS).to.be.a('number');
  });

  it('a customer reaches nothing else: wrong token, another conversation, an agent\'s address or an outside number → 403', async () => {
    const dora = await sipAgent(stack, 'Dora');
    const mine = await newConversation(stack);
    const theirs = await newConversation(stack);
    await serve(stack, mine.id, dora.id);
    await serve(stack, theirs.id, dora.id);
    const token = `X-Conversation-Token: ${mine.token}`;
    for (const to of [theirs.id, dora.username, '+15555550123', '0015555550123', 'sip-gateway']) {
      const r = await call({ to, from: 'customer', headers: [token], final: 403 });
      expect(r.exitCode, `${to}: ${r.output}`).to.equal(0);
    }
    const wrong = await call({ to: mine.id, from: 'customer', headers: ['X-Conversation-Token: not-the-token'], final: 403 });
    expect(wrong.exitCode, wrong.output).to.equal(0);
    // Without a token a caller must be an agent: challenged, and nothing without credentials.
    const anonymous = await call({ to: dora.username, from: 'customer', final: 407 });
    expect(anonymous.exitCode, anonymous.output).to.equal(0);
  });

  it('a customer whose conversation has no agent yet, or whose agent has no phone registered, gets 480', async () => {
    const waiting = await newConversation(stack);
    const r1 = await call({ to: waiting.id, from: 'customer', headers: [`X-Conversation-Token: ${waiting.token}`], final: 480 });
    expect(r1.exitCode, r1.output).to.equal(0);
    const eve = await sipAgent(stack, 'Eve');
    const served = await newConversation(stack);
    await serve(stack, served.id, eve.id);
    const r2 = await call({ to: served.id, from: 'customer', headers: [`X-Conversation-Token: ${served.token}`], final: 480 });
    expect(r2.exitCode, r2.output).to.equal(0);
  });

  it('agent to an unknown or unregistered agent → 404 / 480', async () => {
    const fay = await sipAgent(stack, 'Fay');
    const gus = await sipAgent(stack, 'Gus');
    const auth = { user: fay.username, password: fay.password };
    expect((await call({ to: `nobody${process.pid}`, from: fay.username, auth, final: 404 })).exitCode).to.equal(0);
    expect((await call({ to: gus.username, from: fay.username, auth, final: 480 })).exitCode).to.equal(0);
  });

  it('CANCEL while ringing: 487 to the caller, the rtpengine session goes, the call is recorded as failed', async () => {
    const hal = await sipAgent(stack, 'Hal');
    const ida = await sipAgent(stack, 'Ida');
    const ringing = await phone(stack, ida, { ringOnly: true });
    const caller = await call({ to: ida.username, from: hal.username, auth: { user: hal.username, password: hal.password }, final: 487, cancel: true });
    const callee = await ringing.done;
    expect(caller.exitCode, caller.output).to.equal(0);
    expect(callee.exitCode, callee.output).to.equal(0);
    const callId = header(caller.received.at(-1)!, 'Call-ID')!;
    await waitUntil(async () => !(await rtpengineCalls(stack)).includes(callId), 10_000, 'rtpengine session deleted');
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM sip_calls WHERE sip_call_id = $1 AND state = 'failed'", [callId])).rowCount === 1, 10_000, 'call record failed');
  });
});
