// Entering a room (XEP-0045 §7.2): admission by the application, then the
// join sequence — others' presence, ours broadcast, self-presence (110),
// history, subject. Presence without the MUC <x/> from an occupant is a
// status change; type=unavailable is an exit.
import { removeOccupant, saveOccupant } from '../../src/db/repos/occupants.js';
import { texts } from '../../src/core/texts.js';
import { bareJid, localOf, resourceOf, xml, type Element } from '../xmpp.js';
import { joinError } from './errors.js';
import { sendHistory } from './history.js';
import { removeOccupantSession } from './leave.js';
import { occupantPresence } from './presence.js';
import type { MucService } from './service.js';
import { byNick, distinctOccupants, NS_MUC, type Occupant } from './state.js';
import { conversationByNode } from '../../src/db/repos/conversations.js';
import { TeamRooms } from './team.js';

export async function handlePresence(muc: MucService, p: Element): Promise<void> {
  const { from, to, type } = p.attrs;
  if (!from || !to || type === 'error') return;
  const nick = resourceOf(to);
  const node = localOf(to);
  const teams = TeamRooms.of(muc);
  if (teams?.owns(node)) { await teams.handlePresence(p); return; }
  const room = muc.rooms.get(node);
  const existing = room?.occupants.get(from);

  if (type === 'unavailable') {
    if (room && existing) await removeOccupantSession(muc, room, existing, p.getChildText('status'));
    return;
  }
  if (type) return; // subscription requests and probes: not for rooms
  if (!node) { muc.send(joinError(p, 'modify', 'bad-request', 'Join a conversation room, not the service.')); return; }
  if (!nick) { muc.send(joinError(p, 'modify', 'jid-malformed', 'A nickname is required to join.')); return; }
  if (existing && !p.getChild('x', NS_MUC)) return; // status update: nothing we relay
  await join(muc, p, node, nick);
}

async function join(muc: MucService, p: Element, node: string, requestedNick: string): Promise<void> {
  const from = p.attrs.from!;
  const conv = muc.rooms.get(node)?.conversation ?? (await conversationByNode(muc.db, node));
  if (!conv) { muc.send(joinError(p, 'cancel', 'item-not-found', texts.noSuchConversation)); return; }
  if (conv.status === 'closed') { muc.send(joinError(p, 'cancel', 'gone', texts.roomClosed)); return; }

  const password = p.getChild('x', NS_MUC)?.getChildText('password') ?? null;
  const admission = await muc.hooks.admit({ conversation: conv, realJid: from, nick: requestedNick, password });
  if (!admission.ok) { muc.send(joinError(p, admission.type, admission.condition, admission.text)); return; }

  const room = muc.rooms.get(node) ?? muc.createRoom(admission.conversation);
  room.conversation = admission.conversation;
  // A nick belongs to one bare JID; the same person may join from several clients.
  let nick = admission.nick;
  const holders = byNick(room, nick).filter((o) => bareJid(o.realJid) !== bareJid(from));
  if (holders.length > 0 && admission.kind === 'customer' && holders.every((o) => o.kind === 'customer')) {
    // The customer came back on a new anonymous session (reload, network drop) while
    // the old one lingers: whoever holds the room password takes the nick over.
    for (const old of holders) {
      room.occupants.delete(old.realJid);
      await removeOccupant(muc.db, node, old.realJid);
      muc.send(occupantPresence(room, old, old, { type: 'unavailable', codes: [110] }));
    }
  } else if (holders.length > 0) {
    if (admission.kind === 'customer') { muc.send(joinError(p, 'cancel', 'conflict', 'That nickname is already in use in this conversation.')); return; }
    nick = `${nick} (${admission.kind})`;
  }
  const codes = [110, 170]; // self-presence; the room is logged
  if (nick !== requestedNick) codes.push(210); // the service changed the nick

  const occ: Occupant = { realJid: from, nick, kind: admission.kind, agentId: admission.agentId };
  const rejoin = room.occupants.has(from);
  room.occupants.set(from, occ);
  await saveOccupant(muc.db, { mucNode: node, realJid: from, nick, kind: occ.kind, agentId: occ.agentId });

  for (const other of distinctOccupants(room)) {
    if (other.nick !== nick) muc.send(occupantPresence(room, other, occ));
  }
  if (!rejoin && byNick(room, nick).length === 1) {
    for (const other of room.occupants.values()) if (other.realJid !== from) muc.send(occupantPresence(room, occ, other));
  }
  muc.send(occupantPresence(room, occ, occ, { codes }));
  await sendHistory(muc, room, occ, p.getChild('x', NS_MUC)?.getChild('history'));
  muc.send(xml('message', { from: room.jid, to: from, type: 'groupchat' }, xml('subject', {}, room.subject)));
  if (!rejoin) await muc.hooks.joined(room, occ);
}
