import { expect } from 'chai';
import { customerNick, validateContact, type ContactInput } from '../../src/core/contact-form.js';
import { AppError } from '../../src/core/errors.js';
import { defaultRoomSettings, type RoomSettings } from '../../src/core/room-settings.js';

type Field = 'name' | 'email' | 'message';
interface FieldRule { hidden: boolean; mandatory: boolean }
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const OPTIONAL: FieldRule = { hidden: false, mandatory: false };
const MANDATORY: FieldRule = { hidden: false, mandatory: true };
const HIDDEN: FieldRule = { hidden: true, mandatory: false };
const HIDDEN_MANDATORY: FieldRule = { hidden: true, mandatory: true };

/** Room settings (the default form: name, email, message) with every field optional, except the given rules. */
function room(rules: Partial<Record<Field, FieldRule>> = {}): RoomSettings {
  const s = defaultRoomSettings();
  return { ...s, form: { ...s.form, fields: s.form.fields.map((f) => ({ ...f, ...OPTIONAL, ...rules[f.id as Field] })) } };
}

function expectInvalid(settings: RoomSettings, input: ContactInput, field: Field, why: string): void {
  let err: unknown;
  try { validateContact(settings, input); } catch (e) { err = e; }
  expect(err, 'expected an AppError').to.be.instanceOf(AppError);
  const e = err as AppError;
  expect(e.code).to.equal('invalid');
  expect(e.field).to.equal(field);
  expect(e.message).to.equal(`${field}: ${why}`);
}

describe('contact form: validateContact', () => {
  describe('hidden / mandatory combinations', () => {
    const cases: Array<{ what: string; rule: FieldRule; input: unknown; want: string | null | 'required' }> = [
      { what: 'optional, given', rule: OPTIONAL, input: 'x@y.io', want: 'x@y.io' },
      { what: 'optional, missing', rule: OPTIONAL, input: undefined, want: null },
      { what: 'optional, null', rule: OPTIONAL, input: null, want: null },
      { what: 'optional, blank', rule: OPTIONAL, input: '   ', want: null },
      { what: 'mandatory, given', rule: MANDATORY, input: 'x@y.io', want: 'x@y.io' },
      { what: 'mandatory, missing', rule: MANDATORY, input: undefined, want: 'required' },
      { what: 'mandatory, null', rule: MANDATORY, input: null, want: 'required' },
      { what: 'mandatory, empty', rule: MANDATORY, input: '', want: 'required' },
      { what: 'mandatory, blank', rule: MANDATORY, input: ' \t\n ', want: 'required' },
      { what: 'hidden, given', rule: HIDDEN, input: 'x@y.io', want: null },
      { what: 'hidden, junk', rule: HIDDEN, input: 42, want: null },
      { what: 'hidden and mandatory, missing', rule: HIDDEN_MANDATORY, input: undefined, want: null },
      { what: 'hidden and mandatory, given', rule: HIDDEN_MANDATORY, input: 'x@y.io', want: null },
    ];
    for (const field of ['name', 'email', 'message'] as const) {
      for (const c of cases) {
        it(`${field}: ${c.what} → ${c.want === 'required' ? 'is required' : JSON.stringify(c.want)}`, () => {
          const settings = room({ [field]: c.rule });
          const input = { [field]: c.input } as ContactInput;
          if (c.want === 'required') return expectInvalid(settings, input, field, 'is required');
          const out = validateContact(settings, input);
          const expected = field === 'name' && c.want === null ? 'Customer' : c.want;
          expect(out[field]).to.equal(expected);
        });
      }
    }
  });

  it('accepts the default room form with name and message', () => {
    const out = validateContact(defaultRoomSettings(), { name: 'Ada', message: 'Hello' });
    expect(out).to.deep.equal({ name: 'Ada', email: null, message: 'Hello', fields: {} });
  });

  it('requires the name and message in the default room form', () => {
    expectInvalid(defaultRoomSettings(), { message: 'Hello' }, 'name', 'is required');
    expectInvalid(defaultRoomSettings(), { name: 'Ada' }, 'message', 'is required');
  });

  it('reports the first bad field in form order (name, email, message)', () => {
    const s = room({ name: MANDATORY, message: MANDATORY });
    expectInvalid(s, { email: 'bad' }, 'name', 'is required');
    expectInvalid(s, { name: 'Ada', email: 'bad' }, 'email', 'must be a valid email address');
  });

  it('trims every field', () => {
    const out = validateContact(room(), { name: '  Ada Lovelace \n', email: '\tada@example.com ', message: '  hi there  ' });
    expect(out).to.deep.equal({ name: 'Ada Lovelace', email: 'ada@example.com', message: 'hi there', fields: {} });
  });

  it('keeps inner whitespace and line breaks of the message', () => {
    expect(validateContact(room(), { message: 'line 1\n\nline  2' }).message).to.equal('line 1\n\nline  2');
  });

  describe('length limits (after trimming)', () => {
    const limits: Array<[Field, number, (n: number) => string]> = [
      ['name', 100, (n) => 'a'.repeat(n)],
      ['email', 254, (n) => 'a'.repeat(n - '@example.com'.length) + '@example.com'],
      ['message', 2000, (n) => 'm'.repeat(n)],
    ];
    for (const [field, max, make] of limits) {
      it(`${field}: accepts ${max} characters`, () => {
        const v = make(max);
        expect(v).to.have.length(max);
        expect(validateContact(room(), { [field]: v })[field]).to.equal(v);
      });
      it(`${field}: rejects ${max + 1} characters`, () => {
        expectInvalid(room(), { [field]: make(max + 1) }, field, `must be at most ${max} characters`);
      });
      it(`${field}: does not count surrounding spaces`, () => {
        const v = make(max);
        expect(validateContact(room(), { [field]: `   ${v}   ` })[field]).to.equal(v);
      });
    }
  });

  describe('email format', () => {
    for (const ok of ['a@b.co', 'first.last+tag@sub.example.org', 'x_y@mail.example.museum']) {
      it(`accepts ${ok}`, () => expect(validateContact(room(), { email: ok }).email).to.equal(ok));
    }
    for (const bad of ['plain', 'a@b', '@example.com', 'a@.', 'a b@example.com', 'a@exa mple.com', 'a@@example.com', 'a@example.']) {
      it(`rejects ${JSON.stringify(bad)}`, () => expectInvalid(room(), { email: bad }, 'email', 'must be a valid email address'));
    }
    it('checks the format of an optional email only when given', () => {
      expect(validateContact(room({ email: OPTIONAL }), { email: '' }).email).to.equal(null);
    });
  });

  describe('non-string values', () => {
    const values: Array<[string, unknown]> = [['a number', 42], ['a boolean', true], ['an array', ['a']], ['an object', { v: 'a' }]];
    for (const field of ['name', 'email', 'message'] as const) {
      for (const [what, v] of values) {
        it(`${field}: rejects ${what}`, () => expectInvalid(room(), { [field]: v } as ContactInput, field, 'must be a string'));
      }
    }
  });
});

