// The estimated wait a queued customer is shown (issue 4): the room's median
// wait over its last served chats, times the customer's place in the queue,
// shared by the agents who are available. Deliberately simple; pure.

/** How many of a room's most recent accepted chats the median is taken over. */
export const ETA_SAMPLE = 20;

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface EtaInput {
  /** 1 = next to be served. */
  position: number;
  /** The room's median wait in seconds; null = no history yet. */
  medianWaitSeconds: number | null;
  availableAgents: number;
}

/** Seconds, rounded; null when unknown (no history, or nobody available to serve). */
export function estimateWaitSeconds(i: EtaInput): number | null {
  if (i.medianWaitSeconds === null || i.availableAgents <= 0 || i.position < 1) return null;
  return Math.max(0, Math.round((i.medianWaitSeconds * i.position) / i.availableAgents));
}
