// A transfer seen from the customer page (issue 6, chat panel notices) in
// Chromium: agent A types "/t B" in the conversation's MUC room, B accepts with
// "a" at the desk; the room tells the page who took over (an explicit
// payload on its notice, not a guess from presence), the page says so once,
// and the chat goes on with B — also after a reload, from the room's archive.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { repoPath } from '../../src/paths.js';
import { launchChromium } from '../support/browser.js';
import { agents, fromDesk, toDesk } from '../support/commands.js';
import { startStack, type Stack } from '../support/stack.js';
import { groupchat, isBody, isInvite, isSelfPresence, joinPresence, type Element } from '../support/xmpp.js';

describe('customer page: a transfer to another agent', function () {
  this.timeout(150_000);
  let stack: Stack;
  let browser: Browser;
  before(async () => { stack = await startStack(); browser = await launchChromium(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  const notices = (page: Page) => page.$$eval('#log li.notice', (els) => els.map((e) => e.textContent ?? ''));
  const bodies = (page: Page) => page.$$eval('#log li.msg', (els) => els.map((e) => `${e.querySelector('.nick')?.textContent}: ${e.querySelector('.body')?.textContent}`));
  const status = (page: Page) => page.textContent('#status');

  it('"/t B" accepted with "a": the page names B once, B carries on, and a reload tells the same', async () => {
    const [alice, bob] = await agents(stack, ['Alice', 'Bob']);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${stack.cfg.publicUrl}/c/general`);
    await page.fill('input[name="name"]', 'Tess Transfer');
    await page.fill('[name="message"]', 'I need billing');
    await page.click('#start');
    await page.waitForSelector('#chat', { state: 'visible' });
    const inv = await alice!.client.waitFor((el) => isInvite()(el) && (el.getChildText('body') ?? '').includes('Tess Transfer'), 20_000, 'offer');
    const roomJid = inv.attrs.from!;
    const password = inv.getChild('x', 'jabber:x:conference')!.attrs.password!;
    await alice!.client.send(joinPresence(roomJid, alice!.nick, password));
    await alice!.client.waitFor(isSelfPresence(roomJid));
    await page.waitForFunction((nick) => (document.querySelector('#status')?.textContent ?? '').includes(nick), alice!.nick);
    await alice!.client.send(groupchat(roomJid, 'Alice here, let me find the right person'));
    await page.waitForSelector('#log li.msg.agent .body:has-text("Alice here")');

    // A asks for the transfer in the room; nothing of it reaches the page yet.
    await alice!.client.send(groupchat(roomJid, `/t ${bob!.nick}`));
    const request = await bob!.client.waitFor((el) => isInvite(roomJid)(el) && /asks you to take over/.test(el.getChildText('body') ?? ''), 10_000, 'transfer request');
    // B accepts at the desk: the page is told before B has even joined the room.
    await toDesk(stack, bob!.client, 'a');
    await fromDesk(stack, bob!.client, 'is yours now', 'accept reply');
    const told = `You have been transferred to ${bob!.nick}, who will continue with you.`;
    await page.waitForSelector(`#log li.notice:text-is("${told}")`, { timeout: 20_000 });
    await page.waitForSelector(`#log li.notice:has-text("${alice!.nick} left")`);
    expect(await status(page)).not.to.include(bob!.nick);

    // B joins and answers; the customer's reply reaches B.
    await bob!.client.send(joinPresence(roomJid, bob!.nick, request.getChild('x', 'jabber:x:conference')?.attrs.password ?? password));
    await bob!.client.waitFor(isSelfPresence(roomJid));
    await page.waitForFunction((nick) => (document.querySelector('#status')?.textContent ?? '') === `Chatting with ${nick}`, bob!.nick);
    await bob!.client.send(groupchat(roomJid, 'Bob from billing, how can I help?'));
    await page.waitForSelector('#log li.msg.agent .body:has-text("Bob from billing")');
    await page.fill('#compose', 'Thanks Bob');
    await page.press('#compose', 'Enter');
    await bob!.client.waitFor(isBody(`${roomJid}/Tess Transfer`, 'Thanks Bob'), 10_000, 'customer reply to Bob');
    // The command never reached the customer; the transfer is told once, in order.
    const live = await notices(page);
    expect(live.filter((n) => n.includes('transferred')), live.join(' | ')).to.deep.equal([told]);
    expect(live.findIndex((n) => n === told)).to.be.lessThan(live.findIndex((n) => n.startsWith(`${bob!.nick} joined`)));
    const lines = await bodies(page);
    expect(lines).to.deep.equal(['You: I need billing', 'Alice: Alice here, let me find the right person', 'Bob: Bob from billing, how can I help?', 'You: Thanks Bob']);
    expect(alice!.client.stanzas.some((el: Element) => (el.getChildText('body') ?? '').includes('Thanks Bob'))).to.equal(false);

    // A reload shows the same story from the room's archive, once.
    await page.reload();
    await page.waitForSelector('#chat', { state: 'visible' });
    await page.waitForSelector('#log li.msg .body:has-text("Thanks Bob")');
    await page.waitForFunction((nick) => (document.querySelector('#status')?.textContent ?? '') === `Chatting with ${nick}`, bob!.nick);
    expect(await bodies(page)).to.deep.equal(lines);
    expect((await notices(page)).filter((n) => n.includes('transferred'))).to.deep.equal([told]);
    mkdirSync(repoPath('test-artifacts'), { recursive: true });
    await page.screenshot({ path: repoPath('test-artifacts', 'customer-transfer.png'), fullPage: true });
    expect(errors, errors.join('\n')).to.deep.equal([]);
    await page.close();
  });
});
