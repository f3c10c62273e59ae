// XEP-0199 ping of the service or a room, and XEP-0410 MUC self-ping: a client
// pings its own occupant JID to learn whether it is still joined.
import { xml } from '../xmpp.js';
import type { MucService } from './service.js';
import { TeamRooms } from './team.js';

export function registerPing(muc: MucService): void {
  muc.component.iqCallee.get('urn:xmpp:ping', 'ping', (ctx) => {
    const { to, from } = ctx.stanza.attrs;
    if (!to || !to.includes('/')) return true;
    if (from && TeamRooms.of(muc)?.isOccupant(to, from)) return true;
    const room = muc.roomFor(to);
    const occ = room && from ? room.occupants.get(from) : undefined;
    if (occ && occ.nick === to.slice(to.indexOf('/') + 1)) return true;
    return xml('error', { type: 'cancel' }, xml('not-acceptable', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }),
      xml('text', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }, 'You are not joined to this conversation.'));
  });
}
