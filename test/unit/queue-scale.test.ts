// The planner at scale: it skips the work that cannot change the plan (no
// free slot; turns past the last free slot; conversations whose quota is used
// up), and its plan stays the one of the straightforward planner it replaced
// (queue-reference.ts), checked on seeded random inputs.
import { expect } from 'chai';
import { candidatesFor, eligibleAmong } from '../../src/core/eligibility.js';
import { planOffers, type AgentState, type WaitingConversation } from '../../src/core/queue.js';
import { STRATEGIES, type StrategyName } from '../../src/core/strategies/index.js';
import type { StrategyDef } from '../../src/core/strategies/types.js';
import { agent, conv, convs, NOW, pairs } from './queue-fixtures.js';
import { referencePlanOffers } from './queue-reference.js';

/** A seeded generator: a failing case prints its seed and repeats. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

const NAMES = Object.keys(STRATEGIES) as StrategyName[];

function randomInput(seed: number, size: { agents: number; waiting: number }): { agents: AgentState[]; waiting: WaitingConversation[] } {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => r() < p;
  const point = () => (chance(0.6) ? { lat: r() * 120 - 60, lon: r() * 360 - 180 } : null);
  const nAgents = int(size.agents + 1);
  const agents: AgentState[] = Array.from({ length: nAgents }, (_, i) => {
    const available = chance(0.7);
    const maxChats = int(5);
    return {
      id: `a${String(i).padStart(4, '0')}`, available, maxChats, active: int(maxChats + 2), pending: int(3),
      idleSince: chance(0.5) ? NOW - int(100_000) : null, away: !available && chance(0.5), mobile: chance(0.25),
      location: point(), departmentIds: ['d1', 'd2'].filter(() => chance(0.5)),
    };
  });
  const someAgents = (max: number) => { const out = new Set<string>(); for (let k = int(max + 1); k > 0 && nAgents > 0; k--) out.add(pick(agents).id); return out; };
  const routes = [null, agents.filter(() => chance(0.3)).map((a) => a.id), agents.filter(() => chance(0.3)).map((a) => a.id)];
  const nWaiting = int(size.waiting + 1);
  const waiting: WaitingConversation[] = Array.from({ length: nWaiting }, (_, i) => {
    const createdAt = NOW - int(120_000);
    const refusedBy = new Map([...someAgents(3)].map((id) => [id, NOW - int(60_000)]));
    return {
      id: `c${i}`, roomId: pick(['r1', 'r2', 'r3']), createdAt: chance(0.1) ? NOW - 5_000 : createdAt, strategy: pick(NAMES),
      reofferAfterMs: pick([0, 10_000, 30_000]), ringLimit: int(5), pendingAgents: someAgents(3), refusedBy,
      queuedAt: chance(0.5) ? createdAt + int(5_000) : undefined,
      rules: chance(0.15) ? undefined : {
        departmentId: pick([null, null, 'd1', 'd2']),
        urlRouteAgents: [...pick(routes) ?? []].length === 0 && chance(0.5) ? null : pick(routes),
        ownerAgentId: chance(0.1) && nAgents > 0 ? pick(agents).id : null,
        stickyAgentId: chance(0.25) && nAgents > 0 ? pick(agents).id : null,
        askAllAt: chance(0.2) ? NOW - int(20_000) : null,
        tierDelayMs: pick([0, 5_000, 20_000, 60_000]),
        includeMobileAgents: pick([true, false, undefined]),
      },
      location: point(), lastAgentId: chance(0.5) && nAgents > 0 ? pick(agents).id : null,
    };
  });
  return { agents, waiting };
}

function expectSamePlan(seed: number, size: { agents: number; waiting: number }): void {
  const { agents, waiting } = randomInput(seed, size);
  const at = NOW + (seed % 7) * 1_000;
  expect(planOffers(waiting, agents, at), `seed ${seed}`).to.deep.equal(referencePlanOffers(waiting, agents, at));
}

/** Counts the strategies' rankings until restored. */
function countRankings(): { count: () => number; restore: () => void } {
  let n = 0;
  const defs = STRATEGIES as unknown as Record<string, StrategyDef>;
  const saved = new Map(Object.entries(defs).map(([k, d]) => [k, { ...d }]));
  for (const d of Object.values(defs)) {
    const { rank, top } = d;
    d.rank = (...args) => { n++; return rank(...args); };
    if (top) d.top = (...args) => { n++; return top(...args); };
  }
  return { count: () => n, restore: () => { for (const [k, d] of saved) Object.assign(defs[k]!, d); } };
}

