// Occupant presence (XEP-0045 §7.2.3-7.2.5): the muc#user item, with the real
// JID shown to moderators only (semi-anonymous room).
import { xml, type Element } from '../xmpp.js';
import { NS_MUC_USER, occupantJid, type Occupant, type RoomState } from './state.js';

const role = (o: Occupant) => (o.kind === 'agent' ? 'moderator' : 'participant');
const affiliation = (o: Occupant) => (o.kind === 'agent' ? 'admin' : 'none');

export function occupantPresence(room: RoomState, o: Occupant, to: Occupant, opts: { type?: 'unavailable'; codes?: number[]; extra?: Element[] } = {}): Element {
  const showJid = to.kind === 'agent';
  return xml('presence', { from: occupantJid(room, o.nick), to: to.realJid, type: opts.type },
    xml('x', { xmlns: NS_MUC_USER },
      xml('item', { affiliation: affiliation(o), role: opts.type ? 'none' : role(o), jid: showJid ? o.realJid : undefined }),
      ...(opts.codes ?? []).map((code) => xml('status', { code: String(code) })),
      ...(opts.extra ?? [])));
}
