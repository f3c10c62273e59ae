// Service discovery (XEP-0030) for the service and each room (XEP-0045 §6).
import { conversationByNode } from '../../src/db/repos/conversations.js';
import { localOf, xml } from '../xmpp.js';
import { MAM_FEATURES } from './mam.js';
import type { MucService } from './service.js';
import { TeamRooms } from './team.js';

const NS_INFO = 'http://jabber.org/protocol/disco#info';
const NS_ITEMS = 'http://jabber.org/protocol/disco#items';
const ROOM_FEATURES = ['http://jabber.org/protocol/muc', 'muc_passwordprotected', 'muc_hidden', 'muc_membersonly', 'muc_semianonymous',
  'muc_temporary', 'muc_unmoderated', 'urn:xmpp:sid:0', 'http://jabber.org/protocol/chatstates', NS_INFO, ...MAM_FEATURES];

const notFound = (text: string) => xml('error', { type: 'cancel' }, xml('item-not-found', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }),
  xml('text', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }, text));

export function registerDisco(muc: MucService): void {
  muc.component.iqCallee.get(NS_INFO, 'query', async (ctx) => {
    const to = ctx.stanza.attrs.to ?? '';
    const node = localOf(to);
    if (!node) {
      return xml('query', { xmlns: NS_INFO },
        xml('identity', { category: 'conference', type: 'text', name: 'Switchboard conversations' }),
        ...['http://jabber.org/protocol/muc', NS_INFO, NS_ITEMS, 'urn:xmpp:ping', 'urn:xmpp:sid:0'].map((v) => xml('feature', { var: v })));
    }
    if (to.includes('/')) return notFound('Occupants do not answer discovery requests here.');
    const teams = TeamRooms.of(muc);
    if (teams?.owns(node)) return teams.info(node) ?? notFound('There is no such team room.');
    const conv = muc.rooms.get(node)?.conversation ?? (await conversationByNode(muc.db, node));
    if (!conv) return notFound('There is no such conversation.');
    return xml('query', { xmlns: NS_INFO },
      xml('identity', { category: 'conference', type: 'text', name: `Chat with ${conv.customerName}` }),
      ...ROOM_FEATURES.map((v) => xml('feature', { var: v })));
  });
  // Conversation rooms are hidden: the service lists none.
  muc.component.iqCallee.get(NS_ITEMS, 'query', () => xml('query', { xmlns: NS_ITEMS }));
}
