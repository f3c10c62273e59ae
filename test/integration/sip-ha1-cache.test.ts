// Kamailio keeps an agent's HA1 after our process gave it once, so a
// re-REGISTER needs no evapi round trip; a new SIP password (admin API) or a
// deleted agent makes it ask again at once. Real Kamailio, sipp.
import { expect } from 'chai';
import type { EvapiMessage } from '../../sip/evapi/client.js';
import { adminApi, expectError, type AdminApi } from '../support/admin-api.js';
import { freePort } from '../support/ports.js';
import { registerScenario, type RegisterFlow } from '../support/sip-scenarios.js';
import { sipp } from '../support/sipp.js';
import { waitUntil, type Stack } from '../support/stack.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

describe('SIP: the HA1 Kamailio keeps, and a changed SIP password', function () {
  this.timeout(60_000);
  let stack: Stack;
  let api: AdminApi;
  const asked: string[] = [];
  const listen = (m: EvapiMessage) => { if (m.type === 'auth' && typeof m.user === 'string') asked.push(m.user); };
  before(async () => {
    stack = await startVoiceStack();
    api = await adminApi(stack);
    stack.sb.sip!.evapi.on('message', listen);
  });
  after(async () => { stack?.sb.sip?.evapi.off('message', listen); await stack?.stop(); });

  const register = async (flow: Omit<RegisterFlow, 'domain'>) => {
    const r = await sipp(registerScenario({ domain: stack.cfg.sipDomain, ...flow }), { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(r.exitCode, r.output).to.equal(0);
  };
  const askedFor = (user: string) => asked.filter((u) => u === user).length;

  it('a re-REGISTER is checked in Kamailio; after a new password the old one fails at once and the new one works', async () => {
    const agent = await sipAgent(stack, 'Paula');
    await register({ user: agent.username, password: agent.password, expect: [401, 200] });
    await waitUntil(() => stack.sb.sip!.registry.isRegistered(agent.id), 10_000, 'registered');
    expect(askedFor(agent.username)).to.equal(1);
    await register({ user: agent.username, password: agent.password, expect: [401, 200] });
    await register({ user: agent.username, password: agent.password, expect: [401, 200] });
    expect(askedFor(agent.username)).to.equal(1); // both checked with the HA1 Kamailio kept

    const renewed = await api.call<{ sipInfo: { username: string; password: string } }>('POST', `/api/v1/agents/${agent.id}/sip-password`, api.admin);
    expect(renewed.status, JSON.stringify(renewed.body)).to.equal(200);
    expect(renewed.body.sipInfo.username).to.equal(agent.username);
    expect(renewed.body.sipInfo.password).to.have.length.of.at.least(16).and.not.equal(agent.password);
    // The answer came once Kamailio had dropped the old HA1: the old password is a wrong one now.
    await register({ user: agent.username, password: agent.password, expect: [401, 401, 403] });
    await register({ user: agent.username, password: renewed.body.sipInfo.password, expect: [401, 200] });
    expect(askedFor(agent.username)).to.be.at.least(2);
    expect((await api.audit('agent', agent.id))[0]).to.include({ action: 'update' });
  });

  it('a deleted agent cannot register any more, kept HA1 or not', async () => {
    const agent = await sipAgent(stack, 'Quentin');
    await register({ user: agent.username, password: agent.password, expect: [401, 200] });
    await register({ user: agent.username, password: agent.password, expect: [401, 200] });
    expect((await api.call('DELETE', `/api/v1/agents/${agent.id}`, api.admin)).status).to.equal(204);
    await register({ user: agent.username, password: agent.password, expect: [401, 401, 403] });
  });

  it('a new SIP password: only administrators, only for an agent that exists', async () => {
    const agent = await sipAgent(stack, 'Rita');
    const normal = await api.operator('Sven');
    expectError(await api.call('POST', `/api/v1/agents/${agent.id}/sip-password`, normal.token), 403);
    expectError(await api.call('POST', '/api/v1/agents/00000000-0000-4000-8000-000000000000/sip-password', api.admin), 404, 'id');
    expectError(await api.call('POST', '/api/v1/agents/not-a-uuid/sip-password', api.admin), 400);
    // Nothing changed: the password still works.
    await register({ user: agent.username, password: agent.password, expect: [401, 200] });
  });
});
