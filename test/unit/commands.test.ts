import { expect } from 'chai';
import fc from 'fast-check';
import { expandCanned } from '../../src/core/canned.js';
import { agentMatches, idMatches, parseDeskCommand, parseOffer, parseRoomCommand, recipients, type DeskCommand, type RoomCommand } from '../../src/core/commands.js';
import { PresenceBook } from '../../components/desk/presence.js';

describe('commands: parseRoomCommand', () => {
  const cases: Array<[string, RoomCommand]> = [
    ['!t bob', { name: 'transfer', target: { kind: 'agent', name: 'bob' } }],
    ['/t  Bob Martin ', { name: 'transfer', target: { kind: 'agent', name: 'Bob Martin' } }],
    ['!transfer @Sales', { name: 'transfer', target: { kind: 'department', name: 'Sales' } }],
    ['!t', { name: 'invalid', command: 't', problem: 'say to whom: t <name> or t @<department>' }],
    ['!t @', { name: 'invalid', command: 't', problem: 'say to whom: t <name> or t @<department>' }],
    ['!invite carol', { name: 'invite', target: { kind: 'agent', name: 'carol' } }],
    ['!INVITE @support team', { name: 'invite', target: { kind: 'department', name: 'support team' } }],
    ['!a', { name: 'accept' }],
    ['/A', { name: 'accept' }],
    ['!accept', { name: 'accept' }],
    ['!cancel', { name: 'cancel' }],
    ['!leave', { name: 'leave' }],
    ['!p the customer sounds angry', { name: 'note', text: 'the customer sounds angry' }],
    ['!p   multi\nline ', { name: 'note', text: 'multi\nline' }],
    ['!p', { name: 'invalid', command: 'p', problem: 'write the note after it: p <text>' }],
    ['!private', { name: 'private', on: null }],
    ['!private on', { name: 'private', on: true }],
    ['!private OFF', { name: 'private', on: false }],
    ['!predef', { name: 'predef', index: null }],
    ['!predef 3', { name: 'predef', index: 3 }],
    ['!offer Which size? S | M | L', { name: 'offer', question: 'Which size?', options: ['S', 'M', 'L'] }],
    ['!offer yes | no', { name: 'offer', question: null, options: ['yes', 'no'] }],
    ['!close', { name: 'close' }],
    ['!help', { name: 'help' }],
    ['!hello', { name: 'canned', shortcut: 'hello' }],
    ['/Thanks', { name: 'canned', shortcut: 'thanks' }],
  ];
  for (const [text, want] of cases) it(`${JSON.stringify(text)}`, () => expect(parseRoomCommand(text)).to.deep.equal(want));

  it('refuses bad predef numbers and bad private arguments', () => {
    expect(parseRoomCommand('!predef 0').name).to.equal('invalid');
    expect(parseRoomCommand('!predef x').name).to.equal('invalid');
    expect(parseRoomCommand('!private maybe').name).to.equal('invalid');
  });
});

describe('commands: parseOffer (XEP-0439 choices)', () => {
  it('needs two distinct choices at least, at most ten', () => {
    expect(parseOffer('just one')).to.be.a('string');
    expect(parseOffer('a | A')).to.match(/twice/);
    expect(parseOffer(Array.from({ length: 11 }, (_, i) => `o${i}`).join(' | '))).to.match(/at most 10/);
    expect(parseOffer('x'.repeat(101) + ' | b')).to.match(/100 characters/);
  });
  it('takes the question up to the last "?" before the first "|"', () => {
    expect(parseOffer('Is it? Really? Yes | No')).to.deep.equal({ question: 'Is it? Really?', options: ['Yes', 'No'] });
    expect(parseOffer('Yes | No?')).to.deep.equal({ question: null, options: ['Yes', 'No?'] });
    expect(parseOffer(' | a | | b |')).to.deep.equal({ question: null, options: ['a', 'b'] });
  });
});

describe('commands: parseDeskCommand', () => {
  const cases: Array<[string, DeskCommand]> = [
    ['status', { name: 'status' }],
    ['!status', { name: 'status' }],
    ['queue', { name: 'queue' }],
    ['accept 1a2b3c4d', { name: 'accept', id: '1a2b3c4d' }],
    ['accept', { name: 'accept', id: null }],
    ['a', { name: 'accept', id: null }],
    ['reject', { name: 'reject', id: null }],
    ['decline 1a2b', { name: 'reject', id: '1a2b' }],
    ['available', { name: 'available' }],
    ['Away', { name: 'away' }],
    ['auto', { name: 'auto' }],
    ['help', { name: 'help' }],
    ['', { name: 'help' }],
    ['hello there', { name: 'unknown', word: 'hello' }],
  ];
  for (const [text, want] of cases) it(`${JSON.stringify(text)}`, () => expect(parseDeskCommand(text)).to.deep.equal(want));
});

