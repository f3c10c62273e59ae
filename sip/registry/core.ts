// Who is registered, decided from Kamailio's reports and the clock: a pure
// state of contacts per agent. Each function returns the new state and the
// changes to announce; the adapter (registry.ts) stores, arms timers, emits.

export interface Contact {
  uri: string;
  /** Epoch ms on our clock. */
  expiresAt: number;
  callId: string | null;
  received: string | null;
  userAgent: string | null;
  source: string | null;
  /**
   * The contact takes SIP MESSAGE: its REGISTER's Allow header said so, or, when
   * the REGISTER had none (Linphone sends none), its answer to our OPTIONS
   * query did (RFC 3261 §11). Undefined = not known yet.
   */
  messages?: boolean;
}

export type RegState = ReadonlyMap<string, readonly Contact[]>;

export interface Change {
  agentId: string;
  registered: boolean;
  contacts: readonly Contact[];
  /** Contacts that left the set (un-REGISTER, expiry, replaced). */
  removed: readonly Contact[];
}

export interface Step { state: RegState; changes: Change[] }

export const emptyState: RegState = new Map();

function put(state: RegState, agentId: string, contacts: readonly Contact[]): RegState {
  const next = new Map(state);
  if (contacts.length) next.set(agentId, contacts); else next.delete(agentId);
  return next;
}

function diff(agentId: string, before: readonly Contact[], after: readonly Contact[]): Change | null {
  const same = before.length === after.length
    && before.every((c, i) => c.uri === after[i]!.uri && c.expiresAt === after[i]!.expiresAt && c.messages === after[i]!.messages);
  if (same) return null;
  const kept = new Set(after.map((c) => c.uri));
  return { agentId, registered: after.length > 0, contacts: after, removed: before.filter((c) => !kept.has(c.uri)) };
}

/** Kamailio's whole contact set for one agent after a REGISTER (RFC 3261 §10.3 step 8). */
export function applySnapshot(state: RegState, agentId: string, contacts: readonly Contact[], now: number): Step {
  const before = state.get(agentId) ?? [];
  const live = contacts.filter((c) => c.expiresAt > now).sort((a, b) => a.uri.localeCompare(b.uri)).map((c) => {
    if (c.messages !== undefined) return c;
    // A refresh without Allow from the same client (same contact, same Call-ID) keeps what its OPTIONS answer said.
    const known = before.find((b) => b.uri === c.uri && b.callId === c.callId && b.messages !== undefined);
    return known ? { ...c, messages: known.messages } : c;
  });
  const change = diff(agentId, state.get(agentId) ?? [], live);
  return change ? { state: put(state, agentId, live), changes: [change] } : { state, changes: [] };
}

/** Contacts of the agent whose MESSAGE support is not known yet: to be asked with OPTIONS. */
export function unknownMessages(state: RegState, agentId: string): readonly Contact[] {
  return (state.get(agentId) ?? []).filter((c) => c.messages === undefined);
}

/**
 * The answer to an OPTIONS query sent to the agent's address (forked to every
 * contact whose support is unknown; one final answer comes back): those
 * contacts take MESSAGE or not, as its Allow header says.
 */
export function applyProbe(state: RegState, agentId: string, takesMessage: boolean): Step {
  const before = state.get(agentId) ?? [];
  const after = before.map((c) => (c.messages === undefined ? { ...c, messages: takesMessage } : c));
  const change = diff(agentId, before, after);
  return change ? { state: put(state, agentId, after), changes: [change] } : { state, changes: [] };
}

/** One contact gone (Kamailio's expiry report). */
export function removeContact(state: RegState, agentId: string, uri: string): Step {
  const before = state.get(agentId) ?? [];
  const after = before.filter((c) => c.uri !== uri);
  const change = diff(agentId, before, after);
  return change ? { state: put(state, agentId, after), changes: [change] } : { state, changes: [] };
}

/** Contacts whose time is up, by our clock. */
export function expire(state: RegState, now: number): Step {
  let next = state;
  const changes: Change[] = [];
  for (const [agentId, before] of state) {
    const after = before.filter((c) => c.expiresAt > now);
    const change = diff(agentId, before, after);
    if (change) { next = put(next, agentId, after); changes.push(change); }
  }
  return { state: next, changes };
}

/** The whole state replaced by a reloaded one (our start, Kamailio's hello). */
export function resync(state: RegState, contacts: ReadonlyMap<string, readonly Contact[]>, now: number): Step {
  let next = state;
  const changes: Change[] = [];
  for (const agentId of new Set([...state.keys(), ...contacts.keys()])) {
    const step = applySnapshot(next, agentId, contacts.get(agentId) ?? [], now);
    next = step.state;
    changes.push(...step.changes);
  }
  return { state: next, changes };
}

/** Everyone gone at once (a restarted Kamailio holds no registrations). */
export function clearAll(state: RegState): Step {
  const changes = [...state].map(([agentId, before]) => ({ agentId, registered: false, contacts: [], removed: before }));
  return { state: emptyState, changes };
}

/** When the next contact expires, to arm one timer. */
export function nextExpiry(state: RegState): number | undefined {
  let min: number | undefined;
  for (const list of state.values()) for (const c of list) if (min === undefined || c.expiresAt < min) min = c.expiresAt;
  return min;
}
