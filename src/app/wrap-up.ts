// Wrap-up after a chat (room setting wrapUpSeconds): the serving agent gets no
// offers until it ends. Kept in memory for the planner (core/wrap-up.ts) and
// rebuilt from the chats closed lately after a restart.
import { applyWrapUp, wrapUpEnd } from '../core/wrap-up.js';
import type { AgentState } from '../core/queue.js';
import type { Db } from '../db/pool.js';
import type { Conversation } from '../db/repos/conversations.js';
import { recentCloses } from '../db/repos/queue.js';
import type { Room } from '../db/repos/rooms.js';

export class WrapUps {
  private readonly until = new Map<string, number>();

  constructor(private readonly db: Db) {}

  async restore(): Promise<void> {
    for (const c of await recentCloses(this.db)) this.extend(c.agentId, wrapUpEnd(c.closedAt.getTime(), c.wrapUpSeconds));
  }

  closed(conv: Conversation, room: Room, now: number): void {
    if (conv.agentId) this.extend(conv.agentId, wrapUpEnd(now, room.settings.wrapUpSeconds));
  }

  /** When the agent's wrap-up ends, if they are in one. */
  endOf(agentId: string, now: number): number | null {
    const end = this.until.get(agentId);
    return end !== undefined && end > now ? end : null;
  }

  apply(agents: readonly AgentState[], now: number): { agents: AgentState[]; wakeAt: number | null } {
    for (const [id, end] of this.until) if (end <= now) this.until.delete(id);
    return applyWrapUp(agents, this.until, now);
  }

  private extend(agentId: string, end: number | null): void {
    if (end !== null && end > (this.until.get(agentId) ?? 0)) this.until.set(agentId, end);
  }
}
