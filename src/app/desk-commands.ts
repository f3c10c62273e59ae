// The desk's commands (issue 4), typed in one-to-one chat with the desk
// contact or run as XEP-0050 ad-hoc commands (components/desk/adhoc.ts):
// status, queue, accept <id> (pick a waiting chat by hand, seed 001),
// reject [<id>], a (accept a transfer or invitation), available / away / auto.
import { idMatches, parseDeskCommand, shortId, type DeskCommand } from '../core/commands.js';
import { commandTexts as T } from '../core/texts.js';
import type { Agent } from '../db/repos/agents.js';
import type { Db } from '../db/pool.js';
import { pendingOffers } from '../db/repos/offers.js';
import { pendingFor } from '../db/repos/transfers.js';
import { roomById } from '../db/repos/rooms.js';
import { sendInvitation } from '../../components/muc/actions.js';
import type { MucService } from '../../components/muc/service.js';
import type { AdhocChoice, AdhocHandler, AdhocNode, AdhocResult } from '../../components/desk/adhoc.js';
import type { DeskService } from '../../components/desk/service.js';
import type { ManualState } from '../../components/desk/presence.js';
import type { AgentDirectory } from './agents.js';
import type { Routing } from './routing.js';
import type { Transfers } from './transfers.js';

export interface DeskCommandDeps { db: Db; muc: MucService; desk: DeskService; agents: AgentDirectory; transfers: Transfers; routing: () => Routing }

export interface WaitingChat { id: string; customerName: string; firstMessage: string | null; createdAt: Date; roomName: string; eligible: boolean }

const ago = (d: Date) => { const s = Math.max(0, Math.round((Date.now() - d.getTime()) / 1000)); return s < 90 ? `${s} s` : `${Math.round(s / 60)} min`; };

export class DeskCommands implements AdhocHandler {
  /** Whether the agent gets offers, for "status" (the composition root adds agents reached over SIP MESSAGE). */
  available: (jid: string) => boolean = (jid) => this.d.desk.presence.available(jid);

  constructor(private readonly d: DeskCommandDeps) {}

  /** Manual states kept in the store come back at start (before presence arrives). */
  async restore(): Promise<void> {
    for (const r of (await this.d.db.query('SELECT a.jid, s.state FROM desk_states s JOIN agents a ON a.id = s.agent_id WHERE a.deleted_at IS NULL')).rows) {
      this.d.desk.setManual(r.jid as string, r.state as ManualState);
    }
  }

  isAgent(bare: string): boolean { return this.d.agents.byJid(bare) !== undefined; }

  /** A chat line to the desk: the reply, or null when a notice already answers. */
  async chat(bare: string, text: string): Promise<string | null> {
    const agent = this.d.agents.byJid(bare);
    if (!agent) return null;
    return (await this.exec(agent, parseDeskCommand(text))).text;
  }

  async run(bare: string, node: AdhocNode, arg: string | null): Promise<AdhocResult> {
    const agent = this.d.agents.byJid(bare)!;
    const cmd: DeskCommand = node === 'accept' ? { name: 'accept', id: arg } : node === 'reject' ? { name: 'reject', id: arg } : { name: node };
    const r = await this.exec(agent, cmd);
    const out: AdhocResult = { ok: r.ok, text: r.text ?? (node === 'reject' ? 'Declined.' : 'Done.') };
    if (node === 'queue') {
      const rows = (await this.waiting(agent)).filter((w) => w.eligible);
      out.table = {
        columns: [{ var: 'id', label: 'Id' }, { var: 'room', label: 'Room' }, { var: 'customer', label: 'Customer' }, { var: 'waiting', label: 'Waiting' }],
        rows: rows.map((w) => ({ id: shortId(w.id), room: w.roomName, customer: w.customerName, waiting: ago(w.createdAt) })),
      };
    }
    return out;
  }

