// The chat panel in Chromium (issue 6, item 3) against the real stack, the agent
// on @xmpp/client: welcome message, agent avatar and role label, typing both
// ways with the typing preview (XEP-0301) unless the room hides it, quick
// responses (XEP-0439), sound and one notification per burst while hidden,
// mute, the warning before leaving, the rating (stored, admins only) and the
// transcript request. Screenshots in test-artifacts/.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { repoPath } from '../../src/paths.js';
import { launchChromium } from '../support/browser.js';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { apiClient, signIn } from '../support/api.js';
import { customer, onlineAgent, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { groupchat, isBody, isInvite, isSelfPresence, joinPresence, NS_CHATSTATES, xml, type TestClient } from '../support/xmpp.js';

const NS_RTT = 'urn:xmpp:rtt:0';
const NS_QR = 'urn:xmpp:tmp:quick-response';

/** Stand-ins the test can read: notifications granted and recorded, tones counted, visibility switchable. */
const INSTRUMENT = () => {
  const w = window as any;
  w.__notes = [];
  w.__tones = 0;
  w.__hidden = false;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => w.__hidden });
  class FakeNotification {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    closed = false;
    onclick: unknown = null;
    constructor(readonly title: string, readonly opts: { body: string }) { w.__notes.push(this); }
    close() { this.closed = true; }
  }
  w.Notification = FakeNotification;
  const Real = w.AudioContext;
  w.AudioContext = class extends Real {
    createOscillator() { w.__tones += 1; return super.createOscillator(); }
  };
};

