// The registry adapter: feeds Kamailio's reports and the clock through the
// pure core, mirrors the result in sip_registrations, and emits a 'change'
// per agent whose contacts changed. Routing reads isRegistered() to know who
// can take a call. Inputs are applied one at a time, in arrival order.
import { EventEmitter } from 'node:events';
import type { Db } from '../../src/db/pool.js';
import type { Logger } from '../../src/log.js';
import { deleteContacts, forgetOtherBoots, loadContacts, replaceContacts } from '../store.js';
import { applyProbe, applySnapshot, clearAll, emptyState, expire, nextExpiry, removeContact, resync, unknownMessages, type Change, type Contact, type RegState, type Step } from './core.js';

export interface RegistryEvents { change: [change: Change] }

export interface RegistryOptions { db: Db; log: Logger; now?: () => number }

export class SipRegistry extends EventEmitter<RegistryEvents> {
  private state: RegState = emptyState;
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private boot = 0;
  private stopped = false;
  private readonly now: () => number;
  /** The earliest expiry the mirror (sip_registrations) holds per agent, as written by this process. */
  private readonly mirrored = new Map<string, number>();

  constructor(private readonly o: RegistryOptions) {
    super();
    this.now = o.now ?? Date.now;
  }

  isRegistered(agentId: string): boolean { return this.state.has(agentId); }
  contacts(agentId: string): readonly Contact[] { return this.state.get(agentId) ?? []; }
  registeredAgentIds(): string[] { return [...this.state.keys()]; }
  /** Some registered contact of the agent takes SIP MESSAGE (chat for agents on a SIP client only). */
  acceptsMessages(agentId: string): boolean { return this.contacts(agentId).some((c) => c.messages === true); }

  /** The mirror from the last run: Kamailio may still hold these (checked on its hello). */
  load(): Promise<void> {
    return this.serial(() => this.reload());
  }

  /** Kamailio accepted our connection; a new boot time means it restarted empty. */
  kamailioReady(boot: number): Promise<void> {
    return this.serial(async () => {
      if (boot === this.boot) return;
      const first = this.boot === 0;
      this.boot = boot;
      await forgetOtherBoots(this.o.db, boot);
      // Our first connection: the mirror may be of this very Kamailio run, keep what it still holds.
      if (first) await this.reload();
      else await this.apply(clearAll(this.state), async () => {});
    });
  }

  private async reload(): Promise<void> {
    const byAgent = new Map<string, Contact[]>();
    for (const r of await loadContacts(this.o.db)) {
      const list = byAgent.get(r.agentId) ?? [];
      list.push({ uri: r.uri, expiresAt: r.expiresAt.getTime(), callId: r.callId, received: r.received, userAgent: r.userAgent, source: r.source, messages: r.messages });
      byAgent.set(r.agentId, list);
    }
    await this.apply(resync(this.state, byAgent, this.now()), async () => {});
  }

  /** An agent's whole contact set after a REGISTER; expires are Kamailio's epoch seconds, now its clock. */
  snapshot(agentId: string, contacts: Array<Omit<Contact, 'expiresAt'> & { expires: number }>, kamailioNow: number): Promise<void> {
    return this.serial(async () => {
      const at = this.now();
      const list: Contact[] = contacts.map(({ expires, ...c }) => ({ ...c, expiresAt: at + (expires - kamailioNow) * 1000 }));
      const step = applySnapshot(this.state, agentId, list, at);
      const after = step.state.get(agentId) ?? [];
      // A re-REGISTER soon after the last one only moves expiries: the mirror
      // keeps the older ones while they still cover half of the new lifetime
      // (it matters only to a restarted worker, and a phone's next refresh
      // writes it). Phones refresh at about half their lifetime, so for them
      // every refresh is written.
      const mirrored = this.mirrored.get(agentId);
      const skip = mirrored !== undefined && sameContacts(this.state.get(agentId) ?? [], after) &&
        mirrored - at > (Math.min(...after.map((c) => c.expiresAt)) - at) / 2;
      await this.apply(step, async () => {
        if (skip) return;
        await replaceContacts(this.o.db, agentId, after.map((c) => ({ ...c, agentId, expiresAt: new Date(c.expiresAt) })), this.boot);
        if (after.length) this.mirrored.set(agentId, Math.min(...after.map((c) => c.expiresAt))); else this.mirrored.delete(agentId);
      });
    });
  }

  /** Registered contacts whose MESSAGE support nobody has told yet (ask them with OPTIONS). */
  unknownMessages(agentId: string): readonly Contact[] { return unknownMessages(this.state, agentId); }

  /** The agent's contacts answered our OPTIONS query: they take MESSAGE or not. */
  probed(agentId: string, takesMessage: boolean): Promise<void> {
    return this.serial(async () => {
      const step = applyProbe(this.state, agentId, takesMessage);
      await this.apply(step, async () => {
        await replaceContacts(this.o.db, agentId, step.state.get(agentId)?.map((c) => ({ ...c, agentId, expiresAt: new Date(c.expiresAt) })) ?? [], this.boot);
      });
    });
  }

  contactExpired(agentId: string, uri: string): Promise<void> {
    return this.serial(async () => {
      const step = removeContact(this.state, agentId, uri);
      await this.apply(step, () => deleteContacts(this.o.db, [{ agentId, uri }]));
    });
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.chain;
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(fn).catch((e: Error) => this.o.log.error(`sip registry: ${e.message}`));
    this.chain = run;
    return run;
  }

  private async apply(step: Step, persist: () => Promise<void>): Promise<void> {
    if (!step.changes.length) return;
    await persist();
    const before = this.state;
    this.state = step.state;
    this.arm();
    for (const c of step.changes) {
      // A refresh (same contacts, later expiry) changes nobody's availability: no event, no log line.
      if (c.registered && sameContacts(before.get(c.agentId) ?? [], c.contacts)) continue;
      this.o.log.info(`sip: agent ${c.agentId} ${c.registered ? `registered (${c.contacts.length} contact${c.contacts.length > 1 ? 's' : ''})` : 'not registered'}`);
      this.emit('change', c);
    }
  }

  private arm(): void {
    clearTimeout(this.timer);
    const next = nextExpiry(this.state);
    if (next === undefined || this.stopped) return;
    this.timer = setTimeout(() => void this.serial(async () => {
      const step = expire(this.state, this.now());
      await this.apply(step, () => deleteContacts(this.o.db, step.changes.flatMap((c) => c.removed.map((r) => ({ agentId: c.agentId, uri: r.uri })))));
      this.arm();
    }), Math.max(0, next - this.now()) + 10);
    this.timer.unref();
  }
}

/** The same contacts (addresses and MESSAGE support), whatever their expiries; both sorted by address. */
function sameContacts(a: readonly Contact[], b: readonly Contact[]): boolean {
  return a.length === b.length && a.every((c, i) => c.uri === b[i]!.uri && c.messages === b[i]!.messages);
}
