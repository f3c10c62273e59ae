// XEP-0085 chat states, both ways.
import type { ChatState } from './stanzas.js';

export const PAUSE_AFTER_MS = 5_000;
/** An agent whose client crashed mid-sentence never sends <paused/>; forget them after this. */
export const FORGET_COMPOSING_MS = 30_000;

/**
 * Outgoing: <composing/> when the customer starts typing, <paused/> after
 * PAUSE_AFTER_MS without a keystroke (XEP-0085 §5.2), <active/> when the box
 * is emptied. The message itself carries <active/>: call sent().
 */
export class TypingNotifier {
  private state: ChatState = 'active';
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly notify: (state: ChatState) => void) {}

  input(text: string): void {
    clearTimeout(this.timer);
    if (text.trim() === '') {
      this.set('active');
      return;
    }
    this.set('composing');
    this.timer = setTimeout(() => this.set('paused'), PAUSE_AFTER_MS);
  }

  /** A message went out with <active/>. */
  sent(): void { this.reset(); }

  /** New session or closed: nothing was announced on it yet. */
  reset(): void {
    clearTimeout(this.timer);
    this.state = 'active';
  }

  private set(state: ChatState): void {
    if (state === this.state) return;
    this.state = state;
    this.notify(state);
  }
}

/** Incoming: who is composing right now, in the order they started. */
export class TypingWatcher {
  private readonly composing = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly changed: (nicks: string[]) => void) {}

  state(nick: string, state: ChatState): void {
    if (state === 'composing') {
      clearTimeout(this.composing.get(nick));
      const isNew = !this.composing.has(nick);
      this.composing.set(nick, setTimeout(() => this.stop(nick), FORGET_COMPOSING_MS));
      if (isNew) this.changed([...this.composing.keys()]);
    } else {
      this.stop(nick);
    }
  }

  /** A body from this nick, or they left: no longer typing. */
  stop(nick: string): void {
    if (!this.composing.has(nick)) return;
    clearTimeout(this.composing.get(nick));
    this.composing.delete(nick);
    this.changed([...this.composing.keys()]);
  }

  clear(): void {
    for (const nick of [...this.composing.keys()]) this.stop(nick);
  }
}
