// Verified identity (issue 6, seed 003) end to end: the company's page (another
// origin) signs the visitor's attributes with the room's secret on the widget's
// script tag; the agent's offer and the room's subject say "verified"; a tampered
// attribute or a rotated secret means not verified, and the chat still starts.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { signIdentity } from '../../src/core/identity.js';
import { repoPath } from '../../src/paths.js';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { launchChromium } from '../support/browser.js';
import { freePort } from '../support/ports.js';
import { onlineAgent, startStack, untilAvailable, type Stack } from '../support/stack.js';
import { isInvite, isSelfPresence, joinPresence } from '../support/xmpp.js';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

describe('verified identity from the company\'s site', function () {
  this.timeout(120_000);
  let stack: Stack;
  let browser: Browser;
  let admin: AdminApi;
  let host: Server;
  let hostUrl: string;
  /** What the host page puts on the script tag, per request path. */
  const pages = new Map<string, Record<string, string>>();

  before(async () => {
    stack = await startStack();
    browser = await launchChromium();
    admin = await adminApi(stack);
    const port = await freePort();
    host = createServer((req, res) => {
      const attrs = pages.get(req.url ?? '') ?? {};
      const extra = Object.entries(attrs).map(([k, v]) => ` data-identity-${k}="${escapeAttr(v)}"`).join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>My account</title><p>Signed in</p><script src="${stack.cfg.publicUrl}/widget.js" data-room="general"${extra} async></script>`);
    });
    await new Promise<void>((resolve) => host.listen(port, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${port}`;
  });
  after(async () => { await browser?.close(); host?.close(); await stack?.stop(); });

  async function secret(): Promise<string> {
    const r = await admin.call<{ secret: string }>('GET', '/api/v1/rooms/general/secret', admin.admin);
    expect(r.status).to.equal(200);
    return r.body.secret;
  }

  /** Opens the widget on the host page, starts a chat, returns the agent's offer text and the room's subject. */
  async function chatFrom(path: string, agentName: string, message: string): Promise<{ offer: string; subject: string }> {
    const agent = await onlineAgent(stack, agentName);
    await untilAvailable(stack, agent.jid);
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`${hostUrl}${path}`);
    await page.locator('#switchboard-widget >> css=button.launcher').click();
    const frame = page.frameLocator('#switchboard-widget >> css=iframe');
    await frame.locator('#contact-form').waitFor();
    const prefilled = await frame.locator('input[name="name"]').inputValue();
    if (!prefilled) await frame.locator('input[name="name"]').fill('Nobody Known');
    await frame.locator('[name="message"]').fill(message);
    await frame.locator('#start').click();
    await frame.locator('#chat').waitFor();
    const inv = await agent.client.waitFor(isInvite(), 20_000, 'offer');
    const roomJid = inv.attrs.from!;
    await agent.client.send(joinPresence(roomJid, agent.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await agent.client.waitFor(isSelfPresence(roomJid));
    const subject = await agent.client.waitFor((el) => el.attrs.from === roomJid && !!el.getChild('subject'), 10_000, 'subject');
    mkdirSync(repoPath('test-artifacts'), { recursive: true });
    await page.screenshot({ path: repoPath('test-artifacts', `verified-identity-${agentName.toLowerCase()}.png`) });
    await page.close();
    return { offer: inv.getChildText('body') ?? '', subject: subject.getChildText('subject') ?? '' };
  }

  const stored = async (message: string) => (await stack.sb.db.query('SELECT customer_name, verified_identity FROM conversations WHERE first_message = $1', [message])).rows[0];

  it('a good signature: the form is prefilled, the offer and the subject say verified, the conversation keeps the attributes', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const attrs = { id: 'cust-42', name: 'Vic Verified', email: 'vic@example.com', ts };
    pages.set('/good', { id: attrs.id, name: attrs.name, email: attrs.email, ts: String(ts), signature: signIdentity(await secret(), 'general', attrs) });
    const { offer, subject } = await chatFrom('/good', 'Vera', 'My order 1001');
    expect(offer).to.include("✔ verified by the company's site: Vic Verified <vic@example.com> id cust-42");
    expect(subject).to.equal('Chat with Vic Verified (verified)');
    const row = await stored('My order 1001');
    expect(row.customer_name).to.equal('Vic Verified');
    expect(row.verified_identity).to.deep.include({ id: 'cust-42', name: 'Vic Verified', email: 'vic@example.com' });
    // Administrators see it in the conversation view.
    const id = (await stack.sb.db.query("SELECT id FROM conversations WHERE first_message = 'My order 1001'")).rows[0].id;
    const view = await admin.call('GET', `/api/v1/conversations/${id}`, admin.admin);
    expect(view.body.conversation.verifiedIdentity).to.deep.include({ id: 'cust-42', email: 'vic@example.com' });
  });

  it('a tampered attribute: not verified, and the chat starts all the same', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const attrs = { id: 'cust-7', name: 'Tess Tampered', email: 'tess@example.com', ts };
    const signature = signIdentity(await secret(), 'general', attrs);
    pages.set('/tampered', { id: 'cust-1', name: attrs.name, email: attrs.email, ts: String(ts), signature });
    const { offer, subject } = await chatFrom('/tampered', 'Walt', 'Tampered hello');
    expect(offer).not.to.include('verified');
    expect(subject).to.equal('Chat with Tess Tampered');
    expect((await stored('Tampered hello')).verified_identity).to.equal(null);
  });

  it('rotating the room\'s secret (administrators only) stops trusting what the old one signed', async () => {
    const old = await secret();
    const rotated = await admin.call<{ secret: string }>('POST', '/api/v1/rooms/general/secret', admin.admin);
    expect(rotated.status).to.equal(200);
    expect(rotated.body.secret).to.match(/^[0-9a-f]{64}$/).and.not.equal(old);
    expect(await secret()).to.equal(rotated.body.secret);
    const normal = await admin.operator('Nora');
    expect((await admin.call('GET', '/api/v1/rooms/general/secret', normal.token)).status).to.equal(403);
    expect((await admin.call('POST', '/api/v1/rooms/general/secret', normal.token)).status).to.equal(403);
    const audit = await admin.audit('room', (await stack.sb.db.query("SELECT id FROM rooms WHERE slug = 'general'")).rows[0].id);
    expect(JSON.stringify(audit[0])).not.to.include(rotated.body.secret);

    const ts = Math.floor(Date.now() / 1000);
    const attrs = { name: 'Olga Old', email: 'olga@example.com', ts };
    const post = async (signWith: string, message: string) => {
      const res = await fetch(`${stack.cfg.publicUrl}/api/v1/rooms/general/conversations`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Olga Old', message, identity: { ...attrs, signature: signIdentity(signWith, 'general', attrs) } }),
      });
      expect(res.status).to.equal(201);
    };
    await post(old, 'signed with the old secret');
    await post(rotated.body.secret, 'signed with the new secret');
    expect((await stored('signed with the old secret')).verified_identity).to.equal(null);
    expect((await stored('signed with the new secret')).verified_identity).to.deep.include({ name: 'Olga Old' });
    // Garbage in the identity key is no error either.
    const junk = await fetch(`${stack.cfg.publicUrl}/api/v1/rooms/general/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'J', message: 'junk identity', identity: 'nonsense' }) });
    expect(junk.status).to.equal(201);
  });
});
