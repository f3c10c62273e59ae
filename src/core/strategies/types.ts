// A strategy is a pure function over the eligible agents: it decides who gets
// an offer, never how the queue behaves (capacity, timeouts: see queue.ts).
export interface Candidate {
  id: string;
  active: number;
  maxChats: number;
  /** ms timestamp since which the agent has had no chat, or null if busy. */
  idleSince: number | null;
}

export interface ConversationView { id: string; roomId: string; createdAt: number }

export type Strategy = (candidates: readonly Candidate[], conversation: ConversationView, now: number) => string[];
