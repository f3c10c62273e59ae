// Working hours (seed 002 "working intervals"): weekly wall-clock intervals
// in an IANA time zone, and dated exceptions (closed, or special hours).
// Pure: the caller passes `now`; Intl does the time-zone arithmetic.
import { WEEKDAYS, type Interval, type Weekday, type WorkingHours } from './room-settings.js';

export interface Problem { field: string; message: string }

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** True for an IANA zone name Intl knows ("Europe/Paris", "UTC"); offsets like "+01:00" are refused. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name) || name.length > 64) return false;
  try { formatFor(name); return true; } catch { return false; }
}

/** The date, weekday and minute of the day at `now` on the wall clocks of `timeZone`. */
export function wallClock(timeZone: string, now: number): { date: string; weekday: Weekday; minutes: number } {
  const parts = Object.fromEntries(formatFor(timeZone).formatToParts(new Date(now)).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: (parts.weekday ?? 'Mon').toLowerCase() as Weekday,
    minutes: (Number(parts.hour) % 24) * 60 + Number(parts.minute),
  };
}

/** "09:30" → 570; "24:00" → 1440. */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the room takes chats at `now` (ms). Hours switched off = always open. */
export function isOpen(hours: WorkingHours, now: number): boolean {
  if (!hours.enabled) return true;
  const zone = isTimeZone(hours.timeZone) ? hours.timeZone : 'UTC';
  const { date, weekday, minutes } = wallClock(zone, now);
  const special = hours.exceptions.find((e) => e.date === date);
  const today = special ? (special.closed ? [] : special.intervals) : hours.weekly[weekday];
  return today.some((i) => minutesOf(i.from) <= minutes && minutes < minutesOf(i.to));
}

function intervalsProblem(list: Interval[], field: string): Problem | null {
  for (const [i, iv] of list.entries()) {
    if (minutesOf(iv.from) >= minutesOf(iv.to)) return { field: `${field}.${i}`, message: `must end after it starts (${iv.from}–${iv.to}); split an interval that crosses midnight over two days` };
  }
  const sorted = [...list].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
  for (let i = 1; i < sorted.length; i++) {
    if (minutesOf(sorted[i]!.from) < minutesOf(sorted[i - 1]!.to)) {
      return { field, message: `intervals ${sorted[i - 1]!.from}–${sorted[i - 1]!.to} and ${sorted[i]!.from}–${sorted[i]!.to} overlap` };
    }
  }
  return null;
}

function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** What the JSON schema cannot say about working hours; null when they are fine. */
export function hoursProblem(hours: WorkingHours, at = 'hours'): Problem | null {
  if (!isTimeZone(hours.timeZone)) return { field: `${at}.timeZone`, message: `"${hours.timeZone}" is not an IANA time zone (e.g. Europe/Paris, America/New_York, UTC)` };
  for (const day of WEEKDAYS) {
    const p = intervalsProblem(hours.weekly[day], `${at}.weekly.${day}`);
    if (p) return p;
  }
  const seen = new Set<string>();
  for (const [i, e] of hours.exceptions.entries()) {
    const field = `${at}.exceptions.${i}`;
    if (!isCalendarDate(e.date)) return { field: `${field}.date`, message: `${e.date} is not a date` };
    if (seen.has(e.date)) return { field: `${field}.date`, message: `${e.date} has two exceptions` };
    seen.add(e.date);
    const list = e.intervals ?? []; // optional in a request; read back as []
    if (e.closed && list.length > 0) return { field: `${field}.intervals`, message: 'a closed day has no intervals' };
    if (!e.closed && list.length === 0) return { field: `${field}.intervals`, message: 'special hours need at least one interval (or closed: true)' };
    const p = intervalsProblem(list, `${field}.intervals`);
    if (p) return p;
  }
  return null;
}