  async choices(bare: string, node: 'accept' | 'reject'): Promise<AdhocChoice[]> {
    const agent = this.d.agents.byJid(bare)!;
    if (node === 'accept') {
      const requests = (await pendingFor(this.d.db, agent.id)).map((t) => ({ value: t.conversationId, label: `${t.kind === 'transfer' ? 'Transfer' : 'Invitation'} from ${this.d.agents.byId(t.fromAgentId)?.nickname ?? '?'}: ${t.customerName}` }));
      return [...requests, ...(await this.waiting(agent)).filter((w) => w.eligible).map((w) => ({ value: w.id, label: `${w.customerName} — ${w.roomName}, ${ago(w.createdAt)}` }))];
    }
    const offers = await this.d.db.query(`SELECT c.id, c.customer_name FROM offers o JOIN conversations c ON c.id = o.conversation_id
      WHERE o.agent_id = $1 AND o.status = 'pending' ORDER BY o.created_at`, [agent.id]);
    const requests = await pendingFor(this.d.db, agent.id);
    return [...offers.rows.map((r) => ({ value: r.id as string, label: `Offer: ${r.customer_name as string}` })),
      ...requests.map((t) => ({ value: t.conversationId, label: `${t.kind === 'transfer' ? 'Transfer' : 'Invitation'}: ${t.customerName}` }))];
  }

  private async exec(agent: Agent, cmd: DeskCommand): Promise<{ ok: boolean; text: string | null }> {
    const ok = (text: string | null) => ({ ok: true, text });
    const fail = (text: string) => ({ ok: false, text });
    switch (cmd.name) {
      case 'status': return ok(await this.status(agent));
      case 'queue': return ok(this.queueText(await this.waiting(agent)));
      case 'accept': {
        if (cmd.id === null) {
          const text = await this.d.transfers.accept(agent, null);
          return text === T.nothingToAccept ? fail(`${text} ${T.idRequired('accept')}`) : ok(text);
        }
        // A transfer or invitation of that chat made to the agent, else a chat from the queue.
        const request = (await pendingFor(this.d.db, agent.id)).find((t) => idMatches(cmd.id!, t.conversationId));
        if (request) return ok(await this.d.transfers.accept(agent, request.conversationId));
        return this.pick(agent, cmd.id);
      }
      case 'reject': return this.reject(agent, cmd.id);
      case 'available': case 'away': return ok(await this.setManual(agent, cmd.name));
      case 'auto': return ok(await this.setManual(agent, null));
      case 'help': return ok(T.deskHelp);
      case 'unknown': return fail(T.unknownDesk(cmd.word));
    }
  }

  private async setManual(agent: Agent, state: ManualState | null): Promise<string> {
    if (state === null) await this.d.db.query('DELETE FROM desk_states WHERE agent_id = $1', [agent.id]);
    else await this.d.db.query(`INSERT INTO desk_states (agent_id, state) VALUES ($1, $2) ON CONFLICT (agent_id) DO UPDATE SET state = $2, set_at = now()`, [agent.id, state]);
    this.d.desk.setManual(agent.jid, state);
    return state === null ? T.auto : T.manual(state);
  }

  private async status(agent: Agent): Promise<string> {
    const { desk, muc, db } = this.d;
    const manual = desk.presence.manual(agent.jid);
    const state = this.available(agent.jid) ? 'available: you get offers' : 'not available (away, busy or offline): you get no offers';
    const chats = (await db.query("SELECT customer_name, muc_node FROM conversations WHERE agent_id = $1 AND status = 'active' ORDER BY accepted_at", [agent.id])).rows;
    const offers = (await db.query("SELECT c.customer_name, c.muc_node FROM offers o JOIN conversations c ON c.id = o.conversation_id WHERE o.agent_id = $1 AND o.status = 'pending' ORDER BY o.created_at", [agent.id])).rows;
    const requests = await pendingFor(db, agent.id);
    const line = (r: { customer_name: string; muc_node: string }) => `\n  • ${r.customer_name} — ${muc.roomJid(r.muc_node)}`;
    return `You are ${state}${manual ? ` (set by hand: ${manual}; "auto" follows your presence again)` : ''}.\n` +
      `Chats: ${chats.length} of ${agent.maxChats}${chats.map(line).join('')}\nPending offers: ${offers.length}${offers.map(line).join('')}` +
      (requests.length ? `\nTransfers and invitations for you (write "a" to accept): ${requests.length}` +
        requests.map((t) => `\n  • ${t.kind === 'transfer' ? 'transfer' : 'invitation'} from ${this.d.agents.byId(t.fromAgentId)?.nickname ?? '?'}: ${t.customerName} — ${muc.roomJid(t.mucNode)}`).join('') : '');
  }

