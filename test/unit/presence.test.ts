import { expect } from 'chai';
import { parseShow, PresenceBook, type Show } from '../../components/desk/presence.js';

const ADA = 'ada@localhost';
const BOB = 'bob@localhost';

describe('presence: parseShow', () => {
  const cases: Array<[string | null, Show]> = [
    [null, 'available'],
    ['chat', 'chat'],
    ['away', 'away'],
    ['xa', 'xa'],
    ['dnd', 'dnd'],
    ['', 'available'],
    ['busy', 'available'],
    ['DND', 'available'],
  ];
  for (const [raw, want] of cases) {
    it(`${JSON.stringify(raw)} → ${want}`, () => expect(parseShow(raw)).to.equal(want));
  }
});

describe('presence: PresenceBook', () => {
  let book: PresenceBook;
  beforeEach(() => { book = new PresenceBook(); });

  it('knows nobody at first', () => {
    expect(book.available(ADA)).to.equal(false);
    expect(book.online(ADA)).to.equal(false);
    expect(book.shows(ADA)).to.deep.equal([]);
  });

  describe('one resource', () => {
    const cases: Array<[Show, boolean]> = [['available', true], ['chat', true], ['away', false], ['xa', false], ['dnd', false]];
    for (const [show, want] of cases) {
      it(`${show} → ${want ? 'available' : 'not available'}, online`, () => {
        expect(book.set(ADA, 'phone', show)).to.equal(want);
        expect(book.available(ADA)).to.equal(want);
        expect(book.online(ADA)).to.equal(true);
        expect(book.shows(ADA)).to.deep.equal([show]);
      });
    }
  });

  it('follows changes of the same resource', () => {
    expect(book.set(ADA, 'phone', 'available')).to.equal(true);
    expect(book.set(ADA, 'phone', 'dnd')).to.equal(false);
    expect(book.shows(ADA)).to.deep.equal(['dnd']);
    expect(book.set(ADA, 'phone', 'chat')).to.equal(true);
  });

  describe('several resources', () => {
    const cases: Array<[Show, Show, boolean]> = [
      ['available', 'dnd', true],
      ['away', 'chat', true],
      ['xa', 'available', true],
      ['away', 'dnd', false],
      ['xa', 'away', false],
      ['chat', 'available', true],
    ];
    for (const [a, b, want] of cases) {
      it(`${a} + ${b} → ${want ? 'available' : 'not available'}`, () => {
        book.set(ADA, 'phone', a);
        expect(book.set(ADA, 'laptop', b)).to.equal(want);
        expect(book.available(ADA)).to.equal(want);
        expect(book.shows(ADA)).to.have.members([a, b]);
      });
    }
  });

  it('unavailable removes only that resource', () => {
    book.set(ADA, 'phone', 'available');
    book.set(ADA, 'laptop', 'dnd');
    expect(book.set(ADA, 'phone', null)).to.equal(false);
    expect(book.online(ADA)).to.equal(true);
    expect(book.shows(ADA)).to.deep.equal(['dnd']);
  });

  it('stays available while another available resource remains', () => {
    book.set(ADA, 'phone', 'available');
    book.set(ADA, 'laptop', 'chat');
    expect(book.set(ADA, 'laptop', null)).to.equal(true);
    expect(book.shows(ADA)).to.deep.equal(['available']);
  });

  it('goes offline when the last resource leaves', () => {
    book.set(ADA, 'phone', 'available');
    expect(book.set(ADA, 'phone', null)).to.equal(false);
    expect(book.online(ADA)).to.equal(false);
    expect(book.shows(ADA)).to.deep.equal([]);
  });

  it('can come back after going offline', () => {
    book.set(ADA, 'phone', 'available');
    book.set(ADA, 'phone', null);
    expect(book.set(ADA, 'desk', 'chat')).to.equal(true);
    expect(book.online(ADA)).to.equal(true);
  });

  it('ignores unavailable from an unknown resource or JID', () => {
    expect(book.set(BOB, 'x', null)).to.equal(false);
    expect(book.online(BOB)).to.equal(false);
    book.set(ADA, 'phone', 'available');
    expect(book.set(ADA, 'other', null)).to.equal(true);
    expect(book.shows(ADA)).to.deep.equal(['available']);
  });

  it('keeps agents apart', () => {
    book.set(ADA, 'phone', 'available');
    book.set(BOB, 'phone', 'dnd');
    expect(book.available(ADA)).to.equal(true);
    expect(book.available(BOB)).to.equal(false);
    book.set(ADA, 'phone', null);
    expect(book.online(ADA)).to.equal(false);
    expect(book.online(BOB)).to.equal(true);
  });

  it('returns a copy from shows()', () => {
    book.set(ADA, 'phone', 'dnd');
    book.shows(ADA).push('available');
    expect(book.available(ADA)).to.equal(false);
    expect(book.shows(ADA)).to.deep.equal(['dnd']);
  });
});