describe('commands: ids and names', () => {
  const id = '1a2b3c4d-0000-4000-8000-000000000001';
  it('a short id matches from 4 hex digits, any case, with or without #', () => {
    expect(idMatches('1a2b3c4d', id)).to.equal(true);
    expect(idMatches('#1A2B', id)).to.equal(true);
    expect(idMatches(id, id)).to.equal(true);
    expect(idMatches('1a2', id)).to.equal(false);
    expect(idMatches('zzzz', id)).to.equal(false);
    expect(idMatches('1a2c', id)).to.equal(false);
  });
  it('an agent matches by nickname, name, JID or its local part', () => {
    const a = { nickname: 'Bob', name: 'Bob Martin', jid: 'bob.m@localhost' };
    for (const t of ['bob', 'BOB', 'bob martin', 'bob.m', 'bob.m@localhost']) expect(agentMatches(t, a), t).to.equal(true);
    for (const t of ['bo', 'martin', 'bob.m@other']) expect(agentMatches(t, a), t).to.equal(false);
  });
});

describe('commands: who receives a message', () => {
  const occupants = [{ kind: 'customer' as const, n: 1 }, { kind: 'agent' as const, n: 2 }, { kind: 'agent' as const, n: 3 }];
  it('a private one reaches agents only, an ordinary one everyone', () => {
    expect(recipients(occupants, true).map((o) => o.n)).to.deep.equal([2, 3]);
    expect(recipients(occupants, false).map((o) => o.n)).to.deep.equal([1, 2, 3]);
  });
  it('property: never a customer for a private message', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom<'customer' | 'agent'>('customer', 'agent')), (kinds) => {
      const r = recipients(kinds.map((kind) => ({ kind })), true);
      return r.every((o) => o.kind === 'agent') && r.length === kinds.filter((k) => k === 'agent').length;
    }));
  });
});

describe('commands: canned expansion as the room commands use it', () => {
  it('fills %VISITOR% and %OPERATOR% in one pass', () => {
    expect(expandCanned('Hi %visitor%, %OPERATOR% here', { visitor: 'Jane Doe', operator: 'Alice Martin' })).to.equal('Hi Jane Doe, Alice Martin here');
    expect(expandCanned('%VISITOR%', { visitor: '%OPERATOR%', operator: 'x' })).to.equal('%OPERATOR%');
  });
});

describe('desk: manual availability over presence', () => {
  const ADA = 'ada@localhost';
  it('away by hand wins over an available presence; available by hand over away, never over offline; null follows presence', () => {
    const b = new PresenceBook();
    expect(b.setManual(ADA, 'available')).to.equal(false); // offline stays offline
    b.set(ADA, 'pc', 'away');
    expect(b.available(ADA)).to.equal(true);
    b.setManual(ADA, 'away');
    b.set(ADA, 'pc', 'available');
    expect(b.available(ADA)).to.equal(false);
    expect(b.presenceAvailable(ADA)).to.equal(true);
    expect(b.manual(ADA)).to.equal('away');
    expect(b.setManual(ADA, null)).to.equal(true);
    b.set(ADA, 'pc', null);
    expect(b.available(ADA)).to.equal(false);
  });
});

describe('commands: texts people read', () => {
  it('the choices message lists every choice for clients without XEP-0439 (§5.1)', async () => {
    const { commandTexts } = await import('../../src/core/texts.js');
    expect(commandTexts.offerBody('Which size?', ['S', 'M'])).to.equal('Which size?\n• S\n• M');
    expect(commandTexts.offerBody(null, ['yes', 'no'])).to.equal('Please choose one:\n• yes\n• no');
    expect(commandTexts.predefList([{ title: 'Hours', text: '9 to 5' }, { title: 'Bye', text: 'Thanks!' }])).to.match(/1\. Hours — 9 to 5\n {2}2\. Bye — Thanks!$/);
    expect(commandTexts.privateMark('x')).to.equal('[private] x');
    for (const cmd of ['!t', '!invite', '!a', '!cancel', '!leave', '!p', '!private', '!predef', '!offer', '!close', '!help']) expect(commandTexts.roomHelp, cmd).to.include(cmd);
    for (const cmd of ['status', 'queue', 'accept <id>', 'reject', 'available', 'away', 'auto']) expect(commandTexts.deskHelp, cmd).to.include(cmd);
  });
});
