// Eligibility rules (who may be offered a conversation, and when), and the
// planner acting on them: tiers and the sticky agent schedule its wake-up.
import { expect } from 'chai';
import { eligibleAgents, FILTERS, inDepartment, isRoomOwner, onUrlRoute, schedule, tierOf, type EligibilityRules } from '../../src/core/eligibility.js';
import { planOffers, type AgentState } from '../../src/core/queue.js';
import { agent, conv, NOW, pairs, type ConvSpec } from './queue-fixtures.js';

const withRules = (rules: EligibilityRules, s: ConvSpec & { queuedAt?: number; strategy?: string } = {}) => ({ ...conv('c1', s), rules, queuedAt: s.queuedAt ?? NOW, ...(s.strategy ? { strategy: s.strategy as 'quickest-reply' } : {}) });
const ids = (xs: AgentState[]) => xs.map((a) => a.id);

describe('eligibility: filters', () => {
  const sales = agent('s', { departmentIds: ['sales'] });
  const both = agent('b', { departmentIds: ['sales', 'help'] });
  const none = agent('n');
  const cases: Array<{ rule: string; fn: typeof inDepartment; a: AgentState; rules: EligibilityRules; ok: boolean }> = [
    { rule: 'department', fn: inDepartment, a: sales, rules: {}, ok: true },
    { rule: 'department', fn: inDepartment, a: none, rules: { departmentId: null }, ok: true },
    { rule: 'department', fn: inDepartment, a: sales, rules: { departmentId: 'sales' }, ok: true },
    { rule: 'department', fn: inDepartment, a: both, rules: { departmentId: 'help' }, ok: true },
    { rule: 'department', fn: inDepartment, a: sales, rules: { departmentId: 'help' }, ok: false },
    { rule: 'department', fn: inDepartment, a: none, rules: { departmentId: 'sales' }, ok: false },
    { rule: 'URL route', fn: onUrlRoute, a: none, rules: { urlRouteAgents: null }, ok: true },
    { rule: 'URL route', fn: onUrlRoute, a: none, rules: { urlRouteAgents: ['n', 'x'] }, ok: true },
    { rule: 'URL route', fn: onUrlRoute, a: sales, rules: { urlRouteAgents: ['n'] }, ok: false },
    { rule: 'URL route', fn: onUrlRoute, a: sales, rules: { urlRouteAgents: [] }, ok: false },
    { rule: 'private room', fn: isRoomOwner, a: none, rules: { ownerAgentId: null }, ok: true },
    { rule: 'private room', fn: isRoomOwner, a: none, rules: { ownerAgentId: 'n' }, ok: true },
    { rule: 'private room', fn: isRoomOwner, a: sales, rules: { ownerAgentId: 'n' }, ok: false },
  ];
  for (const c of cases) {
    it(`${c.rule}: agent ${c.a.id} with ${JSON.stringify(c.rules)} → ${c.ok ? 'eligible' : 'not eligible'}`, () => {
      expect(c.fn(c.a, c.rules)).to.equal(c.ok);
    });
  }

  it('every filter applies together', () => {
    expect(FILTERS).to.deep.equal([inDepartment, onUrlRoute, isRoomOwner]);
    const agents = [agent('a', { departmentIds: ['d'] }), agent('b', { departmentIds: ['d'] }), agent('c')];
    const v = eligibleAgents(withRules({ departmentId: 'd', urlRouteAgents: ['b', 'c'] }), agents, NOW);
    expect(ids(v.agents)).to.deep.equal(['b']);
    expect(eligibleAgents(withRules({ ownerAgentId: 'c', departmentId: 'd' }), agents, NOW).agents).to.deep.equal([]);
  });
});

