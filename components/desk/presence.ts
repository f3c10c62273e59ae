// Agent availability from XMPP presence (RFC 6121 §4) as the desk contact
// receives it: available or "chat" on any resource = can get offers;
// away, xa, dnd or offline on every resource = none.
export type Show = 'available' | 'chat' | 'away' | 'xa' | 'dnd';

export class PresenceBook {
  private readonly sessions = new Map<string, Map<string, Show>>();

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
    for (const show of this.sessions.get(bare)?.values() ?? []) if (show === 'available' || show === 'chat') return true;
    return false;
  }

  online(bare: string): boolean { return (this.sessions.get(bare)?.size ?? 0) > 0; }

  shows(bare: string): Show[] { return [...(this.sessions.get(bare)?.values() ?? [])]; }
}

export function parseShow(show: string | null): Show {
  return show === 'chat' || show === 'away' || show === 'xa' || show === 'dnd' ? show : 'available';
}
