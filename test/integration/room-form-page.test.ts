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
import { launchChromium } from '../support/browser.js';
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
  after(async () => { await browser?.close(); await stack?.stop(); });

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
});
