// Every routing strategy, table-style: pure functions over candidates, a
// conversation and the clock.
import { expect } from 'chai';
import { isStrategy, STRATEGIES } from '../../src/core/strategies/index.js';
import { leastBusy } from '../../src/core/strategies/least-busy.js';
import { longestIdle } from '../../src/core/strategies/longest-idle.js';
import { distanceKm, nearestAgent } from '../../src/core/strategies/nearest-agent.js';
import { quickestReply } from '../../src/core/strategies/quickest-reply.js';
import { roundRobin } from '../../src/core/strategies/round-robin.js';
import type { Candidate, ConversationView, Strategy } from '../../src/core/strategies/types.js';
import { NOW } from './queue-fixtures.js';

const cand = (id: string, over: Partial<Candidate> = {}): Candidate => ({ id, active: 0, pending: 0, maxChats: 3, idleSince: null, location: null, ...over });
const view = (over: Partial<ConversationView> = {}): ConversationView => ({ id: 'c', roomId: 'r', createdAt: 0, ...over });

const PARIS = { lat: 48.8566, lon: 2.3522 };
const LONDON = { lat: 51.5074, lon: -0.1278 };
const BERLIN = { lat: 52.52, lon: 13.405 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };
const SYDNEY = { lat: -33.8688, lon: 151.2093 };

interface Case { what: string; candidates: Candidate[]; conv?: Partial<ConversationView>; ranked: string[] }

const TABLE: Record<string, { fn: Strategy; cases: Case[] }> = {
  'quickest-reply': {
    fn: quickestReply,
    cases: [
      { what: 'nobody', candidates: [], ranked: [] },
      { what: 'ties keep the given order', candidates: [cand('b'), cand('a'), cand('c')], ranked: ['b', 'a', 'c'] },
      { what: 'lowest share of maxChats first', candidates: [cand('a', { active: 1, maxChats: 2 }), cand('b', { active: 1, maxChats: 4 }), cand('c')], ranked: ['c', 'b', 'a'] },
      { what: 'pending offers count in the share', candidates: [cand('a', { pending: 2 }), cand('b', { active: 1 })], ranked: ['b', 'a'] },
      { what: 'equal share: idle longest first', candidates: [cand('a', { idleSince: NOW - 10 }), cand('b', { idleSince: NOW - 99 })], ranked: ['b', 'a'] },
    ],
  },
  'round-robin': {
    fn: roundRobin,
    cases: [
      { what: 'no rotation yet: in id order', candidates: [cand('c'), cand('a'), cand('b')], ranked: ['a', 'b', 'c'] },
      { what: 'starts after the agent served last', candidates: [cand('c'), cand('a'), cand('b')], conv: { lastAgentId: 'a' }, ranked: ['b', 'c', 'a'] },
      { what: 'wraps around after the last id', candidates: [cand('c'), cand('a'), cand('b')], conv: { lastAgentId: 'c' }, ranked: ['a', 'b', 'c'] },
      { what: 'the last one need not be a candidate now', candidates: [cand('a'), cand('d'), cand('b')], conv: { lastAgentId: 'c' }, ranked: ['d', 'a', 'b'] },
      { what: 'ignores load and idle time', candidates: [cand('a', { active: 2 }), cand('b', { idleSince: 0 })], conv: { lastAgentId: 'b' }, ranked: ['a', 'b'] },
      { what: 'a single candidate', candidates: [cand('a')], conv: { lastAgentId: 'a' }, ranked: ['a'] },
    ],
  },
  'least-busy': {
    fn: leastBusy,
    cases: [
      { what: 'fewest active chats first', candidates: [cand('a', { active: 2 }), cand('b', { active: 0 }), cand('c', { active: 1 })], ranked: ['b', 'c', 'a'] },
      { what: 'pending offers count as chats', candidates: [cand('a', { pending: 1 }), cand('b', { active: 0 })], ranked: ['b', 'a'] },
      { what: 'tie → idle longest first', candidates: [cand('a', { idleSince: NOW - 5 }), cand('b', { idleSince: NOW - 50 }), cand('c', { idleSince: NOW - 20 })], ranked: ['b', 'c', 'a'] },
      { what: 'not by share: 1 of 10 is busier than 0 of 1', candidates: [cand('a', { active: 1, maxChats: 10 }), cand('b', { maxChats: 1 })], ranked: ['b', 'a'] },
      { what: 'equal chats, nobody idle: given order', candidates: [cand('b', { active: 1 }), cand('a', { active: 1 })], ranked: ['b', 'a'] },
    ],
  },
  'longest-idle': {
    fn: longestIdle,
    cases: [
      { what: 'idle the longest first', candidates: [cand('a', { idleSince: NOW - 1_000 }), cand('b', { idleSince: NOW - 60_000 }), cand('c', { idleSince: NOW - 5_000 })], ranked: ['b', 'c', 'a'] },
      { what: 'agents with chats after every idle one', candidates: [cand('a', { active: 1 }), cand('b', { idleSince: NOW })], ranked: ['b', 'a'] },
      { what: 'among busy agents, the least loaded first', candidates: [cand('a', { active: 2 }), cand('b', { active: 1 }), cand('c', { active: 1, pending: 1 })], ranked: ['b', 'a', 'c'] },
      { what: 'equal idle times: given order', candidates: [cand('b', { idleSince: 5 }), cand('a', { idleSince: 5 })], ranked: ['b', 'a'] },
    ],
  },
  'nearest-agent': {
    fn: nearestAgent,
    cases: [
      { what: 'closest first (customer in Paris)', candidates: [cand('ny', { location: NEW_YORK }), cand('be', { location: BERLIN }), cand('lo', { location: LONDON })], conv: { location: PARIS }, ranked: ['lo', 'be', 'ny'] },
      { what: 'across the antimeridian', candidates: [cand('ny', { location: NEW_YORK }), cand('sy', { location: SYDNEY })], conv: { location: { lat: -17.7, lon: 178.0 } }, ranked: ['sy', 'ny'] },
      { what: 'agents without a location go last', candidates: [cand('x'), cand('ny', { location: NEW_YORK }), cand('y', { active: 1 })], conv: { location: PARIS }, ranked: ['ny', 'x', 'y'] },
      { what: 'without the customer location: least loaded first', candidates: [cand('lo', { location: LONDON, active: 1 }), cand('be', { location: BERLIN })], conv: { location: null }, ranked: ['be', 'lo'] },
      { what: 'same place: idle longest first', candidates: [cand('a', { location: LONDON, idleSince: 9 }), cand('b', { location: LONDON, idleSince: 1 })], conv: { location: PARIS }, ranked: ['b', 'a'] },
    ],
  },
};

