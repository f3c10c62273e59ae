// An agent's commands in a conversation's MUC room ("/cmd" or "!cmd", issue 4).
// A command never reaches the customer: answers go to the agent's sessions
// alone; what a command says on the agent's behalf (canned response,
// predefined message, choices) is an ordinary message of theirs.
import { expandCanned } from '../core/canned.js';
import { parseRoomCommand, type RoomCommand } from '../core/commands.js';
import { commandTexts as T } from '../core/texts.js';
import type { Agent } from '../db/repos/agents.js';
import { cannedForShortcut } from '../db/repos/canned.js';
import { listPredefined } from '../db/repos/predefined.js';
import type { Db } from '../db/pool.js';
import { inPrivateMode, notice, say, switchPrivateMode } from '../../components/muc/message.js';
import type { MucService } from '../../components/muc/service.js';
import type { Occupant, RoomState } from '../../components/muc/state.js';
import { bareJid, xml } from '../../components/xmpp.js';
import type { AgentDirectory } from './agents.js';
import type { Transfers } from './transfers.js';

export const NS_QUICK_RESPONSE = 'urn:xmpp:tmp:quick-response';

export interface RoomCommandDeps {
  db: Db; muc: MucService; agents: AgentDirectory; transfers: Transfers;
  close(room: RoomState, byJid: string): Promise<void>;
}

export class RoomCommands {
  constructor(private readonly d: RoomCommandDeps) {}

  async run(room: RoomState, occ: Occupant, text: string): Promise<void> {
    const agent = this.d.agents.byId(occ.agentId ?? '');
    if (!agent) return;
    const reply = await this.exec(room, occ, agent, parseRoomCommand(text));
    if (reply) await this.tell(room, occ, reply);
  }

  /** A notice to the agent's own sessions in the room only, never stored. */
  private async tell(room: RoomState, occ: Occupant, text: string): Promise<void> {
    const mine = [...room.occupants.values()].filter((o) => bareJid(o.realJid) === bareJid(occ.realJid));
    await notice(this.d.muc, room, text, { to: mine.length ? mine : [occ], store: false });
  }

  private async exec(room: RoomState, occ: Occupant, agent: Agent, cmd: RoomCommand): Promise<string | null> {
    const { transfers, muc } = this.d;
    switch (cmd.name) {
      case 'transfer': case 'invite': return transfers.request(room, agent, cmd.name, cmd.target);
      case 'accept': return transfers.accept(agent, room.conversation.id);
      case 'cancel': return transfers.cancel(room, agent);
      case 'leave': return transfers.leave(room, agent);
      case 'note':
        await say(muc, room, occ, { body: cmd.text, private: true });
        return null;
      case 'private': {
        const on = cmd.on ?? !(await inPrivateMode(muc, room, occ));
        await switchPrivateMode(muc, room, agent.id, on);
        return on ? T.privateOn : T.privateOff;
      }
      case 'predef': return this.predefined(room, occ, agent, cmd.index);
      case 'offer': {
        // XEP-0439 §5.1: the body lists the choices too, for clients without quick responses.
        const extra = cmd.options.map((o) => xml('response', { xmlns: NS_QUICK_RESPONSE, value: o, label: o }));
        const body = T.offerBody(cmd.question, cmd.options);
        await say(muc, room, occ, { body, payload: [xml('body', {}, body), ...extra], private: await inPrivateMode(muc, room, occ) });
        return null;
      }
      case 'close': await this.d.close(room, agent.jid); return null;
      case 'help': return T.roomHelp;
      case 'invalid': return T.invalid(cmd.command, cmd.problem);
      case 'canned': {
        const c = await cannedForShortcut(this.d.db, agent.id, cmd.shortcut);
        if (!c) return T.unknownCommand(cmd.shortcut);
        await this.sayFor(room, occ, agent, c.text);
        return null;
      }
    }
  }

  /** Text said on the agent's behalf, with %VISITOR% / %OPERATOR% filled in; private in private mode. */
  private async sayFor(room: RoomState, occ: Occupant, agent: Agent, text: string): Promise<void> {
    const body = expandCanned(text, { visitor: room.conversation.customerName, operator: agent.name });
    await say(this.d.muc, room, occ, { body, private: await inPrivateMode(this.d.muc, room, occ) });
  }

  private async predefined(room: RoomState, occ: Occupant, agent: Agent, index: number | null): Promise<string | null> {
    const { items } = await listPredefined(this.d.db, { limit: 100, offset: 0 });
    if (items.length === 0) return T.noPredefined;
    if (index === null) return T.predefList(items);
    const m = items[index - 1];
    if (!m) return T.noSuchPredefined(index, items.length);
    await this.sayFor(room, occ, agent, m.text);
    return null;
  }
}