  /** Queued chats whose customer is in the room, oldest first, each marked whether this agent may take it. */
  async waiting(agent: Agent): Promise<WaitingChat[]> {
    const r = await this.d.db.query(`SELECT c.id, c.customer_name AS "customerName", c.first_message AS "firstMessage", c.created_at AS "createdAt",
        coalesce(r.settings->>'name', r.slug) AS "roomName",
        NOT ((r.kind = 'private' AND r.owner_agent_id IS DISTINCT FROM $1)
          OR (c.department_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM department_members m WHERE m.department_id = c.department_id AND m.agent_id = $1))) AS eligible
      FROM conversations c JOIN rooms r ON r.id = c.room_id
      WHERE c.status = 'queued' AND c.customer_joined_at IS NOT NULL ORDER BY c.created_at`, [agent.id]);
    return r.rows;
  }

  private queueText(all: WaitingChat[]): string {
    const rows = all.filter((w) => w.eligible);
    if (rows.length === 0) return T.queueEmpty;
    const byRoom = new Map<string, WaitingChat[]>();
    for (const w of rows) byRoom.set(w.roomName, [...(byRoom.get(w.roomName) ?? []), w]);
    const first = (w: WaitingChat) => { const c = Array.from(w.firstMessage ?? ''); return c.length ? ` “${c.length > 60 ? c.slice(0, 59).join('') + '…' : c.join('')}”` : ''; };
    return T.queueHeader + [...byRoom].map(([room, list]) => `\n${room} (${list.length}):` +
      list.map((w) => `\n  ${shortId(w.id)} — ${w.customerName}, waiting ${ago(w.createdAt)}${first(w)}`).join('')).join('');
  }

  /** "accept <id>": the atomic claim of routing (the same as a join), then the invitation to join. */
  private async pick(agent: Agent, id: string): Promise<{ ok: boolean; text: string }> {
    const matches = (await this.waiting(agent)).filter((w) => idMatches(id, w.id));
    if (matches.length === 0) return { ok: false, text: T.noSuchWaiting(id) };
    if (matches.length > 1) return { ok: false, text: T.ambiguousId(id) };
    const w = matches[0]!;
    if (!w.eligible) return { ok: false, text: T.notForYou };
    const conv = await this.d.routing().claim(w.id, agent.id);
    if (!conv) {
      const now = (await this.d.db.query('SELECT status FROM conversations WHERE id = $1', [w.id])).rows[0];
      return { ok: false, text: now?.status === 'queued' ? T.full(agent.maxChats) : T.notWaiting };
    }
    const room = this.d.muc.rooms.get(conv.mucNode);
    if (room) room.conversation = conv; // a join now finds it active and theirs
    const roomJid = this.d.muc.roomJid(conv.mucNode);
    const roomName = (await roomById(this.d.db, conv.roomId))?.settings.name ?? w.roomName;
    const reason = T.pickedReason(conv.customerName, roomName);
    sendInvitation(this.d.muc, { roomJid, to: agent.jid, from: this.d.desk.jid, password: conv.roomPassword, reason, body: `${reason}\nRoom: ${roomJid}` });
    return { ok: true, text: T.accepted(conv.customerName, roomJid) };
  }

  /** "reject [<id>]": an offer (routing's decline), else a transfer or invitation naming the agent. */
  private async reject(agent: Agent, id: string | null): Promise<{ ok: boolean; text: string | null }> {
    const offers = await pendingOffers(this.d.db, { agentId: agent.id });
    const offer = id === null ? offers[0] : offers.find((o) => idMatches(id, o.conversationId));
    if (offer) {
      await this.d.routing().declined(offer.conversationId, agent.id);
      return { ok: true, text: null }; // routing's "You declined…" notice answers
    }
    const requests = await pendingFor(this.d.db, agent.id);
    const req = id === null ? requests[0] : requests.find((t) => idMatches(id, t.conversationId));
    if (req && (await this.d.transfers.decline(agent, req.conversationId))) return { ok: true, text: null };
    return { ok: false, text: id === null ? T.noOffer : T.noOfferFor(id) };
  }
}
