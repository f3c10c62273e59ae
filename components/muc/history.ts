// Discussion history on join (XEP-0045 §7.2.15), from the store, each message
// with its XEP-0203 delay and XEP-0359 stanza-id. Private notes go to agents only.
import { recentMessages, type StoredMessage } from '../../src/db/repos/messages.js';
import { commandTexts } from '../../src/core/texts.js';
import { xml, type Element } from '../xmpp.js';
import type { MucService } from './service.js';
import { type Occupant, type RoomState } from './state.js';

export function archivedMessage(room: RoomState, m: StoredMessage, to: string): Element {
  return xml('message', { from: m.senderNick ? `${room.jid}/${m.senderNick}` : room.jid, to, type: 'groupchat', id: m.originId ?? m.id },
    xml('body', {}, m.private ? commandTexts.privateMark(m.body) : m.body),
    xml('delay', { xmlns: 'urn:xmpp:delay', from: room.jid, stamp: m.createdAt.toISOString() }),
    m.originId ? xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id: m.originId }) : null,
    m.fileUrl && !m.private ? xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, m.fileUrl)) : null, // XEP-0066: shown as the file again
    xml('stanza-id', { xmlns: 'urn:xmpp:sid:0', id: m.id, by: room.jid }));
}

export async function sendHistory(muc: MucService, room: RoomState, occ: Occupant, req: Element | undefined): Promise<void> {
  const maxstanzas = req?.attrs.maxstanzas !== undefined ? Number(req.attrs.maxstanzas) : muc.historyLimit;
  const seconds = req?.attrs.seconds !== undefined ? Number(req.attrs.seconds) : undefined;
  let since = req?.attrs.since ? new Date(req.attrs.since) : undefined;
  if (seconds !== undefined && Number.isFinite(seconds)) {
    const s = new Date(Date.now() - seconds * 1000);
    if (!since || s > since) since = s;
  }
  const limit = Number.isFinite(maxstanzas) ? Math.max(0, Math.min(maxstanzas, muc.historyLimit)) : muc.historyLimit;
  if (limit === 0) return;
  const msgs = await recentMessages(muc.db, room.conversation.id, {
    limit, since: since && !Number.isNaN(since.getTime()) ? since : undefined, includePrivate: occ.kind === 'agent',
  });
  for (const m of msgs) muc.send(archivedMessage(room, m, occ.realJid));
}
