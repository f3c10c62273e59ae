// The whole voice path with real media: a customer in headless Chromium
// (sip.js, fake microphone) calls their conversation over /sip-ws; the agent
// answers on baresip; rtpengine bridges WebRTC (ICE, DTLS-SRTP, opus/PCMU)
// and plain RTP. Audio must flow both ways; hanging up ends it everywhere.
import { expect } from 'chai';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from '../../src/paths.js';
import { ngRequest } from '../../sip/rtpengine/ng.js';
import { Baresip } from '../clients/baresip.js';
import { launchChromium } from '../support/browser.js';
import { newConversation, serve } from '../support/sip-phone.js';
import { waitUntil, type Stack } from '../support/stack.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

/** sip.js bundled for the page, as window.SIP. */
async function sipBundle(): Promise<string> {
  const out = await build({ stdin: { contents: "export * from 'sip.js';", resolveDir: repoRoot }, bundle: true, format: 'iife', globalName: 'SIP', platform: 'browser', write: false, logLevel: 'silent' });
  return out.outputFiles[0]!.text;
}

/** Audio RTP counters of the page's peer connection. */
const audioStats = (page: Page) => page.evaluate(async () => {
  const w = window as unknown as { call: { sessionDescriptionHandler: { peerConnection: RTCPeerConnection } } };
  const stats = await w.call.sessionDescriptionHandler.peerConnection.getStats();
  let received = 0, sent = 0;
  stats.forEach((r: { type: string; kind?: string; packetsReceived?: number; packetsSent?: number }) => {
    if (r.type === 'inbound-rtp' && r.kind === 'audio') received = r.packetsReceived ?? 0;
    if (r.type === 'outbound-rtp' && r.kind === 'audio') sent = r.packetsSent ?? 0;
  });
  return { received, sent };
});

describe('SIP: a customer in Chromium calls the agent\'s baresip (real media)', function () {
  this.timeout(90_000);
  let stack: Stack;
  let browser: Browser | undefined;
  let phone: Baresip | undefined;
  before(async () => { stack = await startVoiceStack(); browser = await launchChromium(); });
  after(async () => { await browser?.close(); await phone?.stop(); await stack?.stop(); });

  it('establishes the call, carries audio both ways through rtpengine, and ends on hang-up', async () => {
    const agent = await sipAgent(stack, 'Nina');
    const conv = await newConversation(stack);
    await serve(stack, conv.id, agent.id);
    phone = await Baresip.start({ username: agent.username, password: agent.password, domain: stack.cfg.sipDomain, proxyPort: stack.cfg.sipPort });
    await waitUntil(() => stack.sb.sip!.registry.isRegistered(agent.id), 10_000, 'phone registered');

    const page = await browser!.newPage();
    await page.goto(`${stack.cfg.publicUrl}/healthz`);
    await page.addScriptTag({ content: await sipBundle() });
    await page.evaluate(async ({ ws, target, token }) => {
      type Sip = typeof import('sip.js');
      const SIP = (window as unknown as { SIP: Sip }).SIP;
      const ua = new SIP.UserAgent({ transportOptions: { server: ws }, logLevel: 'error',
        sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } } });
      await ua.start();
      const call = new SIP.Inviter(ua, SIP.UserAgent.makeURI(target)!, {
        extraHeaders: [`X-Conversation-Token: ${token}`],
        sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
      });
      (window as unknown as { call: unknown }).call = call;
      const established = new Promise<void>((resolve, reject) => call.stateChange.addListener((s) => {
        if (s === SIP.SessionState.Established) resolve();
        if (s === SIP.SessionState.Terminated) reject(new Error('call ended before it was established'));
      }));
      await call.invite();
      await established;
    }, { ws: `ws://127.0.0.1:${stack.cfg.httpPort}/sip-ws`, target: `sip:${conv.id}@${stack.cfg.sipDomain}`, token: conv.token });
    await phone.waitForEvent('CALL_ESTABLISHED');

    // The browser hears baresip's sine and sends its fake microphone.
    await waitUntil(async () => { const s = await audioStats(page); return s.received > 10 && s.sent > 10; }, 20_000, 'audio both ways at the browser');
    const callId = (await stack.sb.db.query('SELECT sip_call_id FROM sip_calls WHERE conversation_id = $1', [conv.id])).rows[0].sip_call_id as string;
    const q = await ngRequest('127.0.0.1', stack.cfg.rtpengineNgPort, { command: 'query', 'call-id': callId });
    expect(Number((q.totals as { RTP: { packets: number } }).RTP.packets)).to.be.greaterThan(20);

    await page.evaluate(async () => { await (window as unknown as { call: { bye(): Promise<unknown> } }).call.bye(); });
    await phone.waitForEvent('CALL_CLOSED');
    await waitUntil(async () => !((await ngRequest('127.0.0.1', stack.cfg.rtpengineNgPort, { command: 'list' })).calls as string[]).includes(callId), 10_000, 'rtpengine session deleted');
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM conversation_events WHERE conversation_id = $1 AND kind = 'call_ended'", [conv.id])).rowCount === 1, 10_000, 'call_ended in the timeline');
  });
});
