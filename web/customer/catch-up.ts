// After each (re)join, what the page missed comes from the room's archive
// (XEP-0313), page by page after the last line it has: the join asks for no
// XEP-0045 history. Live lines that arrive meanwhile wait, so the log stays in
// the room's order; the conversation drops what it already shows by stanza-id.
import type { Element } from '@xmpp/client';
import { randomId } from './dom.js';
import type { MessageEvent } from './read.js';
import { archiveQuery, NS } from './stanzas.js';

/** Lines per archive page (the room sends at most 100). */
export const ARCHIVE_PAGE = 50;
const RETRY_MS = 2_000;
const TRIES = 3;

export interface CatchUpPorts {
  roomJid: string;
  iq(request: Element): Promise<Element>;
  /** The newest stanza-id shown, if any. */
  lastId(): string | undefined;
  show(ev: MessageEvent): void;
  /** Caught up (or gave up): the log is in order, what waited has been shown. */
  done(): void;
}

export class CatchUp {
  private generation = 0;
  private running = false;
  private held: MessageEvent[] = [];
  private query?: { id: string; results: MessageEvent[] };

  constructor(private readonly ports: CatchUpPorts) {}

  /** A join begins: live lines wait until the archive has been read. */
  hold(): void {
    this.generation++;
    this.running = true;
    this.held = [];
    this.query = undefined;
  }

  /** A live line from the room: shown now, or once the archive is read. */
  live(ev: MessageEvent): void {
    if (this.running) this.held.push(ev);
    else this.ports.show(ev);
  }

  /** A result message; only those of the query in flight count (XEP-0313 §7.2). */
  result(queryId: string, ev: MessageEvent): void {
    if (this.query?.id === queryId) this.query.results.push(ev);
  }

  /** Reads the archive after the last line shown, to its end. */
  async run(): Promise<void> {
    const generation = this.generation;
    const stale = () => generation !== this.generation;
    let after = this.ports.lastId();
    let failures = 0;
    for (;;) {
      const query = { id: randomId(), results: [] as MessageEvent[] };
      this.query = query;
      let fin: Element | undefined;
      try {
        fin = (await this.ports.iq(archiveQuery({ roomJid: this.ports.roomJid, queryId: query.id, afterId: after, max: ARCHIVE_PAGE }))).getChild('fin', NS.mam);
      } catch (err) {
        if (stale()) return;
        // The line we know is not in the archive (should not happen): read it all, duplicates drop out.
        if ((err as { condition?: string }).condition === 'item-not-found' && after !== undefined) { after = undefined; continue; }
        if (++failures >= TRIES) break; // a new connection joins and catches up again
        await new Promise((r) => setTimeout(r, RETRY_MS));
        if (stale()) return;
        continue;
      }
      if (stale()) return;
      for (const ev of query.results) this.ports.show(ev);
      const last = fin?.getChild('set', NS.rsm)?.getChildText('last') ?? undefined;
      if (!fin || fin.attrs.complete === 'true' || !last || query.results.length === 0) break;
      after = last;
    }
    this.query = undefined;
    this.running = false;
    const held = this.held;
    this.held = [];
    for (const ev of held) this.ports.show(ev);
    this.ports.done();
  }

  /** The conversation is over: nothing more to wait for. */
  stop(): void { this.generation++; this.running = false; this.held = []; this.query = undefined; }
}
