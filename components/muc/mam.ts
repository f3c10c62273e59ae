// XEP-0313 Message Archive Management on each conversation's MUC room (§3.3.2:
// the archive is on the room's bare JID). The archive is the `messages` table:
// every line is stored before it is fanned out, its id is the XEP-0359
// stanza-id the room stamped. Who may read (§5.1.2, §7.1): the people in the
// conversation — an occupant, customer or agent; anyone else is forbidden.
// Private notes are in an agent's archive and never in a customer's.
// Queries: the §4.1 form (start, end, with, after-id, before-id, ids), XEP-0059
// paging (<max>, <after>, <before>), flipped pages, archive metadata; results
// come as <result/> messages (§4.2) before the IQ result carrying <fin/>.
import { archiveEnds, archivePage, UnknownArchiveId, type ArchiveFilter, type ArchivePaging } from '../../src/db/repos/archive.js';
import { conversationByNode } from '../../src/db/repos/conversations.js';
import type { StoredMessage } from '../../src/db/repos/messages.js';
import { commandTexts, texts } from '../../src/core/texts.js';
import { bareJid, localOf, resourceOf, xml, type Element, type ErrorType } from '../xmpp.js';
import type { MucService } from './service.js';
import { NS_MUC_USER, type Occupant, type RoomState } from './state.js';
import { TeamRooms } from './team.js';

export const NS_MAM = 'urn:xmpp:mam:2';
/** What a conversation room advertises (§8): the base protocol and the extended fields, flipping and metadata. */
export const MAM_FEATURES = [NS_MAM, `${NS_MAM}#extended`];
const NS_RSM = 'http://jabber.org/protocol/rsm';
const NS_FORWARD = 'urn:xmpp:forward:0';
const NS_DATA = 'jabber:x:data';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const NS_SID = 'urn:xmpp:sid:0';
/** The most lines one page carries, whatever the client asks (§4.3.1 lets the server limit pages). */
export const MAX_PAGE = 100;
/** XEP-0082 DateTime: a date, a time, a zone. */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function stanzaError(type: ErrorType, condition: string, text: string): Element {
  return xml('error', { type }, xml(condition, { xmlns: NS_STANZAS }), xml('text', { xmlns: NS_STANZAS, 'xml:lang': 'en' }, text));
}

class QueryError extends Error {
  constructor(readonly type: ErrorType, readonly condition: string, text: string) { super(text); }
  element(): Element { return stanzaError(this.type, this.condition, this.message); }
}

interface Reader { room: RoomState; occ: Occupant }

/** The room asked and the requester's place in it, or why they may not read its archive. */
async function reader(muc: MucService, to: string, from: string): Promise<Reader> {
  const node = localOf(to);
  if (!node) throw new QueryError('cancel', 'feature-not-implemented', 'Each conversation room keeps its own archive: ask the room, not the service.');
  if (resourceOf(to)) throw new QueryError('modify', 'bad-request', 'Ask the room (its bare address) for its archive, not an occupant.');
  if (TeamRooms.of(muc)?.owns(node)) throw new QueryError('cancel', 'feature-not-implemented', 'A team room sends its history on joining; it has no archive to query.');
  const conv = muc.rooms.get(node)?.conversation ?? (await conversationByNode(muc.db, node));
  if (!conv) throw new QueryError('cancel', 'item-not-found', texts.noSuchConversation);
  const room = muc.rooms.get(node);
  // The same person may be joined from several clients: any of them may read.
  const occ = room && [...room.occupants.values()].find((o) => bareJid(o.realJid) === bareJid(from));
  if (!room || !occ) throw new QueryError('auth', 'forbidden', texts.archiveForbidden);
  return { room, occ };
}

interface ParsedQuery { filter: Omit<ArchiveFilter, 'conversationId' | 'includePrivate'>; paging: ArchivePaging; flip: boolean }

function when(field: string, value: string | undefined): Date {
  const d = value && DATETIME.test(value.trim()) ? new Date(value.trim()) : null;
  if (!d || Number.isNaN(d.getTime())) throw new QueryError('modify', 'bad-request', `The field ${field} must be a date and time such as 2024-05-01T09:30:00Z (XEP-0082).`);
  return d;
}

/** The §4.1 form and the XEP-0059 set of a query. */
function readQuery(q: Element, { room, occ }: Reader): ParsedQuery {
  const filter: ParsedQuery['filter'] = {};
  for (const field of q.getChild('x', NS_DATA)?.getChildren('field') ?? []) {
    const name = field.attrs.var ?? '';
    const values = field.getChildren('value').map((v) => v.getText().trim());
    const one = values[0];
    switch (name) {
      case 'FORM_TYPE':
        if (one !== NS_MAM) throw new QueryError('modify', 'bad-request', `FORM_TYPE must be ${NS_MAM}.`);
        break;
      case 'start': filter.start = when('start', one); break;
      case 'end': filter.end = when('end', one); break;
      case 'after-id': if (one) filter.afterId = one; break;
      case 'before-id': if (one) filter.beforeId = one; break;
      case 'ids': filter.ids = values.filter(Boolean); break;
      case 'with': {
        if (!one) break;
        // An occupant JID names a nick; a person's own JID only agents may match (the room is semi-anonymous, §4.1.1).
        if (bareJid(one).toLowerCase() === room.jid.toLowerCase()) { if (resourceOf(one)) filter.nick = resourceOf(one); break; }
        if (occ.kind !== 'agent') throw new QueryError('auth', 'not-allowed', 'In this conversation you can filter by an occupant\'s room address (room/nick) only.');
        filter.senderBare = bareJid(one).toLowerCase();
        break;
      }
      default:
        throw new QueryError('cancel', 'feature-not-implemented', `This archive has no field "${name}".`);
    }
  }
  const set = q.getChild('set', NS_RSM);
  const maxText = set?.getChildText('max');
  let max = MAX_PAGE;
  if (maxText !== null && maxText !== undefined) {
    if (!/^\d+$/.test(maxText.trim())) throw new QueryError('modify', 'bad-request', '<max/> must be a whole number.');
    max = Math.min(Number(maxText.trim()), MAX_PAGE);
  }
  const after = set?.getChild('after') ? set.getChildText('after')!.trim() : undefined;
  const before = set?.getChild('before') ? set.getChildText('before')!.trim() : undefined;
  if (after !== undefined && before !== undefined) throw new QueryError('modify', 'bad-request', 'Use <after/> or <before/>, not both; for a range use the after-id and before-id fields.');
  if (after === '') throw new QueryError('modify', 'bad-request', '<after/> needs the id of a message.');
  return { filter, paging: { max, after, before }, flip: q.getChild('flip-page') !== undefined };
}

