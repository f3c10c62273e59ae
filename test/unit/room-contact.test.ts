// validateContact over every form-builder field type (the name/email/message
// rules of the original form are in contact-form.test.ts).
import { expect } from 'chai';
import { accepts, validateContact, type ContactInput } from '../../src/core/contact-form.js';
import { AppError } from '../../src/core/errors.js';
import { defaultRoomSettings, type FormField, type RoomSettings } from '../../src/core/room-settings.js';

const MB = 1024 * 1024;
const FIELDS: FormField[] = [
  { id: 'intro', type: 'label', label: 'Tell us about you', order: 0, hidden: false, mandatory: false },
  { id: 'name', type: 'text', label: 'Name', order: 1, hidden: false, mandatory: true },
  { id: 'email', type: 'email', label: 'Email', order: 2, hidden: false, mandatory: false },
  { id: 'age', type: 'number', label: 'Age', order: 3, hidden: false, mandatory: false },
  { id: 'topic', type: 'select', label: 'Topic', order: 4, hidden: false, mandatory: true, options: ['Billing', 'Delivery'] },
  { id: 'contact', type: 'radio', label: 'Call back by', order: 5, hidden: false, mandatory: false, options: ['Phone', 'Email'] },
  { id: 'products', type: 'checkboxes', label: 'Products', order: 6, hidden: false, mandatory: false, options: ['A', 'B', 'C'] },
  { id: 'terms', type: 'agreement', label: 'I accept the terms', order: 7, hidden: false, mandatory: true },
  { id: 'news', type: 'agreement', label: 'Newsletter', order: 8, hidden: false, mandatory: false },
  { id: 'files', type: 'attachment', label: 'Files', order: 9, hidden: false, mandatory: false, accept: ['.pdf', 'image/*'], maxSizeBytes: 2 * MB },
  { id: 'message', type: 'textarea', label: 'Message', order: 10, hidden: false, mandatory: false },
  { id: 'ref', type: 'text', label: 'Internal reference', order: 11, hidden: true, mandatory: false },
];
const room: RoomSettings = { ...defaultRoomSettings(), form: { ...defaultRoomSettings().form, fields: FIELDS } };
const OK: ContactInput = { name: 'Ada', topic: 'Billing', terms: true };
const file = (o: Partial<{ url: string; name: string; type: string; size: number }> = {}) => ({ url: 'https://up.example/f/1', name: 'a.pdf', type: 'application/pdf', size: 1000, ...o });

