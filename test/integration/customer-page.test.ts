// The customer page in headless Chromium against the real stack: form →
// waiting → an agent (XMPP client) accepts → messages and typing both ways →
// the customer ends the chat. A screenshot is kept in test-artifacts/.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { repoPath } from '../../src/paths.js';
import { launchChromium } from '../support/browser.js';
import { onlineAgent, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { groupchat, isBody, isInvite, isSelfPresence, joinPresence, NS_CHATSTATES, xml } from '../support/xmpp.js';

describe('customer page in Chromium', function () {
  this.timeout(90_000);
  let stack: Stack;
  let browser: Browser;
  before(async () => { stack = await startStack(); browser = await launchChromium(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  it('fills the form, waits, chats with the agent who accepted, and ends the chat', async () => {
    const agent = await onlineAgent(stack, 'Vera');
    await untilAvailable(stack, agent.jid);
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('dialog', (d) => void d.accept());

    await page.goto(`${stack.cfg.publicUrl}/c/general`);
    await page.fill('input[name="name"]', 'Wendy Web');
    await page.fill('input[name="email"]', 'wendy@example.com');
    await page.fill('[name="message"]', 'My parcel is late');
    await page.click('#start');
    await page.waitForSelector('#chat', { state: 'visible' });
    await page.waitForFunction(() => /Waiting/.test(document.querySelector('#status')?.textContent ?? ''));

    const inv = await agent.client.waitFor(isInvite(), 15_000, 'offer from the page');
    const roomJid = inv.attrs.from!;
    expect(inv.getChildText('body')).to.include('Wendy Web').and.include('My parcel is late');
    await agent.client.send(joinPresence(roomJid, agent.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await agent.client.waitFor(isSelfPresence(roomJid));
    await page.waitForFunction((nick) => (document.querySelector('#status')?.textContent ?? '').includes(nick), agent.nick);

    // Agent → customer, with typing first.
    await agent.client.send(xml('message', { to: roomJid, type: 'groupchat' }, xml('composing', { xmlns: NS_CHATSTATES })));
    await page.waitForFunction((nick) => (document.querySelector('#typing')?.textContent ?? '').includes(nick), agent.nick);
    await agent.client.send(groupchat(roomJid, 'Let me check that for you.'));
    await page.waitForFunction(() => [...document.querySelectorAll('#log li.msg.agent .body')].some((e) => e.textContent === 'Let me check that for you.'));

    // Customer → agent, typing then a message.
    await page.type('#compose', 'Thank you');
    await agent.client.waitFor((el) => el.attrs.from === `${roomJid}/Wendy Web` && !!el.getChild('composing', NS_CHATSTATES), 10_000, 'customer typing');
    await page.click('#send');
    await agent.client.waitFor(isBody(`${roomJid}/Wendy Web`, 'Thank you'), 10_000, 'customer message');
    await page.waitForFunction(() => [...document.querySelectorAll('#log li.msg.customer .body')].some((e) => e.textContent === 'Thank you'));

    mkdirSync(repoPath('test-artifacts'), { recursive: true });
    await page.screenshot({ path: repoPath('test-artifacts', 'customer-page-chat.png'), fullPage: true });

    await page.click('#end');
    await page.waitForFunction(() => /ended/i.test(document.querySelector('#status')?.textContent ?? ''));
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM conversations WHERE customer_name = 'Wendy Web' AND status = 'closed' AND closed_by = 'customer'")).rowCount === 1, 10_000, 'closed by customer');
    await page.screenshot({ path: repoPath('test-artifacts', 'customer-page-ended.png'), fullPage: true });
    expect(errors, errors.join('\n')).to.deep.equal([]);
    await page.close();
  });

  it('flags a mandatory field left empty next to the field and does not start', async () => {
    await stack.sb.db.query(`UPDATE rooms SET settings = jsonb_set(settings, '{form,fields,1,mandatory}', 'true') WHERE slug = 'general'`);
    const page = await browser.newPage();
    await page.goto(`${stack.cfg.publicUrl}/c/general`);
    await page.fill('input[name="name"]', 'No Mail');
    await page.fill('[name="message"]', 'hello');
    await page.click('#start');
    const err = await page.waitForSelector('.field-error[data-field="email"]:not(:empty)');
    expect(await err.textContent()).to.match(/required/i);
    expect(await page.isVisible('#chat')).to.equal(false);
    await page.close();
  });
});