describe('contact form: customerNick', () => {
  const cases: Array<[string, string, string]> = [
    ['a plain name', 'Ada Lovelace', 'Ada Lovelace'],
    ['surrounding spaces', '  Ada  ', 'Ada'],
    ['runs of spaces', 'Ada    \u00a0 Lovelace', 'Ada Lovelace'],
    ['slashes and at signs', 'ada@example.com/home', 'adaexample.comhome'],
    ['control characters', 'A\u0000d\u0007a\u001b', 'Ada'],
    ['format characters', 'A\u200bd\u200ea\ufeff', 'Ada'],
    ['an empty name', '', 'Customer'],
    ['only spaces', '   ', 'Customer'],
    ['only removed characters', '/@\u0000\u200b', 'Customer'],
    ['non-Latin letters', 'Zoë 李', 'Zoë 李'],
  ];
  for (const [what, input, want] of cases) {
    it(`handles ${what}`, () => expect(customerNick(input)).to.equal(want));
  }

  it('keeps at most 40 characters', () => {
    expect(customerNick('x'.repeat(100))).to.equal('x'.repeat(40));
    expect(customerNick('y'.repeat(40))).to.equal('y'.repeat(40));
  });

  it('counts the limit after cleaning', () => {
    expect(customerNick('/'.repeat(10) + 'z'.repeat(40))).to.equal('z'.repeat(40));
  });

  it('never ends with a space after cutting to 40 characters', () => {
    const nick = customerNick('a'.repeat(39) + ' bcdef');
    expect(nick).to.have.length.at.most(40);
    expect(nick).to.equal(nick.trim());
  });

  it('never cuts a character in half (no lone surrogate)', () => {
    // BUG: slice(0, 40) counts UTF-16 code units, so an emoji at position 40 leaves a lone high surrogate.
    const nick = customerNick('a'.repeat(39) + '😀 more');
    expect(nick).to.have.length.at.most(40);
    expect(nick).not.to.match(LONE_SURROGATE);
  });
});
