// Stanzas the page sends to the conversation's MUC room.
import { xml, type Element } from '@xmpp/client';

export const NS = {
  muc: 'http://jabber.org/protocol/muc',
  mucUser: 'http://jabber.org/protocol/muc#user',
  chatStates: 'http://jabber.org/protocol/chatstates',
  sid: 'urn:xmpp:sid:0',
  delay: 'urn:xmpp:delay',
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
  hints: 'urn:xmpp:hints',
  quickResponse: 'urn:xmpp:tmp:quick-response',
  /** The server's queue status push (README, Queue behaviour). */
  queue: 'urn:switchboard:queue',
  rtt: 'urn:xmpp:rtt:0',
  oob: 'jabber:x:oob',
  upload: 'urn:xmpp:http:upload:0',
  mam: 'urn:xmpp:mam:2',
  rsm: 'http://jabber.org/protocol/rsm',
  forward: 'urn:xmpp:forward:0',
  data: 'jabber:x:data',
  /** The room's notice that another agent took the conversation over. */
  transfer: 'urn:switchboard:transfer',
} as const;

export type ChatState = 'active' | 'composing' | 'paused' | 'inactive' | 'gone';
export const CHAT_STATES: readonly ChatState[] = ['active', 'composing', 'paused', 'inactive', 'gone'];

/** Either the last N messages or everything since a moment (XEP-0045 §7.2.15); 0 when the archive will tell. */
export type HistoryRequest = { maxstanzas: number } | { since: Date };

export interface JoinOptions { roomJid: string; nick: string; password: string; history: HistoryRequest }

// XEP-0045 §7.2 (entering a room), §7.2.6 (password), §7.2.15 (history management)
export function joinPresence({ roomJid, nick, password, history }: JoinOptions): Element {
  const historyAttrs = 'since' in history ? { since: history.since.toISOString() } : { maxstanzas: history.maxstanzas };
  return xml('presence', { to: `${roomJid}/${nick}` },
    xml('x', { xmlns: NS.muc },
      xml('password', {}, password),
      xml('history', historyAttrs)));
}

// XEP-0045 §7.14 (leaving a room)
export function leavePresence(roomJid: string, nick: string): Element {
  return xml('presence', { to: `${roomJid}/${nick}`, type: 'unavailable' });
}

export interface GroupchatOptions { roomJid: string; id: string; body?: string; state?: ChatState;
  /** The text being typed, for agents' typing preview (XEP-0301 real-time text, sent whole each time). */
  preview?: { seq: number; text: string };
  /** The body is the URL of an uploaded file (XEP-0066 out-of-band data, as XEP-0363 §4 suggests). */
  oob?: boolean }

// XEP-0045 §7.4 groupchat message; XEP-0085 §5.1 chat state alongside (or
// instead of) the body; XEP-0359 §3.1 origin-id so the room's reflection of
// our own message can be matched to the pending line. A bare chat state is
// not worth archiving (XEP-0334 §4.2 no-store).
// XEP-0301 §4.2.2: an rtt element with event="reset" carries the whole text.
export function groupchat({ roomJid, id, body, state, preview, oob }: GroupchatOptions): Element {
  return xml('message', { type: 'groupchat', to: roomJid, id },
    body !== undefined && xml('body', {}, body),
    state && xml(state, { xmlns: NS.chatStates }),
    preview && xml('rtt', { xmlns: NS.rtt, seq: String(preview.seq), event: 'reset' }, xml('t', {}, preview.text)),
    oob && body !== undefined && xml('x', { xmlns: NS.oob }, xml('url', {}, body)),
    body !== undefined ? xml('origin-id', { xmlns: NS.sid, id }) : xml('no-store', { xmlns: NS.hints }));
}

// XEP-0363 §4: ask the upload service for a slot (PUT and GET URLs) for one file.
export function slotRequest(service: string, file: { name: string; size: number; type: string }): Element {
  return xml('iq', { type: 'get', to: service },
    xml('request', { xmlns: NS.upload, filename: file.name, size: String(file.size), 'content-type': file.type || 'application/octet-stream' }));
}

// XEP-0313 §4: one page of the room's archive, oldest first, after the last
// line we have (the after-id field; XEP-0059 <max/> bounds the page).
export function archiveQuery(o: { roomJid: string; queryId: string; afterId?: string; max: number }): Element {
  return xml('iq', { type: 'set', to: o.roomJid },
    xml('query', { xmlns: NS.mam, queryid: o.queryId },
      xml('x', { xmlns: NS.data, type: 'submit' },
        xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS.mam)),
        o.afterId ? xml('field', { var: 'after-id' }, xml('value', {}, o.afterId)) : null),
      xml('set', { xmlns: NS.rsm }, xml('max', {}, String(o.max)))));
}
