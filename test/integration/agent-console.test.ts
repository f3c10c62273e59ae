// The agent web console (issue 6): Converse.js at /agent in Chromium against
// the real stack. An agent signs in with their XMPP account, is available,
// accepts an offer from the console (joining the conversation's MUC room claims
// it), and chats with a customer on @xmpp/client. Screenshots in test-artifacts/.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { repoPath } from '../../src/paths.js';
import { launchChromium } from '../support/browser.js';
import { customer, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { groupchat, isBody } from '../support/xmpp.js';

describe('agent console (Converse.js at /agent)', function () {
  this.timeout(150_000);
  let stack: Stack;
  let browser: Browser;
  before(async () => { stack = await startStack(); browser = await launchChromium(); });
  after(async () => { await browser?.close(); await stack?.stop(); });

  it('serves Converse.js configured for this server, and its assets', async () => {
    const html = await (await fetch(`${stack.cfg.publicUrl}/agent`)).text();
    const settings = JSON.parse(/<script type="application\/json" id="switchboard-agent">(.*?)<\/script>/s.exec(html)![1]!);
    expect(settings).to.deep.equal({ domain: stack.cfg.xmppDomain, mucDomain: stack.cfg.roomsDomain, deskJid: stack.cfg.deskDomain, websocketPath: '/xmpp-websocket', assetsPath: '/agent/assets/' });
    for (const [path, type] of [['/agent/assets/converse.min.js', 'text/javascript'], ['/agent/assets/converse.min.css', 'text/css'], ['/agent/console.js', 'text/javascript']]) {
      const res = await fetch(`${stack.cfg.publicUrl}${path}`);
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('content-type'), path).to.match(new RegExp(`^${type}`));
    }
    for (const bad of ['/agent/assets/..%2Fpackage.json', '/agent/assets/../../package.json', '/agent/assets/nothing.js']) {
      expect((await fetch(`${stack.cfg.publicUrl}${bad}`)).status, bad).to.equal(404);
    }
  });

  it('an agent signs in, accepts an offer from the console and chats with the customer', async () => {
    const local = `conan${process.pid}`;
    const { agent } = await stack.sb.agents.create({ name: 'Conan Console', jid: `${local}@${stack.cfg.xmppDomain}`, password: 'console-password' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${stack.cfg.publicUrl}/agent`);
    // Nothing loads from anywhere but this server.
    const elsewhere: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith(stack.cfg.publicUrl) && !r.url().startsWith('ws://127.0.0.1') && !/^(data|blob):/.test(r.url())) elsewhere.push(r.url()); });
    await page.fill('#converse-login-jid', local);
    await page.fill('#converse-login-password', 'console-password');
    await page.click('converse-login-form button[type="submit"]');
    // Signed in: the roster holds the desk contact, and the desk counts the agent available.
    await page.waitForSelector('text=Switchboard desk', { timeout: 60_000 });
    await untilAvailable(stack, agent.jid);
    mkdirSync(repoPath('test-artifacts'), { recursive: true });
    await page.screenshot({ path: repoPath('test-artifacts', 'agent-console-signed-in.png') });

    // A customer arrives; the offer shows in the console; the agent accepts it.
    const c = await customer(stack, { name: 'Cleo Customer', email: 'cleo@example.com', message: 'Help from the console please' });
    const accept = page.locator('.modal.show button.btn-primary, converse-confirm-modal button.btn-primary').first();
    await accept.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: repoPath('test-artifacts', 'agent-console-offer.png') });
    await accept.click();
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM conversations WHERE id = $1 AND status = 'active' AND agent_id = $2", [c.id, agent.id])).rowCount === 1, 30_000, 'claimed from the console');
    await c.client.waitFor((el) => el.is('presence') && el.attrs.from === `${c.roomJid}/${agent.nickname}` && el.attrs.type === undefined, 20_000, 'agent in the room');

    // The customer's first message is in the console; the agent answers from it.
    await page.waitForSelector('text=Help from the console please', { timeout: 30_000 });
    await c.client.send(groupchat(c.roomJid, 'Are you there?'));
    await page.waitForSelector('text=Are you there?', { timeout: 30_000 });
    const box = page.locator('converse-muc textarea.chat-textarea, textarea.chat-textarea').last();
    await box.fill('Yes, Conan here. How can I help?');
    await box.press('Enter');
    await c.client.waitFor(isBody(`${c.roomJid}/${agent.nickname}`, 'Yes, Conan here. How can I help?'), 20_000, 'answer from the console');
    await page.screenshot({ path: repoPath('test-artifacts', 'agent-console-chat.png') });
    expect(errors, errors.join('\n')).to.deep.equal([]);
    expect(elsewhere).to.deep.equal([]);
    await page.close();
  });
});
