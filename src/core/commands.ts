// The agent's commands, parsed (pure). In a conversation's MUC room a command
// starts with "/" or "!" (several clients keep a leading "/" for themselves);
// to the desk contact the prefix is optional. Anything after the command word
// is its argument. A word that is no command may be a canned response's
// shortcut (seed 004), which only the store can tell.

/** Who a transfer or an invitation is for: one agent by name, or a department ("@sales"). */
export type Target = { kind: 'agent'; name: string } | { kind: 'department'; name: string };

export type RoomCommand =
  | { name: 'transfer'; target: Target }
  | { name: 'invite'; target: Target }
  | { name: 'accept' }
  | { name: 'cancel' }
  | { name: 'leave' }
  | { name: 'note'; text: string }
  | { name: 'private'; on: boolean | null }
  | { name: 'predef'; index: number | null }
  | { name: 'offer'; question: string | null; options: string[] }
  | { name: 'close' }
  | { name: 'help' }
  | { name: 'canned'; shortcut: string }
  | { name: 'invalid'; command: string; problem: string };

export type DeskCommand =
  | { name: 'status' }
  | { name: 'queue' }
  | { name: 'accept'; id: string | null }
  | { name: 'reject'; id: string | null }
  | { name: 'available' }
  | { name: 'away' }
  | { name: 'auto' }
  | { name: 'help' }
  | { name: 'unknown'; word: string };

export const OFFER_MAX_OPTIONS = 10;
export const OFFER_MAX_LENGTH = 100;

/** Splits "/word rest" into the lower-cased word and the trimmed rest. */
function split(text: string): { word: string; rest: string } {
  const t = text.trim().replace(/^[/!]/, '');
  const m = /^(\S*)\s*([\s\S]*)$/.exec(t)!;
  return { word: m[1]!.toLowerCase(), rest: m[2]!.trim() };
}

export function parseTarget(arg: string): Target | null {
  const a = arg.trim();
  if (!a) return null;
  if (a.startsWith('@')) return a.length > 1 ? { kind: 'department', name: a.slice(1).trim() } : null;
  return { kind: 'agent', name: a };
}

/**
 * "offer Which plan? Basic | Pro" → question "Which plan?", options Basic, Pro.
 * Without a "?" the whole argument is the options. XEP-0439 §4: values must
 * be distinct, so duplicates are an error the agent sees.
 */
export function parseOffer(arg: string): { question: string | null; options: string[] } | string {
  let question: string | null = null;
  let list = arg;
  const q = arg.lastIndexOf('?', arg.indexOf('|') < 0 ? arg.length : arg.indexOf('|'));
  if (q >= 0) { question = arg.slice(0, q + 1).trim() || null; list = arg.slice(q + 1); }
  const options = list.split('|').map((o) => o.trim()).filter((o) => o.length > 0);
  if (options.length < 2) return 'give at least two choices separated by |, e.g. offer Which size? S | M | L';
  if (options.length > OFFER_MAX_OPTIONS) return `give at most ${OFFER_MAX_OPTIONS} choices`;
  if (options.some((o) => Array.from(o).length > OFFER_MAX_LENGTH)) return `each choice may have at most ${OFFER_MAX_LENGTH} characters`;
  const seen = new Set<string>();
  for (const o of options) {
    if (seen.has(o.toLowerCase())) return `the choice "${o}" is given twice`;
    seen.add(o.toLowerCase());
  }
  return { question, options };
}

export function parseRoomCommand(text: string): RoomCommand {
  const { word, rest } = split(text);
  switch (word) {
    case 't': case 'transfer': case 'invite': {
      const target = parseTarget(rest);
      const name = word === 'invite' ? 'invite' : 'transfer';
      if (!target) return { name: 'invalid', command: word, problem: `say to whom: ${word} <name> or ${word} @<department>` };
      return { name, target };
    }
    case 'a': case 'accept': return { name: 'accept' };
    case 'cancel': return { name: 'cancel' };
    case 'leave': return { name: 'leave' };
    case 'p': case 'note':
      return rest ? { name: 'note', text: rest } : { name: 'invalid', command: word, problem: 'write the note after it: p <text>' };
    case 'private': {
      if (!rest) return { name: 'private', on: null };
      if (/^(on|yes)$/i.test(rest)) return { name: 'private', on: true };
      if (/^(off|no)$/i.test(rest)) return { name: 'private', on: false };
      return { name: 'invalid', command: word, problem: 'use private, private on or private off (to write one private note, use p <text>)' };
    }
    case 'predef': {
      if (!rest) return { name: 'predef', index: null };
      const n = Number(rest);
      return Number.isInteger(n) && n >= 1 ? { name: 'predef', index: n } : { name: 'invalid', command: word, problem: 'use predef to list, predef <number> to send one' };
    }
    case 'offer': {
      const o = parseOffer(rest);
      return typeof o === 'string' ? { name: 'invalid', command: word, problem: o } : { name: 'offer', ...o };
    }
    case 'close': return { name: 'close' };
    case 'help': case '?': return { name: 'help' };
    default: return { name: 'canned', shortcut: word };
  }
}

export function parseDeskCommand(text: string): DeskCommand {
  const { word, rest } = split(text);
  const id = rest.split(/\s+/)[0] || null;
  switch (word) {
    case 'status': return { name: 'status' };
    case 'queue': case 'q': return { name: 'queue' };
    case 'accept': case 'a': return { name: 'accept', id };
    case 'reject': case 'decline': return { name: 'reject', id };
    case 'available': case 'online': return { name: 'available' };
    case 'away': return { name: 'away' };
    case 'auto': return { name: 'auto' };
    case 'help': case '?': case '': return { name: 'help' };
    default: return { name: 'unknown', word };
  }
}

/** A conversation's short id (the first 8 hex digits): what the queue shows and accept takes. */
export const shortId = (id: string) => id.slice(0, 8);

/** Does a typed id (short or full, any case) designate this conversation? */
export function idMatches(typed: string, id: string): boolean {
  const t = typed.trim().toLowerCase().replace(/^#/, '');
  return t.length >= 4 && /^[0-9a-f-]+$/.test(t) && id.toLowerCase().startsWith(t);
}

/** Does a name typed after "t"/"invite" designate this agent (nickname, name, JID or its local part; any case)? */
export function agentMatches(typed: string, a: { nickname: string; name: string; jid: string }): boolean {
  const t = typed.trim().toLowerCase();
  return [a.nickname, a.name, a.jid, a.jid.split('@')[0]!].some((x) => x.toLowerCase() === t);
}

/** Who receives a message said in a conversation: a private one reaches agents only. */
export function recipients<O extends { kind: 'customer' | 'agent' }>(occupants: Iterable<O>, isPrivate: boolean): O[] {
  return [...occupants].filter((o) => !isPrivate || o.kind === 'agent');
}
