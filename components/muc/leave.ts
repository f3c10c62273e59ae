// An occupant session leaving (XEP-0045 §7.14), or found gone after a restart.
import { removeOccupant } from '../../src/db/repos/occupants.js';
import { xml } from '../xmpp.js';
import { occupantPresence } from './presence.js';
import type { MucService } from './service.js';
import { byNick, type Occupant, type RoomState } from './state.js';

export async function removeOccupantSession(muc: MucService, room: RoomState, occ: Occupant, status: string | null): Promise<void> {
  if (!room.occupants.delete(occ.realJid)) return;
  await removeOccupant(muc.db, room.node, occ.realJid);
  // Self-presence confirms the exit to the leaver (status 110).
  muc.send(occupantPresence(room, occ, occ, { type: 'unavailable', codes: [110] }));
  if (byNick(room, occ.nick).length === 0) {
    for (const other of room.occupants.values()) {
      const p = occupantPresence(room, occ, other, { type: 'unavailable' });
      if (status) p.append(xml('status', {}, status));
      muc.send(p);
    }
  }
  await muc.hooks.left(room, occ);
}
