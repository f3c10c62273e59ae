// Keeps the current conversation in sessionStorage so a reload of the same
// tab rejoins it instead of showing the contact form again. Storage may be
// unavailable (privacy settings): the page then simply forgets on reload.
import type { ConversationTicket } from './api.js';

const KEYS: Array<keyof ConversationTicket> = ['id', 'roomJid', 'password', 'nick', 'customerToken', 'websocketPath', 'guestDomain'];

const storageKey = (slug: string) => `switchboard:conversation:${slug}`;

export function loadTicket(slug: string): ConversationTicket | undefined {
  try {
    const raw = sessionStorage.getItem(storageKey(slug));
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Record<string, unknown>;
    return KEYS.every((k) => typeof value[k] === 'string') ? value as unknown as ConversationTicket : undefined;
  } catch {
    return undefined;
  }
}

export function saveTicket(slug: string, ticket: ConversationTicket): void {
  const value = { ...Object.fromEntries(KEYS.map((k) => [k, ticket[k]])), askAll: ticket.askAll === true };
  try { sessionStorage.setItem(storageKey(slug), JSON.stringify(value)); } catch { /* see above */ }
}

export function forgetTicket(slug: string): void {
  try { sessionStorage.removeItem(storageKey(slug)); } catch { /* see above */ }
}

// Messages sent but not yet seen in the room, so that a reload loses none:
// restored with their origin-id, which the room's history can confirm.
const pendingKey = (id: string) => `switchboard:pending:${id}`;

export function loadPending(conversationId: string): Array<{ id: string; body: string; oob?: boolean }> {
  try {
    const v = JSON.parse(sessionStorage.getItem(pendingKey(conversationId)) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((p): p is { id: string; body: string } => typeof p?.id === 'string' && typeof p.body === 'string') : [];
  } catch {
    return [];
  }
}

export function savePending(conversationId: string, pending: Array<{ id: string; body: string; oob?: boolean }>): void {
  try {
    if (pending.length) sessionStorage.setItem(pendingKey(conversationId), JSON.stringify(pending));
    else sessionStorage.removeItem(pendingKey(conversationId));
  } catch { /* see above */ }
}
