// A customer's browser call, signalling only: sip.js in Node over /sip-ws with
// a WebRTC offer (ICE, DTLS-SRTP, rtcp-mux) made up by a stand-in session
// description handler (Node has no RTCPeerConnection). rtpengine must hand
// the agent's phone plain RTP and the browser a WebRTC answer.
import { expect } from 'chai';
import { WebSocket } from 'ws';
import { Inviter, SessionState, UserAgent, type SessionDescriptionHandler } from 'sip.js';
import { inRtpengineRange, newConversation, phone, rtpengineCalls, serve } from '../support/sip-phone.js';
import { header } from '../support/sipp.js';
import { waitUntil, type Stack } from '../support/stack.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).padStart(2, '0').toUpperCase()).join(':');

/** What Chromium offers for one audio track, near enough for rtpengine. */
const BROWSER_OFFER = [
  'v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'a=msid-semantic: WMS',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:1 1 udp 2122260223 127.0.0.1 50123 typ host generation 0',
  'a=ice-ufrag:Xq7d', 'a=ice-pwd:p4ssw0rdp4ssw0rdp4ssw0rd', 'a=ice-options:trickle',
  `a=fingerprint:sha-256 ${FINGERPRINT}`, 'a=setup:actpass', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2', 'a=rtpmap:0 PCMU/8000', '',
].join('\r\n');

/** Offers BROWSER_OFFER and keeps the answer it is given. */
class StandInBrowser implements SessionDescriptionHandler {
  answer = '';
  async getDescription() { return { body: BROWSER_OFFER, contentType: 'application/sdp' }; }
  async setDescription(sdp: string) { this.answer = sdp; }
  hasDescription(contentType: string) { return contentType === 'application/sdp'; }
  sendDtmf() { return false; }
  close() {}
}

describe('SIP: a customer\'s WebRTC call over /sip-ws to an agent\'s phone', function () {
  this.timeout(60_000);
  let stack: Stack;
  let ua: UserAgent | undefined;
  before(async () => { stack = await startVoiceStack(); });
  after(async () => { await ua?.stop().catch(() => {}); await stack?.stop(); });

  it('rtpengine turns the browser offer into plain RTP for the phone and the phone answer into ICE + DTLS-SRTP for the browser', async () => {
    const agent = await sipAgent(stack, 'Iris');
    const conv = await newConversation(stack);
    await serve(stack, conv.id, agent.id);
    const answering = await phone(stack, agent);

    const browser = new StandInBrowser();
    ua = new UserAgent({
      transportOptions: { server: `ws://127.0.0.1:${stack.cfg.httpPort}/sip-ws` },
      sessionDescriptionHandlerFactory: () => browser,
      logLevel: 'error', logBuiltinEnabled: !!process.env.TEST_LOG,
    });
    await ua.start();
    const inviter = new Inviter(ua, UserAgent.makeURI(`sip:${conv.id}@${stack.cfg.sipDomain}`)!, {
      extraHeaders: [`X-Conversation-Token: ${conv.token}`],
    });
    const states: SessionState[] = [];
    inviter.stateChange.addListener((s) => states.push(s));
    await inviter.invite();
    await waitUntil(() => states.includes(SessionState.Established), 15_000, 'call established');

    // The browser got a WebRTC answer from rtpengine…
    expect(browser.answer).to.match(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF/m);
    expect(browser.answer).to.match(/^a=ice-ufrag:/m).and.match(/^a=fingerprint:/m).and.match(/^a=rtcp-mux/m).and.match(/^a=candidate:/m);
    expect(inRtpengineRange(stack, browser.answer), browser.answer).to.equal(true);

    await inviter.bye();
    await waitUntil(() => states.includes(SessionState.Terminated), 15_000, 'call ended');
    const callee = await answering.done;
    expect(callee.exitCode, callee.output).to.equal(0);
    // …and the phone a plain RTP offer, from rtpengine, without the token.
    const offer = callee.received.find((m) => m.startsWith('INVITE'))!;
    expect(offer).to.match(/^m=audio \d+ RTP\/AVP/m).and.not.match(/a=ice-ufrag|a=fingerprint|a=candidate/);
    expect(inRtpengineRange(stack, offer), offer).to.equal(true);
    expect(header(offer, 'X-Conversation-Token')).to.equal(undefined);

    const callId = header(offer, 'Call-ID')!;
    await waitUntil(async () => !(await rtpengineCalls(stack)).includes(callId), 10_000, 'rtpengine session deleted');
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM sip_calls WHERE sip_call_id = $1 AND state = 'ended' AND caller_webrtc", [callId])).rowCount === 1, 10_000, 'call record');
  });
});
