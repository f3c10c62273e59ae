import { expect } from 'chai';
import { offerText, texts, type OfferText } from '../../src/core/texts.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function offer(over: Partial<OfferText> = {}): OfferText {
  return {
    customer: 'Ada Lovelace', email: 'ada@example.com', room: 'Sales', firstMessage: 'Hello, I need help',
    timeoutSeconds: 45, roomJid: 'c-123@rooms.localhost', ...over,
  };
}

/** The quoted first message in an offer, or null if there is none. */
function quoted(text: string): string | null {
  const m = /\n“([\s\S]*)”\n/.exec(text);
  return m ? m[1]! : null;
}

describe('texts: offerText', () => {
  it('names the customer with email and the room', () => {
    expect(offerText(offer())).to.match(/^New chat from Ada Lovelace <ada@example\.com> via Sales\./);
  });

  it('leaves out the email when there is none', () => {
    const t = offerText(offer({ email: null }));
    expect(t).to.match(/^New chat from Ada Lovelace via Sales\./);
    expect(t).not.to.include('<');
  });

  it('leaves out an empty email', () => {
    expect(offerText(offer({ email: '' }))).to.match(/^New chat from Ada Lovelace via Sales\./);
  });

  it('quotes the first message on its own line', () => {
    const t = offerText(offer());
    expect(t.split('\n')[1]).to.equal('“Hello, I need help”');
    expect(quoted(t)).to.equal('Hello, I need help');
  });

  for (const [what, firstMessage] of [['null', null], ['empty', '']] as const) {
    it(`has no quote when the first message is ${what}`, () => {
      const t = offerText(offer({ firstMessage }));
      expect(t).not.to.include('“');
      expect(t.split('\n')).to.have.length(2);
    });
  }

  it('tells how to accept: join the room JID', () => {
    const t = offerText(offer());
    expect(t).to.include('To accept, join the room c-123@rooms.localhost');
    expect(t).to.include('invitation');
  });

  it('tells how to decline: decline the invitation or reply "decline"', () => {
    expect(offerText(offer())).to.include('To decline, decline the invitation or reply "decline"');
  });

  it('states the timeout in seconds', () => {
    expect(offerText(offer({ timeoutSeconds: 45 }))).to.match(/expires in 45 s\.$/);
    expect(offerText(offer({ timeoutSeconds: 5 }))).to.match(/expires in 5 s\.$/);
  });

  describe('first message truncation', () => {
    it('keeps a message of exactly 300 characters whole', () => {
      const msg = 'a'.repeat(300);
      expect(quoted(offerText(offer({ firstMessage: msg })))).to.equal(msg);
    });

    it('cuts a 301-character message to 300 characters ending with …', () => {
      const msg = 'b'.repeat(301);
      const q = quoted(offerText(offer({ firstMessage: msg })))!;
      expect(q).to.have.length(300);
      expect(q).to.equal('b'.repeat(299) + '…');
    });

    it('cuts a long message to its beginning', () => {
      const msg = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
      const q = quoted(offerText(offer({ firstMessage: msg })))!;
      expect(q.endsWith('…')).to.equal(true);
      expect(msg.startsWith(q.slice(0, -1))).to.equal(true);
      expect(q).to.have.length(300);
    });

    it('keeps the rest of the offer after a long message', () => {
      const t = offerText(offer({ firstMessage: 'z'.repeat(5000) }));
      expect(t).to.include('To accept, join the room c-123@rooms.localhost');
      expect(t).to.match(/expires in 45 s\.$/);
      expect(t.length).to.be.below(700);
    });

    it('never cuts a character in half (no lone surrogate)', () => {
      // BUG: slice(0, 299) counts UTF-16 code units; an emoji across position 299 leaves a lone high surrogate.
      const q = quoted(offerText(offer({ firstMessage: 'a'.repeat(298) + '😀'.repeat(5) })))!;
      expect(q.endsWith('…')).to.equal(true);
      expect(q).not.to.match(LONE_SURROGATE);
    });
  });
});

describe('texts: fixed messages', () => {
  it('greets the customer by name', () => {
    expect(texts.waiting('Ada')).to.match(/^Thanks, Ada\./);
    expect(texts.noAgent('Ada')).to.match(/^Thanks, Ada\..*queue/);
  });

  it('names who took, declined or let an offer expire', () => {
    expect(texts.offerTaken('Ada', 'Sales', 'Bob')).to.equal('The chat from Ada (Sales) was taken by Bob. Nothing to do.');
    expect(texts.offerExpired('Ada', 'Sales')).to.include('Ada (Sales) expired');
    expect(texts.offerDeclined('Ada', 'Sales')).to.equal('You declined the chat from Ada (Sales).');
  });

  it('names who closed', () => {
    expect(texts.closedByAgent('Bob')).to.match(/^Bob closed the conversation\./);
    expect(texts.closedByCustomer('Ada')).to.equal('Ada ended the conversation.');
    expect(texts.unknownCommand('/foo')).to.include('"/foo"');
  });
});