describe('chat panel in Chromium', function () {
  this.timeout(120_000);
  let stack: Stack;
  let browser: Browser;
  let admin: AdminApi;
  before(async () => {
    stack = await startStack();
    browser = await launchChromium();
    admin = await adminApi(stack);
    for (const [slug, hide] of [['care', false], ['quiet', true]] as const) {
      const r = await admin.call('POST', '/api/v1/rooms', admin.admin, { slug, settings: { name: 'Care', agentLabel: 'Doctor', welcomeMessage: 'Welcome to Care! We answer within minutes.', hideTypingPreview: hide } });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
    }
  });
  after(async () => { await browser?.close(); await stack?.stop(); });

  async function startChat(page: Page, slug: string, name: string, email: string): Promise<void> {
    await page.goto(`${stack.cfg.publicUrl}/c/${slug}`);
    await page.fill('input[name="name"]', name);
    await page.fill('input[name="email"]', email);
    await page.fill('[name="message"]', 'I feel ill');
    await page.click('#start');
    await page.waitForSelector('#chat', { state: 'visible' });
  }

  async function accept(agent: { client: TestClient; nick: string }): Promise<string> {
    const inv = await agent.client.waitFor(isInvite(), 20_000, 'offer');
    const roomJid = inv.attrs.from!;
    await agent.client.send(joinPresence(roomJid, agent.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await agent.client.waitFor(isSelfPresence(roomJid));
    return roomJid;
  }

  const lastNote = (page: Page) => page.evaluate(() => {
    const notes = (window as any).__notes as Array<{ title: string; opts: { body: string }; closed: boolean }>;
    return { total: notes.length, open: notes.filter((n) => !n.closed).map((n) => ({ title: n.title, body: n.opts.body })) };
  });
  const leaving = (page: Page) => page.evaluate(() => {
    const e = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });

  it('a whole chat: welcome, avatar and role, typing preview, quick responses, alerts, leaving warning, rating and transcript', async () => {
    const agent = await onlineAgent(stack, 'Doc');
    await stack.sb.db.query('UPDATE agents SET avatar_url = $2 WHERE id = $1', [agent.id, `${stack.cfg.publicUrl}/assets/doc.png`]);
    await untilAvailable(stack, agent.jid);
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(INSTRUMENT);
    await startChat(page, 'care', 'Paula Patient', 'paula@example.com');
    expect(await page.textContent('#log li.welcome')).to.equal('Welcome to Care! We answer within minutes.');
    expect(await page.textContent('#log li.notice')).to.match(/^You started this conversation at/);
    expect(await leaving(page)).to.equal(true);

    const roomJid = await accept(agent);
    await page.waitForSelector(`#log li.notice:has-text("${agent.nick} joined")`);

    // Agent typing, then a line with the agent's picture and the room's role label.
    await agent.client.send(xml('message', { to: roomJid, type: 'groupchat' }, xml('composing', { xmlns: NS_CHATSTATES })));
    await page.waitForFunction((nick) => (document.querySelector('#typing')?.textContent ?? '').includes(nick), agent.nick);
    await agent.client.send(groupchat(roomJid, 'Hello, I am the doctor on duty.'));
    const line = page.locator('#log li.msg.agent', { hasText: 'Hello, I am the doctor on duty.' });
    await line.waitFor();
    expect(await line.locator('.role').textContent()).to.equal('Doctor');
    expect(await line.locator('img.avatar').getAttribute('src')).to.equal(`${stack.cfg.publicUrl}/assets/doc.png`);

    // Typing preview: what the customer types reaches the agent before it is sent.
    await page.click('#compose');
    await page.keyboard.type('Since Monday');
    const rtt = await agent.client.waitFor((el) => el.attrs.from === `${roomJid}/Paula Patient` && el.getChild('rtt', NS_RTT)?.getChildText('t') === 'Since Monday', 10_000, 'typing preview');
    expect(rtt.getChild('body')).to.equal(undefined);
    await page.keyboard.press('Enter');
    await agent.client.waitFor(isBody(`${roomJid}/Paula Patient`, 'Since Monday'), 10_000, 'message');

    // Quick responses: buttons; a click sends the value and retires them.
    await agent.client.send(xml('message', { to: roomJid, type: 'groupchat' }, xml('body', {}, 'Do you have a fever?'),
      xml('response', { xmlns: NS_QR, value: 'yes', label: 'Yes, I do' }), xml('response', { xmlns: NS_QR, value: 'no', label: 'No' })));
    await page.waitForSelector('.quick-responses button.quick:has-text("Yes, I do")');
    expect(await page.$$eval('.quick-responses:not(.used) button.quick', (bs) => bs.map((b) => b.textContent))).to.deep.equal(['Yes, I do', 'No']);
    mkdirSync(repoPath('test-artifacts'), { recursive: true });
    await page.screenshot({ path: repoPath('test-artifacts', 'chat-panel-quick-responses.png') });
    await page.click('button.quick:has-text("Yes, I do")');
    await agent.client.waitFor(isBody(`${roomJid}/Paula Patient`, 'yes'), 10_000, 'quick response value');
    expect(await page.$$('.quick-responses:not(.used) button.quick')).to.have.length(0);

    // Hidden page: a sound per message, and a burst of three shows as one notification with the last.
    const tonesBefore = await page.evaluate(() => (window as any).__tones as number);
    await page.evaluate(() => { (window as any).__hidden = true; document.dispatchEvent(new Event('visibilitychange')); });
    for (const text of ['One moment', 'Checking your file', 'Please take some rest']) await agent.client.send(groupchat(roomJid, text));
    await page.waitForSelector('#log li.msg.agent .body:has-text("Please take some rest")');
    const notes = await lastNote(page);
    expect(notes.total).to.equal(3);
    expect(notes.open).to.deep.equal([{ title: `3 new messages, the last from ${agent.nick}`, body: 'Please take some rest' }]);
    expect(await page.evaluate(() => (window as any).__tones as number) - tonesBefore).to.equal(3 * 2);
    // Muted: no sound (and it stays muted for this browser).
    await page.click('#mute');
    expect(await page.getAttribute('#mute', 'aria-pressed')).to.equal('true');
    const tonesMuted = await page.evaluate(() => (window as any).__tones as number);
    await agent.client.send(groupchat(roomJid, 'Still there?'));
    await page.waitForSelector('#log li.msg.agent .body:has-text("Still there?")');
    expect(await page.evaluate(() => (window as any).__tones as number)).to.equal(tonesMuted);
    expect(await page.evaluate(() => localStorage.getItem('switchboard:muted'))).to.equal('1');
    await page.evaluate(() => { (window as any).__hidden = false; document.dispatchEvent(new Event('visibilitychange')); });
    expect((await lastNote(page)).open).to.deep.equal([]);

    // The agent closes: no more warning; rating and transcript offered.
    await agent.client.send(groupchat(roomJid, '!close'));
    await page.waitForSelector('#rating');
    expect(await leaving(page)).to.equal(false);
    await page.click('#rating-send');
    expect(await page.textContent('#rating .panel-status')).to.match(/1 to 5/);
    await page.click('label[for="rating-4"]');
    await page.fill('#rating-comment', 'Kind and quick');
    await page.screenshot({ path: repoPath('test-artifacts', 'chat-panel-rating.png') });
    await page.click('#rating-send');
    await page.waitForSelector('#rating-thanks');
    expect(await page.inputValue('#transcript-email')).to.equal('paula@example.com');
    await page.click('#transcript-send');
    await page.waitForSelector('#transcript .panel-status:has-text("on its way")');

    const conv = (await stack.sb.db.query("SELECT id FROM conversations WHERE customer_name = 'Paula Patient'")).rows[0] as { id: string };
    const rating = (await stack.sb.db.query('SELECT score, comment FROM conversation_ratings WHERE conversation_id = $1', [conv.id])).rows;
    expect(rating).to.deep.equal([{ score: 4, comment: 'Kind and quick' }]);
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM mail_outbox WHERE template = 'transcript' AND recipient = 'paula@example.com' AND conversation_id = $1", [conv.id])).rowCount === 1, 10_000, 'transcript queued');

    // Only administrators see the rating in the conversation view.
    const asAdmin = await admin.call('GET', `/api/v1/conversations/${conv.id}`, admin.admin);
    expect(asAdmin.body.rating).to.include({ score: 4, comment: 'Kind and quick' });
    const agentToken = await signIn(apiClient(stack), agent.jid, 'agent-password');
    const asAgent = await admin.call('GET', `/api/v1/conversations/${conv.id}`, agentToken);
    expect(asAgent.status).to.equal(200);
    expect(asAgent.body).not.to.have.property('rating');
    expect(errors, errors.join('\n')).to.deep.equal([]);
    await page.close();
  });

  it('a room that hides the typing preview sends typing notifications only', async () => {
    const agent = await onlineAgent(stack, 'Quinn');
    await untilAvailable(stack, agent.jid);
    const page = await browser.newPage();
    await startChat(page, 'quiet', 'Quiet Quentin', 'quentin@example.com');
    const roomJid = await accept(agent);
    await page.waitForSelector(`#log li.notice:has-text("${agent.nick} joined")`);
    await page.click('#compose');
    await page.keyboard.type('secret draft');
    await agent.client.waitFor((el) => el.attrs.from === `${roomJid}/Quiet Quentin` && !!el.getChild('composing', NS_CHATSTATES), 10_000, 'composing');
    await page.keyboard.press('Enter');
    await agent.client.waitFor(isBody(`${roomJid}/Quiet Quentin`, 'secret draft'), 10_000, 'message');
    expect(agent.client.stanzas.filter((el) => el.getChild('rtt', NS_RTT))).to.have.length(0);
    await page.close();
  });

  it('while nobody answers, Add Alert (where the room allows it) records the email; it goes when an agent joins', async () => {
    const r = await admin.call('POST', '/api/v1/rooms', admin.admin, { slug: 'alerts', settings: { name: 'Alerts', interactions: { leaveEmail: true, addAlert: true } } });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    const page = await browser.newPage();
    await startChat(page, 'alerts', 'Wanda Waiting', 'wanda@example.com');
    await page.waitForSelector('#alert');
    expect(await page.inputValue('#alert-email')).to.equal('wanda@example.com');
    await page.click('#alert-send');
    await page.waitForSelector('#alert .panel-status:has-text("as soon as someone is free")');
    const conv = (await stack.sb.db.query("SELECT id FROM conversations WHERE customer_name = 'Wanda Waiting'")).rows[0] as { id: string };
    expect((await stack.sb.db.query('SELECT email FROM conversation_alerts WHERE conversation_id = $1', [conv.id])).rows).to.deep.equal([{ email: 'wanda@example.com' }]);
    // A room without Add Alert does not offer it.
    const other = await browser.newPage();
    await startChat(other, 'care', 'Nina NoAlert', 'nina@example.com');
    await other.waitForFunction(() => /Waiting|Chatting/.test(document.querySelector('#status')?.textContent ?? ''));
    expect(await other.$('#alert')).to.equal(null);
    await other.close();

    const agent = await onlineAgent(stack, 'Ada');
    await untilAvailable(stack, agent.jid);
    const inv = await agent.client.waitFor((el) => isInvite()(el) && (el.getChildText('body') ?? '').includes('Wanda Waiting'), 20_000, 'offer');
    await agent.client.send(joinPresence(inv.attrs.from!, agent.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await page.waitForSelector('#alert', { state: 'detached' });
    await page.close();
  });

  it('while nobody answers, Email (where the room allows it) leaves a note instead and ends the chat', async () => {
    expect((await admin.call('POST', '/api/v1/rooms', admin.admin, { slug: 'notes', settings: { name: 'Notes', interactions: { leaveEmail: true, addAlert: false } } })).status).to.equal(201);
    const page = await browser.newPage();
    page.on('dialog', (d) => void d.accept());
    await startChat(page, 'notes', 'Nora Note', 'nora@example.com');
    await page.waitForSelector('#note');
    expect(await page.inputValue('#note-message')).to.equal('I feel ill');
    expect(await page.$('#alert')).to.equal(null);
    await page.fill('#note-message', 'I feel ill. Please call me back tomorrow.');
    await page.click('#note-send');
    await page.waitForSelector('#log li.notice.important:has-text("we will answer you by email")').catch(async (e: Error) => {
      throw new Error(`${e.message}; note panel says: ${await page.textContent('#note .panel-status').catch(() => '(gone)')}; log: ${await page.textContent('#log')}`);
    });
    // The page shows the end at once and ends the chat on the server right after.
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM conversations WHERE customer_name = 'Nora Note' AND channel = 'chat' AND status = 'closed'")).rowCount === 1, 10_000, 'the chat closed');
    const rows = (await stack.sb.db.query("SELECT channel, status, closed_by, first_message FROM conversations WHERE customer_name = 'Nora Note' ORDER BY created_at")).rows;
    expect(rows).to.deep.equal([
      { channel: 'chat', status: 'closed', closed_by: 'customer', first_message: 'I feel ill' },
      { channel: 'note', status: 'queued', closed_by: null, first_message: 'I feel ill. Please call me back tomorrow.' },
    ]);
    await page.close();
  });

  it('while waiting, the page shows the place in the room\'s queue and an estimated wait, kept up to date', async () => {
    expect((await admin.call('POST', '/api/v1/rooms', admin.admin, { slug: 'line', settings: { name: 'Line' } })).status).to.equal(201);
    // History: one chat of this room was answered two minutes after it arrived. Written as one
    // closed row, so no dispatch ever sees it queued and caches the room's median before it exists.
    await stack.sb.db.query(`INSERT INTO conversations (room_id, muc_node, customer_name, room_password, customer_token_hash, status, disposition, created_at, accepted_at, closed_at, closed_by)
      SELECT id, 'past-line-1', 'Past Customer', 'x', 'x', 'closed', 'served', now() - interval '10 minutes', now() - interval '8 minutes', now() - interval '5 minutes', 'agent' FROM rooms WHERE slug = 'line'`);
    // Someone available to share the wait among (it gets offers and leaves them pending).
    const lou = await onlineAgent(stack, 'Lou');
    await untilAvailable(stack, lou.jid);
    const ahead = await customer(stack, { name: 'Ahead Customer', message: 'first in line' }, 'line');
    const page = await browser.newPage();
    await startChat(page, 'line', 'Queued Quincy', 'quincy@example.com');
    // The room pushes the place and the wait (median of its answered chats × place ÷ available agents);
    // the page shows them in its status line, not as chat lines.
    const mine = (await stack.sb.db.query("SELECT id FROM conversations WHERE customer_name = 'Queued Quincy'")).rows[0].id as string;
    // (The room's median is read by the pusher's next round, a moment after the place is known.)
    await waitUntil(() => stack.sb.conversations.queue.status.statusOf(mine)?.position === 2 && typeof stack.sb.conversations.queue.status.statusOf(mine)?.etaSeconds === 'number', 20_000, 'Quincy second in the queue, with an estimate');
    await page.waitForFunction(() => /You are number 2 in the queue \(about .+\)\./.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await page.textContent('#status')).to.match(/^Waiting for an agent…/);
    // The one ahead leaves: next in line.
    expect((await fetch(`${stack.cfg.publicUrl}/api/v1/conversations/${ahead.id}/end`, { method: 'POST', headers: { authorization: `Bearer ${ahead.customerToken}` } })).status).to.equal(204);
    await page.waitForFunction(() => /You are next in the queue/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await page.textContent('#log')).not.to.match(/in the queue/);
    // Another conversation's token tells nothing.
    expect((await fetch(`${stack.cfg.publicUrl}/api/v1/conversations/${mine}/queue`, { headers: { authorization: `Bearer ${ahead.customerToken}` } })).status).to.equal(404);
    await page.close();
  });

  it('the rating API: the customer token, a score from 1 to 5, a bounded comment', async () => {
    const res = await fetch(`${stack.cfg.publicUrl}/api/v1/rooms/care/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Rita', message: 'hi' }) });
    const started = await res.json() as { id: string; customerToken: string };
    const post = (body: unknown, token = started.customerToken) => fetch(`${stack.cfg.publicUrl}/api/v1/conversations/${started.id}/rating`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
    });
    expect((await post({ score: 6 })).status).to.equal(400);
    expect((await post({ score: 0 })).status).to.equal(400);
    expect((await post({ score: 3, comment: 'x'.repeat(2001) })).status).to.equal(400);
    expect((await post({ score: 3 }, 'wrong-token')).status).to.equal(404);
    expect((await post({ score: 2, comment: 'slow' })).status).to.equal(204);
    expect((await post({ score: 5 })).status).to.equal(204); // rating again replaces it
    expect((await stack.sb.db.query('SELECT score, comment FROM conversation_ratings WHERE conversation_id = $1', [started.id])).rows).to.deep.equal([{ score: 5, comment: '' }]);
  });
});
