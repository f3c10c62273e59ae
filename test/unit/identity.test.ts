// Verified identity (seed 003): the canonical string, and which signed
// attributes are trusted. Anything off means "not verified", never an error.
import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { canonicalIdentity, IDENTITY_MAX_AGE_SECONDS, identityWho, signIdentity, verifyIdentity } from '../../src/core/identity.js';
import { offerReason, offerText } from '../../src/core/texts.js';

const SECRET = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4';
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const TS = NOW / 1000 - 60;
const attrs = { id: '42', name: 'Vic Verified', email: 'vic@example.com', ts: TS };
const signed = (over: Record<string, unknown> = {}, room = 'general') => ({ ...attrs, signature: signIdentity(SECRET, room, attrs), ...over });

describe('verified identity', () => {
  it('signs six lines, as the README documents', () => {
    expect(canonicalIdentity('general', attrs)).to.equal(`switchboard-identity-v1\ngeneral\n42\nVic Verified\nvic@example.com\n${TS}`);
    expect(canonicalIdentity('general', { email: 'x@example.com', ts: 5 })).to.equal('switchboard-identity-v1\ngeneral\n\n\nx@example.com\n5');
    // The README's recipe, word for word: a plain HMAC-SHA256 in hex.
    const readme = createHmac('sha256', SECRET).update(['switchboard-identity-v1', 'general', '42', 'Vic Verified', 'vic@example.com', String(TS)].join('\n'), 'utf8').digest('hex');
    expect(signIdentity(SECRET, 'general', attrs)).to.equal(readme);
  });

  it('trusts a good signature, in either hex case, and reads the attributes back', () => {
    const v = verifyIdentity(SECRET, 'general', signed(), NOW);
    expect(v).to.deep.equal({ id: '42', name: 'Vic Verified', email: 'vic@example.com', signedAt: new Date(TS * 1000).toISOString() });
    expect(verifyIdentity(SECRET, 'general', signed({ signature: signed().signature.toUpperCase() }), NOW)).not.to.equal(null);
    expect(identityWho(v!)).to.equal('Vic Verified <vic@example.com> id 42');
  });

  const refused: Array<[string, unknown, string?]> = [
    ['a changed name', signed({ name: 'Mallory' })],
    ['a changed email', signed({ email: 'mallory@example.com' })],
    ['an added id', { ...signed(), id: '43' }],
    ['another room\'s signature', signed({}, 'sales')],
    ['another secret', { ...attrs, signature: signIdentity('other-secret', 'general', attrs) }],
    ['a signature older than a day', { ...attrs, ts: NOW / 1000 - IDENTITY_MAX_AGE_SECONDS - 1, signature: signIdentity(SECRET, 'general', { ...attrs, ts: NOW / 1000 - IDENTITY_MAX_AGE_SECONDS - 1 }) }],
    ['a signature from the future', { ...attrs, ts: NOW / 1000 + 3600, signature: signIdentity(SECRET, 'general', { ...attrs, ts: NOW / 1000 + 3600 }) }],
    ['a line break inside an attribute', { ...attrs, name: 'Vic\nVerified', signature: signIdentity(SECRET, 'general', { ...attrs, name: 'Vic\nVerified' }) }],
    ['no attributes at all', { ts: TS, signature: signIdentity(SECRET, 'general', { ts: TS }) }],
    ['a short signature', signed({ signature: 'abc' })],
    ['a ts given as a string', signed({ ts: String(TS) })],
    ['not an object', 'Vic Verified'],
    ['null', null],
  ];
  for (const [what, raw] of refused) {
    it(`does not trust ${what}`, () => { expect(verifyIdentity(SECRET, 'general', raw, NOW)).to.equal(null); });
  }

  it('the offer says who the site vouched for, in its text and its reason', () => {
    const o = { customer: 'Vic', email: null, room: 'General', firstMessage: 'hi', timeoutSeconds: 30, roomJid: 'c-1@rooms.localhost', verified: 'Vic Verified <vic@example.com> id 42' };
    expect(offerText(o)).to.include("\n✔ verified by the company's site: Vic Verified <vic@example.com> id 42\n");
    expect(offerReason(o)).to.include("[✔ verified by the company's site: Vic Verified <vic@example.com> id 42]");
    expect(offerText({ ...o, verified: null })).not.to.include('verified');
  });
});
