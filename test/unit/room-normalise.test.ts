import { expect } from 'chai';
import { mergeSettings, normaliseRoomSettings } from '../../src/core/room-normalise.js';
import { defaultRoomSettings, type RoomSettings } from '../../src/core/room-settings.js';
import { checkRoomSettings } from '../../src/http/room-schema.js';

/** What the chat loop stored before the admin API: the only shape older databases hold. */
const LEGACY = {
  name: 'Old room', strategy: 'quickest-reply', offerTimeoutSeconds: 45, reofferAfterSeconds: 20, agentLabel: 'Doctor',
  form: { name: { hidden: false, mandatory: true }, email: { hidden: true, mandatory: false }, message: { hidden: false, mandatory: false } },
};

describe('room settings: normaliseRoomSettings', () => {
  const defaults = defaultRoomSettings();

  const wholeDefaults: Array<[string, unknown]> = [
    ['undefined', undefined], ['null', null], ['a string', 'settings'], ['a number', 42], ['an array', [1, 2]], ['an empty object', {}],
  ];
  for (const [what, stored] of wholeDefaults) {
    it(`reads ${what} as the defaults`, () => expect(normaliseRoomSettings(stored)).to.deep.equal(defaults));
  }

  it('keeps what a legacy document says and fills the rest', () => {
    const s = normaliseRoomSettings(LEGACY);
    expect(s.name).to.equal('Old room');
    expect(s.offerTimeoutSeconds).to.equal(45);
    expect(s.reofferAfterSeconds).to.equal(20);
    expect(s.agentLabel).to.equal('Doctor');
    expect(s.ringLimit).to.equal(0);
    expect(s.hours).to.deep.equal(defaults.hours);
    expect(s.actions).to.deep.equal(defaults.actions);
    expect(s.form.theme).to.deep.equal(defaults.form.theme);
  });

  it('turns the legacy { name, email, message } rules into builder fields', () => {
    const fields = normaliseRoomSettings(LEGACY).form.fields;
    expect(fields.map((f) => [f.id, f.type, f.hidden, f.mandatory])).to.deep.equal([
      ['name', 'text', false, true], ['email', 'email', true, false], ['message', 'textarea', false, false],
    ]);
  });

  it('a legacy document, once read, passes the settings schema and rules', () => {
    expect(() => checkRoomSettings(normaliseRoomSettings(LEGACY))).not.to.throw();
    expect(() => checkRoomSettings(defaultRoomSettings())).not.to.throw();
  });

  const replaced: Array<[string, Record<string, unknown>, (s: RoomSettings) => unknown, unknown]> = [
    ['a number stored as text', { offerTimeoutSeconds: '45' }, (s) => s.offerTimeoutSeconds, 30],
    ['a boolean stored as text', { stickyAgent: 'yes' }, (s) => s.stickyAgent, false],
    ['a non-finite number', { ringLimit: Number.NaN }, (s) => s.ringLimit, 0],
    ['an unknown strategy', { strategy: 'nearest-first' }, (s) => s.strategy, 'quickest-reply'],
    ['an object where a string is due', { name: { en: 'x' } }, (s) => s.name, 'General'],
    ['a string where an object is due', { buttons: 'all' }, (s) => s.buttons, { chat: true, email: false, voice: false, video: false }],
    ['a nullable string set to a number', { publicProfile: { companyName: 3, contactEmail: 'a@b.io' } }, (s) => s.publicProfile, { companyName: null, contactEmail: 'a@b.io' }],
    ['one missing action button', { actions: { customer: { videoRecording: true } } }, (s) => [s.actions.customer.videoRecording, s.actions.customer.textChat, s.actions.agent.videoRecording], [true, true, false]],
  ];
  for (const [what, stored, pick, want] of replaced) {
    it(`replaces ${what} by its default`, () => expect(pick(normaliseRoomSettings(stored))).to.deep.equal(want));
  }

  it('drops keys it does not know, at any depth', () => {
    const s = normaliseRoomSettings({ colour: 'red', form: { theme: { accent: '#000' } } }) as unknown as Record<string, unknown>;
    expect(s).not.to.have.property('colour');
    expect((s.form as { theme: object }).theme).not.to.have.property('accent');
  });

  it('completes builder fields: placeholder, options only for choices, attachment limits; drops unreadable fields', () => {
    const s = normaliseRoomSettings({
      form: {
        fields: [
          { id: 'topic', type: 'select', label: 'Topic', order: 1, hidden: false, mandatory: true, options: ['A', 'B', 7] },
          { id: 'age', type: 'number', label: 'Age', order: 2, options: ['x'] },
          { id: 'files', type: 'attachment', label: 'Files', order: 3 },
          { id: 'bad', type: 'dropdown', label: 'Bad' },
          { type: 'text', label: 'No id' },
          'junk',
        ],
      },
    });
    expect(s.form.fields).to.deep.equal([
      { id: 'topic', type: 'select', label: 'Topic', order: 1, hidden: false, mandatory: true, placeholder: '', options: ['A', 'B'] },
      { id: 'age', type: 'number', label: 'Age', order: 2, hidden: false, mandatory: false, placeholder: '' },
      { id: 'files', type: 'attachment', label: 'Files', order: 3, hidden: false, mandatory: false, placeholder: '', accept: [], maxSizeBytes: 10 * 1024 * 1024 },
    ]);
  });

  it('keeps an empty field list (a form with no fields)', () => {
    expect(normaliseRoomSettings({ form: { fields: [] } }).form.fields).to.deep.equal([]);
  });

  it('keeps well-formed hours, drops malformed intervals and fills an exception\'s closed flag', () => {
    const s = normaliseRoomSettings({
      hours: {
        enabled: true, timeZone: 'Europe/Paris',
        weekly: { mon: [{ from: '08:00', to: '12:00' }, { from: 8 }], sun: 'closed' },
        exceptions: [{ date: '2026-12-25' }, { date: '2026-12-24', intervals: [{ from: '09:00', to: '12:00' }] }, { closed: true }],
      },
    });
    expect(s.hours.enabled).to.equal(true);
    expect(s.hours.timeZone).to.equal('Europe/Paris');
    expect(s.hours.weekly.mon).to.deep.equal([{ from: '08:00', to: '12:00' }]);
    expect(s.hours.weekly.tue).to.deep.equal([{ from: '09:00', to: '17:00' }]);
    expect(s.hours.weekly.sun).to.deep.equal([]);
    expect(s.hours.exceptions).to.deep.equal([
      { date: '2026-12-25', closed: true, intervals: [] },
      { date: '2026-12-24', closed: false, intervals: [{ from: '09:00', to: '12:00' }] },
    ]);
  });

  it('is idempotent and never shares objects with its input or the defaults', () => {
    const once = normaliseRoomSettings(LEGACY);
    expect(normaliseRoomSettings(once)).to.deep.equal(once);
    once.form.fields[0]!.label = 'changed';
    once.hours.weekly.mon.push({ from: '18:00', to: '19:00' });
    expect(defaultRoomSettings().form.fields[0]!.label).to.equal('Your name');
    expect(normaliseRoomSettings(LEGACY).hours.weekly.mon).to.have.length(1);
  });
});

