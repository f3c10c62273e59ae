// Agent availability from XMPP presence (RFC 6121 §4) as the desk contact
// receives it: available or "chat" on any resource = can get offers;
// away, xa, dnd or offline on every resource = none. A manual state typed to
// the desk ("available" / "away") overrides that until the agent changes it
// ("auto" goes back to presence); offline stays offline whatever was typed.
export type Show = 'available' | 'chat' | 'away' | 'xa' | 'dnd';
export type ManualState = 'available' | 'away';

export class PresenceBook {
  private readonly sessions = new Map<string, Map<string, Show>>();
  private readonly manualStates = new Map<string, ManualState>();

  /** Sets (or with null clears) an agent's manual state; returns their availability after it. */
  setManual(bare: string, state: ManualState | null): boolean {
    if (state === null) this.manualStates.delete(bare); else this.manualStates.set(bare, state);
    return this.available(bare);
  }

  manual(bare: string): ManualState | null { return this.manualStates.get(bare) ?? null; }

  /** Records one resource's presence; returns the bare JID's availability after it. */
  set(bare: string, resource: string, show: Show | null): boolean {
    let s = this.sessions.get(bare);
    if (show === null) s?.delete(resource);
    else {
      if (!s) this.sessions.set(bare, (s = new Map()));
      s.set(resource, show);
    }
    if (s && s.size === 0) this.sessions.delete(bare);
    return this.available(bare);
  }

  available(bare: string): boolean {
    const manual = this.manualStates.get(bare);
    if (manual === 'away') return false;
    if (manual === 'available') return this.online(bare);
    return this.presenceAvailable(bare);
  }

  /** What the agent's XMPP presence alone says. */
  presenceAvailable(bare: string): boolean {
    for (const show of this.sessions.get(bare)?.values() ?? []) if (show === 'available' || show === 'chat') return true;
    return false;
  }

  online(bare: string): boolean { return (this.sessions.get(bare)?.size ?? 0) > 0; }

  shows(bare: string): Show[] { return [...(this.sessions.get(bare)?.values() ?? [])]; }
}

export function parseShow(show: string | null): Show {
  return show === 'chat' || show === 'away' || show === 'xa' || show === 'dnd' ? show : 'available';
}
