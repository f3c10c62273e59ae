// What the page offers while nobody has answered yet (seed 000, issue 6): the
// place in the queue with an estimated wait (asked every QUEUE_POLL_MS), Add
// Alert (email me when someone is free) and Email (leave the message as a note
// instead, which ends the chat). Everything goes once an agent has joined.
import { addAlert, endConversation, leaveNote, queueOf, type ContactForm, type ConversationTicket, type RoomPublic } from './api.js';
import { alertForm, noteForm } from './chat-extras.js';
import type { ChatView } from './chat-view.js';
import { strings } from './strings.js';

/** While waiting, the place in the queue is asked again this often. */
export const QUEUE_POLL_MS = 10_000;

export interface WaitingOptions {
  view: ChatView;
  ticket: ConversationTicket;
  room?: RoomPublic;
  email?: string;
  /** The contact form as sent (this page load only), which a note reuses. */
  form?: ContactForm;
  /** The place in the queue changed: show it. */
  changed(): void;
  /** The chat is over (a note was left instead). */
  close(reason: string): void;
}

export class Waiting {
  private alertPanel?: HTMLElement;
  private notePanel?: HTMLElement;
  private answered = false;
  private queue?: { position: number | null; estimatedWaitSeconds: number | null };
  private queueTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly o: WaitingOptions) {}

  /**
   * `waiting`: in the room and nobody else is; `settled`: not in the middle of
   * a (re)join, when the count of occupants means nothing yet.
   */
  update(waiting: boolean, settled: boolean, agentsHere: boolean): void {
    if (agentsHere) this.answered = true;
    const now = waiting && !this.answered;
    const { room, ticket } = this.o;
    if (now && !this.alertPanel && room?.interactions.addAlert) {
      this.alertPanel = alertForm(this.o.email ?? '', (email) => addAlert(ticket, email || undefined));
      this.o.view.addPanel(this.alertPanel);
    }
    if (now && !this.notePanel && room?.interactions.leaveEmail && this.o.form) {
      const form = this.o.form;
      this.notePanel = noteForm(this.o.email ?? '', typeof form.message === 'string' ? form.message : '', async (email, message) => {
        await leaveNote(room.slug, { ...form, email, message });
        // The page closes first: the room's own end (destroyed) would otherwise say "ended" without the note's words.
        this.o.close(strings.noteInsteadSent);
        await endConversation(ticket).catch(() => {});
      });
      this.o.view.addPanel(this.notePanel);
    }
    if (!now && settled) {
      this.alertPanel?.remove();
      this.notePanel?.remove();
    }
    this.follow(now);
  }

  /** The server pushed the place in the queue (it also answers the poll). */
  pushed(q: { position: number; estimatedWaitSeconds: number | null }): void {
    if (this.answered) return;
    this.queue = q;
  }

  /** "You are number 2 in the queue (about 4 minutes)." or '' when unknown. */
  text(): string {
    const place = this.queue?.position;
    return place ? strings.queuePlace(place, this.queue?.estimatedWaitSeconds ?? null) : '';
  }

  private follow(waiting: boolean): void {
    if (!waiting) {
      clearTimeout(this.queueTimer);
      this.queueTimer = undefined;
      this.queue = undefined;
      return;
    }
    if (this.queueTimer) return;
    const ask = async () => {
      try { this.queue = await queueOf(this.o.ticket); } catch { this.queue = undefined; }
      if (!this.queueTimer) return; // no longer waiting meanwhile
      this.o.changed();
      this.queueTimer = setTimeout(() => void ask(), QUEUE_POLL_MS);
    };
    this.queueTimer = setTimeout(() => void ask(), 0);
  }
}
