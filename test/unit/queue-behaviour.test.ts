// The queue's behaviours as pure rules (issue 4), table-style with a fake clock:
// offline mode and unmanaged, estimated wait, queue positions, unattended
// deadline, disconnect grace, wrap-up in the planner.
import { expect } from 'chai';
import { ManualClock } from '../../src/core/clock.js';
import { estimateWaitSeconds, median } from '../../src/core/eta.js';
import { requeueAt, type LeftChat } from '../../src/core/grace.js';
import { planOffers } from '../../src/core/queue.js';
import { queueStatuses, sameStatus, type QueuedChat } from '../../src/core/queue-status.js';
import { roomMode, RoomOfflineError, type ModeInput } from '../../src/core/room-mode.js';
import { unattendedDeadline } from '../../src/core/unattended.js';
import { applyWrapUp, wrapUpEnd } from '../../src/core/wrap-up.js';
import { queueTexts } from '../../src/core/texts.js';
import { agent, conv, NOW, pairs } from './queue-fixtures.js';

describe('queue behaviour: room mode (offline, unmanaged)', () => {
  const base: ModeInput = { open: true, maxConcurrentSessions: 0, openSessions: 0, agentsAvailable: 2 };
  const cases: Array<[string, Partial<ModeInput>, string, string | null]> = [
    ['open, no limit, agents', {}, 'online', null],
    ['outside working hours', { open: false }, 'offline', 'closed'],
    ['outside hours wins over full', { open: false, maxConcurrentSessions: 1, openSessions: 5 }, 'offline', 'closed'],
    ['limit reached', { maxConcurrentSessions: 3, openSessions: 3 }, 'offline', 'full'],
    ['over the limit (lowered)', { maxConcurrentSessions: 3, openSessions: 7 }, 'offline', 'full'],
    ['one below the limit', { maxConcurrentSessions: 3, openSessions: 2 }, 'online', null],
    ['limit 0 = unlimited', { maxConcurrentSessions: 0, openSessions: 10_000 }, 'online', null],
    ['in hours, no agent available', { agentsAvailable: 0 }, 'unmanaged', 'no_agents'],
    ['full wins over unmanaged', { agentsAvailable: 0, maxConcurrentSessions: 1, openSessions: 1 }, 'offline', 'full'],
  ];
  for (const [what, over, mode, reason] of cases) {
    it(`${what} → ${mode}${reason ? ` (${reason})` : ''}`, () => {
      expect(roomMode({ ...base, ...over })).to.deep.equal({ mode, reason });
    });
  }

  it('the refusal is a 409 conflict naming the room and the reason', () => {
    const e = new RoomOfflineError('full', queueTexts.roomFull(4));
    expect([e.code, e.field, e.reason]).to.deep.equal(['conflict', 'room', 'full']);
    expect(e.message).to.match(/^room: .*limit of 4 chats/);
  });
});

describe('queue behaviour: estimated wait', () => {
  it('median of odd, even, empty lists', () => {
    expect(median([30, 10, 20])).to.equal(20);
    expect(median([40, 10, 20, 30])).to.equal(25);
    expect(median([])).to.equal(null);
  });

  const cases: Array<[string, Parameters<typeof estimateWaitSeconds>[0], number | null]> = [
    ['first in line, one agent', { position: 1, medianWaitSeconds: 30, availableAgents: 1 }, 30],
    ['third in line, one agent', { position: 3, medianWaitSeconds: 30, availableAgents: 1 }, 90],
    ['third in line, three agents', { position: 3, medianWaitSeconds: 30, availableAgents: 3 }, 30],
    ['rounded', { position: 1, medianWaitSeconds: 10, availableAgents: 3 }, 3],
    ['no history yet', { position: 2, medianWaitSeconds: null, availableAgents: 2 }, null],
    ['nobody available', { position: 2, medianWaitSeconds: 30, availableAgents: 0 }, null],
    ['instant service', { position: 5, medianWaitSeconds: 0, availableAgents: 1 }, 0],
  ];
  for (const [what, input, eta] of cases) it(`${what} → ${eta}`, () => expect(estimateWaitSeconds(input)).to.equal(eta));
});

