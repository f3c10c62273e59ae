// Messages to a room: groupchat is stored first, then fanned out to every
// occupant with a XEP-0359 stanza-id (ids claimed by=us from clients are
// stripped); body-less chat states (XEP-0085) are relayed, not stored; an
// agent's /cmd or !cmd goes to the application and never to the customer.
// An agent in private mode (the "private" command) writes private notes:
// stored with private=true and sent to agents only (seed 003).
import { randomUUID } from 'node:crypto';
import { insertMessage } from '../../src/db/repos/messages.js';
import { conversationByNode } from '../../src/db/repos/conversations.js';
import { privateAgents, setPrivateMode } from '../../src/db/repos/private-modes.js';
import { recipients } from '../../src/core/commands.js';
import { commandTexts, texts, uploadTexts } from '../../src/core/texts.js';
import { MAX_ATTACHMENTS } from '../../src/core/contact-form.js';
import { errorReply, localOf, resourceOf, xml, type Element } from '../xmpp.js';
import type { MucService } from './service.js';
import { NS_MUC_USER, occupantJid, type Occupant, type RoomState } from './state.js';
import { changeSubject } from './subject.js';
import { TeamRooms } from './team.js';

const NS_SID = 'urn:xmpp:sid:0';
const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates';
const NS_OOB = 'jabber:x:oob';
export const isCommand = (body: string) => /^[/!]\S/.test(body) && !/^\/me\s/.test(body);

export async function handleMessage(muc: MucService, m: Element): Promise<void> {
  const { from, to, type } = m.attrs;
  if (!from || !to || type === 'error') return;
  const node = localOf(to);
  const teams = TeamRooms.of(muc);
  if (teams?.owns(node)) { await teams.handleMessage(m); return; }
  const decline = m.getChild('x', NS_MUC_USER)?.getChild('decline');
  if (decline) {
    const conv = muc.rooms.get(node)?.conversation ?? (await conversationByNode(muc.db, node));
    if (conv) await muc.hooks.declined(muc.rooms.get(node) ?? null, conv, from);
    return;
  }
  if (resourceOf(to)) { muc.send(errorReply(m, 'modify', 'not-acceptable', texts.noPrivateMessages)); return; }
  const room = node ? await muc.room(node) : null;
  if (!room) { muc.send(errorReply(m, 'cancel', 'item-not-found', texts.roomClosed)); return; }
  const occ = room.occupants.get(from);
  if (!occ) { muc.send(errorReply(m, 'cancel', 'not-acceptable', texts.notOccupant)); return; }
  if (type !== 'groupchat') return;

  const body = m.getChildText('body');
  const subject = m.getChild('subject');
  if (subject && body === null) { await changeSubject(muc, room, occ, m, subject.getText()); return; }
  if (body === null) { relayChatState(muc, room, occ, m); return; }
  if (occ.kind === 'agent' && isCommand(body.trim())) { await muc.hooks.command(room, occ, body.trim()); return; }
  // A customer's files (XEP-0066 out-of-band data, one per upload): at most MAX_ATTACHMENTS in one message (issue 6).
  if (occ.kind === 'customer' && m.getChildren('x', NS_OOB).length > MAX_ATTACHMENTS) {
    muc.send(errorReply(m, 'modify', 'policy-violation', uploadTexts.tooMany(MAX_ATTACHMENTS))); return;
  }
  await storeAndFanOut(muc, room, occ, m, body);
}

// ---- private mode: which agents of a room write private notes (loaded from the store once per room) ----
const privateModes = new WeakMap<RoomState, Set<string>>();

async function privateSet(muc: MucService, room: RoomState): Promise<Set<string>> {
  let set = privateModes.get(room);
  if (!set) {
    set = new Set(await privateAgents(muc.db, room.node));
    privateModes.set(room, set);
  }
  return set;
}

export async function inPrivateMode(muc: MucService, room: RoomState, occ: Occupant): Promise<boolean> {
  return occ.kind === 'agent' && occ.agentId !== null && (await privateSet(muc, room)).has(occ.agentId);
}

/** Turns an agent's private mode on or off; the store first, so a restart keeps it. */
export async function switchPrivateMode(muc: MucService, room: RoomState, agentId: string, on: boolean): Promise<void> {
  const set = await privateSet(muc, room);
  await setPrivateMode(muc.db, room.node, agentId, on);
  if (on) set.add(agentId); else set.delete(agentId);
}

// XEP-0301 real-time text: the customer page's typing preview for agents (rooms that hide it never send it).
const NS_RTT = 'urn:xmpp:rtt:0';

