// The customer page renders a room's form-builder fields in Chromium: each
// type as its control, hidden ones left out, the room's header and colours,
// client-side checks, and the answers reaching the conversation.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { mergeSettings } from '../../src/core/room-normalise.js';
import { defaultRoomSettings } from '../../src/core/room-settings.js';
import { insertRoom } from '../../src/db/repos/rooms.js';
import { checkRoomSettings } from '../../src/http/room-schema.js';
import { repoPath } from '../../src/paths.js';
import { createServer, type Server } from 'node:http';
import { launchChromium } from '../support/browser.js';
import { adminApi } from '../support/admin-api.js';
import { freePort } from '../support/ports.js';
import { startStack, waitUntil, type Stack } from '../support/stack.js';

const field = (id: string, type: string, label: string, order: number, extra: object = {}) => ({ id, type, label, order, hidden: false, mandatory: false, ...extra });

describe('customer page: form-builder fields in Chromium', function () {
  this.timeout(90_000);
  let stack: Stack;
  let browser: Browser;
  before(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const settings = checkRoomSettings(mergeSettings(defaultRoomSettings(), {
      name: 'Clinic', agentLabel: 'Doctor',
      form: {
        theme: { primary: '#0f766e' }, header: 'Talk to a doctor', subHeader: 'Answers within minutes.',
        fields: [
          field('intro', 'label', 'A few questions first.', 0),
          field('name', 'text', 'Full name', 1, { mandatory: true, placeholder: 'Jane Doe' }),
          field('email', 'email', 'Email', 2, { hidden: true }),
          field('age', 'number', 'Age', 3),
          field('topic', 'select', 'Topic', 4, { mandatory: true, options: ['Allergy', 'Cold'] }),
          field('message', 'textarea', 'Symptoms', 5),
          field('terms', 'agreement', 'I accept the privacy notice', 6, { mandatory: true }),
        ],
      },
    }));
    await insertRoom(stack.sb.db, { slug: 'clinic', kind: 'public', settings });
  });
  let images: Server | undefined;
  after(async () => { await browser?.close(); images?.close(); await stack?.stop(); });

  it('renders each field type, checks them, and sends the answers', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${stack.cfg.publicUrl}/c/clinic`);
    await page.waitForSelector('#contact-form');

    expect(await page.textContent('h1')).to.equal('Talk to a doctor');
    expect(await page.textContent('.intro')).to.equal('Answers within minutes.');
    expect(await page.evaluate(() => document.documentElement.style.getPropertyValue('--accent'))).to.equal('#0f766e');
    expect(await page.isVisible('text=A few questions first.')).to.equal(true);
    expect(await page.getAttribute('input[name="name"]', 'placeholder')).to.equal('Jane Doe');
    expect(await page.getAttribute('input[name="age"]', 'type')).to.equal('number');
    expect(await page.$$eval('select[name="topic"] option', (os) => os.map((o) => (o as HTMLOptionElement).value))).to.deep.equal(['', 'Allergy', 'Cold']);
    expect(await page.$('textarea[name="message"]')).not.to.equal(null);
    expect(await page.getAttribute('input[name="terms"]', 'type')).to.equal('checkbox');
    expect(await page.$('[name="email"]')).to.equal(null);

    await page.fill('input[name="name"]', 'Pat Patient');
    await page.fill('input[name="age"]', '34');
    await page.click('#start');
    expect(await (await page.waitForSelector('.field-error[data-field="topic"]:not(:empty)')).textContent()).to.match(/required/i);
    expect(await (await page.waitForSelector('.field-error[data-field="terms"]:not(:empty)')).textContent()).to.match(/tick/i);
    expect(await page.isVisible('#chat')).to.equal(false);

    await page.selectOption('select[name="topic"]', 'Cold');
    await page.fill('textarea[name="message"]', 'Sneezing since Monday');
    await page.check('input[name="terms"]');
    mkdirSync(repoPath('test-artifacts'), { recursive: true });
    await page.screenshot({ path: repoPath('test-artifacts', 'room-form-builder.png'), fullPage: true });
    await page.click('#start');
    await page.waitForSelector('#chat', { state: 'visible' });

    let row: { customer_name: string; first_message: string; form: { fields: Record<string, unknown> } } | undefined;
    await waitUntil(async () => {
      row = (await stack.sb.db.query("SELECT customer_name, first_message, form FROM conversations WHERE customer_name = 'Pat Patient'")).rows[0];
      return row !== undefined;
    }, 10_000, 'the conversation');
    expect(row!.first_message).to.equal('Sneezing since Monday');
    expect(row!.form.fields).to.deep.equal({ age: 34, topic: 'Cold', terms: true });
    expect(errors, errors.join('\n')).to.deep.equal([]);
    await page.close();
  });

  it('radio and checkboxes, the room\'s order, logo and colours, a department choice, a hidden chat button with Email (a note), checks like the server\'s', async () => {
    // A logo from the company's own web server (another origin).
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const port = await freePort();
    images = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'image/png' }); res.end(png); });
    await new Promise<void>((resolve) => images!.listen(port, '127.0.0.1', resolve));
    const admin = await adminApi(stack);
    expect((await admin.call('PUT', '/api/v1/settings/routing', admin.admin, { departmentRouting: true })).status).to.equal(200);
    const billing = await admin.call<{ id: string }>('POST', '/api/v1/departments', admin.admin, { name: 'Billing' });
    expect(billing.status).to.equal(201);
    expect((await admin.call('POST', '/api/v1/departments', admin.admin, { name: 'Repairs' })).status).to.equal(201);
    const made = await admin.call('POST', '/api/v1/rooms', admin.admin, {
      slug: 'garage',
      settings: {
        name: 'Garage',
        buttons: { chat: false, email: true },
        form: {
          theme: { primary: '#b45309', primaryText: '#fffbeb', background: '#fef3c7', text: '#1c1917' }, logoUrl: `http://127.0.0.1:${port}/logo.png`,
          header: 'Garage help desk', subHeader: '',
          // Listed out of order on purpose: the page follows `order`.
          fields: [
            field('message', 'textarea', 'What happened?', 5, { mandatory: true }),
            field('email', 'email', 'Email', 2),
            field('name', 'text', 'Name', 1, { mandatory: true }),
            field('car', 'radio', 'Car type', 3, { mandatory: true, options: ['Petrol', 'Electric'] }),
            field('extras', 'checkboxes', 'Also check', 4, { options: ['Tyres', 'Brakes', 'Lights'] }),
            field('plate', 'text', 'Plate', 6, { hidden: true }),
            field('km', 'number', 'Mileage', 7),
          ],
        },
      },
    });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);

    const page = await browser.newPage({ viewport: { width: 900, height: 1100 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${stack.cfg.publicUrl}/c/garage`);
    await page.waitForSelector('#contact-form');
    // Order: by `order`, hidden left out, then the department choice.
    const order = await page.$$eval('#contact-form .field', (els) => els.map((e) => e.querySelector('[name]')?.getAttribute('name')));
    expect(order).to.deep.equal(['name', 'email', 'car', 'extras', 'message', 'km', 'departmentId']);
    expect(await page.$$eval('select[name="departmentId"] option', (os) => os.map((o) => o.textContent))).to.deep.equal(['Anyone can help me', 'Billing', 'Repairs']);
    expect(await page.$$eval('input[name="car"]', (is) => is.map((i) => [(i as HTMLInputElement).type, (i as HTMLInputElement).value]))).to.deep.equal([['radio', 'Petrol'], ['radio', 'Electric']]);
    expect(await page.$$eval('input[name="extras"]', (is) => is.map((i) => (i as HTMLInputElement).type))).to.deep.equal(['checkbox', 'checkbox', 'checkbox']);
    // The room's look: header, logo (loaded), the four colours.
    expect(await page.textContent('h1')).to.equal('Garage help desk');
    await page.waitForFunction(() => (document.querySelector('img.logo') as HTMLImageElement | null)?.naturalWidth === 1);
    const colours = await page.evaluate(() => ['--accent', '--accent-text', '--bg', '--text'].map((v) => document.documentElement.style.getPropertyValue(v)));
    expect(colours).to.deep.equal(['#b45309', '#fffbeb', '#fef3c7', '#1c1917']);
    // Buttons: chat hidden, Email shown.
    expect(await page.$('#start')).to.equal(null);
    expect(await page.isVisible('#leave-note')).to.equal(true);

    // The server's checks, in the browser: required radio, email shape, a number, a note needs an email.
    await page.fill('input[name="name"]', 'Gus Garage');
    await page.fill('input[name="email"]', 'not-an-email');
    await page.type('input[name="km"]', '12e');
    await page.click('#leave-note');
    expect(await (await page.waitForSelector('.field-error[data-field="car"]:not(:empty)')).textContent()).to.match(/required/i);
    expect(await page.textContent('.field-error[data-field="email"]')).to.match(/valid email/i);
    expect(await page.textContent('.field-error[data-field="km"]')).to.match(/number/i);
    expect(await page.textContent('.field-error[data-field="message"]')).to.match(/required/i);
    await page.fill('input[name="email"]', '');
    await page.fill('input[name="km"]', '120500');
    await page.check('input[name="car"][value="Electric"]');
    await page.check('input[name="extras"][value="Tyres"]');
    await page.check('input[name="extras"][value="Lights"]');
    await page.fill('textarea[name="message"]', 'Flat tyre');
    await page.selectOption('select[name="departmentId"]', { label: 'Repairs' });
    await page.click('#leave-note');
    expect(await (await page.waitForSelector('.field-error[data-field="email"]:not(:empty)')).textContent()).to.match(/email address to answer/i);
    await page.fill('input[name="email"]', 'gus@example.com');
    mkdirSync(repoPath('test-artifacts'), { recursive: true });
    await page.screenshot({ path: repoPath('test-artifacts', 'room-form-choices.png'), fullPage: true });
    await page.click('#leave-note');
    await page.waitForSelector('#note-sent');

    const row = (await stack.sb.db.query(`SELECT c.customer_name, c.customer_email, c.first_message, c.form, d.name AS department FROM conversations c
      LEFT JOIN departments d ON d.id = c.department_id WHERE c.customer_name = 'Gus Garage'`)).rows[0];
    expect(row.customer_email).to.equal('gus@example.com');
    expect(row.first_message).to.equal('Flat tyre');
    expect(row.department).to.equal('Repairs');
    expect(row.form.fields).to.deep.equal({ car: 'Electric', extras: ['Tyres', 'Lights'], km: 120500 });
    expect(billing.body.id).to.be.a('string');
    expect(errors, errors.join('\n')).to.deep.equal([]);
    await page.close();
  });
});
