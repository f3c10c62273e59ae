// Team rooms (glossary: a MUC room where a department's agents talk among
// themselves), hosted on our MUC service next to the conversations, at node
// team-<department id>. A small XEP-0045 subset: members only (the
// department's agents, checked at each join), non-anonymous (status 100),
// persistent history (XEP-0045 §7.2.15, with XEP-0203 delay and XEP-0359
// stanza-id), chat states relayed. Nothing here is ever seen by a customer.
import { randomUUID } from 'node:crypto';
import { commandTexts as T } from '../../src/core/texts.js';
import { allTeamOccupants, insertTeamMessage, recentTeamMessages, removeTeamOccupant, saveTeamOccupant } from '../../src/db/repos/team-rooms.js';
import { bareJid, errorReply, localOf, resourceOf, xml, type Element } from '../xmpp.js';
import { joinError } from './errors.js';
import type { MucService } from './service.js';
import { NS_MUC, NS_MUC_USER } from './state.js';

const NS_SID = 'urn:xmpp:sid:0';
const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates';
const PREFIX = 'team-';

export const teamNode = (departmentId: string) => PREFIX + departmentId.replace(/-/g, '');
export function departmentOfNode(node: string): string | null {
  const hex = node.startsWith(PREFIX) ? node.slice(PREFIX.length) : '';
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What the application tells the team rooms: which departments exist and who belongs. */
export interface TeamDirectory {
  /** The department's name and, if this bare JID is one of its agents, who they are; null name = no such department. */
  membership(departmentId: string, bare: string): Promise<{ name: string | null; member: { agentId: string; nick: string } | null }>;
}

interface TeamOccupant { realJid: string; nick: string; agentId: string }
interface TeamRoom { departmentId: string; jid: string; name: string; occupants: Map<string, TeamOccupant> }

const registry = new WeakMap<MucService, TeamRooms>();

export class TeamRooms {
  readonly rooms = new Map<string, TeamRoom>(); // by node

  constructor(private readonly muc: MucService, private readonly dir: TeamDirectory, readonly historyLimit = 50) {
    registry.set(muc, this);
  }

  /** The team rooms of a MUC service, if it hosts any. */
  static of(muc: MucService): TeamRooms | undefined { return registry.get(muc); }

  owns(node: string): boolean { return node.startsWith(PREFIX); }

  roomJid(departmentId: string): string { return this.muc.roomJid(teamNode(departmentId)); }

  /** After a restart: members stay joined. */
  async restore(): Promise<void> {
    for (const o of await allTeamOccupants(this.muc.db)) this.room(o.departmentId, '').occupants.set(o.realJid, { realJid: o.realJid, nick: o.nick, agentId: o.agentId });
  }

  private room(departmentId: string, name: string): TeamRoom {
    const node = teamNode(departmentId);
    let r = this.rooms.get(node);
    if (!r) { r = { departmentId, jid: this.muc.roomJid(node), name, occupants: new Map() }; this.rooms.set(node, r); }
    if (name) r.name = name;
    return r;
  }

  /** Departments whose room is in memory. */
  departments(): string[] { return [...this.rooms.values()].map((r) => r.departmentId); }

  /** Bare JIDs joined to a department's room. */
  members(departmentId: string): Array<{ bare: string; agentId: string }> {
    const r = this.rooms.get(teamNode(departmentId));
    return r ? [...r.occupants.values()].map((o) => ({ bare: bareJid(o.realJid), agentId: o.agentId })) : [];
  }

  isOccupant(to: string, from: string): boolean {
    const o = this.rooms.get(localOf(to))?.occupants.get(from);
    return !!o && o.nick === resourceOf(to);
  }

  info(node: string): Element | null {
    const r = this.rooms.get(node);
    if (!departmentOfNode(node)) return null;
    return xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' },
      xml('identity', { category: 'conference', type: 'text', name: r?.name ? T.teamSubject(r.name) : 'Team room' }),
      ...[NS_MUC, 'muc_membersonly', 'muc_nonanonymous', 'muc_persistent', 'muc_hidden', NS_SID, NS_CHATSTATES].map((v) => xml('feature', { var: v })));
  }

  /** XEP-0045 §7.8.2 mediated invitation plus the XEP-0249 payload (no password: members only). */
  invite(departmentId: string, name: string, to: string, from: string): void {
    const jid = this.roomJid(departmentId);
    const reason = T.teamInvitation(name);
    this.muc.send(xml('message', { from: jid, to },
      xml('body', {}, `${reason}\nRoom: ${jid}`),
      xml('x', { xmlns: NS_MUC_USER }, xml('invite', { from }, xml('reason', {}, reason))),
      xml('x', { xmlns: 'jabber:x:conference', jid, reason })));
  }

  private presence(r: TeamRoom, o: TeamOccupant, to: string, opts: { type?: 'unavailable'; codes?: number[]; status?: string } = {}): Element {
    return xml('presence', { from: `${r.jid}/${o.nick}`, to, type: opts.type },
      xml('x', { xmlns: NS_MUC_USER },
        xml('item', { affiliation: 'member', role: opts.type ? 'none' : 'participant', jid: o.realJid }),
        ...(opts.codes ?? []).map((c) => xml('status', { code: String(c) }))),
      opts.status ? xml('status', {}, opts.status) : null);
  }

  async handlePresence(p: Element): Promise<void> {
    const { from, to, type } = p.attrs;
    if (!from || !to || type === 'error') return;
    const node = localOf(to);
    const departmentId = departmentOfNode(node);
    const known = this.rooms.get(node);
    const existing = known?.occupants.get(from);
    if (type === 'unavailable') { if (known && existing) await this.remove(known, existing, null, [110]); return; }
    if (type) return;
    if (existing && !p.getChild('x', NS_MUC)) return;
    if (!departmentId) { this.muc.send(joinError(p, 'cancel', 'item-not-found', 'There is no such team room.')); return; }
    if (!resourceOf(to)) { this.muc.send(joinError(p, 'modify', 'jid-malformed', 'A nickname is required to join.')); return; }
    const { name, member } = await this.dir.membership(departmentId, bareJid(from));
    if (name === null) { this.muc.send(joinError(p, 'cancel', 'item-not-found', 'There is no such team room.')); return; }
    if (!member) { this.muc.send(joinError(p, 'auth', 'registration-required', T.teamMembersOnly)); return; }
    const r = this.room(departmentId, name);
    let nick = member.nick;
    if ([...r.occupants.values()].some((o) => o.nick === nick && o.agentId !== member.agentId)) nick = `${nick} (${member.agentId.slice(0, 4)})`;
    const occ: TeamOccupant = { realJid: from, nick, agentId: member.agentId };
    const firstSession = ![...r.occupants.values()].some((o) => o.nick === nick);
    const rejoin = r.occupants.has(from);
    r.occupants.set(from, occ);
    await saveTeamOccupant(this.muc.db, { departmentId, realJid: from, nick, agentId: member.agentId });
    const seen = new Set<string>();
    for (const o of r.occupants.values()) if (o.nick !== nick && !seen.has(o.nick)) { seen.add(o.nick); this.muc.send(this.presence(r, o, from)); }
    if (firstSession && !rejoin) for (const o of r.occupants.values()) if (o.realJid !== from) this.muc.send(this.presence(r, occ, o.realJid));
    const codes = [110, 100, 170];
    if (nick !== resourceOf(to)) codes.push(210);
    this.muc.send(this.presence(r, occ, from, { codes }));
    for (const m of await recentTeamMessages(this.muc.db, departmentId, this.historyLimit)) {
      this.muc.send(xml('message', { from: `${r.jid}/${m.senderNick}`, to: from, type: 'groupchat', id: m.id },
        xml('body', {}, m.body), xml('delay', { xmlns: 'urn:xmpp:delay', from: r.jid, stamp: m.createdAt.toISOString() }),
        xml('stanza-id', { xmlns: NS_SID, id: m.id, by: r.jid })));
    }
    this.muc.send(xml('message', { from: r.jid, to: from, type: 'groupchat' }, xml('subject', {}, T.teamSubject(name))));
  }

  /** A session leaves (its own exit, or removed because the agent left the department: status 321). */
  async remove(r: TeamRoom, occ: TeamOccupant, status: string | null, codes: number[]): Promise<void> {
    if (!r.occupants.delete(occ.realJid)) return;
    await removeTeamOccupant(this.muc.db, r.departmentId, occ.realJid);
    this.muc.send(this.presence(r, occ, occ.realJid, { type: 'unavailable', codes, status: status ?? undefined }));
    if (![...r.occupants.values()].some((o) => o.nick === occ.nick)) {
      for (const o of r.occupants.values()) this.muc.send(this.presence(r, occ, o.realJid, { type: 'unavailable', codes: codes.filter((c) => c !== 110), status: status ?? undefined }));
    }
  }

  /** Takes an agent who left the department out of its room (XEP-0045 §9.6: status 321, affiliation change). */
  async removeAgent(departmentId: string, agentId: string): Promise<void> {
    const r = this.rooms.get(teamNode(departmentId));
    if (!r) return;
    for (const o of [...r.occupants.values()]) if (o.agentId === agentId) await this.remove(r, o, T.teamMembersOnly, [110, 321]);
  }

  /** The department is gone: the room is destroyed (XEP-0045 §10.9), its occupants told. */
  destroy(departmentId: string): void {
    const node = teamNode(departmentId);
    const r = this.rooms.get(node);
    if (!r) return;
    for (const o of r.occupants.values()) {
      this.muc.send(xml('presence', { from: `${r.jid}/${o.nick}`, to: o.realJid, type: 'unavailable' },
        xml('x', { xmlns: NS_MUC_USER }, xml('item', { affiliation: 'none', role: 'none' }), xml('status', { code: '110' }),
          xml('destroy', {}, xml('reason', {}, 'This department no longer exists.')))));
    }
    this.rooms.delete(node);
  }

  async handleMessage(m: Element): Promise<void> {
    const { from, to, type } = m.attrs;
    if (!from || !to || type === 'error') return;
    const r = this.rooms.get(localOf(to));
    const occ = r?.occupants.get(from);
    if (m.getChild('x', NS_MUC_USER)?.getChild('decline')) return;
    if (resourceOf(to)) { this.muc.send(errorReply(m, 'modify', 'not-acceptable', 'Write to your colleague directly (their own address), not through the team room.')); return; }
    if (!r || !occ) { this.muc.send(errorReply(m, 'cancel', 'not-acceptable', 'Join the team room first.')); return; }
    if (type !== 'groupchat') return;
    const body = m.getChildText('body');
    if (body === null) {
      const state = m.getChildElements().find((c) => c.attrs.xmlns === NS_CHATSTATES);
      if (state) for (const o of r.occupants.values()) if (o.nick !== occ.nick) this.muc.send(xml('message', { from: `${r.jid}/${occ.nick}`, to: o.realJid, type: 'groupchat' }, xml(state.name, { xmlns: NS_CHATSTATES })));
      return;
    }
    const stored = await insertTeamMessage(this.muc.db, { id: randomUUID(), departmentId: r.departmentId, senderNick: occ.nick, agentId: occ.agentId, body });
    const payload = m.getChildElements().filter((c) => !(c.is('stanza-id', NS_SID) && c.attrs.by === r.jid));
    for (const o of r.occupants.values()) {
      this.muc.send(xml('message', { from: `${r.jid}/${occ.nick}`, to: o.realJid, type: 'groupchat', id: m.attrs.id }, ...payload, xml('stanza-id', { xmlns: NS_SID, id: stored.id, by: r.jid })));
    }
  }
}
