// XEP-0050 ad-hoc commands on the desk service, for clients that have them
// (Gajim, Psi, Conversations…): the same desk commands as the chat ones. The
// list is the disco#items of node "http://jabber.org/protocol/commands"
// (§2.2); a command that needs a chat's id answers first with a single-stage
// XEP-0004 form (§2.4.2, actions "complete" only), then runs on its submit.
import { randomUUID } from 'node:crypto';
import { xml, type Element } from '../xmpp.js';

export const NS_COMMANDS = 'http://jabber.org/protocol/commands';
export const NS_DATA = 'jabber:x:data';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

export type AdhocNode = 'status' | 'queue' | 'accept' | 'reject' | 'available' | 'away';
export const ADHOC_COMMANDS: ReadonlyArray<{ node: AdhocNode; name: string }> = [
  { node: 'status', name: 'My status, chats and offers' },
  { node: 'queue', name: 'Waiting chats' },
  { node: 'accept', name: 'Take a waiting chat' },
  { node: 'reject', name: 'Decline an offer or a transfer' },
  { node: 'available', name: 'Set me available' },
  { node: 'away', name: 'Set me away' },
];

export interface AdhocChoice { value: string; label: string }
export interface AdhocTable { columns: Array<{ var: string; label: string }>; rows: Array<Record<string, string>> }
export interface AdhocResult { ok: boolean; text: string; table?: AdhocTable }

/** What the desk application does for a command (components stay free of the store). */
export interface AdhocHandler {
  isAgent(bare: string): boolean;
  /** The choices of the form of "accept" or "reject"; empty = nothing to choose. */
  choices(bare: string, node: 'accept' | 'reject'): Promise<AdhocChoice[]>;
  run(bare: string, node: AdhocNode, arg: string | null): Promise<AdhocResult>;
}

const isNode = (n: string | undefined): n is AdhocNode => ADHOC_COMMANDS.some((c) => c.node === n);
const needsArg = (n: AdhocNode): n is 'accept' | 'reject' => n === 'accept' || n === 'reject';

function stanzaError(type: string, condition: string, text: string, specific?: string): Element {
  return xml('error', { type }, xml(condition, { xmlns: NS_STANZAS }), specific ? xml(specific, { xmlns: NS_COMMANDS }) : null,
    xml('text', { xmlns: NS_STANZAS }, text));
}

/** disco#items of the commands node: the list, for agents only (§2.2: the list may differ per requester). */
export function commandItems(jid: string, bare: string, h: AdhocHandler): Element {
  return xml('query', { xmlns: 'http://jabber.org/protocol/disco#items', node: NS_COMMANDS },
    ...(h.isAgent(bare) ? ADHOC_COMMANDS.map((c) => xml('item', { jid, node: c.node, name: c.name })) : []));
}

/** disco#info of the commands node or of one command (§2.2), or null for other nodes. */
export function commandInfo(node: string): Element | null {
  const NS_INFO = 'http://jabber.org/protocol/disco#info';
  if (node === NS_COMMANDS) {
    return xml('query', { xmlns: NS_INFO, node }, xml('identity', { category: 'automation', type: 'command-list', name: 'Desk commands' }));
  }
  const c = ADHOC_COMMANDS.find((x) => x.node === node);
  if (!c) return null;
  return xml('query', { xmlns: NS_INFO, node }, xml('identity', { category: 'automation', type: 'command-node', name: c.name }),
    xml('feature', { var: NS_COMMANDS }), xml('feature', { var: NS_DATA }));
}

function resultForm(r: AdhocResult, title: string): Element | null {
  if (!r.table) return null;
  return xml('x', { xmlns: NS_DATA, type: 'result' }, xml('title', {}, title),
    xml('reported', {}, ...r.table.columns.map((c) => xml('field', { var: c.var, label: c.label }))),
    ...r.table.rows.map((row) => xml('item', {}, ...r.table!.columns.map((c) => xml('field', { var: c.var }, xml('value', {}, row[c.var] ?? ''))))));
}

