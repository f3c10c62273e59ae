import { expect } from 'chai';
import { encodeNetstring, NetstringDecoder, NetstringError } from '../../sip/evapi/netstring.js';
import { bdecode, bencode } from '../../sip/rtpengine/ng.js';
import { ha1ForRequest } from '../../sip/digest.js';
import { ha1 as sipHa1 } from '../../src/app/sip-info.js';
import { fillTemplates } from '../../sip/kamailio/render.js';

describe('evapi netstrings', () => {
  it('encodes by byte length', () => {
    expect(encodeNetstring('{"a":1}').toString()).to.equal('7:{"a":1},');
    expect(encodeNetstring('é').toString()).to.equal('2:é,');
    expect(encodeNetstring('').toString()).to.equal('0:,');
  });

  it('decodes whole, split and batched frames', () => {
    const d = new NetstringDecoder();
    const wire = Buffer.concat([encodeNetstring('héllo'), encodeNetstring('{"x":[1,2]}'), encodeNetstring('')]);
    const out: string[] = [];
    for (let i = 0; i < wire.length; i += 3) out.push(...d.push(wire.subarray(i, i + 3)));
    expect(out).to.deep.equal(['héllo', '{"x":[1,2]}', '']);
    expect(new NetstringDecoder().push(wire)).to.deep.equal(['héllo', '{"x":[1,2]}', '']);
  });

  for (const [name, bytes] of [['a bad length', 'x1:a,'], ['a missing comma', '1:ab'], ['a leading zero', '01:a,'], ['an endless length', '12345678901']] as const) {
    it(`rejects ${name}`, () => expect(() => new NetstringDecoder().push(Buffer.from(bytes))).to.throw(NetstringError));
  }

  it('rejects frames over the limit before buffering them', () => {
    expect(() => new NetstringDecoder(10).push(Buffer.from('11:'))).to.throw(NetstringError, /limit/);
  });
});

describe('rtpengine bencode', () => {
  it('round-trips what the ng protocol uses (sorted dict keys)', () => {
    const v = { command: 'offer', 'call-id': 'abc', flags: ['trust-address'], replace: ['origin'], port: 5 };
    expect(bencode(v).toString()).to.equal('d7:call-id3:abc7:command5:offer5:flagsl13:trust-addresse4:porti5e7:replacel6:originee');
    expect(bdecode(bencode(v))).to.deep.equal(v);
    expect(bdecode(Buffer.from('d6:result4:ponge'))).to.deep.equal({ result: 'pong' });
  });
});

describe('digest HA1', () => {
  it('is md5(user:realm:password) (RFC 2617 §3.2.2.2)', () => {
    expect(sipHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life')).to.equal('939e7578ed9e3c518a452acee763bce9');
  });

  it('takes the stored HA1, else derives it from the password, else gives a fresh decoy', () => {
    expect(ha1ForRequest({ username: 'a', ha1: 'f'.repeat(32), password: 'pw' }, 'r')).to.equal('f'.repeat(32));
    expect(ha1ForRequest({ username: 'a', ha1: null, password: 'pw' }, 'r')).to.equal(sipHa1('a', 'r', 'pw'));
    const d1 = ha1ForRequest(null, 'r'), d2 = ha1ForRequest({ username: 'a', ha1: null, password: null }, 'r');
    expect(d1).to.match(/^[0-9a-f]{32}$/);
    expect(d2).to.match(/^[0-9a-f]{32}$/).and.not.equal(d1);
  });
});

describe('kamailio config templates', () => {
  it('fills every placeholder and uses every value', () => {
    expect(fillTemplates({ a: 'x={{X}} {{PLACEHOLDERS}}', b: 'y={{Y}}' }, { X: '1', Y: '2' })).to.deep.equal({ a: 'x=1 {{PLACEHOLDERS}}', b: 'y=2' });
    expect(() => fillTemplates({ a: '{{X}} {{Z}}' }, { X: '1' })).to.throw(/no value for \{\{Z\}\} in a/);
    expect(() => fillTemplates({ a: '{{X}}' }, { X: '1', Y: '2' })).to.throw(/unused values Y/);
  });
});
