// The contact submission's optional `context`, table-style.
import { expect } from 'chai';
import { NO_CONTEXT, validateContext } from '../../src/core/contact-context.js';
import { AppError } from '../../src/core/errors.js';

describe('contact context', () => {
  const ok: Array<[string, unknown, object]> = [
    ['absent', undefined, NO_CONTEXT],
    ['null', null, NO_CONTEXT],
    ['empty', {}, NO_CONTEXT],
    ['everything', { pageUrl: 'https://shop.example.com/cart?x=1#top', visitorId: 'aZ09_-', location: { lat: -90, lon: 180 } },
      { pageUrl: 'https://shop.example.com/cart?x=1#top', visitorId: 'aZ09_-', location: { lat: -90, lon: 180 } }],
    ['http page, null parts', { pageUrl: 'http://localhost:8080/x', visitorId: null, location: null }, { pageUrl: 'http://localhost:8080/x', visitorId: null, location: null }],
    ['64-character visitor id', { visitorId: 'v'.repeat(64) }, { pageUrl: null, visitorId: 'v'.repeat(64), location: null }],
    ['2048-character page URL', { pageUrl: `https://e.com/${'p'.repeat(2048 - 14)}` }, { pageUrl: `https://e.com/${'p'.repeat(2048 - 14)}`, visitorId: null, location: null }],
  ];
  for (const [what, raw, want] of ok) it(`accepts ${what}`, () => expect(validateContext(raw)).to.deep.equal(want));

  const bad: Array<[string, unknown, string]> = [
    ['a string', 'x', 'context'],
    ['an array', [], 'context'],
    ['an unknown key', { pageURL: 'https://e.com' }, 'context.pageURL'],
    ['a page URL that is a number', { pageUrl: 5 }, 'context.pageUrl'],
    ['a relative page URL', { pageUrl: '/help' }, 'context.pageUrl'],
    ['a javascript: page URL', { pageUrl: 'javascript:alert(1)' }, 'context.pageUrl'],
    ['a page URL with a space', { pageUrl: 'https://e.com/a b' }, 'context.pageUrl'],
    ['a page URL over 2048 characters', { pageUrl: `https://e.com/${'p'.repeat(2048)}` }, 'context.pageUrl'],
    ['an empty visitor id', { visitorId: '' }, 'context.visitorId'],
    ['a 65-character visitor id', { visitorId: 'v'.repeat(65) }, 'context.visitorId'],
    ['a visitor id with a dot', { visitorId: 'a.b' }, 'context.visitorId'],
    ['a location that is a list', { location: [1, 2] }, 'context.location'],
    ['a location without lon', { location: { lat: 1 } }, 'context.location.lon'],
    ['a latitude over 90', { location: { lat: 90.0001, lon: 0 } }, 'context.location.lat'],
    ['a longitude under -180', { location: { lat: 0, lon: -180.5 } }, 'context.location.lon'],
    ['a latitude as text', { location: { lat: '1', lon: 0 } }, 'context.location.lat'],
    ['an infinite longitude', { location: { lat: 0, lon: Infinity } }, 'context.location.lon'],
    ['an extra location key', { location: { lat: 0, lon: 0, alt: 3 } }, 'context.location.alt'],
  ];
  for (const [what, raw, field] of bad) {
    it(`refuses ${what}, naming ${field}`, () => {
      try { validateContext(raw); expect.fail('accepted'); } catch (e) {
        expect(e).to.be.instanceOf(AppError);
        expect((e as AppError).field).to.equal(field);
        expect((e as AppError).code).to.equal('invalid');
      }
    });
  }
});
