// A strategy is a pure function over the eligible agents: it ranks who should
// get an offer first, never how the queue behaves (capacity, timeouts, how
// many agents at once: see queue.ts, which takes agents from the front).
export interface Candidate {
  id: string;
  active: number;
  /** Pending offers, including those planned just before this ranking. */
  pending: number;
  maxChats: number;
  /** ms timestamp since which the agent has had no chat, or null if busy. */
  idleSince: number | null;
}

export interface ConversationView { id: string; roomId: string; createdAt: number }

/** Returns candidate ids, best first; leaving one out means never offering it this conversation now. */
export type Strategy = (candidates: readonly Candidate[], conversation: ConversationView, now: number) => string[];
