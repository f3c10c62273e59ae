import { expect } from 'chai';
import { hoursProblem, isOpen, isTimeZone, wallClock } from '../../src/core/room-hours.js';
import { defaultHours, type HoursException, type Interval, type Weekday, type WorkingHours } from '../../src/core/room-settings.js';

const at = (iso: string) => Date.parse(iso);
const NINE_TO_FIVE: Interval[] = [{ from: '09:00', to: '17:00' }];

/** Hours switched on: Monday to Friday 09:00–17:00 unless `weekly` says otherwise. */
function hours(timeZone: string, weekly: Partial<Record<Weekday, Interval[]>> = {}, exceptions: HoursException[] = []): WorkingHours {
  const d = defaultHours();
  return { enabled: true, timeZone, weekly: { ...d.weekly, ...weekly }, exceptions };
}

describe('room hours: isOpen', () => {
  // 2026-01-05 is a Monday, 2026-01-10 a Saturday, 2026-07-06 a Monday (Paris on summer time).
  const cases: Array<[string, WorkingHours, string, boolean]> = [
    ['switched off: open at any time', { ...hours('UTC'), enabled: false }, '2026-01-10T03:00:00Z', true],
    ['UTC, Monday 10:00', hours('UTC'), '2026-01-05T10:00:00Z', true],
    ['UTC, Monday 09:00 sharp (start included)', hours('UTC'), '2026-01-05T09:00:00Z', true],
    ['UTC, Monday 08:59', hours('UTC'), '2026-01-05T08:59:59Z', false],
    ['UTC, Monday 17:00 sharp (end excluded)', hours('UTC'), '2026-01-05T17:00:00Z', false],
    ['UTC, Monday 16:59', hours('UTC'), '2026-01-05T16:59:00Z', true],
    ['UTC, Saturday 10:00 (no intervals)', hours('UTC'), '2026-01-10T10:00:00Z', false],
    ['Paris in winter (UTC+1): 08:30 UTC is 09:30 there', hours('Europe/Paris'), '2026-01-05T08:30:00Z', true],
    ['Paris in winter: 07:30 UTC is 08:30 there', hours('Europe/Paris'), '2026-01-05T07:30:00Z', false],
    ['Paris in summer (UTC+2): 07:30 UTC is 09:30 there', hours('Europe/Paris'), '2026-07-06T07:30:00Z', true],
    ['Paris in summer: 15:30 UTC is 17:30 there', hours('Europe/Paris'), '2026-07-06T15:30:00Z', false],
    ['New York (UTC−5): 14:00 UTC is 09:00 there', hours('America/New_York'), '2026-01-05T14:00:00Z', true],
    ['New York: 13:59 UTC is 08:59 there', hours('America/New_York'), '2026-01-05T13:59:00Z', false],
    ['Kolkata (UTC+5:30): 03:30 UTC is 09:00 there', hours('Asia/Kolkata'), '2026-01-05T03:30:00Z', true],
    ['Kolkata: 03:29 UTC is 08:59 there', hours('Asia/Kolkata'), '2026-01-05T03:29:00Z', false],
    ['Auckland (UTC+13): Sunday 20:00 UTC is Monday 09:00 there', hours('Pacific/Auckland'), '2026-01-04T20:00:00Z', true],
    ['Auckland: Monday 20:00 UTC is Tuesday 09:00 there', hours('Pacific/Auckland', { tue: [] }), '2026-01-05T20:00:00Z', false],
    ['Paris on the spring-forward Sunday: 01:30 UTC is 03:30 there', hours('Europe/Paris', { sun: [{ from: '03:00', to: '04:00' }] }), '2026-03-29T01:30:00Z', true],
    ['a lunch break: 12:30 between two intervals', hours('UTC', { mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:00' }] }), '2026-01-05T12:30:00Z', false],
    ['after a lunch break: 13:00', hours('UTC', { mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:00' }] }), '2026-01-05T13:00:00Z', true],
    ['an interval to 24:00 at 23:59', hours('UTC', { mon: [{ from: '18:00', to: '24:00' }] }), '2026-01-05T23:59:30Z', true],
    ['an interval to 24:00 at midnight (next day)', hours('UTC', { mon: [{ from: '18:00', to: '24:00' }] }), '2026-01-06T00:00:00Z', false],
    ['exception: a Monday closed all day', hours('UTC', {}, [{ date: '2026-01-05', closed: true, intervals: [] }]), '2026-01-05T10:00:00Z', false],
    ['exception on another date does not apply', hours('UTC', {}, [{ date: '2026-01-06', closed: true, intervals: [] }]), '2026-01-05T10:00:00Z', true],
    ['exception: a Saturday with special hours, inside', hours('UTC', {}, [{ date: '2026-01-10', closed: false, intervals: [{ from: '10:00', to: '12:00' }] }]), '2026-01-10T11:00:00Z', true],
    ['exception: a Saturday with special hours, outside', hours('UTC', {}, [{ date: '2026-01-10', closed: false, intervals: [{ from: '10:00', to: '12:00' }] }]), '2026-01-10T13:00:00Z', false],
    ['exception: special hours replace the weekday\'s', hours('UTC', {}, [{ date: '2026-01-05', closed: false, intervals: [{ from: '14:00', to: '15:00' }] }]), '2026-01-05T10:00:00Z', false],
    ['exception dated in the room\'s zone, not UTC (Auckland)', hours('Pacific/Auckland', {}, [{ date: '2026-01-05', closed: true, intervals: [] }]), '2026-01-04T20:00:00Z', false],
    ['exception: closed ignores leftover intervals', hours('UTC', {}, [{ date: '2026-01-05', closed: true, intervals: NINE_TO_FIVE }]), '2026-01-05T10:00:00Z', false],
    ['an unknown stored zone falls back to UTC', hours('Mars/Olympus'), '2026-01-05T10:00:00Z', true],
  ];
  for (const [what, h, now, open] of cases) {
    it(`${what} → ${open ? 'open' : 'closed'}`, () => expect(isOpen(h, at(now))).to.equal(open));
  }

  it('reads the wall clock of a zone', () => {
    expect(wallClock('Asia/Kolkata', at('2026-01-04T20:00:00Z'))).to.deep.equal({ date: '2026-01-05', weekday: 'mon', minutes: 90 });
    expect(wallClock('UTC', at('2026-01-10T00:00:00Z'))).to.deep.equal({ date: '2026-01-10', weekday: 'sat', minutes: 0 });
  });
});

describe('room hours: isTimeZone', () => {
  for (const ok of ['UTC', 'Europe/Paris', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'Asia/Kolkata', 'europe/paris']) {
    it(`accepts ${ok}`, () => expect(isTimeZone(ok)).to.equal(true));
  }
  for (const bad of ['', 'Mars/Olympus', '+01:00', 'UTC+1 ', 'Europe/', '../etc/passwd', 'Europe/Paris; DROP', 'x'.repeat(65)]) {
    it(`refuses ${JSON.stringify(bad)}`, () => expect(isTimeZone(bad)).to.equal(false));
  }
});

describe('room hours: hoursProblem', () => {
  it('finds nothing wrong with the defaults', () => expect(hoursProblem(defaultHours())).to.equal(null));

  const cases: Array<[string, WorkingHours, string, RegExp]> = [
    ['an unknown zone', hours('Europe/Atlantis'), 'hours.timeZone', /not an IANA time zone/],
    ['an offset instead of a zone', hours('+02:00'), 'hours.timeZone', /not an IANA time zone/],
    ['an interval ending before it starts', hours('UTC', { tue: [{ from: '17:00', to: '09:00' }] }), 'hours.weekly.tue.0', /must end after it starts/],
    ['an empty interval', hours('UTC', { wed: NINE_TO_FIVE.concat([{ from: '18:00', to: '18:00' }]) }), 'hours.weekly.wed.1', /must end after it starts/],
    ['overlapping intervals', hours('UTC', { mon: [{ from: '13:00', to: '18:00' }, { from: '09:00', to: '14:00' }] }), 'hours.weekly.mon', /overlap/],
    ['a date that does not exist', hours('UTC', {}, [{ date: '2026-02-30', closed: true, intervals: [] }]), 'hours.exceptions.0.date', /not a date/],
    ['two exceptions on one date', hours('UTC', {}, [{ date: '2026-12-25', closed: true, intervals: [] }, { date: '2026-12-25', closed: true, intervals: [] }]), 'hours.exceptions.1.date', /two exceptions/],
    ['a closed day with intervals', hours('UTC', {}, [{ date: '2026-12-25', closed: true, intervals: NINE_TO_FIVE }]), 'hours.exceptions.0.intervals', /closed day has no intervals/],
    ['special hours without intervals', hours('UTC', {}, [{ date: '2026-12-24', closed: false, intervals: [] }]), 'hours.exceptions.0.intervals', /at least one interval/],
    ['special hours overlapping', hours('UTC', {}, [{ date: '2026-12-24', closed: false, intervals: [{ from: '09:00', to: '11:00' }, { from: '10:00', to: '12:00' }] }]), 'hours.exceptions.0.intervals', /overlap/],
  ];
  for (const [what, h, field, message] of cases) {
    it(`${what} → ${field}`, () => {
      const p = hoursProblem(h);
      expect(p?.field).to.equal(field);
      expect(p?.message).to.match(message);
    });
  }

  it('accepts touching intervals and an interval to 24:00', () => {
    expect(hoursProblem(hours('UTC', { mon: [{ from: '09:00', to: '12:00' }, { from: '12:00', to: '24:00' }] }))).to.equal(null);
  });
});
