// What the application does to rooms: invite an agent (the offer), close.
import { removeRoomOccupants } from '../../src/db/repos/occupants.js';
import { xml } from '../xmpp.js';
import { occupantPresence } from './presence.js';
import type { MucService } from './service.js';
import { NS_MUC_USER, type RoomState } from './state.js';

/**
 * The offer: one stanza from the room carrying a XEP-0045 mediated invitation
 * (§7.8.2) and, for clients that only know them, the XEP-0249 direct
 * invitation payload; the body says the same in words for any client.
 */
export function sendInvitation(muc: MucService, o: { roomJid: string; to: string; from: string; password: string; reason: string; body: string }): void {
  muc.send(xml('message', { from: o.roomJid, to: o.to },
    xml('body', {}, o.body),
    xml('x', { xmlns: NS_MUC_USER },
      xml('invite', { from: o.from }, xml('reason', {}, o.reason)),
      xml('password', {}, o.password)),
    xml('x', { xmlns: 'jabber:x:conference', jid: o.roomJid, password: o.password, reason: o.reason })));
}

/** Ends the room (XEP-0045 §10.9 destroy): every occupant gets an unavailable presence with the reason. */
export async function destroyRoom(muc: MucService, room: RoomState, reason: string): Promise<void> {
  for (const occ of room.occupants.values()) {
    muc.send(occupantPresence(room, occ, occ, { type: 'unavailable', codes: [110], extra: [xml('destroy', {}, xml('reason', {}, reason))] }));
  }
  room.occupants.clear();
  muc.rooms.delete(room.node);
  await removeRoomOccupants(muc.db, room.node);
}
