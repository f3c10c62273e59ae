// Turns stanzas from the conversation's MUC room into plain events. Pure:
// no DOM, no connection, so the rules stay readable in one place.
import type { Element } from '@xmpp/client';
import { CHAT_STATES, NS, type ChatState } from './stanzas.js';

export interface StanzaError { condition: string; text?: string }
export interface QuickResponse { value: string; label: string }

export type RoomEvent =
  /** Occupant presence; `self` when the room marks it as ours (status 110). */
  | { kind: 'presence'; nick: string; self: boolean; available: boolean; codes: Set<string>;
      /** Set on a nick change (status 303): the occupant's new nick. */
      newNick?: string;
      /** Set when the room was destroyed (XEP-0045 §10.9); reason may be ''. */
      destroyed?: { reason: string };
      /** Kick/ban reason, if any. */
      reason?: string }
  | { kind: 'presence-error'; error: StanzaError }
  /** A chat line; `nick` is undefined when the room itself speaks (system notice). */
  | { kind: 'message'; nick?: string; body: string; stanzaId?: string; originId?: string; stamp?: Date;
      /** XEP-0439 quick responses the sender offers as buttons. */
      responses?: QuickResponse[];
      /** XEP-0066: the body is a file's URL (an upload), to show as the file. */
      file?: boolean;
      /** The room's notice that the conversation moved to another agent: their nick. */
      transferredTo?: string }
  /** A line from the room's archive (XEP-0313 §4.2), answering the query `queryId`. */
  | { kind: 'archived'; queryId: string; message: MessageEvent }
  /** The room's queue status push: the place, the estimated wait; `body` says it in words. */
  | { kind: 'queue'; position: number; etaSeconds: number | null; unmanaged: boolean; body: string }
  | { kind: 'chat-state'; nick: string; state: ChatState }
  | { kind: 'message-error'; id?: string; error: StanzaError }
  /** The subject, which the room sends after the history (XEP-0045 §7.2.15). */
  | { kind: 'subject' };

export type MessageEvent = Extract<RoomEvent, { kind: 'message' }>;

export function readStanza(stanza: Element, roomJid: string): RoomEvent | undefined {
  const from = splitJid(stanza.attrs.from ?? '');
  if (from.bare !== roomJid.toLowerCase()) return undefined;
  if (stanza.is('presence')) return readPresence(stanza, from.resource);
  if (stanza.is('message')) return readMessage(stanza, from.resource, roomJid);
  return undefined;
}

function readPresence(stanza: Element, nick: string | undefined): RoomEvent | undefined {
  const { type } = stanza.attrs;
  if (type === 'error') return { kind: 'presence-error', error: readError(stanza) };
  if (nick === undefined || (type !== undefined && type !== 'unavailable')) return undefined;

  const x = stanza.getChild('x', NS.mucUser);
  const codes = new Set((x?.getChildren('status') ?? []).map((s) => s.attrs.code ?? ''));
  const item = x?.getChild('item');
  const destroy = x?.getChild('destroy');
  return {
    kind: 'presence', nick, codes,
    self: codes.has('110'),
    available: type !== 'unavailable',
    newNick: codes.has('303') ? item?.attrs.nick : undefined,
    destroyed: destroy ? { reason: destroy.getChildText('reason')?.trim() ?? '' } : undefined,
    reason: item?.getChildText('reason')?.trim() || undefined,
  };
}

