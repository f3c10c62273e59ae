import { expect } from 'chai';
import { decideAgentCall, decideCustomerCall } from '../../sip/calls/decide.js';
import { nextState, type CallState, type DialogEvent } from '../../sip/calls/lifecycle.js';

describe('sip call decisions', () => {
  const bob = { agentId: 'b', username: 'bob' };
  const agentCases: Array<[string, Parameters<typeof decideAgentCall>[0], unknown]> = [
    ['to a registered agent', { callerAgentId: 'a', callee: bob, calleeRegistered: true }, { target: 'bob', calleeAgentId: 'b' }],
    ['to an agent with no phone registered', { callerAgentId: 'a', callee: bob, calleeRegistered: false }, { code: 480, reason: 'Temporarily Unavailable' }],
    ['to a number that is no agent', { callerAgentId: 'a', callee: null, calleeRegistered: false }, { code: 404, reason: 'Not Found' }],
    ['from nobody', { callerAgentId: null, callee: bob, calleeRegistered: true }, { code: 403, reason: 'Forbidden' }],
  ];
  for (const [name, facts, want] of agentCases) it(`agent call ${name}`, () => expect(decideAgentCall(facts)).to.deep.equal(want));

  const active = { id: 'c1', status: 'active', agentId: 'b' };
  const customerCases: Array<[string, Parameters<typeof decideCustomerCall>[0], unknown]> = [
    ['to the serving agent', { conversation: active, agentUsername: 'bob', agentRegistered: true }, { target: 'bob', calleeAgentId: 'b' }],
    ['with a wrong token or to anything else', { conversation: null, agentUsername: null, agentRegistered: false }, { code: 403, reason: 'Forbidden' }],
    ['while still queued', { conversation: { ...active, status: 'queued', agentId: null }, agentUsername: null, agentRegistered: false }, { code: 480, reason: 'Temporarily Unavailable' }],
    ['after it closed', { conversation: { ...active, status: 'closed' }, agentUsername: 'bob', agentRegistered: true }, { code: 480, reason: 'Temporarily Unavailable' }],
    ['when the agent has no SIP account', { conversation: active, agentUsername: null, agentRegistered: false }, { code: 480, reason: 'Temporarily Unavailable' }],
    ['when the agent\'s phone is not registered', { conversation: active, agentUsername: 'bob', agentRegistered: false }, { code: 480, reason: 'Temporarily Unavailable' }],
  ];
  for (const [name, facts, want] of customerCases) it(`customer call ${name}`, () => expect(decideCustomerCall(facts)).to.deep.equal(want));
});

describe('sip call lifecycle', () => {
  const table: Array<[CallState, DialogEvent, CallState | null]> = [
    ['routing', 'ringing', 'ringing'], ['routing', 'answered', 'answered'], ['ringing', 'answered', 'answered'],
    ['routing', 'failed', 'failed'], ['ringing', 'failed', 'failed'], ['answered', 'ended', 'ended'],
    ['ringing', 'ringing', null], ['answered', 'ringing', null], ['answered', 'failed', null], ['ringing', 'ended', null],
    ['ended', 'ended', null], ['failed', 'answered', null],
  ];
  for (const [from, event, to] of table) it(`${from} + ${event} → ${to ?? 'unchanged'}`, () => expect(nextState(from, event)).to.equal(to));
});
