// Resilience of the customer page (issue 6, item 5) in Chromium against the real
// stack: a reload mid-chat, a dropped connection, and a reload while a message
// waits to be sent all resume the same conversation, with every message shown
// once and delivered once (each join asks for no XEP-0045 history; the page
// reads the room's XEP-0313 archive after the last stanza-id it shows, page by
// page, holding live lines until it has; duplicates drop by XEP-0359 stanza-id
// and origin-id).
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { repoPath } from '../../src/paths.js';
import { launchChromium } from '../support/browser.js';
import { onlineAgent, startStack, untilAvailable, type Stack } from '../support/stack.js';
import { groupchat, isInvite, isSelfPresence, joinPresence, type Element } from '../support/xmpp.js';

/** Every WebSocket the page opens, so the test can cut them; `__block` refuses new ones (no network). */
const SOCKETS = () => {
  const w = window as any;
  w.__sockets = [];
  w.__block = false;
  const Real = w.WebSocket;
  w.WebSocket = function (url: string, protocols?: string | string[]) {
    const ws = new Real(w.__block ? 'ws://127.0.0.1:9/blocked' : url, protocols);
    w.__sockets.push(ws);
    return ws;
  };
  Object.assign(w.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3, prototype: Real.prototype });
};

describe('customer page: reload and network drop resume the conversation', function () {
  this.timeout(150_000);
  let stack: Stack;
  let browser: Browser;
  before(async () => { stack = await startStack(); browser = await launchChromium(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  const bodies = (page: Page) => page.$$eval('#log li.msg .body', (els) => els.map((e) => e.textContent ?? ''));
  const shown = (page: Page, text: string) => page.waitForFunction((t) => [...document.querySelectorAll('#log li.msg .body')].some((e) => e.textContent === t), text, { timeout: 30_000 });
  const delivered = (page: Page, text: string) => page.waitForFunction((t) => [...document.querySelectorAll('#log li.msg.customer')].some((li) => li.querySelector('.body')?.textContent === t && !li.classList.contains('pending')), text, { timeout: 30_000 });

  it('nothing lost or doubled across reloads and a dropped connection', async () => {
    const agent = await onlineAgent(stack, 'Rhea');
    await untilAvailable(stack, agent.jid);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept()); // the "leave this page?" warning on reload
    await page.addInitScript(SOCKETS);
    await page.goto(`${stack.cfg.publicUrl}/c/general`);
    await page.fill('input[name="name"]', 'Rory Reload');
    await page.fill('[name="message"]', 'First question');
    await page.click('#start');
    await page.waitForSelector('#chat', { state: 'visible' });
    const inv = await agent.client.waitFor(isInvite(), 20_000, 'offer');
    const roomJid = inv.attrs.from!;
    await agent.client.send(joinPresence(roomJid, agent.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await agent.client.waitFor(isSelfPresence(roomJid));
    const fromCustomer = (text: string) => (el: Element) => el.is('message') && el.attrs.from?.startsWith(`${roomJid}/Rory Reload`) === true && el.getChildText('body') === text;
    const say = async (text: string) => { await page.fill('#compose', text); await page.press('#compose', 'Enter'); };

    await say('c1');
    await agent.client.waitFor(fromCustomer('c1'), 10_000, 'c1');
    await agent.client.send(groupchat(roomJid, 'a1'));
    await shown(page, 'a1');
    await say('c2');
    await agent.client.waitFor(fromCustomer('c2'), 10_000, 'c2');

    // 1. Reload mid-chat; the agent writes while the page is away.
    const reloading = page.reload();
    await agent.client.send(groupchat(roomJid, 'a2 during the reload'));
    await reloading;
    await page.waitForSelector('#chat', { state: 'visible' });
    await shown(page, 'a2 during the reload');
    await page.waitForFunction((nick) => (document.querySelector('#status')?.textContent ?? '').includes(nick), agent.nick);
    expect(await bodies(page)).to.deep.equal(['First question', 'c1', 'a1', 'c2', 'a2 during the reload']);
    expect(await page.isVisible('#contact-form')).to.equal(false);

    // 2. The connection drops; the agent writes and the customer sends while it is down.
    await page.evaluate(() => { (window as any).__block = true; for (const ws of (window as any).__sockets) ws.close(); });
    await page.waitForFunction(() => /Reconnecting/.test(document.querySelector('#status')?.textContent ?? ''));
    await agent.client.send(groupchat(roomJid, 'a3 while you were offline'));
    await say('c3 typed offline');
    expect(await page.$eval('#log li.msg.customer:last-child', (li) => li.classList.contains('pending'))).to.equal(true);
    await page.evaluate(() => { (window as any).__block = false; });
    await shown(page, 'a3 while you were offline');
    await delivered(page, 'c3 typed offline');
    await agent.client.waitFor(fromCustomer('c3 typed offline'), 20_000, 'c3 after the reconnect');

    // 3. Reload while a message waits to be sent: it is kept and sent once, after the history.
    await page.evaluate(() => { (window as any).__block = true; for (const ws of (window as any).__sockets) ws.close(); });
    await page.waitForFunction(() => /Reconnecting/.test(document.querySelector('#status')?.textContent ?? ''));
    await say('c4 pending at reload');
    await page.reload();
    await page.waitForSelector('#chat', { state: 'visible' });
    await delivered(page, 'c4 pending at reload');
    await agent.client.waitFor(fromCustomer('c4 pending at reload'), 20_000, 'c4 after the reload');
    await agent.client.send(groupchat(roomJid, 'a4 last'));
    await shown(page, 'a4 last');

    const expected = ['First question', 'c1', 'a1', 'c2', 'a2 during the reload', 'a3 while you were offline', 'c3 typed offline', 'c4 pending at reload', 'a4 last'];
    expect(await bodies(page)).to.deep.equal(expected);
    // Stored once each, whatever the page went through.
    const stored = (await stack.sb.db.query(`SELECT m.body FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE c.customer_name = 'Rory Reload' AND m.sender_kind IN ('customer', 'agent') ORDER BY m.seq`)).rows.map((r) => r.body);
    expect(stored).to.deep.equal(expected);
    // The agent got each customer message once.
    for (const text of ['c3 typed offline', 'c4 pending at reload']) {
      expect(agent.client.stanzas.filter(fromCustomer(text)), text).to.have.length(0); // the one copy was taken above
    }
    mkdirSync(repoPath('test-artifacts'), { recursive: true });
    await page.screenshot({ path: repoPath('test-artifacts', 'resume-after-reloads.png'), fullPage: true });
    expect(errors, errors.join('\n')).to.deep.equal([]);
    await page.close();
  });

  it('a long absence: every line said while away comes back from the archive, once and in order, after a drop and after a reload', async () => {
    const agent = await onlineAgent(stack, 'Lena');
    await untilAvailable(stack, agent.jid);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await page.addInitScript(SOCKETS);
    await page.goto(`${stack.cfg.publicUrl}/c/general`);
    await page.fill('input[name="name"]', 'Long Absence');
    await page.fill('[name="message"]', 'Hello archive');
    await page.click('#start');
    await page.waitForSelector('#chat', { state: 'visible' });
    const inv = await agent.client.waitFor((el) => isInvite()(el) && (el.getChildText('body') ?? '').includes('Long Absence'), 20_000, 'offer');
    const roomJid = inv.attrs.from!;
    await agent.client.send(joinPresence(roomJid, agent.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await agent.client.waitFor(isSelfPresence(roomJid));
    await agent.client.send(groupchat(roomJid, 'before the drop'));
    await shown(page, 'before the drop');

    // More lines while the page is away than any XEP-0045 history would give (100),
    // and more again while it comes back and reads the archive.
    await page.evaluate(() => { (window as any).__block = true; for (const ws of (window as any).__sockets) ws.close(); });
    await page.waitForFunction(() => /Reconnecting/.test(document.querySelector('#status')?.textContent ?? ''));
    const away = Array.from({ length: 140 }, (_, i) => `away ${i + 1}`);
    for (const text of away.slice(0, 120)) await agent.client.send(groupchat(roomJid, text));
    await page.evaluate(() => { (window as any).__block = false; });
    for (const text of away.slice(120)) await agent.client.send(groupchat(roomJid, text));
    await shown(page, 'away 140');
    const expected = ['Hello archive', 'before the drop', ...away];
    expect(await bodies(page)).to.deep.equal(expected);

    // A reload: the whole conversation again (over 140 lines), plus what was said meanwhile.
    const reloading = page.reload();
    await agent.client.send(groupchat(roomJid, 'during the reload'));
    await reloading;
    await page.waitForSelector('#chat', { state: 'visible' });
    await shown(page, 'during the reload');
    await agent.client.send(groupchat(roomJid, 'after the reload'));
    await shown(page, 'after the reload');
    expect(await bodies(page)).to.deep.equal([...expected, 'during the reload', 'after the reload']);
    expect(errors, errors.join('\n')).to.deep.equal([]);
    await page.close();
  });

  it('a customer whose clock is ten minutes fast still gets what was said while the connection was down', async () => {
    const agent = await onlineAgent(stack, 'Tempo');
    await untilAvailable(stack, agent.jid);
    const page = await browser.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.addInitScript(SOCKETS);
    await page.addInitScript(() => {
      const skew = 10 * 60_000;
      const Real = Date;
      class Fast extends Real {
        constructor(...a: unknown[]) { if (a.length === 0) super(Real.now() + skew); else super(...(a as [string])); }
        static override now() { return Real.now() + skew; }
      }
      (window as any).Date = Fast;
    });
    await page.goto(`${stack.cfg.publicUrl}/c/general`);
    await page.fill('input[name="name"]', 'Fast Clock');
    await page.fill('[name="message"]', 'My watch is fast');
    await page.click('#start');
    await page.waitForSelector('#chat', { state: 'visible' });
    const inv = await agent.client.waitFor((el) => isInvite()(el) && (el.getChildText('body') ?? '').includes('Fast Clock'), 20_000, 'offer');
    const roomJid = inv.attrs.from!;
    await agent.client.send(joinPresence(roomJid, agent.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await agent.client.waitFor(isSelfPresence(roomJid));
    await agent.client.send(groupchat(roomJid, 'live before the drop'));
    await shown(page, 'live before the drop');
    await page.evaluate(() => { (window as any).__block = true; for (const ws of (window as any).__sockets) ws.close(); });
    await page.waitForFunction(() => /Reconnecting/.test(document.querySelector('#status')?.textContent ?? ''));
    await agent.client.send(groupchat(roomJid, 'said while you were away'));
    await page.evaluate(() => { (window as any).__block = false; });
    await shown(page, 'said while you were away');
    expect(await bodies(page)).to.deep.equal(['My watch is fast', 'live before the drop', 'said while you were away']);
    await page.close();
  });
});