function relayChatState(muc: MucService, room: RoomState, occ: Occupant, m: Element): void {
  const state = m.getChildElements().find((c) => c.attrs.xmlns === NS_CHATSTATES);
  const r = m.getChild('rtt', NS_RTT);
  // Passed on as the whole text (event "reset", XEP-0301 §4.2.2), nothing else of the client's element.
  const rtt = r && (() => xml('rtt', { xmlns: NS_RTT, seq: r.attrs.seq ?? '0', event: 'reset' }, xml('t', {}, r.getChildText('t') ?? '')));
  if (!state && !rtt) return;
  // Typing in private mode is nobody's business but the agents'.
  const agentsOnly = occ.kind === 'agent' && occ.agentId !== null && (privateModes.get(room)?.has(occ.agentId) ?? false);
  for (const o of recipients(room.occupants.values(), agentsOnly)) {
    if (o.nick === occ.nick) continue;
    muc.send(xml('message', { from: occupantJid(room, occ.nick), to: o.realJid, type: 'groupchat' },
      state && xml(state.name, { xmlns: NS_CHATSTATES }), rtt && o.kind === 'agent' && rtt(), xml('no-store', { xmlns: 'urn:xmpp:hints' })));
  }
}

async function storeAndFanOut(muc: MucService, room: RoomState, occ: Occupant, m: Element, body: string): Promise<void> {
  const originId = m.getChildElements().find((c) => c.is('origin-id', NS_SID))?.attrs.id ?? null;
  // Keep the client's payloads (body, chat state, origin-id, markup…) minus any stanza-id claiming to be ours.
  const payload = m.getChildElements().filter((c) => !(c.is('stanza-id', NS_SID) && c.attrs.by === room.jid));
  await say(muc, room, occ, { body, payload, id: m.attrs.id, originId, private: await inPrivateMode(muc, room, occ) });
}

/**
 * A message from an occupant: stored first, then fanned out with its
 * stanza-id. A private one goes to agents only, marked, with nothing but its
 * body, origin-id and chat state (no payload of the client's may carry the
 * text to anyone else).
 */
export async function say(muc: MucService, room: RoomState, occ: Occupant,
  o: { body: string; payload?: Element[]; id?: string; originId?: string | null; private: boolean }): Promise<void> {
  const stored = await insertMessage(muc.db, {
    id: randomUUID(), conversationId: room.conversation.id, senderKind: occ.kind, senderNick: occ.nick, senderJid: occ.realJid,
    agentId: occ.agentId, body: o.body, originId: o.originId ?? null, private: o.private,
    fileUrl: o.private ? null : o.payload?.find((c) => c.is('x', NS_OOB))?.getChildText('url')?.trim() || null,
  });
  if (!o.private) muc.hooks.stored?.(room, occ); // a private note does not answer the customer
  const payload = o.private
    ? [xml('body', {}, commandTexts.privateMark(o.body)), ...(o.payload ?? []).filter((c) => c.is('origin-id', NS_SID) || c.attrs.xmlns === NS_CHATSTATES)]
    : o.payload ?? [xml('body', {}, o.body)];
  for (const to of recipients(room.occupants.values(), o.private)) {
    muc.send(xml('message', { from: occupantJid(room, occ.nick), to: to.realJid, type: 'groupchat', id: o.id ?? stored.id },
      ...payload, xml('stanza-id', { xmlns: NS_SID, id: stored.id, by: room.jid })));
  }
  muc.onLine?.(room, { senderKind: occ.kind, nick: occ.nick, agentId: occ.agentId, body: o.private ? commandTexts.privateMark(o.body) : o.body });
}

/**
 * A notice from the room itself (no nick): stored, then sent to every occupant
 * or to some; `payload` says the same for programs (sent, not stored).
 */
export async function notice(muc: MucService, room: RoomState, text: string, opts: { to?: Occupant[]; store?: boolean; payload?: Element[] } = {}): Promise<void> {
  const id = randomUUID();
  if (opts.store ?? !opts.to) {
    await insertMessage(muc.db, { id, conversationId: room.conversation.id, senderKind: 'system', senderNick: null, senderJid: null, agentId: null, body: text, originId: null, private: false });
  }
  for (const o of opts.to ?? room.occupants.values()) {
    muc.send(xml('message', { from: room.jid, to: o.realJid, type: 'groupchat', id },
      xml('body', {}, text), ...(opts.payload ?? []), xml('stanza-id', { xmlns: NS_SID, id, by: room.jid })));
  }
  muc.onLine?.(room, { senderKind: 'system', nick: null, agentId: null, body: text, to: opts.to });
}
