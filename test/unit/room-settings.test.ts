// Room settings checked whole: the JSON schema (schemas/http/room-settings.json)
// and the rules it cannot express, each refusal naming the setting's path.
import { expect } from 'chai';
import { AppError } from '../../src/core/errors.js';
import { mergeSettings } from '../../src/core/room-normalise.js';
import { defaultRoomSettings, FIELD_TYPES } from '../../src/core/room-settings.js';
import { embedCode, roomLinks } from '../../src/core/room-links.js';
import { STRATEGIES } from '../../src/core/strategies/index.js';
import { checkRoomSettings, completeSchema, partialSchema } from '../../src/http/room-schema.js';

const base = defaultRoomSettings();
const withFields = (...extra: object[]) => ({ form: { fields: [...base.form.fields, ...extra] } });
const select = { id: 'topic', type: 'select', label: 'Topic', order: 4, hidden: false, mandatory: false, options: ['A'] };

function refusal(patch: object, prefix = ''): AppError {
  try { checkRoomSettings(mergeSettings(defaultRoomSettings(), patch), prefix); } catch (e) { return e as AppError; }
  throw new Error('expected a refusal');
}

describe('room settings: checkRoomSettings', () => {
  const cases: Array<[string, object, string, RegExp]> = [
    ['a colour that is a word', { form: { theme: { primary: 'red' } } }, 'form.theme.primary', /must be a colour like #1a2b3c/],
    ['a colour without #', { form: { theme: { text: '111827' } } }, 'form.theme.text', /colour/],
    ['an unknown time zone', { hours: { timeZone: 'Mars/Olympus' } }, 'hours.timeZone', /not an IANA time zone/],
    ['a time of 25:00', { hours: { weekly: { mon: [{ from: '25:00', to: '26:00' }] } } }, 'hours.weekly.mon.0.from', /HH:MM/],
    ['an unknown field type', withFields({ ...select, type: 'dropdown' }), 'form.fields.3.type', new RegExp(`must be one of ${FIELD_TYPES.join(', ')}`)],
    ['two fields with one id', withFields({ ...select, id: 'email' }), 'form.fields.3.id', /"email" is already the id of form.fields.1/],
    ['a hidden mandatory field', { form: { fields: base.form.fields.map((f) => (f.id === 'email' ? { ...f, hidden: true, mandatory: true } : f)) } }, 'form.fields.1.mandatory', /hidden field "email" cannot be mandatory/],
    ['a mandatory label', withFields({ id: 'note', type: 'label', label: 'Hi', order: 0, hidden: false, mandatory: true }), 'form.fields.3.mandatory', /label/],
    ['a select without options', withFields({ ...select, options: undefined }), 'form.fields.3.options', /needs at least one option/],
    ['a select with an empty option list', withFields({ ...select, options: [] }), 'form.fields.3.options', /fewer than 1|at least/],
    ['a select with the same option twice', withFields({ ...select, options: ['A', 'A'] }), 'form.fields.3.options', /duplicate/],
    ['options on a text field', withFields({ ...select, type: 'text' }), 'form.fields.3.options', /only select, radio and checkboxes/],
    ['accepted types on a select', withFields({ ...select, accept: ['.pdf'] }), 'form.fields.3.accept', /only attachment/],
    ['a size limit over 10 MB', withFields({ id: 'f', type: 'attachment', label: 'F', order: 5, hidden: false, mandatory: false, maxSizeBytes: 10485761 }), 'form.fields.3.maxSizeBytes', /10485760/],
    ['a bad file type specifier', withFields({ id: 'f', type: 'attachment', label: 'F', order: 5, hidden: false, mandatory: false, accept: ['pdf'] }), 'form.fields.3.accept.0', /pattern|must/],
    ['the email field as text', { form: { fields: base.form.fields.map((f) => (f.id === 'email' ? { ...f, type: 'text' } : f)) } }, 'form.fields.1.type', /"email" must be of type email/],
    ['a field id with capitals', withFields({ ...select, id: 'Topic' }), 'form.fields.3.id', /lowercase letter/],
    ['a field without a label', withFields({ ...select, label: undefined }), 'form.fields.3.label', /is required/],
    ['an unknown key in a field', withFields({ ...select, colour: 'red' }), 'form.fields.3.colour', /is not a known setting/],
    ['an unknown setting', { colour: 'red' }, 'colour', /is not a known setting/],
    ['an unknown strategy', { strategy: 'nearest-first' }, 'strategy', /must be one of quickest-reply/],
    ['a negative ring limit', { ringLimit: -1 }, 'ringLimit', />= 0/],
    ['a fractional offer timeout', { offerTimeoutSeconds: 7.5 }, 'offerTimeoutSeconds', /integer/],
    ['a blank name', { name: '   ' }, 'name', /must not be blank/],
    ['a logo over ftp', { form: { logoUrl: 'ftp://example.com/logo.png' } }, 'form.logoUrl', /http/],
    ['a contact email that is not one', { publicProfile: { contactEmail: 'nobody' } }, 'publicProfile.contactEmail', /email address/],
    ['every button hidden', { buttons: { chat: false, email: false, voice: false, video: false } }, 'buttons', /at least one button/],
    ['a widget in the middle', { widget: { position: 'middle' } }, 'widget.position', /bottom-right/],
    ['an action button that is text', { actions: { agent: { videoRecording: 'on' } } }, 'actions.agent.videoRecording', /boolean/],
    ['a NUL character in a label', withFields({ ...select, label: 'To\u0000pic' }), 'form.fields.3.label', /NUL character/],
    ['half a surrogate pair in an option', withFields({ ...select, options: ['\udc00'] }), 'form.fields.3.options.0', /valid Unicode/],
    ['closed exception with intervals', { hours: { exceptions: [{ date: '2026-12-25', closed: true, intervals: [{ from: '09:00', to: '10:00' }] }] } }, 'hours.exceptions.0.intervals', /closed day/],
  ];
  for (const [what, patch, field, message] of cases) {
    it(`refuses ${what} → ${field}`, () => {
      const e = refusal(patch);
      expect(e).to.be.instanceOf(AppError);
      expect(e.code).to.equal('invalid');
      expect(e.field).to.equal(field);
      expect(e.message).to.match(message);
      expect(e.message.startsWith(`${field}: `), e.message).to.equal(true);
    });
  }

  it('prefixes the path when the settings sit inside a body', () => {
    expect(refusal({ ringLimit: -1 }, 'settings').field).to.equal('settings.ringLimit');
  });

  it('accepts every field type with what it needs, and fills optional parts', () => {
    const fields = FIELD_TYPES.map((type, i) => ({
      id: `f${i}`, type, label: type, order: i, hidden: false, mandatory: false,
      ...(['select', 'radio', 'checkboxes'].includes(type) ? { options: ['x', 'y'] } : {}),
    }));
    const s = checkRoomSettings(mergeSettings(defaultRoomSettings(), { form: { fields } }));
    expect(s.form.fields.map((f) => f.type)).to.deep.equal([...FIELD_TYPES]);
    expect(s.form.fields.find((f) => f.type === 'attachment')?.maxSizeBytes).to.equal(10 * 1024 * 1024);
    expect(s.form.fields.every((f) => f.placeholder === '')).to.equal(true);
  });

  it('accepts hours with exceptions and a time zone', () => {
    const s = checkRoomSettings(mergeSettings(defaultRoomSettings(), { hours: { enabled: true, timeZone: 'Europe/Paris', exceptions: [{ date: '2026-12-25', closed: true }] } }));
    expect(s.hours.exceptions).to.deep.equal([{ date: '2026-12-25', closed: true, intervals: [] }]);
  });
});

describe('room settings: schema plumbing', () => {
  it('fills the strategy names from the strategies map', () => {
    expect(completeSchema({ $id: 'RoutingStrategy', type: 'string' })).to.deep.equal({ $id: 'RoutingStrategy', type: 'string', enum: Object.keys(STRATEGIES) });
    expect(completeSchema({ $id: 'Other' })).to.deep.equal({ $id: 'Other' });
  });

  it('a PATCH schema requires nothing in objects but keeps array items whole', () => {
    const p = partialSchema('RoomSettings') as { required?: unknown; properties: Record<string, { required?: unknown; properties?: Record<string, { items?: unknown; required?: unknown }> }> };
    expect(p.required).to.equal(undefined);
    expect(p.properties.form!.required).to.equal(undefined);
    expect(p.properties.hours!.properties!.weekly!.required).to.equal(undefined);
    expect(p.properties.actions!.properties!.agent!.required).to.equal(undefined);
    expect(p.properties.form!.properties!.fields!.items).to.deep.equal({ $ref: 'RoomFormField#' });
  });
});

describe('room links and embed code', () => {
  it('builds the contact-form, voice and video URLs', () => {
    expect(roomLinks('https://chat.example.com/', 'agent-bob')).to.deep.equal({
      contactForm: 'https://chat.example.com/c/agent-bob', voice: 'https://chat.example.com/c/agent-bob?start=voice', video: 'https://chat.example.com/c/agent-bob?start=video',
    });
  });

  it('writes the widget line naming the room only (widget.js reads position and size live)', () => {
    const e = embedCode('https://chat.example.com', 'sales', { position: 'bottom-left', width: 400, height: 600, mobileMoreOptionsHeight: 56 });
    expect(e.html).to.equal('<script src="https://chat.example.com/widget.js" data-room="sales" async></script>');
    expect(e.scriptUrl).to.equal('https://chat.example.com/widget.js');
    expect(e.attributes['data-room']).to.equal('sales');
  });

  it('escapes what it writes into attributes', () => {
    expect(embedCode('https://x.example/"><b', 's', base.widget).html).to.include('src="https://x.example/&quot;&gt;&lt;b/widget.js"');
  });
});
