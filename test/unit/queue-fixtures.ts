// Builders for the queue planner's unit tests.
import type { AgentState, Plan, WaitingConversation } from '../../src/core/queue.js';

export const NOW = 1_000_000;

export function agent(id: string, over: Partial<AgentState> = {}): AgentState {
  return { id, available: true, maxChats: 3, active: 0, pending: 0, idleSince: null, ...over };
}

export interface ConvSpec { createdAt?: number; pending?: string[]; refused?: Record<string, number>; reofferAfterMs?: number; ringLimit?: number }
export function conv(id: string, s: ConvSpec = {}): WaitingConversation {
  return {
    id, roomId: 'room-1', createdAt: s.createdAt ?? 0, strategy: 'quickest-reply',
    reofferAfterMs: s.reofferAfterMs ?? 30_000, ringLimit: s.ringLimit ?? 0,
    pendingAgents: new Set(s.pending ?? []),
    refusedBy: new Map(Object.entries(s.refused ?? {})),
  };
}

/** Offers as sorted "conversation:agent" strings, easy to compare. */
export const pairs = (p: Plan): string[] => p.offers.map((o) => `${o.conversationId}:${o.agentId}`).sort();

/** Conversations c1..cn created in that order. */
export const convs = (n: number, s: ConvSpec = {}): WaitingConversation[] => Array.from({ length: n }, (_, i) => conv(`c${i + 1}`, { createdAt: i + 1, ...s }));

/** How many offers each conversation got, by id. */
export function perConversation(p: Plan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of p.offers) out[o.conversationId] = (out[o.conversationId] ?? 0) + 1;
  return out;
}
