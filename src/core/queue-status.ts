// Each waiting customer's place in their queue (per room and department,
// oldest first) and estimated wait, as the customer page is told it. Pure.
import { estimateWaitSeconds } from './eta.js';

export interface QueuedChat { id: string; roomId: string; departmentId: string | null; createdAt: number }

export type QueueState = 'waiting' | 'unmanaged';
export interface QueueStatus { position: number; etaSeconds: number | null; state: QueueState }

export interface StatusContext {
  /** The room's median wait in seconds, null when unknown. */
  medianWaitSeconds(roomId: string): number | null;
  /** Agents available now (presence); 0 = nobody could take a chat: unmanaged. */
  availableAgents: number;
}

export function queueStatuses(waiting: readonly QueuedChat[], ctx: StatusContext): Map<string, QueueStatus> {
  const out = new Map<string, QueueStatus>();
  const seen = new Map<string, number>();
  const state: QueueState = ctx.availableAgents > 0 ? 'waiting' : 'unmanaged';
  for (const c of [...waiting].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))) {
    const queue = `${c.roomId} ${c.departmentId ?? ''}`;
    const position = (seen.get(queue) ?? 0) + 1;
    seen.set(queue, position);
    out.set(c.id, { position, etaSeconds: estimateWaitSeconds({ position, medianWaitSeconds: ctx.medianWaitSeconds(c.roomId), availableAgents: ctx.availableAgents }), state });
  }
  return out;
}

export const sameStatus = (a: QueueStatus | undefined, b: QueueStatus): boolean =>
  a !== undefined && a.position === b.position && a.etaSeconds === b.etaSeconds && a.state === b.state;
