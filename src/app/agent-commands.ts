// Wires the agents' commands (issue 4): transfers and invitations, commands
// in conversation rooms, desk commands (chat and XEP-0050 ad-hoc), team rooms.
import type { Db } from '../db/pool.js';
import type { Conversation } from '../db/repos/conversations.js';
import type { Logger } from '../log.js';
import type { MucService } from '../../components/muc/service.js';
import type { DeskService } from '../../components/desk/service.js';
import type { AgentDirectory } from './agents.js';
import { RoomCommands } from './commands.js';
import { DeskCommands } from './desk-commands.js';
import type { Routing } from './routing.js';
import { Transfers } from './transfers.js';
import { TeamRoomService } from './team-rooms.js';

export interface AgentCommandDeps {
  db: Db; log: Logger; agents: AgentDirectory; muc: MucService; desk: DeskService;
  routing: () => Routing;
  close(conv: Conversation, byJid: string): Promise<boolean>;
}

export class AgentCommands {
  readonly transfers: Transfers;
  readonly room: RoomCommands;
  readonly desk: DeskCommands;
  readonly teams: TeamRoomService;

  constructor(d: AgentCommandDeps) {
    this.transfers = new Transfers({ ...d, kick: () => d.routing().kick() });
    this.room = new RoomCommands({ ...d, transfers: this.transfers, close: async (room, by) => { await d.close(room.conversation, by); } });
    this.desk = new DeskCommands({ ...d, transfers: this.transfers });
    d.desk.adhoc = this.desk; // before the desk starts: it registers the ad-hoc commands then
    this.teams = new TeamRoomService(d);
  }

  /** Before the desk service starts: manual states back, pending transfers' deadlines re-armed. */
  async start(): Promise<void> {
    await this.desk.restore();
    await this.transfers.start();
    await this.teams.start();
  }

  stop(): void { this.transfers.stop(); this.teams.stop(); }
}
