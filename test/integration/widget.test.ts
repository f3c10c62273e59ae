// The pop-up widget (issue 6, item 1) in Chromium on a host page served from
// another origin, with the line the admin API generates: a sticky button placed
// by the room's widget settings, immune to the host page's CSS, opening the
// customer page in an iframe where a whole chat works; dragged on a desktop,
// full screen on a phone. Screenshots in test-artifacts/.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { repoPath } from '../../src/paths.js';
import { launchChromium } from '../support/browser.js';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { freePort } from '../support/ports.js';
import { onlineAgent, startStack, untilAvailable, type Stack } from '../support/stack.js';
import { groupchat, isBody, isInvite, isSelfPresence, joinPresence } from '../support/xmpp.js';

/** Rules a careless host page might have: none of them may reach the widget. */
const HOSTILE_CSS = 'button, iframe { display: none !important; } * { font-size: 40px !important; color: red !important; } div { position: static !important; }';

describe('pop-up widget on a page of another origin', function () {
  this.timeout(120_000);
  let stack: Stack;
  let browser: Browser;
  let admin: AdminApi;
  let host: Server;
  let hostUrl: string;
  const snippets = new Map<string, string>();

  before(async () => {
    stack = await startStack();
    browser = await launchChromium();
    admin = await adminApi(stack);
    const made = await admin.call('POST', '/api/v1/rooms', admin.admin, { slug: 'shop', settings: { name: 'Shop', widget: { position: 'top-left', width: 420, height: 500, mobileMoreOptionsHeight: 64 }, form: { theme: { primary: '#7c3aed' } } } });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    for (const slug of ['general', 'shop']) {
      const r = await admin.call<{ html: string }>('GET', `/api/v1/rooms/${slug}/embed`, admin.admin);
      expect(r.status).to.equal(200);
      snippets.set(slug, r.body.html);
    }
    const port = await freePort();
    host = createServer((req, res) => {
      const slug = /room=([a-z-]+)/.exec(req.url ?? '')?.[1] ?? 'general';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const meta = /phone=1/.test(req.url ?? '') ? '<meta name="viewport" content="width=device-width, initial-scale=1">' : '';
      res.end(`<!doctype html><html><head>${meta}<title>Host shop</title><style>${HOSTILE_CSS}</style></head>
        <body><h1>Our products</h1><p>${'Lorem ipsum. '.repeat(200)}</p>${snippets.get(slug) ?? ''}</body></html>`);
    });
    await new Promise<void>((resolve) => host.listen(port, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${port}`;
    expect(hostUrl).not.to.equal(stack.cfg.publicUrl);
  });
  after(async () => { await browser?.close(); host?.close(); await stack?.stop(); });

  const launcher = (page: Page) => page.locator('#switchboard-widget >> css=button.launcher');
  const panel = (page: Page) => page.locator('#switchboard-widget >> css=.panel');

  it('the generated line is one script tag naming the room; /widget.js is served as a script', async () => {
    expect(snippets.get('general')).to.equal(`<script src="${stack.cfg.publicUrl}/widget.js" data-room="general" async></script>`);
    const res = await fetch(`${stack.cfg.publicUrl}/widget.js`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/javascript/);
    expect((await res.text()).length).to.be.greaterThan(1000);
  });

  it('puts a button in the room\'s corner; it opens the chat in an iframe where a whole chat works', async () => {
    const agent = await onlineAgent(stack, 'Wanda');
    await untilAvailable(stack, agent.jid);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${hostUrl}/?room=general`);
    await launcher(page).waitFor({ state: 'visible' });
    const b = (await launcher(page).boundingBox())!;
    // Default settings: bottom-right, 20 px from the edges, the host's CSS notwithstanding.
    expect(Math.round(b.x + b.width)).to.equal(1280 - 20);
    expect(Math.round(b.y + b.height)).to.equal(800 - 20);
    expect(await panel(page).isVisible()).to.equal(false);
    expect(await launcher(page).getAttribute('aria-expanded')).to.equal('false');

    await launcher(page).click();
    await panel(page).waitFor({ state: 'visible' });
    const p = (await panel(page).boundingBox())!;
    expect([Math.round(p.width), Math.round(p.height)]).to.deep.equal([380, 560]);
    expect(await launcher(page).getAttribute('aria-expanded')).to.equal('true');
    const frame = page.frameLocator('#switchboard-widget >> css=iframe');
    await frame.locator('#contact-form').waitFor();
    const iframeUrl = await page.locator('#switchboard-widget >> css=iframe').getAttribute('src');
    expect(iframeUrl).to.equal(`${stack.cfg.publicUrl}/c/general?embed=1`);

    await frame.locator('input[name="name"]').fill('Hosted Hana');
    await frame.locator('input[name="email"]').fill('hana@example.com');
    await frame.locator('[name="message"]').fill('Question from your shop page');
    await frame.locator('#start').click();
    await frame.locator('#chat').waitFor();
    const inv = await agent.client.waitFor(isInvite(), 20_000, 'offer from the widget');
    const roomJid = inv.attrs.from!;
    await agent.client.send(joinPresence(roomJid, agent.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await agent.client.waitFor(isSelfPresence(roomJid));
    await agent.client.send(groupchat(roomJid, 'Hello from the desk'));
    await frame.locator('#log li.msg.agent .body', { hasText: 'Hello from the desk' }).waitFor();
    await frame.locator('#compose').fill('Thanks!');
    await frame.locator('#send').click();
    await agent.client.waitFor(isBody(`${roomJid}/Hosted Hana`, 'Thanks!'), 10_000, 'customer message through the widget');

    mkdirSync(repoPath('test-artifacts'), { recursive: true });
    await page.screenshot({ path: repoPath('test-artifacts', 'widget-open-chat.png') });

    // Minimised: a new agent message shows as a badge on the button.
    await page.locator('#switchboard-widget >> css=button.close').click();
    await panel(page).waitFor({ state: 'hidden' });
    await agent.client.send(groupchat(roomJid, 'Are you still there?'));
    await page.locator('#switchboard-widget >> css=.badge', { hasText: '1' }).waitFor();
    await launcher(page).click();
    await frame.locator('#log li.msg.agent .body', { hasText: 'Are you still there?' }).waitFor();
    expect(await page.locator('#switchboard-widget >> css=.badge').isVisible()).to.equal(false);
    expect(errors, errors.join('\n')).to.deep.equal([]);
    await page.close();
  });

  it('a chat going on follows the visitor to another page of the site: reconnected at once, unread counted, the same conversation', async () => {
    const agent = await onlineAgent(stack, 'Nadia');
    await untilAvailable(stack, agent.jid);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${hostUrl}/?room=general`);
    await launcher(page).click();
    const frame = page.frameLocator('#switchboard-widget >> css=iframe');
    await frame.locator('input[name="name"]').fill('Page Hopper');
    await frame.locator('[name="message"]').fill('Looking at shoes');
    await frame.locator('#start').click();
    const inv = await agent.client.waitFor((el) => isInvite()(el) && (el.getChildText('body') ?? '').includes('Page Hopper'), 20_000, 'offer');
    const roomJid = inv.attrs.from!;
    await agent.client.send(joinPresence(roomJid, agent.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await agent.client.waitFor(isSelfPresence(roomJid));
    await agent.client.send(groupchat(roomJid, 'Which size?'));
    await frame.locator('#log li.msg.agent .body', { hasText: 'Which size?' }).waitFor();
    await page.locator('#switchboard-widget >> css=button.close').click();

    // Another page of the site: the panel stays closed, but the chat is connected without a click.
    await page.goto(`${hostUrl}/?room=general&page=2`);
    await page.locator('#switchboard-widget >> css=iframe').waitFor({ state: 'attached' });
    expect(await panel(page).isVisible()).to.equal(false);
    await frame.locator('#chat').waitFor({ state: 'attached' });
    await frame.locator('#status', { hasText: agent.nick }).waitFor({ state: 'attached' });
    await agent.client.send(groupchat(roomJid, 'We have 42 in stock'));
    await page.locator('#switchboard-widget >> css=.badge', { hasText: '1' }).waitFor();
    await launcher(page).click();
    await frame.locator('#log li.msg.agent .body', { hasText: 'We have 42 in stock' }).waitFor();
    const bodies = await frame.locator('#log li.msg .body').allTextContents();
    expect(bodies).to.deep.equal(['Looking at shoes', 'Which size?', 'We have 42 in stock']);

    // Open when leaving a page: open on the next one too.
    await page.goto(`${hostUrl}/?room=general&page=3`);
    await panel(page).waitFor({ state: 'visible' });
    await frame.locator('#log li.msg.agent .body', { hasText: 'We have 42 in stock' }).waitFor();
    // Ended: the next page does not reconnect.
    await frame.locator('#end').click();
    await frame.locator('#status', { hasText: /ended/i }).waitFor();
    await page.goto(`${hostUrl}/?room=general&page=4`);
    await launcher(page).waitFor();
    expect(await page.locator('#switchboard-widget >> css=iframe').count()).to.equal(0);
    await page.close();
  });

  it('follows the room\'s position, size and colour, and drags within the window on a desktop', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`${hostUrl}/?room=shop`);
    await launcher(page).waitFor({ state: 'visible' });
    const b = (await launcher(page).boundingBox())!;
    expect([Math.round(b.x), Math.round(b.y)]).to.deep.equal([20, 20]);
    expect(await launcher(page).evaluate((e) => getComputedStyle(e).backgroundColor)).to.equal('rgb(124, 58, 237)');
    await launcher(page).click();
    await panel(page).waitFor({ state: 'visible' });
    const p = (await panel(page).boundingBox())!;
    expect([Math.round(p.x), Math.round(p.width), Math.round(p.height)]).to.deep.equal([20, 420, 500]);

    const bar = (await page.locator('#switchboard-widget >> css=.bar').boundingBox())!;
    await page.mouse.move(bar.x + 60, bar.y + 10);
    await page.mouse.down();
    await page.mouse.move(bar.x + 360, bar.y + 110, { steps: 8 });
    await page.mouse.up();
    const moved = (await panel(page).boundingBox())!;
    expect([Math.round(moved.x - p.x), Math.round(moved.y - p.y)]).to.deep.equal([300, 100]);
    // Dragged far past the edge, it stops at the edge.
    await page.mouse.move(moved.x + 60, moved.y + 10);
    await page.mouse.down();
    await page.mouse.move(moved.x + 3000, moved.y + 3000, { steps: 8 });
    await page.mouse.up();
    const edge = (await panel(page).boundingBox())!;
    expect([Math.round(edge.x + edge.width), Math.round(edge.y + edge.height)]).to.deep.equal([1200, 800]);
    await page.screenshot({ path: repoPath('test-artifacts', 'widget-dragged.png') });
    await page.close();
  });

  it('fills a phone\'s screen, with the room\'s "more options" bar height', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
    await page.goto(`${hostUrl}/?room=shop&phone=1`);
    await launcher(page).waitFor({ state: 'visible' });
    await launcher(page).tap();
    await panel(page).waitFor({ state: 'visible' });
    const p = (await panel(page).boundingBox())!;
    expect([p.x, p.y, p.width, p.height].map(Math.round)).to.deep.equal([0, 0, 390, 780]);
    const bar = (await page.locator('#switchboard-widget >> css=.bar').boundingBox())!;
    expect(Math.round(bar.height)).to.equal(64);
    await page.frameLocator('#switchboard-widget >> css=iframe').locator('#contact-form').waitFor();
    await page.screenshot({ path: repoPath('test-artifacts', 'widget-phone.png') });
    await page.locator('#switchboard-widget >> css=button.close').tap();
    await panel(page).waitFor({ state: 'hidden' });
    await page.close();
  });
});
