// In-memory state of the MUC rooms we host; occupants are also kept in the
// store so a restarted component still knows who is in each room.
import type { Conversation } from '../../src/db/repos/conversations.js';

export const NS_MUC = 'http://jabber.org/protocol/muc';
export const NS_MUC_USER = 'http://jabber.org/protocol/muc#user';

export interface Occupant {
  realJid: string; // full JID of the session
  nick: string;
  kind: 'customer' | 'agent';
  agentId: string | null;
}

export interface RoomState {
  node: string;
  jid: string; // bare room JID
  conversation: Conversation;
  occupants: Map<string, Occupant>; // by real full JID
  subject: string;
}

export const occupantJid = (room: RoomState, nick: string) => `${room.jid}/${nick}`;

export function byNick(room: RoomState, nick: string): Occupant[] {
  return [...room.occupants.values()].filter((o) => o.nick === nick);
}

/** One entry per nick (an agent may be joined from two clients). */
export function distinctOccupants(room: RoomState): Occupant[] {
  const seen = new Map<string, Occupant>();
  for (const o of room.occupants.values()) if (!seen.has(o.nick)) seen.set(o.nick, o);
  return [...seen.values()];
}