describe('queue behaviour: queue positions', () => {
  const chat = (id: string, createdAt: number, roomId = 'r1', departmentId: string | null = null): QueuedChat => ({ id, roomId, departmentId, createdAt });
  const ctx = { medianWaitSeconds: (roomId: string) => (roomId === 'r1' ? 60 : null), availableAgents: 2 };

  it('numbers each room\'s queue from its oldest chat, whatever the input order', () => {
    const s = queueStatuses([chat('c', 3), chat('a', 1), chat('x', 2, 'r2'), chat('b', 2)], ctx);
    expect(Object.fromEntries([...s].map(([id, v]) => [id, v.position]))).to.deep.equal({ a: 1, b: 2, c: 3, x: 1 });
    expect(s.get('c')).to.deep.equal({ position: 3, etaSeconds: 90, state: 'waiting' });
    expect(s.get('x')!.etaSeconds).to.equal(null); // no history in r2
  });

  it('departments of a room are separate queues', () => {
    const s = queueStatuses([chat('a', 1, 'r1', 'd1'), chat('b', 2, 'r1', 'd2'), chat('c', 3, 'r1', 'd1')], ctx);
    expect([s.get('a')!.position, s.get('b')!.position, s.get('c')!.position]).to.deep.equal([1, 1, 2]);
  });

  it('with nobody available every waiting chat is unmanaged, without an estimate', () => {
    const s = queueStatuses([chat('a', 1)], { ...ctx, availableAgents: 0 });
    expect(s.get('a')).to.deep.equal({ position: 1, etaSeconds: null, state: 'unmanaged' });
  });

  it('when the chat ahead is served everyone behind moves up (a change to push)', () => {
    const before = queueStatuses([chat('a', 1), chat('b', 2), chat('c', 3)], ctx);
    const after = queueStatuses([chat('b', 2), chat('c', 3)], ctx);
    expect(sameStatus(before.get('c'), after.get('c')!)).to.equal(false);
    expect(after.get('c')).to.deep.equal({ position: 2, etaSeconds: 60, state: 'waiting' });
    expect(sameStatus(after.get('b'), queueStatuses([chat('b', 2), chat('c', 3)], ctx).get('b')!)).to.equal(true);
    expect(sameStatus(undefined, after.get('b')!)).to.equal(false);
  });
});

describe('queue behaviour: unattended chat', () => {
  const T = 60;
  const s = (x: number) => x * 1000;
  const cases: Array<[string, { acceptedAt: number; messages: Array<{ from: 'agent' | 'customer'; at: number }> }, number | null]> = [
    ['no messages since the claim', { acceptedAt: s(10), messages: [] }, null],
    ['the form\'s message before the claim: waits from the claim', { acceptedAt: s(10), messages: [{ from: 'customer', at: s(2) }] }, s(10 + T)],
    ['customer wrote, agent answered', { acceptedAt: 0, messages: [{ from: 'customer', at: s(5) }, { from: 'agent', at: s(6) }] }, null],
    ['customer wrote twice after the answer: from the first', { acceptedAt: 0, messages: [{ from: 'agent', at: s(6) }, { from: 'customer', at: s(8) }, { from: 'customer', at: s(30) }] }, s(8 + T)],
    ['order of the list does not matter', { acceptedAt: 0, messages: [{ from: 'customer', at: s(30) }, { from: 'customer', at: s(8) }, { from: 'agent', at: s(6) }] }, s(8 + T)],
    ['agent wrote last', { acceptedAt: 0, messages: [{ from: 'customer', at: s(8) }, { from: 'agent', at: s(9) }] }, null],
  ];
  for (const [what, t, due] of cases) it(`${what} → ${due === null ? 'never' : `${due / 1000} s`}`, () => expect(unattendedDeadline(t, T)).to.equal(due));

  it('timeout 0 switches the rule off', () => {
    expect(unattendedDeadline({ acceptedAt: 0, messages: [{ from: 'customer', at: 1 }] }, 0)).to.equal(null);
  });

  it('is due exactly when the fake clock reaches the deadline', () => {
    const clock = new ManualClock(0);
    const t = { acceptedAt: 0, messages: [{ from: 'customer' as const, at: s(1) }] };
    const due = unattendedDeadline(t, T)!;
    clock.advance(s(T));
    expect(clock.now() >= due).to.equal(false);
    clock.advance(s(1));
    expect(clock.now() >= due).to.equal(true);
  });
});