describe('eligibility: tiers', () => {
  const cases: Array<{ what: string; a: Partial<AgentState>; include?: boolean; tier: 'desktop' | 'mobile' | null }> = [
    { what: 'available desktop', a: {}, tier: 'desktop' },
    { what: 'away desktop', a: { available: false, away: true }, tier: null },
    { what: 'offline desktop', a: { available: false }, tier: null },
    { what: 'available mobile', a: { mobile: true }, tier: 'mobile' },
    { what: 'away but mobile', a: { available: false, away: true, mobile: true }, tier: 'mobile' },
    { what: 'offline mobile', a: { available: false, mobile: true }, tier: null },
    { what: 'available mobile, room without mobile agents', a: { mobile: true }, include: false, tier: null },
    { what: 'away but mobile, room without mobile agents', a: { available: false, away: true, mobile: true }, include: false, tier: null },
    { what: 'available desktop, room without mobile agents', a: {}, include: false, tier: 'desktop' },
  ];
  for (const c of cases) it(`${c.what} → ${c.tier ?? 'unreachable'}`, () => expect(tierOf(agent('a', c.a), { includeMobileAgents: c.include })).to.equal(c.tier));

  const agents = [agent('desk'), agent('phone', { mobile: true }), agent('awayphone', { available: false, away: true, mobile: true })];
  const rules = { tierDelayMs: 10_000, includeMobileAgents: true };
  const steps: Array<{ at: number; eligible: string[]; wakeAt: number | null }> = [
    { at: NOW, eligible: ['desk'], wakeAt: NOW + 10_000 },
    { at: NOW + 9_999, eligible: ['desk'], wakeAt: NOW + 10_000 },
    { at: NOW + 10_000, eligible: ['desk', 'phone', 'awayphone'], wakeAt: null },
  ];
  for (const s of steps) {
    it(`mobile agents after the delay: at +${s.at - NOW} ms → ${s.eligible.join(', ')}`, () => {
      const v = eligibleAgents(withRules(rules), agents, s.at);
      expect(ids(v.agents)).to.deep.equal(s.eligible);
      expect(v.wakeAt).to.equal(s.wakeAt);
    });
  }

  it('the delay counts from when the conversation was queued', () => {
    expect(ids(eligibleAgents(withRules(rules, { queuedAt: NOW - 10_000 }), agents, NOW).agents)).to.have.length(3);
  });

  it('no wake-up when no mobile agent could be offered it', () => {
    expect(eligibleAgents(withRules(rules), [agent('desk')], NOW).wakeAt).to.equal(null);
  });
});

describe('eligibility: sticky agent', () => {
  const agents = [agent('prev'), agent('other'), agent('phone', { mobile: true })];
  const rules = { stickyAgentId: 'prev', tierDelayMs: 10_000 };
  const cases: Array<{ what: string; rules: EligibilityRules; spec?: ConvSpec; at: number; eligible: string[]; wakeAt: number | null; widened: boolean }> = [
    { what: 'only the agent who served them at first', rules, at: NOW, eligible: ['prev'], wakeAt: NOW + 10_000, widened: false },
    { what: 'everyone (desktop) after the delay', rules, at: NOW + 10_000, eligible: ['prev', 'other'], wakeAt: NOW + 20_000, widened: true },
    { what: 'mobile agents one more delay later', rules, at: NOW + 20_000, eligible: ['prev', 'other', 'phone'], wakeAt: null, widened: true },
    { what: 'ask all: everyone at once', rules: { ...rules, askAllAt: NOW + 3_000 }, at: NOW + 3_000, eligible: ['prev', 'other'], wakeAt: NOW + 13_000, widened: true },
    { what: 'ask all pressed later than the delay changes nothing', rules: { ...rules, askAllAt: NOW + 15_000 }, at: NOW + 15_000, eligible: ['prev', 'other'], wakeAt: NOW + 20_000, widened: true },
    { what: 'the sticky agent declined: everyone at once', rules, spec: { refused: { prev: NOW + 2_000 } }, at: NOW + 2_000, eligible: ['prev', 'other'], wakeAt: NOW + 12_000, widened: true },
    { what: 'no previous agent: no sticky phase', rules: { stickyAgentId: null, tierDelayMs: 10_000 }, at: NOW, eligible: ['prev', 'other'], wakeAt: NOW + 10_000, widened: false },
    { what: 'the sticky agent must pass the filters too', rules: { ...rules, departmentId: 'd' }, at: NOW, eligible: [], wakeAt: null, widened: false },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const v = eligibleAgents(withRules(c.rules, c.spec), agents, c.at);
      expect({ eligible: ids(v.agents), wakeAt: v.wakeAt, widened: v.widened }).to.deep.equal({ eligible: c.eligible, wakeAt: c.wakeAt, widened: c.widened });
    });
  }

  it('a mobile sticky agent is offered it in the sticky phase', () => {
    const v = eligibleAgents(withRules({ stickyAgentId: 'phone', tierDelayMs: 10_000 }), agents, NOW);
    expect(ids(v.agents)).to.deep.equal(['phone']);
  });

  it('schedule: the tiers open one delay apart', () => {
    expect(schedule(withRules(rules), NOW)).to.deep.equal({ stickyUntil: NOW + 10_000, mobileFrom: NOW + 20_000 });
    expect(schedule(withRules(rules), NOW + 10_000)).to.deep.equal({ stickyUntil: null, mobileFrom: NOW + 20_000 });
    expect(schedule(withRules({ tierDelayMs: 10_000 }), NOW)).to.deep.equal({ stickyUntil: null, mobileFrom: NOW + 10_000 });
  });
});

