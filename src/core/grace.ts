// An agent who leaves an active chat without closing it (lost connection,
// client closed) gets a grace period to come back (issue 4); after it the chat
// is queued again for other agents, its history intact. Pure decision.

export interface LeftChat {
  status: 'queued' | 'active' | 'closed';
  /** The chat's agent now. */
  ownerId: string | null;
  /** The agent whose session left. */
  leftAgentId: string | null;
  /** Whether that agent is still in the room from another session. */
  stillIn: boolean;
  leftAt: number;
  graceSeconds: number;
}

/** When to queue the chat again, or null when the leave changes nothing. */
export function requeueAt(l: LeftChat): number | null {
  if (l.status !== 'active' || l.leftAgentId === null || l.leftAgentId !== l.ownerId || l.stillIn) return null;
  return l.leftAt + Math.max(0, l.graceSeconds) * 1000;
}