/** One archived line as §5.1.2 forwards it: from the sender's occupant JID, no 'to'. */
function forwarded(room: RoomState, m: StoredMessage, forAgent: boolean, to: string, queryid: string | undefined): Element {
  const inner = xml('message', { xmlns: 'jabber:client', from: m.senderNick ? `${room.jid}/${m.senderNick}` : room.jid, type: 'groupchat', id: m.originId ?? m.id },
    xml('body', {}, m.private ? commandTexts.privateMark(m.body) : m.body),
    m.originId ? xml('origin-id', { xmlns: NS_SID, id: m.originId }) : null,
    m.fileUrl && !m.private ? xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, m.fileUrl)) : null, // XEP-0066: a file, as it was sent
    xml('stanza-id', { xmlns: NS_SID, id: m.id, by: room.jid }),
    // Agents moderate the room and may know who wrote (§5.1.2 extended information).
    forAgent && m.senderJid ? xml('x', { xmlns: NS_MUC_USER }, xml('item', { jid: m.senderJid })) : null);
  return xml('message', { from: room.jid, to, id: `mam-${m.id}` },
    xml('result', { xmlns: NS_MAM, queryid, id: m.id },
      xml('forwarded', { xmlns: NS_FORWARD }, xml('delay', { xmlns: 'urn:xmpp:delay', stamp: m.createdAt.toISOString() }), inner)));
}

function fin(page: { items: StoredMessage[]; count: number; firstIndex: number | null; complete: boolean }): Element {
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  return xml('fin', { xmlns: NS_MAM, complete: page.complete ? 'true' : 'false' },
    xml('set', { xmlns: NS_RSM },
      first ? xml('first', { index: String(page.firstIndex ?? 0) }, first.id) : null,
      last ? xml('last', {}, last.id) : null,
      xml('count', {}, String(page.count))));
}

/** The §4.1.5 form: the fields this archive understands (none of them required). */
function form(): Element {
  return xml('query', { xmlns: NS_MAM },
    xml('x', { xmlns: NS_DATA, type: 'form' },
      xml('field', { type: 'hidden', var: 'FORM_TYPE' }, xml('value', {}, NS_MAM)),
      xml('field', { type: 'jid-single', var: 'with' }),
      xml('field', { type: 'text-single', var: 'start' }),
      xml('field', { type: 'text-single', var: 'end' }),
      xml('field', { type: 'text-single', var: 'before-id' }),
      xml('field', { type: 'text-single', var: 'after-id' }),
      xml('field', { type: 'list-multi', var: 'ids' },
        xml('validate', { xmlns: 'http://jabber.org/protocol/xdata-validate', datatype: 'xs:string' }, xml('open')))));
}

async function answer(run: () => Promise<Element>): Promise<Element> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof QueryError) return e.element();
    if (e instanceof UnknownArchiveId) return stanzaError('cancel', 'item-not-found', `There is no message ${e.id} in this conversation's archive.`);
    throw e;
  }
}

export function registerArchive(muc: MucService): void {
  const { iqCallee } = muc.component;
  iqCallee.get(NS_MAM, 'query', (ctx) => answer(async () => { await reader(muc, ctx.stanza.attrs.to ?? '', ctx.stanza.attrs.from ?? ''); return form(); }));

  iqCallee.get(NS_MAM, 'metadata', (ctx) => answer(async () => {
    const { room, occ } = await reader(muc, ctx.stanza.attrs.to ?? '', ctx.stanza.attrs.from ?? '');
    const ends = await archiveEnds(muc.db, room.conversation.id, occ.kind === 'agent');
    const end = (name: string, m: StoredMessage) => xml(name, { id: m.id, timestamp: m.createdAt.toISOString() });
    return xml('metadata', { xmlns: NS_MAM }, ends ? end('start', ends.first) : null, ends ? end('end', ends.last) : null);
  }));

  iqCallee.set(NS_MAM, 'query', (ctx) => answer(async () => {
    const from = ctx.stanza.attrs.from ?? '';
    const who = await reader(muc, ctx.stanza.attrs.to ?? '', from);
    const { filter, paging, flip } = readQuery(ctx.element, who);
    const forAgent = who.occ.kind === 'agent';
    const page = await archivePage(muc.db, { ...filter, conversationId: who.room.conversation.id, includePrivate: forAgent }, paging);
    const queryid = ctx.element.attrs.queryid;
    // §4.2: every result before the IQ result, which the callee sends once this returns.
    for (const m of flip ? [...page.items].reverse() : page.items) await muc.component.send(forwarded(who.room, m, forAgent, from, queryid));
    return fin(page);
  }));
}