describe('strategies', () => {
  for (const [name, { fn, cases }] of Object.entries(TABLE)) {
    describe(name, () => {
      it('is in the map under its name', () => expect(STRATEGIES[name as keyof typeof STRATEGIES].rank).to.equal(fn));
      for (const c of cases) {
        it(c.what, () => {
          const input = c.candidates.map((x) => ({ ...x }));
          expect(fn(input, view(c.conv), NOW)).to.deep.equal(c.ranked);
          expect(input, 'the candidates are not changed').to.deep.equal(c.candidates);
        });
      }
    });
  }

  it('the map holds exactly the tested strategies; names are own keys only', () => {
    expect(Object.keys(STRATEGIES).sort()).to.deep.equal(Object.keys(TABLE).sort());
    for (const n of Object.keys(TABLE)) expect(isStrategy(n)).to.equal(true);
    expect(isStrategy('toString')).to.equal(false);
    expect(isStrategy('sticky')).to.equal(false);
  });

  it('ring-all offers everyone at once; the others one agent at a time', () => {
    expect(Object.fromEntries(Object.entries(STRATEGIES).map(([k, v]) => [k, v.ringWidth]))).to.deep.equal({
      'quickest-reply': 0, 'round-robin': 1, 'least-busy': 1, 'longest-idle': 1, 'nearest-agent': 1,
    });
  });

  describe('great-circle distance', () => {
    const cases: Array<[string, { lat: number; lon: number }, { lat: number; lon: number }, number]> = [
      ['Paris–London', PARIS, LONDON, 343.5],
      ['London–New York', LONDON, NEW_YORK, 5570.2],
      ['a point to itself', BERLIN, BERLIN, 0],
      ['pole to pole', { lat: 90, lon: 0 }, { lat: -90, lon: 0 }, 20015.1],
      ['antipodes on the equator', { lat: 0, lon: 0 }, { lat: 0, lon: 180 }, 20015.1],
    ];
    for (const [what, a, b, km] of cases) {
      it(`${what} ≈ ${km} km, both ways`, () => {
        expect(distanceKm(a, b)).to.be.closeTo(km, 1);
        expect(distanceKm(b, a)).to.be.closeTo(km, 1);
      });
    }
  });
});