describe('queue behaviour: disconnect grace', () => {
  const base: LeftChat = { status: 'active', ownerId: 'a', leftAgentId: 'a', stillIn: false, leftAt: 1000, graceSeconds: 60 };
  const cases: Array<[string, Partial<LeftChat>, number | null]> = [
    ['the chat\'s agent left an active chat', {}, 61_000],
    ['grace 0: at once', { graceSeconds: 0 }, 1000],
    ['still in the room from another client', { stillIn: true }, null],
    ['another agent left (e.g. an invited one)', { leftAgentId: 'b' }, null],
    ['a customer left', { leftAgentId: null }, null],
    ['the chat is no longer active', { status: 'closed' }, null],
    ['the chat was queued again already', { status: 'queued', ownerId: null }, null],
  ];
  for (const [what, over, at] of cases) it(`${what} → ${at === null ? 'nothing' : `re-queue at ${at} ms`}`, () => expect(requeueAt({ ...base, ...over })).to.equal(at));
});

describe('queue behaviour: wrap-up', () => {
  it('an agent in wrap-up gets no offer; the plan wakes when it ends', () => {
    const until = new Map([['a', NOW + 5000]]);
    const seen = applyWrapUp([agent('a'), agent('b')], until, NOW);
    expect(seen.wakeAt).to.equal(NOW + 5000);
    expect(pairs(planOffers([conv('c1')], seen.agents, NOW))).to.deep.equal(['c1:b']);
  });

  it('after the wrap-up the agent is offered again, without a wake-up', () => {
    const until = new Map([['a', NOW + 5000]]);
    const later = NOW + 5000;
    const seen = applyWrapUp([agent('a')], until, later);
    expect(seen.wakeAt).to.equal(null);
    expect(pairs(planOffers([conv('c1')], seen.agents, later))).to.deep.equal(['c1:a']);
  });

  it('an unavailable agent in wrap-up asks for no wake-up; the earliest end wins', () => {
    const until = new Map([['a', NOW + 9000], ['b', NOW + 3000], ['c', NOW + 1000]]);
    const seen = applyWrapUp([agent('a'), agent('b'), agent('c', { available: false })], until, NOW);
    expect(seen.wakeAt).to.equal(NOW + 3000);
    expect(seen.agents.map((x) => x.available)).to.deep.equal([false, false, false]);
  });

  it('wrapUpSeconds 0 means none', () => {
    expect(wrapUpEnd(NOW, 0)).to.equal(null);
    expect(wrapUpEnd(NOW, 30)).to.equal(NOW + 30_000);
  });
});

describe('queue behaviour: texts', () => {
  it('says the place and the wait in words', () => {
    expect(queueTexts.position(2, null)).to.equal('You are number 2 in the queue.');
    expect(queueTexts.position(1, 20)).to.match(/under a minute/);
    expect(queueTexts.position(3, 150)).to.match(/about 3 minutes/);
    expect(queueTexts.position(3, 60)).to.match(/about 1 minute\./);
  });
  it('tells an unmanaged customer what else to do', () => {
    expect(queueTexts.unmanaged('Jo', { leaveNote: true, email: 'help@example.com' })).to.match(/leave us a message.*write to help@example\.com/);
    expect(queueTexts.unmanaged('Jo', { leaveNote: false, email: null })).to.not.match(/also/);
  });
});
