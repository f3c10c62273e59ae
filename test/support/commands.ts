// Helpers for the agent-command suites: a served conversation, desk chat,
// the texts a client received.
import { customer, onlineAgent, untilAvailable, type CustomerSession, type Stack } from './stack.js';
import { isBody, isInvite, isSelfPresence, joinPresence, xml, type Element, type TestClient } from './xmpp.js';

export type Agent = Awaited<ReturnType<typeof onlineAgent>>;

export async function agents(stack: Stack, names: string[]): Promise<Agent[]> {
  const out: Agent[] = [];
  for (const n of names) out.push(await onlineAgent(stack, n));
  for (const a of out) await untilAvailable(stack, a.jid);
  return out;
}

/** A customer arrives and `agent` takes the chat by joining (the other agents online get offers too). */
export async function served(stack: Stack, agent: Agent, form?: Record<string, unknown>): Promise<CustomerSession> {
  const cust = await customer(stack, form);
  await agent.client.waitFor(isInvite(cust.roomJid), 10_000, 'offer');
  await agent.client.send(joinPresence(cust.roomJid, agent.nick, cust.password));
  await agent.client.waitFor(isSelfPresence(cust.roomJid), 10_000, `${agent.nick} joined`);
  await cust.client.waitFor((el) => el.is('presence') && el.attrs.from === `${cust.roomJid}/${agent.nick}`, 10_000, 'customer sees the agent');
  return cust;
}

export async function join(agent: Agent, cust: CustomerSession): Promise<void> {
  await agent.client.send(joinPresence(cust.roomJid, agent.nick, cust.password));
  await agent.client.waitFor(isSelfPresence(cust.roomJid), 10_000, `${agent.nick} joined`);
}

export function toDesk(stack: Stack, client: TestClient, body: string): Promise<void> {
  return client.send(xml('message', { to: stack.cfg.deskDomain, type: 'chat' }, xml('body', {}, body)));
}

/** The next desk message whose body contains `part`. */
export function fromDesk(stack: Stack, client: TestClient, part: string | RegExp, what = 'desk reply'): Promise<Element> {
  const ok = (b: string) => (typeof part === 'string' ? b.includes(part) : part.test(b));
  return client.waitFor((el) => isBody(stack.cfg.deskDomain)(el) && ok(el.getChildText('body') ?? ''), 10_000, `${what} (${String(part)})`);
}

/** A groupchat body from the room (a notice: no nick) or an occupant, containing `part`. */
export function roomBody(roomJid: string, client: TestClient, part: string, what = 'room message'): Promise<Element> {
  return client.waitFor((el) => el.is('message') && (el.attrs.from ?? '').startsWith(roomJid) && (el.getChildText('body') ?? '').includes(part), 10_000, `${what} (${part})`);
}

/** Every body a client has received so far (consumed or not is irrelevant: it keeps a log). */
export function bodies(log: Element[]): string[] {
  return log.filter((el) => el.is('message')).map((el) => el.getChildText('body') ?? '').filter((b) => b !== '');
}

/** Records every stanza a client receives, unlike TestClient.stanzas which waitFor consumes. */
export function record(client: TestClient): Element[] {
  const log: Element[] = [];
  client.xmpp.on('stanza', (el: Element) => log.push(el));
  return log;
}
