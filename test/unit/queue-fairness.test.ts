import { expect } from 'chai';
import { planOffers, type AgentState, type WaitingConversation } from '../../src/core/queue.js';
import { quickestReply } from '../../src/core/strategies/quickest-reply.js';
import type { Candidate } from '../../src/core/strategies/types.js';
import { agent, conv, convs, NOW, pairs, perConversation } from './queue-fixtures.js';

describe('strategies: quickest-reply ranking', () => {
  const view = { id: 'c', roomId: 'r', createdAt: 0 };
  const cand = (id: string, over: Partial<Candidate> = {}): Candidate => ({ id, active: 0, pending: 0, maxChats: 3, idleSince: null, ...over });
  const cases: Array<{ what: string; cands: Candidate[]; ranked: string[] }> = [
    { what: 'fewer active chats first', cands: [cand('a', { active: 2 }), cand('b'), cand('c', { active: 1 })], ranked: ['b', 'c', 'a'] },
    { what: 'pending offers count as load', cands: [cand('a', { pending: 1 }), cand('b')], ranked: ['b', 'a'] },
    { what: 'load is a share of maxChats', cands: [cand('a', { active: 1, maxChats: 2 }), cand('b', { active: 1, maxChats: 4 })], ranked: ['b', 'a'] },
    { what: 'same share: fewer active chats first', cands: [cand('a', { active: 1 }), cand('b', { pending: 1 })], ranked: ['b', 'a'] },
    { what: 'same load: idle longest first, never-idle last', cands: [cand('a'), cand('b', { idleSince: 200 }), cand('c', { idleSince: 100 })], ranked: ['c', 'b', 'a'] },
    { what: 'full ties keep the given order', cands: [cand('z'), cand('y'), cand('x')], ranked: ['z', 'y', 'x'] },
    { what: 'maxChats 0 goes last', cands: [cand('a', { maxChats: 0 }), cand('b', { active: 2 })], ranked: ['b', 'a'] },
  ];
  for (const c of cases) it(c.what, () => expect(quickestReply(c.cands, view, NOW)).to.deep.equal(c.ranked));

  it('does not modify its input', () => {
    const cands = [cand('a', { active: 1 }), cand('b')];
    quickestReply(cands, view, NOW);
    expect(cands.map((c) => c.id)).to.deep.equal(['a', 'b']);
  });
});

describe('queue: fairness when slots are scarce', () => {
  const cases: Array<{ what: string; waiting: WaitingConversation[]; agents: AgentState[]; per: Record<string, number> }> = [
    {
      what: 'one agent per conversation, oldest first, until slots run out',
      waiting: convs(5), agents: [agent('a', { maxChats: 1 }), agent('b', { maxChats: 1 }), agent('c', { maxChats: 1 })],
      per: { c1: 1, c2: 1, c3: 1 },
    },
    {
      what: 'a second round for the oldest with what is left',
      waiting: convs(4), agents: [agent('a'), agent('b')],
      per: { c1: 2, c2: 2, c3: 1, c4: 1 },
    },
    {
      what: 'slots freed by a claim spread over everyone waiting',
      waiting: convs(3), agents: [agent('a', { pending: 2 }), agent('b', { pending: 2 }), agent('c', { pending: 2 }), agent('d', { pending: 2 })],
      per: { c1: 2, c2: 1, c3: 1 },
    },
    {
      what: 'slots abound: every conversation goes to every agent (ring-all)',
      waiting: convs(3), agents: [agent('a'), agent('b'), agent('c'), agent('d')],
      per: { c1: 4, c2: 4, c3: 4 },
    },
    {
      what: 'a conversation with pending offers still takes part',
      waiting: [conv('c1', { createdAt: 1, pending: ['a'] }), conv('c2', { createdAt: 2 })], agents: [agent('a', { pending: 1 }), agent('b', { maxChats: 1 })],
      per: { c1: 1, c2: 1 },
    },
  ];
  for (const c of cases) it(c.what, () => expect(perConversation(planOffers(c.waiting, c.agents, NOW))).to.deep.equal(c.per));

  it('ranks each conversation after the offers planned before it, so a burst spreads over agents', () => {
    const p = planOffers(convs(3, { ringLimit: 1 }), [agent('a'), agent('b'), agent('c')], NOW);
    expect(pairs(p)).to.deep.equal(['c1:a', 'c2:b', 'c3:c']);
  });

  it('never plans an agent over maxChats across rounds', () => {
    const agents = [agent('a', { maxChats: 2 }), agent('b', { maxChats: 1, active: 1 }), agent('c', { maxChats: 3, pending: 1 })];
    const p = planOffers(convs(6), agents, NOW);
    const n = (id: string) => p.offers.filter((o) => o.agentId === id).length;
    expect([n('a'), n('b'), n('c')]).to.deep.equal([2, 0, 2]);
  });

  it('lists offers oldest conversation first, each one\'s agents best first', () => {
    const p = planOffers(convs(2), [agent('a', { active: 2 }), agent('b'), agent('c', { active: 1 })], NOW);
    expect(p.offers.map((o) => `${o.conversationId}:${o.agentId}`)).to.deep.equal(['c1:b', 'c1:c', 'c1:a', 'c2:b', 'c2:c']);
  });
});

