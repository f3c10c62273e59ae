import { expect } from 'chai';
import { agentText, fromHeader, MAX_BODY_BYTES, splitBody } from '../../sip/chat/text.js';
import { acceptsText, allowsMessage, takesMessage } from '../../sip/handlers/registrations.js';

describe('sip MESSAGE chat helpers', () => {
  it('cuts bodies on character boundaries, each part within the byte limit (RFC 3428 §8)', () => {
    const text = 'é'.repeat(7) + '😀'.repeat(3);
    const parts = splitBody(text, 6);
    expect(parts.join('')).to.equal(text);
    for (const p of parts) expect(Buffer.byteLength(p)).to.be.at.most(6);
    expect(splitBody('')).to.deep.equal(['']);
    expect(splitBody('short')).to.deep.equal(['short']);
  });
  it('cuts at a line break where there is one, else at a space; parts stay short enough for baresip to show', () => {
    expect(splitBody('one two\nthree four five', 14)).to.deep.equal(['one two', 'three four', 'five']);
    expect(splitBody('abc defgh', 6)).to.deep.equal(['abc', 'defgh']);
    const list = Array.from({ length: 30 }, (_, i) => `  ${i + 1}. a line of the list`).join('\n');
    const parts = splitBody(list);
    expect(parts.join('\n')).to.equal(list);
    for (const p of parts) expect(Buffer.byteLength(p)).to.be.at.most(MAX_BODY_BYTES);
    expect(MAX_BODY_BYTES + Buffer.byteLength('sip:c-00000000000000000000@a-long-sip-domain.example.com: ""')).to.be.below(512);
  });
  it('makes the display name safe for a quoted string', () => {
    expect(fromHeader('Jane "JD" Doe\r\nX-Evil: 1', 'c-1', 'example.com')).to.equal('"Jane JD DoeX-Evil: 1" <sip:c-1@example.com>');
    expect(fromHeader('  ', 'desk', 'example.com')).to.equal('<sip:desk@example.com>');
  });
  const table: Array<[string, ReturnType<typeof agentText>]> = [
    ['decline', { kind: 'decline' }], ['/Decline ', { kind: 'decline' }], ['!reject', { kind: 'decline' }],
    ['accept', { kind: 'accept' }], ['!a', { kind: 'accept' }], ['a', { kind: 'message', text: 'a' }], ['!close', { kind: 'command', text: '!close' }], ['/help', { kind: 'command', text: '/help' }],
    ['/me waves', { kind: 'message', text: '/me waves' }], [' Hello there ', { kind: 'message', text: 'Hello there' }],
  ];
  for (const [body, want] of table) it(`"${body}" → ${want.kind}`, () => expect(agentText(body)).to.deep.equal(want));
  it('an Allow header decides; without one (Kamailio stores "all") nothing is known yet', () => {
    expect(takesMessage(783)).to.equal(true); // INVITE ACK CANCEL BYE OPTIONS MESSAGE
    expect(takesMessage(527)).to.equal(false); // no MESSAGE
    expect(takesMessage(0xffffffff)).to.equal(undefined); // no Allow header: "all"
    expect(takesMessage(-1)).to.equal(undefined);
    expect(takesMessage(Number.NaN)).to.equal(undefined);
  });
  it('Accept headers (all of them, comma-joined) with text/plain say the client reads MESSAGE', () => {
    // What Linphone Desktop 4.4 sends in its REGISTER (three Accept headers, no Allow).
    expect(acceptsText('application/sdp,text/plain,application/vnd.gsma.rcs-ft-http+xml')).to.equal(true);
    expect(acceptsText('application/sdp, text/plain;charset=UTF-8')).to.equal(true);
    expect(acceptsText('text/*')).to.equal(true);
    expect(acceptsText('*/*')).to.equal(true);
    expect(acceptsText('application/sdp')).to.equal(false);
    expect(acceptsText('text/plainish, application/text/plain')).to.equal(false);
    expect(acceptsText('')).to.equal(false);
  });
  it('an Allow value lists MESSAGE as a method token, case-sensitive', () => {
    expect(allowsMessage('INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE')).to.equal(true);
    expect(allowsMessage('INVITE,MESSAGE,NOTIFY')).to.equal(true);
    expect(allowsMessage('INVITE, ACK, BYE')).to.equal(false);
    expect(allowsMessage('message')).to.equal(false);
    expect(allowsMessage(null)).to.equal(false);
  });
});