describe('queue: planOffers at scale', () => {
  it('with no free slot, ranks nothing and makes no offers and no wake-up, whatever the rules', () => {
    const busy = [agent('a', { maxChats: 2, active: 2 }), agent('b', { maxChats: 1, pending: 1 }), agent('m', { mobile: true, maxChats: 1, active: 1 })];
    const waiting = [
      conv('c1', { createdAt: 1, refused: { a: NOW - 1_000 } }),
      { ...conv('c2', { createdAt: 2 }), rules: { stickyAgentId: 'a', tierDelayMs: 60_000 }, queuedAt: NOW },
      { ...conv('c3', { createdAt: 3 }), rules: { tierDelayMs: 60_000 }, queuedAt: NOW },
    ];
    const spy = countRankings();
    try {
      const p = planOffers(waiting, busy, NOW);
      expect(p).to.deep.equal({ offers: [], wakeAt: null, lastOffered: new Map() });
      expect(spy.count()).to.equal(0);
    } finally { spy.restore(); }
    expect(referencePlanOffers(waiting, busy, NOW)).to.deep.equal({ offers: [], wakeAt: null, lastOffered: new Map() });
  });

  it('agents with room but reachable by no room (offline, away on a desktop) count as no free slot', () => {
    const spy = countRankings();
    try {
      const p = planOffers(convs(50), [agent('off', { available: false }), agent('away', { available: false, away: true })], NOW);
      expect(p).to.deep.include({ offers: [], wakeAt: null });
      expect(spy.count()).to.equal(0);
    } finally { spy.restore(); }
  });

  it('ranks no more conversations than there are free slots, however long the queue', () => {
    const agents = [agent('a', { maxChats: 3, active: 2 }), agent('b', { maxChats: 3, active: 1 }), ...Array.from({ length: 500 }, (_, i) => agent(`full${i}`, { active: 3 }))];
    const waiting = convs(3_000, { ringLimit: 3 });
    const spy = countRankings();
    try {
      const p = planOffers(waiting, agents, NOW);
      expect(pairs(p)).to.deep.equal(['c1:b', 'c2:b', 'c3:a']);
      expect(spy.count()).to.equal(3);
    } finally { spy.restore(); }
  });

  it('a turn that took its first ranked agents goes on down the same ranking once those fill up', () => {
    // 200 free agents with one slot each; "wide" (round robin, up to 10 agents) is ranked
    // first and gets its first few only; 20 younger chats then fill the agents next in
    // its order, so its second round must reach further down the ranking it had then.
    const agents = Array.from({ length: 200 }, (_, i) => agent(`a${String(i).padStart(3, '0')}`, { maxChats: 1 }));
    const wide = { ...conv('wide', { createdAt: 0, ringLimit: 10 }), strategy: 'round-robin' as const, roomId: 'rr' };
    const waiting = [wide, ...convs(20, { ringLimit: 1 })];
    const spy = countRankings();
    let p;
    try {
      p = planOffers(waiting, agents, NOW);
      expect(spy.count()).to.equal(1 + 20 + 1); // wide twice: its first few, then further
    } finally { spy.restore(); }
    expect(p.offers.filter((o) => o.conversationId === 'wide').map((o) => o.agentId)).to.deep.equal(['a000', ...Array.from({ length: 9 }, (_, i) => `a${String(21 + i).padStart(3, '0')}`)]);
    expect(p).to.deep.equal(referencePlanOffers(waiting, agents, NOW));
  });

  it('conversations with the same rules share one candidate list; their own pending offers make a copy without them', () => {
    const agents = [agent('a'), agent('b'), agent('c')];
    const cands = candidatesFor(agents, {});
    const one = eligibleAmong(conv('c1'), cands, NOW, new Set());
    const two = eligibleAmong(conv('c2'), cands, NOW, new Set(['x']));
    expect(one.agents).to.equal(cands.agents);
    expect(two.agents).to.equal(cands.agents);
    const three = eligibleAmong(conv('c3'), cands, NOW, new Set(['b']));
    expect(three.agents.map((a) => a.id)).to.deep.equal(['a', 'c']);
    expect(cands.agents.map((a) => a.id)).to.deep.equal(['a', 'b', 'c']);
  });

  it('gives the reference planner\'s plan on 3,000 small random inputs (offers in order, wake-up, rotation)', () => {
    for (let seed = 1; seed <= 3_000; seed++) expectSamePlan(seed, { agents: 12, waiting: 15 });
  });

  it('and on larger random inputs (up to 200 agents × 300 waiting)', () => {
    for (let seed = 10_001; seed <= 10_040; seed++) expectSamePlan(seed, { agents: 200, waiting: 300 });
  });

  it('and on a routing-bench-sized state: 1,000 agents, 1,000 waiting, slots scarce and plenty', () => {
    for (const [seed, free] of [[1, 0.02], [2, 0.5], [3, 1]] as const) {
      const r = rng(seed);
      const agents = Array.from({ length: 1_000 }, (_, i) => agent(`agent${i}`, { active: r() < free ? 0 : 3, idleSince: r() < 0.5 ? NOW - i : null }));
      const waiting = convs(1_000, { ringLimit: 3 }).map((c, i) => ({ ...c, pendingAgents: new Set(i % 3 ? [] : [`agent${(i * 7) % 1_000}`]) }));
      expect(planOffers(waiting, agents, NOW), `seed ${seed}`).to.deep.equal(referencePlanOffers(waiting, agents, NOW));
    }
  });
});