describe('queue: ringLimit', () => {
  const five = ['a', 'b', 'c', 'd', 'e'].map((id) => agent(id));
  const cases: Array<{ what: string; waiting: WaitingConversation[]; agents: AgentState[]; offers: string[] }> = [
    { what: '0 offers to every agent with room', waiting: [conv('c1', { ringLimit: 0 })], agents: five, offers: ['c1:a', 'c1:b', 'c1:c', 'c1:d', 'c1:e'] },
    { what: '1 offers to one agent', waiting: [conv('c1', { ringLimit: 1 })], agents: five, offers: ['c1:a'] },
    { what: '2 offers to the two least loaded', waiting: [conv('c1', { ringLimit: 2 })], agents: [agent('a', { active: 2 }), agent('b'), agent('c', { active: 1 })], offers: ['c1:b', 'c1:c'] },
    { what: 'pending offers count towards it', waiting: [conv('c1', { ringLimit: 2, pending: ['a'] })], agents: [agent('a', { pending: 1 }), agent('b'), agent('c')], offers: ['c1:b'] },
    { what: 'reached: no more offers', waiting: [conv('c1', { ringLimit: 2, pending: ['a', 'b'] })], agents: [agent('a', { pending: 1 }), agent('b', { pending: 1 }), agent('c')], offers: [] },
    { what: 'pending over the limit (lowered): no more offers', waiting: [conv('c1', { ringLimit: 1, pending: ['a', 'b'] })], agents: [agent('a', { pending: 1 }), agent('b', { pending: 1 }), agent('c')], offers: [] },
    { what: 'larger than the agents: all of them', waiting: [conv('c1', { ringLimit: 9 })], agents: [agent('a'), agent('b')], offers: ['c1:a', 'c1:b'] },
    { what: 'after a decline: the next agent, not the one who refused', waiting: [conv('c1', { ringLimit: 1, refused: { a: NOW - 1000 } })], agents: five, offers: ['c1:b'] },
    { what: 'skips agents without room', waiting: [conv('c1', { ringLimit: 1 })], agents: [agent('a', { available: false }), agent('b', { maxChats: 1, active: 1 }), agent('c')], offers: ['c1:c'] },
    { what: 'per conversation, each its own', waiting: [conv('c1', { createdAt: 1, ringLimit: 1 }), conv('c2', { createdAt: 2, ringLimit: 2 })], agents: five, offers: ['c1:a', 'c2:b', 'c2:c'] },
    { what: 're-offer to refused agents only: still limited', waiting: [conv('c1', { ringLimit: 1, refused: { a: NOW - 60_000, b: NOW - 60_000 } })], agents: [agent('a'), agent('b')], offers: ['c1:a'] },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const p = planOffers(c.waiting, c.agents, NOW);
      expect(pairs(p)).to.deep.equal(c.offers);
      expect(p.wakeAt).to.equal(null);
    });
  }

  it('a limited conversation waiting on refusals still reports its wake-up', () => {
    const p = planOffers([conv('c1', { ringLimit: 1, refused: { a: NOW - 10_000 } })], [agent('a')], NOW);
    expect(p).to.deep.include({ offers: [], wakeAt: NOW + 20_000 });
  });
});
