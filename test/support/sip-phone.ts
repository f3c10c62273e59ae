// Call helpers over a voice stack: a sipp phone registered for an agent that
// answers, a sipp caller, conversations a customer can call, rtpengine's view.
import { expect } from 'chai';
import { ngRequest } from '../../sip/rtpengine/ng.js';
import { freeSipPort as freePort } from './ports.js';
import { answerScenario, callScenario, type CallFlow } from './sip-call-scenarios.js';
import { registerScenario } from './sip-scenarios.js';
import { sipp, udpBound, type SippResult } from './sipp.js';
import { waitUntil, type Stack } from './stack.js';

/** Registers the agent from a fresh port, then answers there like a phone; `done` resolves when the call is over. */
export async function phone(stack: Stack, agent: { id: string; username: string; password: string }, opts: { ringOnly?: boolean } = {}): Promise<{ done: Promise<SippResult> }> {
  const port = await freePort();
  const reg = await sipp(registerScenario({ user: agent.username, password: agent.password, domain: stack.cfg.sipDomain, expect: [401, 200] }), { port: stack.cfg.sipPort, localPort: port });
  expect(reg.exitCode, reg.output).to.equal(0);
  await waitUntil(() => stack.sb.sip!.registry.isRegistered(agent.id), 10_000, 'phone registered');
  const run = sipp(answerScenario(opts), { port: 0, localPort: port, server: true, mediaPort: await freePort() });
  await udpBound(port);
  return { done: run }; // not the promise itself: an async function would wait for it
}

export async function sippCall(stack: Stack, flow: Omit<CallFlow, 'domain'>): Promise<SippResult> {
  return sipp(callScenario({ domain: stack.cfg.sipDomain, ...flow }), { port: stack.cfg.sipPort, localPort: await freePort(), mediaPort: await freePort() });
}

/** Whether an SDP's audio port is one of rtpengine's (media anchored there). */
export function inRtpengineRange(stack: Stack, sipMessage: string): boolean {
  const port = Number(/^m=audio (\d+)/m.exec(sipMessage)?.[1]);
  return port >= stack.cfg.rtpenginePortMin && port <= stack.cfg.rtpenginePortMax;
}

export async function rtpengineCalls(stack: Stack): Promise<string[]> {
  return (await ngRequest('127.0.0.1', stack.cfg.rtpengineNgPort, { command: 'list' })).calls as string[];
}

/** A conversation started on the customer page's API: its id and the customer's token. */
export async function newConversation(stack: Stack): Promise<{ id: string; token: string }> {
  const res = await fetch(`${stack.cfg.publicUrl}/api/v1/rooms/general/conversations`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Jane Doe', email: 'jane@example.com', message: 'Can you call me?' }),
  });
  expect(res.status).to.equal(201);
  const body = await res.json() as { id: string; customerToken: string };
  return { id: body.id, token: body.customerToken };
}

/** Stands in for the agent accepting the chat offer (the routing tests cover that part). */
export async function serve(stack: Stack, conversationId: string, agentId: string): Promise<void> {
  await stack.sb.db.query("UPDATE conversations SET status = 'active', agent_id = $2, accepted_at = now() WHERE id = $1", [conversationId, agentId]);
}
