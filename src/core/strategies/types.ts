// A strategy is a pure function over the eligible agents: it ranks who should
// get an offer first, never how the queue behaves (capacity, timeouts, how
// many agents at once: see queue.ts, which takes agents from the front) nor
// who may get it at all (see eligibility.ts, applied before the ranking).

export interface GeoPoint { lat: number; lon: number }

export interface Candidate {
  id: string;
  active: number;
  /** Pending offers, including those planned just before this ranking. */
  pending: number;
  maxChats: number;
  /** ms timestamp since which the agent has had no chat, or null if busy. */
  idleSince: number | null;
  /** Where the agent works (their profile's latitude/longitude), null if not given. */
  location?: GeoPoint | null;
}

export interface ConversationView {
  id: string;
  roomId: string;
  createdAt: number;
  /** Where the customer is (contact form or browser consent), null if unknown. */
  location?: GeoPoint | null;
  /**
   * Round robin: the agent the room's rotation last gave a conversation to
   * (stored, so the rotation survives restarts), null if none yet.
   */
  lastAgentId?: string | null;
}

/** Returns candidate ids, best first; leaving one out means never offering it this conversation now. */
export type Strategy = (candidates: readonly Candidate[], conversation: ConversationView, now: number) => string[];

/**
 * The first n ids of what the strategy's rank() returns for the same inputs,
 * in the same order: the planner asks for a few when a conversation is
 * offered to a few agents at a time out of hundreds.
 */
export type TopStrategy = (candidates: readonly Candidate[], conversation: ConversationView, now: number, n: number) => string[];

export interface StrategyDef {
  rank: Strategy;
  /** Optional: the same order as rank(), only its first n, without sorting every candidate. */
  top?: TopStrategy;
  /**
   * How many agents hold an offer at once when the room's ringLimit is 0:
   * 0 = all of them (ring-all), 1 = one at a time (the hunt strategies; a
   * decline or timeout passes it to the next in rank).
   */
  ringWidth: number;
}
