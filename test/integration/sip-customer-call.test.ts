// The customer page's call buttons in headless Chromium (fake camera and
// microphone) against baresip as the agent's phone, through the real
// Kamailio (room entry, ACD) and rtpengine (WebRTC ⇄ plain RTP): a video call
// straight from the form's button, with mute, screen sharing and hang-up; a
// voice call from an active chat (escalation) that the agent ends; no buttons
// where the room has none.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { defaultRoomSettings, type RoomSettings } from '../../src/core/room-settings.js';
import { insertRoom } from '../../src/db/repos/rooms.js';
import { ngRequest } from '../../sip/rtpengine/ng.js';
import { Baresip } from '../clients/baresip.js';
import { launchChromium } from '../support/browser.js';
import { waitUntil, type Stack } from '../support/stack.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

describe('Customer page: voice and video calls (Chromium → Kamailio → rtpengine → baresip)', function () {
  this.timeout(120_000);
  let stack: Stack;
  let browser: Browser | undefined;
  let phone: Baresip | undefined;
  let agent: { id: string; username: string; password: string };
  let seq = 0;
  before(async () => {
    stack = await startVoiceStack();
    browser = await launchChromium();
    agent = await sipAgent(stack, 'Vera');
    phone = await Baresip.start({ username: agent.username, password: agent.password, domain: stack.cfg.sipDomain, proxyPort: stack.cfg.sipPort, video: true });
    await waitUntil(() => stack.sb.sip!.registry.isRegistered(agent.id), 10_000, 'baresip registered');
  });
  after(async () => { await browser?.close(); await phone?.stop(); await stack?.stop(); });

  async function room(buttons: Partial<RoomSettings['buttons']>): Promise<string> {
    const slug = `callpage${process.pid}x${++seq}`;
    const d = defaultRoomSettings();
    await insertRoom(stack.sb.db, { slug, kind: 'public', settings: { ...d, offerTimeoutSeconds: 10, buttons: { ...d.buttons, ...buttons } } });
    return slug;
  }
  async function openForm(slug: string, query = ''): Promise<Page> {
    const page = await browser!.newPage();
    await page.goto(`${stack.cfg.publicUrl}/c/${slug}${query}`);
    await page.fill('input[name="name"]', 'Carla Caller');
    await page.fill('[name="message"]', 'Can we talk?');
    return page;
  }
  const state = (page: Page) => page.getAttribute('.call', 'data-state');
  const callOf = async (slug: string) => {
    let row: { id: string; sip_call_id: string; conversation_id: string } | undefined;
    await waitUntil(async () => {
      row = (await stack.sb.db.query('SELECT c.id, c.sip_call_id, c.conversation_id FROM sip_calls c JOIN conversations v ON v.id = c.conversation_id JOIN rooms r ON r.id = v.room_id WHERE r.slug = $1', [slug])).rows[0];
      return !!row;
    }, 15_000, 'the call record');
    return row!;
  };
  const rtpPackets = async (callId: string) => Number(((await ngRequest('127.0.0.1', stack.cfg.rtpengineNgPort, { command: 'query', 'call-id': callId })).totals as { RTP?: { packets?: number } }).RTP?.packets ?? 0);
  const callEnded = (conversationId: string) => waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM conversation_events WHERE conversation_id = $1 AND kind = 'call_ended'", [conversationId])).rowCount === 1, 15_000, 'call_ended in the timeline');

  it('video call from the form\'s button: connected with video both ways; mute, screen sharing, hang-up', async () => {
    const slug = await room({ chat: true, voice: true, video: true });
    const page = await openForm(slug, '?start=video'); // the room's video link
    await page.waitForSelector('[data-call="video"]');
    expect(await page.locator('.call-start [data-call]').allTextContents()).to.deep.equal(['Voice call', 'Video call']);
    expect(await page.getAttribute('.call-start [data-call="video"]', 'class')).to.equal('primary');
    await page.click('.call-start [data-call="video"]');
    await phone!.waitForEvent('CALL_ESTABLISHED', 30_000);
    await waitUntil(async () => (await state(page)) === 'connected', 15_000, 'the page says connected');
    const call = await callOf(slug);
    // The agent who answered took the conversation (it was queued).
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM conversations WHERE id = $1 AND status = 'active' AND agent_id = $2", [call.conversation_id, agent.id])).rowCount === 1, 10_000, 'claimed by the agent');
    // baresip's fake video decodes in the page (its key frame was asked for); media crosses rtpengine.
    await waitUntil(() => page.evaluate(() => (document.querySelector('.call-remote') as HTMLVideoElement).videoWidth > 0), 20_000, 'video from baresip shows');
    await waitUntil(async () => (await rtpPackets(call.sip_call_id)) > 50, 15_000, 'RTP through rtpengine');

    await page.click('.call-controls >> text=Mute');
    expect(await page.evaluate(() => ((document.querySelector('.call-local') as HTMLVideoElement).srcObject as MediaStream).getAudioTracks().every((x) => !x.enabled))).to.equal(true);
    expect(await page.getAttribute('.call-controls >> text=Unmute', 'aria-pressed')).to.equal('true');
    await page.click('.call-controls >> text=Share screen');
    await waitUntil(async () => (await page.locator('.call-controls >> text=Stop sharing').count()) === 1, 10_000, 'sharing the screen');
    await page.screenshot({ path: 'test-artifacts/customer-video-call.png' }).catch(() => {});
    await page.click('.call-controls >> text=Stop sharing');

    await page.click('.call-hangup');
    await phone!.waitForEvent('CALL_CLOSED', 15_000);
    await waitUntil(async () => (await state(page)) === 'ended', 10_000, 'the page says ended');
    await callEnded(call.conversation_id);
    await page.close();
  });

  it('voice call from an active chat (escalation); the agent hangs up; a room without voice shows no call buttons', async () => {
    phone!.events.length = 0;
    const slug = await room({ chat: true, voice: true, video: false });
    const page = await openForm(slug);
    await page.waitForSelector('.call-start [data-call="voice"]');
    expect(await page.locator('.call-start [data-call="video"]').count()).to.equal(0);
    await page.click('#start');
    await page.waitForSelector('.call [data-call="voice"]');
    await page.click('.call [data-call="voice"]');
    await phone!.waitForEvent('CALL_ESTABLISHED', 30_000);
    await waitUntil(async () => (await state(page)) === 'connected', 15_000, 'the page says connected');
    const call = await callOf(slug);
    await waitUntil(async () => (await rtpPackets(call.sip_call_id)) > 50, 15_000, 'RTP through rtpengine');
    expect(await page.locator('.call-controls >> text=Camera off').isVisible()).to.equal(false);
    await phone!.command('hangup');
    await waitUntil(async () => (await state(page)) === 'ended', 15_000, 'the page says ended');
    await callEnded(call.conversation_id);
    await page.close();

    const plain = await browser!.newPage();
    const asked = plain.waitForResponse((r) => r.url().endsWith('/api/v1/voice'));
    await plain.goto(`${stack.cfg.publicUrl}/c/general`);
    await plain.waitForSelector('#start');
    await (await asked).finished(); // the page has what it would show buttons from
    await plain.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    expect(await plain.locator('[data-call]').count()).to.equal(0);
    await plain.close();
  });

  it('a video call the agent\'s phone answers without video is a voice call: no camera or screen-sharing controls', async () => {
    // An idle agent (Vera already serves two conversations) whose phone has no video: rung first.
    const audioOnly = await sipAgent(stack, 'Otto');
    const otto = await Baresip.start({ username: audioOnly.username, password: audioOnly.password, domain: stack.cfg.sipDomain, proxyPort: stack.cfg.sipPort });
    try {
      await waitUntil(() => stack.sb.sip!.registry.isRegistered(audioOnly.id), 10_000, 'Otto\'s phone registered');
      const slug = await room({ chat: true, voice: true, video: true });
      const page = await openForm(slug);
      await page.waitForSelector('.call-start [data-call="video"]');
      await page.click('.call-start [data-call="video"]');
      await otto.waitForEvent('CALL_ESTABLISHED', 30_000);
      await waitUntil(async () => (await state(page)) === 'connected', 15_000, 'the page says connected');
      expect(await page.locator('.call-controls >> text=Mute').isVisible()).to.equal(true);
      expect(await page.locator('.call-controls >> text=Camera off').isVisible()).to.equal(false);
      expect(await page.locator('.call-controls >> text=Share screen').isVisible()).to.equal(false);
      await page.click('.call-hangup');
      await otto.waitForEvent('CALL_CLOSED', 15_000);
      await page.close();
    } finally {
      await otto.stop();
    }
  });
});
