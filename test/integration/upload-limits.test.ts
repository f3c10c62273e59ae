// A room's attachment limits held by the server, not only by the page (issue
// 6): slots asked of Prosody's XEP-0363 service directly by @xmpp/client, files
// PUT to the slot URL on our origin. A customer's file over the room's size or
// of a type it does not take is refused with the limit in words; agents answer
// to the service's limit only; a guest in no conversation may not upload; more
// than five files in one message are refused by the room. Then in Chromium:
// limits lowered while the page is open — the page shows the server's words.
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { EmbeddedProsody } from '../../src/supervisor/prosody.js';
import { adminApi } from '../support/admin-api.js';
import { launchChromium } from '../support/browser.js';
import { customer, onlineAgent, type Stack } from '../support/stack.js';
import { uploadStack } from '../support/upload-stack.js';
import { TestClient, xml } from '../support/xmpp.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mP8z8DwnwEIGBkZGRgYGAAqAgP9Ku3ZOAAAAABJRU5ErkJggg==', 'base64');
const NS_UPLOAD = 'urn:xmpp:http:upload:0';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

interface Slot { put: string; get: string; headers: Record<string, string> }

describe('room attachment limits held by the server (XEP-0363 slot, PUT through our origin)', function () {
  this.timeout(150_000);
  let stack: Stack;
  let prosody: EmbeddedProsody;
  let dir: string;
  let browser: Browser | undefined;
  let admin: Awaited<ReturnType<typeof adminApi>>;
  const fields = (maxSizeBytes: number) => ({ form: { fields: [
    { id: 'name', type: 'text', label: 'Name', order: 1, hidden: false, mandatory: true },
    { id: 'message', type: 'textarea', label: 'Message', order: 2, hidden: false, mandatory: false },
    { id: 'files', type: 'attachment', label: 'Files', order: 3, hidden: true, mandatory: false, accept: ['image/*', '.pdf'], maxSizeBytes },
  ] } });
  before(async () => {
    ({ stack, prosody, dir } = await uploadStack());
    admin = await adminApi(stack);
    const r = await admin.call('PATCH', '/api/v1/rooms/general', admin.admin, fields(2048));
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
    await prosody?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** XEP-0363 §4: a slot for this file, straight from the upload service. */
  async function slot(c: TestClient, f: { name: string; size: number; type: string }): Promise<Slot> {
    const res = await c.xmpp.iqCaller.request(xml('iq', { type: 'get', to: `upload.${stack.cfg.xmppDomain}` },
      xml('request', { xmlns: NS_UPLOAD, filename: f.name, size: String(f.size), 'content-type': f.type })));
    const s = res.getChild('slot', NS_UPLOAD)!;
    const put = s.getChild('put')!;
    return { put: put.attrs.url!, get: s.getChild('get')!.attrs.url!, headers: Object.fromEntries(put.getChildren('header').map((h) => [h.attrs.name!, h.getText()])) };
  }
  async function put(s: Slot, body: Buffer, type: string, headers = s.headers): Promise<{ status: number; message?: string }> {
    const res = await fetch(s.put, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': type, ...headers } });
    const text = await res.text();
    let message: string | undefined;
    try { message = (JSON.parse(text) as { message?: string }).message; } catch { /* Prosody's own answers are not JSON */ }
    return { status: res.status, message };
  }

  it("refuses a customer's file over the room's size or of another type, with the limit; takes the rest", async () => {
    const cust = await customer(stack, { name: 'Uma Upload', message: 'I have files' });

    const big = Buffer.alloc(4096, 1);
    const bigSlot = await slot(cust.client, { name: 'big.png', size: big.length, type: 'image/png' }); // under the service's 10 MB
    expect(await put(bigSlot, big, 'image/png')).to.deep.equal({ status: 413, message: 'big.png is too large: this chat accepts files up to 2 kB.' });
    expect((await fetch(bigSlot.get)).status).to.equal(410); // the slot, never filled

    const txt = Buffer.from('plain words');
    const txtSlot = await slot(cust.client, { name: 'notes.txt', size: txt.length, type: 'text/plain' });
    expect(await put(txtSlot, txt, 'text/plain')).to.deep.equal({ status: 415, message: 'notes.txt cannot be sent here: this chat accepts only image/*, .pdf.' });
    expect((await fetch(txtSlot.get)).status).to.equal(410);

    // Claims altered to pass the gate: the token no longer verifies, Prosody says no.
    const [h, payload, sig] = txtSlot.headers.Authorization!.replace(/^Bearer /, '').split('.');
    const forged = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), filetype: 'image/png', filename: 'notes.png' };
    const altered = `Bearer ${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}`;
    expect((await put(txtSlot, txt, 'image/png', { Authorization: altered })).status).to.equal(401);

    // Within the limits: an image, and a PDF known by its name.
    const pngSlot = await slot(cust.client, { name: 'photo.png', size: PNG.length, type: 'image/png' });
    expect((await put(pngSlot, PNG, 'image/png')).status).to.equal(201);
    expect(Buffer.from(await (await fetch(pngSlot.get)).arrayBuffer()).equals(PNG)).to.equal(true);
    const pdf = Buffer.from('%PDF-1.4\n% tiny\n');
    const pdfSlot = await slot(cust.client, { name: 'invoice.pdf', size: pdf.length, type: 'application/octet-stream' });
    expect((await put(pdfSlot, pdf, 'application/octet-stream')).status).to.equal(201);

    // Agents answer to the upload service's limit only.
    const agent = await onlineAgent(stack, 'Ulla');
    const agentSlot = await slot(agent.client, { name: 'report.txt', size: big.length, type: 'text/plain' });
    expect((await put(agentSlot, big, 'text/plain')).status).to.equal(201);

    // A guest in no conversation has no room whose files these would be.
    const stranger = await TestClient.guest({ url: `ws://127.0.0.1:${stack.cfg.httpPort}/xmpp-websocket`, domain: stack.cfg.guestDomain });
    stack.clients.push(stranger);
    const strangerSlot = await slot(stranger, { name: 'photo.png', size: PNG.length, type: 'image/png' });
    expect(await put(strangerSlot, PNG, 'image/png')).to.deep.equal({ status: 403, message: 'Files can only be sent from a conversation you are in; join it first.' });

    // At most five files in one message (XEP-0066 out-of-band data, one per file).
    const oob = (n: number, id: string) => xml('message', { to: cust.roomJid, type: 'groupchat', id },
      xml('body', {}, pngSlot.get), ...Array.from({ length: n }, () => xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, pngSlot.get))));
    await cust.client.send(oob(6, 'six-files'));
    const err = await cust.client.waitFor((el) => el.is('message') && el.attrs.type === 'error' && el.attrs.id === 'six-files', 10_000, 'six files refused');
    expect(err.getChild('error')!.getChild('policy-violation', NS_STANZAS)).to.not.equal(undefined);
    expect(err.getChild('error')!.getChildText('text', NS_STANZAS)).to.equal('At most 5 files can be sent in one message.');
    await cust.client.send(oob(1, 'one-file'));
    await cust.client.waitFor((el) => el.is('message') && el.attrs.type === 'groupchat' && el.attrs.id === 'one-file', 10_000, 'one file reflected');
    const stored = (await stack.sb.db.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND body = $2', [cust.id, pngSlot.get])).rows[0].n;
    expect(stored).to.equal(1);
  });

  it('limits lowered while the page is open: the page shows the server\'s refusal', async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${stack.cfg.publicUrl}/c/general`);
    await page.fill('input[name="name"]', 'Lowered Limit');
    await page.click('#start');
    await page.waitForSelector('#chat', { state: 'visible' });
    await page.waitForFunction(() => /Waiting/i.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 20_000 });
    // The page loaded 2 kB; the room now takes 1 kB.
    const r = await admin.call('PATCH', '/api/v1/rooms/general', admin.admin, fields(1024));
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    await page.setInputFiles('#attach-input', [{ name: 'middle.png', mimeType: 'image/png', buffer: Buffer.alloc(1500, 2) }]);
    expect(await page.textContent('#attach-error')).to.equal('');
    await page.click('#send');
    await page.waitForSelector('#log li.notice:has-text("middle.png is too large: this chat accepts files up to 1 kB.")', { timeout: 20_000 });
    expect(await page.$$('#log li.msg.customer')).to.have.length(0);
    expect(errors, errors.join('\n')).to.deep.equal([]);
    await page.close();
    await admin.call('PATCH', '/api/v1/rooms/general', admin.admin, fields(2048));
  });
});