describe('room settings: mergeSettings (PATCH)', () => {
  const cases: Array<[string, unknown, unknown, unknown]> = [
    ['merges objects key by key', { a: { x: 1, y: 2 }, b: 1 }, { a: { y: 3 } }, { a: { x: 1, y: 3 }, b: 1 }],
    ['replaces arrays whole', { list: [1, 2, 3] }, { list: [4] }, { list: [4] }],
    ['replaces an object by a scalar', { a: { x: 1 } }, { a: null }, { a: null }],
    ['replaces a scalar by an object', { a: 1 }, { a: { x: 1 } }, { a: { x: 1 } }],
    ['keeps keys the base lacks (the schema refuses them later)', { a: 1 }, { z: 2 }, { a: 1, z: 2 }],
    ['merges three levels down', { h: { w: { mon: [1], tue: [2] }, tz: 'UTC' } }, { h: { w: { tue: [] } } }, { h: { w: { mon: [1], tue: [] }, tz: 'UTC' } }],
    ['an empty patch changes nothing', { a: { b: 1 } }, {}, { a: { b: 1 } }],
  ];
  for (const [what, base, patch, want] of cases) {
    it(what, () => expect(mergeSettings(base, patch)).to.deep.equal(want));
  }

  it('does not modify the base or share the patch\'s arrays', () => {
    const base = { a: { x: [1] } };
    const patch = { a: { y: [2] } };
    const out = mergeSettings<unknown>(base, patch) as { a: { y: number[] } };
    out.a.y.push(3);
    expect(base).to.deep.equal({ a: { x: [1] } });
    expect(patch.a.y).to.deep.equal([2]);
  });

  it('ignores a __proto__ key', () => {
    const out = mergeSettings({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(out.polluted).to.equal(undefined);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});
