import { expect } from 'chai';
import { decideRoomCall, MAX_TARGETS, type RoomCallAgent, type RoomCallFacts } from '../../sip/calls/acd.js';

describe('sip room calls (ACD decision)', () => {
  const agent = (id: string, o: Partial<RoomCallAgent> = {}): RoomCallAgent => ({
    id, username: `u${id}`, registered: true, away: false, inCall: false, active: 0, pending: 0, maxChats: 3, idleSince: 0, ...o,
  });
  const base: RoomCallFacts = {
    room: { id: 'r', strategy: 'quickest-reply', ringSeconds: 20, voice: true, video: false },
    video: false,
    conversation: { id: 'c', roomId: 'r', status: 'queued', agentId: null, createdAt: 0 },
    agents: [agent('a'), agent('b')],
    now: 1000,
  };
  const targets = (f: Partial<RoomCallFacts>) => {
    const d = decideRoomCall({ ...base, ...f });
    return 'targets' in d ? d.targets.map((t) => t.agentId) : d.code;
  };

  it('rings the free registered agents, ranked by the room\'s strategy, with the room\'s ring time', () => {
    const d = decideRoomCall({ ...base, agents: [agent('a', { active: 2 }), agent('b'), agent('c', { active: 1 })] });
    expect(d).to.deep.equal({ targets: [{ agentId: 'b', username: 'ub' }, { agentId: 'c', username: 'uc' }, { agentId: 'a', username: 'ua' }], ringSeconds: 20, conversationId: 'c' });
  });
  const cases: Array<[string, Partial<RoomCallFacts>, unknown]> = [
    ['no such room', { room: null }, 403],
    ['a room without the voice button', { room: { ...base.room!, voice: false } }, 403],
    ['video where the room shows no video button', { video: true }, 403],
    ['video where it does', { video: true, room: { ...base.room!, voice: false, video: true } }, ['a', 'b']],
    ['a wrong token (no conversation)', { conversation: null }, 403],
    ['another room\'s conversation', { conversation: { ...base.conversation!, roomId: 'other' } }, 403],
    ['a closed conversation', { conversation: { ...base.conversation!, status: 'closed' } }, 403],
    ['nobody registered', { agents: [agent('a', { registered: false })] }, 480],
    ['away, in a call or full: skipped', { agents: [agent('a', { away: true }), agent('b', { inCall: true }), agent('c', { active: 3 }), agent('d')] }, ['d']],
    ['served already: only the serving agent', { conversation: { ...base.conversation!, status: 'active', agentId: 'b' } }, ['b']],
    ['served by an agent with no phone', { conversation: { ...base.conversation!, status: 'active', agentId: 'b' }, agents: [agent('a'), agent('b', { registered: false })] }, 480],
    ['a private room: its owner only', { rules: { ownerAgentId: 'b' } }, ['b']],
    ['a private room whose owner has no phone', { rules: { ownerAgentId: 'z' } }, 480],
    ['a department: its members only', { rules: { departmentId: 'd1' }, agents: [agent('a', { departmentIds: ['d2'] }), agent('b', { departmentIds: ['d1'] }), agent('c')] }, ['b']],
    ['a URL rule: its operators only', { rules: { urlRouteAgents: ['a'] } }, ['a']],
    ['many agents: capped', { agents: Array.from({ length: 15 }, (_, i) => agent(`x${i}`)) }, Array.from({ length: MAX_TARGETS }, (_, i) => `x${i}`)],
  ];
  for (const [name, f, want] of cases) it(name, () => expect(targets(f)).to.deep.equal(want));
});