describe('planner with eligibility', () => {
  it('wakes when the sticky phase ends, then offers everyone too', () => {
    const c = withRules({ stickyAgentId: 'prev', tierDelayMs: 5_000 });
    const agents = [agent('prev'), agent('b'), agent('c')];
    const first = planOffers([c], agents, NOW);
    expect(pairs(first)).to.deep.equal(['c1:prev']);
    expect(first.wakeAt).to.equal(NOW + 5_000);
    const later = planOffers([{ ...c, pendingAgents: new Set(['prev']) }], [agent('prev', { pending: 1 }), agent('b'), agent('c')], NOW + 5_000);
    expect(pairs(later)).to.deep.equal(['c1:b', 'c1:c']);
  });

  it('a hunt strategy widens past the pending sticky offer: it holds no place of the one at a time', () => {
    const c = { ...withRules({ stickyAgentId: 'prev', askAllAt: NOW + 1_000, tierDelayMs: 60_000 }), strategy: 'least-busy' as const, pendingAgents: new Set(['prev']) };
    const p = planOffers([c], [agent('prev', { pending: 1 }), agent('b', { active: 1 }), agent('c')], NOW + 1_000);
    expect(pairs(p)).to.deep.equal(['c1:c']);
    // Before ask-all the sticky offer is the one.
    expect(pairs(planOffers([{ ...c, rules: { ...c.rules, askAllAt: null } }], [agent('prev', { pending: 1 }), agent('c')], NOW + 1_000))).to.deep.equal([]);
  });

  it('mobile agents: nothing until the delay, with the wake-up at its end', () => {
    const c = withRules({ tierDelayMs: 8_000 });
    const agents = [agent('m', { mobile: true }), agent('d', { maxChats: 1, active: 1 })];
    expect(planOffers([c], agents, NOW)).to.deep.include({ offers: [], wakeAt: NOW + 8_000 });
    expect(pairs(planOffers([c], agents, NOW + 8_000))).to.deep.equal(['c1:m']);
  });

  it('the earliest of a re-offer pause and a tier opening wakes it', () => {
    const c = withRules({ tierDelayMs: 8_000 }, { refused: { d: NOW - 1_000 }, reofferAfterMs: 3_000 });
    expect(planOffers([c], [agent('d'), agent('m', { mobile: true })], NOW).wakeAt).to.equal(NOW + 2_000);
  });

  it('a private room goes to its owner only, even when others are free', () => {
    const p = planOffers([withRules({ ownerAgentId: 'o' })], [agent('a'), agent('o', { active: 2 }), agent('b')], NOW);
    expect(pairs(p)).to.deep.equal(['c1:o']);
  });

  it('round robin: a burst takes turns, and the rotation to store is the last offered', () => {
    const waiting = [1, 2, 3, 4].map((n) => ({ ...conv(`c${n}`, { createdAt: n }), strategy: 'round-robin' as const, lastAgentId: 'b' }));
    const p = planOffers(waiting, [agent('a'), agent('b'), agent('c')], NOW);
    expect(p.offers.map((o) => `${o.conversationId}:${o.agentId}`)).to.deep.equal(['c1:c', 'c2:a', 'c3:b', 'c4:c']);
    expect([...p.lastOffered]).to.deep.equal([['room-1', 'c']]);
  });

  it('hunt strategies offer one agent at a time; ringLimit widens them', () => {
    const one = { ...conv('c1'), strategy: 'longest-idle' as const };
    const agents = [agent('a', { idleSince: NOW - 10 }), agent('b', { idleSince: NOW - 500 }), agent('c', { idleSince: NOW - 50 })];
    expect(pairs(planOffers([one], agents, NOW))).to.deep.equal(['c1:b']);
    expect(pairs(planOffers([{ ...one, ringLimit: 2 }], agents, NOW))).to.deep.equal(['c1:b', 'c1:c']);
    expect(pairs(planOffers([{ ...one, pendingAgents: new Set(['b']) }], agents, NOW))).to.deep.equal([]);
  });

  it('nearest agent: the closest eligible one', () => {
    const c = { ...conv('c1'), strategy: 'nearest-agent' as const, location: { lat: 48.85, lon: 2.35 } };
    const agents = [agent('ny', { location: { lat: 40.7, lon: -74 } }), agent('lo', { location: { lat: 51.5, lon: -0.13 } }), agent('none')];
    expect(pairs(planOffers([c], agents, NOW))).to.deep.equal(['c1:lo']);
  });
});
