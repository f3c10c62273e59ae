// A call's state from Kamailio's dialog events (RFC 3261 §12, §13.3.1.4):
// pure transitions; an event out of order or repeated changes nothing.

export type CallState = 'routing' | 'ringing' | 'answered' | 'ended' | 'failed';
export type DialogEvent = 'ringing' | 'answered' | 'ended' | 'failed';

const NEXT: Record<DialogEvent, { from: readonly CallState[]; to: CallState }> = {
  ringing: { from: ['routing'], to: 'ringing' },
  answered: { from: ['routing', 'ringing'], to: 'answered' },
  failed: { from: ['routing', 'ringing'], to: 'failed' },
  ended: { from: ['answered'], to: 'ended' },
};

export function nextState(state: CallState, event: DialogEvent): CallState | null {
  const t = NEXT[event];
  return t.from.includes(state) ? t.to : null;
}

/** The same rule as data, for a guarded UPDATE (the store applies it atomically). */
export function transition(event: DialogEvent): { from: readonly CallState[]; to: CallState } {
  return NEXT[event];
}

export const isDialogEvent = (e: unknown): e is DialogEvent => typeof e === 'string' && e in NEXT;

/** The conversation timeline's name for it. */
export const conversationEventKind = (e: DialogEvent) => `call_${e}`;
