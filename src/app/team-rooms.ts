// Team rooms: one per department on our MUC service (components/muc/team.ts).
// Membership follows the department's: a member who is online and not in the
// room is invited (once per time they come online); someone no longer a
// member is taken out. Checked when an agent's presence changes and every
// `intervalMs` (department edits through the admin API show within that).
import type { Db } from '../db/pool.js';
import { teamMemberships } from '../db/repos/team-rooms.js';
import type { Logger } from '../log.js';
import { TeamRooms, type TeamDirectory } from '../../components/muc/team.js';
import type { MucService } from '../../components/muc/service.js';
import type { DeskService } from '../../components/desk/service.js';
import type { AgentDirectory } from './agents.js';

export interface TeamRoomDeps { db: Db; log: Logger; muc: MucService; desk: DeskService; agents: AgentDirectory; intervalMs?: number }

export class TeamRoomService implements TeamDirectory {
  readonly rooms: TeamRooms;
  /** `${department}|${bare}` invited since the agent came online. */
  private readonly invited = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly d: TeamRoomDeps) {
    this.rooms = new TeamRooms(d.muc, this);
    d.desk.presenceListeners.push(() => void this.reconcile());
  }

  async membership(departmentId: string, bare: string): Promise<{ name: string | null; member: { agentId: string; nick: string } | null }> {
    const agent = this.d.agents.byJid(bare);
    const r = await this.d.db.query(`SELECT d.name, EXISTS (SELECT 1 FROM department_members m WHERE m.department_id = d.id AND m.agent_id = $2) AS member
      FROM departments d WHERE d.id = $1`, [departmentId, agent?.id ?? null]);
    const row = r.rows[0];
    if (!row) return { name: null, member: null };
    return { name: row.name, member: agent && row.member ? { agentId: agent.id, nick: agent.nickname } : null };
  }

  async start(): Promise<void> {
    await this.rooms.restore();
    this.timer = setInterval(() => void this.reconcile(), this.d.intervalMs ?? 10_000);
    this.timer.unref();
  }

  stop(): void { clearInterval(this.timer); }

  /** One pass at a time; a request during a pass runs one more after it. Resolves when a pass that began after the call is done. */
  reconcile(): Promise<void> {
    if (this.running) { this.again = true; return this.running.then(() => this.running ?? undefined); }
    this.running = (async () => {
      do {
        this.again = false;
        try { await this.pass(); } catch (e) { this.d.log.error(`team rooms: ${(e as Error).stack}`); }
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    const { agents, desk } = this.d;
    const departments = await teamMemberships(this.d.db);
    const exists = new Set(departments.map((d) => d.id));
    for (const id of this.rooms.departments()) if (!exists.has(id)) this.rooms.destroy(id);
    for (const dept of departments) {
      const members = new Set(dept.agentIds);
      const joined = new Set(this.rooms.members(dept.id).map((m) => m.agentId));
      for (const id of members) {
        const a = agents.byId(id);
        if (!a) continue;
        const key = `${dept.id}|${a.jid}`;
        if (!desk.presence.online(a.jid)) { this.invited.delete(key); continue; }
        if (joined.has(id) || this.invited.has(key)) continue;
        this.invited.add(key);
        this.rooms.invite(dept.id, dept.name, a.jid, desk.jid);
      }
      for (const id of joined) if (!members.has(id) || !agents.byId(id)) await this.rooms.removeAgent(dept.id, id);
    }
  }
}
