import { expect } from 'chai';
import { matchUrlRoute, normalizeUrlPattern, parsePageUrl, type UrlRule } from '../../src/core/url-routing.js';

const rule = (pattern: string, enabled = true): UrlRule & { name: string } => ({ pattern, enabled, name: pattern });
const one = (pattern: string, url: string) => matchUrlRoute([rule(pattern)], url) !== null;

describe('URL routing: normalizeUrlPattern', () => {
  const ok: Array<[string, string]> = [
    ['example.com', 'example.com'],
    ['  Example.COM/Help/  ', 'example.com/help'],
    ['https://shop.example.com/checkout', 'shop.example.com/checkout'],
    ['http://*.example.com', '*.example.com'],
    ['example.com:8443/a', 'example.com:8443/a'],
    ['localhost', 'localhost'],
    ['*', '*'],
    ['example.com/*/pricing', 'example.com/*/pricing'],
    ['example.com/', 'example.com'],
  ];
  for (const [input, stored] of ok) it(`accepts ${JSON.stringify(input)} as ${stored}`, () => expect(normalizeUrlPattern(input)).to.deep.equal({ ok: true, pattern: stored }));

  const bad = ['', '   ', 'example .com', 'example.com/a b', 'example.com/?q=1', 'example.com/#x', 'ftp://example.com', 'exa_mple.com', '.example.com', 'example..com', 'example.com:0', 'example.com:99999', '/only/a/path', 'user@example.com'];
  for (const input of bad) {
    it(`refuses ${JSON.stringify(input)} with the rule`, () => {
      const n = normalizeUrlPattern(input);
      expect(n.ok).to.equal(false);
      if (!n.ok) expect(n.rule).to.be.a('string').and.not.equal('');
    });
  }
});

describe('URL routing: matchUrlRoute', () => {
  const table: Array<[string, string, boolean]> = [
    ['example.com', 'https://example.com/', true],
    ['example.com', 'http://example.com/any/page?x=1#top', true],
    ['example.com', 'https://EXAMPLE.com/', true],
    ['example.com', 'https://www.example.com/', false],
    ['example.com', 'https://example.com.evil.net/', false],
    ['example.com', 'https://notexample.com/', false],
    ['example.com', 'example.com/pricing', true],
    ['example.com', 'http://example.com:8080/', true],
    ['*.example.com', 'https://shop.example.com/', true],
    ['*.example.com', 'https://a.b.example.com/x', true],
    ['*.example.com', 'https://example.com/', false],
    ['*.example.com', 'https://shop.example.net/', false],
    ['example.com/help', 'https://example.com/help', true],
    ['example.com/help', 'https://example.com/help/', true],
    ['example.com/help', 'https://example.com/help/faq?x=1', true],
    ['example.com/help', 'https://example.com/HELP/faq', true],
    ['example.com/help', 'https://example.com/helpdesk', false],
    ['example.com/help', 'https://example.com/', false],
    ['example.com/help', 'https://example.com/other?next=/help', false],
    ['example.com/help*', 'https://example.com/helpdesk', true],
    ['example.com/*/pricing', 'https://example.com/en/pricing', true],
    ['example.com/*/pricing', 'https://example.com/en/us/pricing/team', true],
    ['example.com/*/pricing', 'https://example.com/pricing', false],
    ['example.com:8443', 'https://example.com:8443/x', true],
    ['example.com:8443', 'https://example.com/x', false],
    ['example.com:443', 'https://example.com/x', true],
    ['example.com:80', 'https://example.com/x', false],
    ['localhost:8080/c', 'localhost:8080/c/general', true],
    ['*', 'https://anything.example/at/all', true],
    ['shop.example.com', 'mailto:shop.example.com', false],
    ['shop.example.com', 'javascript:alert(1)', false],
    ['shop.example.com', 'not a url at all', false],
    ['shop.example.com', '', false],
    ['a.b', 'https://a.b/', true],
    ['a.b', 'https://axb/', false],
  ];
  for (const [pattern, url, expected] of table) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(url)}`, () => expect(one(pattern, url)).to.equal(expected));
  }

  it('skips disabled rules', () => {
    expect(matchUrlRoute([rule('example.com', false)], 'https://example.com/')).to.equal(null);
    const on = rule('example.com');
    expect(matchUrlRoute([rule('example.com/help', false), on], 'https://example.com/help')).to.equal(on);
  });

  it('the most specific rule wins, whatever the order', () => {
    const site = rule('example.com'), help = rule('example.com/help'), any = rule('*.example.com'), all = rule('*');
    for (const order of [[site, help, any, all], [all, any, help, site], [help, all, site, any]]) {
      expect(matchUrlRoute(order, 'https://example.com/help/x')?.name).to.equal('example.com/help');
      expect(matchUrlRoute(order, 'https://example.com/about')?.name).to.equal('example.com');
      expect(matchUrlRoute(order, 'https://shop.example.com/')?.name).to.equal('*.example.com');
      expect(matchUrlRoute(order, 'https://other.org/')?.name).to.equal('*');
    }
  });

  it('on a tie the first rule in the given order wins', () => {
    const a = { ...rule('example.com/*/x'), name: 'first' }, b = { ...rule('example.com/a/*'), name: 'second' };
    expect(matchUrlRoute([a, b], 'https://example.com/a/x')?.name).to.equal('first');
    expect(matchUrlRoute([b, a], 'https://example.com/a/x')?.name).to.equal('second');
  });

  it('ignores a stored rule whose pattern is not valid rather than failing', () => {
    expect(matchUrlRoute([rule('bad pattern'), rule('example.com')], 'https://example.com/')?.pattern).to.equal('example.com');
  });

  it('no rules → null', () => expect(matchUrlRoute([], 'https://example.com/')).to.equal(null));

  it('parsePageUrl accepts addresses without a scheme and refuses other schemes', () => {
    expect(parsePageUrl('example.com/x')?.href).to.equal('http://example.com/x');
    expect(parsePageUrl('https://example.com')?.href).to.equal('https://example.com/');
    expect(parsePageUrl('ftp://example.com')).to.equal(null);
    expect(parsePageUrl('data:text/html,hi')).to.equal(null);
  });
});
