// Calls to a room's voice entry (sip:room-<slug>@domain) through the real
// Kamailio and rtpengine: the customer holds their conversation's token; our
// process ranks the free registered agents with the room's strategy; Kamailio
// rings them one after the other (serial forking, the room's offer timeout as
// ring time). Nobody → 480 and a notice in the customer's chat.
import { expect } from 'chai';
import { defaultRoomSettings, type RoomSettings } from '../../src/core/room-settings.js';
import { texts } from '../../src/core/texts.js';
import { insertRoom } from '../../src/db/repos/rooms.js';
import type { CallFlow } from '../support/sip-call-scenarios.js';
import { phone, serve, sippCall, newConversation } from '../support/sip-phone.js';
import { registerScenario } from '../support/sip-scenarios.js';
import { sipp } from '../support/sipp.js';
import { freeSipPort as freePort } from '../support/ports.js';
import { customer, waitUntil, type CustomerSession, type Stack } from '../support/stack.js';
import { TestClient, xml, type Element } from '../support/xmpp.js';
import { sipAgent, startVoiceStack } from '../support/voice.js';

describe('SIP calls to a room\'s entry (ACD, serial forking)', function () {
  this.timeout(90_000);
  let stack: Stack;
  let seq = 0;
  before(async () => { stack = await startVoiceStack(); });
  after(async () => { await stack?.stop(); });

  async function room(buttons: Partial<RoomSettings['buttons']>): Promise<string> {
    const slug = `calls${process.pid}x${++seq}`;
    const d = defaultRoomSettings();
    await insertRoom(stack.sb.db, { slug, kind: 'public', settings: { ...d, name: `Calls ${seq}`, offerTimeoutSeconds: 5, buttons: { ...d.buttons, ...buttons } } });
    return slug;
  }
  const call = (slug: string, c: { id: string; customerToken: string }, flow: Partial<Omit<CallFlow, 'domain'>> & { final: number }) =>
    sippCall(stack, { to: `room-${slug}`, from: 'customer', headers: [`X-Conversation: ${c.id}`, `X-Conversation-Token: ${c.customerToken}`], ...flow });
  const timeline = async (id: string) => (await stack.sb.db.query("SELECT kind, data FROM conversation_events WHERE conversation_id = $1 AND kind LIKE 'call_%' ORDER BY id", [id])).rows as Array<{ kind: string; data: Record<string, unknown> }>;
  const isNotice = (c: CustomerSession, text: string) => (el: Element) => el.is('message') && el.attrs.from === c.roomJid && el.getChildText('body') === text;
  async function unregisterAll(agent: { username: string; password: string }): Promise<void> {
    const r = await sipp(registerScenario({ user: agent.username, password: agent.password, domain: stack.cfg.sipDomain, wildcard: true, expires: 0, expect: [401, 200] }), { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(r.exitCode, r.output).to.equal(0);
  }

  it('refuses (403) a room without the voice button, a video call where video is off, another room\'s conversation, a wrong token', async () => {
    const noVoice = await room({ voice: false, video: false });
    const voiceOnly = await room({ voice: true, video: false });
    const inNoVoice = await customer(stack, undefined, noVoice);
    const inVoice = await customer(stack, undefined, voiceOnly);
    expect((await call(noVoice, inNoVoice, { final: 403 })).exitCode).to.equal(0);
    // The general room's conversation cannot use this room's entry.
    const elsewhere = await newConversation(stack);
    const r = await call(voiceOnly, { id: elsewhere.id, customerToken: elsewhere.token }, { final: 403 });
    expect(r.exitCode, r.output).to.equal(0);
    expect((await call(voiceOnly, { ...inVoice, customerToken: 'not-the-token' }, { final: 403 })).exitCode).to.equal(0);
    // A video offer needs the video button.
    const video = await sippCall(stack, { to: `room-${voiceOnly}`, from: 'customer', headers: [`X-Conversation: ${inVoice.id}`, `X-Conversation-Token: ${inVoice.customerToken}`], final: 403, video: true });
    expect(video.exitCode, video.output).to.equal(0);
    expect(await timeline(inVoice.id)).to.deep.equal([]);
  });

  it('nobody registered: 480 at once, and the customer reads it in the chat', async () => {
    const slug = await room({ voice: true });
    const c = await customer(stack, undefined, slug);
    const r = await call(slug, c, { final: 480 });
    expect(r.exitCode, r.output).to.equal(0);
    await c.client.waitFor(isNotice(c, texts.callNobody), 10_000, 'the notice in the chat');
    expect((await timeline(c.id)).map((e) => e.kind)).to.deep.equal(['call_unanswered']);
  });

  it('rings the first agent, on no answer the next one; the one who answers takes the conversation', async () => {
    const slug = await room({ voice: true });
    const ann = await sipAgent(stack, 'Ann'); // idle: ranked first
    const bob = await sipAgent(stack, 'Bob'); // has a chat already: second
    const cid = await sipAgent(stack, 'Cid'); // registered but away on XMPP: never rung
    await serve(stack, (await newConversation(stack)).id, bob.id);
    const cidXmpp = await TestClient.agent({ port: stack.cfg.xmppC2sPort, jid: (await stack.sb.agents.byId(cid.id))!.jid, password: 'agent-password' });
    stack.clients.push(cidXmpp);
    await cidXmpp.send(xml('presence', {}, xml('show', {}, 'away')));
    await waitUntil(() => stack.sb.desk.presence.online(cidXmpp.jid.split('/')[0]!), 10_000, 'Cid online and away');
    const cidPhone = await sipp(registerScenario({ user: cid.username, password: cid.password, domain: stack.cfg.sipDomain, expect: [401, 200] }), { port: stack.cfg.sipPort, localPort: await freePort() });
    expect(cidPhone.exitCode, cidPhone.output).to.equal(0);
    const annRings = await phone(stack, ann, { ringOnly: true });
    const bobAnswers = await phone(stack, bob);

    const c = await customer(stack, undefined, slug);
    const caller = await call(slug, c, { final: 200, forked: true });
    expect(caller.exitCode, caller.output).to.equal(0);
    const [a, b] = [await annRings.done, await bobAnswers.done];
    expect(a.exitCode, `Ann's phone: ${a.output}`).to.equal(0);
    expect(b.exitCode, `Bob's phone: ${b.output}`).to.equal(0);

    await waitUntil(async () => (await timeline(c.id)).some((e) => e.kind === 'call_ended'), 10_000, 'call_ended in the timeline');
    const events = await timeline(c.id);
    expect(events.filter((e) => e.kind === 'call_offered').map((e) => e.data.agent)).to.deep.equal([ann.username, bob.username]);
    expect(events.find((e) => e.kind === 'call_answered')!.data.agentId).to.equal(bob.id);
    // The dialog events' rows carry the call, the answering agent and the duration, nothing else.
    const dialogRows = events.filter((e) => ['call_ringing', 'call_answered', 'call_ended'].includes(e.kind));
    expect(dialogRows.map((e) => e.kind).slice(-2)).to.deep.equal(['call_answered', 'call_ended']);
    expect(new Set(dialogRows.map((e) => e.data.call)).size).to.equal(1);
    expect(Object.keys(events.find((e) => e.kind === 'call_answered')!.data).sort()).to.deep.equal(['agentId', 'call']);
    expect(Object.keys(events.find((e) => e.kind === 'call_ended')!.data).sort()).to.deep.equal(['call', 'durationS']);
    for (const r of dialogRows.filter((e) => e.kind === 'call_ringing')) expect(Object.keys(r.data)).to.deep.equal(['call']);
    await waitUntil(async () => (await stack.sb.db.query("SELECT 1 FROM conversations WHERE id = $1 AND status = 'active' AND agent_id = $2", [c.id, bob.id])).rowCount === 1, 10_000, 'Bob took the conversation');
    const rec = (await stack.sb.db.query('SELECT callee_agent_id, state FROM sip_calls WHERE conversation_id = $1', [c.id])).rows;
    expect(rec).to.deep.equal([{ callee_agent_id: bob.id, state: 'ended' }]);
    for (const x of [ann, bob, cid]) await unregisterAll(x);
  });

  it('nobody answers: every agent rings in turn, then 480 and a notice in the chat', async () => {
    const slug = await room({ voice: true });
    const dee = await sipAgent(stack, 'Dee');
    const rings = await phone(stack, dee, { ringOnly: true });
    const c = await customer(stack, undefined, slug);
    const r = await call(slug, c, { final: 480, forked: true });
    expect(r.exitCode, r.output).to.equal(0);
    expect((await rings.done).exitCode).to.equal(0);
    await c.client.waitFor(isNotice(c, texts.callNobody), 10_000, 'the notice in the chat');
    const kinds = (await timeline(c.id)).map((e) => e.kind);
    expect(kinds).to.include.members(['call_queued', 'call_offered', 'call_unanswered']);
    await unregisterAll(dee);
  });
});