describe('contact form: builder fields', () => {
  const valid: Array<[string, ContactInput, Record<string, unknown>]> = [
    ['only the mandatory ones', {}, {}],
    ['a number', { age: 42 }, { age: 42 }],
    ['a number typed as text', { age: ' 42.5 ' }, { age: 42.5 }],
    ['a blank optional number', { age: '' }, {}],
    ['a radio option', { contact: 'Phone' }, { contact: 'Phone' }],
    ['ticked checkboxes', { products: ['C', 'A'] }, { products: ['C', 'A'] }],
    ['no ticked checkbox (optional)', { products: [] }, {}],
    ['an optional agreement left unticked', { news: false }, { news: false }],
    ['an optional agreement ticked', { news: true }, { news: true }],
    ['files of accepted types within the limit', { files: [file(), file({ name: 'p.PNG', type: 'image/png', size: 2 * MB })] },
      { files: [file(), file({ name: 'p.PNG', type: 'image/png', size: 2 * MB })] }],
    ['a value for a hidden field (ignored)', { ref: 'X-1' }, {}],
    ['a value for a label (ignored)', { intro: 'whatever' }, {}],
    ['nulls for optional fields', { email: null, age: null, contact: null }, {}],
  ];
  for (const [what, extra, fields] of valid) {
    it(`accepts ${what}`, () => {
      const out = validateContact(room, { ...OK, ...extra });
      expect(out.fields).to.deep.equal({ topic: 'Billing', terms: true, ...fields });
      expect(out.name).to.equal('Ada');
    });
  }

  const invalid: Array<[string, ContactInput, string, string]> = [
    ['a missing mandatory select', { topic: undefined }, 'topic', 'is required'],
    ['a blank mandatory select', { topic: '' }, 'topic', 'is required'],
    ['an option not in the list', { topic: 'Refunds' }, 'topic', 'must be one of "Billing", "Delivery"'],
    ['an option in another case', { topic: 'billing' }, 'topic', 'must be one of "Billing", "Delivery"'],
    ['a select answered with a list', { topic: ['Billing'] }, 'topic', 'must be a string'],
    ['a radio option not in the list', { contact: 'Fax' }, 'contact', 'must be one of "Phone", "Email"'],
    ['a checkbox not in the list', { products: ['A', 'Z'] }, 'products', '"Z" is not an option: must be one of "A", "B", "C"'],
    ['a checkbox ticked twice', { products: ['A', 'A'] }, 'products', 'ticks an option twice'],
    ['checkboxes as a string', { products: 'A' }, 'products', 'must be a list of the ticked options'],
    ['an agreement not ticked', { terms: false }, 'terms', 'must be ticked'],
    ['an agreement missing', { terms: undefined }, 'terms', 'must be ticked'],
    ['an agreement as text', { terms: 'yes' }, 'terms', 'must be true or false'],
    ['a number that is text', { age: 'forty' }, 'age', 'must be a number'],
    ['a number as a list', { age: [4] }, 'age', 'must be a number'],
    ['an email without a domain', { email: 'ada@' }, 'email', 'must be a valid email address'],
    ['a field the form does not have', { phone: '123' }, 'phone', 'is not a field of this form'],
    ['a file too large', { files: [file({ size: 2 * MB + 1 })] }, 'files', `a.pdf is larger than the limit of ${2 * MB} bytes`],
    ['a file of a refused type', { files: [file({ name: 'x.exe', type: 'application/octet-stream' })] }, 'files', 'x.exe: this field accepts only .pdf, image/*'],
    ['a file that is not an upload', { files: [{ name: 'a.pdf' }] }, 'files', 'each file must be { url, name, type, size } from an upload'],
    ['a file with a non-http URL', { files: [file({ url: 'javascript:alert(1)' })] }, 'files', 'each file must be { url, name, type, size } from an upload'],
    ['six files', { files: Array.from({ length: 6 }, () => file()) }, 'files', 'takes at most 5 files'],
    ['a text too long', { name: 'x'.repeat(101) }, 'name', 'must be at most 100 characters'],
    ['a textarea too long', { message: 'x'.repeat(2001) }, 'message', 'must be at most 2000 characters'],
    ['a NUL character', { message: 'a\u0000b' }, 'message', 'must not contain the NUL character (U+0000)'],
    ['half of a surrogate pair', { name: 'Ada \ud83d' }, 'name', 'must be valid Unicode (it holds half of a surrogate pair)'],
    ['a file name with a NUL', { files: [file({ name: 'a\u0000.pdf' })] }, 'files', 'each file must be { url, name, type, size } from an upload'],
  ];
  for (const [what, extra, field, why] of invalid) {
    it(`refuses ${what} → 400 naming "${field}"`, () => {
      let err: unknown;
      try { validateContact(room, { ...OK, ...extra }); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).field).to.equal(field);
      expect((err as AppError).message).to.equal(`${field}: ${why}`);
    });
  }

  it('reports the first bad field in form order, not in the order sent', () => {
    const err = (() => { try { validateContact(room, { terms: false, name: 'Ada', topic: 'Nope' }); } catch (e) { return e as AppError; } })();
    expect(err?.field).to.equal('topic');
  });

  it('orders by the fields\' order, not their place in the list', () => {
    const reversed = { ...room, form: { ...room.form, fields: [...FIELDS].reverse() } };
    const err = (() => { try { validateContact(reversed, { terms: false }); } catch (e) { return e as AppError; } })();
    expect(err?.field).to.equal('name');
  });

  it('maps name, email and message to the conversation and keeps the rest in fields', () => {
    const out = validateContact(room, { ...OK, email: 'ada@example.com', message: ' Hello ', age: 3 });
    expect(out).to.deep.equal({ name: 'Ada', email: 'ada@example.com', message: 'Hello', fields: { age: 3, topic: 'Billing', terms: true } });
  });

  it('a form without a name field names the customer "Customer"', () => {
    const noName = { ...room, form: { ...room.form, fields: FIELDS.filter((f) => f.id !== 'name') } };
    expect(validateContact(noName, { topic: 'Delivery', terms: true }).name).to.equal('Customer');
  });
});

describe('contact form: accepts (file type specifiers)', () => {
  const cases: Array<[string[], string, string, boolean]> = [
    [[], 'anything.bin', 'application/octet-stream', true],
    [['.pdf'], 'Report.PDF', 'application/pdf', true],
    [['.pdf'], 'report.pdf.exe', 'application/x-msdownload', false],
    [['image/*'], 'photo', 'image/jpeg', true],
    [['image/*'], 'photo.jpg', 'video/mp4', false],
    [['application/pdf'], 'x', 'application/pdf', true],
    [['application/pdf'], 'x.pdf', 'application/pdfx', false],
    [['.doc', '.docx'], 'cv.docx', '', true],
  ];
  for (const [accept, name, type, want] of cases) {
    it(`${JSON.stringify(accept)} ${want ? 'takes' : 'refuses'} ${name} (${type || 'no type'})`, () => expect(accepts(accept, { name, type })).to.equal(want));
  }
});
