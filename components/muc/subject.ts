// Subject changes (XEP-0045 §8.1): agents (moderators) only.
import { texts } from '../../src/core/texts.js';
import { errorReply, xml, type Element } from '../xmpp.js';
import type { MucService } from './service.js';
import { occupantJid, type Occupant, type RoomState } from './state.js';

export async function changeSubject(muc: MucService, room: RoomState, occ: Occupant, m: Element, subject: string): Promise<void> {
  if (occ.kind !== 'agent') { muc.send(errorReply(m, 'auth', 'forbidden', texts.customerCannotChangeSubject)); return; }
  room.subject = subject.slice(0, 200);
  for (const o of room.occupants.values()) {
    muc.send(xml('message', { from: occupantJid(room, occ.nick), to: o.realJid, type: 'groupchat' }, xml('subject', {}, room.subject)));
  }
}
