// Wrap-up time (issue 4): after a chat closes, the agent who served it is not
// offered new chats for the room's wrapUpSeconds. Applied to the planner's
// view of the agents: an agent in wrap-up counts as unavailable, and the plan
// asks to be woken when the first wrap-up ends. Pure.
import type { AgentState } from './queue.js';

export function applyWrapUp(agents: readonly AgentState[], until: ReadonlyMap<string, number>, now: number): { agents: AgentState[]; wakeAt: number | null } {
  let wakeAt: number | null = null;
  const out = agents.map((a) => {
    const end = until.get(a.id);
    if (end === undefined || end <= now || !a.available) return a;
    wakeAt = wakeAt === null ? end : Math.min(wakeAt, end);
    return { ...a, available: false };
  });
  return { agents: out, wakeAt };
}

/** When an agent's wrap-up after a chat closed at `closedAt` ends; null = none. */
export function wrapUpEnd(closedAt: number, wrapUpSeconds: number): number | null {
  return wrapUpSeconds > 0 ? closedAt + wrapUpSeconds * 1000 : null;
}
