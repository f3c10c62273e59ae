// Keyboard and screen readers (issue 6, item 8), in Chromium against the real
// stack: every control of the form, the chat and the widget has an accessible
// name; a customer can open the widget, fill the form, chat, pick a quick
// response, rate and close the widget with the keyboard alone.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { freePort } from '../support/ports.js';
import { onlineAgent, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { groupchat, isBody, isInvite, isSelfPresence, joinPresence, xml } from '../support/xmpp.js';

/** Visible controls without an accessible name (label, aria-label(ledby), text or title). */
const UNNAMED = (root: Document | ShadowRoot = document) => {
  const named = (el: HTMLElement): boolean => {
    const aria = el.getAttribute('aria-label')?.trim();
    if (aria) return true;
    const by = el.getAttribute('aria-labelledby');
    if (by && by.split(/\s+/).some((id) => (el.ownerDocument.getElementById(id)?.textContent ?? '').trim())) return true;
    const labels = (el as HTMLInputElement).labels;
    if (labels && [...labels].some((l) => (l.textContent ?? '').trim())) return true;
    if (el.tagName === 'BUTTON' || el.tagName === 'A') return !!(el.textContent ?? '').trim() || !!el.getAttribute('title');
    if (el.tagName === 'IFRAME') return !!el.getAttribute('title');
    return false;
  };
  const visible = (el: HTMLElement) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length) && !el.closest('[aria-hidden="true"]');
  return [...root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], iframe')]
    .filter((el) => visible(el) && (el as HTMLInputElement).type !== 'hidden' && !named(el))
    .map((el) => el.outerHTML.slice(0, 120));
};

describe('keyboard and screen-reader labels', function () {
  this.timeout(120_000);
  let stack: Stack;
  let browser: Browser;
  let host: Server;
  let hostUrl: string;
  before(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const port = await freePort();
    host = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Shop</title><p>Welcome</p><script src="${stack.cfg.publicUrl}/widget.js" data-room="general" async></script>`);
    });
    await new Promise<void>((resolve) => host.listen(port, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${port}`;
  });
  after(async () => { await browser?.close(); host?.close(); await stack?.stop(); });

  const focusedId = (f: Page | Frame) => f.evaluate(() => document.activeElement?.id ?? '');

  it('the widget, the form, the chat and the rating by keyboard alone, every control named', async () => {
    const agent = await onlineAgent(stack, 'Kira');
    await untilAvailable(stack, agent.jid);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(hostUrl);
    await page.locator('#switchboard-widget >> css=button.launcher').waitFor();
    expect(await page.evaluate(`(${UNNAMED.toString()})(document.querySelector('#switchboard-widget').shadowRoot)`)).to.deep.equal([]);

    // Tab reaches the button; Enter opens the panel and puts the keyboard in the chat.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.querySelector('#switchboard-widget')!.shadowRoot!.activeElement?.className)).to.match(/launcher/);
    await page.keyboard.press('Enter');
    const frameEl = await page.waitForSelector('#switchboard-widget >> css=iframe');
    const frame = (await frameEl.contentFrame())!;
    await frame.waitForSelector('#contact-form');
    await waitUntil(async () => (await focusedId(frame)) === 'field-name', 10_000, 'focus on the first field');
    expect(await frame.evaluate(`(${UNNAMED.toString()})()`)).to.deep.equal([]);

    // The form: type, Tab, type…, Enter.
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Only keys here');
    await page.keyboard.press('Tab');
    expect(await focusedId(frame)).to.equal('start');
    await page.keyboard.press('Enter');
    await frame.waitForSelector('#chat');
    await waitUntil(async () => (await focusedId(frame)) === 'compose', 10_000, 'focus in the compose box');

    const inv = await agent.client.waitFor(isInvite(), 20_000, 'offer');
    const roomJid = inv.attrs.from!;
    await agent.client.send(joinPresence(roomJid, agent.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await agent.client.waitFor(isSelfPresence(roomJid));
    await page.keyboard.type('Hello by keyboard');
    await page.keyboard.press('Enter');
    await agent.client.waitFor(isBody(`${roomJid}/Kim Keyboard`, 'Hello by keyboard'), 10_000, 'typed message');

    // A quick response, reached with Shift+Tab from the compose box and pressed with Enter.
    await agent.client.send(xml('message', { to: roomJid, type: 'groupchat' }, xml('body', {}, 'Pick one'),
      xml('response', { xmlns: 'urn:xmpp:tmp:quick-response', value: 'a', label: 'Option A' }), xml('response', { xmlns: 'urn:xmpp:tmp:quick-response', value: 'b', label: 'Option B' })));
    await frame.waitForSelector('button.quick:has-text("Option B")');
    expect(await frame.evaluate(`(${UNNAMED.toString()})()`)).to.deep.equal([]);
    await waitUntil(async () => {
      await page.keyboard.press('Shift+Tab');
      return frame.evaluate(() => document.activeElement?.textContent === 'Option B');
    }, 10_000, 'Shift+Tab to the last quick response');
    await page.keyboard.press('Enter');
    await agent.client.waitFor(isBody(`${roomJid}/Kim Keyboard`, 'b'), 10_000, 'quick response by keyboard');

    // The agent closes; the keyboard lands on the rating: arrows pick 4 stars, Tab to the comment and the button.
    await frame.focus('#compose');
    await agent.client.send(groupchat(roomJid, '!close'));
    await frame.waitForSelector('#rating');
    await waitUntil(async () => (await focusedId(frame)) === 'rating-1', 10_000, 'focus on the rating');
    expect(await frame.evaluate(`(${UNNAMED.toString()})()`)).to.deep.equal([]);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    expect(await frame.evaluate(() => (document.querySelector('#rating-4') as HTMLInputElement).checked)).to.equal(true);
    await page.keyboard.press('Tab');
    expect(await focusedId(frame)).to.equal('rating-comment');
    await page.keyboard.type('Accessible');
    await page.keyboard.press('Tab');
    expect(await focusedId(frame)).to.equal('rating-send');
    await page.keyboard.press('Enter');
    await frame.waitForSelector('#rating-thanks');
    const rated = (await stack.sb.db.query("SELECT r.score, r.comment FROM conversation_ratings r JOIN conversations c ON c.id = r.conversation_id WHERE c.customer_name = 'Kim Keyboard'")).rows;
    expect(rated).to.deep.equal([{ score: 4, comment: 'Accessible' }]);

    // Escape inside the chat minimises the panel and gives the keyboard back to the button.
    await frame.focus('#transcript-email');
    await page.keyboard.press('Escape');
    await page.locator('#switchboard-widget >> css=.panel').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.querySelector('#switchboard-widget')!.shadowRoot!.activeElement?.className)).to.match(/launcher/);
    expect(await page.locator('#switchboard-widget >> css=button.launcher').getAttribute('aria-expanded')).to.equal('false');
    await page.close();
  });
});