function readMessage(stanza: Element, nick: string | undefined, roomJid: string): RoomEvent | undefined {
  const { type } = stanza.attrs;
  if (type === 'error') return { kind: 'message-error', id: stanza.attrs.id, error: readError(stanza) };
  const result = nick === undefined ? stanza.getChild('result', NS.mam) : undefined;
  if (result) return readArchived(result, roomJid);
  if (type !== 'groupchat') return undefined;

  const body = stanza.getChildText('body');
  const delay = stanza.getChild('delay', NS.delay);
  const queue = nick === undefined ? stanza.getChild('queue', NS.queue) : undefined;
  if (queue && body !== null && !delay) {
    const position = Number(queue.attrs.position);
    const eta = queue.attrs.eta === undefined ? NaN : Number(queue.attrs.eta);
    if (Number.isInteger(position) && position > 0) {
      return { kind: 'queue', position, etaSeconds: Number.isFinite(eta) && eta >= 0 ? eta : null, unmanaged: queue.attrs.state === 'unmanaged', body };
    }
  }
  if (body !== null) {
    // XEP-0359 §3: only trust a stanza-id the room itself stamped.
    const sid = stanza.getChildren('stanza-id', NS.sid).find((el) => el.attrs.by?.toLowerCase() === roomJid.toLowerCase());
    const stamp = delay?.attrs.stamp ? new Date(delay.attrs.stamp) : undefined;
    const responses = quickResponses(stanza);
    const transferred = nick === undefined ? stanza.getChild('transferred', NS.transfer)?.attrs.nick?.trim() : undefined;
    return {
      kind: 'message', nick, body, ...(responses.length ? { responses } : {}),
      ...(isFile(stanza, body) ? { file: true } : {}),
      ...(transferred ? { transferredTo: transferred } : {}),
      stanzaId: sid?.attrs.id,
      originId: stanza.getChild('origin-id', NS.sid)?.attrs.id,
      stamp: stamp && !Number.isNaN(stamp.getTime()) ? stamp : undefined,
    };
  }
  if (stanza.getChild('subject')) return { kind: 'subject' };
  // XEP-0085 §5.5: a notification from the past (history) means nothing now.
  if (nick === undefined || delay) return undefined;
  const state = stanza.getChildElements().find((el) => el.attrs.xmlns === NS.chatStates);
  if (state && (CHAT_STATES as readonly string[]).includes(state.name)) {
    return { kind: 'chat-state', nick, state: state.name as ChatState };
  }
  return undefined;
}

/**
 * XEP-0313 §4.2: <result queryid id><forwarded><delay/><message/></forwarded>.
 * The forwarded line must be the room's own (§5.1.2: from the room or an
 * occupant of it); the result's id is its stanza-id in the archive.
 */
function readArchived(result: Element, roomJid: string): RoomEvent | undefined {
  const queryId = result.attrs.queryid;
  const forwarded = result.getChild('forwarded', NS.forward);
  const inner = forwarded?.getChild('message');
  if (!queryId || !inner || !result.attrs.id) return undefined;
  const from = splitJid(inner.attrs.from ?? '');
  if (from.bare !== roomJid.toLowerCase()) return undefined;
  const ev = readMessage(inner, from.resource, roomJid);
  if (ev?.kind !== 'message') return undefined;
  const stamp = forwarded!.getChild('delay', NS.delay)?.attrs.stamp;
  const when = stamp ? new Date(stamp) : undefined;
  return { kind: 'archived', queryId, message: { ...ev, stanzaId: result.attrs.id, stamp: when && !Number.isNaN(when.getTime()) ? when : new Date(0) } };
}

const MAX_RESPONSES = 12;

/** XEP-0066 out-of-band data whose URL is the whole body: what clients send for an upload. */
function isFile(stanza: Element, body: string): boolean {
  const url = stanza.getChild('x', NS.oob)?.getChildText('url')?.trim();
  return !!url && url === body.trim() && /^https?:\/\//.test(url);
}

// XEP-0439 §2: <response value=.. label=../> children; the label defaults to the value.
function quickResponses(stanza: Element): QuickResponse[] {
  const out: QuickResponse[] = [];
  for (const r of stanza.getChildren('response', NS.quickResponse)) {
    const value = r.attrs.value?.trim();
    if (!value || out.length >= MAX_RESPONSES) continue;
    out.push({ value, label: r.attrs.label?.trim() || value });
  }
  return out;
}

// RFC 6120 §8.3.2: the defined condition is the one child in the stanzas namespace that is not <text/>.
function readError(stanza: Element): StanzaError {
  const error = stanza.getChild('error');
  const children = error?.getChildElements() ?? [];
  const condition = children.find((el) => el.attrs.xmlns === NS.stanzas && el.name !== 'text')?.name ?? 'undefined-condition';
  const text = error?.getChildText('text', NS.stanzas)?.trim() || undefined;
  return { condition, text };
}

/** Bare part lowercased (JIDs compare case-insensitively there); resource as is. */
export function splitJid(jid: string): { bare: string; resource?: string } {
  const slash = jid.indexOf('/');
  if (slash < 0) return { bare: jid.toLowerCase() };
  return { bare: jid.slice(0, slash).toLowerCase(), resource: jid.slice(slash + 1) };
}