/** The submitted value of a form field, if any. */
function submitted(cmd: Element, field: string): string | null | undefined {
  const x = cmd.getChild('x', NS_DATA);
  if (!x || (x.attrs.type !== 'submit' && x.attrs.type !== 'cancel')) return undefined;
  const f = x.getChildren('field').find((e) => e.attrs.var === field);
  return f?.getChildText('value')?.trim() || null;
}

export class AdhocSessions {
  private readonly sessions = new Map<string, { node: AdhocNode; from: string; at: number }>();
  constructor(private readonly h: AdhocHandler, private readonly ttlMs = 10 * 60_000) {}

  /** Handles an iq set carrying <command/> from a full JID. */
  async execute(from: string, bare: string, cmd: Element): Promise<Element> {
    const node = cmd.attrs.node;
    if (!this.h.isAgent(bare)) return stanzaError('cancel', 'forbidden', 'Only agents of this contact center can use the desk commands.');
    if (!isNode(node)) return stanzaError('cancel', 'item-not-found', `There is no command "${node ?? ''}".`);
    const action = cmd.attrs.action ?? 'execute';
    const sid: string | undefined = cmd.attrs.sessionid;
    this.expire();
    if (sid !== undefined) {
      const s = this.sessions.get(sid);
      if (!s || s.from !== from || s.node !== node) return stanzaError('cancel', 'not-allowed', 'This command session has ended; start the command again.', 'session-expired');
      if (action === 'cancel') { this.sessions.delete(sid); return xml('command', { xmlns: NS_COMMANDS, node, sessionid: sid, status: 'canceled' }); }
      if (action !== 'execute' && action !== 'complete') return stanzaError('modify', 'bad-request', `The action "${action}" does not apply here.`, 'bad-action');
      this.sessions.delete(sid);
      return this.complete(node, bare, sid, submitted(cmd, 'id') ?? null);
    }
    if (action === 'cancel') return xml('command', { xmlns: NS_COMMANDS, node, sessionid: randomUUID(), status: 'canceled' });
    if (!['execute', 'complete'].includes(action)) return stanzaError('modify', 'bad-request', `The action "${action}" does not apply here.`, 'malformed-action');
    const id = randomUUID();
    if (!needsArg(node)) return this.complete(node, bare, id, null);
    const given = submitted(cmd, 'id');
    if (given !== undefined) return this.complete(node, bare, id, given);
    const choices = await this.h.choices(bare, node);
    if (choices.length === 0) return this.complete(node, bare, id, null);
    this.sessions.set(id, { node, from, at: Date.now() });
    const label = node === 'accept' ? 'Waiting chat' : 'Offer or request';
    return xml('command', { xmlns: NS_COMMANDS, node, sessionid: id, status: 'executing' },
      xml('actions', { execute: 'complete' }, xml('complete')),
      xml('x', { xmlns: NS_DATA, type: 'form' },
        xml('title', {}, ADHOC_COMMANDS.find((c) => c.node === node)!.name),
        xml('instructions', {}, node === 'accept' ? 'Pick the chat to take.' : 'Pick what to decline.'),
        xml('field', { var: 'id', type: 'list-single', label }, xml('required'),
          ...choices.map((c) => xml('option', { label: c.label }, xml('value', {}, c.value))))));
  }

  private async complete(node: AdhocNode, bare: string, sessionid: string, arg: string | null): Promise<Element> {
    const r = await this.h.run(bare, node, arg);
    // §4.4: a command that completes but fails carries a note of type error.
    return xml('command', { xmlns: NS_COMMANDS, node, sessionid, status: 'completed' },
      xml('note', { type: r.ok ? 'info' : 'error' }, r.text),
      resultForm(r, ADHOC_COMMANDS.find((c) => c.node === node)!.name));
  }

  private expire(): void {
    const now = Date.now();
    for (const [k, s] of this.sessions) if (now - s.at > this.ttlMs) this.sessions.delete(k);
  }
}
