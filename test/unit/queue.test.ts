import { expect } from 'chai';
import { planOffers, type AgentState } from '../../src/core/queue.js';
import { agent, conv, NOW, pairs } from './queue-fixtures.js';

describe('queue: planOffers (quickest-reply)', () => {
  it('makes no offers and no wake-up with nothing waiting', () => {
    expect(planOffers([], [agent('a')], NOW)).to.deep.include({ offers: [], wakeAt: null });
  });

  it('makes no offers with no agents', () => {
    expect(planOffers([conv('c1')], [], NOW)).to.deep.include({ offers: [], wakeAt: null });
  });

  it('offers a conversation to every available agent with room', () => {
    const p = planOffers([conv('c1')], [agent('a'), agent('b'), agent('c')], NOW);
    expect(pairs(p)).to.deep.equal(['c1:a', 'c1:b', 'c1:c']);
    expect(p.wakeAt).to.equal(null);
  });

  describe('capacity and availability', () => {
    const cases: Array<{ what: string; agent: Partial<AgentState>; offered: boolean }> = [
      { what: 'available, idle', agent: {}, offered: true },
      { what: 'unavailable', agent: { available: false }, offered: false },
      { what: 'maxChats 0', agent: { maxChats: 0 }, offered: false },
      { what: 'active one below max', agent: { maxChats: 2, active: 1 }, offered: true },
      { what: 'active at max', agent: { maxChats: 2, active: 2 }, offered: false },
      { what: 'pending at max', agent: { maxChats: 2, pending: 2 }, offered: false },
      { what: 'active + pending at max', agent: { maxChats: 2, active: 1, pending: 1 }, offered: false },
      { what: 'active + pending one below max', agent: { maxChats: 3, active: 1, pending: 1 }, offered: true },
      { what: 'over max (max lowered)', agent: { maxChats: 1, active: 3 }, offered: false },
      { what: 'unavailable with room', agent: { available: false, maxChats: 5 }, offered: false },
    ];
    for (const c of cases) {
      it(`${c.what} → ${c.offered ? 'offered' : 'not offered'}`, () => {
        const p = planOffers([conv('c1')], [agent('a', c.agent)], NOW);
        expect(pairs(p)).to.deep.equal(c.offered ? ['c1:a'] : []);
      });
    }

    it('counts offers planned in the same call against maxChats', () => {
      const waiting = [conv('c1', { createdAt: 1 }), conv('c2', { createdAt: 2 }), conv('c3', { createdAt: 3 })];
      const p = planOffers(waiting, [agent('a', { maxChats: 2 })], NOW);
      expect(pairs(p)).to.deep.equal(['c1:a', 'c2:a']);
    });

    it('counts active, pending and planned offers together', () => {
      const waiting = [conv('c1', { createdAt: 1 }), conv('c2', { createdAt: 2 })];
      const p = planOffers(waiting, [agent('a', { maxChats: 3, active: 1, pending: 1 })], NOW);
      expect(pairs(p)).to.deep.equal(['c1:a']);
    });

    it('fills each agent up to its own maxChats', () => {
      const waiting = [conv('c1', { createdAt: 1 }), conv('c2', { createdAt: 2 }), conv('c3', { createdAt: 3 })];
      const p = planOffers(waiting, [agent('a', { maxChats: 1 }), agent('b', { maxChats: 3 }), agent('x', { available: false })], NOW);
      expect(pairs(p)).to.deep.equal(['c1:a', 'c1:b', 'c2:b', 'c3:b']);
    });
  });

  describe('order', () => {
    it('serves the oldest conversations first when capacity is short, whatever the input order', () => {
      const waiting = [conv('new', { createdAt: 300 }), conv('old', { createdAt: 100 }), conv('mid', { createdAt: 200 })];
      const p = planOffers(waiting, [agent('a', { maxChats: 1 }), agent('b', { maxChats: 1 })], NOW);
      expect(pairs(p)).to.deep.equal(['mid:b', 'old:a']);
    });

    it('lists offers oldest conversation first', () => {
      const waiting = [conv('c2', { createdAt: 2 }), conv('c1', { createdAt: 1 })];
      const p = planOffers(waiting, [agent('a')], NOW);
      expect(p.offers.map((o) => o.conversationId)).to.deep.equal(['c1', 'c2']);
    });

    it('does not modify its inputs', () => {
      const waiting = [conv('c2', { createdAt: 2 }), conv('c1', { createdAt: 1 })];
      const agents = [agent('a', { maxChats: 1 })];
      planOffers(waiting, agents, NOW);
      expect(waiting.map((w) => w.id)).to.deep.equal(['c2', 'c1']);
      expect(agents[0]).to.deep.equal(agent('a', { maxChats: 1 }));
    });
  });

  describe('pending offers', () => {
    it('does not offer again to an agent already pending on the conversation', () => {
      const p = planOffers([conv('c1', { pending: ['a'] })], [agent('a', { pending: 1 }), agent('b')], NOW);
      expect(pairs(p)).to.deep.equal(['c1:b']);
    });

    it('still offers other conversations to that agent if it has room', () => {
      const waiting = [conv('c1', { createdAt: 1, pending: ['a'] }), conv('c2', { createdAt: 2 })];
      const p = planOffers(waiting, [agent('a', { pending: 1 })], NOW);
      expect(pairs(p)).to.deep.equal(['c2:a']);
    });

    it('makes no offer when every agent with room is already pending on it', () => {
      const p = planOffers([conv('c1', { pending: ['a', 'b'] })], [agent('a', { pending: 1 }), agent('b', { pending: 1 })], NOW);
      expect(p).to.deep.include({ offers: [], wakeAt: null });
    });
  });

  describe('refusals', () => {
    it('skips agents who refused while others can take it', () => {
      const p = planOffers([conv('c1', { refused: { a: NOW - 100_000 } })], [agent('a'), agent('b')], NOW);
      expect(pairs(p)).to.deep.equal(['c1:b']);
      expect(p.wakeAt).to.equal(null);
    });

    it('a refusal only counts for its own conversation', () => {
      const waiting = [conv('c1', { createdAt: 1, refused: { a: NOW } }), conv('c2', { createdAt: 2 })];
      const p = planOffers(waiting, [agent('a')], NOW);
      expect(pairs(p)).to.deep.equal(['c2:a']);
    });

    it('does not re-offer to refused agents while someone else holds a pending offer', () => {
      const p = planOffers([conv('c1', { pending: ['b'], refused: { a: 0 } })], [agent('a'), agent('b', { pending: 1 })], NOW);
      expect(p).to.deep.include({ offers: [], wakeAt: null });
    });

    it('waits reofferAfterMs after the last refusal before re-offering, and reports when', () => {
      const c = conv('c1', { refused: { a: NOW - 10_000 }, reofferAfterMs: 30_000 });
      const p = planOffers([c], [agent('a')], NOW);
      expect(p).to.deep.include({ offers: [], wakeAt: NOW + 20_000 });
    });

    it('re-offers exactly at the due time', () => {
      const c = conv('c1', { refused: { a: NOW - 30_000 }, reofferAfterMs: 30_000 });
      const p = planOffers([c], [agent('a')], NOW);
      expect(pairs(p)).to.deep.equal(['c1:a']);
      expect(p.wakeAt).to.equal(null);
    });

    it('does not re-offer one millisecond before the due time', () => {
      const c = conv('c1', { refused: { a: NOW - 29_999 }, reofferAfterMs: 30_000 });
      expect(planOffers([c], [agent('a')], NOW)).to.deep.include({ offers: [], wakeAt: NOW + 1 });
    });

    it('re-offers to all refused agents at once, timed from the latest refusal', () => {
      const c = conv('c1', { refused: { a: NOW - 50_000, b: NOW - 5_000 }, reofferAfterMs: 30_000 });
      expect(planOffers([c], [agent('a'), agent('b')], NOW)).to.deep.include({ offers: [], wakeAt: NOW + 25_000 });
      expect(pairs(planOffers([c], [agent('a'), agent('b')], NOW + 25_000))).to.deep.equal(['c1:a', 'c1:b']);
    });

    it('times the re-offer from refusals of agents who can take it now', () => {
      // b refused last but is busy: only a's refusal matters.
      const c = conv('c1', { refused: { a: NOW - 40_000, b: NOW - 1_000 }, reofferAfterMs: 30_000 });
      const p = planOffers([c], [agent('a'), agent('b', { maxChats: 1, active: 1 })], NOW);
      expect(pairs(p)).to.deep.equal(['c1:a']);
    });

    it('gives no wake-up when refused agents have no room', () => {
      const c = conv('c1', { refused: { a: NOW } });
      expect(planOffers([c], [agent('a', { available: false })], NOW)).to.deep.include({ offers: [], wakeAt: null });
      expect(planOffers([c], [agent('a', { maxChats: 1, active: 1 })], NOW)).to.deep.include({ offers: [], wakeAt: null });
    });

    it('reports the earliest due time across conversations', () => {
      const waiting = [
        conv('c1', { createdAt: 1, refused: { a: NOW - 5_000 }, reofferAfterMs: 30_000 }),
        conv('c2', { createdAt: 2, refused: { a: NOW - 20_000 }, reofferAfterMs: 30_000 }),
        conv('c3', { createdAt: 3, refused: { a: NOW }, reofferAfterMs: 60_000 }),
      ];
      expect(planOffers(waiting, [agent('a')], NOW)).to.deep.include({ offers: [], wakeAt: NOW + 10_000 });
    });

    it('re-offers a due conversation and reports the wake-up of one not yet due', () => {
      const waiting = [
        conv('due', { createdAt: 1, refused: { a: NOW - 60_000 } }),
        conv('later', { createdAt: 2, refused: { a: NOW - 10_000 } }),
      ];
      const p = planOffers(waiting, [agent('a')], NOW);
      expect(pairs(p)).to.deep.equal(['due:a']);
      expect(p.wakeAt).to.equal(NOW + 20_000);
    });

    it('lets a younger conversation have an agent an older one is waiting to re-offer', () => {
      const waiting = [conv('old', { createdAt: 1, refused: { a: NOW } }), conv('new', { createdAt: 2 })];
      const p = planOffers(waiting, [agent('a', { maxChats: 1 })], NOW);
      expect(pairs(p)).to.deep.equal(['new:a']);
      expect(p.wakeAt).to.equal(NOW + 30_000);
    });

    it('with reofferAfterMs 0 re-offers at once', () => {
      const c = conv('c1', { refused: { a: NOW }, reofferAfterMs: 0 });
      expect(pairs(planOffers([c], [agent('a')], NOW))).to.deep.equal(['c1:a']);
    });

    it('never re-offers to an agent with maxChats 0', () => {
      const c = conv('c1', { refused: { a: 0 } });
      expect(planOffers([c], [agent('a', { maxChats: 0 })], NOW)).to.deep.include({ offers: [], wakeAt: null });
    });
  });
});
